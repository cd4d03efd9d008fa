//! One error type at the HTTP edge, rendered as RFC 9457 problem+json.
//! Unknown errors become a generic 500 whose detail goes to the log only.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use ehc_domain::field_error::FieldError;
use ehc_storage::StorageError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id::current_request_id;

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "https://ehc-hub.invalid/problems/validation", "title": "Validation failed", "status": 422,
    "detail": "The request body has invalid fields.", "instance": "urn:request:01936b2e-1c1f-7cc2-9d1e-7f1f3c1a2b3c",
    "errors": [{"pointer": "/password", "code": "too_weak", "message": "is too easy to guess"}]}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request id, as a URN; quote it when reporting a problem.
    pub instance: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorised: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// A partner system's token lacks the scope the operation needs
    /// (RFC 6750 §3.1); the scope is named in `WWW-Authenticate`.
    #[error("insufficient scope: {0}")]
    InsufficientScope(&'static str),
    #[error("not found")]
    NotFound,
    /// The path exists, the method does not: `allow` lists the ones it has.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed")]
    PreconditionFailed(&'static str),
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    TooManyRequests { retry_after_seconds: i64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn validation(pointer: &str, code: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError::new(pointer, code, message)])
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
    }

    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("forbidden", "Not allowed"),
            ApiError::InsufficientScope(_) => ("insufficient-scope", "The client lacks a scope"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => ("conflict", "Conflict with the current state"),
            ApiError::PreconditionFailed(_) => ("stale", "Changed since you read it"),
            ApiError::PreconditionRequired => ("precondition-required", "If-Match required"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            ApiError::Validation(_) => ("validation", "Validation failed"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable(_) => ("unavailable", "Service temporarily unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(d)
            | ApiError::Conflict(d)
            | ApiError::PayloadTooLarge(d)
            | ApiError::UnsupportedMediaType(d) => d.clone(),
            ApiError::Unauthorized(d) | ApiError::Forbidden(d) | ApiError::PreconditionFailed(d) => (*d).to_owned(),
            ApiError::PreconditionRequired => {
                "Send If-Match with the ETag you last read, so that nobody's changes are overwritten.".to_owned()
            }
            ApiError::NotFound => "There is no such resource, or you may not see it.".to_owned(),
            ApiError::InsufficientScope(scope) => {
                format!("This operation needs the scope {scope}; ask the council's administrator to grant it.")
            }
            ApiError::MethodNotAllowed { allow } => format!("This address answers {allow} only."),
            ApiError::Validation(_) => "The request has invalid fields; see errors.".to_owned(),
            ApiError::TooManyRequests { retry_after_seconds } => format!("Try again in {retry_after_seconds} seconds."),
            ApiError::Unavailable(_) => "A service the hub depends on is unavailable. Try again shortly.".to_owned(),
            ApiError::Internal(_) => {
                "Something went wrong on our side. Quote the instance when reporting it.".to_owned()
            }
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ApiError::NotFound,
            StorageError::Conflict(what) => ApiError::Conflict(format!("conflicts with existing data ({what})")),
            StorageError::Unavailable(why) => ApiError::Unavailable(why),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::InsufficientScope(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            ApiError::Internal(cause) => tracing::error!(error = %cause, "unexpected error"),
            ApiError::Unavailable(cause) => tracing::warn!(error = %cause, "dependency unavailable"),
            _ => {}
        }
        let (slug, title) = self.kind();
        let request_id = current_request_id().unwrap_or_default();
        let problem = Problem {
            problem_type: format!("https://ehc-hub.invalid/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: format!("urn:request:{request_id}"),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::InsufficientScope(scope) => {
                let challenge = format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\"");
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            ApiError::TooManyRequests { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            _ => {}
        }
        response.json(problem)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;

    use super::*;

    #[test]
    fn unknown_errors_are_generic_500s_that_hide_their_cause() {
        let response = ApiError::internal("relation \"users\" does not exist").error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
        let body = response.into_body().try_into_bytes().unwrap();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["status"], 500);
        assert!(problem["instance"].as_str().unwrap().starts_with("urn:request:"));
        assert!(!String::from_utf8_lossy(&body).contains("relation"), "the cause stays in the log");
    }

    #[test]
    fn storage_errors_map_to_statuses() {
        assert_eq!(ApiError::from(StorageError::NotFound).status_code(), StatusCode::NOT_FOUND);
        assert_eq!(
            ApiError::from(StorageError::Unavailable("pool timed out".into())).status_code(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            ApiError::from(StorageError::Conflict("users_email_key".into())).status_code(),
            StatusCode::CONFLICT
        );
        let unavailable = ApiError::Unavailable("x".into()).error_response();
        assert!(unavailable.headers().get(header::RETRY_AFTER).is_some());
    }
}
