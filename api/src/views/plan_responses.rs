//! The family's representations on the plan and the consultations of the
//! institutions it may name, as the API shows them.

use chrono::NaiveDate;
use ehc_domain::plan::responses::ConsultationResponse;
use ehc_storage::casework::plan_responses::{Consultation, Representation};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct RepresentationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub author_id: String,
    pub made_on: NaiveDate,
    /// Made within the 15 days given (reg 13(1) for a draft, reg 22(2) for amendments).
    pub within_period: bool,
    pub body: String,
    pub requested_institution: Option<String>,
}

impl From<Representation> for RepresentationView {
    fn from(r: Representation) -> Self {
        RepresentationView {
            id: r.id,
            author_id: r.author_id,
            made_on: r.made_on,
            within_period: r.within_period,
            body: r.body,
            requested_institution: r.requested_institution,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub institution: String,
    pub consulted_on: NaiveDate,
    pub response: ConsultationResponse,
    pub responded_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl From<Consultation> for ConsultationView {
    fn from(c: Consultation) -> Self {
        ConsultationView {
            id: c.id,
            institution: c.institution,
            consulted_on: c.consulted_on,
            response: c.response,
            responded_on: c.responded_on,
            notes: c.notes,
        }
    }
}
