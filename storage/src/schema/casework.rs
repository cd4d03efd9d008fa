//! Cases, their requests, advice, documents and decisions, and the
//! records kept about them (audit, alerts, notifications, holds).

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
    audit_pending (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        case_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
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

diesel::table! {
    plans (id) {
        id -> Text,
        case_id -> Text,
        status -> Text,
        revision -> Integer,
        content -> Text,
        draft_issued_on -> Nullable<Date>,
        final_issued_on -> Nullable<Date>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_versions (plan_id, version) {
        plan_id -> Text,
        version -> Integer,
        stage -> Text,
        content -> Text,
        issued_on -> Date,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    case_step_alerts (case_id, step, kind, due_on) {
        case_id -> Text,
        step -> Text,
        kind -> Text,
        due_on -> Date,
        raised_on -> Date,
    }
}

diesel::table! {
    plan_representations (id) {
        id -> Text,
        plan_id -> Text,
        author_id -> Text,
        made_on -> Date,
        within_period -> Bool,
        body -> Text,
        requested_institution -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_consultations (id) {
        id -> Text,
        plan_id -> Text,
        institution -> Text,
        consulted_on -> Date,
        response -> Text,
        responded_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    review_meetings (case_id) {
        case_id -> Text,
        meeting_on -> Date,
        notice_given_on -> Date,
        circulated_on -> Nullable<Date>,
        arranged_by -> Text,
        arranged_at -> Timestamp,
    }
}

diesel::table! {
    plan_ceasings (case_id) {
        case_id -> Text,
        decided_on -> Date,
        reason -> Text,
        details -> Nullable<Text>,
        notice_sent_on -> Date,
        ceases_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    phase_transfers (case_id) {
        case_id -> Text,
        kind -> Text,
        transfer_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}
