//! The authenticated caller: a valid access token whose server-side session
//! is live and whose user is active. Checked against the database on every
//! request, so logout, revocation and disabling take effect at once.

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use ehc_domain::roles::AccountStatus;
use ehc_domain::roles::Role;
use ehc_domain::second_factor::SecondFactor;
use ehc_storage::identity::memberships::{self, NamedMembership};
use ehc_storage::identity::{sessions, users};
use futures_util::future::LocalBoxFuture;

use crate::error::ApiError;
use crate::security::tokens::verify_access;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: String,
    pub session_id: String,
    pub role: Role,
    pub local_authority_id: String,
    pub organisation_id: String,
    /// The council requires a passkey or an app of its staff, and this
    /// session was opened with a code: it may only add one (and read `/me`).
    pub needs_strong_factor: bool,
    /// This request's id and time, for the audit log.
    pub request_id: Option<String>,
    pub request_at: chrono::NaiveDateTime,
    /// Set when the caller is a partner system's client, not a person.
    pub client: Option<crate::client_auth::ClientGrant>,
}

pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let request_id = crate::request_id::current_request_id();
        let path = req.path().to_owned();
        let operation = (req.method().as_str().to_owned(), req.match_pattern());
        let on_behalf_of = req
            .headers()
            .get(crate::client_auth::ON_BEHALF_OF)
            .map(|v| v.to_str().map(str::to_owned).unwrap_or_default());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let token =
                token.ok_or(ApiError::Unauthorized("An access token is required (Authorization: Bearer …)."))?;
            if on_behalf_of.as_deref().is_some_and(|named| uuid::Uuid::parse_str(named.trim()).is_err()) {
                return Err(ApiError::BadRequest("On-Behalf-Of must be the id (a UUID) of a practitioner.".into()));
            }
            let Some(claims) = verify_access(&token, state.keys.signing_key(), &state.public_url) else {
                return crate::client_auth::principal(&state, &token, operation, on_behalf_of, request_id).await;
            };
            if on_behalf_of.is_some() {
                return Err(ApiError::Forbidden("On-Behalf-Of is for an organisation's partner system, not a person."));
            }
            let pending = PendingSession { claims, path, request_id, now: state.now() };
            state.tx(move |conn| pending.confirm(conn)).await
        })
    }
}

/// A person's access token whose signature and audience were checked, and
/// whose session is still to be confirmed against the database.
pub struct PendingSession {
    claims: crate::security::tokens::AccessClaims,
    path: String,
    request_id: Option<String>,
    now: chrono::NaiveDateTime,
}

impl PendingSession {
    /// The session is live, the account active, and the council's factor
    /// policy met: the caller, as of this transaction.
    pub fn confirm(self, conn: &mut ehc_storage::DbConn) -> Result<AuthUser, ApiError> {
        self.confirm_with_memberships(conn).map(|(user, _)| user)
    }

    /// As `confirm`, also giving every membership of the account (home
    /// council first), read once for both.
    pub fn confirm_with_memberships(
        self,
        conn: &mut ehc_storage::DbConn,
    ) -> Result<(AuthUser, Vec<NamedMembership>), ApiError> {
        let ended = || ApiError::Unauthorized("The session has ended. Log in again.");
        let (session, user) =
            sessions::live_session(conn, &self.claims.sid, &self.claims.sub, self.now).map_err(|e| match e.into() {
                ApiError::NotFound => ended(),
                other => other,
            })?;
        let all = memberships::of_user_with_policy(conn, &user.id)?;
        let (user, council_requires) =
            acting_membership(&user, session.local_authority_id.as_deref(), &all).ok_or_else(ended)?;
        if user.status != AccountStatus::Active {
            return Err(ended());
        }
        let strong =
            session.second_factor.as_deref().and_then(SecondFactor::parse).is_some_and(SecondFactor::is_strong);
        let needs_strong_factor = ehc_domain::access::needs_strong_factor(user.role, council_requires, strong);
        if needs_strong_factor && !may_add_a_factor(&self.path) {
            return Err(ApiError::Forbidden(
                "Your council requires its staff to log in with a passkey or an authenticator app: add one \
                 (/api/v1/me/passkeys or /api/v1/me/second-factor), then log in with it.",
            ));
        }
        let me = AuthUser {
            needs_strong_factor,
            user_id: user.id,
            session_id: session.id,
            role: user.role,
            local_authority_id: user.local_authority_id,
            organisation_id: user.organisation_id,
            request_id: self.request_id,
            request_at: self.now,
            client: None,
        };
        Ok((me, all.into_iter().map(|(m, _)| m).collect()))
    }
}

