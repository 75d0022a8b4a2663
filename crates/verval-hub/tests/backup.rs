//! Backup and restore (issue #18, item 5): everything back up, restored into a fresh
//! database of either kind, holds the same rows and raw batches byte for byte; a phone's
//! old batch still gets its old receipt, its token still works; a restore refuses a database
//! that is not empty and a damaged file, and writes nothing then.

mod support;

use std::io::{Cursor, Read};
use support::*;
use verval_hub::backup::{backup, restore, BackupError};
use verval_hub::db::Db;
use verval_hub::ingest::{ingest, limits, Source};
use verval_hub::Config;

/// Every entry of a backup but its manifest (which carries the time it was made).
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("name").into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("content");
        if name != "manifest.json" {
            out.push((name, content));
        }
    }
    out.sort();
    out
}

async fn backed_up(db: &Db) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    backup(db, &mut out).await.expect("backup");
    out.into_inner()
}

async fn a_backup_restores_whole_into_either_database(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let first = batch(&[family(1, VILLAGE), family(2, VILLAGE)], "device-a");
    let receipt = upload(addr, Some(&device.token), first.bytes.clone()).await;
    assert_eq!(receipt.status(), 200);
    let receipt = receipt.bytes().await.expect("receipt");
    let by_hand = batch(&[family(3, VILLAGE)], "laptop");
    ingest(
        &db,
        "Hub",
        &by_hand.bytes,
        &limits(32 << 20),
        &Source::File,
        &verval_hub::audit::Actor::cli(),
        &[],
    )
    .await
    .expect("a file");
    let prelist = verval_hub::prelist::read_file(
        "daftar.csv",
        b"ID_keluarga_P3KE;kode_kemdagri;nomor_KK;NIK;nama\nP-1;3513142001;3513141203150007;3513140101800001;SLAMET\n",
    )
    .expect("a prelist");
    verval_hub::prelist::import(&db, "daftar.csv", &prelist, &verval_hub::audit::Actor::cli())
        .await
        .expect("import");
    sqlx::query("UPDATE records SET review = 'perlu_perbaikan', review_note = 'NIK ''3''?'")
        .execute(&db.pool)
        .await
        .expect("a review");
    let original = backed_up(&db).await;
    assert!(entries(&original)
        .iter()
        .any(|(name, bytes)| name.starts_with("batches/") && *bytes == first.bytes));

    let mut targets = vec![Backend::Sqlite];
    if backend == Backend::Postgres {
        targets.push(Backend::Postgres);
    }
    for target in targets {
        let fresh = fresh_db(target).await;
        let summary = restore(&fresh, Cursor::new(original.clone()))
            .await
            .expect("restore");
        assert!(
            summary.rows.contains(&("record_versions".to_owned(), 3)),
            "{summary:?}"
        );
        assert_eq!(
            entries(&backed_up(&fresh).await),
            entries(&original),
            "{backend:?} → {target:?}"
        );

        let restored = start_hub(fresh.clone(), Config::default()).await;
        let again = upload(restored, Some(&device.token), first.bytes.clone()).await;
        assert_eq!(again.status(), 200, "the phone's token still works");
        assert_eq!(
            again.bytes().await.expect("receipt"),
            receipt,
            "the same receipt as then"
        );
        let next = batch(&[family(4, VILLAGE)], "device-a");
        assert_eq!(
            upload(restored, Some(&device.token), next.bytes).await.status(),
            200
        );
    }
}
both!(a_backup_restores_whole_into_either_database);

async fn a_restore_refuses_what_it_cannot_take_whole(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    assert_eq!(
        upload(
            addr,
            Some(&device.token),
            batch(&[family(1, VILLAGE)], "device-a").bytes
        )
        .await
        .status(),
        200
    );
    let good = backed_up(&db).await;
    // Into a database that holds data already.
    assert!(matches!(
        restore(&db, Cursor::new(good.clone())).await,
        Err(BackupError::NotEmpty(_))
    ));
    assert_eq!(count(&db, "record_versions").await, 1);
    // A damaged file, and a backup with a row dropped: nothing written.
    let fresh = fresh_db(backend).await;
    let cut = good[..good.len() / 2].to_vec();
    assert!(matches!(
        restore(&fresh, Cursor::new(cut)).await,
        Err(BackupError::NotABackup(_))
    ));
    let dropped = support::zips::rewrite(&good, "records.jsonl", |_| String::new());
    let e = restore(&fresh, Cursor::new(dropped))
        .await
        .expect_err("a row missing");
    assert!(e.to_string().contains("records.jsonl holds 0 rows"), "{e}");
    for table in ["enumerators", "devices", "batches", "record_versions", "records"] {
        assert_eq!(count(&fresh, table).await, 0, "{table}");
    }
}
both!(a_restore_refuses_what_it_cannot_take_whole);

#[tokio::test]
async fn every_column_of_the_schema_is_backed_up() {
    let db = fresh_db(Backend::Sqlite).await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await
    .expect("tables");
    let kept = verval_hub::backup::kept();
    for table in tables {
        if verval_hub::backup::not_kept().contains(&table.as_str()) {
            continue;
        }
        let columns: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .fetch_all(&db.pool)
        .await
        .expect("columns");
        let listed = kept
            .iter()
            .find(|(name, _)| *name == table)
            .unwrap_or_else(|| panic!("table {table} is not in backups"));
        let mut want = listed.1.clone();
        want.sort_unstable();
        let mut have: Vec<&str> = columns.iter().map(String::as_str).collect();
        have.sort_unstable();
        assert_eq!(have, want, "{table}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_commands_back_up_to_a_private_file_and_restore_into_a_new_one() {
    use std::os::unix::fs::PermissionsExt;
    let url = fresh_url(Backend::Sqlite).await;
    let db = Db::open(&url).await.expect("open");
    verval_hub::enrol::add_enumerator(
        &db,
        "Siti",
        &[VILLAGE.to_owned()],
        &verval_hub::audit::Actor::cli(),
    )
    .await
    .expect("add");
    let dir = std::env::temp_dir().join(format!("verval-backup-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("cadangan.zip").display().to_string();
    let _ = std::fs::remove_file(&out);
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        async move { verval_hub::cli::run(&args).await }
    };
    assert_eq!(run(&["backup", "--out", &out, "--db", &url]).await, Ok(true));
    let mode = std::fs::metadata(&out).expect("the backup").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "it holds NIKs");
    // Never over an older backup.
    assert!(run(&["backup", "--out", &out, "--db", &url]).await.is_err());
    let target = dir.join("pulih.sqlite").display().to_string();
    let _ = std::fs::remove_file(&target);
    assert_eq!(run(&["restore", &out, "--db", &target]).await, Ok(true));
    let restored = Db::open(&target).await.expect("restored");
    assert_eq!(count(&restored, "enumerators").await, 1);
    assert!(
        run(&["restore", &out, "--db", &target]).await.is_err(),
        "not into a database with data"
    );
}
