//! `verval-hub form eval` (issue #25): lines of JSON in, one line of JSON out each — a value,
//! the non-finite numbers as strings, or an error naming what is wrong — in the time zone of
//! the process's `TZ`.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `form eval` with `TZ` on `lines`; its lines out and whether it exited 0.
fn eval(tz: &str, lines: &[&str]) -> (Vec<serde_json::Value>, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verval-hub"))
        .args(["form", "eval"])
        .env("TZ", tz)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("verval-hub");
    let mut input = child.stdin.take().expect("stdin");
    for line in lines {
        writeln!(input, "{line}").expect("write");
    }
    drop(input);
    let out = child.wait_with_output().expect("output");
    let answers = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (answers, out.status.success())
}

#[test]
fn each_line_is_answered_with_its_value_or_what_is_wrong() {
    let (answers, ok) = eval(
        // POSIX zones, read without a time zone database: WIB is UTC+7.
        "WIB-7",
        &[
            r#"{"expr": "${umur} + 1", "values": {"umur": "41"}}"#,
            r#"{"expr": "concat(${nama}, '!')", "values": {"nama": "Siti"}}"#,
            r#"{"expr": "selected(${bantuan}, 'pkh')", "values": {"bantuan": "pkh bpnt"}}"#,
            r#"{"expr": "sum(${r})", "values": {"r": [1, "2", 3.5]}}"#,
            r#"{"expr": "1 div 0"}"#,
            r#"{"expr": "-1 div 0"}"#,
            r#"{"expr": "0 div 0"}"#,
            r#"{"expr": "regex('3513140101700001', '^[0-9]{16}$')"}"#,
            r#"{"expr": "decimal-time('06:00:00.000+07:00')"}"#,
            r#"{"expr": "nope()"}"#,
            r#"{"expr": "${tidak_ada}"}"#,
            r#"{"expr": "1 +"}"#,
            "not json",
        ],
    );
    assert!(!ok, "a line in error makes the exit status non-zero");
    let want = [
        serde_json::json!(42.0),
        serde_json::json!("Siti!"),
        serde_json::json!(true),
        serde_json::json!(6.5),
        serde_json::json!("Infinity"),
        serde_json::json!("-Infinity"),
        serde_json::json!("NaN"),
        serde_json::json!(true),
        serde_json::json!(0.25),
    ];
    assert_eq!(answers[..want.len()], want);
    let errors: Vec<&str> = answers[want.len()..]
        .iter()
        .map(|a| a["error"].as_str().expect("an error"))
        .collect();
    assert_eq!(errors.len(), 4);
    assert!(errors[0].contains("nope()"), "{}", errors[0]);
    assert!(errors[1].contains("tidak_ada"), "{}", errors[1]);
    assert!(errors[2].contains("ends too soon"), "{}", errors[2]);
    assert!(errors[3].contains("expr"), "{}", errors[3]);

    // The same clock in WITA (UTC+8): six o'clock WIB is seven.
    let (wita, ok) = eval("WITA-8", &[r#"{"expr": "decimal-time('06:00:00.000+07:00')"}"#]);
    assert!(ok);
    assert_eq!(wita, [serde_json::json!(7.0 / 24.0)]);
}
