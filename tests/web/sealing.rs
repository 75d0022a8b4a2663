//! A family's data sealed under the data key (issue #23) against real
//! IndexedDB (the core's whole store conformance suite also runs on a store holding the key:
//! store_idb.rs): nothing of a family's name or numbers is in the stored bytes of
//! households, revisions, search and visit entries, assigned families, reviews, photos or
//! the journal in localStorage; a store without the key
//! refuses sealed values and changes nothing; search by name and number still finds them; plain stores are sealed record by record,
//! every record readable before, between and after; a sealed value moved onto another
//! record does not open there.

use crate::campaign::{assignment, family as listed_family};
use crate::exports::info as batch_info;
use crate::fixtures::{delete_db, fresh_store, put_meta_raw};
use crate::reviews::{decision, feed};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use verval::storage::schema::{v1, v2, v3, v5, v6};
use verval::storage::BatchInfo;
use verval::storage::{IdbStore, Source, StoreError};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::review::Decision;
use verval_core::store::HouseholdStore;
use verval_core::vault::{DataKey, KEY_LEN};
use verval_core::RecordId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

pub(crate) fn key(byte: u8) -> DataKey {
    DataKey::from_random([byte; KEY_LEN])
}

pub(crate) const NAME: &str = "SITI AMINAH";
pub(crate) const KK: &str = "3513141203150007";

pub(crate) fn family(n: u8) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([n; 16]), Timestamp(10));
    record.set_answer(NAMA_KEPALA_KELUARGA, NAME, Timestamp(11));
    record.set_answer(NOMOR_KK, KK, Timestamp(12));
    record
}

/// Every value of a store as the browser keeps it.
async fn stored_values(name: &str, store: &str) -> Vec<JsValue> {
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readonly)
        .build()
        .unwrap();
    let values: Vec<JsValue> = tx
        .object_store(store)
        .unwrap()
        .get_all()
        .primitive()
        .unwrap()
        .await
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(tx);
    db.close();
    values
}

/// Every value of a store as the browser keeps it, written out with its bytes: what a
/// phone found on the road would give up.
pub(crate) async fn raw_values(name: &str, store: &str) -> Vec<String> {
    let values = stored_values(name, store).await;
    values
        .iter()
        .map(|v| {
            let bytes = js_sys::Reflect::get(v, &"vv1".into())
                .ok()
                .filter(|b| b.is_instance_of::<js_sys::Uint8Array>())
                .map(|b| String::from_utf8_lossy(&js_sys::Uint8Array::new(&b).to_vec()).into_owned())
                .unwrap_or_default();
            format!(
                "{}{bytes}",
                js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
            )
        })
        .collect()
}

pub(crate) fn readable(values: &[String]) -> bool {
    values
        .iter()
        .any(|v| v.contains(NAME) || v.contains(KK) || v.contains("AMINAH"))
}

