//! The PIN lock in every page's shell (issue #23): "Kunci" in the header once a PIN is set.
//! (A phone with the district's keys and no PIN never opens a page: `lock::gate` sends it to
//! the lock page to set one.)

use super::tr;
use leptos::prelude::*;
use verval_core::{Lang, Text};

/// Locks the phone now (a PIN is set).
#[component]
pub fn LockButton(shown: bool, #[prop(into)] lang: Signal<Lang>, on_lock: Callback<()>) -> impl IntoView {
    shown.then(|| {
        view! {
            <button type="button" class="lock-now" data-testid="lock-now" on:click=move |_| on_lock.run(())>
                {tr(lang, Text::new("Kunci", "Lock"))}
            </button>
        }
    })
}
