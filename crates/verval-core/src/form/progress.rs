//! Where each section of a household's form stands, for the section tabs: skipped, not
//! started, answers still missing, something entered breaking a rule, or done. "Done" needs
//! something entered: a section whose questions all wait on answers elsewhere (section I on
//! an empty form) is not started, not done.

use super::model::{Form, Kind, Question, Section, SectionItem};
use super::validate::{is_relevant, is_repeat_relevant, is_section_relevant};
use super::{Scope, Values};
use crate::record::HouseholdRecord;
use crate::validate::{Issue, IssueKind, Severity};
use crate::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionState {
    /// Something entered, nothing missing, nothing wrong.
    Done,
    /// Nothing entered yet.
    NotStarted,
    /// Answers still missing, nothing wrong in what is there.
    Open,
    /// Something entered breaks a rule.
    Errors,
    /// Not asked of this family (its verification outcome).
    Skipped,
}

impl SectionState {
    /// The state in words: the tabs show it as text, not by colour alone.
    pub fn label(self) -> Text {
        match self {
            SectionState::Done => Text::new("selesai", "done"),
            SectionState::NotStarted => Text::new("belum diisi", "not started"),
            SectionState::Open => Text::new("belum lengkap", "incomplete"),
            SectionState::Errors => Text::new("ada kesalahan", "has errors"),
            SectionState::Skipped => Text::new("dilewati", "skipped"),
        }
    }

    /// For classes and test ids.
    pub fn code(self) -> &'static str {
        match self {
            SectionState::Done => "done",
            SectionState::NotStarted => "not-started",
            SectionState::Open => "open",
            SectionState::Errors => "errors",
            SectionState::Skipped => "skipped",
        }
    }
}

/// Whether anything is entered in the section: an answer to one of its family questions
/// (calculated ones aside) or a row of one of its repeats.
fn started(section: &Section, record: &HouseholdRecord, family: &Scope<'_>) -> bool {
    section.items.iter().any(|item| match item {
        SectionItem::Question(q) => {
            !matches!(q.kind, Kind::Calculate { .. })
                && is_relevant(q, family)
                && !record.answers.get(q.id).is_empty()
        }
        SectionItem::Repeat(r) => is_repeat_relevant(r, family) && !record.repeats.rows(r.id).is_empty(),
    })
}

/// The state of every section of `form`, in order, given the record's issues.
pub fn section_states(
    form: &Form,
    record: &HouseholdRecord,
    family: &Scope<'_>,
    issues: &[Issue],
) -> Vec<SectionState> {
    let mut states: Vec<SectionState> = form
        .sections
        .iter()
        .map(|s| {
            if !is_section_relevant(s, family) {
                SectionState::Skipped
            } else if started(s, record, family) {
                SectionState::Done
            } else {
                SectionState::NotStarted
            }
        })
        .collect();
    for issue in issues {
        if let Some(index) = form.section_of(issue.field) {
            states[index] = states[index].with(issue);
        }
    }
    states
}

/// Where one block of a repeat's row stands (`questions`, seen from the row's `scope`), given
/// the issues of that row.
pub fn block_state<'i>(
    questions: &[Question],
    row: &Scope<'_>,
    row_issues: impl IntoIterator<Item = &'i Issue>,
) -> SectionState {
    // A calculated value shown there (the disability flag) asks nothing.
    let asked = || {
        questions
            .iter()
            .filter(|q| !matches!(q.kind, Kind::Calculate { .. }) && is_relevant(q, row))
    };
    let mut state = if asked().next().is_none() {
        SectionState::Skipped
    } else if asked().any(|q| !row.value(q.id).is_empty()) {
        SectionState::Done
    } else {
        SectionState::NotStarted
    };
    for issue in row_issues {
        if questions.iter().any(|q| q.id == issue.field) {
            state = state.with(issue);
        }
    }
    state
}

