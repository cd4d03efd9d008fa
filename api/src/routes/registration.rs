//! Accepting an invitation: password and second factor.

use actix_web::{post, web, HttpRequest, HttpResponse};
use ehc_domain::otp_policy::{AUTH_PER_CLIENT, RECOVERY_CODE_COUNT};
use ehc_domain::password::check_new_password;
use ehc_domain::phone::mask_phone;
use ehc_domain::roles::AccountStatus;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::users::{self, NewUser};
use ehc_storage::identity::{invitations, recovery_codes};
use ehc_storage::{new_id, rate_limits};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::client_bucket;
use crate::error::{ApiError, ApiResult};
use crate::identity::challenge::{self, check_failure, CodeCheck, PURPOSE_ENROL};
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Invalid, NotFound, TooManyRequests, Unauthorized};
use crate::security::secrets::{hash_token, random_recovery_code};
use crate::security::{passwords, tokens, totp};
use crate::state::AppState;
use crate::views::identity::TotpEnrolment;
use ehc_domain::second_factor::SecondFactor;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "pX3…from the invitation link", "password": "maple orbit lantern quietly", "channel": "sms", "phone": "07700 900123"}))]
pub struct Register {
    /// The `token` of the invitation link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    /// At least 12 characters and hard to guess.
    pub password: String,
    pub channel: SecondFactor,
    /// A UK mobile for `sms`, a UK landline for `voice`; absent for `totp`.
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub user_id: String,
    /// `active`, or `pending_totp` until the first authenticator code is confirmed.
    pub status: AccountStatus,
    pub channel: SecondFactor,
    pub phone_masked: Option<String>,
    pub totp: Option<TotpEnrolment>,
}

/// Accept an invitation: set a password and the second login step. The
/// login is the invited e-mail address.
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
    let body = body.0;
    let now = state.now();
    let bucket = client_bucket(&req, state.trust_proxy_headers, "auth");
    let token = body.token.clone();
    let invitation = state
        .tx(move |conn| {
            if let Some(retry_after_seconds) = rate_limits::hit(conn, &bucket, AUTH_PER_CLIENT, now)? {
                return Err(ApiError::TooManyRequests { retry_after_seconds });
            }
            Ok(crate::workflow::invitations::usable_invitation(conn, &token, now))
        })
        .await??;

    let mut errors = Vec::new();
    let name_parts: Vec<&str> = invitation.name.split_whitespace().collect();
    let mut personal = vec![invitation.email.as_str()];
    personal.extend(name_parts);
    errors.extend(check_new_password(&body.password, &personal, "/password"));
    let phone = body.channel.phone(body.phone.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    let password = body.password;
    let password_hash = web::block(move || passwords::hash_password(&password)).await?.map_err(ApiError::internal)?;
    let phone_ciphertext =
        phone.as_ref().map(|p| state.keys.encrypt(p.as_bytes())).transpose().map_err(ApiError::internal)?;
    let phone_masked = phone.as_deref().map(mask_phone);
    let enrolment = if body.channel == SecondFactor::Totp {
        Some(totp::enrol(&state.service_name).map_err(ApiError::internal)?)
    } else {
        None
    };
    let totp_ciphertext =
        enrolment.as_ref().map(|e| state.keys.encrypt(&e.secret_bytes)).transpose().map_err(ApiError::internal)?;

    let st = state.clone();
    let channel = body.channel;
    let masked = phone_masked.clone();
    let (user_id, mfa_token) = state
        .tx(move |conn| {
            if !invitations::accept_invitation(conn, &invitation.id, now)? {
                return Err(ApiError::Conflict("This invitation was already used.".to_owned()));
            }
            if users::user_by_email(conn, &invitation.email).optional()?.is_some() {
                return Err(ApiError::Conflict("This address already has an account. Log in instead.".to_owned()));
            }
            let id = new_id();
            users::insert_user(
                conn,
                &NewUser {
                    id: &id,
                    local_authority_id: &invitation.local_authority_id,
                    organisation_id: &invitation.organisation_id,
                    email: &invitation.email,
                    name: &invitation.name,
                    role: invitation.role.as_str(),
                    job_title: invitation.job_title.as_deref(),
                    specialism: invitation.specialism.as_deref(),
                    password_hash: &password_hash,
                    mfa_channel: channel.as_str(),
                    phone_ciphertext: phone_ciphertext.as_deref(),
                    phone_masked: masked.as_deref(),
                    pending_totp_ciphertext: totp_ciphertext.as_deref(),
                    status: if channel == SecondFactor::Totp {
                        AccountStatus::PendingTotp
                    } else {
                        AccountStatus::Active
                    }
                    .as_str(),
                    created_at: now,
                },
            )?;
            // Places held on cases for this invitee become theirs.
            ehc_storage::casework::participants::claim_pending(conn, &invitation.email, &id)?;
            let mfa_token = if channel == SecondFactor::Totp {
                let user = users::user_by_id(conn, &id)?;
                Some(challenge::start(conn, &st, &user, PURPOSE_ENROL, None, now)?.mfa_token)
            } else {
                None
            };
            Ok((id, mfa_token))
        })
        .await?;

    let status = if body.channel == SecondFactor::Totp { AccountStatus::PendingTotp } else { AccountStatus::Active };
    let totp = match (enrolment, mfa_token) {
        (Some(e), Some(mfa_token)) => {
            Some(TotpEnrolment { otpauth_uri: e.otpauth_uri, qr_png_base64: e.qr_png_base64, mfa_token })
        }
        _ => None,
    };
    Ok(HttpResponse::Created().json(Registered { user_id, status, channel: body.channel, phone_masked, totp }))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten single-use codes for when the phone with the app is lost. Shown
    /// only now: keep them somewhere safe.
    pub recovery_codes: Vec<String>,
}

/// Confirm an authenticator app with its first code. Activates it and
/// returns ten recovery codes, shown once.
#[utoipa::path(tag = "auth", operation_id = "confirmTotp", security(()), request_body = ConfirmTotp, responses(
    (status = 200, body = RecoveryCodes, description = "OK"),
    BadRequest,
    Unauthorized,
    Invalid,
    TooManyRequests))]
#[post("/auth/totp/confirm")]
pub async fn confirm_totp(state: web::Data<AppState>, body: ValidatedJson<ConfirmTotp>) -> ApiResult<HttpResponse> {
    let claims = tokens::verify_mfa_step(&body.0.mfa_token, state.keys.signing_key(), &state.public_url)
        .filter(|c| c.purpose == PURPOSE_ENROL)
        .ok_or(ApiError::Unauthorized("The step token is invalid or has expired."))?;
    let now = state.now();
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT).map(|_| random_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(c)).collect();
    let st = state.clone();
    let code = body.0.code;
    state
        .tx(move |conn| {
            let Some((open, user)) = challenge::open_challenge(conn, &claims, now)? else {
                return Ok(Err(check_failure(CodeCheck::Unusable)));
            };
            let secret = challenge::totp_secret_for(&st, &user, PURPOSE_ENROL)?
                .ok_or(ApiError::Conflict("There is no authenticator app waiting to be confirmed.".to_owned()))?;
            match challenge::check_code(conn, &st, &open, &user, &code, Some(&secret), now)? {
                CodeCheck::Accepted => {
                    recovery_codes::replace_recovery_codes(conn, &user.id, &hashes)?;
                    Ok(Ok(()))
                }
                failed => Ok(Err(check_failure(failed))),
            }
        })
        .await??;
    Ok(HttpResponse::Ok().json(RecoveryCodes { recovery_codes: codes }))
}
