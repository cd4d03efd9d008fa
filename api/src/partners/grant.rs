//! The OAuth 2.0 client-credentials grant (RFC 6749 §4.4) with three ways
//! for a client to prove itself: `client_secret_basic`, `client_secret_post`
//! (§2.3.1) and `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9),
//! which the NHS API platform requires for personal data. Refusals are the
//! error codes of §5.2.

use ehc_domain::scopes::Scopes;
use ehc_storage::partners::api_clients::{self, ApiClient};
use jsonwebtoken::Validation;
use serde::Deserialize;

use crate::audit;
use crate::error::ApiError;
use crate::security::secrets::{constant_time_eq, hash_token};
use crate::security::tokens::{sign, ClientClaims, CLIENT_AUDIENCE};
use crate::state::AppState;

/// A client token's life: short, since a leaked one cannot be revoked
/// by anything but revoking the client.
pub const TOKEN_SECONDS: i64 = 600;
/// The longest life a signed assertion may claim (as the NHS platform asks).
const ASSERTION_MAX_SECONDS: i64 = 300;
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the client proved itself, as the request carried it.
pub enum Credentials {
    Secret { client_id: String, secret: String },
    Assertion { client_id: Option<String>, assertion: String },
}

/// An RFC 6749 §5.2 refusal: its code and words for the developer.
#[derive(Debug)]
pub struct Refusal {
    pub error: &'static str,
    pub description: String,
}

impl Refusal {
    pub fn new(error: &'static str, description: impl Into<String>) -> Refusal {
        Refusal { error, description: description.into() }
    }

    fn client(description: &str) -> Refusal {
        Refusal::new("invalid_client", description)
    }
}

pub struct Granted {
    pub access_token: String,
    pub expires_in: i64,
    pub scope: Scopes,
}

