//! Headers that tell a browser how to treat every answer: never sniff a
//! type, never frame the hub, send no referrer, keep to https once seen (when
//! the public URL is https), and run nothing but the hub's own files. The API
//! answers JSON and files, so its policy allows nothing at all; Swagger UI at
//! `/docs/` needs its own scripts and styles (and inline style attributes,
//! which its React components set) and the spec it fetches.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web;
use actix_web::ResponseError;

use crate::error::ApiError;
use crate::state::AppState;

const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'none'";
/// A year, and subdomains: the hub's host serves nothing over plain http.
const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn browser_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let https = req.app_data::<web::Data<AppState>>().is_some_and(|state| state.https);
    let docs = req.path().starts_with("/docs");
    let preflight = req.method() == Method::OPTIONS;
    let response = next.call(req).await?;
    // actix-cors refuses an unlisted origin's preflight in plain text: the
    // caller gets the problem+json every other refusal has.
    let refused_preflight = preflight
        && response.status() == StatusCode::BAD_REQUEST
        && response.headers().get(CONTENT_TYPE).is_none_or(|v| !v.as_bytes().starts_with(b"application/problem"));
    let mut response = if refused_preflight {
        let (request, _) = response.into_parts();
        let problem = ApiError::BadRequest(
            "This origin may not call the API from a browser (it is not in EHC_CORS_ORIGINS).".to_owned(),
        );
        ServiceResponse::new(request, problem.error_response())
    } else {
        response.map_into_boxed_body()
    };
    let headers = response.headers_mut();
    let policy = if docs { DOCS_POLICY } else { API_POLICY };
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin"));
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    Ok(response)
}
