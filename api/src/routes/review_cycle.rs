//! The review meeting of a plan in force, arranged ahead with its notice and
//! circulation (reg 20), and ceasing a plan (s.45, reg 31).

use actix_web::{post, put, web, HttpResponse};
use chrono::NaiveDate;
use ehc_domain::statutory::CeaseReason;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::json::ValidatedJson;
use crate::problems::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::state::AppState;
use crate::workflow::review_cycle::{self, CeaseView, NewCease, ReviewMeetingView};

type CasePath = web::Path<uuid::Uuid>;

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"meeting_on": "2027-03-10"}))]
pub struct ArrangeMeeting {
    /// The day of the review meeting: from today to about 13 months ahead.
    pub meeting_on: NaiveDate,
}

/// Arrange the review meeting.
///
/// Assessment officers. Gives everyone on the case notice of the meeting today (reg 20(3): at
/// least two weeks' notice); the timeline then shows the notice and the circulation of the
/// review's advice and information two weeks before the meeting (reg 20(4)). Ask for the
/// participants' advice with requests for advice due before `circulate_by`. Arranging again moves
/// the meeting. Refused (409) when the case has no plan in force.
#[utoipa::path(tag = "plans", operation_id = "arrangeReviewMeeting", security(("bearer" = [])), request_body = ArrangeMeeting,
    params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = ReviewMeetingView, description = "Arranged, and notice sent"),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[put("/cases/{id}/review-meeting")]
pub async fn arrange_review_meeting(
    state: web::Data<AppState>,
    me: AuthUser,
    id: CasePath,
    body: ValidatedJson<ArrangeMeeting>,
) -> ApiResult<HttpResponse> {
    let out = review_cycle::arrange_meeting(&state, me, id.to_string(), body.0.meeting_on).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Circulate the review's advice and information.
///
/// Assessment officers. Records that the advice and information gathered for the arranged
/// meeting was circulated today, and tells everyone on the case it is ready to read (reg 20(4):
/// at least two weeks before the meeting). Refused (409) when no meeting is arranged.
#[utoipa::path(tag = "plans", operation_id = "circulateReviewAdvice", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 200, body = ReviewMeetingView, description = "Circulated"),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
#[post("/cases/{id}/review-meeting/circulation")]
pub async fn circulate_review_advice(
    state: web::Data<AppState>,
    me: AuthUser,
    id: CasePath,
) -> ApiResult<HttpResponse> {
    let out = review_cycle::circulate(&state, me, id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "needs_met_without_plan", "decided_on": "2027-05-20"}))]
pub struct CeasePlan {
    /// Why, as SEN2 records it.
    pub reason: CeaseReason,
    /// The officer's explanation; required when the reason is `other`.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub details: Option<String>,
    /// The day the authority decided, after consulting the family and the school or college (reg 31(1)).
    pub decided_on: NaiveDate,
}

/// Cease to maintain the plan.
///
/// Assessment officers. Records the decision with its reason (s.45; under 18 only when the plan is
/// no longer necessary, reg 29; reg 30 for a young person who does not wish to return to education
/// or training; `reached_maximum_age` only after the academic year of the 25th birthday, s.46) and
/// sends everyone on the case the notice of reg 31(2)-(3): the right to appeal within 2 months
/// (HESC rule 20(1)(c)), mediation, disagreement resolution and SENDIASS. The plan is maintained
/// until the time to appeal has passed; the case's retention runs from then. Refused (409) when
/// the case has no plan in force or it has already ceased.
#[utoipa::path(tag = "plans", operation_id = "ceasePlan", security(("bearer" = [])), request_body = CeasePlan,
    params(("id" = uuid::Uuid, Path, description = "The case's id")), responses(
    (status = 201, body = CeaseView, description = "Ceased, and notice sent",
        headers(("Location" = String, description = "The case's decisions"))),
    BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Invalid))]
#[post("/cases/{id}/cease")]
pub async fn cease_plan(
    state: web::Data<AppState>,
    me: AuthUser,
    id: CasePath,
    body: ValidatedJson<CeasePlan>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let location = format!("/api/v1/cases/{id}/decisions");
    let new = NewCease { reason: b.reason, details: b.details, decided_on: b.decided_on };
    let out: CeaseView = review_cycle::cease(&state, me, id.to_string(), new).await?;
    Ok(HttpResponse::Created().insert_header((actix_web::http::header::LOCATION, location)).json(out))
}
