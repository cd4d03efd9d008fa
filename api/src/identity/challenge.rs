//! Second-step challenges: creating one (and sending its code), resending,
//! and checking a code, a TOTP or a recovery code against it. Wrong codes are
//! counted in the database; at the limit the challenge locks and the account
//! cannot start a new login for a while.

use chrono::{Duration, NaiveDateTime};
use ehc_domain::messages;
use ehc_domain::otp_policy::{
    RateLimit, CODES_PER_ACCOUNT, CODE_TTL_MINUTES, MAX_CODE_ATTEMPTS, MFA_STEP_TTL_MINUTES, RESEND_INTERVAL_SECONDS,
    SECOND_STEP_LOCKOUT, WRONG_CODES_PER_ACCOUNT,
};
use ehc_domain::roles::AccountStatus;
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::challenges::{self, Challenge, NewChallenge};
use ehc_storage::identity::users::User;
use ehc_storage::identity::{recovery_codes, users};
use ehc_storage::{new_id, rate_limits, DbConn};

use crate::error::ApiError;
use crate::messaging::{Channel, OutgoingMessage};
use crate::security::secrets::{constant_time_eq, hash_token, normalise_recovery_code, random_code};
use crate::security::tokens::{sign, MfaStepClaims, MFA_STEP_AUDIENCE};
use crate::security::totp;
use crate::state::AppState;
use crate::views::identity::MfaStep;
use crate::workflow::case_events::{queue, Notice};

pub const PURPOSE_LOGIN: &str = "login";
pub const PURPOSE_ENROL: &str = "enrol";
pub const PURPOSE_CHANGE_FACTOR: &str = "change_factor";
pub const PURPOSE_PASSWORD_RESET: &str = "password_reset";

/// After a challenge locks, new logins for the account wait this long.
pub const LOCKOUT: RateLimit = SECOND_STEP_LOCKOUT;

pub fn lockout_bucket(user_id: &str) -> String {
    crate::auth::account_bucket("mfa-lockout", user_id)
}

/// Wrong codes of the account over every login, kept in the database.
fn wrong_codes_bucket(user_id: &str) -> String {
    crate::auth::account_bucket("mfa-wrong-codes", user_id)
}

fn codes_bucket(user_id: &str) -> String {
    crate::auth::account_bucket("codes-sent", user_id)
}

/// A code to send after the transaction commits.
pub struct PendingCode {
    pub message: OutgoingMessage,
}

pub struct Started {
    pub challenge_id: String,
    pub mfa_token: String,
    pub code: Option<PendingCode>,
}

