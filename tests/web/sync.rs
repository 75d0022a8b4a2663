//! The sync ledger against real IndexedDB: the hub link, the lease that lets one tab sync,
//! what the outbox holds as batches are made, answered and refused, and receipts that only
//! mark what this phone sent.

use crate::fixtures::{delete_db, district_key, fresh_store};
use std::cell::Cell;
use std::rc::Rc;
use verval::device::now;
use verval::storage::{BatchInfo, HubLink, IdbStore, Leaving, SyncState};
use verval::sync::lease::{freed, Lease};
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::seal::published::Channel;
use verval_core::store::HouseholdStore;
use verval_core::sync::outbox::{to_batch, unsent_count};
use verval_core::sync::receipt::{RECEIPT_FORMAT, RECEIPT_FORMAT_VERSION};
use verval_core::sync::{Outcome, Receipt, ReceivedRecord};
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

fn final_record(seed: u8) -> HouseholdRecord {
    let mut r = HouseholdRecord::new(RecordId::from_random_bytes([seed; 16]), Timestamp(10));
    r.finalize(Timestamp(20));
    r
}

fn zip() -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"PK!"[..]));
    web_sys::Blob::new_with_u8_array_sequence(&parts).expect("blob")
}

fn sync_batch(n: u8, count: u32) -> BatchInfo {
    BatchInfo {
        batch_id: RecordId::from_random_bytes([0xb0 + n; 16]).to_string(),
        file_name: format!("verval-x-{n:03}.zip"),
        created_at: Timestamp(100 + i64::from(n)),
        record_count: count,
        bytes: 3,
        profile: "lengkap".to_owned(),
        for_sync: true,
        ..BatchInfo::default()
    }
}

fn receipt(batch: &BatchInfo, records: &[&HouseholdRecord]) -> Receipt {
    Receipt {
        format: RECEIPT_FORMAT.to_owned(),
        format_version: RECEIPT_FORMAT_VERSION,
        batch_id: batch.batch_id.clone(),
        batch_sha256: "0".repeat(64),
        file_name: batch.file_name.clone(),
        hub: "Dinsos".to_owned(),
        received_at: 1,
        records: records
            .iter()
            .map(|r| ReceivedRecord {
                id: r.id.to_string(),
                revision: r.revision,
                sha256: "x".to_owned(),
                outcome: Outcome::Stored,
            })
            .collect(),
    }
}

