//! Councils, organisations, accounts and everything a login needs.

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
