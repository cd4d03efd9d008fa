//! Memberships: an account's place in each council it works for, with the
//! role, organisation and status that council decided.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::roles::{AccountStatus, Role};

use crate::schema::{factor_policies, local_authorities, memberships, organisations, sessions};
use crate::{new_id, DbConn, StorageError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: String,
    pub user_id: String,
    pub local_authority_id: String,
    pub organisation_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub role: Role,
    pub job_title: Option<String>,
    pub specialism: Option<String>,
    /// `active` or `disabled` (never `pending_totp`: that is the account's).
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: AccountStatus,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

/// A membership with the names a person is shown.
#[derive(Debug, Clone)]
pub struct NamedMembership {
    pub membership: Membership,
    pub local_authority_name: String,
    pub organisation_name: String,
}

pub struct NewMembership<'a> {
    pub user_id: &'a str,
    pub local_authority_id: &'a str,
    pub organisation_id: &'a str,
    pub role: Role,
    pub job_title: Option<&'a str>,
    pub specialism: Option<&'a str>,
    pub now: NaiveDateTime,
}

impl NewMembership<'_> {
    pub fn row(&self, id: String) -> Membership {
        Membership {
            id,
            user_id: self.user_id.to_owned(),
            local_authority_id: self.local_authority_id.to_owned(),
            organisation_id: self.organisation_id.to_owned(),
            role: self.role,
            job_title: self.job_title.map(str::to_owned),
            specialism: self.specialism.map(str::to_owned),
            status: AccountStatus::Active,
            created_at: self.now,
            disabled_at: None,
        }
    }
}

pub fn insert_membership(conn: &mut DbConn, new: &NewMembership<'_>) -> Result<Membership, StorageError> {
    let row = new.row(new_id());
    diesel::insert_into(memberships::table).values(row.clone()).execute(conn)?;
    Ok(row)
}

pub fn insert_all(conn: &mut DbConn, rows: &[Membership]) -> Result<(), StorageError> {
    for chunk in rows.chunks(500) {
        let inserted: Result<(), StorageError> =
            crate::bulk::batch_insert!(&mut *conn, memberships::table, chunk.to_vec());
        inserted?;
    }
    Ok(())
}

/// Every membership of an account, with names, home council first.
pub fn of_user(conn: &mut DbConn, user_id: &str) -> Result<Vec<NamedMembership>, StorageError> {
    let rows: Vec<(Membership, String, String)> = memberships::table
        .inner_join(local_authorities::table)
        .inner_join(organisations::table.on(organisations::id.eq(memberships::organisation_id)))
        .filter(memberships::user_id.eq(user_id))
        .select((memberships::all_columns, local_authorities::name, organisations::name))
        .order(memberships::created_at.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership, local_authority_name, organisation_name)| NamedMembership {
            membership,
            local_authority_name,
            organisation_name,
        })
        .collect())
}

/// Every membership of an account as `of_user` gives them, each with
/// whether its council requires a strong second step of its staff: all a
/// session check needs of memberships, in one read.
pub fn of_user_with_policy(conn: &mut DbConn, user_id: &str) -> Result<Vec<(NamedMembership, bool)>, StorageError> {
    let rows: Vec<(Membership, String, String, Option<bool>)> = memberships::table
        .inner_join(local_authorities::table)
        .inner_join(organisations::table.on(organisations::id.eq(memberships::organisation_id)))
        .left_join(factor_policies::table.on(factor_policies::local_authority_id.eq(memberships::local_authority_id)))
        .filter(memberships::user_id.eq(user_id))
        .select((
            memberships::all_columns,
            local_authorities::name,
            organisations::name,
            factor_policies::strong_for_staff.nullable(),
        ))
        .order(memberships::created_at.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership, local_authority_name, organisation_name, strong)| {
            (NamedMembership { membership, local_authority_name, organisation_name }, strong.unwrap_or(false))
        })
        .collect())
}

/// The account's membership of one council, whatever its status.
pub fn in_council(conn: &mut DbConn, user_id: &str, la_id: &str) -> Result<Option<Membership>, StorageError> {
    Ok(memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::local_authority_id.eq(la_id))
        .first(conn)
        .optional()?)
}

/// The account's membership of one council with that council's rule for
/// its staff's second step, in one query (every authenticated request asks).
pub fn in_council_with_policy(
    conn: &mut DbConn,
    user_id: &str,
    la_id: &str,
) -> Result<Option<(Membership, bool)>, StorageError> {
    let row: Option<(Membership, Option<bool>)> = memberships::table
        .left_join(factor_policies::table.on(factor_policies::local_authority_id.eq(memberships::local_authority_id)))
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::local_authority_id.eq(la_id))
        .select((memberships::all_columns, factor_policies::strong_for_staff.nullable()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(m, strong)| (m, strong.unwrap_or(false))))
}

/// Ends one council's membership; the account and its other memberships stay.
pub fn disable(conn: &mut DbConn, user_id: &str, la_id: &str, now: NaiveDateTime) -> Result<(), StorageError> {
    diesel::update(
        memberships::table.filter(memberships::user_id.eq(user_id)).filter(memberships::local_authority_id.eq(la_id)),
    )
    .set((memberships::status.eq(AccountStatus::Disabled.as_str()), memberships::disabled_at.eq(Some(now))))
    .execute(conn)?;
    Ok(())
}

/// The job title one council knows the person by.
pub fn set_job_title(conn: &mut DbConn, user_id: &str, la_id: &str, title: Option<&str>) -> Result<(), StorageError> {
    diesel::update(
        memberships::table.filter(memberships::user_id.eq(user_id)).filter(memberships::local_authority_id.eq(la_id)),
    )
    .set(memberships::job_title.eq(title))
    .execute(conn)?;
    Ok(())
}

/// Restores one council's membership.
pub fn enable(conn: &mut DbConn, user_id: &str, la_id: &str) -> Result<(), StorageError> {
    diesel::update(
        memberships::table.filter(memberships::user_id.eq(user_id)).filter(memberships::local_authority_id.eq(la_id)),
    )
    .set((memberships::status.eq(AccountStatus::Active.as_str()), memberships::disabled_at.eq(None::<NaiveDateTime>)))
    .execute(conn)?;
    Ok(())
}

/// Whether any membership of the account is active.
pub fn any_active(conn: &mut DbConn, user_id: &str) -> Result<bool, StorageError> {
    let n: i64 = memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::status.eq(AccountStatus::Active.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The council a session acts for.
pub fn set_session_council(conn: &mut DbConn, session_id: &str, la_id: &str) -> Result<(), StorageError> {
    diesel::update(sessions::table.find(session_id)).set(sessions::local_authority_id.eq(Some(la_id))).execute(conn)?;
    Ok(())
}

/// The active members of a council with a role: its administrators, say.
pub fn active_with_role(conn: &mut DbConn, la_id: &str, role: Role) -> Result<Vec<String>, StorageError> {
    Ok(memberships::table
        .filter(memberships::local_authority_id.eq(la_id))
        .filter(memberships::role.eq(role.as_str()))
        .filter(memberships::status.eq(AccountStatus::Active.as_str()))
        .select(memberships::user_id)
        .load(conn)?)
}
