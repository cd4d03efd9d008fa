//! Worked cases, each naming the rule it checks.

use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").unwrap()
}

#[test]
fn statutory_deadlines() {
    type Rule = fn(NaiveDate) -> NaiveDate;
    let cases: &[(&str, Rule, &str, &str)] = &[
        ("reg 8(1) advice, the seed's example (Rotherham)", advice_due, "16/10/2020", "27/11/2020"),
        ("reg 8(1) advice across a year end", advice_due, "01/12/2025", "12/01/2026"),
        ("reg 8(1) advice across 29 February", advice_due, "01/02/2024", "14/03/2024"),
        ("reg 5(1) decision whether to assess", decision_to_assess_due, "16/10/2020", "27/11/2020"),
        ("reg 10(1) decision not to issue, 16 weeks", decision_not_to_issue_due, "02/11/2026", "22/02/2027"),
        ("reg 13(2) final plan, 20 weeks", final_plan_due, "02/11/2026", "22/03/2027"),
        ("reg 13(2) final plan across a leap day", final_plan_due, "01/01/2028", "20/05/2028"),
        ("reg 13(1) 15 days beginning with the day served", draft_representations_end, "01/03/2027", "15/03/2027"),
        ("s.44 annual review, 12 months", annual_review_due, "15/06/2026", "15/06/2027"),
        ("s.44 annual review of a plan dated 29 February", annual_review_due, "29/02/2028", "28/02/2029"),
        ("reg 20(3) two weeks' notice of the meeting", review_notice_by, "20/01/2027", "06/01/2027"),
        ("reg 20(4) advice circulated two weeks before the meeting", review_advice_by, "05/01/2027", "22/12/2026"),
        ("reg 20(3) notice for a meeting just after 29 February", review_notice_by, "07/03/2028", "22/02/2028"),
        ("reg 20(4) circulation across the Christmas bank holidays", review_advice_by, "08/01/2027", "25/12/2026"),
        ("reg 20(7) report within 2 weeks", review_report_due, "20/12/2026", "03/01/2027"),
        ("reg 20(10) decision within 4 weeks", review_decision_due, "10/12/2026", "07/01/2027"),
        ("reg 22(2) 15 days to comment on amendments", amendment_comments_end, "28/12/2026", "11/01/2027"),
        ("reg 22(3) amended plan within 8 weeks", amended_plan_due, "28/12/2026", "22/02/2027"),
        ("reg 22(3) amended plan across 29 February", amended_plan_due, "15/01/2028", "11/03/2028"),
        ("reg 20(10) decision across a year end", review_decision_due, "15/12/2026", "12/01/2027"),
        ("HESC rule 20(1)(c) appeal, 2 months after the notice", appeal_deadline, "05/03/2027", "05/05/2027"),
        ("HESC rule 20(1)(c) appeal from 31 December", appeal_deadline, "31/12/2026", "28/02/2027"),
        ("HESC rule 20(1)(c) appeal into a leap February", appeal_deadline, "31/12/2027", "29/02/2028"),
    ];
    for (rule, f, from, due) in cases {
        assert_eq!(f(d(from)), d(due), "{rule}: from {from}");
    }
}

#[test]
fn phase_transfer_dates() {
    assert_eq!(
        phase_transfer_review_due(2027, PhaseTransfer::SchoolPhase),
        Some(d("15/02/2027")),
        "reg 18: 15 February"
    );
    assert_eq!(
        phase_transfer_review_due(2027, PhaseTransfer::Year11ToPost16),
        Some(d("31/03/2027")),
        "reg 18: 31 March for year 11"
    );
}

#[test]
fn working_days_skip_weekends_and_bank_holidays() {
    let holidays = BankHolidays::default();
    let cases: &[(&str, &str, u32, &str)] = &[
        ("SENDIASS first contact, 5 working days, plain week", "02/11/2026", 5, "09/11/2026"),
        ("over Christmas 2026 (25 and 28 December)", "23/12/2026", 5, "04/01/2027"),
        ("over Easter 2027 (26 and 29 March)", "25/03/2027", 1, "30/03/2027"),
        ("from a Saturday", "07/11/2026", 1, "09/11/2026"),
        ("the Queen's funeral, 19 September 2022", "16/09/2022", 1, "20/09/2022"),
        ("seed 000: social care information in 2 weeks (10 working days)", "14/12/2026", 10, "30/12/2026"),
    ];
    for (rule, from, n, due) in cases {
        assert_eq!(add_working_days(d(from), *n, &holidays), d(due), "{rule}");
    }
    assert!(!is_working_day(d("25/08/2025"), &holidays), "summer bank holiday 2025");
    let with_extra = BankHolidays::with_extra(&[d("03/11/2026")]);
    assert_eq!(add_working_days(d("02/11/2026"), 1, &with_extra), d("04/11/2026"), "an authority's own extra holiday");
}

