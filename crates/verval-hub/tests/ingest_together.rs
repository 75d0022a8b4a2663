//! New households stored together (issue #26: versions, current rows, keys and pairs of a
//! batch's new households each in multi-row statements) leave exactly what storing every
//! record one by one leaves: the same receipts, and the same rows in every table ingest
//! writes, on SQLite and on PostgreSQL. The story mixes new households with next versions,
//! repeats, a conflict and duplicates of every kind, within a batch and across batches.

mod support;

use std::sync::atomic::Ordering;
use support::*;
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::prelist::Prelist;
use verval_hub::audit::Actor;
use verval_hub::db::Db;
use verval_hub::ingest::{ingest, limits, Source, ONE_BY_ONE};

const PRELIST: &str = "DAFTAR KELUARGA P3KE;;;;;\n\
     ID_keluarga_P3KE;kode_kemdagri;alamat;nomor_KK;NIK;nama\n\
     P-A1;3513142001;Krajan 1;3513141203150007;3513140101800001;SLAMET\n";

const K1: &str = "3513140000000001";
const K3: &str = "3513140000000003";
const SLAMET: (&str, &str) = ("SLAMET", "1980-01-01");

/// The batches of the story, made once: both databases take the very same files.
fn story(list: &Prelist) -> Vec<(Vec<u8>, &'static str)> {
    let p = &list.families[0];
    let h = |seed, kk: &str, head, niks| household(seed, VILLAGE, kk, head, niks);
    let h1 = h(1, K1, SLAMET, ["3513140101800001", "3513144101850002"]);
    // Shares h1's card; h3 shares a member's NIK with h1; h5 h1's head and birth date.
    let h2 = h(
        2,
        K1,
        ("SITI", "1985-05-05"),
        ["3513140202800003", "3513144202850004"],
    );
    let h3 = h(
        3,
        K3,
        ("BUDI", "1970-07-07"),
        ["3513140303700005", "3513140101800001"],
    );
    let h4 = visiting(
        h(
            4,
            "3513140000000004",
            ("WATI", "1990-09-09"),
            ["3513140404900007", ""],
        ),
        p,
    );
    let h5 = h(5, "3513140000000005", SLAMET, ["3513140505800009", ""]);
    let h6 = h(
        6,
        "3513140000000006",
        ("ANI", "1991-01-01"),
        ["3513140606910011", ""],
    );
    // Another phone: the prelist family visited again, h1's card once more, h6 edited there
    // (a conflict) onto h3's card.
    let h7 = visiting(
        h(
            7,
            "3513140000000007",
            ("JOKO", "1960-06-06"),
            ["3513140707600013", ""],
        ),
        p,
    );
    let h8 = h(8, K1, ("TONO", "1975-05-05"), ["3513140808750015", ""]);
    let h6_there = corrected(&h6, NOMOR_KK, K3);
    // The first phone again: h2 as it was, h1's next version, a new family sharing h3's NIK.
    let h1_next = corrected(&h1, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI");
    let h9 = h(
        9,
        "3513140000000009",
        ("RINI", "1995-03-03"),
        ["3513140303700005", ""],
    );
    // And thirty new families on h3's card, more than one statement's rows.
    let mut last = vec![h2.clone(), h9, h1_next];
    for n in 0..30 {
        let nik = format!("35131477{n:08}");
        last.push(household(
            100 + n,
            VILLAGE,
            K3,
            ("WARGA", "1980-01-01"),
            [&nik, ""],
        ));
    }
    let first = batch(&[h1, h2, h3, h4, h5, h6], "hp-a").bytes;
    vec![
        (first.clone(), "hp-a"),
        (batch(&[h7, h8, h6_there], "hp-b").bytes, "hp-b"),
        (first, "hp-a"),
        (batch(&last, "hp-a").bytes, "hp-a"),
    ]
}

/// Every receipt line and every row ingest wrote, as text, times of day left out.
async fn stored(db: &Db, files: &[(Vec<u8>, &str)]) -> Vec<String> {
    let mut seen = Vec::new();
    for (file, _) in files {
        let taken = ingest(
            db,
            "Hub",
            file,
            &limits(32 << 20),
            &Source::File,
            &Actor::cli(),
            &[],
        )
        .await
        .expect("the batch is stored");
        for r in &taken.receipt.records {
            seen.push(format!(
                "receipt {} {} {} {:?}",
                r.id, r.revision, r.sha256, r.outcome
            ));
        }
    }
    for (table, columns) in [
        (
            "record_versions",
            "record_id, revision, sha256, batch_id, device_id, body, origin",
        ),
        (
            "records",
            "record_id, revision, sha256, kode_desa, enumerator, nama_kepala_keluarga, nomor_kk, \
             status_verifikasi, conflict, review, review_note, enumerator_id, prelist_id, lat_e6, \
             lon_e6, accuracy_m, location_asked, house_photo, started_at, finalized_at, origin, \
             derived, reviewed_revision",
        ),
        ("record_keys", "record_id, kind, key"),
        (
            "duplicate_pairs",
            "first_id, second_id, kinds, decision, member_status, kept_id, dropped_id, note",
        ),
        ("batches", "batch_id, sha256, record_count, receipt"),
    ] {
        let texts: Vec<String> = columns
            .split(", ")
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY {columns}",
            texts.join(" || '|' || ")
        );
        let rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&db.pool).await.expect(table);
        seen.extend(rows.into_iter().map(|row| format!("{table} {row}")));
    }
    seen
}

