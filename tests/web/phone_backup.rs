//! The phone's backup against real IndexedDB (issue #23): an old phone's households, drafts
//! included, their kept revisions and photos go into the backup; sealed to the district,
//! re-sealed by the district to a new phone's one-time key, and restored there, sealed
//! under the new phone's own data key. The new phone's own families and newer edits stay;
//! a restored finalized household waits for a batch; restoring twice writes nothing.

use crate::fixtures::{delete_db, fresh_store, put_meta_raw};
use crate::sealing::{blob_bytes, family, key, raw_photos, raw_values, readable, NAME};
use verval::storage::schema::{v1, v2, v3};
use verval_core::form::default::FOTO_KK;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::seal::{entropy_len, Identity};
use verval_core::store::HouseholdStore;
use verval_core::vault::backup::{open_backup, reseal, seal_backup};
use wasm_bindgen_test::wasm_bindgen_test;

const PHOTO_KEY: &str = "foto-0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e";
const PHOTO: &[u8] = b"\xff\xd8 KTP SITI AMINAH";

fn photo() -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(PHOTO));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

fn entropy(n: usize, seed: u8) -> Vec<u8> {
    (0..entropy_len(n)).map(|i| (i as u8) ^ seed).collect()
}

#[wasm_bindgen_test]
async fn a_new_phone_restores_every_draft_through_the_district_and_keeps_its_own() {
    // The old phone, with a PIN: a draft with its KK photo, a household corrected after it
    // was finalized (its finalized revision kept), one finalized.
    let (old, old_name) = fresh_store("backup-old").await;
    old.hold_key(key(1));
    let mut draft = family(1);
    draft.answers.insert_raw(FOTO_KK.as_str(), PHOTO_KEY);
    old.put_photo(PHOTO_KEY, &photo()).await.unwrap();
    old.put(&draft).await.unwrap();
    let mut corrected = family(2);
    corrected.finalize(Timestamp(50));
    old.put(&corrected).await.unwrap();
    old.keep_revision(&corrected).await.unwrap();
    let finalized_first = corrected.clone();
    corrected.start_correction(Timestamp(60));
    old.put(&corrected).await.unwrap();
    let mut done = family(4);
    done.finalize(Timestamp(70));
    old.put(&done).await.unwrap();
    let backup = old.phone_backup("0a0a0a0a-old", Timestamp(100)).await.unwrap();
    assert_eq!(backup.households.len(), 3);
    assert_eq!(backup.revisions, vec![finalized_first.clone()]);
    assert_eq!(backup.photos.len(), 1);
    assert_eq!(backup.photos[0].bytes, PHOTO);
    old.close();
    delete_db(&old_name).await;

    // Through the district: sealed to its key, re-sealed to the new phone's one-time key.
    let district = Identity::from_random([3; 32]);
    let file = seal_backup(&backup, &[district.recipient()], &entropy(1, 1)).unwrap();
    let new_phone = Identity::from_random([4; 32]);
    let (answer, _) = reseal(
        &file,
        std::slice::from_ref(&district),
        &new_phone.recipient(),
        &entropy(1, 2),
    )
    .unwrap();
    let opened = open_backup(&answer, std::slice::from_ref(&new_phone)).unwrap();

    // The new phone, with its own PIN and data key: a family of its own, and a newer edit
    // of the corrected household.
    let (phone, name) = fresh_store("backup-new").await;
    phone.hold_key(key(2));
    let own = family(3);
    phone.put(&own).await.unwrap();
    let mut newer = corrected.clone();
    newer.updated_at = Timestamp(corrected.updated_at.0 + 1_000);
    phone.put(&newer).await.unwrap();

    let restored = phone.restore_backup(&opened).await.unwrap();
    assert_eq!((restored.added, restored.replaced, restored.kept), (2, 0, 1));
    assert_eq!(phone.get(&draft.id).await.unwrap(), Some(draft.clone()));
    assert_eq!(phone.get(&done.id).await.unwrap(), Some(done.clone()));
    assert_eq!(
        phone.get(&newer.id).await.unwrap(),
        Some(newer.clone()),
        "the newer edit stays"
    );
    assert_eq!(
        phone.get(&own.id).await.unwrap(),
        Some(own.clone()),
        "its own family stays"
    );
    assert_eq!(
        phone.revisions(&corrected.id).await.unwrap(),
        vec![finalized_first]
    );
    let photo = phone.photo(PHOTO_KEY).await.unwrap().expect("the photo");
    assert_eq!(blob_bytes(&photo).await, PHOTO);
    // The finalized household restored waits for a batch, as it did on the old phone.
    let pending: Vec<_> = phone
        .pending()
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(pending.contains(&done.id), "{pending:?}");
    // Sealed under the new phone's key.
    for store in [v1::HOUSEHOLDS, v2::REVISIONS] {
        assert!(!readable(&raw_values(&name, store).await), "{store}");
    }
    assert!(!raw_photos(&name).await.iter().any(|p| p.contains("AMINAH")));

    // Restoring again writes nothing.
    let again = phone.restore_backup(&opened).await.unwrap();
    assert_eq!(
        (again.added, again.replaced, again.kept, again.write.len()),
        (0, 0, 3, 0)
    );
    assert_eq!(phone.count().await.unwrap(), 4);
    let names: Vec<String> = phone
        .recent(10)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.nama_kepala_keluarga)
        .collect();
    assert!(names.iter().all(|n| n == NAME), "{names:?}");
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn an_older_draft_on_the_new_phone_is_replaced_and_its_finalized_revision_kept() {
    let (phone, name) = fresh_store("backup-replace").await;
    let mut on_phone: HouseholdRecord = family(5);
    on_phone.finalize(Timestamp(20));
    phone.put(&on_phone).await.unwrap();
    // The backup holds the household's next revision, begun after the phone's final one.
    let mut later = on_phone.clone();
    later.start_correction(Timestamp(30));
    let backup =
        verval_core::vault::backup::PhoneBackup::new(Timestamp(40), "d", vec![later.clone()], vec![], vec![]);
    let restored = phone.restore_backup(&backup).await.unwrap();
    assert_eq!((restored.added, restored.replaced, restored.kept), (0, 1, 0));
    assert_eq!(phone.get(&later.id).await.unwrap(), Some(later.clone()));
    assert_eq!(phone.revisions(&later.id).await.unwrap(), vec![on_phone]);
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_restore_key_waits_until_its_restore_is_done_and_the_last_backup_is_kept() {
    let (phone, name) = fresh_store("restore-key").await;
    assert!(phone.waiting_restore_identity().await.unwrap().is_none());
    let first = phone
        .restore_identity([1; 32])
        .await
        .unwrap()
        .recipient()
        .encode();
    let again = phone
        .restore_identity([2; 32])
        .await
        .unwrap()
        .recipient()
        .encode();
    assert_eq!(
        first, again,
        "the key the district was sent stays until the restore"
    );
    phone.put_restore_file(&photo()).await.unwrap();
    assert!(phone.restore_file().await.unwrap().is_some());
    phone.finish_restore().await.unwrap();
    assert!(phone.waiting_restore_identity().await.unwrap().is_none());
    assert!(phone.restore_file().await.unwrap().is_none());
    let next = phone
        .restore_identity([2; 32])
        .await
        .unwrap()
        .recipient()
        .encode();
    assert_ne!(next, first, "a new restore gets a new key");

    assert_eq!(phone.kept_phone_backup().await.unwrap(), None);
    let info = verval::storage::BackupInfo {
        file_name: "verval-cadangan-x.age".to_owned(),
        made_at: Timestamp(5),
        households: 3,
        drafts: 2,
        photos: 1,
    };
    phone.keep_phone_backup(&info, &photo()).await.unwrap();
    let (kept, file) = phone.kept_phone_backup().await.unwrap().expect("kept");
    assert_eq!(kept, info);
    assert_eq!(blob_bytes(&file).await, PHOTO);
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_backup_reminder_follows_the_sealed_households_changes() {
    const DAY: i64 = 86_400_000;
    let at = |days: i64| Timestamp(days * DAY);
    let (phone, name) = fresh_store("backup-reminder").await;
    phone.hold_key(key(1));
    assert!(
        !phone.backup_state(at(40)).await.unwrap().remind,
        "no household, nothing to keep"
    );

    // Never backed up: a week after the oldest change.
    let mut first = family(1);
    first.updated_at = at(10);
    phone.put(&first).await.unwrap();
    let mut second = family(2);
    second.updated_at = at(12);
    phone.put(&second).await.unwrap();
    let state = phone.backup_state(at(16)).await.unwrap();
    assert_eq!((state.days_since_backup, state.remind), (None, false), "six days");
    assert!(
        phone.backup_state(at(17)).await.unwrap().remind,
        "seven days after the oldest"
    );

    // Backed up on day 17: nothing changed since, however old the backup grows.
    let info = verval::storage::BackupInfo {
        file_name: "verval-cadangan-x.age".to_owned(),
        made_at: at(17),
        households: 2,
        drafts: 2,
        photos: 0,
    };
    phone.keep_phone_backup(&info, &photo()).await.unwrap();
    let state = phone.backup_state(at(30)).await.unwrap();
    assert_eq!((state.days_since_backup, state.remind), (Some(13), false));

    // A household changed on day 20 (the newest change, read from the sealed store's index):
    // reminded once the backup is a week old.
    let mut changed = family(1);
    changed.updated_at = at(20);
    phone.put(&changed).await.unwrap();
    assert!(
        !phone.backup_state(at(23)).await.unwrap().remind,
        "the backup is six days old"
    );
    assert!(phone.backup_state(at(24)).await.unwrap().remind);
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn on_a_phone_with_a_pin_the_restore_key_is_kept_sealed() {
    let (phone, name) = fresh_store("restore-key-sealed").await;
    phone.hold_key(key(1));
    let made = phone.restore_identity([7; 32]).await.unwrap();
    let secret = made.encode();
    let meta = raw_values(&name, v3::META).await;
    assert!(
        !meta.iter().any(|v| v.contains(&secret)),
        "the one-time secret key is not stored readable"
    );
    let shown = Some((made.recipient().encode(), made.recipient().fingerprint()));
    assert_eq!(phone.restore_recipient().await.unwrap(), shown);
    let waiting = phone.waiting_restore_identity().await.unwrap().expect("waiting");
    assert_eq!(waiting.encode(), secret, "it opens again with the data key");
    // Locked, it does not open (and nothing is written plain instead).
    phone.drop_key();
    assert!(phone.waiting_restore_identity().await.is_err());
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_restore_key_made_before_the_pin_is_sealed_by_the_first_unlock() {
    let (phone, name) = fresh_store("restore-key-before-pin").await;
    let made = phone.restore_identity([8; 32]).await.unwrap();
    let secret = made.encode();
    let stored = |meta: Vec<String>| meta.iter().any(|v| v.contains(&secret));
    assert!(
        stored(raw_values(&name, v3::META).await),
        "plain on a phone without a PIN"
    );
    phone.hold_key(key(1));
    phone.seal_all_once().await.unwrap();
    assert!(
        !stored(raw_values(&name, v3::META).await),
        "sealed once the phone has its key"
    );
    let waiting = phone
        .waiting_restore_identity()
        .await
        .unwrap()
        .expect("still waiting");
    assert_eq!(
        waiting.encode(),
        secret,
        "the same key, which the district was sent"
    );
    assert_eq!(
        phone.restore_recipient().await.unwrap(),
        Some((made.recipient().encode(), made.recipient().fingerprint())),
        "the key and its code are still shown"
    );
    assert_eq!(phone.seal_plain().await.unwrap(), 0, "nothing left plain");
    phone.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_restore_key_an_older_version_made_gets_its_code_when_prepared_again() {
    let (phone, name) = fresh_store("restore-key-no-code").await;
    // As the version before the code kept it: the secret and the public half only.
    let older = Identity::from_random([9; 32]);
    let kept = js_sys::Object::new();
    js_sys::Reflect::set(&kept, &"identity".into(), &older.encode().into()).unwrap();
    js_sys::Reflect::set(&kept, &"recipient".into(), &older.recipient().encode().into()).unwrap();
    put_meta_raw(&name, "restore_key", kept.into()).await;
    let recipient = older.recipient().encode();
    assert_eq!(
        phone.restore_recipient().await.unwrap(),
        Some((recipient.clone(), String::new())),
        "no code to show yet: the page offers to prepare the key again"
    );
    // The phone's PIN set since: the first unlock seals the key, code or none.
    phone.hold_key(key(1));
    phone.seal_all_once().await.unwrap();
    assert!(
        !raw_values(&name, v3::META)
            .await
            .iter()
            .any(|v| v.contains(&older.encode())),
        "sealed"
    );
    assert_eq!(
        phone
            .waiting_restore_identity()
            .await
            .unwrap()
            .map(|k| k.encode()),
        Some(older.encode()),
        "still readable"
    );
    let prepared = phone.restore_identity([10; 32]).await.unwrap();
    assert_eq!(
        prepared.encode(),
        older.encode(),
        "the same key, which the district may have been sent"
    );
    assert_eq!(
        phone.restore_recipient().await.unwrap(),
        Some((recipient, older.recipient().fingerprint()))
    );
    phone.close();
    delete_db(&name).await;
}