/// Opens a challenge and answers with the step the user takes next (the
/// code to send after commit, for SMS and voice users).
pub fn start_step(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    purpose: &str,
    password_reset_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(MfaStep, Option<PendingCode>), ApiError> {
    let started = start(conn, state, user, purpose, password_reset_id, now)?;
    let passkey = purpose != PURPOSE_ENROL
        && ehc_storage::identity::passkeys::usable_counts(conn, std::slice::from_ref(&user.id))?
            .iter()
            .any(|(_, n)| *n > 0);
    let step = MfaStep {
        mfa_token: started.mfa_token,
        channel: user.mfa_channel,
        phone_masked: user.phone_masked.clone(),
        passkey,
    };
    Ok((step, started.code))
}

/// Opens a challenge; for SMS and voice users, makes a code to send.
pub fn start(
    conn: &mut DbConn,
    state: &AppState,
    user: &User,
    purpose: &str,
    password_reset_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<Started, ApiError> {
    let id = new_id();
    let expires_at = now + Duration::minutes(MFA_STEP_TTL_MINUTES);
    let code = if uses_phone(user) && purpose != PURPOSE_ENROL {
        if let Some(retry_after_seconds) = rate_limits::hit(conn, &codes_bucket(&user.id), CODES_PER_ACCOUNT, now)? {
            return Err(ApiError::TooManyRequests { retry_after_seconds });
        }
        Some(random_code())
    } else {
        None
    };
    let code_hash = code.as_ref().map(|c| state.keys.hash_code(&id, c));
    challenges::insert_challenge(
        conn,
        &NewChallenge {
            id: &id,
            user_id: &user.id,
            purpose,
            code_hash: code_hash.as_deref(),
            code_sent_at: code.as_ref().map(|_| now),
            created_at: now,
            expires_at,
            password_reset_id,
        },
    )?;
    let code = code.map(|c| code_message(state, user, &c)).transpose()?;
    Ok(Started { mfa_token: mfa_token(state, &user.id, &id, purpose, now, expires_at)?, challenge_id: id, code })
}

pub fn mfa_token(
    state: &AppState,
    user_id: &str,
    challenge_id: &str,
    purpose: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<String, ApiError> {
    let claims = MfaStepClaims {
        iss: state.public_url.clone(),
        aud: MFA_STEP_AUDIENCE.to_owned(),
        sub: user_id.to_owned(),
        jti: challenge_id.to_owned(),
        purpose: purpose.to_owned(),
        iat: now.and_utc().timestamp(),
        exp: expires_at.and_utc().timestamp(),
    };
    sign(&claims, state.keys.signing_key()).map_err(ApiError::internal)
}

fn uses_phone(user: &User) -> bool {
    matches!(user.mfa_channel, SecondFactor::Sms | SecondFactor::Voice)
}

fn code_message(state: &AppState, user: &User, code: &str) -> Result<PendingCode, ApiError> {
    let ciphertext =
        user.phone_ciphertext.as_ref().ok_or_else(|| ApiError::internal("phone channel without a phone number"))?;
    let phone =
        String::from_utf8(state.keys.decrypt(ciphertext).map_err(ApiError::internal)?).map_err(ApiError::internal)?;
    let (channel, text) = if user.mfa_channel == SecondFactor::Voice {
        (Channel::Voice, messages::login_code_voice(&state.service_name, code))
    } else {
        (Channel::Sms, messages::login_code_sms(&state.service_name, code, CODE_TTL_MINUTES))
    };
    Ok(PendingCode { message: OutgoingMessage { channel, to: phone, subject: None, body: text.body } })
}

/// Sends a code after its transaction committed.
pub async fn deliver(state: &AppState, code: Option<PendingCode>) -> Result<(), ApiError> {
    if let Some(code) = code {
        state.messenger.send(code.message).await.map_err(|e| ApiError::Unavailable(e.to_string()))?;
    }
    Ok(())
}

/// A fresh code for an open challenge, at most every 30 s and 10 an hour.
pub fn resend(
    conn: &mut DbConn,
    state: &AppState,
    challenge: &Challenge,
    user: &User,
    now: NaiveDateTime,
) -> Result<PendingCode, ApiError> {
    if !uses_phone(user) {
        return Err(ApiError::Conflict("Codes are sent only to phones; use your authenticator app.".to_owned()));
    }
    if let Some(sent) = challenge.code_sent_at {
        let wait = (sent + Duration::seconds(RESEND_INTERVAL_SECONDS) - now).num_seconds();
        if wait > 0 {
            return Err(ApiError::TooManyRequests { retry_after_seconds: wait });
        }
    }
    if let Some(retry_after_seconds) = rate_limits::hit(conn, &codes_bucket(&user.id), CODES_PER_ACCOUNT, now)? {
        return Err(ApiError::TooManyRequests { retry_after_seconds });
    }
    let code = random_code();
    challenges::replace_code(
        conn,
        &challenge.id,
        &state.keys.hash_code(&challenge.id, &code),
        now,
        now + Duration::minutes(CODE_TTL_MINUTES),
    )?;
    code_message(state, user, &code)
}

/// What checking a code found. Failures are outcomes, not errors, so that
/// the transaction counting them commits.
pub enum CodeCheck {
    Accepted,
    Wrong {
        locked: bool,
    },
    /// The app's current code, already used (to confirm the app, or to log
    /// in a moment ago): the next one will work.
    Reused,
    Unusable,
}

/// Loads a challenge for a verified step token; `None` if it does not match.
pub fn open_challenge(
    conn: &mut DbConn,
    claims: &MfaStepClaims,
    now: NaiveDateTime,
) -> Result<Option<(Challenge, User)>, ApiError> {
    let Some(challenge) = ehc_storage::error::OptionalExt::optional(challenges::challenge_by_id(conn, &claims.jti))?
    else {
        return Ok(None);
    };
    if challenge.user_id != claims.sub || challenge.purpose != claims.purpose || challenge.completed_at.is_some() {
        return Ok(None);
    }
    if challenge.locked_at.is_some() {
        return Err(locked_error(conn, &challenge.user_id, now));
    }
    let user = users::user_by_id(conn, &challenge.user_id)?;
    if user.status == AccountStatus::Disabled {
        return Ok(None);
    }
    Ok(Some((challenge, user)))
}

fn locked_error(conn: &mut DbConn, user_id: &str, now: NaiveDateTime) -> ApiError {
    let retry = rate_limits::check(conn, &lockout_bucket(user_id), LOCKOUT, now)
        .ok()
        .flatten()
        .unwrap_or(LOCKOUT.window.num_seconds());
    ApiError::TooManyRequests { retry_after_seconds: retry }
}

/// Whether the account's second step is locked now.
pub fn second_step_locked(conn: &mut DbConn, user: &User, now: NaiveDateTime) -> Result<bool, ApiError> {
    Ok(rate_limits::check(conn, &lockout_bucket(&user.id), LOCKOUT, now)?.is_some())
}

/// Checks a code (SMS/voice code, TOTP, or recovery code) against a challenge.
/// `totp_secret` is the secret to check for authenticator users (the pending
/// one while enrolling).
pub fn check_code(
    conn: &mut DbConn,
    state: &AppState,
    challenge: &Challenge,
    user: &User,
    code: &str,
    totp_secret: Option<&[u8]>,
    now: NaiveDateTime,
) -> Result<CodeCheck, ApiError> {
    if challenge.expires_at <= now {
        return Ok(CodeCheck::Unusable);
    }
    // While the account's second step is locked no code is even compared:
    // the right one must not get through a lock.
    if second_step_locked(conn, user, now)? {
        return Ok(CodeCheck::Wrong { locked: true });
    }
    let code = code.trim();
    let mut reused = false;
    let accepted = if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        match (totp_secret, &challenge.code_hash) {
            (Some(secret), _) => match totp::matching_step(secret, code, now.and_utc().timestamp()) {
                Some(step) if challenge.purpose == PURPOSE_ENROL => {
                    // Enrolment records the step when it activates the secret.
                    users::activate_pending_totp(conn, &user.id, step)?;
                    true
                }
                Some(step) => {
                    let claimed = users::claim_totp_step(conn, &user.id, step)?;
                    reused = !claimed;
                    claimed
                }
                None => false,
            },
            (None, Some(hash)) => constant_time_eq(hash, &state.keys.hash_code(&challenge.id, code)),
            (None, None) => false,
        }
    } else if challenge.purpose != PURPOSE_ENROL {
        recovery_codes::use_recovery_code(conn, &user.id, &hash_token(&normalise_recovery_code(code)), now)?
    } else {
        false
    };
    if accepted {
        if !challenges::complete_challenge(conn, &challenge.id, now)? {
            return Ok(CodeCheck::Unusable);
        }
        return Ok(CodeCheck::Accepted);
    }
    match count_wrong(conn, state, challenge, user, now)? {
        CodeCheck::Wrong { locked: false } if reused => Ok(CodeCheck::Reused),
        other => Ok(other),
    }
}

/// Counts one wrong answer to a challenge (a code, a recovery code or a
/// passkey assertion), on the challenge and on the account; locks at the
/// limit and tells the owner.
pub fn count_wrong(
    conn: &mut DbConn,
    state: &AppState,
    challenge: &Challenge,
    user: &User,
    now: NaiveDateTime,
) -> Result<CodeCheck, ApiError> {
    let attempts = challenges::record_failed_attempt(conn, &challenge.id, MAX_CODE_ATTEMPTS, now)?;
    rate_limits::record(conn, &wrong_codes_bucket(&user.id), now)?;
    let account_spent =
        rate_limits::check(conn, &wrong_codes_bucket(&user.id), WRONG_CODES_PER_ACCOUNT, now)?.is_some();
    let locked = attempts >= MAX_CODE_ATTEMPTS || account_spent;
    if locked {
        if account_spent {
            challenges::lock_challenge(conn, &challenge.id, now)?;
        }
        rate_limits::record(conn, &lockout_bucket(&user.id), now)?;
        tell_of_lock(conn, state, user)?;
        tracing::warn!(attempts, account_spent, "second step locked after too many wrong codes");
    }
    Ok(CodeCheck::Wrong { locked })
}

/// Queues the e-mail telling the account's owner of the lock, in the
/// transaction that counts the wrong code (so it is never lost).
fn tell_of_lock(conn: &mut DbConn, state: &AppState, user: &User) -> Result<(), ApiError> {
    let text = messages::second_step_locked_email(&state.service_name, LOCKOUT.window.num_minutes());
    let notice = Notice { event: "account.second_step_locked", case_id: None, text };
    queue(conn, state, notice, vec![user.id.clone()], "")
}

/// Turns a failed check into the answer the client gets.
/// Checks `code` against the open challenge `claims` names. The outer error
/// rolls the transaction back; the inner one is the answer to give once the
/// wrong attempt is counted, so the caller commits and then refuses.
pub fn prove(
    conn: &mut DbConn,
    state: &AppState,
    claims: &MfaStepClaims,
    code: &str,
    now: NaiveDateTime,
) -> Result<Result<(Challenge, User), ApiError>, ApiError> {
    let Some((open, user)) = open_challenge(conn, claims, now)? else {
        return Ok(Err(check_failure(CodeCheck::Unusable)));
    };
    let secret = totp_secret_for(state, &user, &open.purpose)?;
    Ok(match check_code(conn, state, &open, &user, code, secret.as_deref(), now)? {
        CodeCheck::Accepted => Ok((open, user)),
        failed => Err(check_failure(failed)),
    })
}

pub fn check_failure(check: CodeCheck) -> ApiError {
    match check {
        CodeCheck::Wrong { locked: true } => {
            ApiError::TooManyRequests { retry_after_seconds: LOCKOUT.window.num_seconds() }
        }
        CodeCheck::Wrong { locked: false } => ApiError::Unauthorized("The code is wrong or has expired."),
        CodeCheck::Reused => ApiError::Unauthorized(
            "This code was already used: wait for the next code in your authenticator app (about 30 seconds).",
        ),
        CodeCheck::Unusable | CodeCheck::Accepted => {
            ApiError::Unauthorized("This login step has expired or was already used. Start again.")
        }
    }
}

/// The authenticator secret to check for this user, if they use one.
pub fn totp_secret_for(state: &AppState, user: &User, purpose: &str) -> Result<Option<Vec<u8>>, ApiError> {
    let stored = if purpose == PURPOSE_ENROL {
        &user.pending_totp_ciphertext
    } else if user.mfa_channel == SecondFactor::Totp {
        &user.totp_secret_ciphertext
    } else {
        &None
    };
    stored.as_ref().map(|c| state.keys.decrypt(c).map_err(ApiError::internal)).transpose()
}
