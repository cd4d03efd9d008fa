//! Limits of one-time passcodes and login attempts. These are rules, so they
//! live here; storage enforces them with counts kept in the database so that
//! every server instance sees the same numbers.

use chrono::Duration;

/// How long a code sent by SMS or voice stays valid.
pub const CODE_TTL_MINUTES: i64 = 10;
/// Wrong codes allowed against one login before it is locked.
pub const MAX_CODE_ATTEMPTS: i32 = 5;
/// A new code may be sent at most this often...
pub const RESEND_INTERVAL_SECONDS: i64 = 30;
/// ...and at most this many an hour per account.
pub const MAX_CODES_PER_HOUR: i64 = 10;
/// An MFA-step token lives as long as the code it waits for.
pub const MFA_STEP_TTL_MINUTES: i64 = 10;
/// Access tokens are short; the session behind them is what lasts.
pub const ACCESS_TOKEN_TTL_MINUTES: i64 = 15;
/// A session ends after this long without a refresh.
pub const SESSION_IDLE_DAYS: i64 = 1;
/// and at the latest this long after login, whatever happens.
pub const SESSION_MAX_HOURS: i64 = 12;
pub const INVITATION_TTL_DAYS: i64 = 14;
pub const PASSWORD_RESET_TTL_MINUTES: i64 = 60;
pub const RECOVERY_CODE_COUNT: usize = 10;
/// TOTP steps either side of now that are still accepted (clock drift).
pub const TOTP_SKEW_STEPS: i64 = 1;
pub const TOTP_STEP_SECONDS: i64 = 30;

/// A rate limit: at most `max` events in a sliding `window`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub max: i64,
    pub window: Duration,
}

/// Password attempts per account, whatever the source address.
pub const LOGIN_PER_ACCOUNT: RateLimit = RateLimit { max: 10, window: Duration::minutes(15) };
/// Login, registration and reset attempts per client address.
pub const AUTH_PER_CLIENT: RateLimit = RateLimit { max: 60, window: Duration::minutes(15) };
/// Wrong second-step codes per account across all its logins: one login
/// attempt allows `MAX_CODE_ATTEMPTS`, but a new login must not reset the
/// count, or an attacker with the password could guess without end.
pub const WRONG_CODES_PER_ACCOUNT: RateLimit = RateLimit { max: 10, window: Duration::hours(1) };
/// How long the second step stays locked for an account once a login
/// attempt or the account's hourly allowance of wrong codes is used up.
pub const SECOND_STEP_LOCKOUT: RateLimit = RateLimit { max: 1, window: Duration::minutes(15) };
/// Codes sent per account.
pub const CODES_PER_ACCOUNT: RateLimit = RateLimit { max: MAX_CODES_PER_HOUR, window: Duration::hours(1) };

/// Seconds until a sliding-window limit lets one more event through, given
/// the oldest event still inside the window.
pub fn retry_after_seconds(
    oldest_in_window: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
    limit: RateLimit,
) -> i64 {
    ((oldest_in_window + limit.window) - now).num_seconds().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_counts_down_to_the_oldest_event_leaving_the_window() {
        let now = chrono::DateTime::from_timestamp(1_000_000, 0).map(|t| t.naive_utc()).unwrap_or_default();
        let oldest = now - Duration::minutes(10);
        assert_eq!(retry_after_seconds(oldest, now, LOGIN_PER_ACCOUNT), 300);
        assert_eq!(retry_after_seconds(now - Duration::minutes(20), now, LOGIN_PER_ACCOUNT), 1);
    }
}
