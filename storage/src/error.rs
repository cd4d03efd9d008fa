use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("conflicts with existing data: {0}")]
    Conflict(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("blob store: {0}")]
    Blob(String),
    #[error("database error: {0}")]
    Database(DieselError),
    /// A stored value the code does not know (a status code, say).
    #[error("stored data not understood: {0}")]
    Corrupt(String),
}

impl StorageError {
    pub fn corrupt(e: impl std::fmt::Display) -> Self {
        StorageError::Corrupt(e.to_string())
    }
}

impl From<DieselError> for StorageError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StorageError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StorageError::Conflict(info.constraint_name().unwrap_or("unique").to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info)
            | DieselError::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, info) => {
                StorageError::Unavailable(info.message().to_owned())
            }
            other => StorageError::Database(other),
        }
    }
}

pub trait OptionalExt<T> {
    /// Turns "no row" into `None`, keeping every other error.
    fn optional(self) -> Result<Option<T>, StorageError>;
}

impl<T> OptionalExt<T> for Result<T, StorageError> {
    fn optional(self) -> Result<Option<T>, StorageError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StorageError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
