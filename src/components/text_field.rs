use super::tr;
use leptos::prelude::*;
use verval_core::fields::{FieldSpec, InputKind};
use verval_core::{Issue, Lang, Severity};

/// One labelled input of the form, with its hint and the issues validation found in it.
#[component]
pub fn TextField(
    /// The field: id (the input's `name`), labels, input kind.
    spec: &'static FieldSpec,
    /// The current answer.
    #[prop(into)]
    value: Signal<String>,
    /// Issues to show under the input.
    #[prop(into)]
    issues: Signal<Vec<Issue>>,
    #[prop(into)] lang: Signal<Lang>,
    /// Called with the new text on every keystroke.
    on_input: Callback<String>,
    /// Shown but not editable.
    #[prop(into, default = Signal::from(false))]
    readonly: Signal<bool>,
) -> impl IntoView {
    let id = spec.id.as_str();
    let input_id = format!("field-{id}");
    let hint_id = format!("hint-{id}");
    let has_error = move || issues.with(|list| list.iter().any(|i| i.severity == Severity::Error));
    let input = move |ev: leptos::ev::Event| on_input.run(event_target_value(&ev));
    let control = match spec.input {
        InputKind::LongText => view! {
            <textarea id=input_id.clone() name=id rows="3" maxlength=spec.max_len
                aria-describedby=hint_id.clone() aria-invalid=move || has_error().to_string()
                readonly=move || readonly.get() prop:value=move || value.get() on:input=input></textarea>
        }
        .into_any(),
        InputKind::Digits | InputKind::Text => {
            let digits = spec.input == InputKind::Digits;
            view! {
                <input id=input_id.clone() name=id type="text" maxlength=spec.max_len
                    inputmode=if digits { "numeric" } else { "text" }
                    autocomplete="off" autocapitalize=if digits { "off" } else { "characters" }
                    aria-describedby=hint_id.clone() aria-invalid=move || has_error().to_string()
                    readonly=move || readonly.get() prop:value=move || value.get() on:input=input/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field-error=has_error>
            <label for=input_id>{tr(lang, spec.label)}</label>
            {control}
            <p class="hint" id=hint_id>{tr(lang, spec.hint)}</p>
            <ul class="issues" data-testid=format!("issues-{id}")>
                {move || {
                    issues.get().into_iter().map(|issue| {
                        let class = match issue.severity {
                            Severity::Error => "issue issue-error",
                            Severity::Warning => "issue issue-warning",
                        };
                        view! { <li class=class>{issue.message.get(lang.get()).to_owned()}</li> }
                    }).collect_view()
                }}
            </ul>
        </div>
    }
}
