use crate::components::tr;
use crate::context::use_lang;
use leptos::prelude::*;
use verval_core::Text;

/// How many problems the journal's replay at this page's start had (provided by the shell).
#[derive(Clone, Copy, Debug)]
pub struct RecoveryProblems(pub usize);

/// The form page replaying the journal for another page (`Route::Recover`): the replay ran
/// when this page started; then straight back to that page, unless something could not be
/// replayed, which the shell shows above with a link back.
#[component]
pub fn RecoverPage(back: String) -> impl IntoView {
    let lang = Signal::from(use_lang());
    let target = same_origin(&back).unwrap_or_else(|| "./".to_owned());
    let problems = use_context::<RecoveryProblems>().map_or(0, |p| p.0);
    if problems == 0 {
        if let Some(window) = web_sys::window() {
            let _ = window.location().replace(&target);
        }
    }
    view! {
        <section class="page" data-testid="recovering">
            <p class="muted" hidden=problems != 0>
                {tr(lang, Text::new("Memulihkan isian yang belum tersimpan…", "Recovering unsaved entries…"))}
            </p>
            <a class="button" href=target data-testid="recover-continue" hidden=problems == 0>
                {tr(lang, Text::new("Lanjutkan", "Continue"))}
            </a>
        </section>
    }
}

/// `back` as an address of this app's origin; anything else is not followed.
fn same_origin(back: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let here = location.href().ok()?;
    let url = web_sys::Url::new_with_base(back, &here).ok()?;
    (url.origin() == location.origin().ok()?).then(|| url.href())
}
