//! `ehc-hub seed-demo`: a demo council a front-end developer can click
//! through at once — officers, professionals of each specialism, a social
//! care team inbox, family members, and cases with requests for advice.
//! Embedded mode only; running it twice changes nothing.

use chrono::{Duration, NaiveDate};
use ehc_domain::advice::RequestStatus;
use ehc_domain::cases::case_reference;
use ehc_domain::cases::{ParticipantKind, RequestSource};
use ehc_domain::roles::AccountStatus;
use ehc_domain::roles::{OrganisationKind, Specialism, TeamRole};
use ehc_domain::second_factor::SecondFactor;
use ehc_domain::statutory::advice_due;
use ehc_domain::statutory::Stage;
use ehc_storage::casework::cases::{self, Case};
use ehc_storage::casework::participants::{self, Who};
use ehc_storage::casework::requests::{self, AdviceRequest};
use ehc_storage::casework::{advice, teams};
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::organisations;
use ehc_storage::identity::users::{self, NewUser};
use ehc_storage::{new_id, DbConn};

use crate::error::ApiError;
use crate::state::AppState;

pub const DEMO_PASSWORD: &str = "demo hub lantern orbit 2026";

type DemoAccount = (&'static str, &'static str, &'static str, Option<&'static str>, &'static str, &'static str);

/// (e-mail, name, role, specialism, organisation, organisation kind). Phone
/// numbers come from Ofcom's range reserved for drama (07700 900xxx).
const DEMO_ACCOUNTS: &[DemoAccount] = &[
    ("admin@demo-borough.example", "Alex Admin", "administrator", None, "Demo Borough Council", "local_authority"),
    (
        "officer@demo-borough.example",
        "Olu Officer",
        "assessment_officer",
        None,
        "Demo Borough Council",
        "local_authority",
    ),
    (
        "senco@oakfield-primary.example",
        "Sam Senco",
        "professional",
        Some("education"),
        "Oakfield Primary School",
        "school",
    ),
    ("paediatrician@demo-nhs.example", "Harper Health", "professional", Some("health"), "Demo NHS Trust", "nhs_trust"),
    (
        "ep@demo-borough.example",
        "Eden Psychologist",
        "professional",
        Some("educational_psychology"),
        "Demo Borough Council",
        "local_authority",
    ),
    (
        "social.worker@demo-borough.example",
        "Sol Social",
        "professional",
        Some("social_care"),
        "Demo Social Care Team",
        "social_care_team",
    ),
    ("therapist@demo-nhs.example", "Omar Other", "professional", Some("other"), "Demo NHS Trust", "nhs_trust"),
    (
        "dsco@demo-borough.example",
        "Dee Coordinator",
        "coordinator",
        Some("social_care"),
        "Demo Social Care Team",
        "social_care_team",
    ),
    (
        "team.manager@demo-borough.example",
        "Tam Manager",
        "team_manager",
        Some("social_care"),
        "Demo Social Care Team",
        "social_care_team",
    ),
    ("parent@family.example", "Pat Parent", "parent_carer", None, "Demo Borough Council", "local_authority"),
    ("young.person@family.example", "Yan Young", "young_person", None, "Demo Borough Council", "local_authority"),
];

pub struct Seeded {
    pub accounts: Vec<(String, String)>,
    pub case_references: Vec<String>,
}

pub async fn seed(state: &AppState) -> Result<Seeded, ApiError> {
    let password_hash = actix_web::web::block(|| crate::security::passwords::hash_password(DEMO_PASSWORD))
        .await?
        .map_err(ApiError::internal)?;
    let st = state.clone();
    let now = state.now();
    state
        .tx(move |conn| {
            let (la, _) = organisations::find_or_create_local_authority(conn, "Demo Borough Council", now)?;
            let mut accounts = Vec::new();
            for (index, (email, name, role, specialism, org_name, org_kind)) in DEMO_ACCOUNTS.iter().enumerate() {
                accounts.push(((*email).to_owned(), (*role).to_owned()));
                if users::user_by_email(conn, email).optional()?.is_some() {
                    continue;
                }
                let kind = OrganisationKind::try_from((*org_kind).to_owned()).map_err(ApiError::internal)?;
                let org = organisations::find_or_create_organisation(conn, &la.id, org_name, kind, now)?;
                let phone = format!("+447700900{:03}", index + 1);
                let ciphertext = st.keys.encrypt(phone.as_bytes()).map_err(ApiError::internal)?;
                users::insert_user(
                    conn,
                    &NewUser {
                        id: &new_id(),
                        local_authority_id: &la.id,
                        organisation_id: &org.id,
                        email,
                        name,
                        role,
                        job_title: None,
                        specialism: *specialism,
                        password_hash: &password_hash,
                        mfa_channel: SecondFactor::Sms.as_str(),
                        phone_ciphertext: Some(&ciphertext),
                        phone_masked: Some(&ehc_domain::phone::mask_phone(&phone)),
                        pending_totp_ciphertext: None,
                        status: AccountStatus::Active.as_str(),
                        created_at: now,
                    },
                )?;
            }
            let case_references = seed_cases(conn, &la.id, now)?;
            Ok(Seeded { accounts, case_references })
        })
        .await
}

