//! The world the access matrix runs in: two councils, an account of every
//! kind that matters, and a request for advice in each state.

use serde_json::{json, Value};

use crate::advice_flow::complete_advice;
use crate::helpers::{spawn_app, TestApp};
use crate::people::{Person, Session};

/// Who calls. `Dual` works for both councils and is acting for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Administrator,
    Officer,
    Coordinator,
    Manager,
    Author,
    OffCase,
    Parent,
    OtherParent,
    Foreign,
    Dual,
}

pub const ACTORS: [Actor; 11] = [
    Actor::Anonymous,
    Actor::Administrator,
    Actor::Officer,
    Actor::Coordinator,
    Actor::Manager,
    Actor::Author,
    Actor::OffCase,
    Actor::Parent,
    Actor::OtherParent,
    Actor::Foreign,
    Actor::Dual,
];

/// The state of the request (and its advice) an operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not about one request.
    None,
    Draft,
    AwaitingEndorsement,
    Published,
    Released,
    Withdrawn,
}

pub const ADVICE_STATES: [State; 5] =
    [State::Draft, State::AwaitingEndorsement, State::Published, State::Released, State::Withdrawn];

/// The ids a path's placeholders stand for in one cell.
pub struct Ids {
    pub request: String,
    pub document: String,
    pub place: String,
    pub closure: String,
    pub invitation: String,
    pub user: String,
}

pub struct World {
    pub app: TestApp,
    pub author_id: String,
    pub team_for_requests: String,
    pub made: usize,
    pub sessions: Vec<(Actor, Session)>,
    pub case_x: String,
    pub case_y: String,
    pub requests: Vec<(State, String)>,
    pub draft_document: String,
    pub published_document: String,
    pub parent_place: String,
    pub org_a: String,
    pub team: String,
    pub closure: String,
    pub invitation: String,
    pub spare: Person,
    pub spare_to_disable: Person,
    pub council_a: String,
}

impl World {
    pub fn token(&self, actor: Actor) -> Option<&str> {
        self.sessions.iter().find(|(a, _)| *a == actor).map(|(_, s)| s.access.as_str())
    }

    pub fn request(&self, state: State) -> &str {
        self.requests.iter().find(|(s, _)| *s == state).map(|(_, id)| id.as_str()).unwrap_or("none")
    }
}

async fn ok(app: &TestApp, method: reqwest::Method, path: &str, token: &str, body: Value) -> Value {
    let res = app.call(method, path, Some(token), Some(body)).await;
    assert!(res.status < 300, "{path}: {} {:?}", res.status, res.body);
    res.body
}