async fn finish(store: IdbStore, name: String) {
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_hub_link_and_sync_state_survive_and_a_new_enrolment_unblocks() {
    let (store, name) = fresh_store("sync-link").await;
    assert_eq!(store.hub_link().await.unwrap(), None);
    assert_eq!(store.sync_state().await.unwrap(), SyncState::default());
    store
        .set_sync_state(&SyncState {
            failures: 3,
            blocked: true,
            last_error: Some(("dicabut".into(), "revoked".into())),
            ..SyncState::default()
        })
        .await
        .unwrap();
    let link = HubLink {
        url: "http://127.0.0.1:8080".into(),
        token: "t".into(),
        enumerator_id: "12".into(),
        enumerator: "SITI".into(),
        villages: vec!["35.13.14.2001".into()],
        hub: "Dinsos".into(),
        enrolled_at: Timestamp(5),
    };
    store.set_hub_link(&link).await.unwrap();
    assert_eq!(store.hub_link().await.unwrap(), Some(link));
    let state = store.sync_state().await.unwrap();
    assert_eq!(
        (state.blocked, state.failures, state.last_error),
        (false, 0, None)
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn one_tab_at_a_time_holds_the_sync_lease() {
    let (store, name) = fresh_store("sync-lease").await;
    let now = Timestamp(1_000);
    assert!(store.claim_sync_lease("tab-a", now, 60_000).await.unwrap());
    assert!(!store.claim_sync_lease("tab-b", now, 60_000).await.unwrap());
    assert!(
        store.claim_sync_lease("tab-a", now, 60_000).await.unwrap(),
        "renewed"
    );
    // Released, or expired (a killed tab never releases it).
    store.release_sync_lease("tab-b").await.unwrap();
    assert!(
        !store.claim_sync_lease("tab-b", now, 60_000).await.unwrap(),
        "not b's to release"
    );
    assert!(store
        .claim_sync_lease("tab-b", Timestamp(now.0 + 60_001), 60_000)
        .await
        .unwrap());
    store.release_sync_lease("tab-b").await.unwrap();
    assert!(store.claim_sync_lease("tab-a", now, 60_000).await.unwrap());
    finish(store, name).await;
}

/// Resolves after `ms` of the page's own timer.
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

#[wasm_bindgen_test]
async fn the_sync_lease_is_a_web_lock_and_a_waiting_round_hears_it_let_go() {
    let (store, name) = fresh_store("sync-web-lock").await;
    let first = Lease::claim(&store, "tab-a")
        .await
        .unwrap()
        .expect("free at first");
    assert!(first.is_web_lock(), "a Web Lock where the browser has them");
    assert!(
        Lease::claim(&store, "tab-b").await.unwrap().is_none(),
        "one round at a time"
    );
    // A worker without the lock (an older version still open, or Web Locks refused) waits
    // for the stored lease the holder took too.
    assert!(
        !store.claim_sync_lease("tab-c", now(), 60_000).await.unwrap(),
        "the stored lease is taken under the lock"
    );

    let heard = Rc::new(Cell::new(false));
    let waiting = heard.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(freed()).await;
        waiting.set(true);
    });
    pause(100).await;
    assert!(!heard.get(), "still held");
    first.release(&store).await.unwrap();
    pause(100).await;
    assert!(heard.get(), "the waiting round heard the lease let go");

    // A worker killed under the lock left its stored lease: the next holder takes it over.
    assert!(store
        .claim_sync_lease("weblock:killed", now(), 120_000)
        .await
        .unwrap());
    let next = Lease::claim(&store, "tab-b").await.unwrap().expect("taken over");
    next.release(&store).await.unwrap();
    // A worker without the lock syncing: the holder of the lock waits, and lets it go.
    assert!(store.claim_sync_lease("tab-c", now(), 60_000).await.unwrap());
    assert!(Lease::claim(&store, "tab-b").await.unwrap().is_none());
    store.release_sync_lease("tab-c").await.unwrap();
    let last = Lease::claim(&store, "tab-b")
        .await
        .unwrap()
        .expect("the lock was let go");
    last.release(&store).await.unwrap();
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn the_outbox_empties_only_by_receipts_and_refusals() {
    let (store, name) = fresh_store("sync-outbox").await;
    let (a, b, c) = (final_record(1), final_record(2), final_record(3));
    for r in [&a, &b, &c] {
        store.put(r).await.unwrap();
    }
    let state = store.outbox_state().await.unwrap();
    assert_eq!(unsent_count(&state), 3);
    assert_eq!(to_batch(&state).0.len(), 3);

    // A sync batch with a and b: in flight, not sent.
    let first = sync_batch(1, 2);
    store
        .save_batch(&first, &zip(), 1, &[(a.id.clone(), 1), (b.id.clone(), 1)])
        .await
        .unwrap();
    assert_eq!(
        store.batches_to_send().await.unwrap(),
        std::slice::from_ref(&first)
    );
    let state = store.outbox_state().await.unwrap();
    assert_eq!(unsent_count(&state), 3, "in flight still counts as not sent");
    assert_eq!(
        to_batch(&state).0,
        vec![c.id.to_string()],
        "only c needs a new batch"
    );

    // A receipt naming a, b and a stranger: a and b acknowledged, the stranger ignored.
    let stranger = final_record(9);
    let marked = store
        .store_receipt(&receipt(&first, &[&a, &b, &stranger]), "sync", Timestamp(500))
        .await
        .unwrap();
    assert_eq!(marked, 2);
    assert!(store.batches_to_send().await.unwrap().is_empty());
    let answered = &store.batches().await.unwrap()[0];
    assert_eq!(answered.received_at, Some(Timestamp(500)));
    assert_eq!(answered.received_via.as_deref(), Some("sync"));
    assert!(answered.handed_over_at.is_some());
    assert_eq!(
        store.batch_file(&first.batch_id).await.unwrap(),
        None,
        "a sync batch's file is dropped once the hub holds it"
    );
    assert!(answered.deleted_at.is_some());
    let state = store.outbox_state().await.unwrap();
    assert_eq!(unsent_count(&state), 1);
    assert_eq!(store.acks().await.unwrap().len(), 2);

    // A correction of a, finalized again: the new revision waits.
    let mut a2 = a.clone();
    a2.start_correction(Timestamp(600));
    a2.finalize(Timestamp(610));
    store.put(&a2).await.unwrap();
    let state = store.outbox_state().await.unwrap();
    assert_eq!(unsent_count(&state), 2);

    // The hub refuses a batch of a2 and c, naming c: c is set aside, a2 waits for a new one.
    let second = sync_batch(2, 2);
    store
        .save_batch(&second, &zip(), 2, &[(a2.id.clone(), 2), (c.id.clone(), 1)])
        .await
        .unwrap();
    store
        .reject_batch(
            &second.batch_id,
            "desa lain",
            Some((c.id.to_string(), 1)),
            Timestamp(700),
        )
        .await
        .unwrap();
    let held = store.quarantined().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].id.as_str(), held[0].reason.as_str()),
        (c.id.as_str(), "desa lain")
    );
    let state = store.outbox_state().await.unwrap();
    assert_eq!(to_batch(&state), (vec![a2.id.to_string()], vec![]));
    assert_eq!(
        unsent_count(&state),
        1,
        "c no longer waits: it is held back, with its reason"
    );

    // Refused as a whole without a record named: each record travels alone next time.
    let third = sync_batch(3, 1);
    store
        .save_batch(&third, &zip(), 3, &[(a2.id.clone(), 2)])
        .await
        .unwrap();
    let fourth_info = BatchInfo {
        record_count: 2,
        ..sync_batch(4, 2)
    };
    let (d, e) = (final_record(4), final_record(5));
    store.put(&d).await.unwrap();
    store.put(&e).await.unwrap();
    store
        .save_batch(&fourth_info, &zip(), 4, &[(d.id.clone(), 1), (e.id.clone(), 1)])
        .await
        .unwrap();
    store
        .reject_batch(&fourth_info.batch_id, "batch terlalu besar", None, Timestamp(800))
        .await
        .unwrap();
    let state = store.outbox_state().await.unwrap();
    let (together, mut alone) = to_batch(&state);
    alone.sort();
    let mut expected = vec![d.id.to_string(), e.id.to_string()];
    expected.sort();
    assert_eq!(
        (together, alone),
        (vec![], expected),
        "a2 is in flight in batch 3"
    );
    finish(store, name).await;
}

