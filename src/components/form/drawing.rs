//! A signature or thumbprint drawn on the screen with a finger, stored like a photo (PNG) as
//! soon as each stroke ends: no separate save step.

use super::photo::{new_key, show_stored, Shown};
use super::{FormCtx, RowAt};
use crate::components::tr;
use crate::storage::IdbStore;
use leptos::html::Canvas;
use leptos::prelude::*;
use verval_core::form::Question;
use verval_core::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[component]
pub fn DrawingInput(
    question: &'static Question,
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
    store: StoredValue<IdbStore, LocalStorage>,
) -> impl IntoView {
    let q = question;
    let lang = ctx.lang;
    let canvas = NodeRef::<Canvas>::new();
    let drawing = RwSignal::new(false);
    let shown = RwSignal::new(None::<Shown>);
    let key = move || ctx.value(at, q.id);
    show_stored(store, key, shown);
    let pen = move || {
        canvas.get().and_then(|c| {
            c.get_context("2d")
                .ok()
                .flatten()?
                .dyn_into::<web_sys::CanvasRenderingContext2d>()
                .ok()
        })
    };
    // A drawing is kept as drawn: each stroke is stored when the finger lifts, under a key
    // of this drawing's own (a correction never draws over the image a kept revision names),
    // and the answer names it. Until then the form holds as unsaved: leaving by the app's
    // links and finalizing wait for it; a failed write says so and keeps holding.
    let own_key = StoredValue::new(None::<String>);
    // Whether the stroke under way has drawn anything.
    let stroked = StoredValue::new(false);
    let held = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let writes = StoredValue::new(0u32);
    let hold = move |on: bool| {
        if held.get_untracked() != on {
            held.set(on);
            ctx.writing.run(on);
        }
    };
    let down = move |ev: leptos::ev::PointerEvent| {
        if !ctx.editable.get_untracked() {
            return;
        }
        if let Some(pen) = pen() {
            pen.set_line_width(3.0);
            pen.begin_path();
            pen.move_to(f64::from(ev.offset_x()), f64::from(ev.offset_y()));
            drawing.set(true);
            stroked.set_value(false);
        }
    };
    let mv = move |ev: leptos::ev::PointerEvent| {
        if drawing.get_untracked() {
            if let Some(pen) = pen() {
                pen.line_to(f64::from(ev.offset_x()), f64::from(ev.offset_y()));
                pen.stroke();
                // Something is drawn now that is not stored yet (a tap alone draws nothing).
                stroked.set_value(true);
                hold(true);
            }
        }
    };
    on_cleanup(move || {
        // Leaves nothing holding the form once this drawing is gone from the screen.
        if held.try_get_untracked() == Some(true) {
            ctx.writing.run(false);
        }
    });
    let save = move || {
        let Some(c) = canvas.get_untracked() else { return };
        if own_key.get_value().is_none() {
            own_key.set_value(new_key());
        }
        let Some(key) = own_key.get_value() else {
            failed.set(true);
            return;
        };
        writes.update_value(|n| *n += 1);
        let this_write = writes.get_value();
        let store = store.get_value();
        leptos::task::spawn_local(async move {
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                let callback = Closure::once_into_js(move |blob: JsValue| {
                    let _ = resolve.call1(&JsValue::NULL, &blob);
                });
                let _ = c.to_blob(callback.unchecked_ref());
            });
            let blob: Option<web_sys::Blob> =
                JsFuture::from(promise).await.ok().and_then(|b| b.dyn_into().ok());
            let stored = match blob {
                Some(blob) => store.put_photo(&key, &blob).await.is_ok(),
                None => false,
            };
            // Only the last stroke's write decides (an earlier one may finish after it).
            if writes.try_get_value() != Some(this_write) {
                return;
            }
            failed.try_set(!stored);
            if stored {
                ctx.set(at, q.id, key);
                hold(false);
            }
        });
    };
    let up = move |_| {
        if drawing.get_untracked() {
            drawing.set(false);
            if stroked.get_value() {
                save();
            }
        }
    };
    let clear = move |_| {
        if let (Some(pen), Some(c)) = (pen(), canvas.get()) {
            pen.clear_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
        }
        // A write under way no longer counts.
        writes.update_value(|n| *n += 1);
        failed.set(false);
        if !key().is_empty() {
            ctx.set(at, q.id, String::new());
        }
        shown.set(None);
        hold(false);
    };
    view! {
        <div class="drawing">
            <img class="photo-preview" alt="" hidden=move || shown.with(Option::is_none)
                src=move || shown.get().map(|s| s.url).unwrap_or_default()/>
            <canvas id=id node_ref=canvas width="320" height="160" class="drawing-pad"
                on:pointerdown=down on:pointermove=mv on:pointerup=up on:pointerleave=up></canvas>
            <p class="field-error" role="alert" data-testid="drawing-failed" hidden=move || !failed.get()>
                {tr(lang, Text::new(
                    "Tanda tangan belum tersimpan. Coba simpan lagi; keluarga ini tidak bisa dikunci sebelum tersimpan.",
                    "The signature is not stored yet. Try saving again; this household cannot be locked until it is.",
                ))}
            </p>
            <div class="row-actions">
                <button type="button" class="button button-secondary" hidden=move || !failed.get()
                    data-testid="drawing-retry" on:click=move |_| save()>
                    {tr(lang, Text::new("Simpan lagi", "Save again"))}
                </button>
                <button type="button" class="button button-secondary" data-testid="drawing-clear" on:click=clear>
                    {tr(lang, Text::new("Ulangi", "Clear"))}
                </button>
            </div>
        </div>
    }
}
