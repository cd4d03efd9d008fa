//! API clients (partner systems), their secrets and the assertions they
//! have signed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ehc_domain::scopes::Scopes;

use crate::schema::{api_client_secrets, api_clients, client_assertions, users};
use crate::{DbConn, StorageError};

/// A client may hold two secrets at once: the one in use and its successor.
pub const LIVE_SECRETS: usize = 2;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: String,
    pub local_authority_id: String,
    pub organisation_id: Option<String>,
    pub name: String,
    pub contact_email: String,
    #[diesel(deserialize_as = String)]
    pub scopes: Scopes,
    pub public_jwk: Option<String>,
    pub status: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiClient {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_client_secrets)]
pub struct ClientSecret {
    pub id: String,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: NaiveDateTime,
}

/// What registering a client writes.
pub struct NewClient<'a> {
    pub id: &'a str,
    pub local_authority_id: &'a str,
    /// The organisation its account row belongs to: its own, or the
    /// council's for a council client.
    pub account_organisation_id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub name: &'a str,
    pub contact_email: &'a str,
    /// The role the client acts in (the access model's).
    pub role: &'a str,
    pub scopes: &'a Scopes,
    pub public_jwk: Option<&'a str>,
    pub created_by: &'a str,
    pub now: NaiveDateTime,
}

/// The client, the account row it acts through (no membership, a password
/// hash nothing verifies against, an address that cannot receive mail), and
/// its first secret.
pub fn insert(conn: &mut DbConn, new: &NewClient<'_>, secret: &ClientSecret) -> Result<(), StorageError> {
    let account_email = format!("client-{}@api-clients.invalid", new.id);
    diesel::insert_into(users::table)
        .values((
            users::id.eq(new.id),
            users::local_authority_id.eq(new.local_authority_id),
            users::organisation_id.eq(new.account_organisation_id),
            users::email.eq(&account_email),
            users::name.eq(new.name),
            users::role.eq(new.role),
            users::password_hash.eq("!"),
            users::mfa_channel.eq("none"),
            users::status.eq("active"),
            users::created_at.eq(new.now),
        ))
        .execute(conn)?;
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(new.id),
            api_clients::local_authority_id.eq(new.local_authority_id),
            api_clients::organisation_id.eq(new.organisation_id),
            api_clients::name.eq(new.name),
            api_clients::contact_email.eq(new.contact_email),
            api_clients::scopes.eq(new.scopes.to_string()),
            api_clients::public_jwk.eq(new.public_jwk),
            api_clients::status.eq("active"),
            api_clients::created_by.eq(new.created_by),
            api_clients::created_at.eq(new.now),
        ))
        .execute(conn)?;
    add_secret(conn, secret)
}

pub fn add_secret(conn: &mut DbConn, secret: &ClientSecret) -> Result<(), StorageError> {
    diesel::insert_into(api_client_secrets::table)
        .values((
            api_client_secrets::id.eq(&secret.id),
            api_client_secrets::client_id.eq(&secret.client_id),
            api_client_secrets::secret_hash.eq(&secret.secret_hash),
            api_client_secrets::created_at.eq(secret.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A client by id, whatever its council (for the token endpoint and the
/// token check, which then judge its state).
pub fn by_id(conn: &mut DbConn, client_id: &str) -> Result<Option<ApiClient>, StorageError> {
    Ok(api_clients::table.find(client_id).select(ApiClient::as_select()).first(conn).optional()?)
}

/// A client and the organisation its account row belongs to (its own, or
/// the council's for the council's own system).
pub fn with_account_organisation(
    conn: &mut DbConn,
    client_id: &str,
) -> Result<Option<(ApiClient, String)>, StorageError> {
    Ok(api_clients::table
        .inner_join(users::table)
        .filter(api_clients::id.eq(client_id))
        .select((ApiClient::as_select(), users::organisation_id))
        .first(conn)
        .optional()?)
}

/// Which of `ids` are API clients' account rows.
pub fn among(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(api_clients::table.filter(api_clients::id.eq_any(ids)).select(api_clients::id).load(conn)?)
}

/// A client of the council, or `NotFound`.
pub fn of_council(conn: &mut DbConn, council_id: &str, client_id: &str) -> Result<ApiClient, StorageError> {
    Ok(api_clients::table
        .find(client_id)
        .filter(api_clients::local_authority_id.eq(council_id))
        .select(ApiClient::as_select())
        .first(conn)?)
}

/// A page of the council's clients in id order, after `after`.
pub fn page_of_council(
    conn: &mut DbConn,
    council_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ApiClient>, StorageError> {
    let mut query = api_clients::table
        .filter(api_clients::local_authority_id.eq(council_id))
        .select(ApiClient::as_select())
        .order(api_clients::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(api_clients::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// The live secrets, oldest first.
pub fn secrets(conn: &mut DbConn, client_id: &str) -> Result<Vec<ClientSecret>, StorageError> {
    Ok(api_client_secrets::table
        .filter(api_client_secrets::client_id.eq(client_id))
        .order((api_client_secrets::created_at, api_client_secrets::id))
        .select(ClientSecret::as_select())
        .load(conn)?)
}

/// Removes one secret of the client; whether there was one.
pub fn remove_secret(conn: &mut DbConn, client_id: &str, secret_id: &str) -> Result<bool, StorageError> {
    let n = diesel::delete(
        api_client_secrets::table
            .filter(api_client_secrets::client_id.eq(client_id))
            .filter(api_client_secrets::id.eq(secret_id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Revokes the client: its secrets go, its tokens fail their next check,
/// its account row is disabled. Whether it was active.
pub fn revoke(conn: &mut DbConn, client_id: &str, now: NaiveDateTime) -> Result<bool, StorageError> {
    let n = diesel::update(api_clients::table.find(client_id).filter(api_clients::status.eq("active")))
        .set((api_clients::status.eq("revoked"), api_clients::revoked_at.eq(now)))
        .execute(conn)?;
    diesel::delete(api_client_secrets::table.filter(api_client_secrets::client_id.eq(client_id))).execute(conn)?;
    diesel::update(users::table.find(client_id))
        .set((users::status.eq("disabled"), users::disabled_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a signed assertion's `jti` until it expires; false when the
/// client already used it (a replay). Expired ones are dropped first.
pub fn first_use_of_assertion(
    conn: &mut DbConn,
    client_id: &str,
    jti_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<bool, StorageError> {
    diesel::delete(client_assertions::table.filter(client_assertions::expires_at.lt(now))).execute(conn)?;
    let seen: i64 = client_assertions::table
        .filter(client_assertions::client_id.eq(client_id))
        .filter(client_assertions::jti_hash.eq(jti_hash))
        .count()
        .get_result(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    // Two instances racing on one jti: the second insert meets the primary
    // key (a conflict), and its caller refuses the assertion as well.
    diesel::insert_into(client_assertions::table)
        .values((
            client_assertions::client_id.eq(client_id),
            client_assertions::jti_hash.eq(jti_hash),
            client_assertions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(true)
}
