//! The family's representations on a plan and the consultations of the
//! institutions asked for (reg 13(1)(a), s.39(2)).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use ehc_domain::plan::responses::ConsultationResponse;

use crate::db::DbConn;
use crate::error::StorageError;
use crate::schema::{plan_consultations, plan_representations};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_representations)]
pub struct Representation {
    pub id: String,
    pub plan_id: String,
    pub author_id: String,
    pub made_on: NaiveDate,
    /// Made within the family's period (15 days, reg 13(1) or 22(2)).
    pub within_period: bool,
    pub body: String,
    pub requested_institution: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn add_representation(conn: &mut DbConn, r: &Representation) -> Result<(), StorageError> {
    diesel::insert_into(plan_representations::table).values(r).execute(conn)?;
    Ok(())
}

/// The plan's representations, oldest first; only `author`'s when given.
pub fn representations(
    conn: &mut DbConn,
    plan_id: &str,
    author: Option<&str>,
) -> Result<Vec<Representation>, StorageError> {
    let mut query = plan_representations::table
        .filter(plan_representations::plan_id.eq(plan_id))
        .order((plan_representations::created_at.asc(), plan_representations::id.asc()))
        .select(Representation::as_select())
        .into_boxed();
    if let Some(author) = author {
        query = query.filter(plan_representations::author_id.eq(author.to_owned()));
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_consultations)]
pub struct Consultation {
    pub id: String,
    pub plan_id: String,
    pub institution: String,
    pub consulted_on: NaiveDate,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub response: ConsultationResponse,
    pub responded_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

pub fn add_consultation(conn: &mut DbConn, c: Consultation) -> Result<(), StorageError> {
    diesel::insert_into(plan_consultations::table).values(c).execute(conn)?;
    Ok(())
}

pub fn consultation(conn: &mut DbConn, id: &str) -> Result<Consultation, StorageError> {
    Ok(plan_consultations::table.find(id).select(Consultation::as_select()).first(conn)?)
}

/// Records the institution's answer.
pub fn answer_consultation(
    conn: &mut DbConn,
    id: &str,
    response: ConsultationResponse,
    responded_on: Option<NaiveDate>,
    notes: Option<&str>,
) -> Result<(), StorageError> {
    diesel::update(plan_consultations::table.find(id))
        .set((
            plan_consultations::response.eq(response.code()),
            plan_consultations::responded_on.eq(responded_on),
            plan_consultations::notes.eq(notes),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn consultations(conn: &mut DbConn, plan_id: &str) -> Result<Vec<Consultation>, StorageError> {
    Ok(plan_consultations::table
        .filter(plan_consultations::plan_id.eq(plan_id))
        .order((plan_consultations::recorded_at.asc(), plan_consultations::id.asc()))
        .select(Consultation::as_select())
        .load(conn)?)
}
