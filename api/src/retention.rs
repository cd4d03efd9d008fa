//! The daily retention purge (seed 004: SEND records are kept until the date
//! of birth + 31 years, configurable). A case past it, and not on legal hold,
//! is removed with its documents' blobs. The blobs go first: if one cannot be
//! removed the case stays and the next run tries again, so no file is ever
//! left without the row that finds it. The purge is audited by case id only.

use ehc_storage::casework::retention;

use crate::error::ApiError;
use crate::state::AppState;

const BATCH: i64 = 200;

/// People born before this day are past retention on `today`.
pub fn born_before(today: chrono::NaiveDate, retention_years: u32) -> chrono::NaiveDate {
    today.checked_sub_months(chrono::Months::new(retention_years.saturating_mul(12))).unwrap_or(chrono::NaiveDate::MIN)
}

/// Removes every case past retention; returns how many.
pub async fn purge_once(state: &AppState) -> Result<usize, ApiError> {
    let cutoff = born_before(state.now().date(), state.retention_years);
    let mut purged = 0;
    let mut after = String::new();
    loop {
        let from = after.clone();
        let candidates = state.tx(move |conn| Ok(retention::purge_candidates(conn, cutoff, &from, BATCH)?)).await?;
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
    Ok(purged)
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn thirty_one_years_after_birth() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(super::born_before(today, 31), NaiveDate::from_ymd_opt(1995, 11, 23).unwrap());
        // A leap-day birthday is past retention on 1 March.
        let leap = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
        assert_eq!(super::born_before(leap, 31), NaiveDate::from_ymd_opt(1996, 2, 28).unwrap());
    }
}
