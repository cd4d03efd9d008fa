//! Passkeys: registering, listing and removing them (`/me/passkeys`), and
//! answering a login's second step with one (`/auth/mfa/passkey/…`). The
//! bodies carry the browser's WebAuthn JSON as it is.

use actix_web::http::header::LOCATION;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{client_bucket, AuthUser};
use crate::error::{ApiError, ApiResult};
use crate::identity::passkey_login;
use crate::identity::passkeys::{self, Proof};
use crate::identity::session::TokenPair;
use crate::json::ValidatedJson;
use crate::paging::{page_of, Page, PageQuery};
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unauthorized};
use crate::state::AppState;
use crate::views::identity::PasskeyView;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039"}))]
pub struct FreshStep {
    /// From `POST /api/v1/me/second-factor/challenge`.
    pub mfa_token: String,
    /// The code it sent, the authenticator app's, or a recovery code.
    pub code: Option<String>,
    /// Or a passkey's answer: the `PublicKeyCredential` from
    /// `navigator.credentials.get()` with the options of
    /// `POST /api/v1/auth/mfa/passkey/options` for this `mfa_token`.
    #[schema(value_type = Option<Object>)]
    pub credential: Option<Value>,
}

impl FreshStep {
    fn proof(self) -> Result<(String, Proof), ApiError> {
        let proof = match (self.code, self.credential) {
            (Some(code), None) => Proof::Code(code),
            (None, Some(credential)) => Proof::Passkey(credential),
            _ => return Err(ApiError::validation("/code", "one_of", "give either a code or a passkey's credential")),
        };
        Ok((self.mfa_token, proof))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyCreation {
    /// Pass back with the authenticator's answer.
    #[schema(format = Uuid)]
    pub ceremony_id: String,
    /// For `navigator.credentials.create()` (binary fields base64url).
    #[schema(value_type = Object)]
    pub options: Value,
}

/// Start registering a passkey.
///
/// Needs a fresh second step first (the change-factor challenge and its code); answers the options
/// for `navigator.credentials.create()`, valid for five minutes.
#[utoipa::path(tag = "me", operation_id = "startPasskeyRegistration", security(("bearer" = [])), request_body = FreshStep, responses(
    (status = 200, body = PasskeyCreation, description = "The creation options"),
    BadRequest, Unauthorized, Conflict, TooManyRequests))]
#[post("/me/passkeys/options")]
pub async fn start_passkey_registration(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<FreshStep>,
) -> ApiResult<HttpResponse> {
    let (mfa_token, proof) = body.0.proof()?;
    let (ceremony_id, options) = passkeys::registration_options(&state, me, mfa_token, proof).await?;
    Ok(HttpResponse::Ok().json(PasskeyCreation { ceremony_id, options }))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RegisterPasskey {
    #[schema(format = Uuid)]
    pub ceremony_id: String,
    /// What you call it ("Work laptop"), 1 to 60 characters.
    pub name: String,
    /// The `PublicKeyCredential` from `navigator.credentials.create()`, as JSON.
    #[schema(value_type = Object)]
    pub credential: Value,
}

/// Finish registering a passkey.
///
/// With the authenticator's answer to `startPasskeyRegistration`. You are told by e-mail; audited.
#[utoipa::path(tag = "me", operation_id = "registerPasskey", security(("bearer" = [])), request_body = RegisterPasskey, responses(
    (status = 201, body = PasskeyView, description = "Registered"),
    BadRequest, Unauthorized, Conflict, Invalid))]
#[post("/me/passkeys")]
pub async fn register_passkey(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<RegisterPasskey>,
) -> ApiResult<HttpResponse> {
    let RegisterPasskey { ceremony_id, name, credential } = body.0;
    let passkey = passkeys::register(&state, me, ceremony_id, name, credential).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, "/api/v1/me/passkeys")).json(passkey))
}

/// Your passkeys.
///
/// Name, when added and when last used; never the credential. Paged with `limit` and `cursor`.
#[utoipa::path(tag = "me", operation_id = "listPasskeys", security(("bearer" = [])), params(PageQuery), responses(
    (status = 200, body = Page<PasskeyView>, description = "Your passkeys"),
    Unauthorized))]
#[get("/me/passkeys")]
pub async fn list_passkeys(
    state: web::Data<AppState>,
    me: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    // Ids are UUIDv7: id order is the order the passkeys were added.
    Ok(HttpResponse::Ok().json(page_of(passkeys::list(&state, me).await?, &query, |p| p.id.clone())?))
}

