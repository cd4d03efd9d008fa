//! Advice as readers see it.

use actix_web::http::header::ETAG;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use ehc_domain::advice::quality::{Check, Finding, Severity};
use ehc_domain::advice::{AdviceContent, AdviceStatus};
use ehc_storage::casework::advice::{Advice, AdviceVersion};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// What a reader is shown of a request's advice.
pub enum Shown {
    /// The working copy, with its revision for `ETag`, and the quality
    /// checks' findings on it.
    Working(Advice, Vec<Finding>),
    /// The latest published version (and the working copy's revision).
    Published(AdviceVersion, Advice),
}

pub fn content_of(json: &str) -> Result<AdviceContent, ApiError> {
    serde_json::from_str(json).map_err(ApiError::internal)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceView {
    #[schema(format = Uuid)]
    pub request_id: String,
    /// Readers other than the author (and the endorser while it waits for
    /// them) see only published advice (`submitted`).
    pub status: AdviceStatus,
    pub content: AdviceContent,
    /// The published version shown, if this is published advice.
    pub version: Option<i32>,
    /// Why it was returned or released.
    pub status_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The quality checks on the working copy (docs/ADVICE_QUALITY.md): each
    /// error must be mended before submitting, each warning acknowledged.
    /// Empty for published advice.
    pub findings: Vec<Finding>,
}

/// The working copy's `ETag` is its revision; a published version's names
/// the version too, so a reader's cache changes when either does.
pub fn etag(revision: i32) -> String {
    format!("\"r{revision}\"")
}

/// The revision an `If-Match` names, if it names one.
pub fn revision_from(tag: &str) -> Option<i32> {
    tag.trim_matches('"').strip_prefix('r')?.parse().ok()
}

pub fn respond(shown: Shown) -> Result<HttpResponse, ApiError> {
    match shown {
        Shown::Working(a, findings) => {
            let view = AdviceView {
                request_id: a.request_id.clone(),
                status: a.status,
                content: content_of(&a.content)?,
                version: None,
                status_reason: a.status_reason.clone(),
                updated_at: a.updated_at.and_utc(),
                findings,
            };
            Ok(HttpResponse::Ok().insert_header((ETAG, etag(a.revision))).json(view))
        }
        Shown::Published(v, a) => {
            let view = AdviceView {
                request_id: v.request_id,
                status: AdviceStatus::Submitted,
                content: content_of(&v.content)?,
                version: Some(v.version),
                status_reason: None,
                updated_at: v.published_at.unwrap_or(v.submitted_at).and_utc(),
                findings: Vec::new(),
            };
            Ok(HttpResponse::Ok().insert_header((ETAG, format!("\"v{}-r{}\"", v.version, a.revision))).json(view))
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceVersionView {
    pub version: i32,
    pub submitted_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub endorsed: bool,
    pub content: AdviceContent,
    /// The warnings the author acknowledged when submitting this version.
    pub acknowledged_findings: Vec<Check>,
}

pub fn version_view(v: AdviceVersion) -> Result<AdviceVersionView, ApiError> {
    Ok(AdviceVersionView {
        version: v.version,
        submitted_at: v.submitted_at.and_utc(),
        published_at: v.published_at.map(|t| t.and_utc()),
        endorsed: v.endorsed_by.is_some(),
        content: content_of(&v.content)?,
        acknowledged_findings: serde_json::from_str(&v.acknowledged_findings).map_err(ApiError::internal)?,
    })
}

/// One check as the council has it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckSetting {
    pub check: Check,
    pub severity: Severity,
    pub default_severity: Severity,
    /// What the finding tells the author.
    pub message: &'static str,
}

/// What the quality checks find in the working copy.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceFindings {
    /// Errors to mend before submitting, warnings to acknowledge.
    pub findings: Vec<Finding>,
}
