//! The sync worker's loop: a round at start, then another when its wait ends — the backoff
//! after a failure, a periodic check after success — or earlier, when the browser comes
//! back online or a page asks ("Kirim sekarang"). It also enrols the phone and imports
//! receipt and review files for the page.

use super::client::enrol;
use super::lease::{freed, LEASE_MS};
use super::receipt_file::import_receipt;
use super::review_feed::take_reviews;
use super::run::{sync_once, Round};
use super::{FromSync, ToSync};
use crate::device::{new_record_id, now};
use crate::storage::{schema, HubLink, IdbStore, StoreError};
use std::cell::RefCell;
use verval_core::seal::published::Channel;
use verval_core::text::Message;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// After a round that sent everything: look again this often (new finals, another tab).
const CHECK_EVERY_MS: u64 = 10 * 60_000;
/// After a storage failure: try again in a minute.
const AFTER_STORAGE_ERROR_MS: u64 = 60_000;

thread_local! {
    /// Resolves the current wait early.
    static WAKE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

fn wake() {
    if let Some(resolve) = WAKE.with(|w| w.borrow_mut().take()) {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Waits `ms` (for ever when `None`), until [`wake`], or until `also` resolves.
async fn wait(scope: &web_sys::WorkerGlobalScope, ms: Option<u64>, also: Option<js_sys::Promise>) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(ms) = ms {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
        WAKE.with(|w| *w.borrow_mut() = Some(resolve));
    });
    let promise = match also {
        Some(also) => js_sys::Promise::race(&js_sys::Array::of2(&promise, &also)),
        None => promise,
    };
    let _ = JsFuture::from(promise).await;
}

fn post(scope: &web_sys::DedicatedWorkerGlobalScope, message: &FromSync) {
    if let Ok(value) = serde_wasm_bindgen::to_value(message) {
        let _ = scope.post_message(&value);
    }
}

fn failed(message: Message) -> FromSync {
    FromSync::Failed {
        id: message.id,
        en: message.en,
    }
}

thread_local! {
    /// The page's sealed copy of the data key (issue #23), from the worker's name: while the
    /// phone is unlocked the worker seals and opens families as the page does; once it locks
    /// the copy opens nothing, and the worker only sends batches already made.
    static SESSION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Opens the store, holding the data key while the page's session lives.
async fn open_store() -> Result<IdbStore, StoreError> {
    let store = IdbStore::open(schema::DB_NAME).await?;
    if let Some(copy) = SESSION.with(|s| s.borrow().clone()) {
        store.take_session_copy(&copy).await?;
    }
    Ok(store)
}

async fn open() -> Result<IdbStore, Message> {
    open_store().await.map_err(|e| e.message())
}

async fn enrol_device(url: &str, code: &str) -> Result<(), Message> {
    let store = open().await?;
    let url = url.trim().trim_end_matches('/').to_owned();
    let fresh = new_record_id().map_err(|e| Message::new(e.to_string(), e.to_string()))?;
    let device_id = store.device_id(fresh).await.map_err(|e| e.message())?;
    let enrolment = enrol(&url, code.trim(), &device_id)
        .await
        .map_err(|e| e.message())?;
    // The district's keys are checked before anything is kept: a list that does not check
    // (damaged on the way) fails the enrolment whole; the district gives a new code.
    if !enrolment.district_keys.is_empty() {
        verval_core::seal::published::recipients(&enrolment.district_keys).map_err(|e| {
            Message::new(
                format!("Kunci dinas dari hub tidak sah: {e}. Minta kode pendaftaran baru ke dinas."),
                format!("The hub's district keys do not check: {e}. Ask the district for a new code."),
            )
        })?;
    }
    let link = HubLink {
        url,
        token: enrolment.token,
        enumerator_id: enrolment.enumerator_id,
        enumerator: enrolment.enumerator,
        villages: enrolment.villages,
        hub: enrolment.hub,
        enrolled_at: now(),
    };
    store.set_hub_link(&link).await.map_err(|e| e.message())?;
    // Pinned at a first enrolment (their fingerprints shown on the export page for staff to
    // compare); other keys than the pinned ones wait there for confirmation.
    let offered = store.offer_keys(&enrolment.district_keys, Channel::Hub).await;
    store.close();
    offered
        .map_err(|e| e.message())?
        .map(|_| ())
        .map_err(|e| verval_core::seal::published::refused(&e))
}

/// Offers the keys of a key link (`#kunci=…`): what it did, in words for the user.
async fn take_key_link(fragment: &str) -> Result<Message, Message> {
    use verval_core::seal::published::{keys_in_fragment, refused};
    let keys = match keys_in_fragment(fragment) {
        Some(found) => found.map_err(|e| refused(&e))?,
        None => {
            return Err(Message::new(
                "Tautan ini tidak memuat kunci dinas.",
                "This link holds no district keys.",
            ))
        }
    };
    let store = open().await?;
    // A link anyone can forward: offered, used once confirmed on the export page.
    let offered = store.offer_keys(&keys, Channel::Handed).await;
    store.close();
    let offer = offered.map_err(|e| e.message())?.map_err(|e| refused(&e))?;
    Ok(offer.news().unwrap_or_else(|| {
        Message::new(
            "Kunci dinas ini sudah dipakai perangkat ini.",
            "These district keys are already on this device.",
        )
    }))
}

async fn handle(scope: web_sys::DedicatedWorkerGlobalScope, request: ToSync) {
    match request {
        ToSync::Now => wake(),
        ToSync::Enrol { url, code } => {
            let reply = match enrol_device(&url, &code).await {
                Ok(()) => FromSync::Enrolled,
                Err(message) => failed(message),
            };
            // The page notes the enrolment where it starts the worker from (localStorage,
            // which a worker cannot reach).
            let enrolled = reply == FromSync::Enrolled;
            post(&scope, &reply);
            if enrolled {
                wake();
            }
        }
        ToSync::ImportReceipt { text } => {
            let reply = match open().await {
                Ok(store) => {
                    let outcome = import_receipt(&store, text.as_bytes()).await;
                    store.close();
                    outcome.map(|count| FromSync::Imported { count })
                }
                Err(message) => Err(message),
            };
            post(&scope, &reply.unwrap_or_else(failed));
        }
        ToSync::ImportReviews { text } => {
            let reply = match open().await {
                Ok(store) => {
                    let outcome = take_reviews(&store, text.as_bytes(), Channel::Handed).await;
                    store.close();
                    outcome.map(|merged| FromSync::ReviewsImported {
                        new: merged.new,
                        known: merged.known,
                    })
                }
                Err(message) => Err(message),
            };
            post(&scope, &reply.unwrap_or_else(failed));
        }
        ToSync::TakeKeys { fragment } => {
            let reply = take_key_link(&fragment).await.map(|message| FromSync::KeysTaken {
                id: message.id,
                en: message.en,
            });
            post(&scope, &reply.unwrap_or_else(failed));
        }
    }
}

/// Starts the loop. Called by the worker binary when started under `sync::WORKER_NAME`.
pub fn run() {
    let name = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if let Some((_, copy)) = name.split_once(' ') {
        SESSION.with(|s| *s.borrow_mut() = Some(copy.to_owned()));
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let request = serde_wasm_bindgen::from_value::<ToSync>(event.data());
        let scope = reply_scope.clone();
        match request {
            Ok(request) => wasm_bindgen_futures::spawn_local(handle(scope, request)),
            Err(e) => post(
                &scope,
                &FromSync::Failed {
                    id: format!("Permintaan tidak terbaca: {e}"),
                    en: format!("Request unreadable: {e}"),
                },
            ),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &FromSync::Ready);
    let on_online = Closure::<dyn FnMut()>::new(wake);
    let _ = scope.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let owner = new_record_id()
            .map(|id| id.to_string())
            .unwrap_or_else(|_| "sync".to_owned());
        let global: web_sys::WorkerGlobalScope = scope.clone().unchecked_into();
        loop {
            let round = match open_store().await {
                Ok(store) => {
                    let round = sync_once(&store, &owner).await;
                    store.close();
                    round
                }
                Err(e) => Err(e),
            };
            post(&scope, &FromSync::Synced);
            let next = match round {
                Ok(Round::Done) => Some(CHECK_EVERY_MS),
                Ok(Round::Failed { wait_ms }) => Some(wait_ms),
                Ok(Round::Busy) => Some(LEASE_MS as u64),
                Ok(Round::NotEnrolled | Round::Blocked) => None,
                Err(_) => Some(AFTER_STORAGE_ERROR_MS),
            };
            // Another tab's round: this one begins the moment that one's lease is let go.
            let also = matches!(round, Ok(Round::Busy)).then(freed);
            wait(&global, next, also).await;
        }
    });
}
