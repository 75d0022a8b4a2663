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

/// A district section of `household` (issue #25): the record its section form's page makes,
/// under the id only that household and form give.
async fn section_of(
    store: &IdbStore,
    household: &RecordId,
    form: &str,
    photo: &str,
    locked: bool,
) -> HouseholdRecord {
    let id = verval_core::dataform::section_record_id(household, form);
    let mut record = HouseholdRecord::new(id, Timestamp(11));
    record.form_id = form.to_owned();
    record.form_version = "1".to_owned();
    record
        .answers
        .insert_raw("record_id_keluarga", household.as_str());
    record.answers.insert_raw("foto_dapur", photo);
    let blob = web_sys::Blob::new().expect("a blob");
    store.put_photo(photo, &blob).await.expect("photo stored");
    if locked {
        record.finalize(Timestamp(12));
    }
    store.put(&record).await.expect("section stored");
    record
}

#[wasm_bindgen_test]
async fn a_deleted_household_draft_takes_its_section_drafts_along() {
    let (store, name) = fresh_store("discard-sections").await;
    let draft = draft_with_photo(&store, 4, "DIMULAI KELIRU", "foto-4").await;
    let neighbour = draft_with_photo(&store, 5, "TETANGGA", "foto-5").await;
    let photo = |n: u8| format!("foto-{}", RecordId::from_random_bytes([n; 16]));
    let section = section_of(&store, &draft.id, "daerah", &photo(40), false).await;
    let locked = section_of(&store, &draft.id, "gizi", &photo(41), true).await;
    let other = section_of(&store, &neighbour.id, "daerah", &photo(42), false).await;
    store.journal_write(&section).expect("its unsaved edits' journal");

    assert_eq!(store.delete_draft(&draft.id).await, Ok(true));
    assert_eq!(
        store.get(&section.id).await.unwrap(),
        None,
        "the section draft is gone"
    );
    assert!(store.photo(&photo(40)).await.unwrap().is_none(), "with its photo");
    let journal = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(
        journal.get_item(&store.journal_key(&section.id)).unwrap(),
        None,
        "and its journal"
    );
    // A section ever locked stays, like every locked revision; another family's is untouched.
    assert_eq!(store.get(&locked.id).await.unwrap(), Some(locked));
    assert!(store.photo(&photo(41)).await.unwrap().is_some());
    assert_eq!(store.get(&other.id).await.unwrap(), Some(other));
    assert!(store.photo(&photo(42)).await.unwrap().is_some());
    assert_eq!(
        store
            .counts_with_status(verval_core::record::RecordStatus::Draft)
            .await
            .unwrap(),
        (1, 1),
        "the neighbour and its section are the drafts left"
    );
    store.close();
    delete_db(&name).await;
}
