//! Saves a form's changes in the background, soon after they happen and at once when the
//! page is hidden or closed.
//!
//! A change is written at most [`SAVE_DELAY`] after it is made, even while typing goes on: the
//! first unsaved change starts the timer and later keystrokes ride along, so continuous typing
//! cannot hold a save back the way a trailing debounce would. One write is in flight at a time;
//! changes made during it are saved right after, so writes land in order and the newest wins.
//! A failed write keeps everything in memory, shows the error, and is retried.

use crate::storage::StoreError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;
use verval_core::text::Message;
use verval_core::Timestamp;

/// How long a change may wait before it is written.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);
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

struct Inner {
    save: Rc<dyn Fn() -> SaveFuture>,
    now: fn() -> Timestamp,
    timer: Option<TimeoutHandle>,
    in_flight: bool,
    /// Changes made so far, and how many of them are stored.
    changes: u64,
    saved: u64,
}

/// A handle to one form's autosave. Copy it into event handlers freely; two handles are equal
/// when they are the same form's.
#[derive(Clone, Copy, PartialEq)]
pub struct Autosaver {
    state: RwSignal<SaveState>,
    inner: StoredValue<Inner, LocalStorage>,
}

impl Autosaver {
    /// `save` writes the form's current state; it is called once per write.
    pub fn new(save: impl Fn() -> SaveFuture + 'static, now: fn() -> Timestamp) -> Autosaver {
        let inner = Inner {
            save: Rc::new(save),
            now,
            timer: None,
            in_flight: false,
            changes: 0,
            saved: 0,
        };
        Autosaver {
            state: RwSignal::new(SaveState::Idle),
            inner: StoredValue::new_local(inner),
        }
    }

    pub fn state(self) -> ReadSignal<SaveState> {
        self.state.read_only()
    }

    /// Whether some change is not stored yet.
    pub fn is_dirty(self) -> bool {
        self.inner.with_value(|i| i.saved < i.changes)
    }

    /// Call after every change to the form's data.
    pub fn changed(self) {
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
            if i.in_flight || i.saved >= i.changes {
                return None;
            }
            i.in_flight = true;
            Some((i.changes, (i.save)()))
        });
        let Some(Some((target, write))) = job else { return };
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            let result = write.await;
            self.finish(target, result);
        });
    }

    fn finish(self, target: u64, result: Result<(), StoreError>) {
        let Some((more, now)) = self.inner.try_update_value(|i| {
            i.in_flight = false;
            if result.is_ok() {
                i.saved = i.saved.max(target);
            }
            (i.saved < i.changes, (i.now)())
        }) else {
            return; // The page is gone; nothing left to show.
        };
        match result {
            Ok(()) if more => self.flush(),
            Ok(()) => self.state.set(SaveState::Saved(now)),
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

    /// Writes everything now and waits for the write: `true` once every change is stored,
    /// `false` if the write failed or did not finish within ten seconds.
    pub async fn save_now(self) -> bool {
        self.flush();
        for _ in 0..200 {
            let done = self.inner.try_with_value(|i| (i.in_flight, i.saved >= i.changes));
            match done {
                // The page was closed meanwhile; its own cleanup flushed it.
                None => return true,
                Some((false, true)) => return true,
                Some((false, false))
                    if matches!(self.state.try_get_untracked(), Some(SaveState::Failed(_))) =>
                {
                    return false
                }
                _ => crate::device::sleep_ms(50).await,
            }
        }
        false
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
        on_cleanup(move || {
            on_hide.remove();
            on_visibility.remove();
            self.flush();
        });
    }
}