/// The receipts name when they were made: the same text but for `received_at`.
fn without_times(lines: Vec<String>) -> Vec<String> {
    let time = r#""received_at":"#;
    lines
        .into_iter()
        .map(|line| match line.find(time) {
            Some(at) => {
                let end = line[at..].find([',', '}']).map_or(line.len(), |e| at + e);
                format!("{}{}", &line[..at], &line[end..])
            }
            None => line,
        })
        .collect()
}

async fn both_ways(backend: Backend) {
    let (_, one_by_one, list) = prelisted(backend, PRELIST).await;
    let (_, together, _) = prelisted(backend, PRELIST).await;
    let files = story(&list);
    ONE_BY_ONE.store(true, Ordering::Relaxed);
    let expected = without_times(stored(&one_by_one, &files).await);
    ONE_BY_ONE.store(false, Ordering::Relaxed);
    let found = without_times(stored(&together, &files).await);
    // The story is worth comparing: it stored pairs, kept a conflict and refused nothing.
    let count = |kind: &str| expected.iter().filter(|l| l.starts_with(kind)).count();
    assert_eq!(count("receipt"), 6 + 3 + 6 + 33);
    assert!(count("duplicate_pairs") >= 6, "{expected:#?}");
    assert!(expected.iter().any(|l| l.ends_with("Conflict")), "{expected:#?}");
    assert!(expected
        .iter()
        .any(|l| l.contains("prelist") && l.starts_with("record_keys")));
    for (i, (want, got)) in expected.iter().zip(&found).enumerate() {
        assert_eq!(want, got, "line {i} differs ({backend:?})");
    }
    assert_eq!(expected.len(), found.len(), "{backend:?}");
}

/// A placeholder card typed in a whole village (more households than one lookup returns)
/// crowds no other key out: a new household sharing a real card with one stored family still
/// finds it, and each new household is paired with at most 200 of the placeholder's.
async fn a_busy_key_hides_no_other(backend: Backend) {
    let db = fresh_db(backend).await;
    const PLACEHOLDER: &str = "3513140000000000";
    let crowd: Vec<_> = (0..820)
        .map(|n| {
            household(
                1_000 + n,
                VILLAGE,
                PLACEHOLDER,
                ("WARGA", "1980-01-01"),
                [&format!("35131400{n:08}"), ""],
            )
        })
        .collect();
    for part in crowd.chunks(205) {
        file_import(&db, part, "hp-a").await;
    }
    let real = household(
        5_000,
        VILLAGE,
        K1,
        ("SLAMET", "1980-01-01"),
        ["3513149999000001", ""],
    );
    file_import(&db, std::slice::from_ref(&real), "hp-a").await;
    let copy = household(
        5_001,
        VILLAGE,
        K1,
        ("SUMARNI", "1982-02-02"),
        ["3513149999000002", ""],
    );
    let busy: Vec<_> = (0..3)
        .map(|n| {
            household(
                6_000 + n,
                VILLAGE,
                PLACEHOLDER,
                ("BARU", "1999-01-01"),
                [&format!("3513148888{n:06}"), ""],
            )
        })
        .collect();
    let mut batch = busy.clone();
    batch.push(copy.clone());
    file_import(&db, &batch, "hp-b").await;
    let pair: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM duplicate_pairs WHERE (first_id = $1 AND second_id = $2) OR (first_id = $2 AND second_id = $1)",
    )
    .bind(real.id.to_string())
    .bind(copy.id.to_string())
    .fetch_one(&db.pool)
    .await
    .expect("pair");
    assert_eq!(pair, 1, "{backend:?}: the real card's pair was found");
    for new in &busy {
        let pairs: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM duplicate_pairs WHERE first_id = $1 OR second_id = $1")
                .bind(new.id.to_string())
                .fetch_one(&db.pool)
                .await
                .expect("pairs");
        assert!((200..=203).contains(&pairs), "{backend:?}: {pairs} pairs");
    }
}

