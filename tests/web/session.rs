//! The unlocked session across page loads against real IndexedDB and sessionStorage (issue
//! #23): a page opened again in the same tab gets the data key back until the phone locks;
//! locking kills every tab's copy; an idle tab locks (a clock set back counts as idle); a
//! second tab unlocking joins the session rather than locking the first.

use crate::fixtures::{delete_db, district_key, fresh_store};
use verval::storage::session::{session_idle, touch_session, Gate};
use verval::storage::IdbStore;
use verval_core::record::Timestamp;
use verval_core::seal::published::Channel;
use verval_core::vault::escrow::key_id;
use verval_core::vault::session::IDLE_LOCK_MS;
use wasm_bindgen_test::wasm_bindgen_test;

const PIN: &str = "482915";
const T: i64 = 1_750_000_000_000;

fn tab() -> web_sys::Storage {
    web_sys::window().unwrap().session_storage().unwrap().unwrap()
}

fn opened_key(gate: Gate) -> String {
    match gate {
        Gate::Open(key) => key_id(&key),
        other => panic!("expected an open session, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_page_loaded_again_gets_the_key_back_until_the_phone_locks() {
    let (store, name) = fresh_store("session-reload").await;
    let key = store.set_first_pin(PIN, Timestamp(T)).await.unwrap();
    assert!(matches!(
        store.resume_session(Timestamp(T)).await.unwrap(),
        Gate::Locked
    ));
    store.begin_session(&key, Timestamp(T)).await.unwrap();
    // The data key is not in the tab's storage as it is.
    let held = tab().get_item(&format!("verval.kunci.{name}")).unwrap().unwrap();
    assert!(!held.contains(&key_id(&key)));
    store.close();

    let store = IdbStore::open(&name).await.unwrap();
    assert_eq!(
        opened_key(store.resume_session(Timestamp(T + 1_000)).await.unwrap()),
        key_id(&key)
    );
    store.lock().await.unwrap();
    assert!(matches!(
        store.resume_session(Timestamp(T + 2_000)).await.unwrap(),
        Gate::Locked
    ));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn an_idle_tab_locks_and_a_touch_keeps_it_open() {
    let (store, name) = fresh_store("session-idle").await;
    let key = store.set_first_pin(PIN, Timestamp(T)).await.unwrap();
    store.begin_session(&key, Timestamp(T)).await.unwrap();
    // Touched five minutes in: the idle time counts from there.
    touch_session(&name, Timestamp(T + 300_000));
    assert!(!session_idle(&name, Timestamp(T + 300_000 + IDLE_LOCK_MS)));
    assert_eq!(
        opened_key(
            store
                .resume_session(Timestamp(T + 300_000 + IDLE_LOCK_MS))
                .await
                .unwrap()
        ),
        key_id(&key)
    );
    // Then left on a bench.
    let later = T + 300_000 + 2 * IDLE_LOCK_MS + 1;
    assert!(session_idle(&name, Timestamp(later)));
    assert!(matches!(
        store.resume_session(Timestamp(later)).await.unwrap(),
        Gate::Locked
    ));
    // Locked for good: coming back to the old time does not reopen it.
    assert!(matches!(
        store.resume_session(Timestamp(T + 300_000)).await.unwrap(),
        Gate::Locked
    ));

    // A clock set back behind the last touch cannot tell how long the phone lay: locked.
    store.begin_session(&key, Timestamp(T)).await.unwrap();
    assert!(matches!(
        store.resume_session(Timestamp(T - 1)).await.unwrap(),
        Gate::Locked
    ));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_second_tab_unlocking_joins_the_session_and_locking_kills_both() {
    let (store, name) = fresh_store("session-tabs").await;
    let key = store.set_first_pin(PIN, Timestamp(T)).await.unwrap();
    let item = format!("verval.kunci.{name}");
    store.begin_session(&key, Timestamp(T)).await.unwrap();
    let first_tab = tab().get_item(&item).unwrap().unwrap();
    // The other tab unlocks (its own sessionStorage: here the same one, written over).
    store.begin_session(&key, Timestamp(T + 10)).await.unwrap();
    let second_tab = tab().get_item(&item).unwrap().unwrap();
    assert_ne!(first_tab, second_tab);
    // The first tab's copy still opens.
    tab().set_item(&item, &first_tab).unwrap();
    assert_eq!(
        opened_key(store.resume_session(Timestamp(T + 20)).await.unwrap()),
        key_id(&key)
    );
    // Locking in one tab leaves the other's copy dead.
    store.lock().await.unwrap();
    tab().set_item(&item, &second_tab).unwrap();
    assert!(matches!(
        store.resume_session(Timestamp(T + 30)).await.unwrap(),
        Gate::Locked
    ));
    assert_eq!(tab().get_item(&item).unwrap(), None);
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn a_changed_copy_in_the_tab_does_not_open() {
    let (store, name) = fresh_store("session-changed").await;
    let key = store.set_first_pin(PIN, Timestamp(T)).await.unwrap();
    let item = format!("verval.kunci.{name}");
    store.begin_session(&key, Timestamp(T)).await.unwrap();
    let held = tab().get_item(&item).unwrap().unwrap();
    let (front, last) = held.split_at(held.len() - 1);
    let flipped = if last == "A" { "B" } else { "A" };
    tab().set_item(&item, &format!("{front}{flipped}")).unwrap();
    assert!(matches!(
        store.resume_session(Timestamp(T + 1)).await.unwrap(),
        Gate::Locked
    ));
    store.close();
    delete_db(&name).await;
}

#[wasm_bindgen_test]
async fn without_a_pin_the_page_learns_whether_the_phone_should_set_one() {
    let (store, name) = fresh_store("session-nopin").await;
    assert!(matches!(
        store.resume_session(Timestamp(T)).await.unwrap(),
        Gate::NoPin { has_keys: false }
    ));
    store
        .offer_keys(&[district_key(1), district_key(2)], Channel::Handed)
        .await
        .unwrap()
        .unwrap();
    // Offered, not yet confirmed: not the district's keys yet.
    assert!(matches!(
        store.resume_session(Timestamp(T)).await.unwrap(),
        Gate::NoPin { has_keys: false }
    ));
    assert!(store.confirm_keys().await.unwrap());
    assert!(matches!(
        store.resume_session(Timestamp(T)).await.unwrap(),
        Gate::NoPin { has_keys: true }
    ));
    store.close();
    delete_db(&name).await;
}
