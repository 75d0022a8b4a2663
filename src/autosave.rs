//! Saves a form's changes in the background, soon after they happen and at once when the
//! page is hidden or closed.
//!
//! A change is written at most [`SAVE_DELAY`] after it is made, even while typing goes on: the
//! first unsaved change starts the timer and later keystrokes ride along, so continuous typing
//! cannot hold a save back the way a trailing debounce would. One write is in flight at a time;
//! changes made during it are saved right after, so writes land in order and the newest wins.
//! A failed write keeps everything in memory, shows the error, and is retried.
//!
//! Every change also goes into the journal of unsaved edits at once, synchronously
//! (`storage/journal.rs`), for the ways of leaving that cannot wait for a write (back, closing
//! the tab, a killed tab); the journal is cleared once everything is stored. Leaving by one of
//! the app's own links waits for the write instead, and a drawing or photo still being stored
//! holds the form as unsaved until it is.

use crate::storage::StoreError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;
use verval_core::text::Message;
use verval_core::Timestamp;

/// How long a change may wait before it is written: with the write itself, what a killed
/// browser can take is under 300 ms of typing (tests/e2e/crash.test.mjs). The journal covers
/// every way of leaving in which the browser itself lives on.
pub const SAVE_DELAY: Duration = Duration::from_millis(150);
/// How long to wait before trying a failed write again.
pub const RETRY_DELAY: Duration = Duration::from_secs(3);

/// What the enumerator sees about saving.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    /// Nothing typed yet on this page.
    Idle,
    /// Changes wait for their write.
    Pending,
    /// A write is under way.
    Saving,
    /// Everything typed is stored, as of this time.
    Saved(Timestamp),
    /// The last write failed; the changes are still on screen and will be retried.
    Failed(Message),
}

type SaveFuture = Pin<Box<dyn Future<Output = Result<(), StoreError>>>>;

/// What an autosave does with the form's data.
pub struct Saving {
    /// Writes the form's current state to IndexedDB; called once per write.
    pub save: Box<dyn Fn() -> SaveFuture>,
    /// Writes the form's current state to the journal, synchronously; called on every change.
    pub journal: Box<dyn Fn()>,
    /// Called once every change is stored: the journal is no longer needed.
    pub stored: Box<dyn Fn()>,
}

struct Inner {
    saving: Rc<Saving>,
    now: fn() -> Timestamp,
    timer: Option<TimeoutHandle>,
    in_flight: bool,
    /// Changes made so far, and how many of them are stored.
    changes: u64,
    saved: u64,
    /// Drawings and photos still being stored (their blobs are written apart from the record).
    holds: u32,
    /// Saving stopped for good: the draft is being deleted.
    stopped: bool,
}

/// A handle to one form's autosave. Copy it into event handlers freely; two handles are equal
/// when they are the same form's.
#[derive(Clone, Copy, PartialEq)]
pub struct Autosaver {
    state: RwSignal<SaveState>,
    inner: StoredValue<Inner, LocalStorage>,
}

impl Autosaver {
    pub fn new(saving: Saving, now: fn() -> Timestamp) -> Autosaver {
        let inner = Inner {
            saving: Rc::new(saving),
            now,
            timer: None,
            in_flight: false,
            changes: 0,
            saved: 0,
            holds: 0,
            stopped: false,
        };
        Autosaver {
            state: RwSignal::new(SaveState::Idle),
            inner: StoredValue::new_local(inner),
        }
    }

    pub fn state(self) -> ReadSignal<SaveState> {
        self.state.read_only()
    }

    /// Whether some change is not stored yet (a drawing or photo being stored counts).
    pub fn is_dirty(self) -> bool {
        self.inner
            .try_with_value(|i| i.saved < i.changes || i.holds > 0)
            .unwrap_or(false)
    }

    /// A drawing or photo is being stored: the form counts as unsaved until [`release`].
    ///
    /// [`release`]: Autosaver::release
    pub fn hold(self) {
        self.inner.try_update_value(|i| i.holds += 1);
    }

    /// The drawing or photo of a [`hold`](Autosaver::hold) is stored, or given up.
    pub fn release(self) {
        self.inner
            .try_update_value(|i| i.holds = i.holds.saturating_sub(1));
    }

    /// Whether a drawing or photo is still being stored.
    pub fn is_held(self) -> bool {
        self.inner.try_with_value(|i| i.holds > 0).unwrap_or(false)
    }

    /// Call after every change to the form's data.
    pub fn changed(self) {
        if self.inner.try_with_value(|i| i.stopped).unwrap_or(true) {
            return;
        }
        // First, synchronously: a page left right now keeps this change.
        if let Some(saving) = self.inner.try_with_value(|i| Rc::clone(&i.saving)) {
            (saving.journal)();
        }
        let start_timer = self.inner.try_update_value(|i| {
            i.changes += 1;
            !i.in_flight && i.timer.is_none()
        });
        if !matches!(
            self.state.get_untracked(),
            SaveState::Saving | SaveState::Failed(_)
        ) {
            self.state.set(SaveState::Pending);
        }
        if start_timer == Some(true) {
            self.schedule(SAVE_DELAY);
        }
    }

