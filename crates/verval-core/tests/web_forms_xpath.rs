//! The expression engine (`verval_core::expr`) against getodk/web-forms' XPath tests
//! (Apache-2.0; the cases, their licence and origin in `tests/web-forms-xpath/`): every
//! case passes except those listed in `expected-failures.txt`, and every case listed there
//! still fails — so the list stays true as the engine grows. The run prints the pass count.
//!
//! The upstream suite runs in America/Phoenix (UTC−7, no daylight saving), as here.

use std::collections::BTreeSet;
use verval_core::expr::{evaluate, number_text, Env, Value};

const CASES: &str = include_str!("web-forms-xpath/cases.jsonl");
const EXPECTED_FAILURES: &str = include_str!("web-forms-xpath/expected-failures.txt");

/// No document and no fields: the cases taken need none.
struct NoForm;

impl Env for NoForm {
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn now_ms(&self) -> i64 {
        // 2026-12-06T02:30:00Z
        1_796_524_200_000
    }
    fn utc_offset_minutes(&self) -> i32 {
        -420
    }
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        regex::Regex::new(pattern)
            .map(|r| r.is_match(text))
            .map_err(|e| e.to_string())
    }
}

#[derive(serde::Deserialize)]
struct Case {
    file: String,
    line: u32,
    kind: String,
    expr: String,
    expected: serde_json::Value,
}

impl Case {
    /// How the failure list names the case.
    fn key(&self) -> String {
        format!("{}:{} {}", self.file, self.line, self.expr.replace('\n', "\\n"))
    }
}

/// What the case gave, as its kind reads it, or why it did not evaluate.
fn outcome(case: &Case) -> Result<bool, String> {
    let value = evaluate(&case.expr, &NoForm).map_err(|e| e.to_string())?;
    let offset = NoForm.utc_offset_minutes();
    match case.kind.as_str() {
        "string" => {
            let got = value.string(offset);
            (case.expected.as_str() == Some(got.as_str()))
                .then_some(true)
                .ok_or_else(|| format!("{got:?}"))
        }
        "boolean" => {
            let got = value.boolean();
            (case.expected.as_bool() == Some(got))
                .then_some(true)
                .ok_or_else(|| got.to_string())
        }
        "number" => {
            let got = value.number();
            let want = match &case.expected {
                serde_json::Value::String(s) => match s.as_str() {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    other => return Err(format!("the case's expected value {other:?} is not a number")),
                },
                other => other
                    .as_f64()
                    .ok_or("the case's expected value is not a number")?,
            };
            let same = (got.is_nan() && want.is_nan())
                || (got == want && got.is_sign_negative() == want.is_sign_negative());
            same.then_some(true).ok_or_else(|| number_text(got))
        }
        other => Err(format!("unknown kind {other:?}")),
    }
}

#[test]
fn the_web_forms_expression_cases_pass_but_the_listed_ones() {
    let expected: BTreeSet<&str> = EXPECTED_FAILURES
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut failed = BTreeSet::new();
    let mut surprises = Vec::new();
    let mut total = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: Case = serde_json::from_str(line).expect("a case");
        total += 1;
        let key = case.key();
        match outcome(&case) {
            Ok(_) => {
                if expected.contains(key.as_str()) {
                    surprises.push(format!("passes now, take it off the list: {key}"));
                }
            }
            Err(got) => {
                if !expected.contains(key.as_str()) {
                    surprises.push(format!("{key}\n    got {got}, expected {}", case.expected));
                }
                failed.insert(key);
            }
        }
    }
    let stale: Vec<&&str> = expected.iter().filter(|k| !failed.contains(**k)).collect();
    println!(
        "web-forms expression cases: {} of {total} pass, {} expected failures",
        total - failed.len(),
        failed.len()
    );
    assert!(total > 900, "the cases file is whole ({total})");
    assert!(
        surprises.is_empty(),
        "{} surprises:\n{}",
        surprises.len(),
        surprises.join("\n")
    );
    assert!(stale.is_empty() || surprises.is_empty(), "{stale:?}");
}
