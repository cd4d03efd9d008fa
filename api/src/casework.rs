//! Who may see and do what on a case, from the caller's identity and the
//! case's participants (need-to-know, seed 004 §7.8). Anything a caller may
//! not see is reported as "not found".

use ehc_domain::roles::Role;
use ehc_storage::casework::cases::{self, Case, Viewer};
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::casework::teams::{self, TEAM_COORDINATOR, TEAM_MANAGER};
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

pub fn viewer(me: &AuthUser) -> Viewer {
    Viewer {
        user_id: me.user_id.clone(),
        local_authority_id: me.local_authority_id.clone(),
        is_officer: me.role == Role::AssessmentOfficer,
    }
}

pub fn require_officer(me: &AuthUser) -> Result<(), ApiError> {
    me.require(me.role == Role::AssessmentOfficer, "Only the assessment team may do this.")
}

pub fn visible_case(conn: &mut DbConn, me: &AuthUser, case_id: &str) -> Result<Case, ApiError> {
    Ok(cases::visible_case(conn, &viewer(me), case_id)?)
}

/// A request and its case, if the caller may see the case.
pub fn visible_request(conn: &mut DbConn, me: &AuthUser, request_id: &str) -> Result<(AdviceRequest, Case), ApiError> {
    let request = requests::request_by_id(conn, request_id)?;
    let case = visible_case(conn, me, &request.case_id)?;
    Ok((request, case))
}

/// Who writes the advice: the addressee, or the practitioner a team inbox's
/// coordinator assigned.
pub fn author_of(request: &AdviceRequest) -> Option<&str> {
    request.addressee_user_id.as_deref().or(request.assignee_user_id.as_deref())
}

/// Coordinates the team inbox the request is addressed to.
pub fn coordinates(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<bool, ApiError> {
    match &request.addressee_team_id {
        Some(team) => Ok(teams::has_role(conn, team, &me.user_id, TEAM_COORDINATOR)?),
        None => Ok(false),
    }
}

/// May endorse (or return) the author's advice: a manager of a team the
/// author belongs to, or of the team the request is addressed to.
pub fn may_endorse(conn: &mut DbConn, me: &AuthUser, request: &AdviceRequest) -> Result<bool, ApiError> {
    if let Some(team) = &request.addressee_team_id {
        if teams::has_role(conn, team, &me.user_id, TEAM_MANAGER)? {
            return Ok(true);
        }
    }
    match author_of(request) {
        Some(author) => Ok(teams::manages(conn, &me.user_id, author)?),
        None => Ok(false),
    }
}
