//! The logged-in user's own profile and second factor.

use actix_web::{get, post, put, web, HttpResponse};
use ehc_domain::messages;
use ehc_domain::phone::mask_phone;
use ehc_domain::roles::{Role, Specialism};
use ehc_storage::identity::{organisations, recovery_codes, sessions, users};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::identity::challenge::{self, PURPOSE_CHANGE_FACTOR, PURPOSE_ENROL};
use crate::json::ValidatedJson;
use crate::messaging::{Channel, OutgoingMessage};
use crate::problems::{BadRequest, Invalid, TooManyRequests, Unauthorized, Unavailable};
use crate::security::{tokens, totp};
use crate::state::AppState;
use crate::views::identity::{MfaStep, TotpEnrolment};
use ehc_domain::second_factor::SecondFactor;

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorView {
    pub channel: SecondFactor,
    /// Only ever shown masked.
    #[schema(example = "•••••••123")]
    pub phone_masked: Option<String>,
    pub recovery_codes_remaining: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<String>,
    pub specialism: Option<Specialism>,
    pub organisation: NamedRef,
    pub local_authority: NamedRef,
    pub second_factor: SecondFactorView,
}

/// Your profile, role, organisation and (masked) second factor.
#[utoipa::path(tag = "me", operation_id = "getMe", security(("bearer" = [])), responses(
    (status = 200, body = Me, description = "OK"),
    Unauthorized))]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let view = state
        .tx(move |conn| {
            let (user, organisation_name) = users::user_with_organisation(conn, &me.user_id)?;
            let la = organisations::local_authority(conn, &user.local_authority_id)?;
            let remaining = recovery_codes::unused_recovery_codes(conn, &user.id)?;
            Ok(Me {
                organisation: NamedRef { id: user.organisation_id.clone(), name: organisation_name },
                local_authority: NamedRef { id: la.id, name: la.name },
                second_factor: SecondFactorView {
                    channel: user.mfa_channel,
                    phone_masked: user.phone_masked.clone(),
                    recovery_codes_remaining: remaining,
                },
                id: user.id,
                email: user.email,
                name: user.name,
                role: user.role,
                job_title: user.job_title,
                specialism: user.specialism.as_deref().and_then(Specialism::parse),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Start changing the second factor: sends a fresh code to the current phone
/// (authenticator users read one from their app). The change itself is
/// `PUT /api/v1/me/second-factor`.
#[utoipa::path(tag = "me", operation_id = "startSecondFactorChange", security(("bearer" = [])), responses(
    (status = 200, body = MfaStep, description = "OK"),
    Unauthorized,
    TooManyRequests,
    Unavailable))]
#[post("/me/second-factor/challenge")]
pub async fn start_factor_change(state: web::Data<AppState>, me: AuthUser) -> ApiResult<HttpResponse> {
    let now = state.now();
    let st = state.clone();
    let (step, code) = state
        .tx(move |conn| {
            let user = users::user_by_id(conn, &me.user_id)?;
            let started = challenge::start(conn, &st, &user, PURPOSE_CHANGE_FACTOR, None, now)?;
            Ok((
                MfaStep { mfa_token: started.mfa_token, channel: user.mfa_channel, phone_masked: user.phone_masked },
                started.code,
            ))
        })
        .await?;
    challenge::deliver(&state, code).await?;
    Ok(HttpResponse::Ok().json(step))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mfa_token": "eyJ…", "code": "492039", "channel": "voice", "phone": "01709 382121"}))]
pub struct ChangeSecondFactor {
    /// From `POST /api/v1/me/second-factor/challenge`.
    pub mfa_token: String,
    /// A fresh code from the current second factor.
    #[validate(length(min = 1, max = 32))]
    pub code: String,
    pub channel: SecondFactor,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorChanged {
    pub channel: SecondFactor,
    pub phone_masked: Option<String>,
    /// For a new authenticator app: confirm it with `/api/v1/auth/totp/confirm`;
    /// the old factor stays in use until then.
    pub totp: Option<TotpEnrolment>,
}

/// Change the second factor, proven by a fresh code from the current one.
#[utoipa::path(tag = "me", operation_id = "changeSecondFactor", security(("bearer" = [])), request_body = ChangeSecondFactor, responses(
    (status = 200, body = SecondFactorChanged, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[put("/me/second-factor")]
pub async fn change_second_factor(
    state: web::Data<AppState>,
    me: AuthUser,
    body: ValidatedJson<ChangeSecondFactor>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let claims = tokens::verify_mfa_step(&body.mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| c.purpose == PURPOSE_CHANGE_FACTOR && c.sub == me.user_id)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired."))?;
    let mut errors = Vec::new();
    let phone = body.channel.phone(body.phone.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let phone_ciphertext =
        phone.as_ref().map(|p| state.keys.encrypt(p.as_bytes())).transpose().map_err(ApiError::internal)?;
    let enrolment = if body.channel == SecondFactor::Totp {
        Some(totp::enrol(&state.service_name).map_err(ApiError::internal)?)
    } else {
        None
    };
    let totp_ciphertext =
        enrolment.as_ref().map(|e| state.keys.encrypt(&e.secret_bytes)).transpose().map_err(ApiError::internal)?;
    let masked = phone.as_deref().map(mask_phone);
    let now = state.now();
    let st = state.clone();
    let channel = body.channel;
    let code = body.code;
    let stored_mask = masked.clone();
    let (email, mfa_token) = state
        .tx(move |conn| {
            let user = match challenge::prove(conn, &st, &claims, &code, now)? {
                Ok((_, user)) => user,
                Err(refused) => return Ok(Err(refused)),
            };
            let mut mfa_token = None;
            match (phone_ciphertext, stored_mask, totp_ciphertext) {
                (Some(ciphertext), Some(mask), _) => {
                    users::set_phone_factor(conn, &user.id, channel.as_str(), &ciphertext, &mask)?;
                    // Other sessions were opened with the old factor: end them.
                    sessions::revoke_all_sessions_of_user(conn, &user.id, "second_factor_changed", now)?;
                }
                (_, _, Some(pending)) => {
                    users::set_pending_totp(conn, &user.id, &pending)?;
                    let user = users::user_by_id(conn, &user.id)?;
                    mfa_token = Some(challenge::start(conn, &st, &user, PURPOSE_ENROL, None, now)?.mfa_token);
                }
                _ => return Err(ApiError::internal("second factor without its data")),
            }
            Ok(Ok((user.email, mfa_token)))
        })
        .await??;
    if mfa_token.is_none() {
        let text = messages::second_factor_changed_email(&state.service_name, &state.public_url);
        // The change is made; a failed notice is logged, not reported as failure.
        let _ = state
            .messenger
            .send(OutgoingMessage { channel: Channel::Email, to: email, subject: text.subject, body: text.body })
            .await;
    }
    let totp = match (enrolment, mfa_token) {
        (Some(e), Some(mfa_token)) => {
            Some(TotpEnrolment { otpauth_uri: e.otpauth_uri, qr_png_base64: e.qr_png_base64, mfa_token })
        }
        _ => None,
    };
    Ok(HttpResponse::Ok().json(SecondFactorChanged { channel, phone_masked: masked, totp }))
}
