use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::invitations;
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct Invitation {
    pub id: String,
    pub local_authority_id: String,
    pub organisation_id: String,
    pub email: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub role: ehc_domain::roles::Role,
    pub job_title: Option<String>,
    pub specialism: Option<String>,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub local_authority_id: &'a str,
    pub organisation_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub job_title: Option<&'a str>,
    pub specialism: Option<&'a str>,
    pub token_hash: &'a str,
    pub invited_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Inviting the same address again replaces the earlier invitation: its
/// link stops working.
pub fn replace_invitation(conn: &mut DbConn, new: &NewInvitation<'_>) -> Result<(), StorageError> {
    diesel::update(
        invitations::table
            .filter(invitations::local_authority_id.eq(new.local_authority_id))
            .filter(invitations::email.eq(new.email))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set(invitations::revoked_at.eq(Some(new.created_at)))
    .execute(conn)?;
    diesel::insert_into(invitations::table).values(new).execute(conn)?;
    Ok(())
}

pub fn invitation_by_token_hash(conn: &mut DbConn, token_hash: &str) -> Result<Invitation, StorageError> {
    Ok(invitations::table.filter(invitations::token_hash.eq(token_hash)).first(conn)?)
}

pub fn pending_invitations(
    conn: &mut DbConn,
    la_id: &str,
    now: NaiveDateTime,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Vec<Invitation>, StorageError> {
    let mut query = invitations::table
        .filter(invitations::local_authority_id.eq(la_id))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .into_boxed();
    if let Some(after) = after_id {
        query = query.filter(invitations::id.gt(after.to_owned()));
    }
    Ok(query.order(invitations::id.asc()).limit(limit).load(conn)?)
}

/// Usable invitations addressed to `email`, with their councils' names: an
/// account accepts these after logging in.
pub fn pending_for_email(
    conn: &mut DbConn,
    email: &str,
    now: NaiveDateTime,
) -> Result<Vec<(Invitation, String)>, StorageError> {
    use crate::schema::local_authorities;
    Ok(invitations::table
        .inner_join(local_authorities::table.on(local_authorities::id.eq(invitations::local_authority_id)))
        .filter(invitations::email.eq(email))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select((invitations::all_columns, local_authorities::name))
        .order(invitations::created_at.asc())
        .load(conn)?)
}

pub fn invitation_in_local_authority(conn: &mut DbConn, la_id: &str, id: &str) -> Result<Invitation, StorageError> {
    Ok(invitations::table
        .filter(invitations::id.eq(id))
        .filter(invitations::local_authority_id.eq(la_id))
        .first(conn)?)
}

pub fn revoke_invitation(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(invitations::table.find(id)).set(invitations::revoked_at.eq(Some(now))).execute(conn)?;
    Ok(())
}

/// Marks an invitation used, only if it still is pending: of two racing
/// registrations with one token, one wins.
pub fn accept_invitation(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let updated = diesel::update(
        invitations::table
            .filter(invitations::id.eq(id))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set(invitations::accepted_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}
