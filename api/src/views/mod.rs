//! What the API answers: the response bodies (their schemas are the spec's)
//! and the step from a workflow result to an HTTP response. Shared by the
//! route files and the subject-access export, which gives the same views.

use ehc_domain::email::EMAIL_PATTERN;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

pub mod advice;
pub mod cases;
pub mod documents;
pub mod identity;
pub mod plan_document;
pub mod plan_pdf;
pub mod plan_responses;
pub mod requests;

/// An e-mail address, as the spec states it: the form `normalise_email`
/// accepts (the pattern is the domain's own, so the two cannot drift).
pub struct EmailAddress;

/// Whether `If-Match`, when sent, names the record's current `etag`: `*`
/// matches any current version (RFC 9110 §13.1.1), a list any of its tags.
pub fn if_match_holds(if_match: Option<&str>, current: &str) -> bool {
    match if_match.map(str::trim) {
        None | Some("*") => true,
        Some(tags) => tags.split(',').any(|t| t.trim() == current),
    }
}

impl utoipa::PartialSchema for EmailAddress {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(254))
            .pattern(Some(EMAIL_PATTERN))
            .description(Some("An e-mail address: a dot-atom local part and a domain of two or more labels"))
            .into()
    }
}

impl utoipa::ToSchema for EmailAddress {}
