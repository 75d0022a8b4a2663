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

/// A household with three photos of `bytes` each, stored, and finalized.
async fn household_with_photos(store: &IdbStore, seed: u8, bytes: usize) -> RecordId {
    use verval_core::form::default::{FOTO_ATAP, FOTO_DALAM_RUMAH, FOTO_RUMAH_DEPAN};
    let id = RecordId::from_random_bytes([seed; 16]);
    let mut r = verval_core::form::default::example::example_family(id.clone());
    for (n, field) in [FOTO_RUMAH_DEPAN, FOTO_DALAM_RUMAH, FOTO_ATAP]
        .into_iter()
        .enumerate()
    {
        let key = format!("foto-{seed}-{n}");
        // Bytes that do not compress, as a JPEG's do not.
        let photo: Vec<u8> = (0..bytes)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ seed)
            .collect();
        let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(
            &photo[..],
        )))
        .expect("blob");
        store.put_photo(&key, &blob).await.expect("photo stored");
        r.set_answer(field, &key, Timestamp(15));
    }
    r.finalize(Timestamp(20));
    store.put(&r).await.expect("stored");
    id
}

// Issue #26 item 5: an export with photos is cut into parts of at most the district's size,
// each a complete batch that verifies on its own, every household in exactly one part with
// its photos, and nothing left pending.
#[wasm_bindgen_test]
async fn an_export_with_photos_is_cut_into_complete_parts_of_the_districts_size() {
    use verval::export_job::make::make_batch;
    use verval::storage::Leaving;
    use verval_core::export::{read_batch, Limits, Profile};
    use verval_core::form::KnownForms;

    let (store, name) = fresh_store("parts").await;
    let mut ids = Vec::new();
    for seed in 1..=6 {
        ids.push(household_with_photos(&store, seed, 200_000).await);
    }
    let limit = 1_500_000;
    let made = make_batch(&store, &ids, Profile::Lengkap, false, limit, &|_| {})
        .await
        .expect("made");
    assert_eq!(made.skipped, 0);
    assert!(made.parts.len() >= 3, "{} parts", made.parts.len());
    assert!(made.peak_memory > 0);
    let mut seen: Vec<String> = Vec::new();
    for (i, info) in made.parts.iter().enumerate() {
        assert_eq!(info.part as usize, i + 1, "parts are numbered from 1");
        assert!(info.bytes <= limit, "part {} is {} bytes", info.part, info.bytes);
        let Leaving::File(blob) = store.leaving_file(&info.batch_id).await.expect("file") else {
            panic!("part {} has no file", info.part);
        };
        let bytes = crate::sealing::blob_bytes(&blob).await;
        assert_eq!(bytes.len() as u64, info.bytes);
        let batch = read_batch(&bytes, &Limits::for_file(64 << 20), &KnownForms::household())
            .unwrap_or_else(|e| panic!("part {} does not verify: {e}", info.part));
        assert!(
            batch.manifest.missing_photos.is_empty(),
            "every photo in its household's part"
        );
        for record in &batch.records {
            let id = record.id.to_string();
            let photos = batch
                .files
                .keys()
                .filter(|path| path.starts_with(&format!("foto/{id}_")))
                .count();
            assert_eq!(photos, 3, "{id}'s photos are in its part");
            seen.push(id);
        }
        assert_eq!(batch.records.len() as u32, info.record_count);
    }
    let expected: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let mut names: Vec<&str> = made.parts.iter().map(|p| p.file_name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), made.parts.len(), "each part its own file name");
    assert_eq!(seen, expected, "every household once, in order");
    assert!(
        store.pending().await.expect("pending").is_empty(),
        "nothing left waiting"
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn an_export_below_the_part_size_is_one_batch() {
    use verval::export_job::make::make_batch;
    use verval_core::export::Profile;

    let (store, name) = fresh_store("one-part").await;
    let mut ids = Vec::new();
    for seed in 1..=3 {
        ids.push(household_with_photos(&store, seed, 50_000).await);
    }
    let made = make_batch(&store, &ids, Profile::Lengkap, false, 50_000_000, &|_| {})
        .await
        .expect("made");
    assert_eq!(made.parts.len(), 1);
    assert_eq!(made.parts[0].part, 0, "a batch made whole is no part");
    assert_eq!(made.parts[0].record_count, 3);
    store.close();
    delete_db(&name).await;
}
