//! Correcting a child's or young person's details (assessment officers): the
//! same checks as when the case was opened, against the revision last read,
//! audited. The request date and its source are not details: they start the
//! statutory clock and are corrected by recording an exception instead.

use chrono::NaiveDate;
use ehc_domain::access::Action;
use ehc_domain::cases::{check_date_of_birth, clean_name};
use ehc_domain::field_error::FieldError;
use ehc_storage::casework::cases::{self, Case, CaseDetails};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};

/// What changes: an absent field stays as it is; `Some(None)` clears an
/// identifier.
#[derive(Debug, Default)]
pub struct Correction {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub upn: Option<Option<String>>,
    pub nhs_number: Option<Option<String>>,
    pub uln: Option<Option<String>>,
    pub looked_after: Option<bool>,
}

const STALE: &str = "The case changed since you read it: read it again, then correct it.";

/// What `If-Match` names: `*`, any current version (RFC 9110 §13.1.1), or
/// a revision (`None` when the tag is not one of a case's).
pub enum ReadRevision {
    Any,
    Named(Option<i32>),
}

pub async fn correct(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    read_revision: ReadRevision,
    change: Correction,
) -> Result<Case, ApiError> {
    let today = state.now().date();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::OpenCase)?;
            let mut errors = Vec::new();
            let mut name = |pointer: &str, new: Option<String>, old: &str| match new {
                Some(raw) => clean_name(pointer, &raw).map_err(|e| errors.push(e)).unwrap_or_default(),
                None => old.to_owned(),
            };
            let given_name = name("/given_name", change.given_name, &case.given_name);
            let family_name = name("/family_name", change.family_name, &case.family_name);
            let date_of_birth = change.date_of_birth.unwrap_or(case.date_of_birth);
            if date_of_birth > today {
                errors.push(FieldError::new("/date_of_birth", "in_future", "cannot be in the future"));
            } else if let Some(e) = check_date_of_birth(date_of_birth, case.request_received_on) {
                errors.push(e);
            }
            let nhs_number = change.nhs_number.unwrap_or(case.nhs_number.clone());
            if nhs_number.as_deref().is_some_and(|n| n.len() != 10 || !n.chars().all(|c| c.is_ascii_digit())) {
                errors.push(FieldError::new("/nhs_number", "invalid", "must be 10 digits"));
            }
            let upn = change.upn.unwrap_or(case.upn.clone());
            if upn.as_deref().is_some_and(|u| u.chars().count() != 13) {
                errors.push(FieldError::new("/upn", "invalid", "a UPN has 13 characters"));
            }
            let uln = change.uln.unwrap_or(case.uln.clone());
            if uln.as_deref().is_some_and(|u| u.len() != 10 || !u.chars().all(|c| c.is_ascii_digit())) {
                errors.push(FieldError::new("/uln", "invalid", "a ULN has 10 digits"));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            // Checked after the body, so a bad correction says what is wrong
            // with it whatever version it was made on.
            let current = match read_revision {
                ReadRevision::Any => true,
                ReadRevision::Named(revision) => revision == Some(case.revision),
            };
            if !current {
                return Err(ApiError::PreconditionFailed(STALE));
            }
            let details = CaseDetails {
                given_name: &given_name,
                family_name: &family_name,
                date_of_birth,
                upn: upn.as_deref(),
                nhs_number: nhs_number.as_deref(),
                uln: uln.as_deref(),
                looked_after: change.looked_after.unwrap_or(case.looked_after),
            };
            if !cases::correct_details(conn, &case.id, case.revision, &details)? {
                return Err(ApiError::PreconditionFailed(STALE));
            }
            audit::record(conn, &me, "case.correct", Some(&case.id), None)?;
            Ok(cases::case_by_id(conn, &case.id)?)
        })
        .await
}