/// The token, or the refusal; every grant is audited with the client as actor.
pub async fn grant(
    state: &AppState,
    credentials: Credentials,
    requested: Option<String>,
) -> Result<Result<Granted, Refusal>, ApiError> {
    let requested = match requested.as_deref().map(Scopes::parse) {
        Some(Ok(scopes)) if scopes.is_empty() => return Ok(Err(Refusal::new("invalid_scope", "scope is empty."))),
        Some(Ok(scopes)) => Some(scopes),
        Some(Err(why)) => return Ok(Err(Refusal::new("invalid_scope", why))),
        None => None,
    };
    let token_endpoint = format!("{}/api/v1/oauth/token", state.public_url);
    let now = state.now();
    let checked = state
        .tx(move |conn| {
            let client = match authenticate(conn, &credentials, &token_endpoint, now)? {
                Ok(client) => client,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let scope = match requested {
                Some(asked) if !asked.is_subset_of(&client.scopes) => {
                    let beyond = Scopes::from(asked.iter().filter(|s| !client.scopes.contains(*s)).collect::<Vec<_>>());
                    return Ok(Err(Refusal::new("invalid_scope", format!("The client is not granted: {beyond}."))));
                }
                Some(asked) => asked,
                None => client.scopes.clone(),
            };
            audit::record_for_user(conn, now, &client.id, "api_client.token_issued", Some(&client.id))?;
            Ok(Ok((client.id, scope)))
        })
        .await?;
    let (client_id, scope) = match checked {
        Ok(granted) => granted,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let iat = now.and_utc().timestamp();
    let claims = ClientClaims {
        iss: state.public_url.clone(),
        aud: CLIENT_AUDIENCE.to_owned(),
        sub: client_id,
        scope: scope.to_string(),
        jti: ehc_storage::new_id(),
        iat,
        exp: iat + TOKEN_SECONDS,
    };
    let access_token = sign(&claims, state.keys.signing_key()).map_err(ApiError::internal)?;
    Ok(Ok(Granted { access_token, expires_in: TOKEN_SECONDS, scope }))
}

/// The active client the credentials prove, or `invalid_client`. Every
/// failure reads the same, so an unknown client cannot be told from a
/// wrong secret.
fn authenticate(
    conn: &mut ehc_storage::DbConn,
    credentials: &Credentials,
    token_endpoint: &str,
    now: chrono::NaiveDateTime,
) -> Result<Result<ApiClient, Refusal>, ApiError> {
    const FAILED: &str = "Client authentication failed.";
    let client_id = match credentials {
        Credentials::Secret { client_id, .. } => client_id.clone(),
        Credentials::Assertion { assertion, .. } => match unverified_issuer(assertion) {
            Some(issuer) => issuer,
            None => return Ok(Err(Refusal::client("The client assertion is not a readable JWT."))),
        },
    };
    if uuid::Uuid::parse_str(&client_id).is_err() {
        return Ok(Err(Refusal::client(FAILED)));
    }
    let Some(client) = api_clients::by_id(conn, &client_id)?.filter(ApiClient::is_active) else {
        return Ok(Err(Refusal::client(FAILED)));
    };
    match credentials {
        Credentials::Secret { secret, .. } => {
            let offered = hash_token(secret);
            let live = api_clients::secrets(conn, &client.id)?;
            if !live.iter().any(|s| constant_time_eq(&s.secret_hash, &offered)) {
                return Ok(Err(Refusal::client(FAILED)));
            }
        }
        Credentials::Assertion { client_id: named, assertion } => {
            if named.as_deref().is_some_and(|named| named != client.id) {
                return Ok(Err(Refusal::client("client_id is not the assertion's issuer.")));
            }
            let Some(key) = client.public_jwk.as_deref().and_then(crate::partners::jwk::client_key) else {
                return Ok(Err(Refusal::client("The client has no public key registered for private_key_jwt.")));
            };
            let claims = match verify_assertion(assertion, &key, &client.id, token_endpoint) {
                Ok(claims) => claims,
                Err(why) => return Ok(Err(Refusal::client(why))),
            };
            let lifetime = claims.exp - now.and_utc().timestamp();
            if lifetime > ASSERTION_MAX_SECONDS {
                return Ok(Err(Refusal::client("The client assertion may live 5 minutes at most (exp).")));
            }
            let expires_at = chrono::DateTime::from_timestamp(claims.exp, 0).map(|t| t.naive_utc()).unwrap_or(now);
            let first =
                api_clients::first_use_of_assertion(conn, &client.id, &hash_token(&claims.jti), expires_at, now)
                    .map_err(|e| match e {
                        ehc_storage::StorageError::Conflict(_) => ApiError::Conflict("assertion replayed".to_owned()),
                        other => other.into(),
                    });
            match first {
                Ok(true) => {}
                Ok(false) | Err(ApiError::Conflict(_)) => {
                    return Ok(Err(Refusal::client("The client assertion was used before (jti).")))
                }
                Err(other) => return Err(other),
            }
        }
    }
    Ok(Ok(client))
}

#[derive(Debug, Deserialize)]
struct AssertionClaims {
    jti: String,
    exp: i64,
}

/// Signed by the client's key with one of its key's algorithms, issued by
/// and about the client, for this token endpoint, unexpired, with a jti.
fn verify_assertion(
    assertion: &str,
    key: &crate::partners::jwk::ClientKey,
    client_id: &str,
    token_endpoint: &str,
) -> Result<AssertionClaims, &'static str> {
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| "The client assertion is not a readable JWT.")?;
    if !key.algorithms.contains(&header.alg) {
        return Err("The client assertion's alg does not fit the registered key.");
    }
    let mut validation = Validation::new(header.alg);
    validation.algorithms = key.algorithms.clone();
    validation.set_audience(&[token_endpoint]);
    validation.set_issuer(&[client_id]);
    validation.sub = Some(client_id.to_owned());
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub", "jti"]);
    validation.leeway = 30;
    jsonwebtoken::decode::<AssertionClaims>(assertion, &key.key, &validation)
        .map(|data| data.claims)
        .map_err(|_| "The client assertion failed its checks (signature, iss, sub, aud, exp, jti).")
}

/// The issuer an assertion claims, to find the key that must have signed it.
fn unverified_issuer(assertion: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Issuer {
        iss: String,
    }
    jsonwebtoken::dangerous::insecure_decode_claims::<Issuer>(assertion).ok().map(|c| c.iss)
}
