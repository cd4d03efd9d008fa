//! A validation failure tied to one field of a request body by JSON pointer
//! (RFC 6901), the shape API.md asks for in problem+json `errors[]`.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer to the failing field, e.g. `/phone`.
    #[schema(example = "/password")]
    pub pointer: String,
    /// Stable machine-readable reason, e.g. `required`, `too_weak`.
    #[schema(example = "too_weak")]
    pub code: String,
    /// Human-readable explanation, safe to show to the user.
    pub message: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), code: code.to_owned(), message: message.into() }
    }
}

/// Escapes one path segment for use inside a JSON pointer.
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
