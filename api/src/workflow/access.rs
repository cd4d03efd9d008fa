//! The access model (`ehc_domain::access`) applied to what storage holds:
//! gathers the facts of one case or request for the caller, asks the model,
//! and turns its verdict into the API's answer. Anything a caller may not see
//! is reported as "not found" (need-to-know, seed 004 §7.8).

use ehc_domain::access::{self, Action, Facts, RequestLink, Standing};
use ehc_storage::casework::advice::Advice;
use ehc_storage::casework::cases::{self, Case, Viewer};
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::casework::{participants, teams};
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

pub fn viewer(me: &AuthUser) -> Viewer {
    Viewer {
        user_id: me.user_id.clone(),
        local_authority_id: me.local_authority_id.clone(),
        scope: access::case_scope(me.role),
        inboxes_of: me.client_organisation().map(str::to_owned),
    }
}

/// The team inboxes the caller takes part through: a person's own, or every
/// inbox of an organisation's partner system's organisation.
pub fn team_ids_of(conn: &mut DbConn, me: &AuthUser) -> Result<Vec<String>, ApiError> {
    match me.client_organisation() {
        Some(organisation) => Ok(teams::ids_of_organisation(conn, organisation)?),
        None => Ok(teams::memberships(conn, &me.user_id)?.into_iter().map(|(t, _)| t).collect()),
    }
}

/// The model's verdict on an action that depends on the caller's role only.
pub fn require(me: &AuthUser, action: Action) -> Result<(), ApiError> {
    access::decide(action, Facts::of(me.role)).map_err(|denied| ApiError::Forbidden(denied.0))
}

/// The model's verdict on an action on a request's advice.
pub fn require_on(facts: Facts, action: Action) -> Result<(), ApiError> {
    access::decide(action, facts).map_err(|denied| ApiError::Forbidden(denied.0))
}

pub fn visible_case(conn: &mut DbConn, me: &AuthUser, case_id: &str) -> Result<Case, ApiError> {
    Ok(cases::visible_case(conn, &viewer(me), case_id)?)
}

/// A request and its case, if the caller may see the case and reaches the
/// request (a team role reaches only its team's requests).
pub fn visible_request(conn: &mut DbConn, me: &AuthUser, request_id: &str) -> Result<(AdviceRequest, Case), ApiError> {
    let request = requests::request_by_id(conn, request_id)?;
    let case = visible_case(conn, me, &request.case_id)?;
    if !reaches(conn, me, &request, &mut None)? {
        return Err(ApiError::NotFound);
    }
    Ok((request, case))
}

/// Whether the caller reaches one request of a case they see.
/// `in_person` caches whether they are on the case in their own name, for
/// a caller checking every request of one case.
pub fn reaches(
    conn: &mut DbConn,
    me: &AuthUser,
    request: &AdviceRequest,
    in_person: &mut Option<bool>,
) -> Result<bool, ApiError> {
    if access::case_scope(me.role) == access::CaseScope::WholeAuthority {
        return Ok(true);
    }
    let named = request.author() == Some(me.user_id.as_str())
        || request.created_by == me.user_id
        || request.cc().contains(&me.user_id);
    if named {
        return Ok(true);
    }
    let on_case_in_person = match *in_person {
        Some(known) => known,
        None => {
            let known = participants::takes_part_in_person(conn, &request.case_id, &me.user_id)?;
            *in_person = Some(known);
            known
        }
    };
    let link = if on_case_in_person {
        RequestLink { on_case_in_person, ..RequestLink::default() }
    } else {
        let in_addressed_team = match request.addressee_team_id.as_deref() {
            Some(team) => team_ids_of(conn, me)?.iter().any(|t| t == team),
            None => false,
        };
        let manages_author =
            teams::team_standing(conn, &me.user_id, request.addressee_team_id.as_deref(), request.author())?.manages;
        RequestLink { on_case_in_person, named, in_addressed_team, manages_author }
    };
    Ok(access::reaches_request(me.role, link))
}

/// How `user_id` stands to the request and its advice.
pub fn standing_of(
    conn: &mut DbConn,
    user_id: &str,
    request: &AdviceRequest,
    advice: Option<&Advice>,
) -> Result<Standing, ApiError> {
    let standing = own_standing(user_id, request, advice);
    with_teams(conn, user_id, request, standing)
}

/// The standing that needs no lookup: author, and last to change it.
fn own_standing(user_id: &str, request: &AdviceRequest, advice: Option<&Advice>) -> Standing {
    Standing {
        author: request.author() == Some(user_id),
        edited: advice.is_some_and(|a| a.edited_by(user_id)),
        manages: false,
        coordinates: false,
    }
}

fn with_teams(conn: &mut DbConn, user_id: &str, request: &AdviceRequest, own: Standing) -> Result<Standing, ApiError> {
    let teams = teams::team_standing(conn, user_id, request.addressee_team_id.as_deref(), request.author())?;
    Ok(Standing { manages: teams.manages, coordinates: teams.coordinates, ..own })
}

/// The facts the model judges the caller on for `action` on this request's
/// advice; team roles are looked up only when the verdict can depend on them.
pub fn facts_on(
    conn: &mut DbConn,
    me: &AuthUser,
    request: &AdviceRequest,
    advice: &Advice,
    action: Action,
) -> Result<Facts, ApiError> {
    let own = Facts::on_advice(me.role, own_standing(&me.user_id, request, Some(advice)), advice.status);
    if !access::depends_on_teams(action, own) {
        return Ok(own);
    }
    Ok(Facts { standing: with_teams(conn, &me.user_id, request, own.standing)?, ..own })
}
