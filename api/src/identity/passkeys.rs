//! Passkeys (WebAuthn) as a second step: registered after a fresh second
//! step, listed and removed (their use at login is `passkey_login`). The
//! ceremony state lives in the database (`webauthn_ceremonies`, five
//! minutes), so any instance finishes what another started.

use chrono::Duration;
use ehc_domain::messages;
use ehc_domain::second_factor::{check_passkey_name, SecondFactor};
use ehc_storage::identity::passkeys::{self as store, Ceremony, StoredPasskey};
use ehc_storage::identity::users::User;
use ehc_storage::{new_id, DbConn};
use serde_json::Value;
use webauthn_rs::prelude::{Passkey, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Uuid};
use webauthn_rs::Webauthn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::identity::challenge::{self, PURPOSE_CHANGE_FACTOR};
use crate::identity::passkey_login;
use crate::identity::step;
use crate::security::tokens::MfaStepClaims;
use crate::state::AppState;
use crate::views::identity::PasskeyView;
use crate::workflow::case_events::{queue, Notice};

const CEREMONY_MINUTES: i64 = 5;
const REGISTER: &str = "register";
pub(crate) const LOGIN: &str = "login";

pub(crate) fn relying_party(state: &AppState) -> Result<std::sync::Arc<Webauthn>, ApiError> {
    state.webauthn.clone().ok_or_else(|| {
        ApiError::Conflict("Passkeys need the hub's public address (EHC_PUBLIC_URL) to be a domain name.".to_owned())
    })
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

pub(crate) fn parsed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

/// The credential id WebAuthn names (base64url), for lookups.
pub(crate) fn credential_id_of(value: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_value(value)
        .map_err(ApiError::internal)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::internal("credential id is not a string"))
}

pub(crate) fn tell(conn: &mut DbConn, state: &AppState, user_id: &str, what: &str) -> Result<(), ApiError> {
    let text = messages::passkey_changed_email(&state.service_name, what, &state.public_url);
    queue(conn, state, Notice { event: "account.passkeys_changed", case_id: None, text }, vec![user_id.to_owned()], "")
}

fn fresh_claims(state: &AppState, me: &AuthUser, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    step::step_claims(
        state,
        mfa_token,
        &[PURPOSE_CHANGE_FACTOR],
        Some(&me.user_id),
        "The step token is invalid or has expired: start again.",
    )
}

/// The browser's `navigator.credentials.create()` options, after a fresh
/// second step (`POST /api/v1/me/second-factor/challenge`, then its code).
pub async fn registration_options(
    state: &AppState,
    me: AuthUser,
    mfa_token: String,
    proof: Proof,
) -> Result<(String, Value), ApiError> {
    let webauthn = relying_party(state)?;
    let claims = fresh_claims(state, &me, &mfa_token)?;
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let user = match prove_fresh(conn, &st, &claims, &proof, now)? {
                Ok(user) => user,
                Err(refused) => return Ok(Err(refused)),
            };
            let existing: Vec<Passkey> =
                store::of_user(conn, &user.id)?.iter().map(|p| parsed(&p.credential)).collect::<Result<_, _>>()?;
            let exclude = existing.iter().map(|p| p.cred_id().clone()).collect();
            let handle = Uuid::parse_str(&user.id).map_err(ApiError::internal)?;
            let (options, registration) = webauthn
                .start_passkey_registration(handle, &user.email, &user.name, Some(exclude))
                .map_err(ApiError::internal)?;
            let id = new_id();
            store::start_ceremony(conn, &ceremony(&id, &user.id, REGISTER, None, json(&registration)?, now))?;
            Ok(Ok((id, serde_json::to_value(options).map_err(ApiError::internal)?)))
        })
        .await?
}

pub(crate) fn ceremony(
    id: &str,
    user_id: &str,
    purpose: &str,
    challenge_id: Option<String>,
    state: String,
    now: chrono::NaiveDateTime,
) -> Ceremony {
    Ceremony {
        id: id.to_owned(),
        user_id: user_id.to_owned(),
        purpose: purpose.to_owned(),
        challenge_id,
        state,
        created_at: now,
        expires_at: now + Duration::minutes(CEREMONY_MINUTES),
        used_at: None,
    }
}

/// Stores a newly registered passkey.
pub(crate) fn keep(
    conn: &mut DbConn,
    user_id: &str,
    name: String,
    passkey: &Passkey,
    now: chrono::NaiveDateTime,
) -> Result<StoredPasskey, ApiError> {
    let stored = StoredPasskey {
        id: new_id(),
        user_id: user_id.to_owned(),
        name,
        credential_id: credential_id_of(passkey.cred_id())?,
        credential: json(passkey)?,
        created_at: now,
        last_used_at: None,
        locked_at: None,
    };
    store::insert(conn, &stored)?;
    Ok(stored)
}

