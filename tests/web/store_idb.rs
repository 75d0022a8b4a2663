//! The IndexedDB store against real IndexedDB: the core's conformance suite, and the
//! behaviours only a browser store has (schema upgrade, newer databases, durability).

use crate::fixtures::{delete_db, fresh_store, unique_db_name};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use verval::storage::schema::{self, v1, v2, v3, v4, v5, v6, v7, Version};
use verval::storage::{IdbStore, StoreError};
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::store::{conformance, HouseholdStore};
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

// Each check twice: on a plain store, and on one holding the data key, which seals every
// household and revision it writes (issue #23, tests/web/sealing.rs).
macro_rules! conformance_tests {
    ($($check:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $check() {
                let (store, name) = fresh_store(stringify!($check)).await;
                conformance::$check(store.clone()).await;
                store.close();
                delete_db(&name).await;
            }
        )*
        mod sealed {
            use super::*;
            $(
                #[wasm_bindgen_test]
                async fn $check() {
                    let (store, name) = fresh_store(concat!("sealed-", stringify!($check))).await;
                    store.hold_key(verval_core::vault::DataKey::from_random([1; verval_core::vault::KEY_LEN]));
                    conformance::$check(store.clone()).await;
                    store.close();
                    delete_db(&name).await;
                }
            )*
        }
    };
}

conformance_tests!(
    put_then_get_returns_the_same_record,
    get_of_an_unknown_id_is_none,
    put_of_the_same_id_replaces_and_never_duplicates,
    recent_is_newest_first_and_limited,
    answers_of_unknown_fields_survive,
    kept_revisions_are_never_replaced_and_come_back_in_order,
    search_finds_by_name_number_and_status_newest_first,
    with_number_finds_every_family_holding_a_nik_or_kk,
);

#[wasm_bindgen_test]
fn every_conformance_check_has_a_browser_test() {
    // The macro above lists the checks by hand; this catches one added to the core but not here.
    assert_eq!(conformance::CHECKS.len(), 8);
}

