//! Alerts raised on a case's own statutory steps, each once.

use chrono::NaiveDate;
use diesel::prelude::*;
use ehc_domain::statutory::Stage;

use crate::schema::{case_step_alerts, cases};
use crate::{DbConn, StorageError};

/// Records the alert unless it was raised before; whether this raised it.
/// Two instances racing: the second meets the primary key (a conflict) and
/// its transaction, notices and all, rolls back.
pub fn raise(
    conn: &mut DbConn,
    case_id: &str,
    step: &str,
    kind: &str,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<bool, StorageError> {
    let seen: i64 = case_step_alerts::table
        .filter(case_step_alerts::case_id.eq(case_id))
        .filter(case_step_alerts::step.eq(step))
        .filter(case_step_alerts::kind.eq(kind))
        .filter(case_step_alerts::due_on.eq(due_on))
        .count()
        .get_result(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    diesel::insert_into(case_step_alerts::table)
        .values((
            case_step_alerts::case_id.eq(case_id),
            case_step_alerts::step.eq(step),
            case_step_alerts::kind.eq(kind),
            case_step_alerts::due_on.eq(due_on),
            case_step_alerts::raised_on.eq(today),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The ids of cases whose clock still runs (not closed without a plan, not ceased).
pub fn running_case_ids(conn: &mut DbConn) -> Result<Vec<String>, StorageError> {
    let closed = [Stage::NotAssessed.as_str(), Stage::NotIssued.as_str(), Stage::Ceased.as_str()];
    Ok(cases::table.filter(cases::stage.ne_all(closed)).order(cases::id).select(cases::id).load(conn)?)
}
