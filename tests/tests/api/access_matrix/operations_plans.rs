//! The plan's operations as the matrix calls them: the case it is on, a
//! plan id no plan has, and its review cycle.

use reqwest::Method;
use serde_json::json;

use super::operations::{row, Row, NONE};

pub fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        row("startPlan", M::POST, "/api/v1/cases/{case}/plans", Some(json!({})), NONE),
        row(
            "setPhaseTransfer",
            M::PUT,
            "/api/v1/cases/{case}/phase-transfer",
            Some(json!({"kind": "school_phase", "transfer_on": "2027-09-01"})),
            NONE,
        ),
        row(
            "arrangeReviewMeeting",
            M::PUT,
            "/api/v1/cases/{case}/review-meeting",
            Some(json!({"meeting_on": "2026-12-20"})),
            NONE,
        ),
        row("circulateReviewAdvice", M::POST, "/api/v1/cases/{case}/review-meeting/circulation", Some(json!({})), NONE),
        row(
            "ceasePlan",
            M::POST,
            "/api/v1/cases/{case}/cease",
            Some(json!({"reason": "moved_abroad", "decided_on": "2026-11-20"})),
            NONE,
        ),
        row("getPlan", M::GET, "/api/v1/plans/0190a000-0000-7000-8000-000000000005", None, NONE),
        row("editPlan", M::PUT, "/api/v1/plans/0190a000-0000-7000-8000-000000000005", Some(json!({})), NONE),
        row(
            "issuePlan",
            M::POST,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/issue",
            Some(json!({"stage": "draft", "issued_on": "2026-11-20"})),
            NONE,
        ),
        row("planDocument", M::GET, "/api/v1/plans/0190a000-0000-7000-8000-000000000005/document", None, NONE),
        row(
            "makeRepresentations",
            M::POST,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/representations",
            Some(json!({"body": "A view."})),
            NONE,
        ),
        row(
            "listRepresentations",
            M::GET,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/representations",
            None,
            NONE,
        ),
        row(
            "consultInstitution",
            M::POST,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/consultations",
            Some(json!({"institution": "Oakfield", "consulted_on": "2026-11-20"})),
            NONE,
        ),
        row(
            "listConsultations",
            M::GET,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/consultations",
            None,
            NONE,
        ),
        row(
            "answerConsultation",
            M::PUT,
            "/api/v1/plans/0190a000-0000-7000-8000-000000000005/consultations/0190a000-0000-7000-8000-000000000006",
            Some(json!({"response": "awaited"})),
            NONE,
        ),
    ]
}
