//! The section navigator: every section with where it stands (`form::progress`): done, not
//! started, still open (answers missing), has errors (something entered breaks a rule), or
//! skipped — as a colour and, for screen readers, in words.

use super::FormCtx;
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::progress::section_states;
use verval_core::form::{Form, Scope};

#[component]
pub fn SectionNav(form: &'static Form, current: RwSignal<usize>, ctx: FormCtx) -> impl IntoView {
    let lang = ctx.lang;
    show_from_top(current);
    let states = Memo::new(move |_| {
        ctx.issues.with(|issues| {
            ctx.record
                .with(|record| section_states(form, record, &Scope::family(record, ctx.today), issues))
        })
    });
    view! {
        <nav class="section-nav" aria-label="Bagian / Sections">
            {form.sections.iter().enumerate().map(|(index, section)| {
                let state = move || states.with(|s| s[index]);
                // The name and the state in words: colour alone says nothing to a screen
                // reader (nor, on touch, does a title).
                let described = move || {
                    format!("{}. {}: {}", section.id, section.title.get(lang.get()), state().label().get(lang.get()))
                };
                view! {
                    <button type="button" class=move || format!("section-tab {}", state().code())
                        aria-current=move || (current.get() == index).then_some("step")
                        data-testid=format!("section-{}", section.id) data-state=move || state().code()
                        aria-label=described title=tr(lang, section.title)
                        on:click=move |_| current.set(index)>
                        {section.id}
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}

/// When the section changes, the form is shown from its top: otherwise "Berikutnya" opens
/// the next section at the last one's scroll position (section F opened 2,200 px below its
/// heading). Only ever upwards: a page that already shows the form's top stays as it is.
fn show_from_top(current: RwSignal<usize>) {
    Effect::new(move |before: Option<usize>| {
        let now = current.get();
        if before.is_some_and(|b| b != now) {
            scroll_form_into_view();
        }
        show_tab(now);
        now
    });
}

/// Scrolls the row of tabs (wider than a narrow phone) so that tab `index` is in its middle.
fn show_tab(index: usize) {
    let nav = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".section-nav").ok().flatten());
    let Some(nav) = nav else { return };
    let tab = nav.children().item(index as u32);
    if let Some(tab) = tab.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
        let middle = tab.offset_left() - (nav.client_width() - tab.offset_width()) / 2;
        nav.set_scroll_left(middle.max(0));
    }
}

fn scroll_form_into_view() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    let (Some(form), Some(nav)) = (find("[data-testid=household-form]"), find(".section-nav")) else {
        return;
    };
    // Hidden under the sticky header and section tabs, or scrolled past: bring it back.
    // `scroll-padding-top` (styles.css) keeps it clear of them.
    if form.get_bounding_client_rect().top() < nav.get_bounding_client_rect().bottom() {
        form.scroll_into_view();
    }
}
