//! The OAuth 2.0 token endpoint for partner systems (RFC 6749 §4.4, the
//! client-credentials grant). Its refusals are RFC 6749 §5.2 JSON, which
//! every OAuth library reads, with the problem members beside them.

use actix_web::http::header::{self, CONTENT_TYPE};
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::partners::grant::{self, Credentials, Refusal, JWT_BEARER};
use crate::state::AppState;

/// The form a client posts (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)] // Read field by field from the form, for its duplicates; this is its schema.
pub struct TokenRequest {
    /// `client_credentials`.
    #[schema(pattern = "^client_credentials$")]
    grant_type: String,
    /// Space-separated; a subset of the client's scopes (all of them if absent).
    scope: Option<String>,
    /// With `client_secret_post`, or to name the client of an assertion.
    client_id: Option<String>,
    /// `client_secret_post` (or use HTTP Basic: `client_secret_basic`).
    client_secret: Option<String>,
    /// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer` for `private_key_jwt`.
    client_assertion_type: Option<String>,
    /// A JWT signed by the client's registered key: `iss` and `sub` the client id, `aud` this
    /// endpoint's URL, `exp` at most 5 minutes ahead, a `jti` never used before.
    client_assertion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// `Bearer`.
    #[schema(pattern = "^Bearer$")]
    pub token_type: &'static str,
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// RFC 6749 §5.2.
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthError {
    #[schema(pattern = "^(invalid_request|invalid_client|invalid_scope|unsupported_grant_type)$")]
    pub error: String,
    pub error_description: String,
}

fn refused(refusal: Refusal) -> HttpResponse {
    let mut response = if refusal.error == "invalid_client" {
        let mut r = HttpResponse::Unauthorized();
        r.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"ehc-hub\""));
        r
    } else {
        HttpResponse::BadRequest()
    };
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(OAuthError { error: refusal.error.to_owned(), error_description: refusal.description })
}

fn invalid_request(why: &str) -> HttpResponse {
    refused(Refusal::new("invalid_request", why))
}

/// Get an access token for a partner system.
///
/// The client-credentials grant. The client authenticates with HTTP Basic (`client_secret_basic`),
/// with `client_id` and `client_secret` in the form (`client_secret_post`), or with a signed
/// assertion (`private_key_jwt`, RFC 7523), exactly one of them. The token lives 10 minutes and is
/// checked against the client's state on every call.
#[utoipa::path(tag = "auth", operation_id = "issueClientToken", security((), ("client_basic" = [])),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"), responses(
    (status = 200, body = TokenResponse, description = "Issued"),
    (status = 400, body = OAuthError, description = "invalid_request, invalid_scope or unsupported_grant_type"),
    (status = 401, body = OAuthError, description = "invalid_client",
        headers(("WWW-Authenticate" = String, description = "Basic")))))]
#[post("/oauth/token")]
pub async fn issue_client_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let form_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !form_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Ok(invalid_request("Send the form as application/x-www-form-urlencoded."));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(&body) {
        if fields.iter().any(|(n, _)| *n == name) {
            return Ok(invalid_request(&format!("{name} is repeated.")));
        }
        fields.push((name.into_owned(), value.into_owned()));
    }
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    match field("grant_type").as_deref() {
        None => return Ok(invalid_request("grant_type is required.")),
        Some("client_credentials") => {}
        Some(_) => {
            return Ok(refused(Refusal::new("unsupported_grant_type", "This hub issues client_credentials only.")))
        }
    }
    let credentials = match credentials(&req, &field) {
        Ok(credentials) => credentials,
        Err(refusal) => return Ok(refused(refusal)),
    };
    Ok(match grant::grant(&state, credentials, field("scope")).await? {
        Ok(granted) => HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
            access_token: granted.access_token,
            token_type: "Bearer",
            expires_in: granted.expires_in,
            scope: granted.scope.to_string(),
        }),
        Err(refusal) => refused(refusal),
    })
}

/// Exactly one way of authenticating (RFC 6749 §2.3).
fn credentials(req: &HttpRequest, field: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, Refusal> {
    let basic = basic_credentials(req)?;
    let posted_secret = field("client_secret");
    let assertion = field("client_assertion");
    let ways = [basic.is_some(), posted_secret.is_some(), assertion.is_some()].iter().filter(|w| **w).count();
    if ways > 1 {
        return Err(Refusal::new("invalid_request", "Use exactly one way of authenticating the client."));
    }
    if let Some((client_id, secret)) = basic {
        if field("client_id").is_some_and(|named| named != client_id) {
            return Err(Refusal::new("invalid_request", "client_id differs from the Basic credentials."));
        }
        return Ok(Credentials::Secret { client_id, secret });
    }
    if let Some(secret) = posted_secret {
        let client_id = field("client_id").ok_or_else(|| Refusal::new("invalid_request", "client_id is required."))?;
        return Ok(Credentials::Secret { client_id, secret });
    }
    if let Some(assertion) = assertion {
        if field("client_assertion_type").as_deref() != Some(JWT_BEARER) {
            return Err(Refusal::new("invalid_request", format!("client_assertion_type must be {JWT_BEARER}.")));
        }
        return Ok(Credentials::Assertion { client_id: field("client_id"), assertion });
    }
    Err(Refusal::new("invalid_client", "Authenticate the client (HTTP Basic, client_secret or client_assertion)."))
}

/// `Authorization: Basic`, whose id and secret are form-encoded first (§2.3.1).
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, Refusal> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let unreadable = || Refusal::new("invalid_client", "The Basic credentials are unreadable.");
    let value = value.to_str().map_err(|_| unreadable())?;
    let Some((scheme, encoded)) = value.split_once(' ') else { return Err(unreadable()) };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(Refusal::new("invalid_client", "Only Basic authentication is taken here."));
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| unreadable())?;
    let decoded = String::from_utf8(decoded).map_err(|_| unreadable())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(unreadable)?;
    let unescape = |s: &str| form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Ok(Some((unescape(id).ok_or_else(unreadable)?, unescape(secret).ok_or_else(unreadable)?)))
}
