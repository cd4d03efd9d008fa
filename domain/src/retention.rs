//! How long case records are kept, and the guard that stops bad data from
//! destroying good records: seed 004 keeps SEND files until the date of
//! birth + 31 years (configurable), but a date of birth typed wrong (1800, or
//! a century off) must not make the purge delete a case someone is working
//! on. So a case created or touched in the last 90 days is never purged,
//! whatever its dates; the purge says how many it kept back for that.

use chrono::{Duration, Months, NaiveDate, NaiveDateTime};

/// A case created, changed or read within this many days is never purged.
pub const RECENT_ACTIVITY_GUARD_DAYS: i64 = 90;

/// A ceased plan's case is kept at least this long after the plan ended:
/// the retention clock of a plan starts when it ceases (s.45), and six
/// years is the Limitation Act 1980's period for a claim (ss.2 and 5).
pub const YEARS_AFTER_CEASE: u32 = 6;

/// Cases whose plan ended before this day are past the cease clock.
pub fn ceased_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(YEARS_AFTER_CEASE * 12)).unwrap_or(NaiveDate::MIN)
}

/// The day a case may be purged from: the date of birth + `retention_years`,
/// and for a ceased plan not before `YEARS_AFTER_CEASE` after it ended.
pub fn retained_until(born: NaiveDate, retention_years: u32, ceases_on: Option<NaiveDate>) -> NaiveDate {
    let by_age = born.checked_add_months(Months::new(retention_years.saturating_mul(12))).unwrap_or(NaiveDate::MAX);
    let by_cease = ceases_on.and_then(|c| c.checked_add_months(Months::new(YEARS_AFTER_CEASE * 12)));
    by_cease.map_or(by_age, |c| c.max(by_age))
}

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
    fn the_cease_clock_keeps_a_case_six_years_after_the_plan_ends() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(ceased_before(d(2026, 12, 1)), d(2020, 12, 1));
        // Born 1990: by age alone purgeable from 2021; ceased 2026, kept to 2032.
        assert_eq!(retained_until(d(1990, 5, 1), 31, Some(d(2026, 2, 1))), d(2032, 2, 1));
        assert_eq!(retained_until(d(2015, 5, 1), 31, Some(d(2026, 2, 1))), d(2046, 5, 1), "age rule later");
        assert_eq!(retained_until(d(2015, 5, 1), 31, None), d(2046, 5, 1));
    }

    #[test]
    fn the_guard_reaches_back_ninety_days() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(active_since(now), NaiveDate::from_ymd_opt(2026, 9, 2).unwrap().and_hms_opt(9, 0, 0).unwrap());
    }
}