    /// Before locking: waits for a drawing or photo still being stored, which is part of
    /// what is locked. `false`, said where saving is shown, when one could not be stored:
    /// nothing is locked then (a failed one says so on its question too).
    pub async fn settle_for_lock(self) -> bool {
        if !self.is_held() || self.save_now().await {
            return true;
        }
        self.fail(Message::new(
            "Tanda tangan atau foto belum tersimpan, jadi data ini belum dikunci. Periksa tanda tangan atau fotonya, lalu coba lagi.",
            "A signature or photo is not stored yet, so this was not locked. Check the signature or photo, then try again.",
        ));
        false
    }

    /// Shows a failed write that belongs to the form but not to the autosave (keeping a
    /// finalized revision before a correction): the enumerator sees it where saving is shown.
    pub fn fail(self, message: Message) {
        self.state.set(SaveState::Failed(message));
    }

    /// Writes now whatever is not stored yet: on `pagehide`, when the tab is hidden, when the
    /// page is left, and when the user asks to retry.
    pub fn flush(self) {
        let job = self.inner.try_update_value(|i| {
            if let Some(timer) = i.timer.take() {
                timer.clear();
            }
            if i.in_flight || i.saved >= i.changes || i.stopped {
                return None;
            }
            i.in_flight = true;
            Some((i.changes, (i.saving.save)()))
        });
        let Some(Some((target, write))) = job else { return };
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            let result = write.await;
            self.finish(target, result);
        });
    }

    fn finish(self, target: u64, result: Result<(), StoreError>) {
        let Some((more, now, saving)) = self.inner.try_update_value(|i| {
            i.in_flight = false;
            if result.is_ok() {
                i.saved = i.saved.max(target);
            }
            (i.saved < i.changes, (i.now)(), Rc::clone(&i.saving))
        }) else {
            return; // The page is gone; nothing left to show.
        };
        match result {
            Ok(()) if more => self.flush(),
            Ok(()) => {
                (saving.stored)();
                self.state.set(SaveState::Saved(now));
            }
            Err(error) => {
                self.state.set(SaveState::Failed(error.message()));
                self.schedule(RETRY_DELAY);
            }
        }
    }

    fn schedule(self, delay: Duration) {
        match set_timeout_with_handle(move || self.flush(), delay) {
            Ok(handle) => {
                self.inner.update_value(|i| {
                    if let Some(old) = i.timer.replace(handle) {
                        old.clear();
                    }
                });
            }
            // Without a timer, write at once rather than not at all.
            Err(_) => self.flush(),
        }
    }

    /// Writes everything now and waits for the write (and for drawings and photos being
    /// stored): `true` once every change is stored, `false` if the write failed or did not
    /// finish within ten seconds.
    pub async fn save_now(self) -> bool {
        self.flush();
        for _ in 0..500 {
            let done = self
                .inner
                .try_with_value(|i| (i.in_flight || i.holds > 0, i.saved >= i.changes));
            match done {
                // The page was closed meanwhile; its own cleanup flushed it.
                None => return true,
                Some((false, true)) => return true,
                Some((false, false))
                    if matches!(self.state.try_get_untracked(), Some(SaveState::Failed(_))) =>
                {
                    return false
                }
                // A change made while a drawing was being stored: write it too.
                Some((false, false)) => {
                    self.flush();
                    crate::device::sleep_ms(20).await
                }
                _ => crate::device::sleep_ms(20).await,
            }
        }
        false
    }

    /// Stops saving, giving up what is not stored yet: for a draft about to be deleted, so
    /// that no write or journal entry brings it back. Waits (up to ten seconds) for a write
    /// already under way, so none lands after the deletion.
    pub async fn stop(self) {
        self.inner.try_update_value(|i| {
            i.stopped = true;
            i.saved = i.changes;
            if let Some(timer) = i.timer.take() {
                timer.clear();
            }
        });
        for _ in 0..500 {
            if !self.inner.try_with_value(|i| i.in_flight).unwrap_or(false) {
                return;
            }
            crate::device::sleep_ms(20).await;
        }
    }

    /// Saves again after [`stop`](Autosaver::stop) (the deletion failed): the form's
    /// current state is written as a new change.
    pub fn resume(self) {
        self.inner.try_update_value(|i| i.stopped = false);
        self.changed();
    }

    /// Flushes when the page is hidden (`visibilitychange`) or unloaded (`pagehide`), the last
    /// moments a mobile browser reliably gives a page, and when the owning view is dropped.
    pub fn flush_on_leave(self) {
        let on_hide = window_event_listener(leptos::ev::pagehide, move |_| self.flush());
        let on_visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
            if hidden {
                self.flush();
            }
        });
        let on_link = window_event_listener(leptos::ev::click, move |ev| self.wait_on_link(ev));
        on_cleanup(move || {
            on_hide.remove();
            on_visibility.remove();
            on_link.remove();
            self.flush();
        });
    }

    /// A click on one of the app's links while something is unsaved: the page is left only
    /// once the write is done (at once when there is nothing to save). If the write fails
    /// the page stays, showing why; the journal still holds the edits.
    fn wait_on_link(self, ev: web_sys::MouseEvent) {
        use wasm_bindgen::JsCast;
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
            || !self.is_dirty()
        {
            return;
        }
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        let Some(anchor) = anchor.filter(|a| a.target().is_empty() || a.target() == "_self") else {
            return;
        };
        ev.prevent_default();
        let href = anchor.href();
        spawn_local(async move {
            if self.save_now().await {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&href);
                }
            }
        });
    }
}
