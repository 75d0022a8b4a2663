//! Photos from the camera: downscaled on the phone (longest side at most 1280 px, JPEG) and
//! stored as a Blob in IndexedDB; the answer is the photo's key. Size shown; replace and
//! delete possible.

use super::{described_by, FormCtx, RowAt};
use crate::components::tr;
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::form::Question;
use verval_core::{Lang, Text};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 1280;
const JPEG_QUALITY: f64 = 0.8;

#[derive(Clone, PartialEq)]
pub(super) struct Shown {
    pub url: String,
    pub bytes: u32,
}

/// What one image question's write will be, once the page has done it.
pub type Pending<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// Where a form's photos and drawings are kept, by key: callbacks the page hands in, so the
/// renderer stores and shows images without knowing the storage behind them.
#[derive(Clone)]
pub struct Images {
    /// Keeps the image under the key; `false` when it could not be kept (storage full).
    pub save: Rc<dyn Fn(String, web_sys::Blob) -> Pending<bool>>,
    /// The image under the key, `None` when there is none or it cannot be read.
    pub load: Rc<dyn Fn(String) -> Pending<Option<web_sys::Blob>>>,
    /// Lets the image under the key go; `false` when it could not.
    pub delete: Rc<dyn Fn(String) -> Pending<bool>>,
}

/// What a photo question reads and calls, whichever form it is on (the household form's
/// photo questions, a district form's `image` questions).
#[derive(Clone)]
pub struct PhotoSlot {
    /// The answer: the stored photo's key, empty when none is taken.
    pub key: Signal<String>,
    /// Names the stored photo in the record. A plain closure over the form's own state, not
    /// a callback of this question's: a photo still being stored when the question leaves
    /// the screen (another section, a repeat's rows drawn again) is named all the same.
    pub set: Rc<dyn Fn(String)>,
    pub editable: Signal<bool>,
    /// Called with `true` while a photo is being stored: leaving and finalizing wait for it.
    pub writing: Callback<bool>,
    /// The record's revision: only a first draft's photo is ever deleted from the phone.
    pub revision: Signal<u32>,
    pub lang: Signal<Lang>,
}

impl PhotoSlot {
    /// The household form's question `q` (in row `at`) as a slot.
    pub(super) fn of(q: &'static Question, at: Option<RowAt>, ctx: FormCtx) -> PhotoSlot {
        PhotoSlot {
            key: Signal::derive(move || ctx.value(at, q.id)),
            set: Rc::new(move |key: String| ctx.set(at, q.id, key)),
            editable: ctx.editable,
            writing: ctx.writing,
            revision: Signal::derive(move || ctx.record.with(|r| r.revision)),
            lang: ctx.lang,
        }
    }
}

#[component]
pub fn PhotoInput(question: &'static Question, at: Option<RowAt>, ctx: FormCtx, id: String) -> impl IntoView {
    let q = question;
    let slot = PhotoSlot::of(q, at, ctx);
    let described = described_by(q, &id);
    let invalid = Signal::derive(ctx.invalid(at, q.id));
    photo_picker(slot, id, q.id.as_str().to_owned(), described, invalid, ctx.images)
}