#[test]
fn every_exception_knows_which_limits_it_lifts() {
    // (exception, lifts reg 8(1) advice, lifts reg 10(1)/13(2), lifts reg 5(1))
    let cases: &[(Exception, bool, bool, bool)] = &[
        (Exception::AdvicePersonalCircumstances, true, false, false),
        (Exception::AdviceAbsence, true, false, false),
        (Exception::AdviceMissedAppointment, true, false, false),
        (Exception::Closure, false, true, false),
        (Exception::EducationClosure, false, false, true),
        (Exception::PersonalCircumstances, false, true, true),
        (Exception::Absence, false, true, true),
    ];
    for (exception, advice, plan, decision) in cases {
        assert_eq!(exception.applies_to_decision_to_assess(), *decision, "{}: reg 5(4)", exception.regulation());
        assert_eq!(exception.applies_to_advice(), *advice, "{}", exception.regulation());
        assert_eq!(exception.applies_to_plan_deadlines(), *plan, "{}", exception.regulation());
    }
}

#[test]
fn closure_exception_follows_the_term_calendar() {
    // Summer holiday: closed 22/07/2027, reopens 06/09/2027 (6+ weeks).
    let summer = Closure { first_day_closed: d("22/07/2027"), reopens_on: d("06/09/2027") };
    // October half term: one week, never long enough.
    let half_term = Closure { first_day_closed: d("25/10/2027"), reopens_on: d("01/11/2027") };
    let calendar = [summer, half_term];
    let cases: &[(&str, &str, bool)] = &[
        ("reg 10(4)(a): asked a week before the closure starts", "15/07/2027", true),
        ("reg 10(4)(a): asked a day before the window", "14/07/2027", false),
        ("reg 10(4)(a): asked during the closure", "10/08/2027", true),
        ("reg 10(4)(a): the window ends on the day a week before reopening, inside it", "30/08/2027", true),
        ("reg 10(4)(a): the day after the window", "31/08/2027", false),
        ("reg 10(4)(a): the day before the window ends", "29/08/2027", true),
        ("a one-week half term is not 4 weeks", "26/10/2027", false),
    ];
    for (rule, asked, applies) in cases {
        assert_eq!(closure_exception_applies(d(asked), &calendar), *applies, "{rule}");
    }
}

#[test]
fn a_request_for_advice_is_due_by_the_statute_a_named_date_or_working_days() {
    let holidays = BankHolidays::with_extra(&[]);
    let today = d("01/12/2026");
    let due = |from: &str, on: Option<&str>, days: Option<u32>| {
        advice_request_due(d(from), today, on.map(d), days, &holidays)
    };
    assert_eq!(due("16/10/2020", None, None), Ok(d("27/11/2020")), "reg 8(1): 6 weeks");
    assert_eq!(due("01/12/2026", Some("15/12/2026"), None), Ok(d("15/12/2026")));
    assert_eq!(due("18/12/2026", None, Some(5)).map_err(|e| e.len()), Err(1), "in the future");
    assert_eq!(due("21/12/2025", None, Some(5)), Ok(d("30/12/2025")), "Christmas and Boxing Day skipped");
    let both = due("01/12/2026", Some("15/12/2026"), Some(5)).unwrap_err();
    assert_eq!(both[0].pointer, "/due_in_working_days");
    let before = due("01/12/2026", Some("30/11/2026"), None).unwrap_err();
    assert_eq!(before[0].pointer, "/due_on");
}

