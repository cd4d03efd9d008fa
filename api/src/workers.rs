//! Background housekeeping. Safe with any number of instances: each pass only
//! deletes rows no rule can need any more, so running it twice is harmless.

use ehc_domain::roles::AccountStatus;
use std::time::Duration;

use ehc_storage::rate_limits;

use crate::state::AppState;

/// No rate-limit window is longer than this.
const KEEP_RATE_LIMIT_EVENTS: chrono::Duration = chrono::Duration::hours(2);
const PASS_INTERVAL: Duration = Duration::from_secs(600);

/// How soon a committed audit entry is linked into the hash chain.
const CHAIN_INTERVAL: Duration = Duration::from_millis(250);

/// Links committed audit entries into the chain, the instances that run
/// dispatchers taking turns (storage's `chain_pending`); readers of the log chain first too,
/// so nothing waits on this for correctness, only for the chain to be
/// current when someone looks at the database itself.
pub fn spawn_audit_chainer(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(CHAIN_INTERVAL);
        loop {
            interval.tick().await;
            if let Err(e) = state.tx(|conn| Ok(ehc_storage::audit::chain_pending(conn)?)).await {
                tracing::warn!(error = %e, "audit chaining failed; will retry");
            }
        }
    });
}

pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(PASS_INTERVAL);
        loop {
            interval.tick().await;
            let cutoff = state.now() - KEEP_RATE_LIMIT_EVENTS;
            // Ended WebAuthn ceremonies go too: their challenges are spent;
            // so do answers kept for Idempotency-Key past their 24 hours and
            // events past the feed's 90 days.
            let now = state.now();
            let pruned = state.tx(move |conn| {
                use ehc_storage::partners::{events, idempotency};
                let keys_before = now - chrono::Duration::hours(crate::idempotency::KEPT_HOURS);
                let events_before = now - chrono::Duration::days(crate::partners::events::KEPT_DAYS);
                Ok(rate_limits::prune(conn, cutoff)?
                    + ehc_storage::identity::passkeys::prune(conn, cutoff)?
                    + idempotency::purge_before(conn, keys_before)?
                    + events::purge_before(conn, events_before)?)
            });
            match pruned.await {
                Ok(deleted) if deleted > 0 => tracing::info!(
                    deleted,
                    "pruned old rate-limit events, ceremonies, idempotency answers and feed events"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping pass failed; will retry"),
            }
        }
    });
}

/// How often the scheduled jobs run. Both are idempotent, so running them
/// more often than daily (and on every instance) only costs a few queries.
const JOBS_INTERVAL: Duration = Duration::from_secs(900);

/// Reminders and escalations, then the retention purge.
pub fn spawn_scheduled_jobs(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(JOBS_INTERVAL);
        loop {
            interval.tick().await;
            let started = std::time::Instant::now();
            let reminders = crate::reminders::run_once(&state).await;
            if let Err(e) = &reminders {
                tracing::warn!(error = %e, "reminder pass failed; will retry");
            }
            state.metrics.job_ran("reminders", started.elapsed(), reminders.is_err());
            let started = std::time::Instant::now();
            let steps = crate::step_reminders::run_once(&state).await;
            if let Err(e) = &steps {
                tracing::warn!(error = %e, "statutory step reminder pass failed; will retry");
            }
            state.metrics.job_ran("step_reminders", started.elapsed(), steps.is_err());
            let started = std::time::Instant::now();
            let purge = crate::retention::purge_once(&state).await;
            if let Err(e) = &purge {
                tracing::warn!(error = %e, "retention purge failed; will retry");
            }
            state.metrics.job_ran("retention_purge", started.elapsed(), purge.is_err());
        }
    });
}

/// How long a claimed notification is reserved for one dispatcher.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
const DISPATCH_INTERVAL: Duration = Duration::from_millis(500);
const CLAIM_BATCH: i64 = 20;

/// Retry later and later: 30 s, 1, 2, 4 ... minutes, at most an hour.
fn backoff(attempts: i32) -> chrono::Duration {
    let seconds = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    chrono::Duration::seconds(seconds.min(3600))
}

/// One pass of the notification dispatcher: claims due notifications, sends
/// each to its recipient's current address, records the outcome. Returns how
/// many it handled. Several dispatchers (instances) may run at once.
pub async fn dispatch_once(state: &AppState, worker: &str) -> Result<usize, crate::error::ApiError> {
    use crate::messaging::{Channel, OutgoingMessage};
    use ehc_storage::identity::users;
    use ehc_storage::notifications;

    let now = state.now();
    let who = worker.to_owned();
    let claimed = state.tx(move |conn| Ok(notifications::claim(conn, &who, now, now + LEASE, CLAIM_BATCH)?)).await?;
    let handled = claimed.len();
    for n in claimed {
        let recipient = n.recipient_user_id.clone();
        let user = state.tx(move |conn| Ok(users::user_by_id(conn, &recipient)?)).await?;
        let outcome = if user.status == AccountStatus::Disabled {
            Ok(())
        } else {
            state
                .messenger
                .send(OutgoingMessage {
                    channel: Channel::Email,
                    to: user.email,
                    subject: Some(n.subject.clone()),
                    body: n.body.clone(),
                })
                .await
                .map_err(|e| e.to_string())
        };
        let (id, who, at) = (n.id.clone(), worker.to_owned(), state.now());
        match outcome {
            Ok(()) => {
                state.tx(move |conn| Ok(notifications::mark_sent(conn, &id, &who, at)?)).await?;
            }
            Err(error) => {
                let retry_at = at + backoff(n.attempts);
                tracing::warn!(event = %n.event, attempts = n.attempts + 1, "notification not delivered; will retry");
                state.metrics.delivery_failures.inc();
                state.tx(move |conn| Ok(notifications::mark_failed(conn, &id, &who, &error, retry_at)?)).await?;
            }
        }
    }
    Ok(handled)
}

/// The webhook dispatcher: every half second, fan out new events and make
/// the deliveries that are due (partners/dispatch.rs). Several passes run
/// side by side, each claiming its own deliveries, so one pass's database
/// work overlaps another's sending.
pub fn spawn_webhook_dispatcher(state: AppState) {
    for _ in 0..crate::partners::dispatch::PASSES_AT_ONCE {
        spawn_webhook_pass_loop(state.clone());
    }
}

fn spawn_webhook_pass_loop(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(crate::partners::dispatch::DISPATCH_INTERVAL);
        loop {
            interval.tick().await;
            loop {
                match crate::partners::dispatch::dispatch_once(&state).await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "webhook dispatcher pass failed; will retry");
                        break;
                    }
                }
            }
        }
    });
}

pub fn spawn_dispatcher(state: AppState) {
    let worker = format!("dispatcher-{}", uuid::Uuid::new_v4());
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(DISPATCH_INTERVAL);
        loop {
            interval.tick().await;
            // Drain what is due before waiting again.
            loop {
                match dispatch_once(&state, &worker).await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "dispatcher pass failed; will retry");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(super::backoff(0).num_seconds(), 30);
        assert_eq!(super::backoff(3).num_seconds(), 240);
        assert_eq!(super::backoff(20).num_seconds(), 3600);
    }
}
