//! Sending e-mail, SMS and voice messages through the configured transport.
//! Texts come from `ehc_domain::messages`, which hold no personal data; the
//! recipient's address is the only personal datum and is never logged.

mod notify;
mod outbox;
mod smtp;
mod voice;

use serde::Serialize;

use crate::config::{Config, EmailTransport, SmsTransport, VoiceTransport};
pub use notify::NotifyClient;
pub use outbox::OutboxFolder;
pub use smtp::SmtpSender;
pub use voice::VoiceProvider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Voice,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutgoingMessage {
    pub channel: Channel,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{channel:?} delivery failed: {reason}")]
pub struct SendError {
    pub channel: Channel,
    pub reason: String,
}

#[derive(Clone)]
enum EmailSender {
    Outbox(OutboxFolder),
    Smtp(SmtpSender),
    Notify(NotifyClient),
}

#[derive(Clone)]
enum SmsSender {
    Outbox(OutboxFolder),
    Notify(NotifyClient),
}

#[derive(Clone)]
enum VoiceSender {
    Outbox(OutboxFolder),
    Provider(VoiceProvider),
}

#[derive(Clone)]
pub struct Messenger {
    email: EmailSender,
    sms: SmsSender,
    voice: VoiceSender,
}

impl Messenger {
    pub fn from_config(config: &Config) -> Result<Messenger, String> {
        let outbox = OutboxFolder::new(config.outbox_dir.clone());
        let notify = config.notify.as_ref().map(NotifyClient::new).transpose()?;
        let notify_or_err = || notify.clone().ok_or_else(|| "GOV.UK Notify is not configured".to_owned());
        Ok(Messenger {
            email: match &config.email {
                EmailTransport::Outbox => EmailSender::Outbox(outbox.clone()),
                EmailTransport::Smtp(smtp) => EmailSender::Smtp(SmtpSender::new(smtp, &config.mail_from)?),
                EmailTransport::Notify => EmailSender::Notify(notify_or_err()?),
            },
            sms: match &config.sms {
                SmsTransport::Outbox => SmsSender::Outbox(outbox.clone()),
                SmsTransport::Notify => SmsSender::Notify(notify_or_err()?),
            },
            voice: match &config.voice {
                VoiceTransport::Outbox => VoiceSender::Outbox(outbox),
                VoiceTransport::Http(voice) => VoiceSender::Provider(VoiceProvider::new(voice)?),
            },
        })
    }

    pub async fn send(&self, message: OutgoingMessage) -> Result<(), SendError> {
        let channel = message.channel;
        let result = match (channel, &self.email, &self.sms, &self.voice) {
            (Channel::Email, EmailSender::Outbox(o), _, _)
            | (Channel::Sms, _, SmsSender::Outbox(o), _)
            | (Channel::Voice, _, _, VoiceSender::Outbox(o)) => o.write(&message).await,
            (Channel::Email, EmailSender::Smtp(s), _, _) => s.send(&message).await,
            (Channel::Email, EmailSender::Notify(n), _, _) => n.send_email(&message).await,
            (Channel::Sms, _, SmsSender::Notify(n), _) => n.send_sms(&message).await,
            (Channel::Voice, _, _, VoiceSender::Provider(p)) => p.call(&message).await,
        };
        match &result {
            Ok(()) => tracing::info!(channel = ?channel, "message sent"),
            Err(reason) => tracing::warn!(channel = ?channel, error = %reason, "message not sent"),
        }
        result.map_err(|reason| SendError { channel, reason })
    }
}
