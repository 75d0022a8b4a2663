use leptos::prelude::*;
use verval_core::text::Message;

/// The screen shown instead of the app when storage cannot be opened at start-up. Both
/// languages are shown: the language preference may be unreadable too.
#[component]
pub fn FatalError(message: Message) -> impl IntoView {
    let reload = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <main class="fatal" data-testid="fatal-error" role="alert">
            <h1>"Penyimpanan tidak dapat dibuka"</h1>
            <p>{message.id.clone()}</p>
            <h2 lang="en">"Storage cannot be opened"</h2>
            <p lang="en">{message.en.clone()}</p>
            <button type="button" class="button" on:click=reload>"Muat ulang · Reload"</button>
        </main>
    }
}
