//! Production mode refuses development settings and names the variable.

use std::collections::HashMap;

use ehc_api::config::{Config, Mode, Scanning, Settings};

fn production() -> HashMap<String, String> {
    let mut env = HashMap::new();
    for (k, v) in [
        ("EHC_ENV", "production"),
        ("EHC_DATABASE_URL", "postgres://hub@db.internal/hub"),
        ("EHC_PUBLIC_URL", "https://ehc.council.example"),
        ("EHC_SIGNING_KEY", "Zq4-a8Rk2Lm9Tx1Vb7Nc3Pd6Wf0Yh5Js"),
        ("EHC_ENCRYPTION_KEY", "q83vEjEv3Rz2XbCzVQhQ0C1QYwb9bMEw9d1pyWxRk4Y="),
        ("EHC_EMAIL", "smtp"),
        ("EHC_SMTP_HOST", "smtp.council.example"),
        ("EHC_SMS", "notify"),
        ("EHC_NOTIFY_API_KEY", "hub-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"),
        ("EHC_NOTIFY_EMAIL_TEMPLATE_ID", "f33517ff-2a88-4f6e-b855-c550268ce08a"),
        ("EHC_NOTIFY_SMS_TEMPLATE_ID", "a1b2c3d4-2a88-4f6e-b855-c550268ce08a"),
        ("EHC_VOICE", "http"),
        ("EHC_VOICE_URL", "https://voice.council.example/calls"),
        ("EHC_VOICE_TOKEN", "voice-token"),
        ("EHC_BLOB_STORE", "s3"),
        ("EHC_S3_REGION", "eu-west-2"),
        ("EHC_S3_BUCKET", "ehc-documents"),
        ("EHC_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ("EHC_S3_SECRET_ACCESS_KEY", "s3-secret-value"),
        ("EHC_CLAMD_ADDR", "clamav.internal:3310"),
    ] {
        env.insert(k.to_owned(), v.to_owned());
    }
    env
}

fn refusal(change: impl FnOnce(&mut HashMap<String, String>)) -> (String, String) {
    let mut env = production();
    change(&mut env);
    let e = Config::from_settings(&Settings::from_map(env)).expect_err("must refuse");
    (e.variable.clone(), e.to_string())
}

#[test]
fn a_complete_production_configuration_is_accepted() {
    let config = Config::from_settings(&Settings::from_map(production())).unwrap();
    assert_eq!(config.mode, Mode::Production);
    let shown = format!("{config:?}");
    for secret in ["Zq4-a8Rk2Lm9Tx1Vb7Nc3Pd6Wf0Yh5Js", "s3-secret-value", "voice-token", "3d844edf-8d35"] {
        assert!(!shown.contains(secret), "a secret is printed by Debug: {secret}");
    }
}

#[test]
fn production_refuses_dev_settings() {
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_SIGNING_KEY");
        })
        .0,
        "EHC_SIGNING_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_SIGNING_KEY".into(), "short-key".into());
        })
        .0,
        "EHC_SIGNING_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_SIGNING_KEY".into(), "a".repeat(40));
        })
        .0,
        "EHC_SIGNING_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_ENCRYPTION_KEY");
        })
        .0,
        "EHC_ENCRYPTION_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_ENCRYPTION_KEY".into(), "dG9vIHNob3J0".into());
        })
        .0,
        "EHC_ENCRYPTION_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_EMAIL");
        })
        .0,
        "EHC_EMAIL",
        "the dev outbox is the default and is refused"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_SMS".into(), "outbox".into());
        })
        .0,
        "EHC_SMS"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_VOICE");
        })
        .0,
        "EHC_VOICE"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_DATABASE_URL");
        })
        .0,
        "EHC_DATABASE_URL"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_DATABASE_URL".into(), "sqlite://hub.db".into());
        })
        .0,
        "EHC_DATABASE_URL"
    );
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_PUBLIC_URL".into(), "http://ehc.council.example".into());
        })
        .0,
        "EHC_PUBLIC_URL"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_S3_SECRET_ACCESS_KEY");
        })
        .0,
        "EHC_S3_SECRET_ACCESS_KEY"
    );
    assert_eq!(
        refusal(|e| {
            e.remove("EHC_SMTP_HOST");
        })
        .0,
        "EHC_SMTP_HOST"
    );
    let (_, message) = refusal(|e| {
        e.insert("EHC_SIGNING_KEY".into(), "change-me".into());
    });
    assert!(message.contains("EHC_SIGNING_KEY") && !message.contains("change-me"), "{message}");
}

#[test]
fn production_scans_uploads_unless_told_not_to() {
    let (variable, message) = refusal(|e| {
        e.remove("EHC_CLAMD_ADDR");
    });
    assert_eq!(variable, "EHC_CLAMD_ADDR");
    assert!(message.contains("EHC_SCANNING=off"), "the message says how to choose otherwise: {message}");
    let mut unscanned = production();
    unscanned.remove("EHC_CLAMD_ADDR");
    unscanned.insert("EHC_SCANNING".into(), "off".into());
    let config = Config::from_settings(&Settings::from_map(unscanned)).unwrap();
    assert_eq!(config.scanning, Scanning::Off, "an explicit choice is accepted");
    assert_eq!(
        refusal(|e| {
            e.insert("EHC_SCANNING".into(), "off".into());
        })
        .0,
        "EHC_SCANNING",
        "off and a scanner address contradict each other"
    );
}

#[test]
fn proxies_and_browser_origins_are_checked() {
    let (variable, message) = refusal(|e| {
        e.insert("EHC_TRUST_PROXY_HEADERS".into(), "true".into());
    });
    assert_eq!(variable, "EHC_TRUST_PROXY_HEADERS");
    assert!(message.contains("EHC_TRUSTED_PROXIES"), "{message}");
    for bad in ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/8"] {
        let (variable, _) = refusal(|e| {
            e.insert("EHC_TRUSTED_PROXIES".into(), bad.into());
        });
        assert_eq!(variable, "EHC_TRUSTED_PROXIES", "{bad}");
    }
    let mut ok = production();
    ok.insert("EHC_TRUSTED_PROXIES".into(), "10.0.0.0/8, 192.168.4.7".into());
    ok.insert("EHC_CORS_ORIGINS".into(), "https://app.council.example/, https://partner.example:8443".into());
    let config = Config::from_settings(&Settings::from_map(ok)).unwrap();
    assert_eq!(config.trusted_proxies.len(), 2);
    assert_eq!(config.cors_origins, ["https://app.council.example", "https://partner.example:8443"]);
    for bad in ["http://app.council.example", "https://app.council.example/path", "*"] {
        let (variable, _) = refusal(|e| {
            e.insert("EHC_CORS_ORIGINS".into(), bad.into());
        });
        assert_eq!(variable, "EHC_CORS_ORIGINS", "{bad}");
    }
}

#[test]
fn a_toml_file_is_read_and_the_environment_wins() {
    let dir = crate::helpers::temp_dir();
    let file = dir.join("hub.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:9999\"\nservice_name = \"Testshire Hub\"\n").unwrap();
    let mut env = HashMap::new();
    env.insert("EHC_CONFIG".to_owned(), file.display().to_string());
    env.insert("EHC_DATA_DIR".to_owned(), dir.display().to_string());
    env.insert("EHC_SERVICE_NAME".to_owned(), "From Env".to_owned());
    let config = Config::from_settings(&Settings::from_env_and_file(env).unwrap()).unwrap();
    assert_eq!(config.listen.port(), 9999);
    assert_eq!(config.service_name, "From Env");
    assert_eq!(config.mode, Mode::Embedded);
}
