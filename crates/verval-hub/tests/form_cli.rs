//! `verval-hub form` (issue #25): `eval`, lines of JSON in, one line of JSON out each — a
//! value, the non-finite numbers as strings, or an error naming what is wrong — in the time
//! zone of the process's `TZ`; `check`, an XLSForm written as a district would, read whole or
//! answered with every problem where it is; `import` and the Formulir page, the form stored
//! once per version, on SQLite and PostgreSQL.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use support::*;
use verval_hub::Config;

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

/// A small good form, `version` on its settings; `label` for its one question.
fn posyandu(path: &std::path::Path, version: &str, label: &str) {
    xlsform(
        path,
        &[
            (
                "survey",
                &[&["type", "name", "label"], &["decimal", "berat", label]],
            ),
            ("settings", &[&["form_id", "version"], &["posyandu", version]]),
        ],
    );
}

both!(a_form_is_imported_once_per_version_by_the_page_and_the_command_line);
async fn a_form_is_imported_once_per_version_by_the_page_and_the_command_line(backend: Backend) {
    const PASSWORD: &str = "kata sandi operator 2026";
    let url = fresh_url(backend).await;
    let db = verval_hub::db::Db::open(&url).await.expect("db");
    let dir = std::env::temp_dir().join(format!("verval-forms-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (first, changed, second) = (dir.join("v1.xlsx"), dir.join("v1b.xlsx"), dir.join("v2.xlsx"));
    posyandu(&first, "1", "Berat badan (kg)");
    posyandu(&changed, "1", "Berat (kg)");
    posyandu(&second, "2", "Berat (kg)");

    // The command line: stored once; the same file again changes nothing; another content
    // under the same version is refused.
    let import = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_verval-hub"))
            .args(["form", "import", "--db", &url])
            .arg(file)
            .output()
            .expect("verval-hub")
    };
    let out = import(&first);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK"));
    let again = import(&first);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("sudah diimpor"));
    let refused = import(&changed);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("raise the version"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(count(&db, "forms").await, 1);

    // The page: an operator imports the next version; problems are a table; a viewer may not.
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let page = web
        .post(format!("{base}/admin/formulir?_t={t}"))
        .multipart(xlsform_part(&second))
        .send()
        .await
        .expect("upload");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("page");
    assert!(
        page.contains(r#"data-testid="form-imported" data-new="true""#),
        "{page}"
    );
    assert!(
        page.contains(r#"data-form="posyandu" data-version="2""#),
        "{page}"
    );
    let bad = dir.join("rusak.xlsx");
    xlsform(
        &bad,
        &[
            (
                "survey",
                &[
                    &["type", "name", "label"],
                    &["range", "skor", "Skor"],
                    &["text", "", "X"],
                ],
            ),
            ("settings", &[&["form_id", "version"], &["rusak", "1"]]),
        ],
    );
    let page = web
        .post(format!("{base}/admin/formulir?_t={t}"))
        .multipart(xlsform_part(&bad))
        .send()
        .await
        .expect("upload")
        .text()
        .await
        .expect("page");
    assert!(
        page.contains(r#"data-testid="form-refused" data-problems="2""#),
        "{page}"
    );
    assert!(page.contains("the type range is not supported"), "{page}");
    assert_eq!(count(&db, "forms").await, 2, "nothing of the refused form stored");
    let (status, json) = get(&web, format!("{base}/admin/formulir/posyandu/2")).await;
    assert_eq!(status, 200);
    let form: verval_core::xlsform::FormDef = serde_json::from_str(&json).expect("definition");
    assert_eq!(form.version, "2");
    let imports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'impor_formulir'")
            .fetch_one(&db.pool)
            .await
            .expect("audit");
    assert_eq!(imports, 2, "each version stored is audited once");

    let (viewer, _) = signed_in(&base, "tkpk", PASSWORD).await;
    let (status, _) = get(&viewer, format!("{base}/admin/formulir")).await;
    assert_eq!(status, 403);
    std::fs::remove_dir_all(&dir).ok();
}
