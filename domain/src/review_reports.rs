//! Timeliness of a plan in force (s.44; regs 18, 20 and 22): decisions after
//! review meetings within 4 weeks, amended plans within 8 weeks of the
//! proposal, phase transfer reviews by their deadline, and reviews overdue.
//! Pure: the caller loads each case's dates (`CycleRecord`).

use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::reports::{measure, Measure};
use crate::statutory::{amended_plan_due, annual_review_due, phase_transfer_due, review_decision_due, PhaseTransfer};

/// The dates of one case's plan in force.
#[derive(Debug, Clone, Default)]
pub struct CycleRecord {
    pub final_issued: Option<NaiveDate>,
    pub review_meetings: Vec<NaiveDate>,
    /// Decisions after a review: maintain, cease, or amendments proposed.
    pub review_decisions: Vec<NaiveDate>,
    pub amendments_proposed: Vec<NaiveDate>,
    pub amended_issued: Vec<NaiveDate>,
    pub phase_transfer: Option<(PhaseTransfer, NaiveDate)>,
    /// The day the plan ceased (or will, once the time to appeal has run).
    pub ceases_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CycleTimeliness {
    /// Decisions after a review meeting made in the period, within 4 weeks
    /// of the meeting (reg 20(10)); days from the meeting.
    pub review_decisions: Measure,
    /// Amended plans issued in the period, within 8 weeks of the proposal
    /// (reg 22(3)); days from the proposal.
    pub amended_plans: Measure,
    /// Phase transfer reviews whose deadline fell in the period, met by an
    /// amended (or final) plan in the 6 months before it (reg 18); days
    /// counted back from the deadline are not meaningful, so the median is
    /// the days before the deadline the plan was issued.
    pub phase_transfers: Measure,
    /// Plans in force on the day asked whose annual review (12 months from
    /// the plan or the last review meeting, s.44) has passed.
    pub annual_reviews_overdue: usize,
}

fn in_period(d: NaiveDate, from: NaiveDate, to: NaiveDate) -> bool {
    d >= from && d <= to
}

pub fn cycle_timeliness(cases: &[CycleRecord], from: NaiveDate, to: NaiveDate, today: NaiveDate) -> CycleTimeliness {
    let mut decisions = Vec::new();
    let mut amended = Vec::new();
    let mut transfers = Vec::new();
    let mut overdue = 0;
    for c in cases {
        let Some(final_issued) = c.final_issued else { continue };
        for meeting in &c.review_meetings {
            // The first decision on or after the meeting answers it.
            let answered = c.review_decisions.iter().filter(|d| *d >= meeting).min();
            if let Some(on) = answered.filter(|d| in_period(**d, from, to)) {
                decisions.push(((*on - *meeting).num_days(), *on <= review_decision_due(*meeting)));
            }
        }
        for issued in c.amended_issued.iter().filter(|d| in_period(**d, from, to)) {
            if let Some(proposed) = c.amendments_proposed.iter().filter(|p| *p <= issued).max() {
                amended.push(((*issued - *proposed).num_days(), *issued <= amended_plan_due(*proposed)));
            }
        }
        if let Some((kind, on)) = c.phase_transfer {
            let due = phase_transfer_due(kind, on);
            if in_period(due, from, to) {
                let window = due.checked_sub_months(Months::new(6)).unwrap_or(due - Duration::days(183));
                let issued = c.amended_issued.iter().chain([&final_issued]).filter(|d| **d >= window).max();
                match issued {
                    Some(d) => transfers.push(((due - *d).num_days().max(0), *d <= due)),
                    None => transfers.push((0, false)),
                }
            }
        }
        let ceased = c.ceases_on.is_some_and(|d| d <= today);
        let last = c.review_meetings.iter().copied().chain([final_issued]).max().unwrap_or(final_issued);
        if !ceased && annual_review_due(last) < today {
            overdue += 1;
        }
    }
    CycleTimeliness {
        review_decisions: measure(&decisions),
        amended_plans: measure(&amended),
        phase_transfers: measure(&transfers),
        annual_reviews_overdue: overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reviews_amendments_and_transfers_against_their_limits() {
        let on_time = CycleRecord {
            final_issued: Some(d("2025-03-01")),
            review_meetings: vec![d("2026-02-10")],
            review_decisions: vec![d("2026-03-10")], // 28 days: within 4 weeks
            amendments_proposed: vec![d("2026-03-10")],
            amended_issued: vec![d("2026-05-05")], // 56 days: within 8 weeks
            phase_transfer: Some((PhaseTransfer::SchoolPhase, d("2027-09-01"))),
            ceases_on: None,
        };
        let late = CycleRecord {
            final_issued: Some(d("2024-06-01")),
            review_meetings: vec![d("2026-01-05")],
            review_decisions: vec![d("2026-02-03")], // 29 days
            amendments_proposed: vec![d("2026-02-03")],
            amended_issued: vec![d("2026-04-01")], // 57 days
            phase_transfer: Some((PhaseTransfer::Year11ToPost16, d("2026-09-01"))),
            ceases_on: None,
        };
        let ceased =
            CycleRecord { final_issued: Some(d("2020-01-01")), ceases_on: Some(d("2025-01-01")), ..Default::default() };
        let r = cycle_timeliness(&[on_time, late, ceased], d("2026-01-01"), d("2026-12-31"), d("2027-03-01"));
        assert_eq!((r.review_decisions.total, r.review_decisions.within), (2, 1));
        assert_eq!(r.review_decisions.median_days, Some(28.5));
        assert_eq!((r.amended_plans.total, r.amended_plans.within), (2, 1));
        // Year 11 to post-16 in 2026: due 31 March 2026; the amended plan of
        // 1 April came a day late. The 2027 school transfer falls outside.
        assert_eq!((r.phase_transfers.total, r.phase_transfers.within), (1, 0));
        // 2026-02-10 + 12 months = 2027-02-10 < 2027-03-01; the late one's
        // 2027-01-05 too; the ceased plan is not counted.
        assert_eq!(r.annual_reviews_overdue, 2);
    }
}