/// Remove a passkey.
///
/// After a fresh second step. Your SMS, voice or app factor always remains, so nobody is locked
/// out.
#[utoipa::path(tag = "me", operation_id = "removePasskey", security(("bearer" = [])), params(("id" = uuid::Uuid, Path, description = "The passkey's id")),
    request_body = FreshStep, responses(
    (status = 204, description = "Removed"),
    BadRequest, Unauthorized, NotFound, TooManyRequests))]
#[post("/me/passkeys/{id}/remove")]
pub async fn remove_passkey(
    state: web::Data<AppState>,
    me: AuthUser,
    path: web::Path<String>,
    body: ValidatedJson<FreshStep>,
) -> ApiResult<HttpResponse> {
    let (mfa_token, proof) = body.0.proof()?;
    passkeys::remove(&state, me, path.into_inner(), mfa_token, proof).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasskeyStep {
    /// The login's step token (`/api/v1/auth/login`).
    pub mfa_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyRequest {
    /// For `navigator.credentials.get()` (binary fields base64url).
    #[schema(value_type = Object)]
    pub options: Value,
}

/// Options for a passkey second step.
///
/// The challenge for `navigator.credentials.get()`, for a login's step token or for the fresh step
/// before changing factors. The challenge is kept in the database for five minutes.
#[utoipa::path(tag = "auth", operation_id = "passkeyLoginOptions", security(()), request_body = PasskeyStep, responses(
    (status = 200, body = PasskeyRequest, description = "The request options"),
    BadRequest, Unauthorized, Conflict, TooManyRequests))]
#[post("/auth/mfa/passkey/options")]
pub async fn passkey_login_options(
    state: web::Data<AppState>,
    body: ValidatedJson<PasskeyStep>,
) -> ApiResult<HttpResponse> {
    let options = passkey_login::login_options(&state, body.0.mfa_token).await?;
    Ok(HttpResponse::Ok().json(PasskeyRequest { options }))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PasskeyAssertion {
    pub mfa_token: String,
    /// The `PublicKeyCredential` from `navigator.credentials.get()`, as JSON.
    #[schema(value_type = Object)]
    pub credential: Value,
}

/// The second step by passkey.
///
/// Takes the authenticator's answer and gives the session's tokens, as `verifyMfa` does. A wrong
/// answer counts as a wrong code.
#[utoipa::path(tag = "auth", operation_id = "passkeyLoginVerify", security(()), request_body = PasskeyAssertion, responses(
    (status = 200, body = TokenPair, description = "OK"),
    BadRequest, Unauthorized, Conflict, Invalid, TooManyRequests))]
#[post("/auth/mfa/passkey/verify")]
pub async fn passkey_login_verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<PasskeyAssertion>,
) -> ApiResult<HttpResponse> {
    let client = client_bucket(&req, &state.trusted_proxies, "auth");
    let PasskeyAssertion { mfa_token, credential } = body.0;
    Ok(HttpResponse::Ok().json(passkey_login::login_verify(&state, client, mfa_token, credential).await?))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPasskey {
    /// From the registration's `passkey`.
    pub mfa_token: String,
    #[schema(format = Uuid)]
    pub ceremony_id: String,
    /// What you call it ("Work phone"), 1 to 60 characters.
    pub name: String,
    /// The `PublicKeyCredential` from `navigator.credentials.create()`, as JSON.
    #[schema(value_type = Object)]
    pub credential: Value,
}

/// Confirm the passkey of a new account.
///
/// For an account registered with `channel: passkey`: the authenticator's answer to the
/// registration options. The account becomes active and its ten recovery codes are shown once.
#[utoipa::path(tag = "auth", operation_id = "confirmPasskey", security(()), request_body = ConfirmPasskey, responses(
    (status = 200, body = crate::views::identity::RecoveryCodes, description = "Active; the recovery codes"),
    BadRequest, Unauthorized, Conflict, Invalid, TooManyRequests))]
#[post("/auth/passkey/confirm")]
pub async fn confirm_passkey(
    state: web::Data<AppState>,
    body: ValidatedJson<ConfirmPasskey>,
) -> ApiResult<HttpResponse> {
    let ConfirmPasskey { mfa_token, ceremony_id, name, credential } = body.0;
    let codes = crate::identity::passkey_enrolment::confirm(&state, mfa_token, ceremony_id, name, credential).await?;
    Ok(HttpResponse::Ok().json(crate::views::identity::RecoveryCodes { recovery_codes: codes }))
}
