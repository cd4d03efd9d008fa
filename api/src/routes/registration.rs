//! Accepting an invitation: password and second factor.

use actix_web::http::header::LOCATION;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::client_bucket;
use crate::error::ApiResult;
use crate::identity::registration;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unauthorized};
use crate::state::AppState;
use crate::views::identity::RecoveryCodes;
use crate::views::identity::Registered;
use ehc_domain::second_factor::SecondFactor;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the invitation link", "password": "maple orbit lantern quietly", "channel": "sms", "phone": "07700 900123"}))]
pub struct Register {
    /// The `token` of the invitation link.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// At least 12 characters and hard to guess.
    pub password: String,
    pub channel: SecondFactor,
    /// A UK mobile for `sms`, a UK landline for `voice`; absent for `totp`.
    pub phone: Option<String>,
}

/// Accept an invitation: set a password and the second step.
///
/// The login is the invited e-mail address. The second step is SMS, voice, an authenticator app
/// (answered with its enrolment) or a passkey (answered with registration options, confirmed at
/// `confirmPasskey`).
#[utoipa::path(tag = "auth", operation_id = "register", security(()), request_body = Register, responses(
    (status = 201, body = Registered, description = "Created"),
    BadRequest,
    NotFound,
    Conflict,
    Invalid,
    TooManyRequests))]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<Register>,
) -> ApiResult<HttpResponse> {
    let bucket = client_bucket(&req, &state.trusted_proxies, "auth");
    let b = body.0;
    let registered = registration::register(&state, bucket, b.token, b.password, b.channel, b.phone).await?;
    Ok(HttpResponse::Created().insert_header((LOCATION, "/api/v1/me")).json(registered))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039"}))]
pub struct ConfirmTotp {
    /// From the registration (or factor change) response.
    pub mfa_token: String,
    /// The code the authenticator app shows now.
    #[schema(example = "492039")]
    pub code: String,
}

/// Confirm an authenticator app with its first code.
///
/// Activates the app as the second step and returns ten recovery codes, shown once.
#[utoipa::path(tag = "auth", operation_id = "confirmTotp", security(()), request_body = ConfirmTotp, responses(
    (status = 200, body = RecoveryCodes, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[post("/auth/totp/confirm")]
pub async fn confirm_totp(state: web::Data<AppState>, body: ValidatedJson<ConfirmTotp>) -> ApiResult<HttpResponse> {
    let codes = registration::confirm_totp(&state, body.0.mfa_token, body.0.code).await?;
    Ok(HttpResponse::Ok().json(RecoveryCodes { recovery_codes: codes }))
}
