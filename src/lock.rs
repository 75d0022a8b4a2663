//! The PIN lock on every page (issue #23): before a page reads anything it asks the store for
//! this tab's session (`IdbStore::resume_session`). Locked: the tab goes to the lock page,
//! which comes back here once unlocked. Open: the enumerator's touches keep the session alive
//! and a tab left untouched locks itself. No PIN yet on a phone that has the district's keys:
//! the lock page first, to set one — from then on no family is kept readable on the phone.

use crate::device::now;
use crate::route::Page;
use crate::storage::session::{session_idle, touch_session, Gate};
use crate::storage::IdbStore;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How often an open page looks whether it went idle (the check reads only sessionStorage).
const IDLE_CHECK_MS: i32 = 15_000;
/// Touches closer together than this write the time of the last touch once.
const TOUCH_EVERY_MS: i64 = 5_000;

/// What the page's shell shows of the lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockState {
    /// A PIN is set: the header offers to lock now. On a page that opened, this is also
    /// whether the phone has the district's keys: one with keys and no PIN is sent to set one.
    pub pin_set: bool,
}

thread_local! {
    static STATE: Cell<LockState> = const { Cell::new(LockState { pin_set: false }) };
}

/// The lock as this page found it.
pub fn state() -> LockState {
    STATE.with(Cell::get)
}

/// The lock page's address, coming back to this page (its file, query and hash).
pub fn lock_page_href() -> String {
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let back = here.rsplit('/').next().unwrap_or_default();
    Page::Lock.at(&String::from(js_sys::encode_uri_component(back)))
}

fn go_to_lock_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&lock_page_href());
    }
}

/// Locks the phone and goes to the lock page.
pub async fn lock_now(store: &IdbStore) {
    // Whatever the store says, the tab leaves: its own copy is gone first.
    store.drop_key();
    let _ = store.lock().await;
    go_to_lock_page();
}

/// Asks for the session before the page reads anything. `false`: the page is locked, or
/// the phone has the district's keys and no PIN yet, and it is on its way to the lock page
/// and must not mount. A store that cannot say counts as locked: the lock page shows why.
pub async fn gate(store: &IdbStore) -> bool {
    let state = match store.resume_session(now()).await {
        // Before the district's keys there is nothing to escrow a PIN's key to, so nothing
        // a forgotten PIN could be recovered with: the phone works without one until then.
        Ok(Gate::NoPin { has_keys: false }) => LockState { pin_set: false },
        Ok(Gate::Open(key)) => {
            store.hold_key(key);
            // What is still plain from before the PIN is sealed behind the page, record by
            // record; the page reads either kind meanwhile.
            let sealing = store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = sealing.seal_all_once().await;
            });
            watch_idle(store.clone());
            LockState { pin_set: true }
        }
        Ok(Gate::NoPin { has_keys: true }) => {
            store.mark_pin_due();
            go_to_lock_page();
            return false;
        }
        Ok(Gate::Locked) | Err(_) => {
            go_to_lock_page();
            return false;
        }
    };
    STATE.with(|s| s.set(state));
    true
}

/// Keeps an open session alive while the enumerator works, and locks a tab left untouched.
fn watch_idle(store: IdbStore) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let db = store.name();
    let last = Cell::new(0i64);
    let touched = {
        let db = db.clone();
        Closure::<dyn Fn()>::new(move || {
            let at = now();
            if at.0 - last.get() >= TOUCH_EVERY_MS {
                last.set(at.0);
                touch_session(&db, at);
            }
        })
    };
    let check = Closure::<dyn Fn()>::new(move || {
        if session_idle(&db, now()) {
            let store = store.clone();
            wasm_bindgen_futures::spawn_local(async move { lock_now(&store).await });
        }
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    options.set_passive(true);
    for event in ["pointerdown", "keydown", "input"] {
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            touched.as_ref().unchecked_ref(),
            &options,
        );
    }
    // A phone woken after lying idle: checked at once, not at the next tick.
    let _ = window.add_event_listener_with_callback("visibilitychange", check.as_ref().unchecked_ref());
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        IDLE_CHECK_MS,
    );
    // Both live as long as the page.
    touched.forget();
    check.forget();
}
