//! Subject-access export (UK GDPR art. 15): everything the hub holds about a
//! child or young person, as a zip of JSON files and the uploaded documents.
//! The zip is assembled in an unlinked temporary file, so nothing of it is
//! left on disk once the response ends, even if the server stops mid-way.

use std::io::{Seek, SeekFrom, Write};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use ehc_storage::audit as audit_store;
use ehc_storage::casework::documents::{self as document_store, Document};
use ehc_storage::casework::{advice as advice_store, alerts, decisions, participants, requests, retention};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use crate::audit;
use crate::auth::AuthUser;
use crate::casework::{require_officer, visible_case};
use crate::error::{ApiError, ApiResult, Problem};
use crate::routes::advice::{content_of, version_view};
use crate::routes::advice_requests::{view as request_view, with_alerts};
use crate::routes::cases::CaseView;
use crate::routes::decisions::{timeline_of, view as decision_view};
use crate::routes::documents::DocumentView;
use crate::state::AppState;

/// The JSON files of the export, and the documents to fetch.
struct Gathered {
    reference: String,
    files: Vec<(String, Value)>,
    documents: Vec<Document>,
}

fn to_json(value: impl Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

fn gather(
    conn: &mut ehc_storage::DbConn,
    me: &AuthUser,
    case_id: &str,
    today: chrono::NaiveDate,
) -> Result<Gathered, ApiError> {
    let case = visible_case(conn, me, case_id)?;
    require_officer(me)?;
    let mut files = Vec::new();
    let mut documents = Vec::new();
    files.push(("case.json".to_owned(), to_json(CaseView::from(case.clone()))?));
    let people: Vec<_> =
        participants::current_with_names(conn, &case.id)?.into_iter().map(crate::routes::participants::view).collect();
    files.push(("participants.json".to_owned(), to_json(people)?));
    let request_rows = requests::requests_of_case(conn, &case.id)?;
    let request_ids: Vec<String> = request_rows.iter().map(|r| r.request.id.clone()).collect();
    let views = with_alerts(conn, request_rows.into_iter().map(|r| request_view(r, &[], &me.user_id)).collect())?;
    files.push(("advice_requests.json".to_owned(), to_json(views)?));
    for request_id in &request_ids {
        let working = advice_store::advice_of(conn, request_id)?;
        let versions: Result<Vec<_>, _> =
            advice_store::versions(conn, request_id, false)?.into_iter().map(version_view).collect();
        let working = match working {
            Some(a) => {
                json!({"status": a.status, "status_reason": a.status_reason, "content": content_of(&a.content)?, "updated_at": a.updated_at.and_utc()})
            }
            None => Value::Null,
        };
        files.push((
            format!("advice/{request_id}.json"),
            json!({"request_id": request_id, "working_copy": working, "versions": versions?}),
        ));
        documents.extend(document_store::documents_of_request(conn, request_id)?);
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

/// A temporary file that is already unlinked: it disappears when closed.
fn anonymous_file() -> Result<std::fs::File, ApiError> {
    let path = std::env::temp_dir().join(format!("ehc-export-{}.zip", uuid::Uuid::new_v4()));
    let file =
        std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path).map_err(ApiError::internal)?;
    std::fs::remove_file(&path).map_err(ApiError::internal)?;
    Ok(file)
}

fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

/// Everything held about the child or young person, as a zip (officers).
#[utoipa::path(tag = "audit", operation_id = "exportCase", security(("bearer" = [])), params(("id" = String, Path)), responses(
    (status = 200, content_type = "application/zip", description = "case.json, participants.json, advice_requests.json, advice/, documents/, decisions.json, exceptions.json, timeline.json, legal_hold.json, notifications.json, audit.json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json")))]
#[get("/cases/{id}/export")]
pub async fn export_case(state: web::Data<AppState>, me: AuthUser, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let case_id = path.into_inner();
    let today = state.now().date();
    let gathered = state.tx(move |conn| gather(conn, &me, &case_id, today)).await?;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(anonymous_file()?);
    for (name, value) in &gathered.files {
        zip.start_file(name.as_str(), options).map_err(ApiError::internal)?;
        let bytes = match value {
            Value::String(text) if name.ends_with(".txt") => text.clone().into_bytes(),
            other => serde_json::to_vec_pretty(other).map_err(ApiError::internal)?,
        };
        zip.write_all(&bytes).map_err(ApiError::internal)?;
    }
    for document in &gathered.documents {
        let name = format!("documents/{}/{}-{}", document.request_id, document.id, safe_name(&document.file_name));
        zip.start_file(name, options).map_err(ApiError::internal)?;
        let mut stream = state.blobs.get(&document.blob_key).await.map_err(|e| ApiError::Unavailable(e.to_string()))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| ApiError::Unavailable(e.to_string()))?;
            zip.write_all(&chunk).map_err(ApiError::internal)?;
        }
    }
    let mut file = zip.finish().map_err(ApiError::internal)?;
    let size = file.seek(SeekFrom::End(0)).map_err(ApiError::internal)?;
    file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
    let reader = tokio::fs::File::from_std(file);
    let body = futures_util::stream::unfold(reader, |mut reader| async move {
        let mut buffer = vec![0u8; 64 * 1024];
        match reader.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buffer)), reader))
            }
            Err(e) => Some((Err(e), reader)),
        }
    });
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("{}.zip", gathered.reference))],
    };
    Ok(HttpResponse::Ok().content_type("application/zip").insert_header(disposition).no_chunking(size).streaming(body))
}
