//! Password reset: a link by e-mail, a new password, then the second factor.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::client_bucket;
use crate::error::ApiResult;
use crate::identity::password_reset as reset;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unavailable};
use crate::state::AppState;
use crate::views::identity::MfaStep;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "sam.senco@oakfield.sch.uk"}))]
pub struct RequestReset {
    #[validate(length(min = 1, max = 254))]
    #[schema(value_type = crate::views::EmailAddress)]
    pub email: String,
}

/// Ask for a password reset link by e-mail.
///
/// Always 202, whether or not the address has an account, so the answer reveals nothing. The link
/// is single-use and short-lived.
#[utoipa::path(tag = "auth", operation_id = "requestPasswordReset", security(()), request_body = RequestReset, responses(
    (status = 202, description = "If the address has an account, a link was sent"),
    BadRequest,
    Invalid,
    TooManyRequests))]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidatedJson<RequestReset>,
) -> ApiResult<HttpResponse> {
    let client = client_bucket(&req, &state.trusted_proxies, "auth");
    reset::request(&state, client, body.0.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the reset link", "password": "violet harbour teapot gallop"}))]
pub struct CompleteReset {
    /// The `token` of the reset link.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    pub password: String,
}

/// Set a new password with a reset link's token.
///
/// The new password takes effect once the second step is passed at `verifyMfa` with the returned
/// step token; every other session then ends.
#[utoipa::path(tag = "auth", operation_id = "completePasswordReset", security(()), request_body = CompleteReset, responses(
    (status = 200, body = MfaStep, description = "OK"),
    BadRequest,
    NotFound,
    Conflict,
    Invalid,
    TooManyRequests,
    Unavailable))]
#[post("/auth/password-reset/complete")]
pub async fn complete_password_reset(
    state: web::Data<AppState>,
    body: ValidatedJson<CompleteReset>,
) -> ApiResult<HttpResponse> {
    let step = reset::complete(&state, body.0.token, body.0.password).await?;
    Ok(HttpResponse::Ok().json(step))
}
