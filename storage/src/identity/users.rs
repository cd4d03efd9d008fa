use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::roles::{AccountStatus, Role};
use ehc_domain::second_factor::SecondFactor;

use super::memberships::Membership;
use crate::schema::{memberships, organisations, users};
use crate::{DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct User {
    pub id: String,
    pub local_authority_id: String,
    pub organisation_id: String,
    pub email: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    pub job_title: Option<String>,
    pub specialism: Option<String>,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub mfa_channel: SecondFactor,
    pub phone_ciphertext: Option<Vec<u8>>,
    pub phone_masked: Option<String>,
    pub totp_secret_ciphertext: Option<Vec<u8>>,
    pub pending_totp_ciphertext: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub status: AccountStatus,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub local_authority_id: &'a str,
    pub organisation_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub job_title: Option<&'a str>,
    pub specialism: Option<&'a str>,
    pub password_hash: &'a str,
    pub mfa_channel: &'a str,
    pub phone_ciphertext: Option<&'a [u8]>,
    pub phone_masked: Option<&'a str>,
    pub pending_totp_ciphertext: Option<&'a [u8]>,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
}

/// Inserts the account and its membership of the council that invited it.
pub fn insert_user(conn: &mut DbConn, user: &NewUser<'_>) -> Result<(), StorageError> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    super::memberships::insert_all(conn, &[user.home_membership()?])
}

impl NewUser<'_> {
    /// The membership of the council the account was created for.
    pub fn home_membership(&self) -> Result<super::memberships::Membership, StorageError> {
        let role = Role::try_from(self.role.to_owned()).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok(super::memberships::NewMembership {
            user_id: self.id,
            local_authority_id: self.local_authority_id,
            organisation_id: self.organisation_id,
            role,
            job_title: self.job_title,
            specialism: self.specialism,
            now: self.created_at,
        }
        .row(self.id.to_owned()))
    }
}

pub fn user_by_id(conn: &mut DbConn, id: &str) -> Result<User, StorageError> {
    Ok(users::table.find(id).first(conn)?)
}

pub fn user_by_email(conn: &mut DbConn, email: &str) -> Result<User, StorageError> {
    Ok(users::table.filter(users::email.eq(email)).first(conn)?)
}

/// A user together with the name of their organisation.
pub fn user_with_organisation(conn: &mut DbConn, id: &str) -> Result<(User, String), StorageError> {
    Ok(users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(id))
        .select((users::all_columns, organisations::name))
        .first(conn)?)
}

/// The user as one council knows them: the role, organisation, job title,
/// specialism and status of their membership there.
pub fn as_member(user: User, membership: Membership) -> User {
    let status = match (user.status, membership.status) {
        (AccountStatus::Active, theirs) => theirs,
        (own, _) => own,
    };
    User {
        local_authority_id: membership.local_authority_id,
        organisation_id: membership.organisation_id,
        role: membership.role,
        job_title: membership.job_title,
        specialism: membership.specialism,
        status,
        disabled_at: membership.disabled_at.or(user.disabled_at),
        ..user
    }
}

/// The members of one local authority (any status), in id order for keyset
/// paging, each as the authority knows them, with their organisation's name.
pub fn users_of_local_authority(
    conn: &mut DbConn,
    la_id: &str,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Vec<(User, String)>, StorageError> {
    let mut query = users::table
        .inner_join(memberships::table)
        .inner_join(organisations::table.on(organisations::id.eq(memberships::organisation_id)))
        .filter(memberships::local_authority_id.eq(la_id))
        .select((users::all_columns, memberships::all_columns, organisations::name))
        .into_boxed();
    if let Some(after) = after_id {
        query = query.filter(users::id.gt(after.to_owned()));
    }
    let rows: Vec<(User, Membership, String)> = query.order(users::id.asc()).limit(limit).load(conn)?;
    Ok(rows.into_iter().map(|(user, membership, org)| (as_member(user, membership), org)).collect())
}

/// A member of the authority (any status), as the authority knows them.
pub fn user_in_local_authority(conn: &mut DbConn, la_id: &str, id: &str) -> Result<User, StorageError> {
    let (user, membership): (User, Membership) = users::table
        .inner_join(memberships::table)
        .filter(users::id.eq(id))
        .filter(memberships::local_authority_id.eq(la_id))
        .select((users::all_columns, memberships::all_columns))
        .first(conn)?;
    Ok(as_member(user, membership))
}

pub fn disable_user(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(users::table.find(id))
        .set((users::status.eq(AccountStatus::Disabled.as_str()), users::disabled_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut DbConn, id: &str, status: AccountStatus) -> Result<(), StorageError> {
    diesel::update(users::table.find(id)).set(users::status.eq(status.as_str())).execute(conn)?;
    Ok(())
}

pub fn set_name(conn: &mut DbConn, id: &str, name: &str) -> Result<(), StorageError> {
    diesel::update(users::table.find(id)).set(users::name.eq(name)).execute(conn)?;
    Ok(())
}

pub fn set_password_hash(conn: &mut DbConn, id: &str, hash: &str) -> Result<(), StorageError> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(hash)).execute(conn)?;
    Ok(())
}

/// Makes a pending authenticator secret the active one and the account active.
pub fn activate_pending_totp(conn: &mut DbConn, id: &str, step: i64) -> Result<(), StorageError> {
    let user = user_by_id(conn, id)?;
    let Some(secret) = user.pending_totp_ciphertext else { return Err(StorageError::NotFound) };
    let status = if user.status == AccountStatus::Disabled { AccountStatus::Disabled } else { AccountStatus::Active };
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret_ciphertext.eq(Some(secret)),
            users::pending_totp_ciphertext.eq(None::<Vec<u8>>),
            users::mfa_channel.eq(SecondFactor::Totp.as_str()),
            users::phone_ciphertext.eq(None::<Vec<u8>>),
            users::phone_masked.eq(None::<String>),
            users::totp_last_step.eq(Some(step)),
            users::status.eq(status.as_str()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_pending_totp(conn: &mut DbConn, id: &str, ciphertext: &[u8]) -> Result<(), StorageError> {
    diesel::update(users::table.find(id)).set(users::pending_totp_ciphertext.eq(Some(ciphertext))).execute(conn)?;
    Ok(())
}

pub fn set_phone_factor(
    conn: &mut DbConn,
    id: &str,
    channel: &str,
    ciphertext: &[u8],
    masked: &str,
) -> Result<(), StorageError> {
    diesel::update(users::table.find(id))
        .set((
            users::mfa_channel.eq(channel),
            users::phone_ciphertext.eq(Some(ciphertext)),
            users::phone_masked.eq(Some(masked)),
            users::totp_secret_ciphertext.eq(None::<Vec<u8>>),
            users::pending_totp_ciphertext.eq(None::<Vec<u8>>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that a TOTP step was used, only if it is newer than the last one:
/// the conditional update makes a replayed code fail even when two requests
/// race. Returns whether the step was accepted.
pub fn claim_totp_step(conn: &mut DbConn, id: &str, step: i64) -> Result<bool, StorageError> {
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
    )
    .set(users::totp_last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(updated == 1)
}
