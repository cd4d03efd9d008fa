//! Administrators register their council's partner systems: a client for
//! the council's own system or for one organisation of it, its scopes, a
//! secret shown once (only its hash is kept), up to two live secrets for a
//! rotation without downtime, and revocation that ends every token at once.

use ehc_domain::access::{self, Action};
use ehc_domain::roles::OrganisationKind;
use ehc_domain::scopes::Scopes;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::organisations;
use ehc_storage::partners::api_clients::{self, ApiClient, ClientSecret, NewClient, LIVE_SECRETS};

use crate::audit;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::security::secrets::{hash_token, random_token};
use crate::state::AppState;
use crate::workflow::access::require;

/// What an administrator asks for.
pub struct Registration {
    pub name: String,
    pub contact_email: String,
    pub scopes: Scopes,
    pub organisation_id: Option<String>,
    pub public_jwk: Option<serde_json::Value>,
}

/// A client with its live secrets (ids and ages, never the secrets).
pub type ClientWithSecrets = (ApiClient, Vec<ClientSecret>);

/// A secret as issued: shown to the administrator once.
pub struct IssuedSecret {
    pub secret: ClientSecret,
    pub plaintext: String,
}

/// Client secrets are 256 random bits; the prefix lets secret scanners
/// (and people) recognise one that leaked.
fn new_secret(client_id: &str, now: chrono::NaiveDateTime) -> IssuedSecret {
    let plaintext = format!("ehc_cs_{}", random_token());
    let secret = ClientSecret {
        id: ehc_storage::new_id(),
        client_id: client_id.to_owned(),
        secret_hash: hash_token(&plaintext),
        created_at: now,
    };
    IssuedSecret { secret, plaintext }
}

pub async fn register(
    state: &AppState,
    me: AuthUser,
    asked: Registration,
) -> Result<(ClientWithSecrets, IssuedSecret), ApiError> {
    require(&me, Action::ManageApiClients)?;
    let public_jwk = match &asked.public_jwk {
        Some(value) => {
            let jwk =
                crate::partners::jwk::check(value).map_err(|why| ApiError::validation("/public_jwk", "key", why))?;
            Some(serde_json::to_string(&jwk).map_err(ApiError::internal)?)
        }
        None => None,
    };
    let now = state.now();
    state
        .tx(move |conn| {
            let council = &me.local_authority_id;
            let organisation = match asked.organisation_id.as_deref() {
                Some(id) => Some(
                    organisations::organisation_in_local_authority(conn, council, id)
                        .optional()?
                        .filter(|o| o.kind != OrganisationKind::LocalAuthority)
                        .ok_or_else(|| {
                            ApiError::validation(
                                "/organisation_id",
                                "unknown",
                                "is not a partner organisation of your council (leave it out for the council's own system)",
                            )
                        })?,
                ),
                None => None,
            };
            if organisation.is_some() {
                if let Some(scope) = asked.scopes.iter().find(|s| !s.open_to_organisation_clients()) {
                    return Err(ApiError::validation(
                        "/scopes",
                        "not_for_organisations",
                        format!("{scope} is for the council's own system, not an organisation's"),
                    ));
                }
            }
            let account_organisation = match &organisation {
                Some(o) => o.id.clone(),
                None => organisations::local_authority_organisation(conn, council)?.id,
            };
            let id = ehc_storage::new_id();
            let issued = new_secret(&id, now);
            let role: String = access::client_role(organisation.is_some()).into();
            api_clients::insert(
                conn,
                &NewClient {
                    id: &id,
                    local_authority_id: council,
                    account_organisation_id: &account_organisation,
                    organisation_id: organisation.as_ref().map(|o| o.id.as_str()),
                    name: asked.name.trim(),
                    contact_email: &asked.contact_email,
                    role: &role,
                    scopes: &asked.scopes,
                    public_jwk: public_jwk.as_deref(),
                    created_by: &me.user_id,
                    now,
                },
                &issued.secret,
            )?;
            audit::record(conn, &me, "api_client.registered", None, Some(&id))?;
            Ok((shown(conn, &me, &id)?, issued))
        })
        .await
}

fn shown(conn: &mut ehc_storage::DbConn, me: &AuthUser, client_id: &str) -> Result<ClientWithSecrets, ApiError> {
    let client = api_clients::of_council(conn, &me.local_authority_id, client_id)?;
    let secrets = api_clients::secrets(conn, client_id)?;
    Ok((client, secrets))
}

pub async fn page(
    state: &AppState,
    me: AuthUser,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<ClientWithSecrets>, ApiError> {
    require(&me, Action::ManageApiClients)?;
    state
        .tx(move |conn| {
            let clients = api_clients::page_of_council(conn, &me.local_authority_id, after.as_deref(), limit + 1)?;
            let mut rows = Vec::with_capacity(clients.len());
            for client in clients {
                let secrets = api_clients::secrets(conn, &client.id)?;
                rows.push((client, secrets));
            }
            Ok(rows)
        })
        .await
}

pub async fn show(state: &AppState, me: AuthUser, client_id: String) -> Result<ClientWithSecrets, ApiError> {
    require(&me, Action::ManageApiClients)?;
    state.tx(move |conn| shown(conn, &me, &client_id)).await
}

/// A second secret beside the one in use; the old one keeps working until
/// it is removed. A third is refused: remove the old one first.
pub async fn add_secret(
    state: &AppState,
    me: AuthUser,
    client_id: String,
) -> Result<(ClientWithSecrets, IssuedSecret), ApiError> {
    require(&me, Action::ManageApiClients)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let client = api_clients::of_council(conn, &me.local_authority_id, &client_id)?;
            if !client.is_active() {
                return Err(ApiError::Conflict("The client is revoked: register a new one.".to_owned()));
            }
            if api_clients::secrets(conn, &client.id)?.len() >= LIVE_SECRETS {
                return Err(ApiError::Conflict(format!(
                    "The client already has {LIVE_SECRETS} secrets: remove the old one first."
                )));
            }
            let issued = new_secret(&client.id, now);
            api_clients::add_secret(conn, &issued.secret)?;
            audit::record(conn, &me, "api_client.secret_added", None, Some(&client.id))?;
            Ok((shown(conn, &me, &client.id)?, issued))
        })
        .await
}

/// Removes one secret (the old one, after a rotation): tokens already issued
/// run out on their own; nothing new is issued for it.
pub async fn remove_secret(
    state: &AppState,
    me: AuthUser,
    client_id: String,
    secret_id: String,
) -> Result<(), ApiError> {
    require(&me, Action::ManageApiClients)?;
    state
        .tx(move |conn| {
            let client = api_clients::of_council(conn, &me.local_authority_id, &client_id)?;
            if !api_clients::remove_secret(conn, &client.id, &secret_id)? {
                return Err(ApiError::NotFound);
            }
            audit::record(conn, &me, "api_client.secret_removed", None, Some(&client.id))?;
            Ok(())
        })
        .await
}

/// Revokes the client: its secrets go and every token it holds fails its
/// next check. Final; idempotent.
pub async fn revoke(state: &AppState, me: AuthUser, client_id: String) -> Result<ClientWithSecrets, ApiError> {
    require(&me, Action::ManageApiClients)?;
    let now = state.now();
    state
        .tx(move |conn| {
            let client = api_clients::of_council(conn, &me.local_authority_id, &client_id)?;
            if api_clients::revoke(conn, &client.id, now)? {
                audit::record(conn, &me, "api_client.revoked", None, Some(&client.id))?;
            }
            shown(conn, &me, &client.id)
        })
        .await
}
