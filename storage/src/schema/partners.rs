//! Partner IT systems: API clients, their secrets and assertions, the
//! stored answers behind Idempotency-Key, and the events feed.

diesel::table! {
    api_clients (id) {
        id -> Text,
        local_authority_id -> Text,
        organisation_id -> Nullable<Text>,
        name -> Text,
        contact_email -> Text,
        scopes -> Text,
        public_jwk -> Nullable<Text>,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_client_secrets (id) {
        id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    client_assertions (client_id, jti_hash) {
        client_id -> Text,
        jti_hash -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (principal_id, idempotency_key) {
        principal_id -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        status_code -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        position -> Nullable<BigInt>,
        event_type -> Text,
        local_authority_id -> Text,
        case_id -> Nullable<Text>,
        case_reference -> Nullable<Text>,
        request_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        client_id -> Text,
        url -> Text,
        event_types -> Text,
        secret_ciphertext -> Binary,
        previous_secret_ciphertext -> Nullable<Binary>,
        previous_secret_until -> Nullable<Timestamp>,
        status -> Text,
        failing_since -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        claimed_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}
