//! The district's review on the phone against real IndexedDB (issue #20): a feed taken in
//! one transaction with its cursor, taken again without change, never lowered by an older
//! one; where each household stands as the enumerator corrects it; a feed for another phone
//! refused with nothing taken; and a version 5 database upgraded with its households.

use crate::fixtures::{delete_db, district_key, fresh_store, unique_db_name};
use crate::store_idb::put_raw;
use verval::storage::schema::Version;
use verval::storage::IdbStore;
use verval::sync::review_feed::take_reviews;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::review::book::{Merged, Standing};
use verval_core::review::feed::{ReviewFeed, ReviewMessage};
use verval_core::review::{Decision, DuplicateOf, FieldNote, RowRef};
use verval_core::seal::published::Channel::{Handed, Hub};
use verval_core::seal::published::{KeyPin, PublishedKey};
use verval_core::store::HouseholdStore;
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

fn id(seed: u8) -> RecordId {
    RecordId::from_random_bytes([seed; 16])
}

fn finalized(seed: u8) -> HouseholdRecord {
    let mut r = HouseholdRecord::new(id(seed), Timestamp(10));
    r.finalize(Timestamp(20));
    r
}

pub(crate) fn decision(seq: u64, seed: u8, revision: u32, decision: Decision, note: &str) -> ReviewMessage {
    ReviewMessage {
        seq,
        record_id: id(seed).to_string(),
        revision,
        decision,
        note: note.to_owned(),
        fields: Vec::new(),
        duplicate_of: None,
        reviewer: "Verifikator Dinsos".to_owned(),
        at: 1_764_000_000_000,
    }
}

pub(crate) fn feed(device: &str, cursor: u64, reviews: Vec<ReviewMessage>) -> ReviewFeed {
    ReviewFeed::new(
        "Dinsos".to_owned(),
        "SITI".to_owned(),
        vec![device.to_owned()],
        cursor,
        reviews,
        Vec::new(),
    )
}

async fn standing(store: &IdbStore, seed: u8) -> Option<Standing> {
    let standings = store.standings().await.expect("standings");
    standings
        .into_iter()
        .find(|(s, _)| s.id == id(seed))
        .map(|(_, standing)| standing)
}