#[wasm_bindgen_test]
async fn households_and_revisions_written_unlocked_hold_no_name_or_number() {
    let (store, name) = fresh_store("sealed-bytes").await;
    store.hold_key(key(1));
    let mut record = family(1);
    store.put(&record).await.unwrap();
    record.finalize(Timestamp(20));
    store.put(&record).await.unwrap();
    store.keep_revision(&record).await.unwrap();
    assert!(!readable(&raw_values(&name, v1::HOUSEHOLDS).await));
    assert!(!readable(&raw_values(&name, v2::REVISIONS).await));
    assert!(!readable(&raw_values(&name, v2::SEARCH).await));
    assert!(!readable(&raw_values(&name, v5::VISITS).await));
    assert_eq!(raw_values(&name, v1::HOUSEHOLDS).await.len(), 1);
    // The campaign's visit entry opens with the name it keeps.
    assert_eq!(store.visits().await.unwrap()[0].nama, NAME);

    // Read back whole, listed by name.
    assert_eq!(store.get(&record.id).await.unwrap(), Some(record.clone()));
    assert_eq!(store.revisions(&record.id).await.unwrap(), vec![record.clone()]);
    assert_eq!(store.recent(10).await.unwrap()[0].nama_kepala_keluarga, NAME);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_store_without_the_key_refuses_sealed_values_and_changes_nothing() {
    let (store, name) = fresh_store("sealed-locked").await;
    store.hold_key(key(1));
    let record = family(2);
    store.put(&record).await.unwrap();
    store.close();

    let locked = IdbStore::open(&name).await.unwrap();
    assert_eq!(locked.get(&record.id).await, Err(StoreError::Locked));
    assert_eq!(locked.recent(10).await, Err(StoreError::Locked));
    assert_eq!(locked.count().await, Ok(1));
    // Another key does not open it either, and says so.
    locked.hold_key(key(9));
    assert!(matches!(
        locked.get(&record.id).await,
        Err(StoreError::Unreadable(_))
    ));
    locked.hold_key(key(1));
    assert_eq!(locked.get(&record.id).await.unwrap(), Some(record));
    locked.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn plain_households_are_sealed_record_by_record_and_stay_readable() {
    let (store, name) = fresh_store("sealed-migrate").await;
    let mut records: Vec<HouseholdRecord> = (3..6).map(family).collect();
    for record in &records {
        store.put(record).await.unwrap();
    }
    records[0].finalize(Timestamp(30));
    store.keep_revision(&records[0]).await.unwrap();
    assert!(
        readable(&raw_values(&name, v1::HOUSEHOLDS).await),
        "plain before the PIN"
    );
    assert_eq!(store.seal_plain().await, Err(StoreError::Locked));

    store.hold_key(key(1));
    // A kill between two records: one sealed by a save, the others still plain; every one
    // reads.
    records[1].set_answer(NAMA_KEPALA_KELUARGA, NAME, Timestamp(40));
    store.put(&records[1]).await.unwrap();
    for record in &records[1..] {
        assert_eq!(store.get(&record.id).await.unwrap().as_ref(), Some(record));
    }
    // Found by name and number meanwhile, sealed entry and plain ones alike.
    assert_eq!(store.with_number(KK).await.unwrap().len(), 3);
    // The run seals what is still plain: two households, their search and visit entries
    // and the kept revision.
    assert_eq!(store.seal_plain().await.unwrap(), 7);
    for store_name in [v1::HOUSEHOLDS, v2::REVISIONS, v2::SEARCH, v5::VISITS] {
        assert!(!readable(&raw_values(&name, store_name).await), "{store_name}");
    }
    assert_eq!(
        store.seal_plain().await.unwrap(),
        0,
        "a second run finds nothing left"
    );
    for record in &records[1..] {
        assert_eq!(store.get(&record.id).await.unwrap().as_ref(), Some(record));
    }
    assert_eq!(
        store.revisions(&records[0].id).await.unwrap(),
        vec![records[0].clone()]
    );
    assert_eq!(store.count().await.unwrap(), 3);
    assert_eq!(store.with_number(KK).await.unwrap().len(), 3);
    assert_eq!(store.visits().await.unwrap().len(), 3);
    let query = verval_core::search::Query::parse("aminah").unwrap();
    assert_eq!(store.search(Some(&query), None, 10).await.unwrap().len(), 3);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_sealed_value_moved_onto_another_record_does_not_open() {
    let (store, name) = fresh_store("sealed-moved").await;
    store.hold_key(key(1));
    let (a, b) = (family(7), family(8));
    store.put(&a).await.unwrap();
    store.put(&b).await.unwrap();
    // Someone with the phone swaps A's sealed value into B's record.
    let db = Database::open(name.as_str()).await.unwrap();
    let tx = db
        .transaction(v1::HOUSEHOLDS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let households = tx.object_store(v1::HOUSEHOLDS).unwrap();
    let stored_a: JsValue = households
        .get(a.id.as_str())
        .primitive()
        .unwrap()
        .await
        .unwrap()
        .unwrap();
    let moved = js_sys::Object::assign(&js_sys::Object::new(), stored_a.unchecked_ref());
    js_sys::Reflect::set(&moved, &"id".into(), &b.id.as_str().into()).unwrap();
    households
        .put(&JsValue::from(moved))
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    assert!(matches!(store.get(&b.id).await, Err(StoreError::Unreadable(_))));
    assert_eq!(store.get(&a.id).await.unwrap(), Some(a));
    store.close();
    delete_db(&name).await;
}

/// The prelist's family: its head's name and NIK, and a housing answer (a map, which must
/// survive sealing as JSON).
fn listed() -> verval_core::prelist::PrelistFamily {
    let mut family = listed_family("P-1", KK, "JL MAWAR 7");
    family.members[0].nama = NAME.to_owned();
    family
        .housing
        .insert("jenis_lantai".to_owned(), "KERAMIK".to_owned());
    family
}

const PHOTO: &[u8] = b"JPEG KTP SITI AMINAH 3513141203150007";

fn photo_blob() -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(PHOTO));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

pub(crate) async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

/// The files a store keeps (a photo, or a batch's `zip`), as kept: a plain one gives its
/// bytes, a sealed one its sealed bytes (`raw_values` cannot: `JSON.stringify` writes a
/// Blob as `{}`). With each, whether it is kept as a Blob.
async fn raw_files(name: &str, store: &str, field: Option<&str>) -> Vec<(bool, String)> {
    let values = stored_values(name, store).await;
    let mut out = Vec::new();
    for value in values {
        let file = match field {
            Some(field) => js_sys::Reflect::get(&value, &field.into()).unwrap(),
            None => value,
        };
        let (blob, bytes) = match file.dyn_ref::<web_sys::Blob>() {
            Some(blob) => (true, blob_bytes(blob).await),
            None => (
                false,
                js_sys::Uint8Array::new(&js_sys::Reflect::get(&file, &"vv1".into()).unwrap()).to_vec(),
            ),
        };
        out.push((blob, String::from_utf8_lossy(&bytes).into_owned()));
    }
    out
}

pub(crate) async fn raw_photos(name: &str) -> Vec<String> {
    raw_files(name, v2::PHOTOS, None)
        .await
        .into_iter()
        .map(|(_, f)| f)
        .collect()
}

/// A batch made plain (before the district's keys), and one sealed to them.
fn batches() -> [(BatchInfo, web_sys::Blob); 2] {
    let zip = |bytes: &[u8]| {
        web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)))
            .unwrap()
    };
    let sealed = BatchInfo {
        sealed: true,
        ..batch_info(2, 1)
    };
    [
        (batch_info(1, 1), zip(PHOTO)),
        (sealed, zip(b"age-encryption.org/v1 ...")),
    ]
}

