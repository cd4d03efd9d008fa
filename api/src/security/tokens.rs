//! JSON Web Tokens. Each purpose has its own audience so that one kind can
//! never be used as another; only HS256 is accepted, whatever the header says.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ACCESS_AUDIENCE: &str = "ehc-hub:access";
pub const MFA_STEP_AUDIENCE: &str = "ehc-hub:mfa-step";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// User id.
    pub sub: String,
    /// Server-side session id: revoking it ends the token at once.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaStepClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    /// The challenge this token answers.
    pub jti: String,
    /// login, enrol, change_factor or password_reset.
    pub purpose: String,
    pub iat: i64,
    pub exp: i64,
}

fn validation(issuer: &str, audience: &str) -> Validation {
    let mut v = Validation::new(Algorithm::HS256);
    v.algorithms = vec![Algorithm::HS256];
    v.set_audience(&[audience]);
    v.set_issuer(&[issuer]);
    v.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    v.leeway = 0;
    v
}

pub fn sign<T: Serialize>(claims: &T, key: &[u8]) -> Result<String, String> {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(key)).map_err(|e| e.to_string())
}

pub fn verify_access(token: &str, key: &[u8], issuer: &str) -> Option<AccessClaims> {
    decode::<AccessClaims>(token, &DecodingKey::from_secret(key), &validation(issuer, ACCESS_AUDIENCE))
        .ok()
        .map(|d| d.claims)
}

pub fn verify_mfa_step(token: &str, key: &[u8], issuer: &str) -> Option<MfaStepClaims> {
    decode::<MfaStepClaims>(token, &DecodingKey::from_secret(key), &validation(issuer, MFA_STEP_AUDIENCE))
        .ok()
        .map(|d| d.claims)
}

/// A partner system's access token (OAuth 2.0 client credentials): its own
/// audience, so a client token is never a user's and a user's never a
/// client's. Checked against the client's state on every call.
pub const CLIENT_AUDIENCE: &str = "ehc-hub:client";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientClaims {
    pub iss: String,
    pub aud: String,
    /// The client id.
    pub sub: String,
    /// The granted scopes, space-separated (RFC 8693 §4.2).
    pub scope: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn verify_client(token: &str, key: &[u8], issuer: &str) -> Option<ClientClaims> {
    decode::<ClientClaims>(token, &DecodingKey::from_secret(key), &validation(issuer, CLIENT_AUDIENCE))
        .ok()
        .map(|d| d.claims)
}
