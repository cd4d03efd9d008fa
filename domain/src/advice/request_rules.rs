//! What a request for advice may ask, and of whom: professionals are asked
//! for advice on named areas; a parent or young person for their own views
//! (section A, reg 6(1)(a)), in a request of its own.

use crate::cases::ParticipantKind;
use crate::field_error::FieldError;
use crate::roles::Specialism;

use super::form::AdviceArea;

/// Whether a request asks for the family's views.
pub fn asks_views(areas: &[AdviceArea]) -> bool {
    areas.contains(&AdviceArea::ViewsInterestsAspirations)
}

/// The shape of a new request: its areas, its specialism and whom it is
/// addressed to (a user or a team inbox). Every failure, by pointer.
pub fn check_request(specialism: Specialism, areas: &[AdviceArea], to_user: bool, to_team: bool) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if areas.is_empty() {
        errors.push(FieldError::new("/areas", "required", "ask for at least one advice area"));
    }
    if areas.iter().enumerate().any(|(i, a)| areas[..i].contains(a)) {
        errors.push(FieldError::new("/areas", "duplicate", "lists an area twice"));
    }
    if to_user == to_team {
        errors.push(FieldError::new(
            "/addressee_user_id",
            "one_of",
            "address the request to a user or to a team inbox",
        ));
    }
    let views = asks_views(areas);
    if views && areas.len() > 1 {
        errors.push(FieldError::new("/areas", "views_alone", "the family's views are asked in a request of their own"));
    }
    if views != (specialism == Specialism::FamilyViews) {
        errors.push(FieldError::new(
            "/specialism",
            "views_mismatch",
            "family_views goes with the area views_interests_aspirations, and only with it",
        ));
    }
    if views && !to_user {
        errors.push(FieldError::new(
            "/addressee_user_id",
            "required",
            "the family's views are asked of the parent or the young person",
        ));
    }
    errors
}

/// Parents and young people are asked for their views; everyone else for advice.
pub fn check_addressee(areas: &[AdviceArea], addressee: ParticipantKind) -> Option<FieldError> {
    let family = matches!(addressee, ParticipantKind::ParentCarer | ParticipantKind::YoungPerson);
    (family != asks_views(areas)).then(|| {
        FieldError::new(
            "/addressee_user_id",
            "views_mismatch",
            "parents and young people are asked for their views; professionals for advice",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_go_to_the_family_alone_and_advice_to_professionals() {
        let views = [AdviceArea::ViewsInterestsAspirations];
        assert!(check_request(Specialism::FamilyViews, &views, true, false).is_empty());
        let mixed = [AdviceArea::ViewsInterestsAspirations, AdviceArea::Health];
        let codes: Vec<_> =
            check_request(Specialism::FamilyViews, &mixed, true, false).into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["views_alone"]);
        assert!(check_addressee(&views, ParticipantKind::ParentCarer).is_none());
        assert!(check_addressee(&views, ParticipantKind::Professional).is_some());
        assert!(check_addressee(&[AdviceArea::Health], ParticipantKind::YoungPerson).is_some());
    }
}