/// Stores the listed family, a review quoting the KK and an ID-card photo.
async fn store_the_rest(store: &IdbStore) -> RecordId {
    store
        .save_assignment(&assignment(vec![listed()]), Source::Hub, Timestamp(1), "hub")
        .await
        .unwrap();
    let review = decision(
        1,
        3,
        1,
        Decision::PerluPerbaikan,
        &format!("KK {KK} salah, kepala {NAME}"),
    );
    store.merge_reviews(&feed("d", 1, vec![review])).await.unwrap();
    store.put_photo("foto-1", &photo_blob()).await.unwrap();
    for (n, (info, zip)) in batches().iter().enumerate() {
        store.save_batch(info, zip, n as u32 + 1, &[]).await.unwrap();
    }
    RecordId::from_random_bytes([3; 16])
}

/// All of it reads back as stored.
async fn assert_the_rest_reads(store: &IdbStore, reviewed: &RecordId) {
    let families = store.assigned_families().await.unwrap();
    assert_eq!(families.len(), 1);
    assert_eq!(families[0].family, listed());
    assert_eq!(store.assigned_family("P-1").await.unwrap(), Some(listed()));
    let review = store.review_of(reviewed).await.unwrap().expect("the review");
    assert!(review.note.contains(KK), "{}", review.note);
    let photo = store.photo("foto-1").await.unwrap().expect("the photo");
    assert_eq!(photo.type_(), "image/jpeg");
    assert_eq!(blob_bytes(&photo).await, PHOTO);
    for (info, zip) in batches() {
        let file = store
            .batch_file(&info.batch_id)
            .await
            .unwrap()
            .expect("the batch's file");
        assert_eq!(blob_bytes(&file).await, blob_bytes(&zip).await);
    }
}

/// The batches' zips as kept: the plain one sealed at rest, the one sealed to the district
/// kept as it is (a locked phone's sync worker sends it).
async fn assert_batches_kept_sealed(name: &str) {
    let files = raw_files(name, v3::BATCHES, Some("zip")).await;
    assert_eq!(files.len(), 2);
    for (blob, bytes) in files {
        assert!(!readable_in(std::slice::from_ref(&bytes)), "{bytes}");
        assert_eq!(blob, bytes.starts_with("age-encryption.org"), "{bytes}");
    }
}

fn readable_in(values: &[String]) -> bool {
    readable(values) || values.iter().any(|v| v.contains("MAWAR"))
}

