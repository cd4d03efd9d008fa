//! Persistence of the EHC hub: diesel queries over PostgreSQL or SQLite, the
//! embedded migrations, and the blob store for uploaded documents. Queries are
//! named for what they do and for whom they are scoped.

pub mod audit;
pub mod blob;
pub mod bulk;
pub mod casework;
pub mod db;
pub mod error;
pub mod identity;
pub mod notifications;
pub mod partners;
pub mod rate_limits;
pub mod reports;
pub mod schema;

pub use db::{Backend, Database, DbConn};
pub use error::StorageError;

/// A new time-ordered id (UUIDv7, API.md).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
