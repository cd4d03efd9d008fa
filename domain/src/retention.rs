//! How long case records are kept, and the guard that stops bad data from
//! destroying good records: seed 004 keeps SEND files until the date of
//! birth + 31 years (configurable), but a date of birth typed wrong (1800, or
//! a century off) must not make the purge delete a case someone is working
//! on. So a case created or touched in the last 90 days is never purged,
//! whatever its dates; the purge says how many it kept back for that.

use chrono::{Duration, Months, NaiveDate, NaiveDateTime};

/// A case created, changed or read within this many days is never purged.
pub const RECENT_ACTIVITY_GUARD_DAYS: i64 = 90;

/// People born before this day are past retention on `today`.
pub fn born_before(today: NaiveDate, retention_years: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(retention_years.saturating_mul(12))).unwrap_or(NaiveDate::MIN)
}

/// Cases with activity at or after this moment are kept whatever their dates.
pub fn active_since(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::days(RECENT_ACTIVITY_GUARD_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_one_years_after_birth() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(born_before(today, 31), NaiveDate::from_ymd_opt(1995, 11, 23).unwrap());
        // A leap-day birthday is past retention on 1 March.
        let leap = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
        assert_eq!(born_before(leap, 31), NaiveDate::from_ymd_opt(1996, 2, 28).unwrap());
    }

    #[test]
    fn the_guard_reaches_back_ninety_days() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(active_since(now), NaiveDate::from_ymd_opt(2026, 9, 2).unwrap().and_hms_opt(9, 0, 0).unwrap());
    }
}