impl SectionState {
    /// The state once `issue` is counted: an answer missing leaves it open, anything else
    /// wrong makes it an error; warnings change nothing, nor does anything in a skipped part.
    fn with(self, issue: &Issue) -> SectionState {
        if issue.severity != Severity::Error {
            return self;
        }
        let missing = matches!(issue.kind, IssueKind::Required | IssueKind::TooFewRows { .. });
        match (self, missing) {
            (SectionState::Skipped, _) | (SectionState::Errors, _) => self,
            (_, false) => SectionState::Errors,
            (_, true) => SectionState::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::default::example::{example_family, EXAMPLE_TODAY};
    use crate::form::default::DEFAULT_FORM;
    use crate::form::rules::NoOtherFamilies;
    use crate::form::validate::validate_record;
    use crate::ids::{FieldId, RecordId};
    use crate::record::Timestamp;

    fn states(record: &HouseholdRecord) -> Vec<(&'static str, SectionState)> {
        let issues = validate_record(&DEFAULT_FORM, record, EXAMPLE_TODAY, &NoOtherFamilies);
        let family = Scope::family(record, EXAMPLE_TODAY);
        DEFAULT_FORM
            .sections
            .iter()
            .map(|s| s.id)
            .zip(section_states(&DEFAULT_FORM, record, &family, &issues))
            .collect()
    }

    #[test]
    fn an_empty_form_has_nothing_done() {
        let empty = HouseholdRecord::new(RecordId::from_random_bytes([3; 16]), Timestamp(1));
        for (section, state) in states(&empty) {
            assert_ne!(state, SectionState::Done, "section {section} of an empty form");
        }
        let of = |id: &str| {
            states(&empty)
                .into_iter()
                .find(|(s, _)| *s == id)
                .map(|(_, st)| st)
        };
        // Section I asks only optional questions until the visit's outcome is known.
        assert_eq!(of("I"), Some(SectionState::NotStarted));
        assert_eq!(
            of("A"),
            Some(SectionState::Open),
            "required identity answers are missing"
        );
    }

    #[test]
    fn a_complete_family_is_done_throughout() {
        let family = example_family(RecordId::from_random_bytes([4; 16]));
        for (section, state) in states(&family) {
            assert!(
                matches!(state, SectionState::Done | SectionState::Skipped),
                "section {section}: {state:?}"
            );
        }
    }

    fn member_blocks(record: &HouseholdRecord, index: usize) -> Vec<SectionState> {
        let issues = validate_record(&DEFAULT_FORM, record, EXAMPLE_TODAY, &NoOtherFamilies);
        let members = DEFAULT_FORM.repeat(FieldId::new("art")).expect("members");
        let row = &record.repeats.rows(members.id)[index];
        let scope = Scope::family(record, EXAMPLE_TODAY).in_row(row, index + 1);
        let of_row = || issues.iter().filter(|i| i.row.is_some_and(|r| r.key == row.key));
        members
            .blocks()
            .into_iter()
            .map(|(_, questions)| block_state(questions, &scope, of_row()))
            .collect()
    }

    #[test]
    fn a_member_row_says_which_of_its_blocks_are_done_open_wrong_or_skipped() {
        let mut family = example_family(RecordId::from_random_bytes([5; 16]));
        for state in member_blocks(&family, 0) {
            assert!(
                matches!(state, SectionState::Done | SectionState::Skipped),
                "{state:?}"
            );
        }
        assert_eq!(member_blocks(&family, 0)[0], SectionState::Done);
        let key = family.repeats.rows(FieldId::new("art"))[0].key;
        let art = FieldId::new("art");
        let set = |family: &mut HouseholdRecord, field: &'static str, value: &str| {
            family.set_row_answer(art, key, FieldId::new(field), value, Timestamp(9));
        };
        set(&mut family, "nik", "12");
        assert_eq!(
            member_blocks(&family, 0)[0],
            SectionState::Errors,
            "a NIK of two digits"
        );
        set(&mut family, "nik", "");
        set(&mut family, "nik_tidak_ada", "");
        assert_eq!(
            member_blocks(&family, 0)[0],
            SectionState::Open,
            "the NIK is missing"
        );
        // A member who has died is asked nothing after the identity block.
        set(&mut family, "nik_tidak_ada", "1");
        set(&mut family, "status_keberadaan_art", "2");
        let blocks = member_blocks(&family, 0);
        assert_ne!(blocks[0], SectionState::Skipped);
        assert!(
            blocks[1..].iter().all(|s| *s == SectionState::Skipped),
            "{blocks:?}"
        );
    }

    #[test]
    fn a_new_member_row_is_not_started_beyond_its_line_number() {
        let mut family = example_family(RecordId::from_random_bytes([6; 16]));
        let art = FieldId::new("art");
        family.add_row(art, Timestamp(9));
        let last = family.repeats.rows(art).len() - 1;
        let blocks = member_blocks(&family, last);
        assert_eq!(blocks[0], SectionState::Open, "name and presence are required");
    }

    #[test]
    fn every_state_has_words() {
        for state in [
            SectionState::Done,
            SectionState::NotStarted,
            SectionState::Open,
            SectionState::Errors,
            SectionState::Skipped,
        ] {
            assert!(!state.label().id.is_empty() && !state.label().en.is_empty());
            assert!(!state.code().is_empty());
        }
    }
}