#[wasm_bindgen_test]
async fn assigned_families_reviews_photos_and_plain_batches_written_unlocked_hold_no_name_or_number() {
    let (store, name) = fresh_store("sealed-rest").await;
    store.hold_key(key(1));
    let reviewed = store_the_rest(&store).await;
    assert!(!readable_in(&raw_values(&name, v5::ASSIGNED).await));
    assert!(!readable_in(&raw_values(&name, v6::REVIEWS).await));
    let photos = raw_photos(&name).await;
    assert_eq!(photos.len(), 1);
    assert!(!readable_in(&photos), "{photos:?}");
    assert_batches_kept_sealed(&name).await;
    assert_the_rest_reads(&store, &reviewed).await;

    // Without the key none of it opens.
    store.drop_key();
    assert_eq!(store.assigned_families().await, Err(StoreError::Locked));
    assert_eq!(store.review_of(&reviewed).await, Err(StoreError::Locked));
    assert_eq!(store.photo("foto-1").await, Err(StoreError::Locked));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn plain_assigned_families_reviews_photos_and_batches_are_sealed_by_a_phone_sealed_before() {
    let (store, name) = fresh_store("sealed-rest-migrate").await;
    let reviewed = store_the_rest(&store).await;
    assert!(
        readable_in(&raw_values(&name, v5::ASSIGNED).await),
        "plain before the PIN"
    );
    assert!(readable_in(&raw_photos(&name).await), "plain before the PIN");
    let zips = raw_files(&name, v3::BATCHES, Some("zip")).await;
    assert!(
        zips.iter().any(|(_, zip)| readable_in(std::slice::from_ref(zip))),
        "plain before the PIN"
    );
    store.hold_key(key(1));
    // A phone whose older version sealed the households marked it so (round 1): the new
    // stores are sealed all the same.
    put_meta_raw(&name, "vault_sealed", JsValue::TRUE).await;
    store.seal_all_once().await.unwrap();
    assert!(!readable_in(&raw_values(&name, v5::ASSIGNED).await));
    assert!(!readable_in(&raw_values(&name, v6::REVIEWS).await));
    assert!(!readable_in(&raw_photos(&name).await));
    assert_batches_kept_sealed(&name).await;
    assert_the_rest_reads(&store, &reviewed).await;
    assert_eq!(store.seal_plain().await.unwrap(), 0, "nothing left plain");
    store.close();
    delete_db(&name).await;
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn the_journal_of_a_phone_with_a_pin_is_sealed_and_waits_for_the_key() {
    let (store, name) = fresh_store("sealed-journal").await;
    store.hold_key(key(1));
    let typed = family(9);
    store.journal_write(&typed).unwrap();
    let kept = local().get_item(&store.journal_key(&typed.id)).unwrap().unwrap();
    assert!(!readable(std::slice::from_ref(&kept)), "{kept}");

    // Locked: the entry stays, nothing is stored.
    store.drop_key();
    let recovery = store.recover(None).await;
    assert!(recovery.restored.is_empty() && recovery.problems.is_empty());
    assert_eq!(
        local().get_item(&store.journal_key(&typed.id)).unwrap(),
        Some(kept)
    );
    assert_eq!(store.count().await, Ok(0));

    // Unlocked: replayed, sealed, cleared.
    store.hold_key(key(1));
    assert_eq!(store.recover(None).await.restored, vec![typed.id.clone()]);
    assert_eq!(store.get(&typed.id).await.unwrap(), Some(typed.clone()));
    assert_eq!(local().get_item(&store.journal_key(&typed.id)).unwrap(), None);
    assert!(!readable(&raw_values(&name, v1::HOUSEHOLDS).await));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_page_open_since_before_another_tab_set_the_pin_writes_nothing_plain() {
    let (page, name) = fresh_store("sealed-other-tab").await;
    let before = family(11);
    page.put(&before).await.unwrap();
    // Another tab sets the PIN: it marks the phone in localStorage (`sealing::PIN_MARK`).
    let mark = format!("verval.pin.{name}");
    local().set_item(&mark, "1").unwrap();
    let mut later = before.clone();
    later.set_answer(NAMA_KEPALA_KELUARGA, "SITI AMINAH BINTI", Timestamp(90));
    assert_eq!(page.put(&later).await, Err(StoreError::Locked));
    assert!(page.locked());
    assert_eq!(
        page.get(&before.id).await.unwrap(),
        Some(before),
        "nothing changed"
    );
    // Unlocked (the gate gives it the key), it saves sealed.
    page.hold_key(key(1));
    page.put(&later).await.unwrap();
    assert!(!readable(&raw_values(&name, v1::HOUSEHOLDS).await));
    local().remove_item(&mark).unwrap();
    page.close();
    delete_db(&name).await;
}
