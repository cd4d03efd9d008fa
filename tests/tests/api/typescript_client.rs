//! The typed client a front-end team or partner generates from the spec
//! (openapi-typescript + openapi-fetch, compiled by `tsc --strict` in
//! clients/typescript) runs its journey against this hub. scripts/test
//! builds it first and sets EHC_TEST_REQUIRE_TS_CLIENT; without a build the
//! test says so and passes only when nothing requires it.

use std::path::PathBuf;
use std::process::Command;

use crate::advice_flow::world;
use crate::helpers::{e164, STRONG_PASSWORD};

fn journey() -> Option<PathBuf> {
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clients/typescript/dist/journey.js");
    built.exists().then_some(built)
}

#[tokio::test]
async fn the_generated_typescript_client_completes_a_journey() {
    let Some(script) = journey() else {
        assert!(
            std::env::var("EHC_TEST_REQUIRE_TS_CLIENT").is_err(),
            "EHC_TEST_REQUIRE_TS_CLIENT is set but clients/typescript is not built (npm run build)"
        );
        eprintln!("clients/typescript is not built: skipping the typed client's journey");
        return;
    };
    let w = world().await;
    let outbox = w.app.outbox.clone();
    let base = w.app.base.clone();
    let pro_id = w.pro.id.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .env("HUB_URL", base)
            .env("HUB_OUTBOX", outbox)
            .env("HUB_PASSWORD", STRONG_PASSWORD)
            .env("OFFICER_EMAIL", "officer@la.example")
            .env("OFFICER_PHONE", e164("07700 900010"))
            .env("PRO_EMAIL", "sw@care.example")
            .env("PRO_PHONE", e164("07700 900011"))
            .env("PRO_ID", pro_id)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let said = String::from_utf8_lossy(&output.stdout);
    let complained = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the journey failed: {said}{complained}");
    print!("{said}");
    assert!(said.contains("advice submitted"), "{said}");
}
