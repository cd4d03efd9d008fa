//! Reports and letters uploaded with advice: who may add, read and remove
//! them, and the records kept. The bytes stream through the route (they
//! never sit in memory); these steps run before and after.

use chrono::NaiveDateTime;
use ehc_domain::access::{self, Action};
use ehc_domain::advice::RequestStatus;
use ehc_domain::events::EventType;
use ehc_storage::casework::advice as advice_store;
use ehc_storage::casework::documents::{self as store, Document};
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::DbConn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::partners::events;
use crate::state::AppState;
use crate::workflow::access::{facts_on, require_on, visible_request};
use crate::workflow::advice::advice_of;

/// The author, while the request is open and the advice can still change.
fn check_author_may_change(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<(), ApiError> {
    let advice = advice_of(conn, request)?;
    require_on(facts_on(conn, me, request, &advice, Action::WriteAdvice)?, Action::WriteAdvice)
        .map_err(|_| ApiError::Forbidden("Only the author of the advice adds or removes its documents."))?;
    if request.status != RequestStatus::Open {
        return Err(ApiError::Conflict(format!("The request is {}.", request.status)));
    }
    if !advice.status.editable() {
        return Err(ApiError::Conflict(
            "The advice is locked: its documents cannot change until it is released.".to_owned(),
        ));
    }
    Ok(())
}

/// Which of a request's documents the caller may read: whoever may read the
/// working copy sees every one; other participants those that were part of
/// a published version (uploaded before the latest publication).
pub enum DocumentAccess {
    All,
    UploadedBy(NaiveDateTime),
    None,
}

impl DocumentAccess {
    pub fn of(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<Self, ApiError> {
        if let Some(advice) = advice_store::advice_of(conn, &request.id)? {
            if access::decide(Action::ReadWorkingCopy, facts_on(conn, me, request, &advice, Action::ReadWorkingCopy)?)
                .is_ok()
            {
                return Ok(Self::All);
            }
        }
        let published =
            advice_store::versions(conn, &request.id, true)?.into_iter().filter_map(|v| v.published_at).max();
        Ok(published.map_or(Self::None, Self::UploadedBy))
    }

    pub fn allows(&self, document: &Document) -> bool {
        match self {
            Self::All => true,
            Self::UploadedBy(at) => document.created_at <= *at,
            Self::None => false,
        }
    }
}

/// The request an upload goes to, once the caller may add to it.
pub async fn upload_target(state: &AppState, me: AuthUser, request_id: String) -> Result<AdviceRequest, ApiError> {
    state
        .tx(move |conn| {
            let (request, _) = visible_request(conn, &me, &request_id)?;
            check_author_may_change(conn, &me, &request)?;
            Ok(request)
        })
        .await
}

/// Keeps the record of a stored upload, checking again: the advice may have
/// been submitted while the file streamed.
pub async fn record_upload(state: &AppState, me: AuthUser, document: Document) -> Result<(), ApiError> {
    state
        .tx(move |conn| {
            let request = requests::request_by_id(conn, &document.request_id)?;
            check_author_may_change(conn, &me, &request)?;
            store::insert_document(conn, &document)?;
            let case = ehc_storage::casework::cases::case_by_id(conn, &request.case_id)?;
            let at = document.created_at;
            events::record(conn, at, EventType::DocumentAdded, &case, Some(&request), Some(&document.id))?;
            audit::record(conn, &me, "document.upload", Some(&request.case_id), Some(&document.id))
        })
        .await
}

/// The document if the caller may read it, recording `action` in the audit log.
fn readable(conn: &mut DbConn, me: &AuthUser, id: &str, action: &str) -> Result<Document, ApiError> {
    let document = store::document_by_id(conn, id)?;
    let (request, case) = visible_request(conn, me, &document.request_id)?;
    if !DocumentAccess::of(conn, me, &request)?.allows(&document) {
        return Err(ApiError::NotFound);
    }
    audit::record(conn, me, action, Some(&case.id), Some(&document.id))?;
    Ok(document)
}

pub async fn read(state: &AppState, me: AuthUser, id: String, action: &'static str) -> Result<Document, ApiError> {
    state.tx(move |conn| readable(conn, &me, &id, action)).await
}

pub async fn list(state: &AppState, me: AuthUser, request_id: String) -> Result<Vec<Document>, ApiError> {
    state
        .tx(move |conn| {
            let (request, case) = visible_request(conn, &me, &request_id)?;
            let access = DocumentAccess::of(conn, &me, &request)?;
            let rows: Vec<Document> =
                store::documents_of_request(conn, &request.id)?.into_iter().filter(|d| access.allows(d)).collect();
            audit::record(conn, &me, "document.list", Some(&case.id), Some(&request.id))?;
            Ok(rows)
        })
        .await
}

/// Marks the document deleted and returns its blob key for the caller to
/// remove: the row goes first, so a failed blob delete leaves an orphan,
/// never a dangling row.
pub async fn delete(state: &AppState, me: AuthUser, id: String) -> Result<String, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let document = readable(conn, &me, &id, "document.delete")?;
            let request = requests::request_by_id(conn, &document.request_id)?;
            check_author_may_change(conn, &me, &request)?;
            store::mark_deleted(conn, &document.id, now)?;
            Ok(document.blob_key)
        })
        .await
}
