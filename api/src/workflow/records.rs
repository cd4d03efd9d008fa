//! The case's records as data protection sees them: its audit log (who read
//! or changed what) and legal holds (a held case is never purged).

use ehc_domain::access::Action;
use ehc_storage::audit::{self as store, AuditEntry};
use ehc_storage::casework::retention::{self, LegalHold};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::{require, visible_case};

/// Up to `limit` entries of the case after `after` (officers); reading the
/// log is itself recorded.
pub async fn case_audit(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, ApiError> {
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::ReadCaseAudit)?;
            // Entries committed but not yet linked are the case's history too.
            store::chain_pending(conn)?;
            let rows = store::entries_of_case(conn, &case.id, after, limit)?;
            audit::record(conn, &me, "audit.read", Some(&case.id), None)?;
            Ok(rows)
        })
        .await
}

/// Places (or replaces) the case's legal hold.
pub async fn place_hold(
    state: &AppState,
    me: AuthUser,
    case_id: String,
    reason: String,
) -> Result<LegalHold, ApiError> {
    let now = state.now();
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::PlaceLegalHold)?;
            let hold = LegalHold { case_id: case.id.clone(), reason, placed_by: me.user_id.clone(), placed_at: now };
            retention::place_hold(conn, &hold)?;
            audit::record(conn, &me, "legal_hold.place", Some(&case.id), None)?;
            Ok(hold)
        })
        .await
}

/// Lifts the case's legal hold; `NotFound` when there is none.
pub async fn lift_hold(state: &AppState, me: AuthUser, case_id: String) -> Result<(), ApiError> {
    state
        .tx(move |conn| {
            let case = visible_case(conn, &me, &case_id)?;
            require(&me, Action::PlaceLegalHold)?;
            if !retention::lift_hold(conn, &case.id)? {
                return Err(ApiError::NotFound);
            }
            audit::record(conn, &me, "legal_hold.lift", Some(&case.id), None)
        })
        .await
}
