//! Ceasing to maintain a plan (s.45 CFA 2014, regs 29-31): the reasons the
//! DfE's SEN2 return records, which of them the law allows for the person's
//! age, and the notice of the right to appeal the decision must carry.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::field_error::FieldError;

/// Why a plan ceases, as SEN2's `CeaseReason` (codes 1-9) records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CeaseReason {
    /// The end of the academic year in which the young person turned 25 (s.46).
    ReachedMaximumAge,
    /// Needs are met without a plan: it is no longer necessary (s.45(1)(b)).
    NeedsMetWithoutPlan,
    MovedToHigherEducation,
    /// Paid employment, apprenticeships excluded.
    MovedToPaidEmployment,
    /// Another authority now maintains the plan (s.45(1)(a)).
    TransferredToAnotherAuthority,
    /// A young person of 18 or over who does not wish to return to education
    /// or training, ascertained at a review (reg 30(1)).
    NoLongerWishesToEngage,
    MovedAbroad,
    Deceased,
    Other,
}

impl CeaseReason {
    pub const ALL: [CeaseReason; 9] = [
        Self::ReachedMaximumAge,
        Self::NeedsMetWithoutPlan,
        Self::MovedToHigherEducation,
        Self::MovedToPaidEmployment,
        Self::TransferredToAnotherAuthority,
        Self::NoLongerWishesToEngage,
        Self::MovedAbroad,
        Self::Deceased,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ReachedMaximumAge => "reached_maximum_age",
            Self::NeedsMetWithoutPlan => "needs_met_without_plan",
            Self::MovedToHigherEducation => "moved_to_higher_education",
            Self::MovedToPaidEmployment => "moved_to_paid_employment",
            Self::TransferredToAnotherAuthority => "transferred_to_another_authority",
            Self::NoLongerWishesToEngage => "no_longer_wishes_to_engage",
            Self::MovedAbroad => "moved_abroad",
            Self::Deceased => "deceased",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// SEN2's `CeaseReason` code.
    pub fn sen2_code(self) -> &'static str {
        match self {
            Self::ReachedMaximumAge => "1",
            Self::NeedsMetWithoutPlan => "2",
            Self::MovedToHigherEducation => "3",
            Self::MovedToPaidEmployment => "4",
            Self::TransferredToAnotherAuthority => "5",
            Self::NoLongerWishesToEngage => "6",
            Self::MovedAbroad => "7",
            Self::Deceased => "8",
            Self::Other => "9",
        }
    }

    /// The ground in s.45(1): (a) the authority is no longer responsible, or
    /// (b) the plan is no longer necessary.
    pub fn ground(self) -> &'static str {
        match self {
            Self::TransferredToAnotherAuthority | Self::MovedAbroad | Self::Deceased => {
                "s.45(1)(a): no longer responsible"
            }
            _ => "s.45(1)(b): no longer necessary",
        }
    }
}

crate::stored_as_text!(CeaseReason, code, parse);

fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let had_birthday = (on.month(), on.day()) >= (born.month(), born.day());
    on.year() - born.year() - if had_birthday { 0 } else { 1 }
}

/// The last 31 July (the end of an academic year) on or before `on`.
fn academic_year_end_by(on: NaiveDate) -> NaiveDate {
    let this_year = NaiveDate::from_ymd_opt(on.year(), 7, 31).unwrap_or(on);
    if on >= this_year {
        this_year
    } else {
        NaiveDate::from_ymd_opt(on.year() - 1, 7, 31).unwrap_or(on)
    }
}

/// Whether the law lets the plan cease for `reason`, for a person born on
/// `born`, decided on `decided_on` and ending on `ceases_on`; `details` is
/// the officer's explanation, which "other" must have.
pub fn check_cease(
    reason: CeaseReason,
    born: NaiveDate,
    decided_on: NaiveDate,
    ceases_on: NaiveDate,
    details: Option<&str>,
) -> Result<(), FieldError> {
    match reason {
        // s.46: a plan may be kept to the end of the academic year in which
        // the young person turns 25, so "maximum age" fits only after it.
        CeaseReason::ReachedMaximumAge if age_on(born, academic_year_end_by(ceases_on)) < 25 => Err(FieldError::new(
            "/reason",
            "too_young",
            "a plan reaches its maximum age only after the academic year in which the young person turns 25 (s.46)",
        )),
        // Reg 30(1): only a young person aged 18 or over.
        CeaseReason::NoLongerWishesToEngage if age_on(born, decided_on) < 18 => Err(FieldError::new(
            "/reason",
            "under_18",
            "under 18, a plan may cease only when it is no longer necessary (reg 29(1)); reg 30 is for 18 and over",
        )),
        CeaseReason::Other if details.is_none_or(|d| d.trim().is_empty()) => {
            Err(FieldError::new("/details", "required", "say why the plan ceases when the reason is other"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
    }

    #[test]
    fn each_reason_keeps_its_sen2_code_and_ground() {
        let codes: Vec<_> = CeaseReason::ALL.iter().map(|r| r.sen2_code()).collect();
        assert_eq!(codes, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(CeaseReason::Deceased.ground(), "s.45(1)(a): no longer responsible");
        assert_eq!(CeaseReason::NeedsMetWithoutPlan.ground(), "s.45(1)(b): no longer necessary");
        for r in CeaseReason::ALL {
            assert_eq!(CeaseReason::parse(r.code()), Some(r));
        }
    }

    #[test]
    fn the_law_fits_the_reason_to_the_age() {
        let born = d("01/03/2002"); // turns 25 on 1 March 2027
        let max = CeaseReason::ReachedMaximumAge;
        assert!(check_cease(max, born, d("01/05/2027"), d("01/07/2027"), None).is_err(), "before 31 July 2027");
        assert!(check_cease(max, born, d("01/06/2027"), d("01/08/2027"), None).is_ok(), "after that year's end");
        let young = d("10/09/2010"); // 16 in 2026
        let engage = CeaseReason::NoLongerWishesToEngage;
        assert_eq!(check_cease(engage, young, d("01/12/2026"), d("01/02/2027"), None).unwrap_err().code, "under_18");
        assert!(check_cease(engage, d("10/09/2007"), d("01/12/2026"), d("01/02/2027"), None).is_ok(), "19");
        assert_eq!(
            check_cease(CeaseReason::Other, young, d("01/12/2026"), d("01/02/2027"), Some(" ")).unwrap_err().pointer,
            "/details"
        );
        assert!(check_cease(CeaseReason::NeedsMetWithoutPlan, young, d("01/12/2026"), d("01/02/2027"), None).is_ok());
    }
}