#[wasm_bindgen_test]
async fn a_receipt_file_marks_a_handed_over_batch_and_keeps_its_file() {
    let (store, name) = fresh_store("sync-file-receipt").await;
    let a = final_record(1);
    store.put(&a).await.unwrap();
    let file = BatchInfo {
        for_sync: false,
        ..sync_batch(1, 1)
    };
    store
        .save_batch(&file, &zip(), 1, &[(a.id.clone(), 1)])
        .await
        .unwrap();
    assert!(
        store.batches_to_send().await.unwrap().is_empty(),
        "a file is not uploaded"
    );
    let marked = store
        .store_receipt(&receipt(&file, &[&a]), "file", Timestamp(900))
        .await
        .unwrap();
    assert_eq!(marked, 1);
    let batch = &store.batches().await.unwrap()[0];
    assert_eq!(batch.received_via.as_deref(), Some("file"));
    assert_eq!(batch.deleted_at, None);
    assert!(
        store.batch_file(&file.batch_id).await.unwrap().is_some(),
        "the user's file stays"
    );
    let acks = store.acks().await.unwrap();
    assert_eq!((acks[0].via.as_str(), acks[0].revision), ("file", 1));
    assert_eq!(unsent_count(&store.outbox_state().await.unwrap()), 0);
    finish(store, name).await;
}

