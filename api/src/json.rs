//! `ValidatedJson<T>`: the body must be JSON (else 400 or 415), must parse
//! into `T` (syntax errors 400; a wrong or missing field 422 naming it by
//! JSON pointer), and must pass `T`'s `validator` rules (422 with pointers).

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use ehc_domain::field_error::{pointer_segment, FieldError};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::ApiError;

pub struct ValidatedJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidatedJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"))
            .unwrap_or(false);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::BadRequest(
                    "The body must be JSON with Content-Type: application/json.".to_owned(),
                ));
            }
            let bytes = bytes.await.map_err(|e| match e.as_response_error().status_code().as_u16() {
                413 => ApiError::PayloadTooLarge("The request body is too large.".to_owned()),
                _ => ApiError::BadRequest("The request body could not be read.".to_owned()),
            })?;
            let value = parse_body::<T>(&bytes)?;
            value.validate().map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(ValidatedJson(value))
        })
    }
}

pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body of the API is an object; serde would also take a struct
    // from an array of its fields in order, which no client means.
    if bytes.trim_ascii_start().first().is_some_and(|b| b"[\"-0123456789tfn".contains(b)) {
        return Err(ApiError::Validation(vec![FieldError::new(
            String::new(),
            "type",
            "the body must be a JSON object",
        )]));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::Validation(vec![FieldError::new(pointer, "invalid", data_error_message(&inner))])
            }
            _ => ApiError::BadRequest(format!(
                "The body is not valid JSON (line {}, column {}).",
                inner.line(),
                inner.column()
            )),
        }
    })
}

/// serde's message, without the "at line … column …" suffix that means
/// nothing to the reader of a pointer.
fn data_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", pointer_segment(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", pointer_segment(variant))),
            Segment::Unknown => {}
        }
    }
    if pointer == "/?" {
        String::new()
    } else {
        pointer
    }
}

/// Flattens validator's nested errors into pointer-addressed field errors.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let pointer = format!("{prefix}/{}", pointer_segment(field));
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message =
                        e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| format!("is invalid ({})", e.code));
                    out.push(FieldError::new(pointer.clone(), &e.code, message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &pointer, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{pointer}/{index}"), out);
                }
            }
        }
    }
}

/// For `#[serde(default, deserialize_with = "present")]`: a field given as
/// `null` (clear it) is `Some(None)`, one not given at all `None`.
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
