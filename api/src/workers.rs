//! Background housekeeping. Safe with any number of instances: each pass only
//! deletes rows no rule can need any more, so running it twice is harmless.

use std::time::Duration;

use ehc_storage::rate_limits;

use crate::state::AppState;

/// No rate-limit window is longer than this.
const KEEP_RATE_LIMIT_EVENTS: chrono::Duration = chrono::Duration::hours(2);
const PASS_INTERVAL: Duration = Duration::from_secs(600);

pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(PASS_INTERVAL);
        loop {
            interval.tick().await;
            let cutoff = state.now() - KEEP_RATE_LIMIT_EVENTS;
            match state.tx(move |conn| Ok(rate_limits::prune(conn, cutoff)?)).await {
                Ok(deleted) if deleted > 0 => tracing::info!(deleted, "pruned old rate-limit events"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping pass failed; will retry"),
            }
        }
    });
}
