//! Adding people to a case: an officer adds them directly, and a request for
//! advice adds its addressee and the people copied in.

use chrono::NaiveDateTime;
use ehc_domain::cases::ParticipantKind;
use ehc_domain::roles::Role;
use ehc_storage::casework::participants::{self, Participant, Who};
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::users;
use ehc_storage::DbConn;

use crate::auth::AuthUser;
use crate::error::ApiError;

/// Adds a user of the caller's authority to a case; `None` when there is no
/// such user there (the caller names the field). Database errors stay errors.
pub fn add_user(
    conn: &mut DbConn,
    me: &AuthUser,
    case_id: &str,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<Option<Participant>, ApiError> {
    let Some(user) = users::user_in_local_authority(conn, &me.local_authority_id, user_id).optional()? else {
        return Ok(None);
    };
    let kind = ParticipantKind::for_role(Role::parse(&user.role));
    Ok(Some(participants::add_participant(conn, case_id, Who::User(&user.id), kind, &me.user_id, now)?))
}

/// The error for a user id that names nobody of the caller's authority.
pub fn unknown_user(pointer: &str) -> ApiError {
    ApiError::validation(pointer, "unknown", "is not a user of your local authority")
}
