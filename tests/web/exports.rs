//! The export ledger against real IndexedDB: what waits for a batch, what a saved batch
//! changes (all in one transaction), and the upgrade of a database from before the ledger.

use crate::fixtures::{delete_db, fresh_store, unique_db_name};
use crate::store_idb::put_raw;
use verval::storage::schema::Version;
use verval::storage::{BatchInfo, IdbStore};
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn record(seed: u8, finalized: bool) -> HouseholdRecord {
    let mut r = HouseholdRecord::new(RecordId::from_random_bytes([seed; 16]), Timestamp(10));
    if finalized {
        r.finalize(Timestamp(20));
    }
    r
}

pub(crate) fn info(batch: u8, count: u32) -> BatchInfo {
    BatchInfo {
        batch_id: RecordId::from_random_bytes([batch; 16]).to_string(),
        file_name: format!("verval-x-petugas-20261122-{batch:03}.zip"),
        created_at: Timestamp(1_000 + i64::from(batch)),
        record_count: count,
        bytes: 3,
        profile: "lengkap".to_owned(),
        handed_over_at: None,
        deleted_at: None,
        ..Default::default()
    }
}

fn zip() -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"PK!"[..]));
    web_sys::Blob::new_with_u8_array_sequence(&parts).expect("blob")
}