/// A request for advice the demo issues on each case.
struct DemoAsk<'a> {
    specialism: Specialism,
    to_user: Option<&'a str>,
    to_team: Option<&'a str>,
    /// JSON array of area codes.
    areas: &'a str,
    endorse: bool,
}

fn user_id(conn: &mut DbConn, email: &str) -> Result<String, ApiError> {
    Ok(users::user_by_email(conn, email)?.id)
}

fn seed_cases(conn: &mut DbConn, la_id: &str, now: chrono::NaiveDateTime) -> Result<Vec<String>, ApiError> {
    let viewer = cases::Viewer {
        user_id: String::new(),
        local_authority_id: la_id.to_owned(),
        scope: ehc_domain::access::CaseScope::WholeAuthority,
        inboxes_of: None,
    };
    let existing =
        cases::list_cases(conn, &viewer, &cases::CaseFilter { stage: None, overdue: None, after_id: None, limit: 10 })?;
    if !existing.is_empty() {
        return Ok(existing.into_iter().map(|c| c.reference).collect());
    }
    let officer = user_id(conn, "officer@demo-borough.example")?;
    let social_care_org = organisations::find_or_create_organisation(
        conn,
        la_id,
        "Demo Social Care Team",
        OrganisationKind::SocialCareTeam,
        now,
    )?;
    let dsco_team = teams::create_team(conn, la_id, &social_care_org.id, "Social Care DSCO", now)?;
    for (email, role) in [
        ("dsco@demo-borough.example", TeamRole::Coordinator),
        ("team.manager@demo-borough.example", TeamRole::Manager),
        ("social.worker@demo-borough.example", TeamRole::Member),
    ] {
        let id = user_id(conn, email)?;
        teams::set_member(conn, &dsco_team.id, &id, role)?;
    }
    let today = now.date();
    let mut references = Vec::new();
    // Fictional children; the demo never holds real data.
    let demo_cases = [
        ("Ada", "Lovelace-Demo", NaiveDate::from_ymd_opt(2016, 5, 14), RequestSource::ParentOrYoungPerson, false, 20),
        ("Ben", "Example", NaiveDate::from_ymd_opt(2012, 9, 3), RequestSource::School, true, 50),
    ];
    for (n, (given, family, dob, source, looked_after, days_ago)) in demo_cases.into_iter().enumerate() {
        let id = uuid::Uuid::now_v7();
        let received = today - Duration::days(days_ago);
        let case = Case {
            id: id.to_string(),
            local_authority_id: la_id.to_owned(),
            reference: case_reference(&id),
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            date_of_birth: dob.unwrap_or(today),
            upn: None,
            nhs_number: None,
            uln: None,
            request_received_on: received,
            request_source: source,
            looked_after,
            stage: Stage::RequestReceived,
            revision: 1,
            created_by: officer.clone(),
            created_at: now,
        };
        cases::insert_case(conn, &case)?;
        references.push(case.reference.clone());
        if n == 0 {
            for (email, kind) in [
                ("parent@family.example", ParticipantKind::ParentCarer),
                ("young.person@family.example", ParticipantKind::YoungPerson),
            ] {
                let id = user_id(conn, email)?;
                participants::add_participant(conn, &case.id, Who::User(&id), kind, &officer, now)?;
            }
        }
        let requested_on = received + Duration::days(7);
        let asks = [
            DemoAsk {
                specialism: Specialism::Education,
                to_user: Some("senco@oakfield-primary.example"),
                to_team: None,
                areas: "[\"sen_cognition_and_learning\",\"sen_communication_and_interaction\"]",
                endorse: false,
            },
            DemoAsk {
                specialism: Specialism::Health,
                to_user: Some("paediatrician@demo-nhs.example"),
                to_team: None,
                areas: "[\"health\"]",
                endorse: false,
            },
            DemoAsk {
                specialism: Specialism::SocialCare,
                to_user: None,
                to_team: Some(dsco_team.id.as_str()),
                areas: "[\"social_care\"]",
                endorse: true,
            },
        ];
        for DemoAsk { specialism, to_user, to_team, areas, endorse } in asks {
            let addressee = to_user.map(|e| user_id(conn, e)).transpose()?;
            if let Some(u) = &addressee {
                participants::add_participant(
                    conn,
                    &case.id,
                    Who::User(u),
                    ParticipantKind::Professional,
                    &officer,
                    now,
                )?;
            }
            if let Some(t) = to_team {
                participants::add_participant(conn, &case.id, Who::Team(t), ParticipantKind::TeamInbox, &officer, now)?;
            }
            let request = AdviceRequest {
                id: new_id(),
                case_id: case.id.clone(),
                specialism,
                areas: areas.to_owned(),
                addressee_user_id: addressee.clone(),
                addressee_team_id: to_team.map(str::to_owned),
                assignee_user_id: None,
                cc: "[]".to_owned(),
                notes: Some("Demo request: please give your advice in the areas asked.".to_owned()),
                requested_on,
                due_on: advice_due(requested_on),
                completed_on: None,
                status: RequestStatus::Open,
                requires_endorsement: endorse,
                created_by: officer.clone(),
                created_at: now,
            };
            requests::insert_request(conn, &request)?;
            advice::ensure_advice(conn, &request.id, addressee.as_deref(), now)?;
        }
    }
    Ok(references)
}
