//! Voice calls go through a provider behind a small HTTP contract (Notify has
//! no voice channel): `POST {EHC_VOICE_URL}` with `Authorization: Bearer
//! {EHC_VOICE_TOKEN}` and `{"to": "+441709…", "message": "…"}`; any 2xx is
//! accepted. A council adapts its telephony supplier to this contract.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::OutgoingMessage;
use crate::config::VoiceConfig;

#[derive(Clone)]
pub struct VoiceProvider {
    http: reqwest::Client,
    url: String,
    token: SecretString,
}

impl VoiceProvider {
    pub fn new(config: &VoiceConfig) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { http, url: config.url.clone(), token: config.token.clone() })
    }

    pub async fn call(&self, message: &OutgoingMessage) -> Result<(), String> {
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(self.token.expose_secret())
            .json(&json!({ "to": message.to, "message": message.body }))
            .send()
            .await
            .map_err(|e| format!("voice provider unreachable: {}", e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("voice provider answered {status}"))
        }
    }
}
