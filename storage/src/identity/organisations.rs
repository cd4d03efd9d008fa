use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::roles::OrganisationKind;

use crate::schema::{local_authorities, organisations};
use crate::{new_id, DbConn, StorageError};

#[derive(Debug, Clone, Queryable)]
pub struct LocalAuthority {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct Organisation {
    pub id: String,
    pub local_authority_id: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: OrganisationKind,
    pub created_at: NaiveDateTime,
}

/// Finds a local authority by name or creates it with its own organisation
/// (the authority's staff belong to it). Returns the authority and that
/// organisation.
pub fn find_or_create_local_authority(
    conn: &mut DbConn,
    name: &str,
    now: NaiveDateTime,
) -> Result<(LocalAuthority, Organisation), StorageError> {
    let existing =
        local_authorities::table.filter(local_authorities::name.eq(name)).first::<LocalAuthority>(conn).optional()?;
    let la = match existing {
        Some(la) => la,
        None => {
            let la = LocalAuthority { id: new_id(), name: name.to_owned(), created_at: now };
            diesel::insert_into(local_authorities::table)
                .values((
                    local_authorities::id.eq(&la.id),
                    local_authorities::name.eq(&la.name),
                    local_authorities::created_at.eq(now),
                ))
                .execute(conn)?;
            la
        }
    };
    let org = find_or_create_organisation(conn, &la.id, name, OrganisationKind::LocalAuthority, now)?;
    Ok((la, org))
}

pub fn find_or_create_organisation(
    conn: &mut DbConn,
    la_id: &str,
    name: &str,
    kind: OrganisationKind,
    now: NaiveDateTime,
) -> Result<Organisation, StorageError> {
    let existing = organisations::table
        .filter(organisations::local_authority_id.eq(la_id))
        .filter(organisations::name.eq(name))
        .first::<Organisation>(conn)
        .optional()?;
    if let Some(org) = existing {
        return Ok(org);
    }
    let org = Organisation {
        id: new_id(),
        local_authority_id: la_id.to_owned(),
        name: name.to_owned(),
        kind,
        created_at: now,
    };
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&org.id),
            organisations::local_authority_id.eq(&org.local_authority_id),
            organisations::name.eq(&org.name),
            organisations::kind.eq(org.kind.as_str()),
            organisations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(org)
}

/// An organisation, only if it is registered under the given authority.
pub fn organisation_in_local_authority(
    conn: &mut DbConn,
    la_id: &str,
    org_id: &str,
) -> Result<Organisation, StorageError> {
    Ok(organisations::table
        .filter(organisations::id.eq(org_id))
        .filter(organisations::local_authority_id.eq(la_id))
        .first(conn)?)
}

/// The authority's own organisation (where its staff belong).
pub fn local_authority_organisation(conn: &mut DbConn, la_id: &str) -> Result<Organisation, StorageError> {
    Ok(organisations::table
        .filter(organisations::local_authority_id.eq(la_id))
        .filter(organisations::kind.eq("local_authority"))
        .order(organisations::created_at.asc())
        .first(conn)?)
}

pub fn list_organisations(
    conn: &mut DbConn,
    la_id: &str,
    after_id: Option<&str>,
    limit: i64,
) -> Result<Vec<Organisation>, StorageError> {
    let mut query = organisations::table.filter(organisations::local_authority_id.eq(la_id)).into_boxed();
    if let Some(after) = after_id {
        query = query.filter(organisations::id.gt(after.to_owned()));
    }
    Ok(query.order(organisations::id.asc()).limit(limit).load(conn)?)
}

pub fn local_authority(conn: &mut DbConn, la_id: &str) -> Result<LocalAuthority, StorageError> {
    Ok(local_authorities::table.find(la_id).first(conn)?)
}
