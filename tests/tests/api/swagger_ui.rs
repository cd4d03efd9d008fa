//! Swagger UI at `/docs`, opened in a real browser (Debian's Chromium,
//! driven by playwright-core from clients/typescript): every operation of
//! the spec rendered, one expanded, and no error on the page, so the
//! Content-Security-Policy and the vendored assets work together.
//! scripts/test sets EHC_TEST_REQUIRE_BROWSER.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::spawn_app;

fn prerequisites() -> Option<(PathBuf, PathBuf)> {
    let clients = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clients/typescript");
    let script = clients.join("swagger-ui.mjs");
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    let ready = clients.join("node_modules/playwright-core").exists() && Path::new(&chromium).exists();
    ready.then_some((script, chromium))
}

#[tokio::test]
async fn swagger_ui_renders_every_operation_in_chromium() {
    let Some((script, chromium)) = prerequisites() else {
        assert!(
            std::env::var("EHC_TEST_REQUIRE_BROWSER").is_err(),
            "EHC_TEST_REQUIRE_BROWSER is set but Chromium or clients/typescript's node_modules are missing"
        );
        eprintln!("no Chromium or playwright-core: skipping the Swagger UI check");
        return;
    };
    let app = spawn_app().await;
    let base = app.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node").arg(script).env("HUB_URL", base).env("CHROMIUM", chromium).output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let said = String::from_utf8_lossy(&output.stdout);
    println!("{said}");
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("operations rendered, 0 page errors"), "{said}");
}
