//! A form's expressions checked against the form, once its sheets are read: every `${name}`
//! names a question (in expressions, labels and hints), every function is known and none
//! reads outside the form, and the calculations are ordered with a circle among them refused.

use super::read::yes_no;
use super::sheet::Table;
use super::Problem;
use crate::expr::{parse, ExprError, KNOWN_FUNCTIONS, OUT_OF_SCOPE_FUNCTIONS};
use std::collections::{BTreeMap, BTreeSet};

/// The expression columns of the survey sheet, checked alike.
const EXPRESSIONS: [&str; 7] = [
    "relevant",
    "constraint",
    "calculation",
    "required",
    "read_only",
    "choice_filter",
    "repeat_count",
];

/// Every expression of the survey parsed and checked against the form: names that name no
/// question, functions not known or outside the form; then the calculations ordered, a
/// circle among them refused. Returns their order.
pub(super) fn check(table: &Table, problems: &mut Vec<Problem>) -> Vec<String> {
    let names = survey_names(table);
    let mut reads: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for row in table.rows() {
        let name = table.get(row, "name");
        for column in EXPRESSIONS {
            let text = table.get(row, column);
            let text = match column {
                "required" | "read_only" => yes_no(&text),
                _ => text,
            };
            if text.is_empty() {
                continue;
            }
            let mut refuse = |id: String, en: String| {
                problems.push(Problem::at(
                    table.name,
                    row,
                    &table.letter(column),
                    &text,
                    &id,
                    &en,
                ));
            };
            let expr = match parse(&text) {
                Ok(expr) => expr,
                Err(ExprError::Syntax { id, en, .. }) => {
                    refuse(
                        format!("ekspresi tidak terbaca: {id}"),
                        format!("the expression does not read: {en}"),
                    );
                    continue;
                }
                Err(e) => {
                    refuse(e.to_string(), "the expression does not read".into());
                    continue;
                }
            };
            // A choice filter names the choices' own columns; the rest name questions.
            let fields: Vec<&str> = match column {
                "choice_filter" => expr.refs(),
                _ => expr.fields(),
            };
            for field in fields {
                if !names.contains(field) {
                    refuse(
                        format!("${{{field}}} tidak menunjuk pertanyaan mana pun"),
                        format!("${{{field}}} names no question of the form"),
                    );
                }
            }
            for function in expr.functions() {
                if OUT_OF_SCOPE_FUNCTIONS.contains(&function) {
                    refuse(
                        format!("fungsi {function}() belum didukung formulir Verval (membaca di luar formulir)"),
                        format!("the function {function}() is not supported in Verval forms (it reads outside the form)"),
                    );
                } else if !KNOWN_FUNCTIONS.contains(&function) {
                    refuse(
                        format!("fungsi {function}() tidak dikenal"),
                        format!("unknown function {function}()"),
                    );
                }
            }
            if column == "calculation" && !name.is_empty() {
                // A running total reads its own previous row (`indexed-repeat(${total}, …,
                // position(..) - 1)`): another row's value, computed first, not a circle.
                let in_row = expr.fields_in_row();
                let read = expr
                    .fields()
                    .into_iter()
                    .filter(|field| *field != name.as_str() || in_row.contains(field))
                    .map(str::to_owned)
                    .collect();
                reads.insert(name.clone(), (row, read));
            }
        }
    }
    check_labels(table, &names, problems);
    order(table, &reads, problems)
}

/// Every name the survey gives, a row refused for its type too: its problem is named once,
/// not again at each reference to it.
pub(super) fn survey_names(table: &Table) -> BTreeSet<String> {
    table
        .rows()
        .map(|row| table.get(row, "name"))
        .filter(|name| !name.is_empty())
        .collect()
}

/// `${name}` in a label or hint (shown with the answer filled in) names a question, on the
/// survey and the choices alike.
pub(super) fn check_labels(table: &Table, names: &BTreeSet<String>, problems: &mut Vec<Problem>) {
    for row in table.rows() {
        for column in super::sheet::TRANSLATED {
            let label = table.label(row, column);
            for text in [&label.id, &label.en] {
                for field in references(text) {
                    if !names.contains(field) {
                        problems.push(Problem::at(
                            table.name,
                            row,
                            &table.letter(column),
                            text,
                            &format!("${{{field}}} tidak menunjuk pertanyaan mana pun"),
                            &format!("${{{field}}} names no question of the form"),
                        ));
                    }
                }
            }
        }
    }
}

/// The `${name}` references in a text.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        out.push(after[..end].trim());
        rest = &after[end + 1..];
    }
    out
}

/// The calculations in dependency order (each after the calculations it reads); a circle
/// among them is a problem on each of its rows (not on those that only read one).
fn order(
    table: &Table,
    reads: &BTreeMap<String, (usize, Vec<String>)>,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut done: BTreeSet<&String> = BTreeSet::new();
    let mut left: BTreeSet<&String> = reads.keys().collect();
    // Repeatedly take the calculations whose calculated inputs are all done.
    loop {
        let ready: Vec<&String> = left
            .iter()
            .copied()
            .filter(|name| {
                reads[*name]
                    .1
                    .iter()
                    .all(|input| !reads.contains_key(input) || done.contains(input))
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        for name in ready {
            left.remove(name);
            done.insert(name);
            order.push(name.clone());
        }
    }
    // What is left reads a circle; those no calculation left reads are not on one.
    loop {
        let read_by_left: BTreeSet<&String> = left
            .iter()
            .flat_map(|name| reads[*name].1.iter())
            .filter(|input| left.contains(input))
            .collect();
        let outside: Vec<&String> = left
            .iter()
            .copied()
            .filter(|n| !read_by_left.contains(n))
            .collect();
        if outside.is_empty() {
            break;
        }
        for name in outside {
            left.remove(name);
        }
    }
    if !left.is_empty() {
        let circle: Vec<&str> = left.iter().map(|s| s.as_str()).collect();
        for name in &left {
            let (row, _) = reads[*name];
            problems.push(Problem::at(
                table.name,
                row,
                &table.letter("calculation"),
                &table.get(row, "calculation"),
                &format!(
                    "perhitungan saling membaca dalam lingkaran: {}",
                    circle.join(", ")
                ),
                &format!("calculations read each other in a circle: {}", circle.join(", ")),
            ));
        }
    }
    order
}