/// Fail closed for batches made before the phone had the district's keys (issue #22): once
/// it has them, a plain sync batch still waiting is withdrawn unsent (its households batched
/// again, together, sealed), and a plain file on the list is not handed over again.
#[wasm_bindgen_test]
async fn a_plain_batch_made_before_the_keys_never_leaves_after_them() {
    let (store, name) = fresh_store("sync-plain-before-keys").await;
    let (a, b, c) = (final_record(1), final_record(2), final_record(3));
    for r in [&a, &b, &c] {
        store.put(r).await.unwrap();
    }
    let waiting = sync_batch(1, 2);
    store
        .save_batch(&waiting, &zip(), 1, &[(a.id.clone(), 1), (b.id.clone(), 1)])
        .await
        .unwrap();
    let file = BatchInfo {
        for_sync: false,
        record_count: 1,
        ..sync_batch(2, 1)
    };
    store
        .save_batch(&file, &zip(), 2, &[(c.id.clone(), 1)])
        .await
        .unwrap();
    let sealed = BatchInfo {
        for_sync: false,
        sealed: true,
        record_count: 1,
        ..sync_batch(3, 1)
    };
    store
        .save_batch(&sealed, &zip(), 3, &[(c.id.clone(), 1)])
        .await
        .unwrap();

    // No keys yet: plain batches leave as they are, nothing is withdrawn.
    assert_eq!(store.withdraw_plain_batches(Timestamp(400)).await.unwrap(), 0);
    assert!(matches!(
        store.leaving_file(&file.batch_id).await.unwrap(),
        Leaving::File(_)
    ));

    // Keys offered from a file wait for confirmation: still no sealing, still nothing held.
    let keys = [district_key(1), district_key(2)];
    store.offer_keys(&keys, Channel::Handed).await.unwrap().unwrap();
    assert!(!store.phone_seals().await.unwrap());
    assert_eq!(store.withdraw_plain_batches(Timestamp(450)).await.unwrap(), 0);

    // Confirmed: the plain files stay on the phone, a sealed one still leaves.
    assert!(store.confirm_keys().await.unwrap());
    assert!(store.phone_seals().await.unwrap());
    for plain in [&waiting, &file] {
        assert!(matches!(
            store.leaving_file(&plain.batch_id).await.unwrap(),
            Leaving::PlainBeforeKeys
        ));
    }
    assert!(matches!(
        store.leaving_file(&sealed.batch_id).await.unwrap(),
        Leaving::File(_)
    ));

    // The waiting sync batch is withdrawn: not sent, its file dropped, its households back
    // in the outbox together (not one by one, as after a refusal).
    assert_eq!(store.withdraw_plain_batches(Timestamp(500)).await.unwrap(), 1);
    assert!(store.batches_to_send().await.unwrap().is_empty());
    let withdrawn = store
        .batches()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.batch_id == waiting.batch_id)
        .unwrap();
    assert_eq!(withdrawn.replaced_at, Some(Timestamp(500)));
    assert_eq!(withdrawn.deleted_at, Some(Timestamp(500)));
    assert_eq!(withdrawn.rejected, None, "nothing is wrong with its households");
    assert!(store.batch_file(&waiting.batch_id).await.unwrap().is_none());
    let state = store.outbox_state().await.unwrap();
    let (mut together, alone) = to_batch(&state);
    together.sort();
    let mut expected = vec![a.id.to_string(), b.id.to_string(), c.id.to_string()];
    expected.sort();
    assert_eq!((together, alone), (expected, vec![]));
    assert_eq!(unsent_count(&state), 3);
    // Done once: a second pass finds nothing more.
    assert_eq!(store.withdraw_plain_batches(Timestamp(600)).await.unwrap(), 0);
    finish(store, name).await;
}
