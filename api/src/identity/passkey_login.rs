//! The second step answered by a passkey: options for the browser, and
//! checking its answer, for a login (which then gets its tokens) or for the
//! fresh step before changing one's factors. A wrong, replayed or
//! foreign-origin answer counts as a wrong code; a counter that does not
//! move forward locks the passkey.

use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::challenges::Challenge;
use ehc_storage::identity::passkeys as store;
use ehc_storage::identity::users::User;
use ehc_storage::{new_id, rate_limits, DbConn};
use serde_json::Value;
use webauthn_rs::prelude::{Passkey, PasskeyAuthentication, PublicKeyCredential, WebauthnError};
use webauthn_rs::Webauthn;

use crate::audit;
use crate::error::ApiError;
use crate::identity::challenge::{
    self, check_failure, CodeCheck, PURPOSE_CHANGE_FACTOR, PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET,
};
use crate::identity::login::finish_second_step;
use crate::identity::passkeys::{
    ceremony, credential_id_of, json, parsed, relying_party, tell, usable_passkeys, LOGIN,
};
use crate::identity::session::TokenPair;
use crate::identity::step;
use crate::security::tokens::MfaStepClaims;
use crate::state::AppState;

fn login_claims(state: &AppState, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    step::step_claims(state, mfa_token, &step::LOGIN_PURPOSES, None, step::LOG_IN_AGAIN)
}

/// A step a passkey may answer: a login's (or a reset's), or the fresh step
/// before changing one's factors.
fn answerable_claims(state: &AppState, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    step::step_claims(
        state,
        mfa_token,
        &[PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET, PURPOSE_CHANGE_FACTOR],
        None,
        "The step token is invalid or has expired. Start again.",
    )
}

/// The browser's `navigator.credentials.get()` options for a login step.
pub async fn login_options(state: &AppState, mfa_token: String) -> Result<Value, ApiError> {
    let webauthn = relying_party(state)?;
    let claims = answerable_claims(state, &mfa_token)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let (open, user) = challenge::open_challenge(conn, &claims, now)?
                .ok_or(ApiError::Unauthorized("This login step has expired or was already used."))?;
            if challenge::second_step_locked(conn, &user, now)? {
                return Err(check_failure(CodeCheck::Wrong { locked: true }));
            }
            let passkeys: Vec<Passkey> = usable_passkeys(conn, &user)?.into_iter().map(|(_, p)| p).collect();
            if passkeys.is_empty() {
                return Err(ApiError::Conflict("This account has no passkey: use your code.".to_owned()));
            }
            let (options, authentication) =
                webauthn.start_passkey_authentication(&passkeys).map_err(ApiError::internal)?;
            let id = new_id();
            store::start_ceremony(conn, &ceremony(&id, &user.id, LOGIN, Some(open.id), json(&authentication)?, now))?;
            serde_json::to_value(options).map_err(ApiError::internal)
        })
        .await
}

/// The authenticator's answer for a login step: the session's tokens.
pub async fn login_verify(
    state: &AppState,
    client: String,
    mfa_token: String,
    credential: Value,
) -> Result<TokenPair, ApiError> {
    let webauthn = relying_party(state)?;
    let claims = login_claims(state, &mfa_token)?;
    let credential: PublicKeyCredential = serde_json::from_value(credential)
        .map_err(|_| ApiError::validation("/credential", "invalid", "is not a WebAuthn assertion"))?;
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            if let Some(retry_after_seconds) =
                rate_limits::hit(conn, &client, ehc_domain::otp_policy::AUTH_PER_CLIENT, now)?
            {
                return Ok(Err(ApiError::TooManyRequests { retry_after_seconds }));
            }
            if claims.purpose != PURPOSE_LOGIN && claims.purpose != PURPOSE_PASSWORD_RESET {
                return Ok(Err(ApiError::Unauthorized("This step is not a login: use it where it was opened.")));
            }
            let (open, user) = match prove_by_passkey(conn, &st, &webauthn, &claims, &credential, now)? {
                Ok(proven) => proven,
                Err(refused) => return Ok(Err(refused)),
            };
            finish_second_step(conn, &st, &open, &user, SecondFactor::Passkey, now)
        })
        .await?
}

/// Checks a passkey's answer to the open challenge `claims` names (and the
/// ceremony opened for it); the proven challenge and its user. Failures are
/// counted like wrong codes; the outer error rolls back, the inner is the
/// answer once the count commits.
pub(crate) fn prove_by_passkey(
    conn: &mut DbConn,
    st: &AppState,
    webauthn: &Webauthn,
    claims: &MfaStepClaims,
    credential: &PublicKeyCredential,
    now: chrono::NaiveDateTime,
) -> Result<Result<(Challenge, User), ApiError>, ApiError> {
    let Some((open, user)) = challenge::open_challenge(conn, claims, now)? else {
        return Ok(Err(check_failure(CodeCheck::Unusable)));
    };
    if challenge::second_step_locked(conn, &user, now)? {
        return Ok(Err(check_failure(CodeCheck::Wrong { locked: true })));
    }
    let Some(pending) = store::login_ceremony_of(conn, &open.id)? else {
        return Ok(Err(ApiError::Unauthorized("Ask for the passkey options of this login step first.")));
    };
    let Some(taken) = store::take_ceremony(conn, &pending.id, &user.id, LOGIN, now)? else {
        return Ok(Err(ApiError::Unauthorized("The passkey step has expired: ask for new options.")));
    };
    let authentication: PasskeyAuthentication = parsed(&taken.state)?;
    let result = match webauthn.finish_passkey_authentication(credential, &authentication) {
        Ok(result) => result,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            lock_cloned(conn, st, &user, &credential_id_of(&credential.raw_id)?, now)?;
            challenge::count_wrong(conn, st, &open, &user, now)?;
            return Ok(Err(ApiError::Unauthorized(
                "This passkey looks copied and was locked: use your code, and see the e-mail we sent.",
            )));
        }
        Err(_) => return Ok(Err(check_failure(challenge::count_wrong(conn, st, &open, &user, now)?))),
    };
    let credential_id = credential_id_of(result.cred_id())?;
    let Some((stored, mut passkey)) =
        usable_passkeys(conn, &user)?.into_iter().find(|(p, _)| p.credential_id == credential_id)
    else {
        return Ok(Err(check_failure(challenge::count_wrong(conn, st, &open, &user, now)?)));
    };
    passkey.update_credential(&result);
    store::record_use(conn, &stored.id, &json(&passkey)?, now)?;
    audit::record_for_user(conn, now, &user.id, "passkey.use", Some(&stored.id))?;
    if !ehc_storage::identity::challenges::complete_challenge(conn, &open.id, now)? {
        return Ok(Err(check_failure(CodeCheck::Unusable)));
    }
    Ok(Ok((open, user)))
}

/// A counter that did not move forward means two copies of the key: the
/// passkey is locked for good and its owner told.
fn lock_cloned(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    credential_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    if let Some(passkey) = store::by_credential_id(conn, credential_id)?.filter(|p| p.user_id == user.id) {
        store::lock(conn, &passkey.id, now)?;
        audit::record_for_user(conn, now, &user.id, "passkey.locked", Some(&passkey.id))?;
        tracing::warn!("a passkey's signature counter went backwards: the passkey was locked");
        tell(
            conn,
            state,
            &user.id,
            "One of your passkeys was used in a way that suggests it was copied, so it was locked.",
        )?;
    }
    Ok(())
}
