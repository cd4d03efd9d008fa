//! The events partners are told about: recorded in the transaction of the
//! change (none for a change rolled back, none lost for one committed), and
//! read back from the feed in position order, as far as the reader may see.

use ehc_domain::access::{self, EventScope};
use ehc_domain::events::EventType;
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::AdviceRequest;
use std::collections::HashMap;

use ehc_storage::casework::teams;
use ehc_storage::partners::events::{self, Event, Seen};
use ehc_storage::partners::webhooks::{self, Delivery, Endpoint};
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

/// How long the feed keeps an event (at least 30 days, as partners are told).
pub const KEPT_DAYS: i64 = 90;

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

/// Gives committed events their positions and queues, in the same
/// transaction, one webhook delivery per endpoint that takes the event's
/// type and whose client may see it: none lost, none for a change rolled back.
pub fn sequence_and_fan_out(conn: &mut DbConn, now: chrono::NaiveDateTime) -> Result<usize, ApiError> {
    let positioned = events::sequence(conn)?;
    let mut endpoints_of: HashMap<String, Vec<(Endpoint, Option<String>)>> = HashMap::new();
    let mut inboxes_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut deliveries = Vec::new();
    for event in &positioned {
        if !endpoints_of.contains_key(&event.local_authority_id) {
            let found = webhooks::enabled_endpoints_of_council(conn, &event.local_authority_id)?;
            endpoints_of.insert(event.local_authority_id.clone(), found);
        }
        let endpoints = endpoints_of.get(&event.local_authority_id).map(Vec::as_slice).unwrap_or_default();
        for (endpoint, organisation) in endpoints {
            if !endpoint.event_types.split(' ').any(|t| t == event.event_type.code()) {
                continue;
            }
            let own_inbox = match organisation {
                Some(organisation) => {
                    if !inboxes_of.contains_key(organisation) {
                        inboxes_of.insert(organisation.clone(), teams::ids_of_organisation(conn, organisation)?);
                    }
                    let inboxes = inboxes_of.get(organisation).map(Vec::as_slice).unwrap_or_default();
                    event.team_id.as_ref().is_some_and(|t| inboxes.contains(t))
                }
                None => false,
            };
            let scope =
                if organisation.is_some() { EventScope::OrganisationInboxes } else { EventScope::WholeAuthority };
            if access::sees_event(scope, own_inbox) {
                deliveries.push(Delivery::due(&endpoint.id, &event.id, now));
            }
        }
    }
    let queued = deliveries.len();
    webhooks::insert_deliveries(conn, deliveries)?;
    Ok(queued)
}

/// The events after position `after` that the caller may see.
pub async fn feed(
    state: &crate::state::AppState,
    me: AuthUser,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, ApiError> {
    let organisation = me.client_organisation().map(str::to_owned);
    let scope = access::event_scope(me.role, organisation.is_some()).ok_or(ApiError::Forbidden(
        "The events feed is for the assessment team and partner systems; follow your own work in /me/requests.",
    ))?;
    // Positions first, in a transaction of their own, so this page sees
    // every change committed before it was asked for.
    let now = state.now();
    state.tx(move |conn| sequence_and_fan_out(conn, now)).await?;
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
