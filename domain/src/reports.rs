//! Timeliness figures the LA reports (seeds 003, 004; DOMAIN.md): decisions
//! to assess within 6 weeks, final plans within 20 weeks with and without
//! exceptions, advice within 6 weeks by specialism and by organisation,
//! median days, and what is overdue now. Pure: the caller loads the records.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::statutory::{advice_due, decision_to_assess_due, final_plan_due};

/// What the report needs of one case.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub received: NaiveDate,
    pub to_assess: Option<(NaiveDate, bool)>,
    pub to_issue: Option<(NaiveDate, bool)>,
    pub final_issued: Option<NaiveDate>,
    /// A reg 10(4) exception applies (recorded, or a closure from the calendar).
    pub plan_excepted: bool,
}

/// What the report needs of one request for advice.
#[derive(Debug, Clone)]
pub struct AdviceRecord {
    pub specialism: String,
    pub organisation: String,
    pub requested_on: NaiveDate,
    /// The local due date, for "overdue now".
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub withdrawn: bool,
    /// Bound by reg 8(1)'s 6 weeks (a family's own views are not).
    pub statutory: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Measure {
    /// How many were done in the period.
    pub total: usize,
    /// How many of them within the time limit.
    pub within: usize,
    /// `within / total` as a percentage to one decimal; null when none.
    pub percent: Option<f64>,
    /// Median calendar days taken; null when none.
    pub median_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Group {
    pub name: String,
    #[serde(flatten)]
    pub measure: Measure,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Overdue {
    /// Open requests for advice past their due date.
    pub advice_requests: usize,
    /// Requests for assessment with no decision 6 weeks on.
    pub decisions_to_assess: usize,
    /// Assessments without a final plan (or a decision not to issue) 20 weeks
    /// on, where no exception applies.
    pub final_plans: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Timeliness {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    /// Decisions whether to assess made in the period, within 6 weeks (reg 5).
    pub decisions_to_assess: Measure,
    /// Final plans issued in the period, within 20 weeks (reg 13(2)), all.
    pub final_plans_including_exceptions: Measure,
    /// The same, leaving out plans where a reg 10(4) exception applies.
    pub final_plans_excluding_exceptions: Measure,
    /// Advice given in the period within 6 weeks of the request (reg 8(1)).
    pub advice_by_specialism: Vec<Group>,
    pub advice_by_organisation: Vec<Group>,
    pub overdue_now: Overdue,
    /// The plan in force: reviews, amendments and phase transfers.
    pub plans_in_force: crate::review_reports::CycleTimeliness,
}

/// (days taken, within the limit) of each thing done in the period.
pub(crate) fn measure(done: &[(i64, bool)]) -> Measure {
    let total = done.len();
    let within = done.iter().filter(|(_, ok)| *ok).count();
    let percent = (total > 0).then(|| (within as f64 * 1000.0 / total as f64).round() / 10.0);
    let mut days: Vec<i64> = done.iter().map(|(d, _)| *d).collect();
    days.sort_unstable();
    let median_days = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2] as f64),
        n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };
    Measure { total, within, percent, median_days }
}

fn grouped(advice: &[&AdviceRecord], key: impl Fn(&AdviceRecord) -> &str) -> Vec<Group> {
    let mut groups: BTreeMap<String, Vec<(i64, bool)>> = BTreeMap::new();
    for a in advice {
        if let Some(done) = a.completed_on {
            groups
                .entry(key(a).to_owned())
                .or_default()
                .push(((done - a.requested_on).num_days(), done <= advice_due(a.requested_on)));
        }
    }
    groups.into_iter().map(|(name, done)| Group { name, measure: measure(&done) }).collect()
}

pub fn timeliness(
    cases: &[CaseRecord],
    cycles: &[crate::review_reports::CycleRecord],
    advice: &[AdviceRecord],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Timeliness {
    let in_period = |d: NaiveDate| d >= from && d <= to;
    let decided: Vec<(i64, bool)> = cases
        .iter()
        .filter_map(|c| {
            c.to_assess
                .filter(|(d, _)| in_period(*d))
                .map(|(d, _)| ((d - c.received).num_days(), d <= decision_to_assess_due(c.received)))
        })
        .collect();
    let plans: Vec<(&CaseRecord, (i64, bool))> = cases
        .iter()
        .filter_map(|c| {
            c.final_issued
                .filter(|d| in_period(*d))
                .map(|d| (c, ((d - c.received).num_days(), d <= final_plan_due(c.received))))
        })
        .collect();
    let all_plans: Vec<(i64, bool)> = plans.iter().map(|(_, m)| *m).collect();
    let unexcepted_plans: Vec<(i64, bool)> = plans.iter().filter(|(c, _)| !c.plan_excepted).map(|(_, m)| *m).collect();
    let given: Vec<&AdviceRecord> =
        advice.iter().filter(|a| a.statutory && !a.withdrawn && a.completed_on.is_some_and(in_period)).collect();
    let overdue_now = Overdue {
        advice_requests: advice.iter().filter(|a| !a.withdrawn && a.completed_on.is_none() && a.due_on < today).count(),
        decisions_to_assess: cases
            .iter()
            .filter(|c| c.to_assess.is_none() && decision_to_assess_due(c.received) < today)
            .count(),
        final_plans: cases
            .iter()
            .filter(|c| {
                let assessing = matches!(c.to_assess, Some((_, true)));
                let settled = c.final_issued.is_some() || matches!(c.to_issue, Some((_, false)));
                assessing && !settled && !c.plan_excepted && final_plan_due(c.received) < today
            })
            .count(),
    };
    Timeliness {
        from,
        to,
        as_of: today,
        decisions_to_assess: measure(&decided),
        final_plans_including_exceptions: measure(&all_plans),
        final_plans_excluding_exceptions: measure(&unexcepted_plans),
        advice_by_specialism: grouped(&given, |a| &a.specialism),
        advice_by_organisation: grouped(&given, |a| &a.organisation),
        overdue_now,
        plans_in_force: crate::review_reports::cycle_timeliness(cycles, from, to, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn case(received: &str, to_assess: Option<&str>, final_issued: Option<&str>, plan_excepted: bool) -> CaseRecord {
        CaseRecord {
            received: d(received),
            to_assess: to_assess.map(|x| (d(x), true)),
            to_issue: None,
            final_issued: final_issued.map(d),
            plan_excepted,
        }
    }

    #[test]
    fn percentages_medians_and_exceptions() {
        let cases = [
            // decided in 6 weeks exactly (due 2026-02-12); plan on time (due 2026-05-21).
            case("2026-01-01", Some("2026-02-12"), Some("2026-05-21"), false),
            // decided a day late; plan late but excepted.
            case("2026-01-01", Some("2026-02-13"), Some("2026-06-30"), true),
            // decided on time; plan late, not excepted.
            case("2026-01-01", Some("2026-01-31"), Some("2026-06-01"), false),
        ];
        let r = timeliness(&cases, &[], &[], d("2026-01-01"), d("2026-12-31"), d("2026-07-01"));
        assert_eq!(
            r.decisions_to_assess,
            Measure { total: 3, within: 2, percent: Some(66.7), median_days: Some(42.0) }
        );
        assert_eq!(r.final_plans_including_exceptions.total, 3);
        assert_eq!(r.final_plans_including_exceptions.within, 1);
        assert_eq!(
            r.final_plans_excluding_exceptions,
            Measure { total: 2, within: 1, percent: Some(50.0), median_days: Some(145.5) }
        );
    }

    #[test]
    fn advice_is_grouped_and_overdue_counted() {
        let a = |spec: &str, org: &str, req: &str, done: Option<&str>| AdviceRecord {
            specialism: spec.into(),
            organisation: org.into(),
            requested_on: d(req),
            due_on: advice_due(d(req)),
            completed_on: done.map(d),
            withdrawn: false,
            statutory: true,
        };
        let advice = [
            a("health", "NHS Trust", "2026-03-02", Some("2026-04-13")),
            a("health", "NHS Trust", "2026-03-02", Some("2026-04-14")),
            a("social_care", "Children's Services", "2026-03-02", Some("2026-03-10")),
            a("social_care", "Children's Services", "2026-05-01", None),
        ];
        let r = timeliness(&[], &[], &advice, d("2026-01-01"), d("2026-12-31"), d("2026-07-01"));
        assert_eq!(r.advice_by_specialism[0].name, "health");
        assert_eq!(r.advice_by_specialism[0].measure.percent, Some(50.0));
        assert_eq!(r.advice_by_organisation[0].name, "Children's Services");
        assert_eq!(r.advice_by_organisation[0].measure.total, 1);
        assert_eq!(r.overdue_now.advice_requests, 1);
    }

    #[test]
    fn outside_the_period_is_left_out_and_empty_is_null() {
        let cases = [case("2025-01-01", Some("2025-02-01"), None, false)];
        let r = timeliness(&cases, &[], &[], d("2026-01-01"), d("2026-12-31"), d("2026-07-01"));
        assert_eq!(r.decisions_to_assess, Measure { total: 0, within: 0, percent: None, median_days: None });
        assert_eq!(r.overdue_now.final_plans, 1, "assessing since 2025 without a plan");
    }
}
