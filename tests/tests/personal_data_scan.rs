//! Runs after the black-box suite (scripts/test): scans every log line the
//! hubs wrote, every message in their outboxes, every text the GOV.UK Notify
//! and voice stand-ins were asked to deliver and every e-mail the SMTP
//! server received for the personal data the suite used (names, dates of
//! birth, e-mails, phone numbers, identifiers) and fails on any. A message's
//! address is where it goes, not what it says: only subjects and bodies are
//! scanned.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// What a message says: an outbox file's subject and body.
fn outbox_text(path: &Path) -> String {
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap_or_default()).unwrap_or_default();
    format!("{} {}", json["subject"].as_str().unwrap_or(""), json["body"].as_str().unwrap_or(""))
}

/// What an e-mail says: every line but the headers naming its addresses.
fn maildir_text(path: &Path) -> String {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
    let addressing = ["to:", "from:", "x-rcptto:", "x-mailfrom:", "x-peer:", "delivered-to:", "return-path:"];
    text.lines()
        .filter(|l| !addressing.iter().any(|h| l.to_ascii_lowercase().starts_with(h)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each personal value found in a text, with where.
fn findings(sources: &[(String, String)], personal: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (where_, text) in sources {
        for value in personal {
            if text.contains(value.as_str()) {
                found.push(format!("{value:?} in {where_}"));
            }
        }
    }
    found
}

#[test]
fn the_scanner_finds_what_is_planted() {
    let sources = vec![("log".to_owned(), r#"{"message":"sent","to":"+447700900123"}"#.to_owned())];
    assert_eq!(findings(&sources, &["+447700900123".to_owned()]).len(), 1);
    assert!(findings(&sources, &["Bartholomew".to_owned()]).is_empty());
    let mail = "To: dad@family.example\nSubject: EHC Hub: case R-1 has changed\n\nHello";
    let dir = std::env::temp_dir().join(format!("pd-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("m"), mail).unwrap();
    assert!(!maildir_text(&dir.join("m")).contains("dad@family.example"), "the address header is not content");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nothing_the_suite_sent_or_logged_carries_its_personal_data() {
    let Ok(artifacts) = std::env::var("EHC_TEST_ARTIFACTS") else {
        assert!(
            std::env::var("EHC_TEST_REQUIRE_SCAN").is_err(),
            "EHC_TEST_REQUIRE_SCAN is set but EHC_TEST_ARTIFACTS is not"
        );
        eprintln!("EHC_TEST_ARTIFACTS not set: run through scripts/test to scan the suite's output");
        return;
    };
    let mut files = Vec::new();
    files_under(Path::new(&artifacts), &mut files);
    let personal: Vec<String> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("personal-")))
        .flat_map(|p| std::fs::read_to_string(p).unwrap_or_default().lines().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut log_lines = 0;
    let mut messages = 0;
    for path in &files {
        let name = path.to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "log") {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            log_lines += text.lines().count();
            sources.extend(text.lines().map(|l| (format!("log line {l}"), l.to_owned())));
        } else if path.parent().is_some_and(|d| d.ends_with("outbox")) && path.extension().is_some_and(|e| e == "json")
        {
            messages += 1;
            sources.push((name.clone(), outbox_text(path)));
        }
    }
    if let Ok(maildir) = std::env::var("EHC_TEST_MAILDIR") {
        let mut mails = Vec::new();
        files_under(Path::new(&maildir), &mut mails);
        for path in mails {
            messages += 1;
            sources.push((path.to_string_lossy().into_owned(), maildir_text(&path)));
        }
    }
    eprintln!("scanned {log_lines} log lines and {messages} messages for {} personal values", personal.len());
    assert!(personal.len() > 50, "the suite's personal data was recorded ({} values)", personal.len());
    assert!(log_lines > 500, "the hubs' logs were captured ({log_lines} lines)");
    assert!(messages > 100, "the messages were captured ({messages})");
    let found = findings(&sources, &personal);
    assert!(found.is_empty(), "personal data leaked:\n{}", found.join("\n"));
}
