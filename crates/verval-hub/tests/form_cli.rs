//! `verval-hub form` (issue #25): `eval`, lines of JSON in, one line of JSON out each — a
//! value, the non-finite numbers as strings, or an error naming what is wrong — in the time
//! zone of the process's `TZ`; `check`, an XLSForm written as a district would, read whole or
//! answered with every problem where it is.

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

/// An XLSForm written as a district would, with `rust_xlsxwriter`: `rows` per sheet.
fn xlsform(path: &std::path::Path, sheets: &[(&str, &[&[&str]])]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).expect("cell");
                }
            }
        }
    }
    book.save(path).expect("save");
}

fn check(args: &[&std::ffi::OsStr]) -> (String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_verval-hub"))
        .args(["form", "check"])
        .args(args)
        .output()
        .expect("verval-hub");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    )
}

#[test]
fn an_xlsform_is_checked_whole_and_its_definition_written() {
    let dir = std::env::temp_dir().join(format!("verval-form-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let settings: &[&[&str]] = &[
        &["form_title", "form_id", "version"],
        &["Posyandu", "posyandu", "1"],
    ];
    let good = dir.join("posyandu.xlsx");
    xlsform(
        &good,
        &[
            (
                "survey",
                &[
                    &[
                        "type",
                        "name",
                        "label::Indonesian (id)",
                        "label::English (en)",
                        "constraint",
                    ],
                    &[
                        "date",
                        "tanggal",
                        "Tanggal kunjungan",
                        "Visit date",
                        ". <= today()",
                    ],
                    &[
                        "decimal",
                        "berat",
                        "Berat badan (kg)",
                        "Weight (kg)",
                        ". > 0 and . < 40",
                    ],
                    &[
                        "select_one ya_tidak",
                        "imunisasi",
                        "Imunisasi lengkap?",
                        "Fully immunised?",
                        "",
                    ],
                ],
            ),
            (
                "choices",
                &[
                    &["list_name", "name", "label"],
                    &["ya_tidak", "1", "Ya"],
                    &["ya_tidak", "2", "Tidak"],
                ],
            ),
            ("settings", settings),
        ],
    );
    let json = dir.join("posyandu.json");
    let (said, ok) = check(&[good.as_os_str(), "--out".as_ref(), json.as_os_str()]);
    assert!(ok, "{said}");
    assert!(
        said.contains("posyandu versi (version) 1, 3 isian (fields), 1 daftar pilihan"),
        "{said}"
    );
    let form: verval_core::xlsform::FormDef =
        serde_json::from_slice(&std::fs::read(&json).expect("json")).expect("a definition");
    assert_eq!(form.choices["ya_tidak"].len(), 2);

    // Two mistakes, both named with where they are; nothing written.
    let bad = dir.join("rusak.xlsx");
    xlsform(
        &bad,
        &[
            (
                "survey",
                &[
                    &["type", "name", "label"],
                    &["integer", "umur", "Umur"],
                    &["range", "skor", "Skor"],
                    &["note", "umur", "Catatan"],
                ],
            ),
            ("settings", settings),
        ],
    );
    let (said, ok) = check(&[bad.as_os_str()]);
    assert!(!ok);
    assert!(said.contains("2 masalah (problems)"), "{said}");
    assert!(said.contains("survey baris (row) 3 kolom (column) A"), "{said}");
    assert!(said.contains("the type range is not supported"), "{said}");
    assert!(said.contains("survey baris (row) 4 kolom (column) B"), "{said}");
    assert!(said.contains("used already in row 2"), "{said}");
    // Not a spreadsheet at all.
    let text = dir.join("bukan.xlsx");
    std::fs::write(&text, "bukan spreadsheet").expect("write");
    let (said, ok) = check(&[text.as_os_str()]);
    assert!(!ok);
    assert!(said.contains("XLSX"), "{said}");
    std::fs::remove_dir_all(&dir).ok();
}
