//! When a time limit does not apply. The reason must be recorded; these rules
//! decide, from recorded facts, whether an exception can be claimed at all.

use chrono::{Duration, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// Reg 8(2)(a)/(b): exceptional personal circumstances of the child or parent (advice).
    AdvicePersonalCircumstances,
    /// Reg 8(2)(c)/(d): the child or parent absent from the area for at least 4 weeks (advice).
    AdviceAbsence,
    /// Reg 8(2)(e): a missed appointment (advice).
    AdviceMissedAppointment,
    /// Reg 10(4)(a)/(b): advice asked of a school, college or early-years
    /// provider around a closure of at least 4 weeks.
    Closure,
    /// Reg 5(4)(a): before the decision whether to assess, advice asked of
    /// the head teacher or principal of a school or post-16 institution
    /// around its closure of at least 4 weeks (from the calendars; never
    /// recorded by hand, and not early-years settings, which reg 5(4) omits).
    EducationClosure,
    /// Reg 10(4)(c): exceptional personal circumstances (16 and 20 weeks).
    PersonalCircumstances,
    /// Reg 10(4)(d): absence from the area for at least 4 weeks (16 and 20 weeks).
    Absence,
}

impl Exception {
    /// Whether this exception can lift the advice deadline (reg 8(2)). A
    /// waiting list never can; nor can a school closure.
    pub fn applies_to_advice(self) -> bool {
        matches!(self, Self::AdvicePersonalCircumstances | Self::AdviceAbsence | Self::AdviceMissedAppointment)
    }

    /// Whether this exception can lift the 6-week limit on the decision
    /// whether to assess. Reg 5(4) of SI 2014/1530: the limit of reg 5(1)
    /// need not be met where it is impractical because (a) the authority
    /// asked the head teacher or principal of a school or post-16
    /// institution for advice in the period from one week before it closed
    /// for at least 4 continuous weeks to one week before it reopens, (b)
    /// exceptional personal circumstances affect the child or parent, or
    /// the young person, or (c) they are absent from the authority's area
    /// for a continuous period of at least 4 weeks.
    pub fn applies_to_decision_to_assess(self) -> bool {
        matches!(self, Self::EducationClosure | Self::PersonalCircumstances | Self::Absence)
    }

    /// Worked out from the closure calendars, never recorded by an officer.
    pub fn from_calendars(self) -> bool {
        matches!(self, Self::Closure | Self::EducationClosure)
    }

    /// The regulation that lifts the decision-to-assess limit for this
    /// exception, when one does.
    pub fn decision_to_assess_regulation(self) -> Option<&'static str> {
        match self {
            Self::EducationClosure => Some("reg 5(4)(a)"),
            Self::PersonalCircumstances => Some("reg 5(4)(b)"),
            Self::Absence => Some("reg 5(4)(c)"),
            _ => None,
        }
    }

    /// Whether this exception can lift the 16- and 20-week limits (reg 10(4)).
    pub fn applies_to_plan_deadlines(self) -> bool {
        matches!(self, Self::Closure | Self::PersonalCircumstances | Self::Absence)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::AdvicePersonalCircumstances => "advice_personal_circumstances",
            Self::AdviceAbsence => "advice_absence",
            Self::AdviceMissedAppointment => "advice_missed_appointment",
            Self::Closure => "closure",
            Self::EducationClosure => "education_closure",
            Self::PersonalCircumstances => "personal_circumstances",
            Self::Absence => "absence",
        }
    }

    pub const ALL: [Exception; 7] = [
        Self::AdvicePersonalCircumstances,
        Self::AdviceAbsence,
        Self::AdviceMissedAppointment,
        Self::Closure,
        Self::EducationClosure,
        Self::PersonalCircumstances,
        Self::Absence,
    ];

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The codes of the exceptions that can lift the advice deadline.
    pub fn advice_codes() -> Vec<&'static str> {
        Self::ALL.into_iter().filter(|e| e.applies_to_advice()).map(Self::code).collect()
    }

    pub fn regulation(self) -> &'static str {
        match self {
            Self::AdvicePersonalCircumstances => "reg 8(2)(a)-(b)",
            Self::AdviceAbsence => "reg 8(2)(c)-(d)",
            Self::AdviceMissedAppointment => "reg 8(2)(e)",
            Self::Closure => "reg 10(4)(a)-(b)",
            Self::EducationClosure => "reg 5(4)(a)",
            Self::PersonalCircumstances => "reg 10(4)(c)",
            Self::Absence => "reg 10(4)(d)",
        }
    }
}

crate::stored_as_text!(Exception, code, parse);

/// A continuous closure of a school, college or early-years setting: the
/// first day closed and the day it reopens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub first_day_closed: NaiveDate,
    pub reopens_on: NaiveDate,
}

/// The settings whose closures the authority's calendars hold: the three
/// reg 10(4)(a)/(b) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    School,
    College,
    EarlyYears,
}

impl Setting {
    pub const ALL: [Setting; 3] = [Self::School, Self::College, Self::EarlyYears];

    pub fn code(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::College => "college",
            Self::EarlyYears => "early_years",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// In words, for a recorded reason ("an early-years setting").
    pub fn words(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::College => "college",
            Self::EarlyYears => "early-years",
        }
    }
}

crate::stored_as_text!(Setting, code, parse);

/// The calendars whose closures count for the decision whether to assess:
/// reg 5(4)(a) names schools and post-16 institutions only.
pub fn counts_for_decision_to_assess(setting: Setting) -> bool {
    matches!(setting, Setting::School | Setting::College)
}

/// The calendar whose closures count for advice asked of an organisation
/// (reg 10(4)(a)/(b) names schools, colleges and early-years providers).
pub fn closure_calendar_of(kind: crate::roles::OrganisationKind) -> Option<Setting> {
    use crate::roles::OrganisationKind;
    match kind {
        OrganisationKind::School => Some(Setting::School),
        OrganisationKind::College => Some(Setting::College),
        OrganisationKind::EarlyYears => Some(Setting::EarlyYears),
        _ => None,
    }
}

/// Reg 10(4)(a)/(b): advice was asked of the provider in the period that
/// starts one week before a continuous closure of at least 4 weeks and ends
/// one week before the provider reopens. Determined from the authority's
/// term-date calendars, never guessed.
pub fn closure_exception_applies(advice_requested_on: NaiveDate, closures: &[Closure]) -> bool {
    closures.iter().any(|c| {
        let long_enough = c.reopens_on - c.first_day_closed >= Duration::weeks(4);
        let window_start = c.first_day_closed - Duration::weeks(1);
        let window_end = c.reopens_on - Duration::weeks(1);
        // "a period beginning one week before ... and ending one week before
        // the date on which it re-opens" (reg 10(4)(a), and reg 5(4)(a) in
        // the same words): both named days are inside the period, as the
        // first always was here.
        long_enough && advice_requested_on >= window_start && advice_requested_on <= window_end
    })
}
