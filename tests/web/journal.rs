//! The journal of unsaved edits (storage/journal.rs) and its replay at start, against real
//! localStorage and IndexedDB: every rule that keeps a replay from losing, duplicating or
//! overwriting a household.

use crate::fixtures::{delete_db, fresh_store};
use verval::storage::{IdbStore, JOURNAL_UNREADABLE};
use verval_core::record::{HouseholdRecord, RecordStatus, Timestamp};
use verval_core::search::Query;
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

fn local() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

fn record(seed: u8, name: &str, at: i64) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([seed; 16]), Timestamp(at));
    record.answers.insert_raw("nama_kepala_keluarga", name);
    record
}

/// `record` changed later: another name and a later time.
fn edited(record: &HouseholdRecord, name: &str, at: i64) -> HouseholdRecord {
    let mut next = record.clone();
    next.answers.insert_raw("nama_kepala_keluarga", name);
    next.updated_at = Timestamp(at);
    next
}

async fn done(store: IdbStore, name: String) {
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_household_only_in_the_journal_is_stored_once_and_the_entry_cleared() {
    let (store, name) = fresh_store("journal-new").await;
    let typed = record(1, "SITI AMINAH", 10);
    store.journal_write(&typed).expect("journal written");
    assert!(local().get_item(&store.journal_key(&typed.id)).unwrap().is_some());

    let recovery = store.recover(None).await;
    assert_eq!(recovery.restored, vec![typed.id.clone()]);
    assert!(recovery.problems.is_empty());
    assert_eq!(store.get(&typed.id).await.unwrap(), Some(typed.clone()));
    assert_eq!(local().get_item(&store.journal_key(&typed.id)).unwrap(), None);
    // Searchable like any saved household (its search entry was written with it).
    let found = store
        .search(Query::parse("aminah").as_ref(), None, 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    // Replaying twice (the same entry written again) stores nothing new and duplicates nothing.
    store.journal_write(&typed).unwrap();
    let again = store.recover(None).await;
    assert!(again.restored.is_empty(), "{again:?}");
    assert_eq!(store.count().await.unwrap(), 1);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_journal_newer_than_the_stored_draft_replaces_it() {
    let (store, name) = fresh_store("journal-newer").await;
    let saved = record(2, "BUDI", 10);
    store.put(&saved).await.unwrap();
    let typed = edited(&saved, "BUDI SANTOSO", 20);
    store.journal_write(&typed).unwrap();

    let recovery = store.recover(None).await;
    assert_eq!(recovery.restored, vec![typed.id.clone()]);
    assert_eq!(store.get(&typed.id).await.unwrap(), Some(typed.clone()));
    let found = store
        .search(Query::parse("santoso").as_ref(), None, 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "the search entry follows the replayed record");
    assert_eq!(store.count().await.unwrap(), 1);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_journal_older_than_the_stored_household_is_dropped() {
    let (store, name) = fresh_store("journal-older").await;
    let old = record(3, "WATI", 10);
    let newer = edited(&old, "WATI LESTARI", 30);
    store.put(&newer).await.unwrap();
    store.journal_write(&old).unwrap();
    let recovery = store.recover(None).await;
    assert!(recovery.restored.is_empty());
    assert_eq!(store.get(&old.id).await.unwrap(), Some(newer.clone()));
    assert_eq!(local().get_item(&store.journal_key(&old.id)).unwrap(), None);

    // An older revision too: a correction stored as revision 2 is never replaced by a
    // journal of revision 1, however late its time.
    let mut final_one = newer.clone();
    final_one.finalize(Timestamp(40));
    store.keep_revision(&final_one).await.unwrap();
    let mut correction = final_one.clone();
    correction.start_correction(Timestamp(50));
    store.put(&correction).await.unwrap();
    store.journal_write(&edited(&newer, "LATE", 99)).unwrap();
    assert!(store.recover(None).await.restored.is_empty());
    assert_eq!(store.get(&old.id).await.unwrap(), Some(correction));
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_journal_for_a_household_finalized_since_never_changes_it() {
    let (store, name) = fresh_store("journal-final").await;
    let draft = record(4, "JOKO", 10);
    let mut finalized = edited(&draft, "JOKO WIDODO", 20);
    finalized.finalize(Timestamp(20));
    store.put(&finalized).await.unwrap();
    // The draft's journal, even with a later time (a clock set back and forth).
    store.journal_write(&edited(&draft, "SOMEONE ELSE", 500)).unwrap();
    let recovery = store.recover(None).await;
    assert!(recovery.restored.is_empty());
    assert!(recovery.problems.is_empty());
    let stored = store.get(&draft.id).await.unwrap().unwrap();
    assert_eq!(stored, finalized);
    assert_eq!(stored.status, RecordStatus::Final);
    assert_eq!(local().get_item(&store.journal_key(&draft.id)).unwrap(), None);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_finalize_left_unsaved_is_replayed_and_waits_for_a_batch() {
    let (store, name) = fresh_store("journal-finalize").await;
    let draft = record(5, "SUMI", 10);
    store.put(&draft).await.unwrap();
    let mut finalized = draft.clone();
    finalized.finalize(Timestamp(20));
    store.journal_write(&finalized).unwrap();
    assert_eq!(store.recover(None).await.restored, vec![draft.id.clone()]);
    assert_eq!(store.get(&draft.id).await.unwrap(), Some(finalized));
    let waiting = store.pending().await.unwrap();
    assert_eq!(
        waiting.len(),
        1,
        "a finalized household waits for a batch: {waiting:?}"
    );
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_correction_begun_but_unsaved_keeps_the_finalized_revision() {
    let (store, name) = fresh_store("journal-correction").await;
    let mut finalized = record(6, "ANI", 10);
    finalized.finalize(Timestamp(20));
    store.put(&finalized).await.unwrap();
    let mut correction = finalized.clone();
    correction.start_correction(Timestamp(30));
    let correction = edited(&correction, "ANI SUSANTI", 31);
    store.journal_write(&correction).unwrap();

    assert_eq!(store.recover(None).await.restored, vec![finalized.id.clone()]);
    assert_eq!(store.get(&finalized.id).await.unwrap(), Some(correction));
    assert_eq!(store.revisions(&finalized.id).await.unwrap(), vec![finalized]);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_corrupt_journal_entry_is_set_aside_with_a_message_and_the_household_stays() {
    let (store, name) = fresh_store("journal-corrupt").await;
    let saved = record(7, "RUDI", 10);
    store.put(&saved).await.unwrap();
    let key = store.journal_key(&saved.id);
    let aside = format!("{JOURNAL_UNREADABLE}{name}.{}", saved.id);
    for broken in [
        "{\"id\": \"trunc",
        // The right id, but answers that are not text.
        &format!(
            r#"{{"id":"{}","schema_version":3,"form_version":"x","revision":1,"status":"draft","created_at":1,"updated_at":99,"answers":{{"nama_kepala_keluarga":7}}}}"#,
            saved.id
        ),
        // Another household's record under this one's key.
        &format!(
            r#"{{"id":"{}","schema_version":3,"form_version":"x","revision":1,"status":"draft","created_at":1,"updated_at":99,"answers":{{}}}}"#,
            RecordId::from_random_bytes([9; 16])
        ),
        // A schema this app does not know.
        &format!(
            r#"{{"id":"{}","schema_version":99,"form_version":"x","revision":1,"status":"draft","created_at":1,"updated_at":99,"answers":{{}}}}"#,
            saved.id
        ),
    ] {
        local().set_item(&key, broken).unwrap();
        let recovery = store.recover(None).await;
        assert!(recovery.restored.is_empty(), "{broken}");
        assert_eq!(recovery.problems.len(), 1, "{broken}");
        let message = &recovery.problems[0];
        assert!(
            message.id.contains("tidak dapat dibaca") && message.id.contains(saved.id.as_str()),
            "{}",
            message.id
        );
        assert!(message.en.contains("cannot be read"), "{}", message.en);
        assert_eq!(
            store.get(&saved.id).await.unwrap(),
            Some(saved.clone()),
            "{broken}"
        );
        assert_eq!(local().get_item(&key).unwrap(), None, "not replayed again");
        assert_eq!(
            local().get_item(&aside).unwrap().as_deref(),
            Some(broken),
            "kept aside as it was"
        );
    }
    local().remove_item(&aside).unwrap();
    assert_eq!(store.count().await.unwrap(), 1);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_full_local_storage_is_reported_and_saving_goes_on() {
    let (store, name) = fresh_store("journal-full").await;
    // Fill localStorage to its quota with large values.
    let chunk = "x".repeat(256 * 1024);
    let mut filler = Vec::new();
    let mut size = chunk.len();
    loop {
        let key = format!("verval-test-filler-{}", filler.len());
        let value = &chunk[..size];
        match local().set_item(&key, value) {
            Ok(()) => filler.push(key),
            Err(_) if size > 64 => size /= 2,
            Err(_) => break,
        }
    }
    let typed = record(
        8,
        "A NAME LONG ENOUGH NOT TO FIT IN WHAT IS LEFT OF LOCAL STORAGE",
        10,
    );
    let refused = store.journal_write(&typed);
    for key in &filler {
        local().remove_item(key).unwrap();
    }
    let message = refused.expect_err("a full localStorage refuses the journal");
    assert!(message.id.contains("QuotaExceededError"), "{}", message.id);
    assert!(message.en.contains("wait for"), "{}", message.en);
    // Nothing was half written, and the household still saves to IndexedDB.
    assert_eq!(local().get_item(&store.journal_key(&typed.id)).unwrap(), None);
    store.put(&typed).await.unwrap();
    assert_eq!(store.get(&typed.id).await.unwrap(), Some(typed));
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn a_new_household_typed_on_the_prerendered_screen_is_stored_unless_the_form_took_it() {
    let (store, name) = fresh_store("journal-prerender").await;
    let id = RecordId::from_random_bytes([10; 16]);
    let key = store.journal_key(&id);
    // What keluarga.html's script writes.
    let entry = format!(
        r#"{{"baru":{{"id":"{id}","at":1700000000000,"answers":{{"nama_kepala_keluarga":"SITI","rt":"003","status_kk":"1"}}}}}}"#
    );
    local().set_item(&key, &entry).unwrap();
    // The page whose screen holds it leaves it to the form.
    assert!(store.recover(Some(id.as_str())).await.restored.is_empty());
    assert_eq!(store.get(&id).await.unwrap(), None);

    assert_eq!(store.recover(None).await.restored, vec![id.clone()]);
    let stored = store.get(&id).await.unwrap().expect("stored");
    // Exactly the record the app makes for a new household, with the screen's answers.
    let mut expected = HouseholdRecord::new(id.clone(), Timestamp(1_700_000_000_000));
    for (field, answer) in [
        ("nama_kepala_keluarga", "SITI"),
        ("rt", "003"),
        ("status_kk", "1"),
    ] {
        expected.answers.insert_raw(field, answer);
    }
    assert_eq!(stored, expected);
    assert_eq!(stored.status, RecordStatus::Draft);

    // Once the form has stored the household, the screen's entry changes nothing.
    let mut later = stored.clone();
    later.answers.insert_raw("alamat", "Dusun Krajan");
    store.put(&later).await.unwrap();
    local().set_item(&key, &entry).unwrap();
    assert!(store.recover(None).await.restored.is_empty());
    assert_eq!(store.get(&id).await.unwrap(), Some(later));
    assert_eq!(store.count().await.unwrap(), 1);
    done(store, name).await;
}

#[wasm_bindgen_test]
async fn another_databases_journal_is_left_alone() {
    let (first, first_name) = fresh_store("journal-one").await;
    let (second, second_name) = fresh_store("journal-two").await;
    let typed = record(11, "NUR", 10);
    first.journal_write(&typed).unwrap();
    assert!(second.recover(None).await.restored.is_empty());
    assert_eq!(second.count().await.unwrap(), 0);
    assert_eq!(first.recover(None).await.restored, vec![typed.id.clone()]);
    done(first, first_name).await;
    done(second, second_name).await;
}
