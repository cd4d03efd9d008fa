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
