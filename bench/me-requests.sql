-- The statements GET /api/v1/me/requests issues, captured from PostgreSQL's
-- log (log_statement = all) for one request: the pool's connection check,
-- the session lookup (auth extractor), the caller's team memberships, and
-- the outstanding-actions query (a professional in no team: one indexed query). pgbench runs them with the same values.
SELECT 1;
BEGIN;
SELECT "sessions"."id", "sessions"."user_id", "sessions"."created_at", "sessions"."expires_at", "sessions"."idle_expires_at", "sessions"."revoked_at", "sessions"."revoked_reason", "users"."id", "users"."local_authority_id", "users"."organisation_id", "users"."email", "users"."name", "users"."role", "users"."job_title", "users"."specialism", "users"."password_hash", "users"."mfa_channel", "users"."phone_ciphertext", "users"."phone_masked", "users"."totp_secret_ciphertext", "users"."pending_totp_ciphertext", "users"."totp_last_step", "users"."status", "users"."created_at", "users"."disabled_at" FROM ("sessions" INNER JOIN "users" ON ("sessions"."user_id" = "users"."id")) WHERE ((((("sessions"."id" = :sid) AND ("sessions"."user_id" = :uid)) AND ("sessions"."revoked_at" IS NULL)) AND ("sessions"."expires_at" > now()::timestamp)) AND ("sessions"."idle_expires_at" > now()::timestamp)) LIMIT 1;
COMMIT;
SELECT 1;
BEGIN;
SELECT "team_members"."team_id", "team_members"."team_role" FROM "team_members" WHERE ("team_members"."user_id" = :uid);
SELECT "advice_requests"."id", "advice_requests"."case_id", "advice_requests"."specialism", "advice_requests"."areas", "advice_requests"."addressee_user_id", "advice_requests"."addressee_team_id", "advice_requests"."assignee_user_id", "advice_requests"."cc", "advice_requests"."notes", "advice_requests"."requested_on", "advice_requests"."due_on", "advice_requests"."completed_on", "advice_requests"."status", "advice_requests"."requires_endorsement", "advice_requests"."created_by", "advice_requests"."created_at", "cases"."reference", "advice"."status", "advice"."updated_by", "advice"."editors" FROM (("advice_requests" INNER JOIN "cases" ON ("advice_requests"."case_id" = "cases"."id")) LEFT OUTER JOIN "advice" ON ("advice"."request_id" = "advice_requests"."id")) WHERE (("advice_requests"."status" = 'open') AND (("advice_requests"."addressee_user_id" = :uid) OR ("advice_requests"."assignee_user_id" = :uid))) ORDER BY "advice_requests"."due_on" ASC, "advice_requests"."id" ASC;
COMMIT;
