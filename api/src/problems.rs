//! The error responses of the spec, declared once: each is a type that
//! utoipa puts into an operation's `responses(...)` by name, with its
//! description, the problem+json body and the headers a client relies on.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

fn problem(description: &str, headers: &[(&str, &str, Type)]) -> RefOr<Response> {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let mut response = ResponseBuilder::new().description(description).content("application/problem+json", content);
    for (name, what, kind) in headers {
        let header = HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(kind.clone()).build()))
            .description(Some(*what))
            .build();
        response = response.header(*name, header);
    }
    RefOr::T(response.build())
}

macro_rules! problem_response {
    ($(#[$doc:meta])* $name:ident, $status:literal, $description:literal $(, ($header:literal, $what:literal, $kind:expr))*) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([($status.to_owned(), problem($description, &[$(($header, $what, $kind)),*]))])
            }
        }
    };
}

problem_response!(BadRequest, "400", "Malformed JSON, wrong content type or a bad query parameter.");
problem_response!(
    Unauthorized,
    "401",
    "No access token, or one that is invalid, expired or whose session has ended.",
    ("WWW-Authenticate", "Bearer", Type::String)
);
problem_response!(Forbidden, "403", "You may see the resource, but this action is not yours.");
problem_response!(NotFound, "404", "No such resource, or one you may not see.");
problem_response!(Conflict, "409", "The resource's state forbids this (locked, withdrawn, already used).");
problem_response!(Stale, "412", "Changed since you read it: `If-Match` names an old `ETag`.");
problem_response!(TooLarge, "413", "The body or upload is larger than the limit.");
problem_response!(UnsupportedType, "415", "Not an accepted file type (judged by content).");
problem_response!(Invalid, "422", "Well-formed but invalid; `errors` names each failing field by JSON pointer.");
problem_response!(IfMatchRequired, "428", "`If-Match` is required, with the `ETag` you last read.");
problem_response!(
    TooManyRequests,
    "429",
    "Too many attempts; try again after `Retry-After` seconds.",
    ("Retry-After", "Seconds to wait", Type::Integer)
);
problem_response!(
    Unavailable,
    "503",
    "A service the hub depends on (database, object store, virus scanner) is unavailable.",
    ("Retry-After", "Seconds to wait", Type::Integer)
);
