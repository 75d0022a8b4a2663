//! The XLSForm importer (`verval_core::xlsform`) against cases copied from pyxform's test
//! suite (BSD-2-Clause; the cases, their licence and origin in `tests/pyxform-cases/`): each
//! case is accepted, or refused with exactly the problems it expects (sheet, row and words
//! of the message). Expectations follow Verval's scope (docs/forms.md).

use verval_core::prelist::{Cell, Sheet};
use verval_core::xlsform::from_sheets;

const CASES: &str = include_str!("pyxform-cases/cases.md");

struct Case {
    id: String,
    origin: String,
    /// `None`: accepted; else each expected problem as `(sheet, row, words)`.
    refusals: Option<Vec<(String, usize, String)>>,
    sheets: Vec<(String, Sheet)>,
}

/// A case's table, as pyxform writes forms in its tests: a line whose first cell names a
/// sheet starts it; the lines after it with an empty first cell are its rows.
fn sheets(table: &[&str]) -> Vec<(String, Sheet)> {
    let mut out: Vec<(String, Sheet)> = Vec::new();
    for line in table {
        let line = line.trim();
        let Some(inner) = line.strip_prefix('|') else {
            continue;
        };
        let cells: Vec<&str> = inner.trim_end_matches('|').split('|').map(str::trim).collect();
        let (first, rest) = cells.split_first().expect("a cell");
        if !first.is_empty() {
            out.push((first.to_string(), Sheet::default()));
            continue;
        }
        let row = rest
            .iter()
            .map(|c| match c.is_empty() {
                true => Cell::Empty,
                false => Cell::Text(c.to_string()),
            })
            .collect();
        out.last_mut().expect("a sheet first").1.rows.push(row);
    }
    out
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for block in CASES.split("\n## ").skip(1) {
        let lines: Vec<&str> = block.lines().collect();
        let id = lines[0].trim().to_owned();
        let field = |name: &str| {
            lines
                .iter()
                .filter_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .collect::<Vec<_>>()
        };
        let origin = field("origin:").join(" ");
        let expects = field("expect:");
        let refusals = match expects.as_slice() {
            [one] if one == "accept" => None,
            many => Some(
                many.iter()
                    .map(|e| {
                        let rest = e.strip_prefix("refuse ").unwrap_or_else(|| panic!("{id}: {e}"));
                        let mut parts = rest.splitn(3, ' ');
                        let sheet = parts.next().expect("sheet").to_owned();
                        let row = parts
                            .next()
                            .and_then(|r| r.parse().ok())
                            .unwrap_or_else(|| panic!("{id}: {e}"));
                        (sheet, row, parts.next().unwrap_or_default().to_owned())
                    })
                    .collect(),
            ),
        };
        let table: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.trim_start().starts_with('|'))
            .collect();
        out.push(Case {
            id,
            origin,
            refusals,
            sheets: sheets(&table),
        });
    }
    out
}

#[test]
fn pyxforms_cases_are_accepted_or_refused_as_verval_expects() {
    let cases = cases();
    assert!(cases.len() >= 50, "at least 50 cases ({})", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = from_sheets(&case.sheets);
        let said = |problems: &[verval_core::xlsform::Problem]| {
            problems
                .iter()
                .map(|p| format!("    {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match (&case.refusals, outcome) {
            (None, Ok(_)) => {}
            (None, Err(problems)) => failures.push(format!(
                "{} ({}): refused, expected accepted:\n{}",
                case.id,
                case.origin,
                said(&problems)
            )),
            (Some(_), Ok(_)) => failures.push(format!(
                "{} ({}): accepted, expected refused",
                case.id, case.origin
            )),
            (Some(expected), Err(problems)) => {
                let missing: Vec<String> = expected
                    .iter()
                    .filter(|(sheet, row, words)| {
                        !problems.iter().any(|p| {
                            p.sheet.eq_ignore_ascii_case(sheet)
                                && p.row == *row
                                && p.to_string().to_lowercase().contains(&words.to_lowercase())
                        })
                    })
                    .map(|(s, r, w)| format!("{s} {r} {w}"))
                    .collect();
                if !missing.is_empty() || problems.len() != expected.len() {
                    failures.push(format!(
                        "{} ({}): expected {:?}, missing {missing:?}; got:\n{}",
                        case.id,
                        case.origin,
                        expected,
                        said(&problems)
                    ));
                }
            }
        }
    }
    println!(
        "pyxform cases: {} of {}",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
