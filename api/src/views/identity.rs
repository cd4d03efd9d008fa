//! The steps of logging in and enrolling a second factor, as the API
//! answers them (shared by login, registration, password reset and the
//! change of second factor).

use chrono::{DateTime, Utc};
use ehc_domain::roles::{AccountStatus, Role, Specialism};
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::invitations::Invitation;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct MfaStep {
    /// Pass to `/api/v1/auth/mfa/verify` with the code; valid 10 minutes.
    pub mfa_token: String,
    /// Where the code comes from.
    pub channel: SecondFactor,
    /// For sms and voice, the number the code went to, masked.
    pub phone_masked: Option<String>,
    /// A passkey may answer this step instead (`/api/v1/auth/mfa/passkey/options`).
    pub passkey: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// Open in an authenticator app, or show as the QR code below.
    pub otpauth_uri: String,
    /// PNG image of the QR code, base64.
    pub qr_png_base64: String,
    /// Pass with the first code to `/api/v1/auth/totp/confirm` (10 minutes).
    pub mfa_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub job_title: Option<String>,
    pub specialism: Option<Specialism>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        InvitationView {
            id: i.id,
            email: i.email,
            name: i.name,
            role: i.role,
            organisation_id: i.organisation_id,
            job_title: i.job_title,
            specialism: i.specialism.as_deref().and_then(Specialism::parse),
            created_at: i.created_at.and_utc(),
            expires_at: i.expires_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    #[schema(format = Uuid)]
    pub user_id: String,
    /// `active`, or `pending_totp` / `pending_passkey` until the app's first
    /// code or the passkey is confirmed.
    pub status: AccountStatus,
    pub channel: SecondFactor,
    pub phone_masked: Option<String>,
    pub totp: Option<TotpEnrolment>,
    /// For a passkey: the creation options, confirmed at `/api/v1/auth/passkey/confirm`.
    pub passkey: Option<PasskeyEnrolment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorView {
    pub channel: SecondFactor,
    /// Only ever shown masked.
    #[schema(example = "•••••••123")]
    pub phone_masked: Option<String>,
    pub recovery_codes_remaining: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub job_title: Option<String>,
    pub specialism: Option<Specialism>,
    pub organisation: NamedRef,
    /// The council this session acts for (switch with `PUT /api/v1/me/council`).
    pub local_authority: NamedRef,
    pub second_factor: SecondFactorView,
    /// Every council you work for; role, organisation and status are each
    /// council's own.
    pub memberships: Vec<MembershipView>,
    /// Your council requires its staff to log in with a passkey or an
    /// authenticator app, and this session was opened with a code: add one
    /// (`/api/v1/me/passkeys`), then log in with it. Nothing else answers.
    pub needs_strong_factor: bool,
    /// Councils inviting you to work with them too: accept with
    /// `POST /api/v1/me/invitations/{id}/accept`.
    pub invitations: Vec<MembershipInvitationView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub local_authority: NamedRef,
    pub organisation: NamedRef,
    pub role: Role,
    pub status: AccountStatus,
    /// The session acts for this council now.
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipInvitationView {
    #[schema(format = Uuid)]
    pub id: String,
    pub local_authority: NamedRef,
    pub role: Role,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecondFactorChanged {
    pub channel: SecondFactor,
    pub phone_masked: Option<String>,
    /// For a new authenticator app: confirm it with `/api/v1/auth/totp/confirm`;
    /// the old factor stays in use until then.
    pub totp: Option<TotpEnrolment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten single-use codes for when the phone, the app or the passkey is lost. Shown
    /// only now: keep them somewhere safe.
    pub recovery_codes: Vec<String>,
}

/// A passkey as its owner sees it: never the credential itself.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyView {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Locked after a sign that the authenticator was cloned; it no longer works.
    pub locked: bool,
}

impl From<ehc_storage::identity::passkeys::StoredPasskey> for PasskeyView {
    fn from(p: ehc_storage::identity::passkeys::StoredPasskey) -> Self {
        PasskeyView {
            id: p.id,
            name: p.name,
            created_at: p.created_at.and_utc(),
            last_used_at: p.last_used_at.map(|t| t.and_utc()),
            locked: p.locked_at.is_some(),
        }
    }
}

/// What a new account with a passkey does next.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PasskeyEnrolment {
    /// Pass to `/api/v1/auth/passkey/confirm` with the answer (10 minutes).
    pub mfa_token: String,
    #[schema(format = Uuid)]
    pub ceremony_id: String,
    /// For `navigator.credentials.create()` (binary fields base64url).
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}
