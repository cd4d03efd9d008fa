//! GOV.UK Notify: each request carries a JWT (HS256, `iss` = service id,
//! `iat` = now) signed with the secret part of the API key
//! (`{name}-{service_id}-{secret}`, both ids being UUIDs).

use secrecy::ExposeSecret;
use serde_json::json;

use super::OutgoingMessage;
use crate::config::NotifyConfig;

#[derive(Clone)]
pub struct NotifyClient {
    http: reqwest::Client,
    base_url: String,
    service_id: String,
    secret: String,
    email_template_id: String,
    sms_template_id: String,
}

/// Splits an API key into (service id, secret): the last 73 characters are
/// two UUIDs joined by a hyphen.
fn split_api_key(key: &str) -> Result<(String, String), String> {
    if key.len() < 74 {
        return Err("EHC_NOTIFY_API_KEY is not a GOV.UK Notify API key".to_owned());
    }
    let tail = &key[key.len() - 73..];
    let (service_id, secret) = (&tail[..36], &tail[37..]);
    if uuid::Uuid::parse_str(service_id).is_err() || uuid::Uuid::parse_str(secret).is_err() {
        return Err("EHC_NOTIFY_API_KEY is not a GOV.UK Notify API key".to_owned());
    }
    Ok((service_id.to_owned(), secret.to_owned()))
}

impl NotifyClient {
    pub fn new(config: &NotifyConfig) -> Result<Self, String> {
        let (service_id, secret) = split_api_key(config.api_key.expose_secret())?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            service_id,
            secret,
            email_template_id: config.email_template_id.clone(),
            sms_template_id: config.sms_template_id.clone(),
        })
    }

    fn bearer(&self) -> Result<String, String> {
        let claims = json!({ "iss": self.service_id, "iat": chrono::Utc::now().timestamp() });
        crate::security::tokens::sign(&claims, self.secret.as_bytes())
    }

    async fn post(&self, path: &str, body: serde_json::Value) -> Result<(), String> {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(self.bearer()?)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("Notify unreachable: {}", e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("Notify answered {status}"))
        }
    }

    /// The e-mail template is `((subject))` / `((body))`; we fill both.
    pub async fn send_email(&self, message: &OutgoingMessage) -> Result<(), String> {
        let body = json!({
            "email_address": message.to,
            "template_id": self.email_template_id,
            "personalisation": { "subject": message.subject.clone().unwrap_or_default(), "body": message.body },
            "reference": uuid::Uuid::now_v7().to_string(),
        });
        self.post("/v2/notifications/email", body).await
    }

    pub async fn send_sms(&self, message: &OutgoingMessage) -> Result<(), String> {
        let body = json!({
            "phone_number": message.to,
            "template_id": self.sms_template_id,
            "personalisation": { "body": message.body },
            "reference": uuid::Uuid::now_v7().to_string(),
        });
        self.post("/v2/notifications/sms", body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_notify_key() {
        let key = "ehc_hub_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
        let (service, secret) = split_api_key(key).unwrap();
        assert_eq!(service, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert!(split_api_key("too-short").is_err());
    }
}