#[wasm_bindgen_test]
async fn a_new_database_is_created_at_the_current_version_with_its_index() {
    let (store, name) = fresh_store("create").await;
    assert_eq!(store.version(), schema::CURRENT.number());
    store.close();

    let db = Database::open(name.as_str()).await.expect("reopen raw");
    let names: Vec<String> = db.object_store_names().collect();
    assert_eq!(
        names,
        [
            v4::ACKS,
            v5::ASSIGNED,
            v3::BATCHES,
            v3::EXPORTS,
            v7::FORM_RECORDS,
            v1::HOUSEHOLDS,
            v3::META,
            v3::PENDING,
            v2::PHOTOS,
            v4::QUARANTINE,
            v4::RECEIPTS,
            v6::REVIEWS,
            v2::REVISIONS,
            v2::SEARCH,
            v5::VISITS
        ]
    );
    let tx = db.transaction(v1::HOUSEHOLDS).build().expect("tx");
    let households = tx.object_store(v1::HOUSEHOLDS).expect("store");
    let indexes: Vec<String> = households.index_names().collect();
    assert_eq!(indexes, [v1::BY_UPDATED]);
    drop(tx);
    db.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening() {
    let (store, name) = fresh_store("reopen").await;
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([4; 16]), Timestamp(10));
    record.set_answer(NAMA_KEPALA_KELUARGA, "SITI AMINAH", Timestamp(11));
    store.put(&record).await.expect("put");
    store.close();

    let reopened = IdbStore::open(&name).await.expect("reopen");
    assert_eq!(reopened.get(&record.id).await.expect("get"), Some(record));
    reopened.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_app_is_refused_and_left_alone() {
    let name = unique_db_name("newer");
    let future_version = schema::CURRENT.number() + 1;
    let db = Database::open(name.as_str())
        .with_version(future_version)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("from_the_future").build()?;
            Ok(())
        })
        .await
        .expect("create a newer database");
    db.close();

    match IdbStore::open(&name).await {
        Err(StoreError::NewerDatabase { known }) => assert_eq!(known, schema::CURRENT.number()),
        other => panic!("expected NewerDatabase, got {other:?}"),
    }
    let db = Database::open(name.as_str()).await.expect("reopen raw");
    assert_eq!(
        db.version() as u32,
        future_version,
        "the newer database must be untouched"
    );
    assert_eq!(db.object_store_names().collect::<Vec<_>>(), ["from_the_future"]);
    db.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_record_from_a_newer_schema_is_reported_not_misread() {
    let (store, name) = fresh_store("newer-record").await;
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([6; 16]), Timestamp(10));
    record.schema_version = 99;
    // Written raw, as a newer app would: the store itself refuses to write such a record.
    let value = serde::Serialize::serialize(
        &record,
        &serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true),
    )
    .expect("record as a JS object");
    put_raw(&name, value).await;

    match store.get(&record.id).await {
        Err(StoreError::Unreadable(detail)) => assert!(detail.contains("newer"), "{detail}"),
        other => panic!("expected Unreadable, got {other:?}"),
    }
    assert_eq!(
        store.count().await.expect("count"),
        1,
        "the unreadable record is still stored"
    );
    let message = StoreError::Unreadable("x".into()).message();
    assert!(message.id.contains("tidak diubah") && message.en.contains("unchanged"));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_stored_household_with_an_unknown_status_is_reported_by_the_list_not_misread() {
    let (store, name) = fresh_store("unknown-status").await;
    let record = HouseholdRecord::new(RecordId::from_random_bytes([7; 16]), Timestamp(10));
    let value = serde::Serialize::serialize(
        &record,
        &serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true),
    )
    .expect("record as a JS object");
    // A status this app does not know: written raw, as a broken or foreign writer might.
    js_sys::Reflect::set(&value, &"status".into(), &"archived".into()).expect("status set");
    put_raw(&name, value).await;

    // The list reads records field by field (storage::decode), not through serde: it must
    // refuse the same way.
    match store.recent(10).await {
        Err(StoreError::Unreadable(detail)) => assert!(detail.contains("status"), "{detail}"),
        other => panic!("expected Unreadable, got {other:?}"),
    }
    assert_eq!(
        store.count().await.expect("count"),
        1,
        "the record is still stored"
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn listing_ten_records_returns_exactly_the_newest_first() {
    let (store, name) = fresh_store("list").await;
    for n in 0..10u8 {
        let mut r = HouseholdRecord::new(RecordId::from_random_bytes([n; 16]), Timestamp(0));
        r.set_answer(
            NAMA_KEPALA_KELUARGA,
            &format!("K{n}"),
            Timestamp(1_000 + i64::from(n)),
        );
        store.put(&r).await.expect("put");
    }
    let names: Vec<String> = store
        .recent(3)
        .await
        .expect("recent")
        .into_iter()
        .map(|s| s.nama_kepala_keluarga)
        .collect();
    assert_eq!(names, ["K9", "K8", "K7"]);
    assert_eq!(store.count().await.expect("count"), 10);
    store.close();
    delete_db(&name).await;
}

/// What version 1 of the app stored: the JSON its code wrote for a record (schema 1, answers
/// only), put into a database its own upgrade step made.
const SCHEMA_1_RECORD: &str = r#"{"id":"00000000-0000-4000-8000-0000000000a1","schema_version":1,"form_version":"verval-keluarga-2026.11.0","revision":1,"status":"draft","created_at":1700000000000,"updated_at":1700000000001,"answers":{"nama_kepala_keluarga":"SITI AMINAH","nomor_kk":"3513141203150007","alamat":"Dusun Krajan RT 003"}}"#;

#[wasm_bindgen_test]
async fn a_version_1_database_opens_at_version_2_with_every_record_intact() {
    let name = unique_db_name("migrate");
    let old = IdbStore::open_at(&name, Version::V1)
        .await
        .expect("a version 1 database");
    assert_eq!(old.version(), 1);
    old.close();
    // The old app's record, written raw as the old code wrote it.
    let old_json = js_sys::JSON::parse(SCHEMA_1_RECORD).expect("fixture JSON");
    put_raw(&name, old_json).await;

    let store = IdbStore::open(&name)
        .await
        .expect("upgrade to the current version");
    assert_eq!(store.version(), schema::CURRENT.number());
    // What the list page does when it opens: old households get their search entries.
    store
        .complete_search_entries()
        .await
        .expect("search entries for old households");
    let id = RecordId::parse("00000000-0000-4000-8000-0000000000a1").unwrap();
    let record = store.get(&id).await.expect("get").expect("still there");
    assert_eq!(
        record.schema_version,
        verval_core::record::SCHEMA_VERSION,
        "read in the current shape"
    );
    assert_eq!(record.answers.get(NAMA_KEPALA_KELUARGA), "SITI AMINAH");
    assert_eq!(record.answers.len(), 3, "every answer");
    assert_eq!(
        (record.revision, record.updated_at),
        (1, Timestamp(1_700_000_000_001))
    );
    assert_eq!(store.count().await.expect("count"), 1);
    assert_eq!(
        store.recent(5).await.expect("list").len(),
        1,
        "the list index survived"
    );
    // The household the old app stored is found by search after the upgrade.
    let query = verval_core::search::Query::parse("aminah");
    let found = store.search(query.as_ref(), None, 10).await.expect("search");
    assert_eq!(found.len(), 1, "found by a name word");
    assert_eq!(store.with_number("3513141203150007").await.expect("kk").len(), 1);
    // The new store works on the upgraded database.
    store.keep_revision(&record).await.expect("keep a revision");
    assert_eq!(store.revisions(&id).await.expect("revisions").len(), 1);
    store.close();
    delete_db(&name).await;
}

/// Puts a value into the households store past the app's storage module, as another
/// version of the app would have written it.
pub async fn put_raw(name: &str, value: wasm_bindgen::JsValue) {
    crate::fixtures::put_raw_values(name, v1::HOUSEHOLDS, vec![(None, value)]).await;
}

#[wasm_bindgen_test]
fn each_failed_operation_says_what_failed() {
    use verval::storage::Operation;
    for (operation, id, en) in [
        (Operation::Open, "Gagal membuka data", "Could not open data"),
        (Operation::Save, "Gagal menyimpan data", "Could not save data"),
        (Operation::Read, "Gagal membaca data", "Could not read data"),
        (Operation::List, "Gagal menampilkan data", "Could not list data"),
        (Operation::Count, "Gagal menghitung data", "Could not count data"),
        (Operation::Search, "Gagal mencari data", "Could not search data"),
    ] {
        let message = StoreError::Failed {
            operation,
            detail: "UnknownError: x".to_owned(),
        }
        .message();
        assert!(message.id.starts_with(id), "{operation:?}: {}", message.id);
        assert!(message.en.starts_with(en), "{operation:?}: {}", message.en);
        assert!(message.id.contains("UnknownError: x"), "{}", message.id);
    }
}
