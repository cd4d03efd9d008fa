//! What a partner system's client may be granted (OAuth 2.0 scopes, RFC 6749
//! §3.3). A scope narrows what a client may ask for; what it may then see
//! and do is still the access model's answer for the role it acts in.

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub enum Scope {
    #[serde(rename = "cases:read")]
    CasesRead,
    #[serde(rename = "cases:write")]
    CasesWrite,
    #[serde(rename = "advice-requests:read")]
    AdviceRequestsRead,
    #[serde(rename = "advice-requests:write")]
    AdviceRequestsWrite,
    #[serde(rename = "advice:read")]
    AdviceRead,
    #[serde(rename = "advice:write")]
    AdviceWrite,
    #[serde(rename = "documents:read")]
    DocumentsRead,
    #[serde(rename = "documents:write")]
    DocumentsWrite,
    #[serde(rename = "events:read")]
    EventsRead,
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
    #[serde(rename = "reports:read")]
    ReportsRead,
}

impl Scope {
    pub const ALL: [Scope; 11] = [
        Scope::CasesRead,
        Scope::CasesWrite,
        Scope::AdviceRequestsRead,
        Scope::AdviceRequestsWrite,
        Scope::AdviceRead,
        Scope::AdviceWrite,
        Scope::DocumentsRead,
        Scope::DocumentsWrite,
        Scope::EventsRead,
        Scope::WebhooksManage,
        Scope::ReportsRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CasesRead => "cases:read",
            Scope::CasesWrite => "cases:write",
            Scope::AdviceRequestsRead => "advice-requests:read",
            Scope::AdviceRequestsWrite => "advice-requests:write",
            Scope::AdviceRead => "advice:read",
            Scope::AdviceWrite => "advice:write",
            Scope::DocumentsRead => "documents:read",
            Scope::DocumentsWrite => "documents:write",
            Scope::EventsRead => "events:read",
            Scope::WebhooksManage => "webhooks:manage",
            Scope::ReportsRead => "reports:read",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// What the scope lets a client do, for the spec and the docs.
    pub fn meaning(self) -> &'static str {
        match self {
            Scope::CasesRead => "Read cases, their participants, decisions and timeline",
            Scope::CasesWrite => "Open and correct cases, add participants, record decisions",
            Scope::AdviceRequestsRead => "Read requests for advice",
            Scope::AdviceRequestsWrite => "Issue, assign and withdraw requests for advice",
            Scope::AdviceRead => "Read advice and its versions",
            Scope::AdviceWrite => "Write, submit, endorse, return and release advice",
            Scope::DocumentsRead => "Read and download documents",
            Scope::DocumentsWrite => "Upload and remove documents",
            Scope::EventsRead => "Read the events feed",
            Scope::WebhooksManage => "Manage the client's webhook endpoints",
            Scope::ReportsRead => "Read the timeliness and SEN2 reports",
        }
    }

    /// Which kind of client may hold it: an organisation's client works on
    /// the requests addressed to its organisation, never the council's own
    /// records (cases, reports, the requests it issues).
    pub fn open_to_organisation_clients(self) -> bool {
        !matches!(self, Scope::CasesWrite | Scope::AdviceRequestsWrite | Scope::ReportsRead)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of scopes, written as RFC 6749 writes them: space-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    /// Every token must be a known scope; repeats are one.
    pub fn parse(text: &str) -> Result<Scopes, String> {
        let mut scopes = Vec::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let scope = Scope::parse(word).ok_or_else(|| format!("'{word}' is not a scope of this hub."))?;
            scopes.push(scope);
        }
        Ok(Scopes::from(scopes))
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn is_subset_of(&self, other: &Scopes) -> bool {
        self.0.iter().all(|s| other.contains(*s))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// The scopes in both sets.
    pub fn both(&self, other: &Scopes) -> Scopes {
        Scopes(self.0.iter().copied().filter(|s| other.contains(*s)).collect())
    }
}

impl From<Vec<Scope>> for Scopes {
    fn from(mut scopes: Vec<Scope>) -> Self {
        scopes.sort();
        scopes.dedup();
        Scopes(scopes)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
        f.write_str(&words.join(" "))
    }
}

/// Stored as text: an unknown word is an error, never dropped.
impl TryFrom<String> for Scopes {
    type Error = crate::codes::UnknownCode;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Scopes::parse(&code).map_err(|_| crate::codes::UnknownCode { kind: "Scopes", code })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_it_prints_and_refuses_unknown_words() {
        let scopes = Scopes::parse("cases:read  advice:read cases:read").unwrap();
        assert_eq!(scopes.to_string(), "cases:read advice:read");
        assert!(Scopes::parse("cases:read admin").is_err());
        assert!(Scopes::parse("").unwrap().is_empty());
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            assert_eq!(serde_json::to_value(scope).unwrap(), scope.as_str(), "the spec's name is the token's");
        }
    }

    #[test]
    fn a_subset_is_a_subset() {
        let all = Scopes::from(Scope::ALL.to_vec());
        let some = Scopes::parse("events:read").unwrap();
        assert!(some.is_subset_of(&all));
        assert!(!all.is_subset_of(&some));
    }
}
