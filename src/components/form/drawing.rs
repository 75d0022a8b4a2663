//! A signature or thumbprint drawn on the screen with a finger, stored like a photo (PNG).

use super::photo::{new_key, show, show_stored, Shown};
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
    let drawn = RwSignal::new(false);
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
    let down = move |ev: leptos::ev::PointerEvent| {
        if !ctx.editable.get_untracked() {
            return;
        }
        if let Some(pen) = pen() {
            pen.set_line_width(3.0);
            pen.begin_path();
            pen.move_to(f64::from(ev.offset_x()), f64::from(ev.offset_y()));
            drawing.set(true);
        }
    };
    let mv = move |ev: leptos::ev::PointerEvent| {
        if drawing.get_untracked() {
            if let Some(pen) = pen() {
                pen.line_to(f64::from(ev.offset_x()), f64::from(ev.offset_y()));
                pen.stroke();
                drawn.set(true);
            }
        }
    };
    let up = move |_| drawing.set(false);
    let clear = move |_| {
        if let (Some(pen), Some(c)) = (pen(), canvas.get()) {
            pen.clear_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
        }
        drawn.set(false);
    };
    let save = move |_| {
        let Some(c) = canvas.get() else { return };
        let existing = key();
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
            let key = if existing.is_empty() {
                new_key()
            } else {
                Some(existing)
            };
            if let (Some(blob), Some(key)) = (blob, key) {
                if store.put_photo(&key, &blob).await.is_ok() {
                    shown.try_set(show(&blob));
                    ctx.set(at, q.id, key);
                    drawn.try_set(false);
                }
            }
        });
    };
    view! {
        <div class="drawing">
            <img class="photo-preview" alt="" hidden=move || shown.with(Option::is_none)
                src=move || shown.get().map(|s| s.url).unwrap_or_default()/>
            <canvas id=id node_ref=canvas width="320" height="160" class="drawing-pad"
                on:pointerdown=down on:pointermove=mv on:pointerup=up on:pointerleave=up></canvas>
            <div class="row-actions">
                <button type="button" class="button button-secondary" disabled=move || !drawn.get() on:click=save>
                    {tr(lang, Text::new("Simpan tanda tangan", "Save signature"))}
                </button>
                <button type="button" class="button button-secondary" on:click=clear>
                    {tr(lang, Text::new("Ulangi", "Clear"))}
                </button>
            </div>
        </div>
    }
}
