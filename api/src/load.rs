//! `ehc-hub seed-load --cases N`: a large local authority for benchmarks.
//! Per 25,000 cases: 250,000 requests for advice with advice in every state,
//! 5,000 professionals (Kent, the largest LA, holds ~20,600 plans). Rows go
//! in 1,000 at a time, one transaction per batch, several batches at once.

use chrono::{Duration, NaiveDateTime};
use ehc_domain::advice::{AdviceStatus, RequestStatus};
use ehc_domain::cases::{case_reference, RequestSource};
use ehc_domain::roles::AccountStatus;
use ehc_domain::roles::Specialism;
use ehc_domain::second_factor::SecondFactor;
use ehc_domain::statutory::advice_due;
use ehc_domain::statutory::Stage;
use ehc_storage::bulk::{self, AdviceRow, ParticipantRow, VersionRow};
use ehc_storage::casework::cases::Case;
use ehc_storage::casework::requests::AdviceRequest;
use ehc_storage::identity::organisations;
use ehc_storage::identity::users::NewUser;
use ehc_storage::new_id;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::error::ApiError;
use crate::state::AppState;

const BATCH: usize = 1000;
/// Case batches written at once on PostgreSQL (England's 650,000 cases: the
/// hub building rows on one core while the database writes on the other).
const PG_BATCHES_AT_ONCE: usize = 4;
const REQUESTS_PER_CASE: usize = 10;
const CASES_PER_PROFESSIONAL: usize = 5;
pub const LOAD_PASSWORD: &str = "load test lantern orbit 2026";
const SPECIALISMS: [Specialism; 5] = [
    Specialism::Education,
    Specialism::Health,
    Specialism::SocialCare,
    Specialism::EducationalPsychology,
    Specialism::Other,
];
const AREAS: [&str; 5] = [
    "[\"sen_cognition_and_learning\"]",
    "[\"health\"]",
    "[\"social_care\"]",
    "[\"sen_communication_and_interaction\"]",
    "[\"sen_sensory_and_physical\"]",
];

pub struct LoadSummary {
    pub cases: usize,
    pub requests: usize,
    pub professionals: usize,
    pub seconds: f64,
    /// A professional to log in as for benchmarks.
    pub sample_login: String,
}

/// The state the advice of the i-th request is left in: every state occurs.
fn advice_state(i: usize) -> (RequestStatus, AdviceStatus, usize) {
    // (request status, advice status, published versions)
    match i % 10 {
        0 | 1 | 8 => (RequestStatus::Open, AdviceStatus::Draft, 0),
        2 => (RequestStatus::Open, AdviceStatus::AwaitingEndorsement, 0),
        3 => (RequestStatus::Open, AdviceStatus::Returned, 0),
        4 | 5 | 7 => (RequestStatus::Completed, AdviceStatus::Submitted, 1),
        6 => (RequestStatus::Open, AdviceStatus::Released, 1),
        _ => (RequestStatus::Withdrawn, AdviceStatus::Draft, 0),
    }
}

pub async fn seed_load(state: &AppState, case_count: usize, at_once: Option<usize>) -> Result<LoadSummary, ApiError> {
    let started = std::time::Instant::now();
    let now = state.now();
    let professionals = (case_count / CASES_PER_PROFESSIONAL).max(1);
    let password_hash = actix_web::web::block(|| crate::security::passwords::hash_password(LOAD_PASSWORD))
        .await?
        .map_err(ApiError::internal)?;
    let phone = state.keys.encrypt(b"+447700900999").map_err(ApiError::internal)?;
    let run = uuid::Uuid::now_v7().simple().to_string();
    let run_tag = run[run.len() - 8..].to_owned();

    let tag = run_tag.clone();
    let (la_id, org_id, officer_id) = state
        .tx(move |conn| {
            let (la, org) =
                organisations::find_or_create_local_authority(conn, &format!("Load Test Council {tag}"), now)?;
            let officer = new_id();
            let email = format!("officer-{tag}@load.example");
            let user = NewUser {
                id: &officer,
                local_authority_id: &la.id,
                organisation_id: &org.id,
                email: &email,
                name: "Load Officer",
                role: "assessment_officer",
                job_title: None,
                specialism: None,
                password_hash: "!",
                mfa_channel: SecondFactor::Sms.as_str(),
                phone_ciphertext: None,
                phone_masked: None,
                pending_totp_ciphertext: None,
                status: AccountStatus::Active.as_str(),
                created_at: now,
            };
            bulk::users(conn, &[user])?;
            Ok((la.id, org.id, officer))
        })
        .await?;

    let pro_ids: Vec<String> = (0..professionals).map(|_| new_id()).collect();
    for chunk in pro_ids.chunks(BATCH).enumerate().map(|(n, c)| (n * BATCH, c.to_vec())) {
        let (offset, ids) = chunk;
        let (la, org, hash, phone, tag) =
            (la_id.clone(), org_id.clone(), password_hash.clone(), phone.clone(), run_tag.clone());
        state
            .tx(move |conn| {
                let emails: Vec<String> =
                    (0..ids.len()).map(|i| format!("pro{}-{tag}@load.example", offset + i)).collect();
                let rows: Vec<NewUser<'_>> = ids
                    .iter()
                    .zip(&emails)
                    .enumerate()
                    .map(|(i, (id, email))| NewUser {
                        id,
                        local_authority_id: &la,
                        organisation_id: &org,
                        email,
                        name: "Load Professional",
                        role: "professional",
                        job_title: Some("Practitioner"),
                        specialism: Some(SPECIALISMS[(offset + i) % SPECIALISMS.len()].as_str()),
                        password_hash: &hash,
                        mfa_channel: SecondFactor::Sms.as_str(),
                        phone_ciphertext: Some(&phone),
                        phone_masked: Some("•••••••999"),
                        pending_totp_ciphertext: None,
                        status: AccountStatus::Active.as_str(),
                        created_at: now,
                    })
                    .collect();
                Ok(bulk::users(conn, &rows)?)
            })
            .await?;
    }

    let content = r#"{"will_provide":"yes_known_meets_criteria","details":"Generated for load testing.","areas":[]}"#;
    let cases_per_batch = BATCH / REQUESTS_PER_CASE;
    // Batches are independent, so several go in at once: while one is built
    // here another is being written. SQLite has one writer: one at a time.
    let at_once = match state.db.backend() {
        ehc_storage::Backend::Postgres => at_once.unwrap_or(PG_BATCHES_AT_ONCE).max(1),
        ehc_storage::Backend::Sqlite => 1,
    };
    let batches =
        (0..case_count).step_by(cases_per_batch).map(|first| (first, cases_per_batch.min(case_count - first)));
    stream::iter(batches)
        .map(|(first, n)| {
            let (la, officer, pros) = (la_id.clone(), officer_id.clone(), pro_ids.clone());
            state.tx(move |conn| {
                bulk::defer_durability(conn)?;
                insert_case_batch(conn, &la, &officer, &pros, first, n, content, now)
            })
        })
        .buffer_unordered(at_once)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(LoadSummary {
        cases: case_count,
        requests: case_count * REQUESTS_PER_CASE,
        professionals,
        seconds: started.elapsed().as_secs_f64(),
        sample_login: format!("pro0-{run_tag}@load.example"),
    })
}

