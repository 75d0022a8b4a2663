//! Deleting a draft (issue #28): a family never locked goes with its search entry, its visit
//! and its photos; a household locked at least once cannot be deleted, and stays whole.

use crate::fixtures::{delete_db, fresh_store};
use verval::storage::{IdbStore, StoreError};
use verval_core::form::default::FOTO_RUMAH_DEPAN;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::search::Query;
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

/// A draft named `name` with a front photo stored under `photo`.
async fn draft_with_photo(store: &IdbStore, seed: u8, name: &str, photo: &str) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([seed; 16]), Timestamp(10));
    record.answers.insert_raw("nama_kepala_keluarga", name);
    record.answers.insert_raw(FOTO_RUMAH_DEPAN.as_str(), photo);
    let blob = web_sys::Blob::new().expect("a blob");
    store.put_photo(photo, &blob).await.expect("photo stored");
    store.put(&record).await.expect("draft stored");
    record
}

async fn found_by_name(store: &IdbStore, name: &str) -> usize {
    let query = Query::parse(name).expect("a query");
    store.search(Some(&query), None, 10).await.expect("search").len()
}

#[wasm_bindgen_test]
async fn a_draft_never_locked_is_deleted_with_its_photo_and_search_entry() {
    let (store, name) = fresh_store("discard-draft").await;
    let draft = draft_with_photo(&store, 1, "SALAH KETIK", "foto-1").await;
    let other = draft_with_photo(&store, 2, "TETANGGA", "foto-2").await;
    assert_eq!(found_by_name(&store, "salah").await, 1);

    assert_eq!(store.delete_draft(&draft.id).await, Ok(true));
    assert_eq!(store.get(&draft.id).await.unwrap(), None);
    assert!(
        store.photo("foto-1").await.unwrap().is_none(),
        "its photo is gone"
    );
    assert_eq!(found_by_name(&store, "salah").await, 0, "and its search entry");
    assert_eq!(store.count().await.unwrap(), 1);
    // The other family is untouched; deleting again finds nothing.
    assert_eq!(store.get(&other.id).await.unwrap(), Some(other));
    assert!(store.photo("foto-2").await.unwrap().is_some());
    assert_eq!(store.delete_draft(&draft.id).await, Ok(false));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_household_locked_once_is_never_deleted() {
    let (store, name) = fresh_store("discard-locked").await;
    let mut locked = draft_with_photo(&store, 3, "SUDAH FINAL", "foto-3").await;
    locked.finalize(Timestamp(20));
    store.put(&locked).await.unwrap();
    assert_eq!(
        store.delete_draft(&locked.id).await,
        Err(StoreError::NotDeletable)
    );
    assert_eq!(store.get(&locked.id).await.unwrap(), Some(locked.clone()));

    // A correction under way is a draft, but its locked revision 1 is kept: not deletable.
    store.keep_revision(&locked).await.unwrap();
    let mut correction = locked.clone();
    correction.start_correction(Timestamp(30));
    store.put(&correction).await.unwrap();
    assert_eq!(
        store.delete_draft(&locked.id).await,
        Err(StoreError::NotDeletable)
    );
    assert_eq!(store.get(&locked.id).await.unwrap(), Some(correction));
    assert!(store.photo("foto-3").await.unwrap().is_some(), "the photo stays");
    assert_eq!(found_by_name(&store, "final").await, 1);
    store.close();
    delete_db(&name).await;
}
