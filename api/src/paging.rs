//! Keyset pagination (API.md): `?limit=` (default 50, max 200) and an opaque
//! `?cursor=`, the last id seen, so pages stay stable while rows are added.

use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(n) if (1..=200).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::BadRequest("limit must be between 1 and 200".to_owned())),
        }
    }

    pub fn after_id(&self) -> Result<Option<String>, ApiError> {
        let Some(cursor) = &self.cursor else { return Ok(None) };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| ApiError::BadRequest("invalid cursor".to_owned()))?;
        String::from_utf8(bytes).map(Some).map_err(|_| ApiError::BadRequest("invalid cursor".to_owned()))
    }
}

/// Builds a page from `limit + 1` rows: the extra row only says there is more.
pub fn page<R, T: ToSchema>(
    mut rows: Vec<R>,
    limit: i64,
    id_of: impl Fn(&R) -> String,
    to_item: impl Fn(R) -> T,
) -> Page<T> {
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if has_more {
        rows.last().map(|r| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id_of(r)))
    } else {
        None
    };
    Page { items: rows.into_iter().map(to_item).collect(), next_cursor }
}
