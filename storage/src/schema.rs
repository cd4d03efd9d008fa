//! One diesel schema for both backends, in portable SQL types only: ids are
//! text UUIDs, times naive UTC (see docs/ARCHITECTURE.md).

diesel::table! {
    local_authorities (id) {
        id -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        local_authority_id -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        local_authority_id -> Text,
        organisation_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        job_title -> Nullable<Text>,
        specialism -> Nullable<Text>,
        password_hash -> Text,
        mfa_channel -> Text,
        phone_ciphertext -> Nullable<Binary>,
        phone_masked -> Nullable<Text>,
        totp_secret_ciphertext -> Nullable<Binary>,
        pending_totp_ciphertext -> Nullable<Binary>,
        totp_last_step -> Nullable<BigInt>,
        status -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        local_authority_id -> Text,
        organisation_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        job_title -> Nullable<Text>,
        specialism -> Nullable<Text>,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mfa_challenges (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        code_hash -> Nullable<Text>,
        code_sent_at -> Nullable<Timestamp>,
        failed_attempts -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        locked_at -> Nullable<Timestamp>,
        password_reset_id -> Nullable<Text>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        idle_expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        local_authority_id -> Nullable<Text>,
        second_factor -> Nullable<Text>,
    }
}

diesel::table! {
    factor_policies (local_authority_id) {
        local_authority_id -> Text,
        strong_for_staff -> Bool,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        credential_id -> Text,
        credential -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        locked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webauthn_ceremonies (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        challenge_id -> Nullable<Text>,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        user_id -> Text,
        local_authority_id -> Text,
        organisation_id -> Text,
        role -> Text,
        job_title -> Nullable<Text>,
        specialism -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        new_password_hash -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limit_events (id) {
        id -> Text,
        bucket -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::joinable!(organisations -> local_authorities (local_authority_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));

diesel::table! {
    teams (id) {
        id -> Text,
        local_authority_id -> Text,
        organisation_id -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    team_members (team_id, user_id) {
        team_id -> Text,
        user_id -> Text,
        team_role -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        local_authority_id -> Text,
        reference -> Text,
        given_name -> Text,
        family_name -> Text,
        date_of_birth -> Date,
        upn -> Nullable<Text>,
        nhs_number -> Nullable<Text>,
        uln -> Nullable<Text>,
        request_received_on -> Date,
        request_source -> Text,
        looked_after -> Bool,
        stage -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revision -> Integer,
    }
}

diesel::table! {
    case_participants (id) {
        id -> Text,
        case_id -> Text,
        user_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        pending_email -> Nullable<Text>,
        kind -> Text,
        added_by -> Text,
        added_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    advice_requests (id) {
        id -> Text,
        case_id -> Text,
        specialism -> Text,
        areas -> Text,
        addressee_user_id -> Nullable<Text>,
        addressee_team_id -> Nullable<Text>,
        assignee_user_id -> Nullable<Text>,
        cc -> Text,
        notes -> Nullable<Text>,
        requested_on -> Date,
        due_on -> Date,
        completed_on -> Nullable<Date>,
        status -> Text,
        requires_endorsement -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    advice (request_id) {
        request_id -> Text,
        content -> Text,
        status -> Text,
        revision -> Integer,
        author_id -> Nullable<Text>,
        status_reason -> Nullable<Text>,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
        editors -> Text,
    }
}

diesel::table! {
    advice_versions (request_id, version) {
        request_id -> Text,
        version -> Integer,
        content -> Text,
        submitted_by -> Text,
        submitted_at -> Timestamp,
        endorsed_by -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        acknowledged_findings -> Text,
    }
}

diesel::table! {
    advice_check_settings (local_authority_id, check_code) {
        local_authority_id -> Text,
        check_code -> Text,
        severity -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        request_id -> Text,
        uploaded_by -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        blob_key -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        virus_scan -> Text,
    }
}

diesel::table! {
    case_decisions (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        outcome -> Nullable<Text>,
        decided_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    case_exceptions (id) {
        id -> Text,
        case_id -> Text,
        advice_request_id -> Nullable<Text>,
        exception -> Text,
        reason -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        event -> Text,
        case_id -> Nullable<Text>,
        recipient_user_id -> Text,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        case_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    escalation_policies (organisation_id) {
        organisation_id -> Text,
        service_manager_user_id -> Nullable<Text>,
        service_manager_after_days -> Integer,
        head_of_service_user_id -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    request_alerts (id) {
        id -> Text,
        request_id -> Text,
        kind -> Text,
        raised_on -> Date,
        recipients -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    closure_periods (id) {
        id -> Text,
        local_authority_id -> Text,
        setting -> Text,
        first_closed_on -> Date,
        reopens_on -> Date,
        description -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    legal_holds (case_id) {
        case_id -> Text,
        reason -> Text,
        placed_by -> Text,
        placed_at -> Timestamp,
    }
}

diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(case_participants -> cases (case_id));
diesel::joinable!(advice_requests -> cases (case_id));
diesel::joinable!(advice -> advice_requests (request_id));
diesel::joinable!(documents -> advice_requests (request_id));

diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> local_authorities (local_authority_id));

diesel::allow_tables_to_appear_in_same_query!(
    factor_policies,
    passkeys,
    webauthn_ceremonies,
    advice_check_settings,
    memberships,
    local_authorities,
    organisations,
    users,
    invitations,
    mfa_challenges,
    recovery_codes,
    sessions,
    refresh_tokens,
    password_resets,
    rate_limit_events,
    teams,
    team_members,
    cases,
    case_participants,
    advice_requests,
    advice,
    advice_versions,
    documents,
    case_decisions,
    case_exceptions,
    notifications,
    audit_log,
    escalation_policies,
    request_alerts,
    closure_periods,
    legal_holds
);
