//! What the form actually asked of a record. Answers that skip logic later made irrelevant
//! stay in the record (an enumerator who goes back does not lose them, see `validate`), so a
//! reader counting what a family said — the aid ledger, SIKS-NG entry — must ask whether
//! the question was asked here: its section, its repeat and its own relevance.

use super::cond::Values;
use super::model::{Form, Repeat};
use super::scope::Scope;
use super::validate::{is_relevant, is_repeat_relevant, is_section_relevant};
use crate::ids::FieldId;
use crate::record::Row;

/// Whether the section holding `field` (a question or a repeat) is asked here.
pub fn section_asked(form: &Form, field: FieldId, family: &Scope<'_>) -> bool {
    form.section_of(field)
        .is_none_or(|i| is_section_relevant(&form.sections[i], family))
}

/// The answer to a family-level `field` if the form asks it here. A question of a repeat
/// (the meters' installed power) answers, when the repeat is asked, with its asked rows'
/// values, space-separated (empty: none has one).
pub fn family_answer(form: &Form, field: FieldId, family: &Scope<'_>) -> Option<String> {
    if !section_asked(form, field, family) {
        return None;
    }
    match form.question_named(field.as_str()) {
        Some((Some(repeat), question)) => {
            if !is_repeat_relevant(repeat, family) {
                return None;
            }
            let values: Vec<&str> = asked_rows(form, repeat, family)
                .into_iter()
                .filter(|(position, row)| is_relevant(question, &family.in_row(row, *position)))
                .map(|(_, row)| row.answers.get(field).trim())
                .filter(|v| !v.is_empty())
                .collect();
            Some(values.join(" "))
        }
        Some((None, question)) => is_relevant(question, family).then(|| family.value(field).to_owned()),
        None => Some(family.value(field).to_owned()),
    }
}

/// The rows of `repeat` with their 1-based positions, if the form asks the repeat here;
/// none when it does not.
pub fn asked_rows<'r>(form: &Form, repeat: &Repeat, family: &Scope<'r>) -> Vec<(usize, &'r Row)> {
    if !section_asked(form, repeat.id, family) || !is_repeat_relevant(repeat, family) {
        return Vec::new();
    }
    family
        .rows(repeat.id)
        .iter()
        .enumerate()
        .map(|(i, row)| (i + 1, row))
        .collect()
}
