//! Subject-access export (UK GDPR art. 15): everything the hub holds about a
//! child or young person that the officer asking may read through the API,
//! gathered in one transaction as JSON files and the documents to fetch.

use ehc_domain::access::Action;
use ehc_storage::audit as audit_store;
use ehc_storage::casework::documents::{self as document_store, Document};
use ehc_storage::casework::{alerts, decisions, participants, requests, retention};
use serde::Serialize;
use serde_json::{json, Value};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::views::advice::version_view;
use crate::views::advice::{content_of, Shown};
use crate::views::cases::{decision_view, participant_view, CaseView};
use crate::views::documents::DocumentView;
use crate::workflow::access::{require, visible_case};
use crate::workflow::advice::{shown_to, versions_shown_to};
use crate::workflow::cases::timeline_of;
use crate::workflow::documents::DocumentAccess;
use crate::workflow::requests::views_of_case;

fn to_json(value: impl Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// The JSON files of the export, and the documents to fetch.
pub struct Gathered {
    pub reference: String,
    pub files: Vec<(String, Value)>,
    pub documents: Vec<Document>,
}

fn gather(
    conn: &mut ehc_storage::DbConn,
    me: &AuthUser,
    case_id: &str,
    today: chrono::NaiveDate,
) -> Result<Gathered, ApiError> {
    let case = visible_case(conn, me, case_id)?;
    require(me, Action::ExportCase)?;
    let mut files = Vec::new();
    let mut documents = Vec::new();
    files.push(("case.json".to_owned(), to_json(CaseView::from(case.clone()))?));
    let people: Vec<_> = participants::current_with_names(conn, &case.id)?.into_iter().map(participant_view).collect();
    files.push(("participants.json".to_owned(), to_json(people)?));
    let views = views_of_case(conn, me, &case.id)?;
    let request_ids: Vec<String> = views.iter().map(|v| v.id.clone()).collect();
    files.push(("advice_requests.json".to_owned(), to_json(views)?));
    // The same advice and documents the API gives this officer, no more.
    for request_id in &request_ids {
        let request = requests::request_by_id(conn, request_id)?;
        let working = match shown_to(conn, me, &request) {
            Ok(Shown::Working(a, _)) => json!({"status": a.status, "status_reason": a.status_reason,
                "content": content_of(&a.content)?, "updated_at": a.updated_at.and_utc()}),
            Ok(Shown::Published(..)) | Err(ApiError::NotFound) => Value::Null,
            Err(e) => return Err(e),
        };
        let versions: Result<Vec<_>, _> =
            versions_shown_to(conn, me, &request)?.into_iter().map(version_view).collect();
        files.push((
            format!("advice/{request_id}.json"),
            json!({"request_id": request_id, "working_copy": working, "versions": versions?}),
        ));
        let access = DocumentAccess::of(conn, me, &request)?;
        documents
            .extend(document_store::documents_of_request(conn, request_id)?.into_iter().filter(|d| access.allows(d)));
    }
    files.push((
        "documents.json".to_owned(),
        to_json(documents.iter().cloned().map(DocumentView::from).collect::<Vec<_>>())?,
    ));
    let decided: Vec<_> =
        decisions::decisions_of_case(conn, &case.id)?.into_iter().map(|d| decision_view(d, None)).collect();
    files.push(("decisions.json".to_owned(), to_json(decided)?));
    let exceptions: Vec<Value> = decisions::exceptions_of_case(conn, &case.id)?
        .into_iter()
        .map(|e| json!({"id": e.id, "exception": e.exception, "advice_request_id": e.advice_request_id, "reason": e.reason, "starts_on": e.starts_on, "ends_on": e.ends_on, "recorded_at": e.recorded_at.and_utc()}))
        .collect();
    files.push(("exceptions.json".to_owned(), Value::Array(exceptions)));
    let notices: Vec<Value> = ehc_storage::notifications::of_case(conn, &case.id)?
        .into_iter()
        .map(|(event, recipient, subject, body, created, sent)| json!({"event": event, "recipient_user_id": recipient, "subject": subject, "body": body, "created_at": created.and_utc(), "sent_at": sent.map(|t| t.and_utc())}))
        .collect();
    files.push(("notifications.json".to_owned(), Value::Array(notices)));
    let hold =
        retention::hold_of(conn, &case.id)?.map(|h| json!({"reason": h.reason, "placed_at": h.placed_at.and_utc()}));
    files.push(("legal_hold.json".to_owned(), hold.unwrap_or(Value::Null)));
    let alerts_raised = alerts::alerts_of(conn, &request_ids)?.len();
    let reference = case.reference.clone();
    files.push(("timeline.json".to_owned(), to_json(timeline_of(conn, case.clone(), today)?)?));
    let mut history = Vec::new();
    let mut after = 0;
    audit_store::chain_pending(conn)?;
    loop {
        let page = audit_store::entries_of_case(conn, &case.id, after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        history.extend(page.into_iter().map(|e| json!({"seq": e.seq, "at": e.at.and_utc(), "actor_user_id": e.actor_user_id, "action": e.action, "subject_id": e.subject_id, "request_id": e.request_id})));
    }
    files.push(("audit.json".to_owned(), Value::Array(history)));
    files.push((
        "README.txt".to_owned(),
        Value::String(format!(
            "Everything the EHC hub holds about case {reference}: the child or young person (case.json), who takes part (participants.json), \
             the requests for advice with their {alerts_raised} reminders and escalations (advice_requests.json), every version of the advice \
             (advice/), the uploaded documents (documents/), decisions, exceptions, the statutory timeline, any legal hold, what the hub told \
             people about the case (notifications.json), and who read or changed it (audit.json).\n"
        )),
    ));
    audit::record(conn, me, "case.export", Some(&case.id), None)?;
    Ok(Gathered { reference, files, documents })
}

pub async fn case_export(state: &crate::state::AppState, me: AuthUser, case_id: String) -> Result<Gathered, ApiError> {
    let today = state.now().date();
    state.tx(move |conn| gather(conn, &me, &case_id, today)).await
}