/// Reg 5(4)(b)-(c): exceptional personal circumstances, or four weeks away
/// from the area, lift the 6-week decision limit as they lift 16 and 20
/// weeks (reg 10(4)(c)-(d)); the step names reg 5(4), not reg 10(4).
#[test]
fn reg_5_4_lifts_the_decision_to_assess_limit() {
    let received = d("01/09/2026");
    let away = RecordedException {
        exception: Exception::Absence,
        advice_request_id: None,
        reason: "The family is abroad until November.".to_owned(),
    };
    let facts = |exceptions: Vec<RecordedException>| CaseFacts {
        request_received: Some(received),
        exceptions,
        ..Default::default()
    };
    let first = |facts: &CaseFacts, today: &str| timeline(facts, d(today)).into_iter().next().unwrap();
    // Due 13/10/2026 (6 weeks); on 20/10 without a decision it is breached...
    assert_eq!(first(&facts(Vec::new()), "20/10/2026").status, StepStatus::Breached);
    // ...unless the family has been away: excepted, under reg 5(4)(c).
    let excepted = first(&facts(vec![away.clone()]), "20/10/2026");
    assert_eq!(excepted.status, StepStatus::Excepted);
    assert!(excepted.exception.as_deref().unwrap().starts_with("reg 5(4)(c): "), "{:?}", excepted.exception);
    // A decision made in time stays met whatever is recorded.
    let mut decided = facts(vec![away]);
    decided.decided_to_assess = Some((d("12/10/2026"), true));
    assert_eq!(first(&decided, "20/10/2026").status, StepStatus::Met);
    // An advice-only exception (reg 8(2)) does not lift reg 5(1).
    let missed = RecordedException {
        exception: Exception::AdviceMissedAppointment,
        advice_request_id: None,
        reason: "Missed the appointment.".to_owned(),
    };
    assert_eq!(first(&facts(vec![missed]), "20/10/2026").status, StepStatus::Breached);
}

/// Reg 5(4)(a): advice asked of a school's head teacher or a college's
/// principal in the window around a closure of at least 4 weeks (a week
/// before it closes to a week before it reopens) lifts the 6-week decision
/// limit; an early-years setting's closure does not (reg 5(4) names schools
/// and post-16 institutions; reg 10(4)(b) alone adds early years).
#[test]
fn reg_5_4_a_lifts_the_decision_limit_around_a_school_or_college_closure() {
    assert!(counts_for_decision_to_assess(Setting::School));
    assert!(counts_for_decision_to_assess(Setting::College));
    assert!(!counts_for_decision_to_assess(Setting::EarlyYears));
    // Received 01/07/2027, decision due 12/08/2027; the school, asked on
    // 16/07, closed 22/07 to 06/09: still undecided on 20/08, excepted.
    let facts = CaseFacts {
        request_received: Some(d("01/07/2027")),
        exceptions: vec![RecordedException {
            exception: Exception::EducationClosure,
            advice_request_id: None,
            reason: "Advice was asked of a school on 2027-07-16, around its summer closure.".to_owned(),
        }],
        ..Default::default()
    };
    let first = timeline(&facts, d("20/08/2027")).into_iter().next().unwrap();
    assert_eq!(first.status, StepStatus::Excepted);
    assert!(first.exception.as_deref().unwrap().starts_with("reg 5(4)(a): "), "{:?}", first.exception);
    // It lifts no 16- or 20-week limit (reg 10(4)(a) does that, for its own window).
    assert!(!Exception::EducationClosure.applies_to_plan_deadlines());
}

/// Reg 18: a plan in force for a child moving from primary to secondary
/// school on 01/09/2027 is reviewed and amended by 15/02/2027; a young
/// person moving between colleges on 01/09/2027, by 01/04/2027 (5 months).
#[test]
fn a_phase_transfer_is_reviewed_and_amended_by_its_deadline() {
    assert_eq!(phase_transfer_due(PhaseTransfer::SchoolPhase, d("01/09/2027")), d("15/02/2027"));
    assert_eq!(phase_transfer_due(PhaseTransfer::Year11ToPost16, d("01/09/2027")), d("31/03/2027"));
    assert_eq!(phase_transfer_due(PhaseTransfer::Post16ToPost16, d("01/09/2027")), d("01/04/2027"));
    let mut facts = CaseFacts {
        request_received: Some(d("02/11/2025")),
        decided_to_assess: Some((d("10/12/2025"), true)),
        decided_to_issue: Some((d("01/02/2026"), true)),
        draft_issued: Some(d("15/02/2026")),
        final_issued: Some(d("15/03/2026")),
        phase_transfer: Some((PhaseTransfer::SchoolPhase, d("01/09/2027"))),
        ..Default::default()
    };
    let review = |facts: &CaseFacts, today: &str| {
        timeline(facts, d(today)).into_iter().find(|s| s.step == StepKind::PhaseTransferReview).unwrap()
    };
    assert_eq!(review(&facts, "01/03/2027").status, StepStatus::Breached, "not amended by 15 February");
    facts.amended_issued = Some(d("10/01/2027"));
    let met = review(&facts, "01/03/2027");
    assert_eq!((met.status, met.done_on), (StepStatus::Met, Some(d("10/01/2027"))));
    assert!(met.rule.starts_with("reg 18"));
}
