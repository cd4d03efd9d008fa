//! What the API answers: the response bodies (their schemas are the spec's)
//! and the step from a workflow result to an HTTP response. Shared by the
//! route files and the subject-access export, which gives the same views.

pub mod advice;
pub mod cases;
pub mod documents;
pub mod identity;
pub mod requests;
