//! What blocks finalizing, each entry jumping to its field.

use super::{input_id, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use verval_core::form::Form;
use verval_core::{Severity, Text};

/// The summary's element id: "Selesai & kunci" brings it into view when something blocks.
pub const SUMMARY_ID: &str = "issue-summary";

#[component]
pub fn IssueSummary(
    form: &'static Form,
    ctx: FormCtx,
    current: RwSignal<usize>,
    open_row: RwSignal<Option<RowAt>>,
) -> impl IntoView {
    let lang = ctx.lang;
    let errors = Memo::new(move |_| {
        ctx.issues.with(|all| {
            all.iter()
                .filter(|i| i.severity == Severity::Error)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="issue-summary" id=SUMMARY_ID tabindex="-1" role="alert" data-testid="issue-summary" hidden=move || errors.with(Vec::is_empty)>
            <h2>{tr(lang, Text::new("Belum bisa diselesaikan", "Cannot be finalized yet"))}</h2>
            <ul>
                {move || errors.get().into_iter().map(|issue| {
                    let section = form.section_of(issue.field).unwrap_or(0);
                    let label = form.question(issue.field).map(|q| q.label).or_else(|| form.repeat(issue.field).map(|r| r.label));
                    let at = issue.row.map(|r| RowAt { repeat: r.repeat, key: r.key });
                    let place = issue.row.map(|r| format!(" #{}", r.position)).unwrap_or_default();
                    let field = issue.field;
                    let jump = move |_| {
                        current.set(section);
                        if let Some(at) = at {
                            open_row.set(Some(at));
                        }
                        focus_later(input_id(field, at));
                    };
                    let text = move || format!(
                        "{} · {}{}: {}",
                        form.sections[section].id,
                        label.map(|l| l.get(lang.get())).unwrap_or(field.as_str()),
                        place,
                        issue.message.get(lang.get()),
                    );
                    view! {
                        <li><button type="button" class="link" data-testid="issue-link" data-field=field.as_str() on:click=jump>{text}</button></li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// Focuses (and scrolls to) an element once the page has drawn it.
pub fn focus_later(id: String) {
    leptos::task::spawn_local(async move {
        crate::device::sleep_ms(50).await;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id));
        if let Some(element) =
            element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            // A folded block of a row opens to show it.
            if let Ok(Some(block)) = element.closest("details") {
                let _ = block.set_attribute("open", "");
            }
            // The whole field, its label included, comes into view below the sticky header.
            match element.closest(".field").ok().flatten() {
                Some(field) => field.scroll_into_view(),
                None => element.scroll_into_view(),
            }
            let _ = element.focus();
        }
    });
}
