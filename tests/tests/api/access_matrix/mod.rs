//! The access matrix as a test: every operation of the spec × every kind of
//! caller × the states of a request for advice that matter, each cell the
//! status the access policy (rules.rs) says. The probe's findings have cells
//! here too: another council's officer and a member of both councils acting
//! for the other (finding 1, the cross-council account), a team role reaching
//! only its team's request (5), nobody endorsing their own advice (4), and no
//! answer naming a case or request the caller cannot see. A new operation in the spec with
//! no row fails the test. Cells that would change the world run last, each
//! on fresh resources of its own, so that every cell sees the world as built.

mod operations;
mod operations_plans;
mod rules;
mod world;

use serde_json::Value;

use operations::{rows, Row};
use rules::{expected, on_case_x, on_case_y, reaches, THROUGH};
use world::{Actor, Ids, State, World, ACTORS};

fn fill(text: &str, w: &World, ids: &Ids) -> String {
    text.replace("{request}", &ids.request)
        .replace("{document}", &ids.document)
        .replace("{place}", &ids.place)
        .replace("{closure}", &ids.closure)
        .replace("{invitation}", &ids.invitation)
        .replace("{user}", &ids.user)
        .replace("{case}", &w.case_x)
        .replace("{org}", &w.org_a)
        .replace("{team}", &w.team)
        .replace("{spare}", &w.spare.id)
        .replace("{author}", &w.author_id)
        .replace("{council_a}", &w.council_a)
}

fn world_ids(w: &World, state: State) -> Ids {
    Ids {
        request: w.request(state).to_owned(),
        document: if state == State::Draft { w.draft_document.clone() } else { w.published_document.clone() },
        place: w.parent_place.clone(),
        closure: w.closure.clone(),
        invitation: w.invitation.clone(),
        user: w.spare_to_disable.id.clone(),
    }
}

async fn call(w: &World, row: &Row, actor: Actor, ids: &Ids) -> (u16, String) {
    let url = format!("{}{}", w.app.base, fill(row.path, w, ids));
    let mut req = w.app.client.request(row.method.clone(), url);
    if let Some(token) = w.token(actor) {
        req = req.bearer_auth(token);
    }
    if row.op == "saveAdvice" {
        req = req.header("if-match", "\"r999\"");
    }
    if row.op == "correctCase" {
        req = req.header("if-match", "\"c999\"");
    }
    if row.op == "uploadDocument" {
        req = req.header("content-disposition", "attachment; filename=\"note.txt\"").body("A note.\n");
    } else if let Some(body) = &row.body {
        req = req.header("content-type", "application/json").body(fill(&body.to_string(), w, ids));
    }
    let res = req.send().await.expect("the hub answers");
    let status = res.status().as_u16();
    // Whatever is made says where it is (RFC 9110 §15.3.2).
    assert!(status != 201 || res.headers().contains_key("location"), "{} answered 201 without Location", row.op);
    (status, res.text().await.unwrap_or_default())
}

fn matches(expected: u16, got: u16) -> bool {
    if expected == THROUGH {
        (200..300).contains(&got) || matches!(got, 409 | 412 | 422)
    } else {
        got == expected
    }
}

/// Ids an actor must never find in any answer.
fn hidden_ids(w: &World, actor: Actor) -> Vec<String> {
    let mut hidden = Vec::new();
    if !on_case_x(actor) {
        hidden.push(w.case_x.clone());
    }
    if !on_case_y(actor) {
        hidden.push(w.case_y.clone());
    }
    for (state, id) in &w.requests {
        if !reaches(actor, *state) {
            hidden.push(id.clone());
        }
    }
    if actor != Actor::Author && actor != Actor::Officer {
        hidden.push(w.draft_document.clone());
    }
    hidden
}

#[tokio::test]
async fn every_operation_for_every_caller_answers_as_the_access_policy_says() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    let table = rows();
    let mut in_spec: Vec<String> = Vec::new();
    for ops in spec["paths"].as_object().unwrap().values() {
        for op in ops.as_object().unwrap().values() {
            in_spec.push(op["operationId"].as_str().unwrap().to_owned());
        }
    }
    let missing: Vec<&String> = in_spec.iter().filter(|id| !table.iter().any(|r| r.op == id.as_str())).collect();
    assert!(missing.is_empty(), "operations of the spec with no rows in the access matrix: {missing:?}");
    let stale: Vec<&str> = table.iter().map(|r| r.op).filter(|op| !in_spec.iter().any(|id| id == op)).collect();
    assert!(stale.is_empty(), "rows for operations the spec no longer has: {stale:?}");

    let mut w = world::build().await;
    let mut failures = Vec::new();
    let mut checked = 0usize;
    let mut deferred = Vec::new();
    for row in &table {
        let actors: &[Actor] = if row.public { &[Actor::Anonymous] } else { &ACTORS };
        for &state in row.states {
            for &actor in actors {
                let want = expected(row.op, actor, state);
                let changes = row.changes_world && !matches!(want, 401 | 403 | 404 | 409 | 412 | 422);
                if changes {
                    deferred.push((row, actor, state, want));
                    continue;
                }
                let (got, body) = call(&w, row, actor, &world_ids(&w, state)).await;
                checked += 1;
                if !matches(want, got) {
                    failures.push(format!("{} as {actor:?} on {state:?}: expected {want}, got {got}", row.op));
                }
                if got < 300 && row.op != "getCaseAudit" {
                    for id in hidden_ids(&w, actor) {
                        if body.contains(&id) {
                            failures
                                .push(format!("{} as {actor:?} on {state:?}: the answer names a hidden id", row.op));
                        }
                    }
                }
            }
        }
    }
    // Cells that change the world, each on fresh resources; the session
    // ones (choosing a council, logging out) last of all.
    deferred.sort_by_key(|(row, _, _, _)| matches!(row.op, "chooseCouncil" | "logout"));
    for (row, actor, state, want) in deferred {
        let ids = w.fresh(row.op, state).await;
        let (got, _) = call(&w, row, actor, &ids).await;
        checked += 1;
        if !matches(want, got) {
            failures.push(format!("{} as {actor:?} on {state:?} (fresh): expected {want}, got {got}", row.op));
        }
    }
    println!("access matrix: {checked} cells over {} operations and {} callers", table.len(), ACTORS.len());
    assert!(
        failures.is_empty(),
        "{} of {checked} cells differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
