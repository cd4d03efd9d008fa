//! The logged-in user's own account: their profile, and changing the second
//! factor, proven by a fresh code from the current one (other sessions end).

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::identity::challenge::{self, PURPOSE_CHANGE_FACTOR, PURPOSE_ENROL};
use crate::identity::factor::{self, NewFactor};
use crate::identity::memberships;
use crate::identity::step;
use crate::messaging::{Channel, OutgoingMessage};
use crate::state::AppState;
use crate::views::identity::{Me, NamedRef, SecondFactorChanged, SecondFactorView};
use crate::views::identity::{MfaStep, TotpEnrolment};
use ehc_domain::messages;
use ehc_domain::roles::Specialism;
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::{organisations, recovery_codes, sessions, users};

pub async fn profile(state: &AppState, me: AuthUser) -> Result<Me, ApiError> {
    let view = state
        .tx(move |conn| {
            let user = users::user_in_local_authority(conn, &me.local_authority_id, &me.user_id)?;
            let organisation_name =
                organisations::organisation_in_local_authority(conn, &me.local_authority_id, &user.organisation_id)?
                    .name;
            let la = organisations::local_authority(conn, &user.local_authority_id)?;
            let remaining = recovery_codes::unused_recovery_codes(conn, &user.id)?;
            let (memberships, invitations) = memberships::listed(conn, &me, &user.email, me.request_at)?;
            Ok(Me {
                needs_strong_factor: me.needs_strong_factor,
                memberships,
                invitations,
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
    Ok(view)
}

/// Switches the session to another of the caller's councils, then answers
/// with the profile as that council knows them.
pub async fn profile_in(state: &AppState, me: AuthUser, local_authority_id: String) -> Result<Me, ApiError> {
    memberships::switch(state, me.clone(), local_authority_id.clone()).await?;
    profile(state, AuthUser { local_authority_id, ..me }).await
}

/// Changes the caller's own name (the account's) and job title (as the
/// council the session acts for knows them); audited.
pub async fn edit_profile(
    state: &AppState,
    me: AuthUser,
    name: Option<String>,
    job_title: Option<Option<String>>,
) -> Result<Me, ApiError> {
    let mut errors = Vec::new();
    let name = name.map(|n| ehc_domain::cases::clean_name("/name", &n).map_err(|e| errors.push(e)).unwrap_or_default());
    if name.as_deref().is_some_and(|n| n.chars().count() > 200) {
        errors.push(ehc_domain::field_error::FieldError::new("/name", "too_long", "must be at most 200 characters"));
    }
    let job_title = job_title.map(|t| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()));
    if job_title.as_ref().and_then(|t| t.as_deref()).is_some_and(|t| t.chars().count() > 200) {
        errors.push(ehc_domain::field_error::FieldError::new(
            "/job_title",
            "too_long",
            "must be at most 200 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let who = me.clone();
    state
        .tx(move |conn| {
            if let Some(name) = &name {
                users::set_name(conn, &who.user_id, name)?;
            }
            if let Some(title) = &job_title {
                ehc_storage::identity::memberships::set_job_title(
                    conn,
                    &who.user_id,
                    &who.local_authority_id,
                    title.as_deref(),
                )?;
            }
            crate::audit::record(conn, &who, "profile.edit", None, Some(&who.user_id))
        })
        .await?;
    profile(state, me).await
}

/// Sends a fresh code to the current phone (authenticator users read one
/// from their app) to prove the change.
pub async fn start_factor_change(state: &AppState, me: AuthUser) -> Result<MfaStep, ApiError> {
    let now = state.now();
    let st = state.clone();
    let (step, code) = state
        .tx(move |conn| {
            let user = users::user_by_id(conn, &me.user_id)?;
            challenge::start_step(conn, &st, &user, PURPOSE_CHANGE_FACTOR, None, now)
        })
        .await?;
    challenge::deliver(state, code).await?;
    Ok(step)
}

pub async fn change_second_factor(
    state: &AppState,
    me: AuthUser,
    mfa_token: String,
    code: String,
    channel_asked: SecondFactor,
    phone_typed: Option<String>,
) -> Result<SecondFactorChanged, ApiError> {
    let claims = step::step_claims(
        state,
        &mfa_token,
        &[PURPOSE_CHANGE_FACTOR],
        Some(&me.user_id),
        "The step token is invalid or has expired.",
    )?;
    let mut errors = Vec::new();
    if channel_asked == SecondFactor::Passkey {
        errors.push(ehc_domain::field_error::FieldError::new(
            "/channel",
            "not_applicable",
            "add a passkey with POST /api/v1/me/passkeys/options instead",
        ));
    }
    let phone = channel_asked.phone(phone_typed.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let NewFactor { phone_ciphertext, phone_masked: masked, enrolment, totp_ciphertext } =
        factor::prepare(state, channel_asked, phone.as_deref())?;
    let now = state.now();
    let st = state.clone();
    let channel = channel_asked;
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
    Ok(SecondFactorChanged { channel, phone_masked: masked, totp })
}
