//! The daily retention purge (seed 004: SEND records are kept until the date
//! of birth + 31 years, configurable). A case past it, and not on legal hold,
//! is removed with its documents' blobs. The blobs go first: if one cannot be
//! removed the case stays and the next run tries again, so no file is ever
//! left without the row that finds it. The purge is audited by case id only.
//! A case created or touched in the last 90 days is kept whatever its dates
//! (`ehc_domain::retention`), and the report says how many were kept so. A
//! case whose plan is open is never purged by its dates, and a ceased plan's
//! case is kept six years after the plan ended: its clock starts there.

use ehc_domain::retention::{active_since, born_before, ceased_before, RECENT_ACTIVITY_GUARD_DAYS};
use ehc_storage::casework::retention;

use crate::error::ApiError;
use crate::state::AppState;

const BATCH: i64 = 200;

/// What one run of the purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub purged: usize,
    /// Past retention by their dates, but created or touched recently.
    pub kept_recent: i64,
}

/// Removes every case past retention and not recently active.
pub async fn purge_once(state: &AppState) -> Result<PurgeReport, ApiError> {
    let cutoff = born_before(state.now().date(), state.retention_years);
    let ceased = ceased_before(state.now().date());
    let since = active_since(state.now());
    let mut purged = 0;
    let mut after = String::new();
    loop {
        let from = after.clone();
        let candidates =
            state.tx(move |conn| Ok(retention::purge_candidates(conn, cutoff, ceased, since, &from, BATCH)?)).await?;
        let Some(last) = candidates.last() else { break };
        after.clone_from(last);
        let full_batch = candidates.len() as i64 == BATCH;
        for case_id in candidates {
            match purge_case(state, case_id).await {
                Ok(true) => purged += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "a case past retention could not be purged; the next run tries again")
                }
            }
        }
        if !full_batch {
            break;
        }
    }
    if purged > 0 {
        tracing::info!(purged, "retention purge removed cases past their retention date");
    }
    let kept_recent = state.tx(move |conn| Ok(retention::kept_for_recent_activity(conn, cutoff, since)?)).await?;
    if kept_recent > 0 {
        tracing::warn!(
            kept_recent,
            guard_days = RECENT_ACTIVITY_GUARD_DAYS,
            "cases past retention by their dates were kept: created or touched recently (check their dates of birth)"
        );
    }
    Ok(PurgeReport { purged, kept_recent })
}

async fn purge_case(state: &AppState, case_id: String) -> Result<bool, ApiError> {
    let id = case_id.clone();
    let keys = state.tx(move |conn| Ok(retention::blob_keys_of_case(conn, &id)?)).await?;
    for key in keys {
        match state.blobs.delete(&key).await {
            Ok(()) | Err(ehc_storage::StorageError::NotFound) => {}
            Err(e) => return Err(ApiError::Unavailable(e.to_string())),
        }
    }
    let now = state.now();
    state
        .tx(move |conn| {
            let deleted = retention::delete_case(conn, &case_id)?;
            if deleted {
                crate::audit::record_system(conn, now, "case.purge", Some(&case_id), None)?;
            }
            Ok(deleted)
        })
        .await
}
