//! Accepting an invitation: a strong password and the second step; the
//! places held on cases for the invitee become theirs. An authenticator app
//! is confirmed by its first code, which also issues the recovery codes.

use crate::error::ApiError;
use crate::identity::challenge::{self, check_failure, CodeCheck, PURPOSE_ENROL};
use crate::identity::factor::{self, NewFactor};
use crate::identity::step;
use crate::security::secrets::new_recovery_codes;
use crate::state::AppState;
use crate::views::identity::Registered;
use crate::views::identity::TotpEnrolment;
use ehc_domain::otp_policy::AUTH_PER_CLIENT;
use ehc_domain::password::check_new_password;
use ehc_domain::roles::AccountStatus;
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::users::{self, NewUser};
use ehc_storage::identity::{invitations, recovery_codes};
use ehc_storage::{new_id, rate_limits};

/// Creates the account an invitation (`token`) allows. `client` is the
/// caller's rate-limit bucket.
pub async fn register(
    state: &AppState,
    bucket: String,
    token: String,
    password: String,
    channel_asked: SecondFactor,
    phone_typed: Option<String>,
) -> Result<Registered, ApiError> {
    let now = state.now();
    let token = token.clone();
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
    errors.extend(check_new_password(&password, &personal, "/password"));
    let phone = channel_asked.phone(phone_typed.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    if channel_asked == SecondFactor::Passkey {
        crate::identity::passkey_enrolment::available(state)?;
    }
    let password_hash = state.hashing.hash(password).await?;
    let NewFactor { phone_ciphertext, phone_masked, enrolment, totp_ciphertext } =
        factor::prepare(state, channel_asked, phone.as_deref())?;

    let st = state.clone();
    let channel = channel_asked;
    let masked = phone_masked.clone();
    let (user_id, mfa_token, passkey) = state
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
                    status: pending_status(channel).as_str(),
                    created_at: now,
                },
            )?;
            // Places held for this invitee on this council's cases become theirs;
            // another council's are never claimed through this invitation.
            ehc_storage::casework::participants::claim_pending(
                conn,
                &invitation.email,
                &id,
                &invitation.local_authority_id,
            )?;
            let user = users::user_by_id(conn, &id)?;
            let (mfa_token, passkey) = match channel {
                SecondFactor::Totp => {
                    (Some(challenge::start(conn, &st, &user, PURPOSE_ENROL, None, now)?.mfa_token), None)
                }
                SecondFactor::Passkey => {
                    (None, Some(crate::identity::passkey_enrolment::start(conn, &st, &user, now)?))
                }
                SecondFactor::Sms | SecondFactor::Voice => (None, None),
            };
            Ok((id, mfa_token, passkey))
        })
        .await?;

    let status = pending_status(channel_asked);
    let totp = match (enrolment, mfa_token) {
        (Some(e), Some(mfa_token)) => {
            Some(TotpEnrolment { otpauth_uri: e.otpauth_uri, qr_png_base64: e.qr_png_base64, mfa_token })
        }
        _ => None,
    };
    Ok(Registered { user_id, status, channel: channel_asked, phone_masked, totp, passkey })
}

/// A new account waits for its app or passkey to be confirmed.
fn pending_status(channel: SecondFactor) -> AccountStatus {
    match channel {
        SecondFactor::Totp => AccountStatus::PendingTotp,
        SecondFactor::Passkey => AccountStatus::PendingPasskey,
        SecondFactor::Sms | SecondFactor::Voice => AccountStatus::Active,
    }
}

/// Confirms an authenticator app; the recovery codes, shown once.
pub async fn confirm_totp(state: &AppState, mfa_token: String, code: String) -> Result<Vec<String>, ApiError> {
    let claims =
        step::step_claims(state, &mfa_token, &[PURPOSE_ENROL], None, "The step token is invalid or has expired.")?;
    let now = state.now();
    let (codes, hashes) = new_recovery_codes();
    let st = state.clone();
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
    Ok(codes)
}
