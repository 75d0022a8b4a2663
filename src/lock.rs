//! The PIN lock on every page (issue #23): before a page reads anything it asks the store for
//! this tab's session (`IdbStore::resume_session`). Locked: the tab goes to the lock page,
//! which comes back here once unlocked. Open: the enumerator's touches keep the session alive
//! and a tab left untouched locks itself. No PIN yet on a phone that has the district's keys:
//! the shell asks for one.

use crate::device::now;
use crate::route::LOCK_PAGE;
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
    /// A PIN is set: the header offers to lock now.
    pub pin_set: bool,
    /// No PIN yet and the phone has the district's keys: the shell asks for one.
    pub ask_for_pin: bool,
}

impl LockState {
    /// The phone has the district's keys: a PIN is set (only such a phone can set one) or
    /// is asked for.
    pub fn has_district_keys(self) -> bool {
        self.pin_set || self.ask_for_pin
    }
}

thread_local! {
    static STATE: Cell<LockState> = const { Cell::new(LockState { pin_set: false, ask_for_pin: false }) };
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
    format!("{LOCK_PAGE}#{}", js_sys::encode_uri_component(back))
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

/// Asks for the session before the page reads anything. `false`: the page is locked and on
/// its way to the lock page, and must not mount. A store that cannot say counts as locked:
/// the lock page shows why.
pub async fn gate(store: &IdbStore) -> bool {
    let state = match store.resume_session(now()).await {
        Ok(Gate::NoPin { has_keys }) => LockState {
            pin_set: false,
            ask_for_pin: has_keys,
        },
        Ok(Gate::Open(key)) => {
            store.hold_key(key);
            // What is still plain from before the PIN is sealed behind the page, record by
            // record; the page reads either kind meanwhile.
            let sealing = store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = sealing.seal_all_once().await;
            });
            watch_idle(store.clone());
            LockState {
                pin_set: true,
                ask_for_pin: false,
            }
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
