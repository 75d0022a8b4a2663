//! `form check`: an XLSForm read and checked as an import would (issue #25), every problem
//! named. `form eval`: the core's expression engine (issue #25) on lines of JSON, so that anyone
//! can run another suite against it: `{"expr": "…", "values": {"field": value}}` in, one
//! line out each — the value (a string, number or boolean; NaN and ±Infinity as the strings
//! "NaN", "Infinity", "-Infinity") or `{"error": "…"}`. The time zone is the process's `TZ`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use verval_core::expr::{evaluate, Env, Value};

pub(super) fn run(sub: &str, rest: &[String]) -> Result<bool, String> {
    match (sub, rest) {
        ("eval", []) => eval_lines(std::io::stdin().lock(), std::io::stdout().lock()),
        ("check", [file]) => check(file, None),
        ("check", [file, flag, out]) if flag == "--out" => check(file, Some(out)),
        _ => Err(
            "form needs: eval (lines of JSON on standard input), or check FILE.xlsx [--out FORM.json]"
                .to_owned(),
        ),
    }
}

/// `form import FILE.xlsx`: the form stored under its id and version ([`crate::forms`]).
pub(super) async fn import(args: super::Args) -> Result<bool, String> {
    args.only(&["db"])?;
    let [file] = args.rest.as_slice() else {
        return Err("form import needs one XLSForm file".to_owned());
    };
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let db = super::open(&args).await?;
    match crate::forms::import(&db, bytes, &crate::audit::Actor::cli()).await {
        Ok(imported) => {
            println!(
                "OK {file}: {} versi (version) {}, {} isian (fields){}",
                imported.form_id,
                imported.version,
                imported.fields,
                if imported.new {
                    ""
                } else {
                    "; sudah diimpor, tidak ada yang berubah (imported already, nothing changed)"
                }
            );
            Ok(true)
        }
        Err(crate::forms::FormError::Problems(problems)) => {
            print_problems(file, &problems, "; tidak diimpor (not imported)");
            Ok(false)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `form check`: an XLSForm read as the hub would import it — every problem printed, where
/// it is; or the form's summary, and its definition written to `out`.
fn check(file: &str, out: Option<&String>) -> Result<bool, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    match verval_core::xlsform::from_xlsx(&bytes) {
        Err(problems) => {
            print_problems(file, &problems, "");
            Ok(false)
        }
        Ok(form) => {
            println!(
                "OK {file}: {} versi (version) {}, {} isian (fields), {} daftar pilihan (choice lists)",
                form.id,
                form.version,
                form.field_count(),
                form.choices.len()
            );
            if let Some(out) = out {
                let json = serde_json::to_vec_pretty(&form).map_err(|e| e.to_string())?;
                std::fs::write(out, json).map_err(|e| format!("{out}: {e}"))?;
            }
            Ok(true)
        }
    }
}

/// One input line.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    expr: String,
    #[serde(default)]
    values: BTreeMap<String, serde_json::Value>,
}

fn eval_lines(input: impl BufRead, mut out: impl Write) -> Result<bool, String> {
    let mut all_ok = true;
    for line in input.lines() {
        let line = line.map_err(|e| format!("standard input: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Line>(&line) {
            Err(e) => error(&format!("the line is not {{\"expr\", \"values\"}}: {e}")),
            Ok(line) => {
                let env = Values::of(&line.values);
                match evaluate(&line.expr, &env) {
                    Ok(value) => answer(&value, env.offset),
                    Err(e) => error(&e.to_string()),
                }
            }
        };
        all_ok &= answer.get("error").is_none();
        writeln!(out, "{answer}").map_err(|e| format!("standard output: {e}"))?;
    }
    Ok(all_ok)
}

fn error(why: &str) -> serde_json::Value {
    serde_json::json!({ "error": why })
}

fn answer(value: &Value, offset: i32) -> serde_json::Value {
    match value {
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Num(n) if n.is_finite() => serde_json::json!(n),
        Value::Num(n) => serde_json::Value::String(verval_core::expr::number_text(*n)),
        other => serde_json::Value::String(other.string(offset)),
    }
}

/// The fields a line gives: a string, number or boolean each, or a list of them (a field's
/// instances in a repeat).
struct Values {
    fields: BTreeMap<String, Value>,
    offset: i32,
    now_ms: i64,
}

impl Values {
    fn of(given: &BTreeMap<String, serde_json::Value>) -> Values {
        let one = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        let fields = given
            .iter()
            .map(|(name, v)| {
                let value = match v {
                    serde_json::Value::Array(items) => Value::Nodes(items.iter().map(one).collect()),
                    serde_json::Value::Bool(b) => Value::Bool(*b),
                    serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
                    other => Value::Str(one(other)),
                };
                (name.clone(), value)
            })
            .collect();
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Values {
            fields,
            offset: local_offset_minutes(now_ms),
            now_ms,
        }
    }
}

impl Env for Values {
    fn field(&self, name: &str) -> Option<Value> {
        self.fields.get(name).cloned()
    }
    fn current(&self) -> Value {
        self.fields.get(".").cloned().unwrap_or(Value::Str(String::new()))
    }
    fn now_ms(&self) -> i64 {
        self.now_ms
    }
    fn utc_offset_minutes(&self) -> i32 {
        self.offset
    }
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        crate::forms::regex_match(text, pattern)
    }
}

/// The process's time zone (`TZ`) offset from UTC at `now_ms`, as the C library reads it.
fn local_offset_minutes(now_ms: i64) -> i32 {
    let seconds = (now_ms / 1000) as libc::time_t;
    // SAFETY: `localtime_r` writes the whole `tm` it is given and reads `seconds` only.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::localtime_r(&seconds, &mut tm) };
    if done.is_null() {
        return 0;
    }
    (tm.tm_gmtoff / 60) as i32
}

/// Every problem of an XLSForm, one a line under the file's count of them.
fn print_problems(file: &str, problems: &[verval_core::xlsform::Problem], after: &str) {
    println!("{file}: {} masalah (problems){after}", problems.len());
    for problem in problems {
        println!("  {problem}");
    }
}
