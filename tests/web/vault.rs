//! The PIN lock's keeping against real IndexedDB and the browser's real WebCrypto (issue
//! #23): a PIN wraps one data key; the right PIN gives the same key back after a reopening;
//! wrong PINs are counted across tabs and reopenings, cost growing waits and never delete a
//! household; a changed PIN keeps the key; the key is escrowed to the district's confirmed
//! keys and comes back whole through a one-time key; a forgotten PIN is replaced through the
//! district's answer alone, asked through the hub or in writing.

use crate::fixtures::{delete_db, district_identity, district_key, fresh_store};
use verval::storage::vault::LockError;
use verval::storage::IdbStore;
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_core::seal::published::Channel;
use verval_core::seal::{entropy_len, Identity, Recipient};
use verval_core::store::HouseholdStore;
use verval_core::sync::api::EscrowUpload;
use verval_core::vault::escrow::{
    answer_written, from_text, key_id, open_answer, reseal_for, seal_key, to_text, WrittenRequest,
};
use verval_core::vault::pin::{wait_after, ITERATIONS};
use verval_core::vault::{DataKey, VaultError};
use verval_core::RecordId;
use wasm_bindgen_test::wasm_bindgen_test;

const PIN: &str = "482915";

#[wasm_bindgen_test]
async fn a_guessable_pin_is_refused_and_nothing_is_kept() {
    let (store, name) = fresh_store("vault-guessable").await;
    for pin in ["123456", "777777", "48291", "48a915"] {
        let refused = store.set_first_pin(pin, Timestamp(1)).await.unwrap_err();
        assert!(matches!(refused, LockError::Vault(_)), "{pin}: {refused:?}");
    }
    assert_eq!(store.vault().await.unwrap(), None);
    assert_eq!(
        store.unlock(PIN, Timestamp(2)).await.unwrap_err(),
        LockError::NoPin
    );
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn the_right_pin_opens_the_same_key_after_a_reopening_and_a_second_pin_is_refused() {
    let (store, name) = fresh_store("vault-right").await;
    let key = store.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    let meta = store.vault().await.unwrap().expect("kept");
    assert_eq!(meta.key_id, key_id(&key));
    assert!(meta.wrap.iterations >= ITERATIONS);
    assert_eq!(meta.pin_set_at, Timestamp(10));
    // Another tab setting its own PIN meanwhile would make a second data key: refused.
    assert_eq!(
        store.set_first_pin("593017", Timestamp(11)).await.unwrap_err(),
        LockError::PinAlreadySet
    );
    store.close();

    let store = IdbStore::open(&name).await.unwrap();
    let opened = store.unlock(PIN, Timestamp(20)).await.unwrap();
    assert_eq!(key_id(&opened), key_id(&key));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn wrong_pins_wait_longer_and_longer_and_never_delete_a_household() {
    let (store, name) = fresh_store("vault-wrong").await;
    let family = HouseholdRecord::new(RecordId::from_random_bytes([7; 16]), Timestamp(1));
    store.put(&family).await.unwrap();
    store.set_first_pin(PIN, Timestamp(10)).await.unwrap();

    // The first few wrong PINs cost nothing but the derivation.
    let mut at = 1_000;
    let mut failures = 0;
    while wait_after(failures + 1) == 0 {
        let wrong = store.unlock("000111", Timestamp(at)).await.unwrap_err();
        assert_eq!(wrong, LockError::Vault(VaultError::WrongPin));
        failures += 1;
        at += 1;
    }
    // The next wrong one counts, and then even the right PIN waits.
    let wrong = store.unlock("000111", Timestamp(at)).await.unwrap_err();
    assert_eq!(wrong, LockError::Vault(VaultError::WrongPin));
    failures += 1;
    let wait = wait_after(failures);
    assert!(wait > 0);
    let meta = store.vault().await.unwrap().unwrap();
    assert_eq!(
        (meta.failures, meta.last_failure_at),
        (failures, Some(Timestamp(at)))
    );
    assert_eq!(
        store.unlock(PIN, Timestamp(at + 1)).await.unwrap_err(),
        LockError::Wait { ms: wait - 1 }
    );
    // A clock set back a year does not make the wait a year long.
    assert_eq!(
        store
            .unlock(PIN, Timestamp(at - 365 * 24 * 3600 * 1000))
            .await
            .unwrap_err(),
        LockError::Wait { ms: wait }
    );
    store.close();
    // Counted across a reopening (a closed tab does not reset the wait); after it, one more
    // wrong PIN doubles it.
    let store = IdbStore::open(&name).await.unwrap();
    at += wait as i64;
    store.unlock("000111", Timestamp(at)).await.unwrap_err();
    assert_eq!(
        store.unlock(PIN, Timestamp(at)).await.unwrap_err(),
        LockError::Wait { ms: wait * 2 }
    );
    // The family is all there; once the wait is over the right PIN opens and the count
    // starts again.
    assert_eq!(store.get(&family.id).await.unwrap(), Some(family.clone()));
    at += (wait * 2) as i64;
    store.unlock(PIN, Timestamp(at)).await.unwrap();
    let meta = store.vault().await.unwrap().unwrap();
    assert_eq!((meta.failures, meta.last_failure_at), (0, None));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_changed_pin_keeps_the_key_and_a_strangers_key_is_refused() {
    let (store, name) = fresh_store("vault-change").await;
    let key = store.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    store.change_pin(&key, "305618", Timestamp(20)).await.unwrap();
    assert_eq!(
        store.unlock(PIN, Timestamp(30)).await.unwrap_err(),
        LockError::Vault(VaultError::WrongPin)
    );
    let opened = store.unlock("305618", Timestamp(31)).await.unwrap();
    assert_eq!(key_id(&opened), key_id(&key));
    assert_eq!(
        store.vault().await.unwrap().unwrap().failures,
        0,
        "the count starts again"
    );

    // A key from elsewhere (another phone's answer) does not replace this phone's.
    let (other, other_name) = fresh_store("vault-change-other").await;
    let stranger = other.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    assert!(matches!(
        store
            .change_pin(&stranger, "720394", Timestamp(40))
            .await
            .unwrap_err(),
        LockError::Vault(VaultError::Damaged(_))
    ));
    store.unlock("305618", Timestamp(41)).await.unwrap();
    other.close();
    delete_db(&other_name).await;
    store.close();
    delete_db(&name).await;
}

/// The data key escrowed to the district (issue #23): none while the phone has no district
/// keys; made at the first unlock after they are confirmed, and again after they change; the
/// district's identity opens it and re-seals it to a phone's one-time key, and what comes back
/// is this phone's key — the whole forgotten-PIN path on the stored bytes.
#[wasm_bindgen_test]
async fn the_data_key_is_escrowed_to_the_confirmed_district_keys_and_comes_back_whole() {
    let (store, name) = fresh_store("vault-escrow").await;
    let key = store.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    assert_eq!(
        store.escrow().await.unwrap().map(|k| k.upload),
        None,
        "no district keys yet"
    );

    // Keys from a file wait for confirmation: still nothing escrowed to them.
    store
        .offer_keys(&[district_key(1), district_key(2)], Channel::Handed)
        .await
        .unwrap()
        .unwrap();
    store.unlock(PIN, Timestamp(20)).await.unwrap();
    assert_eq!(store.escrow().await.unwrap().map(|k| k.upload), None);

    // Confirmed: the next unlock escrows the key to both.
    assert!(store.confirm_keys().await.unwrap());
    store.unlock(PIN, Timestamp(30)).await.unwrap();
    let escrow = store.escrow().await.unwrap().map(|k| k.upload).expect("escrowed");
    assert_eq!(escrow.key_id, key_id(&key));
    assert_eq!(
        escrow.district_keys,
        vec![district_key(1).fingerprint, district_key(2).fingerprint]
    );
    // The break-glass key alone opens it; the answer to a one-time key is this phone's key.
    let sealed = from_text(&escrow.escrow).unwrap();
    let one_time = Identity::from_random([0x51; 32]);
    let answer = reseal_for(
        &sealed,
        &[district_identity(2)],
        &one_time.recipient(),
        &vec![9; entropy_len(1)],
    )
    .unwrap();
    let back = open_answer(&answer, &one_time, &key_id(&key)).unwrap();
    assert_eq!(key_id(&back), key_id(&key));
    assert!(reseal_for(
        &sealed,
        &[district_identity(3)],
        &one_time.recipient(),
        &vec![9; entropy_len(1)]
    )
    .is_err());

    // The sync worker sends it to each hub once: the body is the escrow as the hub takes it.
    const HUB: &str = "https://dinsos.example";
    let body = store.escrow_to_send(HUB).await.unwrap().expect("to send");
    assert_eq!(serde_json::from_str::<EscrowUpload>(&body).unwrap(), escrow);
    store.escrow_taken(HUB, &body).await.unwrap();
    assert_eq!(store.escrow_to_send(HUB).await.unwrap(), None);
    assert_eq!(
        store.escrow().await.unwrap().unwrap().sent_to.as_deref(),
        Some(HUB)
    );
    assert!(store
        .escrow_to_send("https://lain.example")
        .await
        .unwrap()
        .is_some());

    // Unlocking again with the same keys leaves it as it is; a rotation escrows it again.
    store.unlock(PIN, Timestamp(40)).await.unwrap();
    assert_eq!(
        store.escrow().await.unwrap().map(|k| k.upload).as_ref(),
        Some(&escrow)
    );
    store
        .offer_keys(&[district_key(3), district_key(2)], Channel::Hub)
        .await
        .unwrap()
        .unwrap();
    assert!(store.confirm_keys().await.unwrap());
    store.unlock(PIN, Timestamp(50)).await.unwrap();
    let rotated = store.escrow().await.unwrap().map(|k| k.upload).expect("escrowed");
    assert_eq!(
        rotated.district_keys,
        vec![district_key(3).fingerprint, district_key(2).fingerprint]
    );
    let new_body = store
        .escrow_to_send(HUB)
        .await
        .unwrap()
        .expect("the new escrow goes too");
    assert_eq!(serde_json::from_str::<EscrowUpload>(&new_body).unwrap(), rotated);
    // The hub taking the old one does not mark the new one.
    store.escrow_taken(HUB, &body).await.unwrap();
    assert!(store.escrow_to_send(HUB).await.unwrap().is_some());
    let answer = reseal_for(
        &from_text(&rotated.escrow).unwrap(),
        &[district_identity(3)],
        &one_time.recipient(),
        &vec![9; entropy_len(1)],
    )
    .unwrap();
    assert_eq!(
        key_id(&open_answer(&answer, &one_time, &key_id(&key)).unwrap()),
        key_id(&key)
    );

    // A PIN set on a phone that already has keys escrows at once.
    let (other, other_name) = fresh_store("vault-escrow-at-once").await;
    other
        .offer_keys(&[district_key(1), district_key(2)], Channel::Hub)
        .await
        .unwrap()
        .unwrap();
    let other_key = other.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    let at_once = other.escrow().await.unwrap().expect("escrowed at once");
    assert_eq!(at_once.upload.key_id, key_id(&other_key));
    assert_eq!(at_once.sent_to, None);
    other.close();
    delete_db(&other_name).await;
    store.close();
    delete_db(&name).await;
}

/// A forgotten PIN, the phone's side (issue #23): a one-time key asked for, the district's
/// answer opened with it and checked to hold this phone's key, a new PIN set — even after
/// wrong tries made the phone wait. An answer sealed to another key, one holding another
/// phone's key, or one with no request waiting changes nothing.
#[wasm_bindgen_test]
async fn a_forgotten_pin_is_replaced_through_the_districts_answer_alone() {
    let (store, name) = fresh_store("vault-forgotten").await;
    store
        .offer_keys(&[district_key(1), district_key(2)], Channel::Hub)
        .await
        .unwrap()
        .unwrap();
    let key = store.set_first_pin(PIN, Timestamp(10)).await.unwrap();
    let escrow = from_text(&store.escrow().await.unwrap().expect("escrowed").upload.escrow).unwrap();
    let entropy = vec![3; entropy_len(1)];
    const NEW_PIN: &str = "305618";

    // Locked out for now by wrong tries; no request yet, so an answer opens nothing.
    for at in 0..6 {
        store.unlock("000111", Timestamp(100 + at)).await.unwrap_err();
    }
    assert!(matches!(
        store.unlock(PIN, Timestamp(110)).await.unwrap_err(),
        LockError::Wait { .. }
    ));
    assert_eq!(
        store
            .finish_pin_reset("eA", NEW_PIN, Timestamp(150))
            .await
            .unwrap_err(),
        LockError::NoReset
    );

    let asked = store.start_pin_reset(Timestamp(200)).await.unwrap();
    assert_eq!(asked.request.key_id, key_id(&key));
    let one_time = Recipient::parse(&asked.request.one_time).unwrap();
    assert_eq!(asked.fingerprint, one_time.fingerprint());
    assert_eq!(store.pin_reset().await.unwrap(), Some(asked.clone()));
    // The same request in writing, for a phone with no hub: the one-time key, this phone's
    // key's name and its escrow, nothing that opens without the district's key.
    let written = WrittenRequest::parse(asked.written.as_deref().expect("written")).unwrap();
    assert_eq!(
        written,
        WrittenRequest {
            one_time,
            key_id: key_id(&key),
            escrow: escrow.clone(),
        }
    );

    // Sealed to someone else's one-time key, or holding another phone's key: refused.
    let stranger = Identity::from_random([0x77; 32]).recipient();
    let elsewhere = reseal_for(&escrow, &[district_identity(1)], &stranger, &entropy).unwrap();
    assert!(matches!(
        store
            .finish_pin_reset(&to_text(&elsewhere), NEW_PIN, Timestamp(210))
            .await
            .unwrap_err(),
        LockError::Vault(_)
    ));
    let foreign = seal_key(&DataKey::from_random([5; 32]), &[one_time], &entropy).unwrap();
    assert!(matches!(
        store
            .finish_pin_reset(&to_text(&foreign), NEW_PIN, Timestamp(220))
            .await
            .unwrap_err(),
        LockError::Vault(VaultError::Damaged(_))
    ));
    // The district's answer (to the written request: the same as to the hub's) with a
    // guessable new PIN: refused before anything is opened.
    let answer = to_text(&answer_written(&written, &[district_identity(2)], &entropy).unwrap());
    assert!(matches!(
        store
            .finish_pin_reset(&answer, "111111", Timestamp(230))
            .await
            .unwrap_err(),
        LockError::Vault(VaultError::PinGuessable(_))
    ));
    assert!(
        store.pin_reset().await.unwrap().is_some(),
        "still waiting after every refusal"
    );

    // The real answer: this phone's key under the new PIN, at once (no wait left); the old
    // PIN and the answer are spent.
    let back = store
        .finish_pin_reset(&answer, NEW_PIN, Timestamp(300))
        .await
        .unwrap();
    assert_eq!(key_id(&back), key_id(&key));
    assert_eq!(store.pin_reset().await.unwrap(), None);
    let opened = store.unlock(NEW_PIN, Timestamp(301)).await.unwrap();
    assert_eq!(key_id(&opened), key_id(&key));
    assert_eq!(
        store.unlock(PIN, Timestamp(302)).await.unwrap_err(),
        LockError::Vault(VaultError::WrongPin)
    );
    assert_eq!(
        store
            .finish_pin_reset(&answer, "720394", Timestamp(303))
            .await
            .unwrap_err(),
        LockError::NoReset
    );
    store.close();
    delete_db(&name).await;
}
