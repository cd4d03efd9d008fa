//! Roles, specialisms and the permissions that follow from them
//! (DOMAIN.md "Access and accounts").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    AssessmentOfficer,
    Coordinator,
    TeamManager,
    Professional,
    ParentCarer,
    YoungPerson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Specialism {
    Education,
    Health,
    SocialCare,
    EducationalPsychology,
    Other,
    /// The family's own views (section A), asked of a parent or young person.
    FamilyViews,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    LocalAuthority,
    School,
    College,
    EarlyYears,
    NhsTrust,
    SocialCareTeam,
    Other,
}

/// A member's part in a team inbox (seed 000): a coordinator screens and
/// assigns its requests; a manager endorses its members' advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    Member,
    Coordinator,
    Manager,
}

/// Where an account is: usable, waiting for its authenticator app's first
/// code, or disabled by an administrator (its sessions ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    PendingTotp,
    /// Registered with a passkey that is not yet confirmed.
    PendingPasskey,
    Disabled,
}

macro_rules! text_codes {
    ($ty:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// The stable code stored in the database and used on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
        crate::stored_as_text!($ty, as_str, parse);
    };
}

text_codes!(Role {
    Administrator => "administrator",
    AssessmentOfficer => "assessment_officer",
    Coordinator => "coordinator",
    TeamManager => "team_manager",
    Professional => "professional",
    ParentCarer => "parent_carer",
    YoungPerson => "young_person",
});

text_codes!(Specialism {
    Education => "education",
    Health => "health",
    SocialCare => "social_care",
    EducationalPsychology => "educational_psychology",
    Other => "other",
    FamilyViews => "family_views",
});

text_codes!(TeamRole {
    Member => "member",
    Coordinator => "coordinator",
    Manager => "manager",
});

text_codes!(AccountStatus {
    Active => "active",
    PendingTotp => "pending_totp",
    PendingPasskey => "pending_passkey",
    Disabled => "disabled",
});

text_codes!(OrganisationKind {
    LocalAuthority => "local_authority",
    School => "school",
    College => "college",
    EarlyYears => "early_years",
    NhsTrust => "nhs_trust",
    SocialCareTeam => "social_care_team",
    Other => "other",
});

impl Specialism {
    /// Reg 8(1)'s 6 weeks bind the bodies asked for advice (reg 6(1)(b)-(h)),
    /// not a family giving its own views (reg 6(1)(a)).
    pub fn advice_time_limited(self) -> bool {
        self != Specialism::FamilyViews
    }
}

impl Role {
    /// Only the local authority's own staff send invitations (seed 002:
    /// "accounts exist only by invitation from the LA").
    pub fn may_invite(self) -> bool {
        matches!(self, Role::Administrator | Role::AssessmentOfficer)
    }

    /// Which roles this role may invite. Officers invite the people who give
    /// advice and the family; only administrators create staff accounts.
    pub fn may_invite_role(self, invited: Role) -> bool {
        match self {
            Role::Administrator => true,
            Role::AssessmentOfficer => !matches!(invited, Role::Administrator | Role::AssessmentOfficer),
            _ => false,
        }
    }

    pub fn may_administer_users(self) -> bool {
        self == Role::Administrator
    }

    /// A specialism describes what advice someone gives; it is required of
    /// professionals and meaningless for the family.
    pub fn requires_specialism(self) -> bool {
        self == Role::Professional
    }

    /// Roles that work for the local authority itself rather than a partner.
    pub fn is_local_authority_staff(self) -> bool {
        matches!(self, Role::Administrator | Role::AssessmentOfficer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in [
            Role::Administrator,
            Role::AssessmentOfficer,
            Role::Coordinator,
            Role::TeamManager,
            Role::Professional,
            Role::ParentCarer,
            Role::YoungPerson,
        ] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Specialism::parse("social_care"), Some(Specialism::SocialCare));
        assert_eq!(Specialism::parse("SOCIAL_CARE"), None);
    }

    #[test]
    fn officers_cannot_create_staff() {
        assert!(Role::AssessmentOfficer.may_invite_role(Role::Professional));
        assert!(Role::AssessmentOfficer.may_invite_role(Role::ParentCarer));
        assert!(!Role::AssessmentOfficer.may_invite_role(Role::Administrator));
        assert!(!Role::AssessmentOfficer.may_invite_role(Role::AssessmentOfficer));
        assert!(Role::Administrator.may_invite_role(Role::AssessmentOfficer));
        assert!(!Role::Professional.may_invite());
    }
}
