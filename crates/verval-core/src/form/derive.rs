//! Calculated answers: run after every change, in form order, so a calculation sees the
//! calculations before it (the number of members before the floor area per person).

use super::model::{Form, Kind, Question, SectionItem};
use super::scope::Scope;
use crate::date::Date;
use crate::record::{HouseholdRecord, Timestamp};

/// Brings every calculated answer of `record` up to date. Returns whether anything changed.
pub fn apply_calculations(form: &Form, record: &mut HouseholdRecord, today: Date, now: Timestamp) -> bool {
    let mut changed = false;
    for section in form.sections {
        for item in section.items {
            match item {
                SectionItem::Question(q) => {
                    if let Some(value) = derived(q, &Scope::family(record, today)) {
                        changed |= record.set_answer(q.id, &value, now);
                    }
                }
                SectionItem::Repeat(r) => {
                    let keys: Vec<u32> = record.repeats.rows(r.id).iter().map(|row| row.key).collect();
                    for (index, key) in keys.into_iter().enumerate() {
                        for q in r.questions {
                            let value = {
                                let row = &record.repeats.rows(r.id)[index];
                                derived(q, &Scope::family(record, today).in_row(row, index + 1))
                            };
                            if let Some(value) = value {
                                changed |= record.set_row_answer(r.id, key, q.id, &value, now);
                            }
                        }
                    }
                }
            }
        }
    }
    changed
}

/// Whether `question`'s answer is its calculation now, so the enumerator cannot type it: a
/// calculation that is not a prefill and has what it needs. An age is typed while the birth
/// date is incomplete (day or month unknown, as for many elderly villagers) and calculated
/// once it is complete.
pub fn calculated_now(question: &Question, scope: &Scope<'_>) -> bool {
    question
        .calc
        .is_some_and(|calc| !calc.prefill && (calc.derive)(scope).is_some())
}

/// The value a question's calculation gives it now, if it should change.
fn derived(question: &Question, scope: &Scope<'_>) -> Option<String> {
    let calc = question.calc?;
    let value = (calc.derive)(scope);
    let current = super::cond::Values::value(scope, question.id);
    match value {
        // A prefill never overwrites what the enumerator chose.
        Some(_) if calc.prefill && !current.is_empty() => None,
        Some(v) => Some(v),
        // A calculation whose inputs are gone clears its value; an input that was only
        // derived when it could be keeps what was typed.
        None if matches!(question.kind, Kind::Calculate { .. }) => Some(String::new()),
        None => None,
    }
}
