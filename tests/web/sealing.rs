//! Households and kept revisions sealed under the data key (issue #23) against real
//! IndexedDB (the core's whole store conformance suite also runs on a store holding the key:
//! store_idb.rs): nothing of a family's name or numbers is in the stored bytes; a store without the key
//! refuses sealed values and changes nothing; search by name and number still finds them; plain stores are sealed record by record,
//! every record readable before, between and after; a sealed value moved onto another
//! record does not open there.

use crate::fixtures::{delete_db, fresh_store};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use verval::storage::schema::{v1, v2, v5};
use verval::storage::{IdbStore, StoreError};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::store::HouseholdStore;
use verval_core::vault::{DataKey, KEY_LEN};
use verval_core::RecordId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn key(byte: u8) -> DataKey {
    DataKey::from_random([byte; KEY_LEN])
}

const NAME: &str = "SITI AMINAH";
const KK: &str = "3513141203150007";

fn family(n: u8) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([n; 16]), Timestamp(10));
    record.set_answer(NAMA_KEPALA_KELUARGA, NAME, Timestamp(11));
    record.set_answer(NOMOR_KK, KK, Timestamp(12));
    record
}

/// Every value of a store as the browser keeps it, written out with its bytes: what a
/// phone found on the road would give up.
async fn raw_values(name: &str, store: &str) -> Vec<String> {
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

fn readable(values: &[String]) -> bool {
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
    assert_eq!(store.seal_households().await, Err(StoreError::Locked));

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
    assert_eq!(store.seal_households().await.unwrap(), 7);
    for store_name in [v1::HOUSEHOLDS, v2::REVISIONS, v2::SEARCH, v5::VISITS] {
        assert!(!readable(&raw_values(&name, store_name).await), "{store_name}");
    }
    assert_eq!(
        store.seal_households().await.unwrap(),
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
