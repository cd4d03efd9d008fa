//! Passkeys and the WebAuthn ceremonies in progress.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{passkeys, webauthn_ceremonies};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = passkeys)]
pub struct StoredPasskey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// base64url, as WebAuthn names it.
    pub credential_id: String,
    /// The library's credential (public key, counter, flags), JSON.
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    /// Set when the authenticator looked cloned: never used again.
    pub locked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = webauthn_ceremonies)]
pub struct Ceremony {
    pub id: String,
    pub user_id: String,
    /// `register` or `login`.
    pub purpose: String,
    pub challenge_id: Option<String>,
    /// The library's ceremony state, JSON.
    pub state: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, passkey: &StoredPasskey) -> Result<(), StorageError> {
    diesel::insert_into(passkeys::table).values(passkey.clone()).execute(conn)?;
    Ok(())
}

pub fn of_user(conn: &mut DbConn, user_id: &str) -> Result<Vec<StoredPasskey>, StorageError> {
    Ok(passkeys::table.filter(passkeys::user_id.eq(user_id)).order(passkeys::created_at.asc()).load(conn)?)
}

/// How many usable (not locked) passkeys each of these users has.
pub fn usable_counts(conn: &mut DbConn, user_ids: &[String]) -> Result<Vec<(String, i64)>, StorageError> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq_any(user_ids))
        .filter(passkeys::locked_at.is_null())
        .group_by(passkeys::user_id)
        .select((passkeys::user_id, diesel::dsl::count_star()))
        .load(conn)?)
}

pub fn by_credential_id(conn: &mut DbConn, credential_id: &str) -> Result<Option<StoredPasskey>, StorageError> {
    Ok(passkeys::table.filter(passkeys::credential_id.eq(credential_id)).first(conn).optional()?)
}

pub fn record_use(conn: &mut DbConn, id: &str, credential: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(passkeys::table.find(id))
        .set((passkeys::credential.eq(credential), passkeys::last_used_at.eq(Some(now))))
        .execute(conn)?;
    Ok(())
}

pub fn lock(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(passkeys::table.find(id).filter(passkeys::locked_at.is_null()))
        .set(passkeys::locked_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Removes one of the user's passkeys; whether there was one.
pub fn remove(conn: &mut DbConn, user_id: &str, id: &str) -> Result<bool, StorageError> {
    Ok(diesel::delete(passkeys::table.filter(passkeys::id.eq(id)).filter(passkeys::user_id.eq(user_id)))
        .execute(conn)?
        == 1)
}

pub fn start_ceremony(conn: &mut DbConn, ceremony: &Ceremony) -> Result<(), StorageError> {
    diesel::insert_into(webauthn_ceremonies::table).values(ceremony.clone()).execute(conn)?;
    Ok(())
}

/// Takes a ceremony once: it is marked used, so a replay finds nothing.
pub fn take_ceremony(
    conn: &mut DbConn,
    id: &str,
    user_id: &str,
    purpose: &str,
    now: NaiveDateTime,
) -> Result<Option<Ceremony>, StorageError> {
    let taken = diesel::update(
        webauthn_ceremonies::table
            .filter(webauthn_ceremonies::id.eq(id))
            .filter(webauthn_ceremonies::user_id.eq(user_id))
            .filter(webauthn_ceremonies::purpose.eq(purpose))
            .filter(webauthn_ceremonies::used_at.is_null())
            .filter(webauthn_ceremonies::expires_at.gt(now)),
    )
    .set(webauthn_ceremonies::used_at.eq(Some(now)))
    .execute(conn)?;
    if taken == 0 {
        return Ok(None);
    }
    Ok(Some(webauthn_ceremonies::table.find(id).first(conn)?))
}

/// The latest unused login ceremony of a second-step challenge.
pub fn login_ceremony_of(conn: &mut DbConn, challenge_id: &str) -> Result<Option<Ceremony>, StorageError> {
    Ok(webauthn_ceremonies::table
        .filter(webauthn_ceremonies::challenge_id.eq(challenge_id))
        .filter(webauthn_ceremonies::used_at.is_null())
        .order(webauthn_ceremonies::created_at.desc())
        .first(conn)
        .optional()?)
}

/// Forgets ceremonies that ended (run with the other housekeeping).
pub fn prune(conn: &mut DbConn, older_than: NaiveDateTime) -> Result<usize, StorageError> {
    Ok(diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::expires_at.lt(older_than)))
        .execute(conn)?)
}
