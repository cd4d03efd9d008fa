//! Which operations a partner system may call, and the scope each needs:
//! one table, read by the principal's check on every request and by the
//! spec (each listed operation declares the OAuth 2.0 scheme with its scope).
//! An operation not listed is for people only.

use ehc_domain::scopes::Scope::{self, *};

/// (method, route as the spec writes it, scope).
pub const CLIENT_OPERATIONS: &[(&str, &str, Scope)] = &[
    ("GET", "/api/v1/cases", CasesRead),
    ("GET", "/api/v1/cases/{id}", CasesRead),
    ("GET", "/api/v1/cases/{id}/participants", CasesRead),
    ("GET", "/api/v1/cases/{id}/timeline", CasesRead),
    ("GET", "/api/v1/cases/{id}/decisions", CasesRead),
    ("GET", "/api/v1/plans/{id}", CasesRead),
    ("GET", "/api/v1/plans/{id}/document", CasesRead),
    ("POST", "/api/v1/cases", CasesWrite),
    ("PATCH", "/api/v1/cases/{id}", CasesWrite),
    ("POST", "/api/v1/cases/{id}/participants", CasesWrite),
    ("DELETE", "/api/v1/cases/{id}/participants/{participant_id}", CasesWrite),
    ("POST", "/api/v1/cases/{id}/decisions", CasesWrite),
    ("POST", "/api/v1/cases/{id}/exceptions", CasesWrite),
    ("POST", "/api/v1/cases/{id}/plans", CasesWrite),
    ("PUT", "/api/v1/cases/{id}/phase-transfer", CasesWrite),
    ("PUT", "/api/v1/plans/{id}", CasesWrite),
    ("POST", "/api/v1/plans/{id}/issue", CasesWrite),
    ("GET", "/api/v1/cases/{id}/advice-requests", AdviceRequestsRead),
    ("POST", "/api/v1/cases/{id}/advice-requests", AdviceRequestsWrite),
    ("POST", "/api/v1/advice-requests/{id}/assign", AdviceRequestsWrite),
    ("POST", "/api/v1/advice-requests/{id}/withdraw", AdviceRequestsWrite),
    // Whom a request can be addressed to.
    ("GET", "/api/v1/organisations", AdviceRequestsWrite),
    ("GET", "/api/v1/teams", AdviceRequestsWrite),
    ("GET", "/api/v1/advice-requests/{id}/advice", AdviceRead),
    ("GET", "/api/v1/advice-requests/{id}/advice/checks", AdviceRead),
    ("GET", "/api/v1/advice-requests/{id}/advice/versions", AdviceRead),
    ("GET", "/api/v1/advice-requests/{id}/advice/versions/{n}", AdviceRead),
    ("PUT", "/api/v1/advice-requests/{id}/advice", AdviceWrite),
    ("POST", "/api/v1/advice-requests/{id}/advice/submit", AdviceWrite),
    ("POST", "/api/v1/advice-requests/{id}/advice/endorse", AdviceWrite),
    ("POST", "/api/v1/advice-requests/{id}/advice/return", AdviceWrite),
    ("POST", "/api/v1/advice-requests/{id}/advice/release", AdviceWrite),
    ("GET", "/api/v1/advice-requests/{id}/documents", DocumentsRead),
    ("GET", "/api/v1/documents/{id}", DocumentsRead),
    ("GET", "/api/v1/documents/{id}/content", DocumentsRead),
    ("POST", "/api/v1/advice-requests/{id}/documents", DocumentsWrite),
    ("DELETE", "/api/v1/documents/{id}", DocumentsWrite),
    ("GET", "/api/v1/events", EventsRead),
    ("POST", "/api/v1/webhooks/endpoints", WebhooksManage),
    ("GET", "/api/v1/webhooks/endpoints", WebhooksManage),
    ("GET", "/api/v1/webhooks/endpoints/{id}", WebhooksManage),
    ("DELETE", "/api/v1/webhooks/endpoints/{id}", WebhooksManage),
    ("POST", "/api/v1/webhooks/endpoints/{id}/rotate-secret", WebhooksManage),
    ("POST", "/api/v1/webhooks/endpoints/{id}/enable", WebhooksManage),
    ("GET", "/api/v1/webhooks/endpoints/{id}/deliveries", WebhooksManage),
    ("POST", "/api/v1/webhooks/endpoints/{id}/deliveries/{delivery_id}/redeliver", WebhooksManage),
    ("GET", "/api/v1/reports/timeliness", ReportsRead),
    ("GET", "/api/v1/reports/sen2", ReportsRead),
];

/// Operations on advice and its documents, where an organisation's system
/// may name the practitioner it acts for (`On-Behalf-Of`).
pub fn may_act_for_a_practitioner(scope: Scope) -> bool {
    matches!(scope, AdviceRead | AdviceWrite | DocumentsRead | DocumentsWrite)
}

/// The scope a client needs for the operation, or `None`: not open to
/// clients. HEAD is answered as GET.
pub fn scope_for(method: &str, route: &str) -> Option<Scope> {
    let method = if method == "HEAD" { "GET" } else { method };
    CLIENT_OPERATIONS.iter().find(|(m, r, _)| *m == method && *r == route).map(|(_, _, scope)| *scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row naming an operation the spec does not have would silently
    /// open nothing (or, after a rename, the wrong thing).
    #[test]
    fn every_row_is_an_operation_of_the_spec() {
        let spec = serde_json::to_value(crate::openapi::spec()).unwrap();
        for (method, route, _) in CLIENT_OPERATIONS {
            let operation = &spec["paths"][route][method.to_lowercase()];
            assert!(operation.is_object(), "{method} {route} is not in the spec");
            let security = operation["security"].as_array().unwrap();
            assert!(security.iter().any(|s| s.get("oauth2").is_some()), "{method} {route} declares no client scheme");
        }
        assert_eq!(scope_for("HEAD", "/api/v1/cases"), Some(CasesRead));
        assert_eq!(scope_for("GET", "/api/v1/users"), None);
    }
}