async fn upload(app: &TestApp, token: &str, request: &str, text: &str) -> String {
    let res = app
        .client
        .post(format!("{}/api/v1/advice-requests/{request}/documents", app.base))
        .bearer_auth(token)
        .header("content-disposition", "attachment; filename=\"report.txt\"")
        .body(text.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

impl World {
    fn officer(&self) -> String {
        self.token(Actor::Officer).unwrap_or_default().to_owned()
    }

    /// A new request on case X in `state`, made the way the world's were.
    async fn new_request(&self, state: State) -> String {
        use reqwest::Method;
        let (app, o) = (&self.app, self.officer());
        let a = self.token(Actor::Author).unwrap_or_default().to_owned();
        let to_author =
            json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": self.author_id});
        let body = if state == State::AwaitingEndorsement {
            json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": self.team_for_requests, "requires_endorsement": true})
        } else {
            to_author
        };
        let case = &self.case_x;
        let id = ok(app, Method::POST, &format!("/api/v1/cases/{case}/advice-requests"), &o, body).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let base = format!("/api/v1/advice-requests/{id}");
        if state == State::AwaitingEndorsement {
            let c = self.token(Actor::Coordinator).unwrap_or_default();
            ok(app, Method::POST, &format!("{base}/assign"), c, json!({"user_id": self.author_id})).await;
        }
        let tag = app.get(&format!("{base}/advice"), Some(&a)).await.header("etag").unwrap();
        assert_eq!(app.put_json(&format!("{base}/advice"), &a, Some(&tag), complete_advice()).await.status, 200);
        if matches!(state, State::AwaitingEndorsement | State::Published | State::Released) {
            ok(app, Method::POST, &format!("{base}/advice/submit"), &a, json!({})).await;
        }
        if state == State::Released {
            ok(app, Method::POST, &format!("{base}/advice/release"), &o, json!({"reason": "A new assessment is due."}))
                .await;
        }
        if state == State::Withdrawn {
            ok(app, Method::POST, &format!("{base}/withdraw"), &o, json!({})).await;
        }
        id
    }

    /// Fresh resources for one cell that changes the world.
    pub async fn fresh(&mut self, op: &str, state: State) -> Ids {
        use reqwest::Method;
        self.made += 1;
        let n = self.made;
        let o = self.officer();
        let request = if state == State::None { String::new() } else { self.new_request(state).await };
        let a = self.token(Actor::Author).unwrap_or_default().to_owned();
        let document = if op == "deleteDocument" {
            upload(&self.app, &a, &request, "Fresh notes.\n").await
        } else {
            String::new()
        };
        let app = &self.app;
        let place = if op == "removeParticipant" {
            let invite = json!({"invite": {"email": format!("family{n}@family.example"), "name": "Robin Example", "role": "parent_carer"}});
            ok(app, Method::POST, &format!("/api/v1/cases/{}/participants", self.case_x), &o, invite).await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        } else {
            String::new()
        };
        let closure = if op == "deleteClosure" {
            let body = json!({"setting": "early_years", "first_closed_on": "2027-05-24", "reopens_on": "2027-05-31", "description": format!("Half term {n}")});
            ok(app, Method::POST, "/api/v1/closures", &o, body).await["id"].as_str().unwrap().to_owned()
        } else {
            String::new()
        };
        let invitation = if op == "revokeInvitation" {
            let body = json!({"email": format!("fresh{n}@school.example"), "name": "Robin Example", "role": "professional", "specialism": "education"});
            ok(app, Method::POST, "/api/v1/invitations", &o, body).await["id"].as_str().unwrap().to_owned()
        } else {
            String::new()
        };
        let user = if op == "disableUser" {
            let inviter = self.sessions.iter().find(|(a, _)| *a == Actor::Officer).map(|(_, s)| s.clone()).unwrap();
            let phone = format!("07700 9003{n:02}");
            app.person(&inviter, &format!("leaver{n}@nhs.example"), "professional", Some("health"), &phone).await.id
        } else {
            String::new()
        };
        Ids { request, document, place, closure, invitation, user }
    }
}

pub async fn build() -> World {
    use reqwest::Method;
    let app = spawn_app().await;
    let admin = app.admin("admin@testshire.example", "Testshire County Council").await;
    let officer = app.person(&admin, "officer@testshire.example", "assessment_officer", None, "07700 900200").await;
    let o = officer.session.access.clone();
    let person = |email: &'static str, role: &'static str, specialism: Option<&'static str>, phone: &'static str| {
        let app = &app;
        let inviter = officer.session.clone();
        async move { app.person(&inviter, email, role, specialism, phone).await }
    };
    let coordinator = person("dsco@care.example", "coordinator", Some("social_care"), "07700 900201").await;
    let manager = person("tm@care.example", "team_manager", Some("social_care"), "07700 900202").await;
    let author = person("sw@care.example", "professional", Some("social_care"), "07700 900203").await;
    let off_case = person("ot@nhs.example", "professional", Some("health"), "07700 900204").await;
    let parent = person("mum@family.example", "parent_carer", None, "07700 900205").await;
    let other_parent = person("dad@family.example", "parent_carer", None, "07700 900206").await;
    let spare = person("spare@nhs.example", "professional", Some("health"), "07700 900207").await;
    let spare_to_disable = person("leaver@nhs.example", "professional", Some("health"), "07700 900208").await;
    let dual = person("ep@psychology.example", "professional", Some("educational_psychology"), "07700 900209").await;

    let admin_b = app.admin("admin@otherton.example", "Otherton Borough Council").await;
    let foreign = app.person(&admin_b, "officer@otherton.example", "assessment_officer", None, "07700 900210").await;
    let invited = app.post("/api/v1/invitations", Some(&foreign.session.access), json!({"email": "ep@psychology.example", "name": "Robin Example", "role": "professional", "specialism": "educational_psychology"})).await;
    assert_eq!(invited.status, 201);
    let me = app.get("/api/v1/me", Some(&dual.session.access)).await;
    let accept = format!("/api/v1/me/invitations/{}/accept", me.body["invitations"][0]["id"].as_str().unwrap());
    assert_eq!(app.post(&accept, Some(&dual.session.access), json!({})).await.status, 204);
    let council_a = me.body["local_authority"]["id"].as_str().unwrap().to_owned();
    let council_b = app.get("/api/v1/me", Some(&foreign.session.access)).await.body["local_authority"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(&app, Method::PUT, "/api/v1/me/council", &dual.session.access, json!({"local_authority_id": council_b})).await;

    let org_a = ok(
        &app,
        Method::POST,
        "/api/v1/organisations",
        &o,
        json!({"name": "Children's Social Care", "kind": "social_care_team"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let _org_b = ok(
        &app,
        Method::POST,
        "/api/v1/organisations",
        &foreign.session.access,
        json!({"name": "Otherton Care", "kind": "social_care_team"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let team = ok(&app, Method::POST, "/api/v1/teams", &o, json!({"organisation_id": org_a, "name": "DSCO"})).await
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (who, role) in [(&coordinator, "coordinator"), (&manager, "manager"), (&author, "member")] {
        ok(&app, Method::PUT, &format!("/api/v1/teams/{team}/members/{}", who.id), &o, json!({"team_role": role}))
            .await;
    }
    let closure = ok(&app, Method::POST, "/api/v1/closures", &o, json!({"setting": "school", "first_closed_on": "2026-12-21", "reopens_on": "2027-01-04", "description": "Christmas"})).await["id"].as_str().unwrap().to_owned();
    let invitation = ok(&app, Method::POST, "/api/v1/invitations", &o, json!({"email": "pending@school.example", "name": "Robin Example", "role": "professional", "specialism": "education"})).await["id"].as_str().unwrap().to_owned();

    let new_case = |given: &'static str| {
        let app = &app;
        let o = o.clone();
        async move {
            ok(app, Method::POST, "/api/v1/cases", &o, json!({"given_name": given, "family_name": "Example", "date_of_birth": "2016-04-04", "request_received_on": "2026-11-02", "request_source": "school"})).await["id"].as_str().unwrap().to_owned()
        }
    };
    let case_x = new_case("Xanthe").await;
    let case_y = new_case("Yorick").await;
    let parent_place =
        ok(&app, Method::POST, &format!("/api/v1/cases/{case_x}/participants"), &o, json!({"user_id": parent.id}))
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
    ok(&app, Method::POST, &format!("/api/v1/cases/{case_y}/participants"), &o, json!({"user_id": other_parent.id}))
        .await;

    let request_to = |body: Value| {
        let app = &app;
        let o = o.clone();
        let case_x = case_x.clone();
        async move {
            ok(app, Method::POST, &format!("/api/v1/cases/{case_x}/advice-requests"), &o, body).await["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let to_author = json!({"specialism": "social_care", "areas": ["social_care"], "addressee_user_id": author.id});
    let a = author.session.access.clone();
    let save = |request: String| {
        let app = &app;
        let a = a.clone();
        async move {
            let path = format!("/api/v1/advice-requests/{request}/advice");
            let tag = app.get(&path, Some(&a)).await.header("etag").unwrap();
            assert_eq!(app.put_json(&path, &a, Some(&tag), complete_advice()).await.status, 200);
        }
    };
    let submit = |request: String| {
        let app = &app;
        let a = a.clone();
        async move {
            ok(app, Method::POST, &format!("/api/v1/advice-requests/{request}/advice/submit"), &a, json!({})).await;
        }
    };
    let draft = request_to(to_author.clone()).await;
    save(draft.clone()).await;
    let draft_document = upload(&app, &a, &draft, "Draft notes.\n").await;
    let awaiting = request_to(json!({"specialism": "social_care", "areas": ["social_care"], "addressee_team_id": team, "requires_endorsement": true})).await;
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/advice-requests/{awaiting}/assign"),
        &coordinator.session.access,
        json!({"user_id": author.id}),
    )
    .await;
    save(awaiting.clone()).await;
    submit(awaiting.clone()).await;
    let published = request_to(to_author.clone()).await;
    save(published.clone()).await;
    let published_document = upload(&app, &a, &published, "The report.\n").await;
    submit(published.clone()).await;
    let released = request_to(to_author.clone()).await;
    save(released.clone()).await;
    submit(released.clone()).await;
    ok(
        &app,
        Method::POST,
        &format!("/api/v1/advice-requests/{released}/advice/release"),
        &o,
        json!({"reason": "A new assessment is due."}),
    )
    .await;
    let withdrawn = request_to(to_author).await;
    save(withdrawn.clone()).await;
    ok(&app, Method::POST, &format!("/api/v1/advice-requests/{withdrawn}/withdraw"), &o, json!({})).await;

    let sessions = vec![
        (Actor::Administrator, admin),
        (Actor::Officer, officer.session),
        (Actor::Coordinator, coordinator.session),
        (Actor::Manager, manager.session),
        (Actor::Author, author.session),
        (Actor::OffCase, off_case.session),
        (Actor::Parent, parent.session),
        (Actor::OtherParent, other_parent.session),
        (Actor::Foreign, foreign.session),
        (Actor::Dual, dual.session),
    ];
    World {
        app,
        author_id: author.id.clone(),
        team_for_requests: team.clone(),
        made: 0,
        sessions,
        case_x,
        case_y,
        requests: vec![
            (State::Draft, draft),
            (State::AwaitingEndorsement, awaiting),
            (State::Published, published),
            (State::Released, released),
            (State::Withdrawn, withdrawn),
        ],
        draft_document,
        published_document,
        parent_place,
        org_a,
        team,
        closure,
        invitation,
        spare,
        spare_to_disable,
        council_a,
    }
}
