//! Keyset pagination, the one way every list pages (API.md): `?limit=`
//! (default 50, 1–200) and `?cursor=`, the position of the last item of the
//! previous page, so pages stay stable while rows are added. Every list
//! answers `{items, next_cursor}`; `next_cursor` is null on the last page.
//!
//! A cursor is the position itself, in a form the spec can state exactly:
//! any string of the declared pattern names a position (after it, in the
//! list's order), so a client's cursor is either one the hub gave or a 400.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// A list in an order of ids, dates and codes.
pub const KEY_PATTERN: &str = "^[A-Za-z0-9_.:-]{1,200}$";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_.:-]{1,200}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

pub fn checked_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_LIMIT}"))),
    }
}

/// The position a cursor names, read by `position` (`None`: not a cursor
/// of this list, a 400).
pub fn parse_cursor<T>(cursor: &Option<String>, position: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    cursor
        .as_deref()
        .map(|c| {
            position(c).ok_or_else(|| {
                ApiError::BadRequest("invalid cursor: pass the next_cursor of the previous page".to_owned())
            })
        })
        .transpose()
}

/// `KEY_PATTERN`: ids, ISO dates, codes and the dots between them.
pub fn is_key(cursor: &str) -> bool {
    (1..=200).contains(&cursor.len())
        && cursor.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}

impl PageQuery {
    pub fn limit(&self) -> Result<i64, ApiError> {
        checked_limit(self.limit)
    }

    /// The position the cursor names: the key of the last item already seen.
    pub fn after_id(&self) -> Result<Option<String>, ApiError> {
        parse_cursor(&self.cursor, |c| is_key(c).then(|| c.to_owned()))
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
    let next_cursor = if has_more { rows.last().map(id_of) } else { None };
    Page { items: rows.into_iter().map(to_item).collect(), next_cursor }
}

/// Pages a list that is whole in hand: the few rows of one case or one
/// request, filtered by what the caller may read. `key` gives each item's
/// position, strings that sort in the list's order; items are returned in
/// that order, after the cursor's position.
pub fn page_of<T: ToSchema>(
    mut items: Vec<T>,
    query: &PageQuery,
    key: impl Fn(&T) -> String,
) -> Result<Page<T>, ApiError> {
    let limit = query.limit()?;
    let after = query.after_id()?;
    items.sort_by_cached_key(|item| key(item));
    let rest: Vec<T> = match after {
        Some(after) => items.into_iter().filter(|item| key(item) > after).collect(),
        None => items,
    };
    Ok(page(rest, limit, &key, |item| item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, ToSchema, PartialEq)]
    struct Item(u32);

    fn key(item: &Item) -> String {
        format!("{:06}", item.0)
    }

    #[test]
    fn pages_in_key_order_without_gaps_or_repeats() {
        let items = || vec![Item(5), Item(1), Item(4), Item(2), Item(3)];
        let first = page_of(items(), &PageQuery { limit: Some(2), cursor: None }, key).unwrap();
        assert_eq!(first.items, vec![Item(1), Item(2)]);
        let second = page_of(items(), &PageQuery { limit: Some(2), cursor: first.next_cursor }, key).unwrap();
        assert_eq!(second.items, vec![Item(3), Item(4)]);
        let last = page_of(items(), &PageQuery { limit: Some(2), cursor: second.next_cursor }, key).unwrap();
        assert_eq!(last.items, vec![Item(5)]);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn refuses_limits_out_of_range_and_foreign_cursors() {
        assert!(page_of(vec![Item(1)], &PageQuery { limit: Some(0), cursor: None }, key).is_err());
        assert!(page_of(vec![Item(1)], &PageQuery { limit: Some(201), cursor: None }, key).is_err());
        assert!(page_of(vec![Item(1)], &PageQuery { limit: None, cursor: Some("%%".to_owned()) }, key).is_err());
        assert!(page_of(vec![Item(1)], &PageQuery { limit: None, cursor: Some(String::new()) }, key).is_err());
    }
}
