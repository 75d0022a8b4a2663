//! A signature or thumbprint drawn on the screen with a finger, stored like a photo as soon
//! as each stroke ends: no separate save step.

use super::photo::{new_key, show_stored, Images, PhotoSlot, Shown};
use super::{FormCtx, RowAt};
use crate::components::tr;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::form::Question;
use verval_core::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How a drawing is stored. The household form's drawings are PNG (its batches name them
/// `.png`); a district form's are JPEG, as its photos, so that one path rule names both.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DrawingFormat {
    Png,
    Jpeg,
}

impl DrawingFormat {
    fn mime(self) -> &'static str {
        match self {
            DrawingFormat::Png => "image/png",
            DrawingFormat::Jpeg => "image/jpeg",
        }
    }
}

/// The pad's writes: the last one started, whether it is under way, and whether the pad
/// left the screen meanwhile (the write then lets go of the form's hold).
#[derive(Default)]
struct Writes {
    last: std::cell::Cell<u32>,
    under_way: std::cell::Cell<bool>,
    orphaned: std::cell::Cell<bool>,
}

#[component]
pub fn DrawingInput(
    question: &'static Question,
    at: Option<RowAt>,
    ctx: FormCtx,
    id: String,
) -> impl IntoView {
    drawing_pad(
        PhotoSlot::of(question, at, ctx),
        id,
        DrawingFormat::Png,
        ctx.images,
    )
}

/// The pad, the stored drawing shown above it, "clear", and "save again" after a failed
/// write. A plain function, as [`super::photo_picker`]: any form hands it its answer.
pub fn drawing_pad(
    answer: PhotoSlot,
    id: String,
    format: DrawingFormat,
    images: StoredValue<Images, LocalStorage>,
) -> impl IntoView {
    let PhotoSlot {
        key,
        set,
        editable,
        writing,
        revision,
        lang,
    } = answer;
    let canvas = NodeRef::<Canvas>::new();
    let drawing = RwSignal::new(false);
    let shown = RwSignal::new(None::<Shown>);
    let key = move || key.get();
    show_stored(images, key, shown);
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
    // With the revision it was made in: a correction draws under a new key, never over the
    // image the finalized revision kept names.
    let own_key = StoredValue::new(None::<(String, u32)>);
    // Whether the stroke under way has drawn anything.
    let stroked = StoredValue::new(false);
    let held = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // Kept outside the reactive owner: a stroke's write that ends after the pad left the
    // screen (another section opened) still names its drawing in the record, and the form
    // holds until it has.
    let writes = StoredValue::new_local(Rc::new(Writes::default()));
    let hold = move |on: bool| {
        if held.get_untracked() != on {
            held.set(on);
            writing.run(on);
        }
    };
    let down = move |ev: leptos::ev::PointerEvent| {
        if !editable.get_untracked() {
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
        // Leaves nothing holding the form once this drawing is gone from the screen, but
        // a write under way, which lets go when it ends.
        if held.try_get_untracked() == Some(true) {
            match writes.try_with_value(|w| w.under_way.get()) {
                Some(true) => writes.with_value(|w| w.orphaned.set(true)),
                _ => {
                    writing.try_run(false);
                }
            }
        }
    });
    // Kept so that the handlers below stay `Copy`.
    let set = StoredValue::new_local(set);
    let save = move || {
        let Some(c) = canvas.get_untracked() else { return };
        let now = revision.get_untracked();
        if own_key.with_value(|k| k.as_ref().is_none_or(|(_, made)| *made != now)) {
            own_key.set_value(new_key().map(|key| (key, now)));
        }
        let Some((key, _)) = own_key.get_value() else {
            failed.set(true);
            return;
        };
        // Held from now until this write names the drawing (an earlier stroke's write ending
        // meanwhile does not let go of this one).
        hold(true);
        // A JPEG has no transparency: the strokes get the white paper behind them first.
        if format == DrawingFormat::Jpeg {
            if let Some(pen) = pen() {
                pen.set_global_composite_operation("destination-over").ok();
                pen.set_fill_style_str("#fff");
                pen.fill_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
                pen.set_global_composite_operation("source-over").ok();
            }
        }
        let writes = writes.get_value();
        writes.last.set(writes.last.get() + 1);
        writes.under_way.set(true);
        let this_write = writes.last.get();
        let save = images.with_value(|i| i.save.clone());
        let set = set.get_value();
        leptos::task::spawn_local(async move {
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                let callback = Closure::once_into_js(move |blob: JsValue| {
                    let _ = resolve.call1(&JsValue::NULL, &blob);
                });
                let _ = c.to_blob_with_type(callback.unchecked_ref(), format.mime());
            });
            let blob: Option<web_sys::Blob> =
                JsFuture::from(promise).await.ok().and_then(|b| b.dyn_into().ok());
            let stored = match blob {
                Some(blob) => save(key.clone(), blob).await,
                None => false,
            };
            // Only the last stroke's write decides (an earlier one may finish after it).
            if writes.last.get() != this_write {
                return;
            }
            writes.under_way.set(false);
            failed.try_set(!stored);
            if stored {
                set(key);
            }
            if writes.orphaned.replace(false) {
                writing.try_run(false);
            } else if stored && held.try_get_untracked() == Some(true) {
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
        writes.with_value(|w| {
            w.last.set(w.last.get() + 1);
            w.under_way.set(false);
        });
        failed.set(false);
        if !key().is_empty() {
            (set.get_value())(String::new());
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
                    "Tanda tangan belum tersimpan. Coba simpan lagi; isian ini tidak bisa dikunci sebelum tersimpan.",
                    "The signature is not stored yet. Try saving again; this cannot be locked until it is.",
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
