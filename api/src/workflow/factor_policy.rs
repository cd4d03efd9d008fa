//! The council's rule for its staff's second step (administrators): when
//! on, administrators and officers must log in with a passkey or an
//! authenticator app; a session opened by SMS or voice may only add one.

use ehc_domain::access::Action;
use ehc_storage::identity::factor_policies;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;
use crate::workflow::access::require;

pub async fn read(state: &AppState, me: AuthUser) -> Result<bool, ApiError> {
    require(&me, Action::ManageUsers)?;
    state.tx(move |conn| Ok(factor_policies::strong_for_staff(conn, &me.local_authority_id)?)).await
}

pub async fn set(state: &AppState, me: AuthUser, strong_for_staff: bool) -> Result<bool, ApiError> {
    require(&me, Action::ManageUsers)?;
    let now = state.now();
    state
        .tx(move |conn| {
            factor_policies::set_strong_for_staff(conn, &me.local_authority_id, strong_for_staff, &me.user_id, now)?;
            audit::record(conn, &me, "factor_policy.set", None, None)?;
            Ok(strong_for_staff)
        })
        .await
}