/// Finishes registering: the authenticator's answer to the options.
pub async fn register(
    state: &AppState,
    me: AuthUser,
    ceremony_id: String,
    name: String,
    credential: Value,
) -> Result<PasskeyView, ApiError> {
    let webauthn = relying_party(state)?;
    let name = check_passkey_name(&name).map_err(|e| ApiError::Validation(vec![e]))?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(credential)
        .map_err(|_| ApiError::validation("/credential", "invalid", "is not a WebAuthn registration response"))?;
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let taken = store::take_ceremony(conn, &ceremony_id, &me.user_id, REGISTER, now)?.ok_or_else(|| {
                ApiError::Conflict("This passkey set-up has expired or was used: start again.".to_owned())
            })?;
            let registration: PasskeyRegistration = parsed(&taken.state)?;
            let passkey = webauthn.finish_passkey_registration(&credential, &registration).map_err(|_| {
                ApiError::validation("/credential", "not_verified", "the authenticator's answer could not be verified")
            })?;
            let stored = keep(conn, &me.user_id, name, &passkey, now)?;
            audit::record(conn, &me, "passkey.register", None, Some(&stored.id))?;
            tell(conn, &st, &me.user_id, "A passkey was added to your account.")?;
            Ok(PasskeyView::from(stored))
        })
        .await
}

pub async fn list(state: &AppState, me: AuthUser) -> Result<Vec<PasskeyView>, ApiError> {
    state.tx(move |conn| Ok(store::of_user(conn, &me.user_id)?.into_iter().map(PasskeyView::from).collect())).await
}

/// Removes a passkey after a fresh second step. The last passkey of an
/// account whose own second step is a passkey stays: an account never has
/// no second step.
pub async fn remove(
    state: &AppState,
    me: AuthUser,
    passkey_id: String,
    mfa_token: String,
    proof: Proof,
) -> Result<(), ApiError> {
    let claims = fresh_claims(state, &me, &mfa_token)?;
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let user = match prove_fresh(conn, &st, &claims, &proof, now)? {
                Ok(user) => user,
                Err(refused) => return Ok(Err(refused)),
            };
            let others = usable_passkeys(conn, &user)?.into_iter().filter(|(p, _)| p.id != passkey_id).count();
            if user.mfa_channel == SecondFactor::Passkey && others == 0 {
                return Ok(Err(ApiError::Conflict(
                    "This passkey is your only second step: add another passkey, or change your second step, first."
                        .to_owned(),
                )));
            }
            if !store::remove(conn, &me.user_id, &passkey_id)? {
                return Ok(Err(ApiError::NotFound));
            }
            audit::record(conn, &me, "passkey.remove", None, Some(&passkey_id))?;
            tell(conn, &st, &me.user_id, "A passkey was removed from your account.")?;
            Ok(Ok(()))
        })
        .await?
}

/// How a fresh second step is proven: a code (or recovery code), or a passkey.
pub enum Proof {
    Code(String),
    Passkey(Value),
}

/// Proves a fresh step (for changing factors) by `proof`.
fn prove_fresh(
    conn: &mut DbConn,
    st: &AppState,
    claims: &MfaStepClaims,
    proof: &Proof,
    now: chrono::NaiveDateTime,
) -> Result<Result<User, ApiError>, ApiError> {
    match proof {
        Proof::Code(code) => Ok(challenge::prove(conn, st, claims, code, now)?.map(|(_, user)| user)),
        Proof::Passkey(credential) => {
            let webauthn = relying_party(st)?;
            let credential: PublicKeyCredential = serde_json::from_value(credential.clone())
                .map_err(|_| ApiError::validation("/credential", "invalid", "is not a WebAuthn assertion"))?;
            Ok(passkey_login::prove_by_passkey(conn, st, &webauthn, claims, &credential, now)?.map(|(_, user)| user))
        }
    }
}

pub(crate) fn usable_passkeys(conn: &mut DbConn, user: &User) -> Result<Vec<(StoredPasskey, Passkey)>, ApiError> {
    store::of_user(conn, &user.id)?
        .into_iter()
        .filter(|p| p.locked_at.is_none())
        .map(|p| {
            let passkey = parsed(&p.credential)?;
            Ok((p, passkey))
        })
        .collect()
}