// One test, both stores in turn: the one-by-one switch is the process's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_households_stored_together_leave_what_one_by_one_leaves() {
    both_ways(Backend::Sqlite).await;
    both_ways(Backend::Postgres).await;
    a_busy_key_hides_no_other(Backend::Sqlite).await;
    a_busy_key_hides_no_other(Backend::Postgres).await;
}

/// `verval-hub import` checks the next file while it stores the one before (issue #26): the
/// files are still stored, reported and answered in the order given, a bad one among them
/// refused on its own. Were the later revision stored first, the first file's receipt would
/// say "older".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_import_stores_the_files_in_their_order() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let url = fresh_url(backend).await;
        let dir =
            std::env::temp_dir().join(format!("verval-import-order-{}-{backend:?}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let first = family(41, VILLAGE);
        let second = corrected(&first, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI");
        let files = [
            (
                "1-first.zip",
                batch(&[first.clone(), family(42, VILLAGE)], "phone-1").bytes,
            ),
            ("2-broken.zip", b"not a zip at all".to_vec()),
            (
                "3-second.zip",
                batch(std::slice::from_ref(&second), "phone-1").bytes,
            ),
            (
                "4-first-again.zip",
                batch(std::slice::from_ref(&first), "phone-1").bytes,
            ),
        ];
        let paths: Vec<std::path::PathBuf> = files
            .iter()
            .map(|(name, bytes)| {
                let path = dir.join(name);
                std::fs::write(&path, bytes).expect("write");
                path
            })
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_verval-hub"))
            .args(["import", "--db", &url])
            .args(&paths)
            .output()
            .expect("run import");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // Refusing one file makes the import fail, after every file was tried.
        assert!(!out.status.success(), "{backend:?}: {stdout}");
        let lines: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("OK ") || l.starts_with("REFUSED "))
            .collect();
        assert_eq!(lines.len(), 4, "{backend:?}: {stdout}");
        for (line, (name, _)) in lines.iter().zip(&files) {
            assert!(
                line.contains(name),
                "{backend:?}: {line} out of order in\n{stdout}"
            );
        }
        assert!(
            lines[1].starts_with("REFUSED ") && lines[1].contains("zip"),
            "{stdout}"
        );
        let outcome_of = |name: &str| {
            let line = lines.iter().find(|l| l.contains(name)).expect("line");
            let receipt = line.rsplit("receipt ").next().expect("receipt path");
            let receipt =
                verval_core::sync::parse_receipt(&std::fs::read(receipt).expect("receipt")).expect("parse");
            let id = first.id.to_string();
            receipt
                .records
                .iter()
                .find(|r| r.id == id)
                .map(|r| (r.revision, r.outcome))
        };
        use verval_core::sync::Outcome;
        assert_eq!(outcome_of("1-first"), Some((first.revision, Outcome::Stored)));
        assert_eq!(outcome_of("3-second"), Some((second.revision, Outcome::Stored)));
        assert_eq!(
            outcome_of("4-first-again"),
            Some((first.revision, Outcome::AlreadyStored))
        );
        let db = Db::open(&url).await.expect("db");
        assert_eq!(count(&db, "records").await, 2, "{backend:?}");
        assert_eq!(count(&db, "batches").await, 3, "{backend:?}");
    }
}
