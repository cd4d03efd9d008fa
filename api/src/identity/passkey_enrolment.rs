//! Registering through an invitation with a passkey instead of a phone or
//! an app: the account waits (`pending_passkey`) until the authenticator's
//! answer is confirmed, which also issues the recovery codes, as for an app.

use ehc_domain::roles::AccountStatus;
use ehc_domain::second_factor::check_passkey_name;
use ehc_storage::identity::passkeys as store;
use ehc_storage::identity::users::{self, User};
use ehc_storage::identity::{challenges, recovery_codes};
use ehc_storage::{new_id, DbConn};
use serde_json::Value;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

use crate::error::ApiError;
use crate::identity::challenge::{self, check_failure, CodeCheck, PURPOSE_ENROL};
use crate::identity::passkeys::{ceremony, json, keep, parsed, relying_party};
use crate::identity::step;
use crate::security::secrets::new_recovery_codes;
use crate::state::AppState;
use crate::views::identity::PasskeyEnrolment;

pub const ENROL: &str = "enrol";

/// Checked before the account is created: the hub must be able to carry passkeys.
pub fn available(state: &AppState) -> Result<(), ApiError> {
    relying_party(state).map(|_| ())
}

/// Opens the enrolment of a just-created account: its challenge and the
/// creation options.
pub fn start(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    now: chrono::NaiveDateTime,
) -> Result<PasskeyEnrolment, ApiError> {
    let webauthn = relying_party(state)?;
    let started = challenge::start(conn, state, user, PURPOSE_ENROL, None, now)?;
    let handle = Uuid::parse_str(&user.id).map_err(ApiError::internal)?;
    let (options, registration) =
        webauthn.start_passkey_registration(handle, &user.email, &user.name, None).map_err(ApiError::internal)?;
    let id = new_id();
    store::start_ceremony(
        conn,
        &ceremony(&id, &user.id, ENROL, Some(started.challenge_id), json(&registration)?, now),
    )?;
    Ok(PasskeyEnrolment {
        mfa_token: started.mfa_token,
        ceremony_id: id,
        options: serde_json::to_value(options).map_err(ApiError::internal)?,
    })
}

/// Confirms the new account's passkey; the recovery codes, shown once.
pub async fn confirm(
    state: &AppState,
    mfa_token: String,
    ceremony_id: String,
    name: String,
    credential: Value,
) -> Result<Vec<String>, ApiError> {
    let webauthn = relying_party(state)?;
    let claims =
        step::step_claims(state, &mfa_token, &[PURPOSE_ENROL], None, "The step token is invalid or has expired.")?;
    let name = check_passkey_name(&name).map_err(|e| ApiError::Validation(vec![e]))?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(credential)
        .map_err(|_| ApiError::validation("/credential", "invalid", "is not a WebAuthn registration response"))?;
    let now = state.now();
    let (codes, hashes) = new_recovery_codes();
    let st = state.clone();
    state
        .tx(move |conn| {
            let Some((open, user)) = challenge::open_challenge(conn, &claims, now)? else {
                return Ok(Err(check_failure(CodeCheck::Unusable)));
            };
            if user.status != AccountStatus::PendingPasskey {
                return Ok(Err(ApiError::Conflict("There is no passkey waiting to be confirmed.".to_owned())));
            }
            let Some(taken) = store::take_ceremony(conn, &ceremony_id, &user.id, ENROL, now)? else {
                return Ok(Err(ApiError::Conflict("This passkey set-up has expired or was used.".to_owned())));
            };
            let registration: PasskeyRegistration = parsed(&taken.state)?;
            let Ok(passkey) = webauthn.finish_passkey_registration(&credential, &registration) else {
                return Ok(Err(check_failure(challenge::count_wrong(conn, &st, &open, &user, now)?)));
            };
            if !challenges::complete_challenge(conn, &open.id, now)? {
                return Ok(Err(check_failure(CodeCheck::Unusable)));
            }
            keep(conn, &user.id, name, &passkey, now)?;
            users::set_status(conn, &user.id, AccountStatus::Active)?;
            recovery_codes::replace_recovery_codes(conn, &user.id, &hashes)?;
            crate::audit::record_for_user(conn, now, &user.id, "passkey.register", None)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(codes)
}
