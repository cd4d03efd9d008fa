//! Passkeys (WebAuthn) as a second step: registered after a fresh second
//! step, listed, removed, and used at login instead of a code. The ceremony
//! state lives in the database (`webauthn_ceremonies`, five minutes), so any
//! instance finishes what another started; a wrong assertion counts like a
//! wrong code; a counter that goes backwards (a cloned authenticator) locks
//! the passkey and tells its owner.

use chrono::Duration;
use ehc_domain::messages;
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::passkeys::{self as store, Ceremony, StoredPasskey};
use ehc_storage::identity::users::User;
use ehc_storage::{new_id, rate_limits, DbConn};
use serde_json::Value;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Uuid,
    WebauthnError,
};
use webauthn_rs::Webauthn;

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::identity::challenge::{
    self, check_failure, CodeCheck, PURPOSE_CHANGE_FACTOR, PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET,
};
use crate::identity::login::finish_second_step;
use crate::identity::session::TokenPair;
use crate::security::tokens::{self, MfaStepClaims};
use crate::state::AppState;
use crate::workflow::case_events::{queue, Notice};

const CEREMONY_MINUTES: i64 = 5;
const REGISTER: &str = "register";
const LOGIN: &str = "login";

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

fn tell(conn: &mut DbConn, state: &AppState, user_id: &str, what: &str) -> Result<(), ApiError> {
    let text = messages::passkey_changed_email(&state.service_name, what, &state.public_url);
    queue(conn, state, Notice { event: "account.passkeys_changed", case_id: None, text }, vec![user_id.to_owned()], "")
}

fn fresh_claims(state: &AppState, me: &AuthUser, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    tokens::verify_mfa_step(mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| c.purpose == PURPOSE_CHANGE_FACTOR && c.sub == me.user_id)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired: start again."))
}

/// A passkey as its owner sees it: never the credential itself.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Locked after a sign that the authenticator was cloned; it no longer works.
    pub locked: bool,
}

impl From<StoredPasskey> for PasskeyView {
    fn from(p: StoredPasskey) -> Self {
        PasskeyView {
            id: p.id,
            name: p.name,
            created_at: p.created_at.and_utc(),
            last_used_at: p.last_used_at.map(|t| t.and_utc()),
            locked: p.locked_at.is_some(),
        }
    }
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

pub(crate) fn clean_passkey_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(ehc_domain::cases::is_hidden_character) {
        return Err(ApiError::validation("/name", "invalid", "must be 1 to 60 characters, without control characters"));
    }
    Ok(name.to_owned())
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
    let name = clean_passkey_name(&name)?;
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

fn login_claims(state: &AppState, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    tokens::verify_mfa_step(mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| c.purpose == PURPOSE_LOGIN || c.purpose == PURPOSE_PASSWORD_RESET)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired. Log in again."))
}

/// A step a passkey may answer: a login's (or a reset's), or the fresh step
/// before changing one's factors.
fn answerable_claims(state: &AppState, mfa_token: &str) -> Result<MfaStepClaims, ApiError> {
    tokens::verify_mfa_step(mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| [PURPOSE_LOGIN, PURPOSE_PASSWORD_RESET, PURPOSE_CHANGE_FACTOR].contains(&c.purpose.as_str()))
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired. Start again."))
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
            Ok(prove_by_passkey(conn, st, &webauthn, claims, &credential, now)?.map(|(_, user)| user))
        }
    }
}

fn usable_passkeys(conn: &mut DbConn, user: &User) -> Result<Vec<(StoredPasskey, Passkey)>, ApiError> {
    store::of_user(conn, &user.id)?
        .into_iter()
        .filter(|p| p.locked_at.is_none())
        .map(|p| {
            let passkey = parsed(&p.credential)?;
            Ok((p, passkey))
        })
        .collect()
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
fn prove_by_passkey(
    conn: &mut DbConn,
    st: &AppState,
    webauthn: &Webauthn,
    claims: &MfaStepClaims,
    credential: &PublicKeyCredential,
    now: chrono::NaiveDateTime,
) -> Result<Result<(ehc_storage::identity::challenges::Challenge, User), ApiError>, ApiError> {
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
