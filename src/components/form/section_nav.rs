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
