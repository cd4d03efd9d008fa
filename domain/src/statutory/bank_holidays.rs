//! Working days: Monday to Friday, not bank holidays in England and Wales.
//! The list covers 2020–2030 (including the one-off holidays of 2020, 2022
//! and 2023); an authority adds more through `BankHolidays::with_extra`.

use chrono::{Datelike, NaiveDate, Weekday};

const ENGLAND_AND_WALES: &[(i32, u32, u32)] = &[
    (2020, 1, 1),
    (2020, 4, 10),
    (2020, 4, 13),
    (2020, 5, 8),
    (2020, 5, 25),
    (2020, 8, 31),
    (2020, 12, 25),
    (2020, 12, 28),
    (2021, 1, 1),
    (2021, 4, 2),
    (2021, 4, 5),
    (2021, 5, 3),
    (2021, 5, 31),
    (2021, 8, 30),
    (2021, 12, 27),
    (2021, 12, 28),
    (2022, 1, 3),
    (2022, 4, 15),
    (2022, 4, 18),
    (2022, 5, 2),
    (2022, 6, 2),
    (2022, 6, 3),
    (2022, 8, 29),
    (2022, 9, 19),
    (2022, 12, 26),
    (2022, 12, 27),
    (2023, 1, 2),
    (2023, 4, 7),
    (2023, 4, 10),
    (2023, 5, 1),
    (2023, 5, 8),
    (2023, 5, 29),
    (2023, 8, 28),
    (2023, 12, 25),
    (2023, 12, 26),
    (2024, 1, 1),
    (2024, 3, 29),
    (2024, 4, 1),
    (2024, 5, 6),
    (2024, 5, 27),
    (2024, 8, 26),
    (2024, 12, 25),
    (2024, 12, 26),
    (2025, 1, 1),
    (2025, 4, 18),
    (2025, 4, 21),
    (2025, 5, 5),
    (2025, 5, 26),
    (2025, 8, 25),
    (2025, 12, 25),
    (2025, 12, 26),
    (2026, 1, 1),
    (2026, 4, 3),
    (2026, 4, 6),
    (2026, 5, 4),
    (2026, 5, 25),
    (2026, 8, 31),
    (2026, 12, 25),
    (2026, 12, 28),
    (2027, 1, 1),
    (2027, 3, 26),
    (2027, 3, 29),
    (2027, 5, 3),
    (2027, 5, 31),
    (2027, 8, 30),
    (2027, 12, 27),
    (2027, 12, 28),
    (2028, 1, 3),
    (2028, 4, 14),
    (2028, 4, 17),
    (2028, 5, 1),
    (2028, 5, 29),
    (2028, 8, 28),
    (2028, 12, 25),
    (2028, 12, 26),
    (2029, 1, 1),
    (2029, 3, 30),
    (2029, 4, 2),
    (2029, 5, 7),
    (2029, 5, 28),
    (2029, 8, 27),
    (2029, 12, 25),
    (2029, 12, 26),
    (2030, 1, 1),
    (2030, 4, 19),
    (2030, 4, 22),
    (2030, 5, 6),
    (2030, 5, 27),
    (2030, 8, 26),
    (2030, 12, 25),
    (2030, 12, 26),
];

#[derive(Debug, Clone)]
pub struct BankHolidays {
    dates: Vec<NaiveDate>,
}

impl Default for BankHolidays {
    fn default() -> Self {
        let mut dates: Vec<NaiveDate> =
            ENGLAND_AND_WALES.iter().filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d)).collect();
        dates.sort();
        Self { dates }
    }
}

impl BankHolidays {
    /// The shipped list plus an authority's own (a new year's dates, a
    /// one-off holiday).
    pub fn with_extra(extra: &[NaiveDate]) -> Self {
        let mut holidays = Self::default();
        holidays.dates.extend_from_slice(extra);
        holidays.dates.sort();
        holidays.dates.dedup();
        holidays
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.dates.binary_search(&date).is_ok()
    }
}

pub fn is_working_day(date: NaiveDate, holidays: &BankHolidays) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(date)
}

/// The date `n` working days after `from` (the day itself not counted).
pub fn add_working_days(from: NaiveDate, n: u32, holidays: &BankHolidays) -> NaiveDate {
    let mut date = from;
    let mut left = n;
    while left > 0 {
        date = date.succ_opt().unwrap_or(date);
        if is_working_day(date, holidays) {
            left -= 1;
        }
    }
    date
}
