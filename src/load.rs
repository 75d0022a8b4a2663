//! Runs a page's load and hands its result to the view through a signal.
//!
//! This stands in for Leptos's `LocalResource`, whose async-derived machinery (suspense,
//! transitions) costs several kilobytes of start-up download that these pages do not use:
//! each page only needs "loading, then the result", again when an input changes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// Calls `fetch` now and whenever a signal it reads changes, and keeps the latest result.
/// `None` while the first load runs. An older load that finishes after a newer one started
/// is dropped, so the view never goes back to stale data.
pub fn load<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (result, set_result) = signal(None);
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let future = fetch();
        let this = generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        spawn_local(async move {
            let value = future.await;
            if generation.try_get_value() == this {
                set_result.try_set(Some(value));
            }
        });
    });
    result
}