#[wasm_bindgen_test]
async fn a_feed_is_taken_once_and_an_older_one_changes_nothing() {
    let (store, name) = fresh_store("reviews-merge").await;
    let mut sent_back = decision(4, 1, 1, Decision::PerluPerbaikan, "Foto KK buram");
    sent_back.fields.push(FieldNote {
        field: "nik".to_owned(),
        row: Some(RowRef {
            repeat: "art".to_owned(),
            key: 2,
            position: 3,
        }),
        note: "NIK anggota 3 tidak sesuai KK".to_owned(),
    });
    let first = feed(
        "d",
        7,
        vec![sent_back.clone(), decision(7, 2, 1, Decision::Disetujui, "")],
    );
    assert_eq!(
        store.merge_reviews(&first).await.expect("merge"),
        Merged { new: 2, known: 0 }
    );
    assert_eq!(store.review_cursor().await.expect("cursor"), 7);
    // The same feed again (a round cut off before its answer was noted): nothing new.
    assert_eq!(
        store.merge_reviews(&first).await.expect("again"),
        Merged { new: 0, known: 2 }
    );
    // A review file made before the last sync: neither its decision nor its cursor wins.
    let older = feed("d", 3, vec![decision(3, 1, 1, Decision::Disetujui, "")]);
    assert_eq!(
        store.merge_reviews(&older).await.expect("older"),
        Merged { new: 0, known: 1 }
    );
    assert_eq!(store.review_cursor().await.expect("cursor"), 7);
    assert_eq!(store.review_of(&id(1)).await.expect("read"), Some(sent_back));
    // Closing and reopening keeps both.
    store.close();
    let store = IdbStore::open(&name).await.expect("reopen");
    assert_eq!(store.review_cursor().await.expect("cursor"), 7);
    assert_eq!(
        store.review_of(&id(2)).await.expect("read").map(|r| r.decision),
        Some(Decision::Disetujui)
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_household_stands_where_its_correction_puts_it() {
    let (store, name) = fresh_store("reviews-standing").await;
    let mut household = finalized(1);
    store.put(&household).await.expect("put");
    store.put(&finalized(3)).await.expect("put");
    let mut duplicate = decision(3, 3, 1, Decision::Ditolak, "Ganda");
    duplicate.duplicate_of = Some(DuplicateOf {
        record_id: id(9).to_string(),
        name: "SUTRISNO".to_owned(),
    });
    let reviews = vec![
        decision(1, 1, 1, Decision::PerluPerbaikan, "NIK salah"),
        // A household no longer on this phone: left out of the list.
        decision(2, 5, 1, Decision::Disetujui, ""),
        duplicate,
    ];
    store.merge_reviews(&feed("d", 3, reviews)).await.expect("merge");
    assert_eq!(standing(&store, 1).await, Some(Standing::SentBack));
    assert_eq!(standing(&store, 5).await, None);
    let rejected = standing(&store, 3).await.expect("rejected");
    assert!(!rejected.editable(), "a duplicate is not corrected: {rejected:?}");

    // The enumerator corrects it: a draft still needs correcting; finalized, it is corrected.
    store.keep_revision(&household).await.expect("keep");
    household.start_correction(Timestamp(30));
    store.put(&household).await.expect("draft");
    assert_eq!(standing(&store, 1).await, Some(Standing::SentBack));
    household.finalize(Timestamp(40));
    store.put(&household).await.expect("final");
    assert_eq!(standing(&store, 1).await, Some(Standing::Corrected));

    // The district approves the corrected revision.
    let approved = feed("d", 8, vec![decision(8, 1, 2, Decision::Disetujui, "")]);
    store.merge_reviews(&approved).await.expect("merge");
    assert_eq!(standing(&store, 1).await, Some(Standing::Approved));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_feed_for_another_phone_is_refused_and_nothing_is_taken() {
    let (store, name) = fresh_store("reviews-device").await;
    let device = store.device_id(id(0xdd)).await.expect("device id");
    let theirs = feed(
        "another-phone",
        5,
        vec![decision(5, 1, 1, Decision::Disetujui, "")],
    );
    let bytes = serde_json::to_vec(&theirs).expect("json");
    let refused = take_reviews(&store, &bytes, Hub)
        .await
        .expect_err("another phone's");
    assert!(refused.id.contains("HP lain"), "{}", refused.id);
    assert!(refused.en.contains("another phone"), "{}", refused.en);
    assert_eq!(store.review_cursor().await.expect("cursor"), 0);
    assert_eq!(store.review_of(&id(1)).await.expect("read"), None);
    // Not a review file at all.
    let not_one = take_reviews(&store, b"<html>login</html>", Hub)
        .await
        .expect_err("html");
    assert!(not_one.en.contains("not a Verval review file"), "{}", not_one.en);

    let ours = feed(&device, 5, vec![decision(5, 1, 1, Decision::Disetujui, "")]);
    let bytes = serde_json::to_vec(&ours).expect("json");
    assert_eq!(
        take_reviews(&store, &bytes, Handed).await.expect("ours"),
        Merged { new: 1, known: 0 }
    );
    assert_eq!(store.review_cursor().await.expect("cursor"), 5);
    store.close();
    delete_db(&name).await;
}

/// Keys added or rotated after enrolment reach the phone with the review feed (issue #22):
/// pinned on a phone that had none when its hub sent them, only offered when they came in a
/// review file, held for confirmation on one that had others, and kept in IndexedDB across a
/// reopening; a feed whose keys do not check is refused whole.
#[wasm_bindgen_test]
async fn the_district_keys_ride_with_the_reviews_and_a_change_waits_for_confirmation() {
    let (store, name) = fresh_store("reviews-keys").await;
    let device = store.device_id(id(0xdd)).await.expect("device id");
    let take = |keys: Vec<PublishedKey>, cursor: u64| {
        let mut sent = feed(&device, cursor, Vec::new());
        sent.district_keys = keys;
        serde_json::to_vec(&sent).expect("json")
    };
    assert_eq!(store.key_pin().await.expect("pin"), KeyPin::default());
    // A review file handed over: its reviews are taken, its keys only offered.
    let handed = take(vec![district_key(8), district_key(9)], 1);
    take_reviews(&store, &handed, Handed).await.expect("a file");
    let pin = store.key_pin().await.expect("pin");
    assert!(pin.pinned.is_empty(), "a file's keys are not used unchecked");
    assert_eq!(pin.offered, vec![district_key(8), district_key(9)]);
    assert_eq!(store.review_cursor().await.expect("cursor"), 1);
    // The sync round's answer from the phone's own hub: pinned.
    take_reviews(&store, &take(vec![district_key(1), district_key(2)], 1), Hub)
        .await
        .expect("first keys");
    let pin = store.key_pin().await.expect("pin");
    assert_eq!(pin.pinned, vec![district_key(1), district_key(2)]);
    assert!(pin.offered.is_empty());

    // A rotated key: offered, still sealing to the pinned ones.
    take_reviews(&store, &take(vec![district_key(1), district_key(3)], 2), Hub)
        .await
        .expect("rotated");
    store.close();
    let store = IdbStore::open(&name).await.expect("reopen");
    let pin = store.key_pin().await.expect("pin");
    assert_eq!(pin.pinned, vec![district_key(1), district_key(2)]);
    assert_eq!(pin.offered, vec![district_key(1), district_key(3)]);
    assert_eq!(pin.seal_to().expect("keys").map(|r| r.len()), Some(2));

    // A forged list: the whole feed refused, cursor and keys unchanged.
    let mut forged = vec![district_key(4), district_key(5)];
    forged[1].fingerprint = district_key(6).fingerprint;
    let refused = take_reviews(&store, &take(forged, 3), Hub)
        .await
        .expect_err("forged");
    assert!(refused.en.contains("district keys"), "{}", refused.en);
    assert_eq!(store.review_cursor().await.expect("cursor"), 2);
    assert_eq!(
        store.key_pin().await.expect("pin").offered,
        vec![district_key(1), district_key(3)]
    );

    // The district confirms on the phone.
    assert!(store.confirm_keys().await.expect("confirm"));
    let pin = store.key_pin().await.expect("pin");
    assert_eq!(pin.pinned, vec![district_key(1), district_key(3)]);
    assert!(pin.offered.is_empty());
    assert!(!store.confirm_keys().await.expect("nothing more"));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_version_5_database_upgrades_with_its_households_and_no_reviews() {
    let name = unique_db_name("reviews-upgrade");
    IdbStore::open_at(&name, Version::V5)
        .await
        .expect("version 5")
        .close();
    // What version 5 of the app stored, put raw: this build's writes reach later stores.
    put_raw(
        &name,
        serde_wasm_bindgen::to_value(&finalized(1)).expect("record as JS"),
    )
    .await;
    let store = IdbStore::open(&name).await.expect("upgrade");
    assert_eq!(store.version(), verval::storage::schema::CURRENT.number());
    assert!(store.get(&id(1)).await.expect("get").is_some());
    assert!(store.standings().await.expect("standings").is_empty());
    assert_eq!(store.review_cursor().await.expect("cursor"), 0);
    store
        .merge_reviews(&feed(
            "d",
            1,
            vec![decision(1, 1, 1, Decision::PerluPerbaikan, "x")],
        ))
        .await
        .expect("merge");
    assert_eq!(standing(&store, 1).await, Some(Standing::SentBack));
    store.close();
    delete_db(&name).await;
}