#[allow(clippy::too_many_arguments)]
fn insert_case_batch(
    conn: &mut ehc_storage::DbConn,
    la: &str,
    officer: &str,
    pros: &[String],
    first: usize,
    n: usize,
    content: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (mut cases, mut participants, mut requests, mut advice, mut versions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in first..first + n {
        let id = uuid::Uuid::now_v7();
        let received = now.date() - Duration::days((c % 700) as i64);
        cases.push(Case {
            id: id.to_string(),
            local_authority_id: la.to_owned(),
            reference: case_reference(&id),
            given_name: "Load".into(),
            family_name: format!("Child{c}"),
            date_of_birth: received - Duration::days(3650),
            upn: None,
            nhs_number: None,
            uln: None,
            request_received_on: received,
            request_source: RequestSource::School,
            looked_after: c % 17 == 0,
            stage: Stage::RequestReceived,
            revision: 1,
            created_by: officer.to_owned(),
            created_at: now,
        });
        for r in 0..REQUESTS_PER_CASE {
            let index = c * REQUESTS_PER_CASE + r;
            let pro = &pros[index % pros.len()];
            let (status, advice_status, published) = advice_state(index);
            let request_id = new_id();
            let requested_on = received + Duration::days(7);
            participants.push(ParticipantRow {
                id: new_id(),
                case_id: id.to_string(),
                user_id: Some(pro.clone()),
                team_id: None,
                pending_email: None,
                kind: "professional".into(),
                added_by: officer.to_owned(),
                added_at: now,
            });
            requests.push(AdviceRequest {
                id: request_id.clone(),
                case_id: id.to_string(),
                specialism: SPECIALISMS[index % SPECIALISMS.len()],
                areas: AREAS[index % AREAS.len()].into(),
                addressee_user_id: Some(pro.clone()),
                addressee_team_id: None,
                assignee_user_id: None,
                cc: "[]".into(),
                notes: None,
                requested_on,
                due_on: advice_due(requested_on),
                completed_on: (status == RequestStatus::Completed).then_some(requested_on + Duration::days(30)),
                status,
                requires_endorsement: advice_status == AdviceStatus::AwaitingEndorsement,
                created_by: officer.to_owned(),
                created_at: now,
            });
            advice.push(AdviceRow {
                request_id: request_id.clone(),
                content: content.into(),
                status: advice_status,
                revision: 1,
                author_id: Some(pro.clone()),
                updated_at: now,
            });
            for v in 0..published {
                versions.push(VersionRow {
                    request_id: request_id.clone(),
                    version: v as i32 + 1,
                    content: content.into(),
                    submitted_by: pro.clone(),
                    submitted_at: now,
                    published_at: Some(now),
                });
            }
        }
    }
    bulk::cases(conn, &cases)?;
    for chunk in participants.chunks(BATCH) {
        bulk::participants(conn, chunk)?;
    }
    for chunk in requests.chunks(BATCH / 2) {
        bulk::requests(conn, chunk)?;
    }
    for chunk in advice.chunks(BATCH) {
        bulk::advice(conn, chunk)?;
    }
    for chunk in versions.chunks(BATCH) {
        bulk::versions(conn, chunk)?;
    }
    Ok(())
}
