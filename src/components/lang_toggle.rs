use leptos::prelude::*;
use verval_core::Lang;

/// Switches the interface between Bahasa Indonesia and English.
#[component]
pub fn LangToggle(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <button type="button" class="lang-toggle" data-testid="lang-toggle"
            // The name starts with what the button shows (WCAG 2.5.3, label in name).
            aria-label=move || if lang.get() == Lang::Id { "EN: switch to English" } else { "ID: ganti ke Bahasa Indonesia" }
            on:click=move |_| lang.update(|l| *l = l.other())>
            {move || if lang.get() == Lang::Id { "EN" } else { "ID" }}
        </button>
    }
}
