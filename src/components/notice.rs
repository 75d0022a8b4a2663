use super::tr_message;
use leptos::prelude::*;
use verval_core::text::Message;
use verval_core::Lang;

/// A visible error inside a page: what went wrong and what to do.
#[component]
pub fn ErrorNotice(message: Message, #[prop(into)] lang: Signal<Lang>) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert" data-testid="error-notice">
            {tr_message(lang, message)}
        </div>
    }
}