/// The caller of a busy read, whose session check runs as the first
/// statements of the use case's own transaction rather than in one of its
/// own: one transaction, one connection checkout a request. The use case
/// gets an `AuthUser` only through `confirm`, so nothing is read before the
/// session is known to be live.
pub enum Caller {
    /// A partner system's client, already checked (its grant is its own).
    Ready(AuthUser),
    Pending(PendingSession),
}

impl Caller {
    pub fn confirm(self, conn: &mut ehc_storage::DbConn) -> Result<AuthUser, ApiError> {
        match self {
            Caller::Ready(user) => Ok(user),
            Caller::Pending(pending) => pending.confirm(conn),
        }
    }

    /// The caller and every membership of theirs, home council first: for a
    /// person the session check's own read of them.
    pub fn confirm_with_memberships(
        self,
        conn: &mut ehc_storage::DbConn,
    ) -> Result<(AuthUser, Vec<NamedMembership>), ApiError> {
        match self {
            Caller::Ready(user) => {
                let all = memberships::of_user(conn, &user.user_id)?;
                Ok((user, all))
            }
            Caller::Pending(pending) => pending.confirm_with_memberships(conn),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::internal("application state missing"))?;
            let has_on_behalf_of = req.headers().contains_key(crate::client_auth::ON_BEHALF_OF);
            let claims =
                bearer_token(&req).and_then(|t| verify_access(&t, state.keys.signing_key(), &state.public_url));
            match claims {
                // A person, plainly: the check waits for the use case's transaction.
                Some(claims) if !has_on_behalf_of => Ok(Caller::Pending(PendingSession {
                    claims,
                    path: req.path().to_owned(),
                    request_id: crate::request_id::current_request_id(),
                    now: state.now(),
                })),
                // Anything else (a client, no token, a header to refuse) as AuthUser decides it.
                _ => AuthUser::from_request(&req, &mut Payload::None).await.map(Caller::Ready),
            }
        })
    }
}

/// The user as the council the session acts for knows them. When that
/// membership was disabled, the session goes on in another council of the
/// account's (access to the disabled council's cases ends at once, and
/// nothing else); with no active membership left, the session has ended.
/// Also whether that council requires a strong second step of its staff.
fn acting_membership(
    user: &users::User,
    session_council: Option<&str>,
    all: &[(NamedMembership, bool)],
) -> Option<(users::User, bool)> {
    let council = session_council.unwrap_or(&user.local_authority_id);
    let named = all.iter().find(|(m, _)| m.membership.local_authority_id == council)?;
    let active = all.iter().find(|(m, _)| m.membership.status == AccountStatus::Active);
    let (chosen, requires) =
        if named.0.membership.status == AccountStatus::Active { named } else { active.unwrap_or(named) };
    Some((users::as_member(user.clone(), chosen.membership.clone()), *requires))
}

/// What a session that must first add a strong factor may still reach.
fn may_add_a_factor(path: &str) -> bool {
    path == "/api/v1/me"
        || path.starts_with("/api/v1/me/second-factor")
        || path.starts_with("/api/v1/me/passkeys")
        || path == "/api/v1/auth/logout"
}

impl AuthUser {
    /// The id the caller's own records (and the audit log) name them by: a
    /// person's account, or a partner system's client.
    pub fn is_client(&self) -> bool {
        self.client.is_some()
    }

    /// The organisation a partner system answers for (`None` for a person or
    /// the council's own system).
    pub fn client_organisation(&self) -> Option<&str> {
        self.client.as_ref().and_then(|c| c.organisation_id.as_deref())
    }

    /// Who the audit log names: the partner system when one acts (also for
    /// a practitioner), else the person.
    pub fn actor_id(&self) -> &str {
        self.client.as_ref().map_or(&self.user_id, |c| &c.client_id)
    }

    pub fn require(&self, allowed: bool, why: &'static str) -> Result<(), ApiError> {
        if allowed {
            Ok(())
        } else {
            Err(ApiError::Forbidden(why))
        }
    }
}

/// The client's address for per-client rate limits, as a hash: addresses are
/// personal data and must not sit in the database in clear.
pub fn client_bucket(req: &HttpRequest, trusted_proxies: &[ipnet::IpNet], purpose: &str) -> String {
    let ip = crate::client_address::of_request(req, trusted_proxies).map(|ip| ip.to_string());
    crate::security::secrets::hash_token(&format!("{purpose}:client:{}", ip.unwrap_or_default()))
}

pub fn account_bucket(purpose: &str, key: &str) -> String {
    crate::security::secrets::hash_token(&format!("{purpose}:account:{key}"))
}
