//! The events partners are told about: recorded in the transaction of the
//! change (none for a change rolled back, none lost for one committed), and
//! read back from the feed in position order, as far as the reader may see.

use ehc_domain::access::{self, EventScope};
use ehc_domain::events::EventType;
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::AdviceRequest;
use ehc_storage::partners::events::{self, Event, Seen};
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

/// Records that `event_type` happened to the case (and its request, and
/// the record within it), in the caller's transaction.
pub fn record(
    conn: &mut DbConn,
    at: chrono::NaiveDateTime,
    event_type: EventType,
    case: &Case,
    request: Option<&AdviceRequest>,
    subject_id: Option<&str>,
) -> Result<(), ApiError> {
    events::insert(
        conn,
        Event {
            id: ehc_storage::new_id(),
            position: None,
            event_type,
            local_authority_id: case.local_authority_id.clone(),
            case_id: Some(case.id.clone()),
            case_reference: Some(case.reference.clone()),
            request_id: request.map(|r| r.id.clone()),
            subject_id: subject_id.map(str::to_owned),
            team_id: request.and_then(|r| r.addressee_team_id.clone()),
            occurred_at: at,
        },
    )?;
    Ok(())
}

/// The events after position `after` that the caller may see.
pub async fn feed(
    state: &crate::state::AppState,
    me: AuthUser,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, ApiError> {
    let organisation = me.client.as_ref().and_then(|c| c.organisation_id.clone());
    let scope = access::event_scope(me.role, organisation.is_some()).ok_or(ApiError::Forbidden(
        "The events feed is for the assessment team and partner systems; follow your own work in /me/requests.",
    ))?;
    // Positions first, in a transaction of their own, so this page sees
    // every change committed before it was asked for.
    state.tx(|conn| Ok(events::sequence(conn)?)).await?;
    state
        .tx(move |conn| {
            let council = me.local_authority_id.as_str();
            let seen = match (scope, organisation.as_deref()) {
                (EventScope::OrganisationInboxes, Some(organisation_id)) => {
                    Seen::OrganisationInboxes { council, organisation_id }
                }
                (EventScope::OrganisationInboxes, None) => return Ok(Vec::new()),
                (EventScope::WholeAuthority, _) => Seen::Council(council),
            };
            Ok(events::page(conn, seen, after, limit)?)
        })
        .await
}