#[wasm_bindgen_test]
async fn a_finalized_household_waits_until_a_batch_takes_it() {
    let (store, name) = fresh_store("pending").await;
    let draft = record(1, false);
    let done = record(2, true);
    store.put(&draft).await.unwrap();
    store.put(&done).await.unwrap();
    assert_eq!(store.pending().await.unwrap(), [(done.id.clone(), 1)]);
    // What the export page counts and the worker's "every finalized household" reads.
    assert_eq!(store.count_with_status(RecordStatus::Final).await.unwrap(), 1);
    assert_eq!(store.count_with_status(RecordStatus::Draft).await.unwrap(), 1);
    assert_eq!(
        store.ids_with_status(RecordStatus::Final).await.unwrap(),
        std::slice::from_ref(&done.id)
    );
    let four_days_on = Timestamp(done.updated_at.0 + 4 * 86_400_000);
    let state = store.export_state(four_days_on).await.unwrap();
    assert_eq!(
        (state.pending, state.days_since_export, state.nudge),
        (1, None, true)
    );
    assert_eq!(store.next_batch_sequence().await.unwrap(), 1);
    assert_eq!(store.last_export_at().await.unwrap(), None);

    let batch = info(1, 1);
    store
        .save_batch(&batch, &zip(), 1, &[(done.id.clone(), 1)])
        .await
        .unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 0);
    let state = store.export_state(four_days_on).await.unwrap();
    assert_eq!((state.pending, state.nudge), (0, false));
    assert_eq!(store.next_batch_sequence().await.unwrap(), 2);
    assert_eq!(store.last_export_at().await.unwrap(), Some(batch.created_at));
    assert_eq!(store.batches().await.unwrap(), std::slice::from_ref(&batch));
    let ledger = store.exports_of(&done.id).await.unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].revision, ledger[0].file_name.as_str()),
        (1, batch.file_name.as_str())
    );
    let file = store
        .batch_file(&batch.batch_id)
        .await
        .unwrap()
        .expect("the zip is kept");
    assert_eq!(file.size(), 3.0);

    // Saved again unchanged: it already went out, so it does not wait again.
    store.put(&done).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 0);
    // A correction waits for nothing until it is finalized; then revision 2 waits.
    let mut corrected = done.clone();
    corrected.start_correction(Timestamp(30));
    store.put(&corrected).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 0);
    corrected.finalize(Timestamp(40));
    store.put(&corrected).await.unwrap();
    assert_eq!(store.pending().await.unwrap(), [(done.id.clone(), 2)]);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_revision_newer_than_the_batch_stays_pending() {
    let (store, name) = fresh_store("moved-on").await;
    let mut r = record(3, true);
    store.put(&r).await.unwrap();
    // Corrected and finalized again while the batch of revision 1 was being made.
    r.start_correction(Timestamp(30));
    r.finalize(Timestamp(40));
    store.put(&r).await.unwrap();
    store
        .save_batch(&info(2, 1), &zip(), 4, &[(r.id.clone(), 1)])
        .await
        .unwrap();
    assert_eq!(store.pending().await.unwrap(), [(r.id.clone(), 2)]);
    assert_eq!(
        store.next_batch_sequence().await.unwrap(),
        5,
        "the counter follows the batch"
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn deleting_a_batch_file_keeps_the_ledger() {
    let (store, name) = fresh_store("delete-batch").await;
    let r = record(4, true);
    store.put(&r).await.unwrap();
    let batch = info(3, 1);
    store
        .save_batch(&batch, &zip(), 1, &[(r.id.clone(), 1)])
        .await
        .unwrap();
    store
        .delete_batch_file(&batch.batch_id, Timestamp(99))
        .await
        .unwrap();
    assert!(
        store.batch_file(&batch.batch_id).await.unwrap().is_none(),
        "the zip is gone"
    );
    let listed = store.batches().await.unwrap();
    assert_eq!(listed[0].deleted_at, Some(Timestamp(99)));
    assert_eq!(
        store.exports_of(&r.id).await.unwrap().len(),
        1,
        "the ledger stays"
    );
    assert_eq!(store.pending_count().await.unwrap(), 0);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_device_keeps_one_id() {
    let (store, name) = fresh_store("device").await;
    let first = store
        .device_id(RecordId::from_random_bytes([5; 16]))
        .await
        .unwrap();
    let second = store
        .device_id(RecordId::from_random_bytes([6; 16]))
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(first, RecordId::from_random_bytes([5; 16]).to_string());
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_version_2_database_opens_with_its_finalized_households_pending() {
    let name = unique_db_name("migrate-v2");
    let old = IdbStore::open_at(&name, Version::V2)
        .await
        .expect("a version 2 database");
    old.close();
    let done = record(7, true);
    let mut corrected = record(8, true);
    corrected.start_correction(Timestamp(30));
    corrected.finalize(Timestamp(40));
    let draft = record(9, false);
    for r in [&done, &corrected, &draft] {
        put_raw(&name, serde_wasm_bindgen::to_value(r).expect("record as JS")).await;
    }

    let store = IdbStore::open(&name).await.expect("upgrade");
    assert_eq!(store.version(), verval::storage::schema::CURRENT.number());
    let mut pending = store.pending().await.unwrap();
    pending.sort();
    assert_eq!(pending, [(done.id.clone(), 1), (corrected.id.clone(), 2)]);
    assert_eq!(
        store.get(&draft.id).await.unwrap(),
        Some(draft.clone()),
        "records intact"
    );
    store.close();
    // Opening again does not mark them twice or undo an export.
    let store = IdbStore::open(&name).await.expect("reopen");
    store
        .save_batch(&info(4, 1), &zip(), 1, &[(done.id.clone(), 1)])
        .await
        .unwrap();
    store.close();
    let store = IdbStore::open(&name).await.expect("reopen");
    assert_eq!(store.pending().await.unwrap(), [(corrected.id.clone(), 2)]);
    store.close();
    delete_db(&name).await;
}

/// The page's sync and the export worker, each with its own connection, making a batch at
/// the same moment: two numbers, never one twice (two batches once shared a file name).
#[wasm_bindgen_test]
async fn batches_made_at_once_get_their_own_numbers() {
    let (page, name) = fresh_store("two-at-once").await;
    let worker = IdbStore::open(&name).await.expect("a second connection");
    let started: Vec<js_sys::Promise> = [page.clone(), worker.clone(), page.clone(), worker.clone()]
        .into_iter()
        .map(|store| {
            wasm_bindgen_futures::future_to_promise(async move {
                let n = store.reserve_batch_sequence().await.expect("reserve");
                Ok(JsValue::from_f64(f64::from(n)))
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for promise in started {
        let n = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .expect("settled");
        numbers.push(n.as_f64().expect("a number") as u32);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(page.next_batch_sequence().await.unwrap(), 5);
    page.close();
    worker.close();
    delete_db(&name).await;
}

/// The export page hands its worker the profile by id: an id this build does not know makes
/// the request unreadable, naming it (the page shows the worker's answer), never a batch
/// with another profile's columns.
#[wasm_bindgen_test]
fn the_worker_reads_the_profile_it_is_asked_for_and_refuses_an_unknown_one() {
    use verval::export_job::protocol::{Job, Request, Selection};
    use verval_core::export::Profile;
    let asked = |profile: &str| {
        let text =
            format!(r#"{{"job":{{"job":"batch","selection":{{"kind":"pending"}},"profile":"{profile}"}}}}"#);
        serde_wasm_bindgen::from_value::<Request>(js_sys::JSON::parse(&text).expect("json"))
    };
    for profile in Profile::ALL {
        let request = asked(profile.id()).expect("a known profile");
        assert_eq!(
            request.job,
            Job::Batch {
                selection: Selection::Pending,
                profile
            }
        );
    }
    let refused = asked("p3ke_2027").expect_err("an unknown profile").to_string();
    assert!(refused.contains("p3ke_2027"), "{refused}");
}
