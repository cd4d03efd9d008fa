//! The review meeting arranged ahead of the day (reg 20) and the ceasing of
//! a plan (s.45, reg 31): one row per case each.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::statutory::{ArrangedMeeting, CeaseFact, CeaseReason};

use crate::db::DbConn;
use crate::error::StorageError;
use crate::schema::{plan_ceasings, review_meetings};

/// Records the next review meeting, replacing one arranged before (a
/// meeting moved is arranged again, and its notice runs from then).
pub fn arrange_meeting(
    conn: &mut DbConn,
    case_id: &str,
    meeting: ArrangedMeeting,
    by: &str,
    at: NaiveDateTime,
) -> Result<(), StorageError> {
    diesel::delete(review_meetings::table.find(case_id)).execute(conn)?;
    diesel::insert_into(review_meetings::table)
        .values((
            review_meetings::case_id.eq(case_id),
            review_meetings::meeting_on.eq(meeting.meeting_on),
            review_meetings::notice_given_on.eq(meeting.notice_given_on),
            review_meetings::circulated_on.eq(meeting.circulated_on),
            review_meetings::arranged_by.eq(by),
            review_meetings::arranged_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks the arranged meeting's advice circulated on `on`; false when no
/// meeting is arranged.
pub fn mark_circulated(conn: &mut DbConn, case_id: &str, on: NaiveDate) -> Result<bool, StorageError> {
    let n = diesel::update(review_meetings::table.find(case_id))
        .set(review_meetings::circulated_on.eq(Some(on)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn meeting_of(conn: &mut DbConn, case_id: &str) -> Result<Option<ArrangedMeeting>, StorageError> {
    let row: Option<(NaiveDate, NaiveDate, Option<NaiveDate>)> = review_meetings::table
        .find(case_id)
        .select((review_meetings::meeting_on, review_meetings::notice_given_on, review_meetings::circulated_on))
        .first(conn)
        .optional()?;
    Ok(row.map(|(meeting_on, notice_given_on, circulated_on)| ArrangedMeeting {
        meeting_on,
        notice_given_on,
        circulated_on,
    }))
}

/// A plan's ceasing as recorded.
#[derive(Debug, Clone)]
pub struct Ceasing {
    pub case_id: String,
    pub reason: CeaseReason,
    pub details: Option<String>,
    pub fact: CeaseFact,
}

/// Records the ceasing; false when the case already has one.
pub fn record_ceasing(conn: &mut DbConn, c: &Ceasing, by: &str, at: NaiveDateTime) -> Result<bool, StorageError> {
    let exists: i64 = plan_ceasings::table.find(&c.case_id).count().get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(plan_ceasings::table)
        .values((
            plan_ceasings::case_id.eq(&c.case_id),
            plan_ceasings::decided_on.eq(c.fact.decided_on),
            plan_ceasings::reason.eq(c.reason.code()),
            plan_ceasings::details.eq(&c.details),
            plan_ceasings::notice_sent_on.eq(c.fact.notice_sent_on),
            plan_ceasings::ceases_on.eq(c.fact.ceases_on),
            plan_ceasings::recorded_by.eq(by),
            plan_ceasings::recorded_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

type CeasingRow = (String, NaiveDate, String, Option<String>, NaiveDate, NaiveDate);

fn ceasing_from(row: CeasingRow) -> Result<Ceasing, StorageError> {
    let (case_id, decided_on, reason, details, notice_sent_on, ceases_on) = row;
    Ok(Ceasing {
        case_id,
        reason: CeaseReason::try_from(reason).map_err(StorageError::corrupt)?,
        details,
        fact: CeaseFact { decided_on, notice_sent_on, ceases_on },
    })
}

const CEASING_COLUMNS: (
    plan_ceasings::case_id,
    plan_ceasings::decided_on,
    plan_ceasings::reason,
    plan_ceasings::details,
    plan_ceasings::notice_sent_on,
    plan_ceasings::ceases_on,
) = (
    plan_ceasings::case_id,
    plan_ceasings::decided_on,
    plan_ceasings::reason,
    plan_ceasings::details,
    plan_ceasings::notice_sent_on,
    plan_ceasings::ceases_on,
);

pub fn ceasing_of(conn: &mut DbConn, case_id: &str) -> Result<Option<Ceasing>, StorageError> {
    let row: Option<CeasingRow> = plan_ceasings::table.find(case_id).select(CEASING_COLUMNS).first(conn).optional()?;
    row.map(ceasing_from).transpose()
}

/// Every ceasing of the authority's cases, for the reports.
pub fn ceasings_of_authority(conn: &mut DbConn, local_authority_id: &str) -> Result<Vec<Ceasing>, StorageError> {
    use crate::schema::cases;
    let rows: Vec<CeasingRow> = plan_ceasings::table
        .inner_join(cases::table.on(cases::id.eq(plan_ceasings::case_id)))
        .filter(cases::local_authority_id.eq(local_authority_id))
        .select(CEASING_COLUMNS)
        .load(conn)?;
    rows.into_iter().map(ceasing_from).collect()
}