/// The camera's input, the stored photo shown with its size, replace and delete. A plain
/// function, not a component: no props builder to carry on the household form's page.
pub fn photo_picker(
    answer: PhotoSlot,
    id: String,
    // The input's `name`: the field's id.
    name: String,
    described_by: String,
    invalid: Signal<Option<&'static str>>,
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
    let shown = RwSignal::new(None::<Shown>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let key = move || key.get();
    show_stored(images, key, shown);
    let set_picked = set.clone();
    let pick = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        busy.set(true);
        failed.set(false);
        let replaced = key();
        let first_draft = revision.get_untracked() == 1;
        let images = images.get_value();
        // Until the photo is stored and named in the record, leaving waits for it.
        writing.run(true);
        let set = set_picked.clone();
        leptos::task::spawn_local(async move {
            // Always a new key: a finalized revision kept before a correction may name the
            // photo this one replaces, and must keep showing it.
            let key = new_key();
            let result = match (key, downscale(&file).await) {
                (Some(key), Some(jpeg)) => {
                    let saved = (images.save)(key.clone(), jpeg.clone()).await;
                    if saved {
                        shown.try_set(show(&jpeg));
                        set(key);
                        // A first draft's replaced photo is named by nothing else any more.
                        if first_draft && !replaced.is_empty() {
                            (images.delete)(replaced).await;
                        }
                    }
                    saved
                }
                _ => false,
            };
            busy.try_set(false);
            failed.try_set(!result);
            writing.try_run(false);
        });
    };
    let delete = move |_| {
        let existing = key();
        // Only a first draft's photo can go from the phone: from a correction on, a kept
        // revision may name it, so the answer is cleared and the image kept.
        if revision.get_untracked() > 1 {
            set(String::new());
            return;
        }
        let delete = images.with_value(|i| i.delete.clone());
        let set = set.clone();
        leptos::task::spawn_local(async move {
            if delete(existing).await {
                set(String::new());
            } else {
                failed.try_set(true);
            }
        });
    };
    let size = move || {
        shown.get().map(|s| {
            let kb = s.bytes.div_ceil(1024);
            format!("{kb} KB")
        })
    };
    view! {
        <div class="photo">
            <img class="photo-preview" alt="" hidden=move || shown.with(Option::is_none)
                src=move || shown.get().map(|s| s.url).unwrap_or_default()/>
            <span class="hint" data-testid=format!("photo-size-{name}")>{size}</span>
            <label class="button button-secondary photo-pick">
                {move || if key().is_empty() {
                    tr(lang, Text::new("Ambil foto", "Take photo"))()
                } else {
                    tr(lang, Text::new("Ganti foto", "Replace photo"))()
                }}
                <input id=id.clone() type="file" name=name.clone() accept="image/*" capture="environment" class="visually-hidden"
                    aria-describedby=described_by aria-invalid=move || invalid.get()
                    disabled=move || !editable.get() || busy.get() on:change=pick/>
            </label>
            <button type="button" class="button button-secondary" data-testid=format!("delete-photo-{name}")
                hidden=move || key().is_empty() disabled=move || !editable.get() on:click=delete>
                {tr(lang, Text::new("Hapus foto", "Delete photo"))}
            </button>
            <p class="hint" role="status" hidden=move || !busy.get()>{tr(lang, Text::new("Menyimpan foto…", "Saving the photo…"))}</p>
            <p class="issue issue-error" role="alert" hidden=move || !failed.get()>
                {tr(lang, Text::new(
                    "Foto tidak bisa disimpan. Coba lagi; bila penyimpanan penuh, kosongkan ruang di HP.",
                    "The photo could not be saved. Try again; if storage is full, free space on the phone.",
                ))}
            </p>
        </div>
    }
}

/// Keeps `shown` on the image stored under the answer's key, following the key.
pub(super) fn show_stored(
    images: StoredValue<Images, LocalStorage>,
    key: impl Fn() -> String + 'static,
    shown: RwSignal<Option<Shown>>,
) {
    Effect::new(move |_| {
        let key = key();
        if key.is_empty() {
            shown.set(None);
            return;
        }
        let load = images.with_value(|i| i.load.clone());
        leptos::task::spawn_local(async move {
            if let Some(blob) = load(key).await {
                shown.try_set(show(&blob));
            }
        });
    });
}

pub(super) fn show(blob: &web_sys::Blob) -> Option<Shown> {
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    Some(Shown {
        url,
        bytes: blob.size() as u32,
    })
}

pub(super) fn new_key() -> Option<String> {
    crate::device::new_record_id().ok().map(|id| format!("foto-{id}"))
}

/// The picture, its longest side at most [`MAX_SIDE`], as JPEG.
async fn downscale(file: &web_sys::File) -> Option<web_sys::Blob> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w == 0 || h == 0 {
        return None;
    }
    let longest = w.max(h);
    let (tw, th) = if longest > MAX_SIDE {
        (
            (u64::from(w) * u64::from(MAX_SIDE) / u64::from(longest)) as u32,
            (u64::from(h) * u64::from(MAX_SIDE) / u64::from(longest)) as u32,
        )
    } else {
        (w, h)
    };
    let canvas: web_sys::HtmlCanvasElement = window
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(tw.max(1));
    canvas.set_height(th.max(1));
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(tw), f64::from(th))
        .ok()?;
    bitmap.close();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let on_blob = resolve.clone();
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = on_blob.call1(&JsValue::NULL, &blob);
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                callback.unchecked_ref(),
                "image/jpeg",
                &JsValue::from(JPEG_QUALITY),
            )
            .is_err()
        {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}
