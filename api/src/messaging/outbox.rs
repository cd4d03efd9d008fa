//! Embedded mode's stand-in for real delivery: one JSON file per message in a
//! folder a developer can read. Production refuses to start with it.

use std::path::PathBuf;

use serde::Serialize;

use super::OutgoingMessage;

#[derive(Clone, Debug)]
pub struct OutboxFolder {
    dir: PathBuf,
}

#[derive(Serialize)]
struct OutboxFile<'a> {
    #[serde(flatten)]
    message: &'a OutgoingMessage,
    created_at: String,
}

impl OutboxFolder {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub async fn write(&self, message: &OutgoingMessage) -> Result<(), String> {
        tokio::fs::create_dir_all(&self.dir).await.map_err(|e| e.to_string())?;
        let now = chrono::Utc::now();
        let file = OutboxFile { message, created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true) };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
        // Time-ordered names so `ls` shows the newest last.
        let name = format!("{}-{:?}-{}.json", now.format("%Y%m%dT%H%M%S%.6fZ"), message.channel, uuid::Uuid::now_v7())
            .to_lowercase();
        let tmp = self.dir.join(format!(".{name}.tmp"));
        tokio::fs::write(&tmp, json).await.map_err(|e| e.to_string())?;
        tokio::fs::rename(&tmp, self.dir.join(name)).await.map_err(|e| e.to_string())
    }
}
