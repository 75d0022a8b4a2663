//! The PIN lock in every page's shell (issue #23): "Kunci" in the header once a PIN is set,
//! and, on a phone with the district's keys but no PIN yet, a notice asking for one.

use super::tr;
use crate::route::LOCK_PAGE;
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

/// Asks for a PIN on a phone that has the district's keys and none yet.
#[component]
pub fn PinPrompt(shown: bool, #[prop(into)] lang: Signal<Lang>) -> impl IntoView {
    shown.then(|| {
        view! {
            <div class="notice" role="status" data-testid="set-pin-prompt">
                <p>{tr(lang, Text::new(
                    "Data keluarga di HP ini belum dikunci dengan PIN. Buat PIN agar HP yang hilang atau dipinjam tidak membuka data siapa pun.",
                    "The families' data on this phone is not locked with a PIN yet. Set a PIN so a lost or borrowed phone opens no one's data.",
                ))}</p>
                <a class="button" href=LOCK_PAGE data-testid="open-set-pin">{tr(lang, Text::new("Buat PIN", "Set a PIN"))}</a>
            </div>
        }
    })
}
