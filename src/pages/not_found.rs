use crate::components::tr;
use crate::context::use_lang;
use crate::route::Route;
use leptos::prelude::*;
use verval_core::Text;

/// An address the app does not know, e.g. a mistyped or truncated link.
#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    let lang = Signal::from(use_lang());
    view! {
        <section class="page" data-testid="not-found">
            <h1>{tr(lang, Text::new("Halaman tidak ditemukan", "Page not found"))}</h1>
            <p class="muted"><code>{path}</code></p>
            <a class="button" href=Route::Households.href()>
                {tr(lang, Text::new("Ke daftar keluarga", "To the household list"))}
            </a>
        </section>
    }
}
