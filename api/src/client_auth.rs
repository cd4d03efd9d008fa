//! A partner system as the caller: a client-credentials token whose client
//! is still active, used on an operation open to clients with the scope it
//! needs (`client_scopes`). The client then acts in the role the access
//! model gives it (`access::client_role`), through its own account row, so
//! every use case, query and audit entry treats it as a principal like a
//! user.

use ehc_domain::access;
use ehc_domain::roles::AccountStatus;
use ehc_domain::scopes::Scopes;
use ehc_storage::identity::{memberships, users};
use ehc_storage::partners::api_clients;

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::security::tokens::verify_client;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ClientGrant {
    /// The client's id (the principal's `user_id`, unless it acts for a practitioner).
    pub client_id: String,
    /// The scopes this token carries.
    pub scopes: Scopes,
    /// The organisation the client answers for; `None` for the council's own.
    pub organisation_id: Option<String>,
    /// The practitioner of that organisation the client acts for
    /// (`On-Behalf-Of`): advice it writes is theirs, as the app would write it.
    pub on_behalf_of: Option<String>,
}

/// The header naming the practitioner an organisation's system acts for.
pub const ON_BEHALF_OF: &str = "on-behalf-of";

const NOT_THEIRS: ApiError = ApiError::Forbidden(
    "On-Behalf-Of must name an active practitioner of the client's own organisation, and only an organisation's \
     system acts for one.",
);

const INVALID: ApiError = ApiError::Unauthorized("The access token is invalid or has expired.");
const FOR_PEOPLE: ApiError =
    ApiError::Forbidden("This operation is for people, not partner systems (see the spec's security for each).");

/// `operation` is the request's method and route, as the spec writes it.
pub async fn principal(
    state: &AppState,
    token: &str,
    operation: (String, Option<String>),
    on_behalf_of: Option<String>,
    request_id: Option<String>,
) -> Result<AuthUser, ApiError> {
    let claims = verify_client(token, state.keys.signing_key(), &state.public_url).ok_or(INVALID)?;
    let granted = Scopes::parse(&claims.scope).map_err(|_| INVALID)?;
    let (method, route) = operation;
    let needed = route.as_deref().and_then(|r| crate::client_scopes::scope_for(&method, r)).ok_or(FOR_PEOPLE)?;
    if !granted.contains(needed) {
        return Err(ApiError::InsufficientScope(needed.as_str()));
    }
    let client_id = claims.sub.clone();
    let found = state.tx(move |conn| Ok(api_clients::with_account_organisation(conn, &client_id)?)).await?;
    // Revoking a client, or narrowing what it may hold, ends its tokens at once.
    let (client, account_organisation) =
        found.filter(|(c, _)| c.is_active() && granted.is_subset_of(&c.scopes)).ok_or(INVALID)?;
    let mut principal = AuthUser {
        user_id: client.id.clone(),
        session_id: claims.jti,
        role: access::client_role(client.organisation_id.is_some()),
        organisation_id: account_organisation,
        local_authority_id: client.local_authority_id.clone(),
        needs_strong_factor: false,
        request_id,
        request_at: state.now(),
        client: Some(ClientGrant {
            client_id: client.id.clone(),
            scopes: granted,
            organisation_id: client.organisation_id.clone(),
            on_behalf_of: None,
        }),
    };
    if let Some(named) = on_behalf_of {
        if !crate::client_scopes::may_act_for_a_practitioner(needed) {
            return Err(ApiError::Forbidden("On-Behalf-Of is taken only on operations on advice and its documents."));
        }
        let organisation = client.organisation_id.clone().ok_or(NOT_THEIRS)?;
        let practitioner = uuid::Uuid::parse_str(named.trim()).map_err(|_| NOT_THEIRS)?.to_string();
        let council = client.local_authority_id.clone();
        let who = practitioner.clone();
        let membership = state
            .tx(move |conn| {
                let Some((membership, _)) = memberships::in_council_with_policy(conn, &who, &council)? else {
                    return Ok(None);
                };
                let account = users::user_by_id(conn, &who)?;
                Ok((account.status == AccountStatus::Active).then_some(membership))
            })
            .await?
            .filter(|m| {
                access::may_act_for(&organisation, &m.organisation_id, m.role, m.status == AccountStatus::Active)
            })
            .ok_or(NOT_THEIRS)?;
        // The practitioner's standing decides what may be written; what is
        // seen stays the organisation's (its inboxes, and their own cases).
        principal.user_id = practitioner.clone();
        principal.role = membership.role;
        if let Some(grant) = principal.client.as_mut() {
            grant.on_behalf_of = Some(practitioner);
        }
    }
    Ok(principal)
}
