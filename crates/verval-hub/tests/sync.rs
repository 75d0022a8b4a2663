//! The sync API against a real hub and database (SQLite and PostgreSQL): idempotent by batch,
//! record id and revision; newer revisions supersede; two devices' versions are both kept
//! and flagged.

mod support;

use support::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::sync::{parse_receipt, Outcome};
use verval_hub::Config;

async fn outcomes(response: reqwest::Response) -> Vec<Outcome> {
    assert_eq!(response.status(), 200);
    let receipt = parse_receipt(&response.bytes().await.expect("body")).expect("receipt");
    receipt.records.iter().map(|r| r.outcome).collect()
}

async fn the_same_upload_twice_changes_nothing(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let records: Vec<_> = (1..=3).map(|i| family(i, VILLAGE)).collect();
    let sent = batch(&records, "device-a");

    let first = upload(addr, Some(&device.token), sent.bytes.clone()).await;
    assert_eq!(first.status(), 200);
    let first = first.bytes().await.expect("body");
    let receipt = parse_receipt(&first).expect("a receipt");
    receipt
        .acknowledges(&sent.manifest)
        .expect("every record acknowledged");
    assert!(receipt.records.iter().all(|r| r.outcome == Outcome::Stored));

    let again = upload(addr, Some(&device.token), sent.bytes.clone()).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.expect("body"), first, "the same receipt");
    assert_eq!(count(&db, "batches").await, 1);
    assert_eq!(count(&db, "record_versions").await, 3);
    assert_eq!(count(&db, "records").await, 3);

    // A re-export (a new batch id) of the same revisions: acknowledged, not stored again.
    let reexport = batch(&records, "device-a");
    assert_eq!(
        outcomes(upload(addr, Some(&device.token), reexport.bytes).await).await,
        vec![Outcome::AlreadyStored; 3]
    );
    assert_eq!(count(&db, "record_versions").await, 3);
    assert_eq!(count(&db, "records").await, 3);
}
both!(the_same_upload_twice_changes_nothing);

async fn a_newer_revision_supersedes_and_an_older_one_is_kept_as_history(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let first = family(7, VILLAGE);
    let second = corrected(&first, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI BIN KARTO");
    let third = corrected(&second, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI");

    let up = |r: &verval_core::HouseholdRecord| batch(std::slice::from_ref(r), "device-a").bytes;
    assert_eq!(
        outcomes(upload(addr, Some(&device.token), up(&second)).await).await,
        vec![Outcome::Stored]
    );
    // Revision 1 arrives late (an older batch resent): kept, but not current.
    assert_eq!(
        outcomes(upload(addr, Some(&device.token), up(&first)).await).await,
        vec![Outcome::Older]
    );
    let current: (i64, String) = sqlx::query_as("SELECT revision, nama_kepala_keluarga FROM records")
        .fetch_one(&db.pool)
        .await
        .expect("current");
    assert_eq!(current, (2, "SLAMET RIYADI BIN KARTO".to_owned()));

    assert_eq!(
        outcomes(upload(addr, Some(&device.token), up(&third)).await).await,
        vec![Outcome::Stored]
    );
    let current: (i64, String, i64) =
        sqlx::query_as("SELECT revision, nama_kepala_keluarga, conflict FROM records")
            .fetch_one(&db.pool)
            .await
            .expect("current");
    assert_eq!(current, (3, "SLAMET RIYADI".to_owned(), 0));
    assert_eq!(count(&db, "record_versions").await, 3);
    assert_eq!(count(&db, "records").await, 1);
}
both!(a_newer_revision_supersedes_and_an_older_one_is_kept_as_history);

async fn two_devices_editing_one_record_are_both_kept_and_flagged(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let a = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let b = enrolled(&db, addr, &[VILLAGE], "device-b").await;
    let original = family(11, VILLAGE);
    let on_a = corrected(&original, NAMA_KEPALA_KELUARGA, "VERSION A");
    let on_b = corrected(&original, NAMA_KEPALA_KELUARGA, "VERSION B");

    let sent_a = batch(std::slice::from_ref(&on_a), "device-a");
    let sent_b = batch(std::slice::from_ref(&on_b), "device-b");
    assert_eq!(
        outcomes(upload(addr, Some(&a.token), sent_a.bytes).await).await,
        vec![Outcome::Stored]
    );
    let response = upload(addr, Some(&b.token), sent_b.bytes).await;
    let receipt = parse_receipt(&response.bytes().await.expect("body")).expect("receipt");
    // B's device learns its version arrived (it is kept), flagged as a conflict.
    receipt.acknowledges(&sent_b.manifest).expect("acknowledged");
    assert_eq!(receipt.records[0].outcome, Outcome::Conflict);

    let names: Vec<String> = sqlx::query_scalar("SELECT body FROM record_versions ORDER BY device_id")
        .fetch_all(&db.pool)
        .await
        .expect("versions");
    assert_eq!(names.len(), 2);
    assert!(names[0].contains("VERSION A") && names[1].contains("VERSION B"));
    let conflict: i64 = sqlx::query_scalar("SELECT conflict FROM records")
        .fetch_one(&db.pool)
        .await
        .expect("flag");
    assert_eq!(conflict, 1);
}
both!(two_devices_editing_one_record_are_both_kept_and_flagged);

/// The race behind kobotoolbox/kpi#5047: the same batch uploaded many times at once, to two
/// hub processes sharing one database → stored once, every answer the same receipt.
async fn concurrent_duplicate_uploads_are_stored_once(backend: Backend) {
    let url = fresh_url(backend).await;
    let db_one = verval_hub::db::Db::open(&url).await.expect("db one");
    let db_two = verval_hub::db::Db::open(&url).await.expect("db two");
    let one = start_hub(db_one.clone(), Config::default()).await;
    let two = start_hub(db_two, Config::default()).await;
    let device = enrolled(&db_one, one, &[VILLAGE], "device-a").await;
    let records: Vec<_> = (100..120).map(|i| family(i, VILLAGE)).collect();
    let sent = batch(&records, "device-a");

    let mut tasks = Vec::new();
    for i in 0..12 {
        let addr = if i % 2 == 0 { one } else { two };
        let token = device.token.clone();
        let bytes = sent.bytes.clone();
        tasks.push(tokio::spawn(async move {
            // A busy database may refuse one try with a 500; a phone tries again.
            for _ in 0..20 {
                let response = upload(addr, Some(&token), bytes.clone()).await;
                if response.status() == 200 {
                    return response.bytes().await.expect("body");
                }
                assert_eq!(response.status(), 500, "only a transient failure is allowed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("never got a receipt");
        }));
    }
    let mut receipts = Vec::new();
    for task in tasks {
        receipts.push(task.await.expect("task"));
    }
    assert!(receipts.windows(2).all(|w| w[0] == w[1]), "one receipt for all");
    parse_receipt(&receipts[0])
        .expect("receipt")
        .acknowledges(&sent.manifest)
        .expect("acknowledged");
    assert_eq!(count(&db_one, "batches").await, 1);
    assert_eq!(count(&db_one, "record_versions").await, 20);
    assert_eq!(count(&db_one, "records").await, 20);
}
both!(concurrent_duplicate_uploads_are_stored_once);
