//! A page's handle on the sync worker: started once per page; the page sends it requests
//! (sync now, enrol, a receipt file) and hears when a round ended, so it can read the new
//! state from storage.

use super::{FromSync, ToSync, WORKER_NAME};
use crate::export_job::protocol::WORKER_SCRIPT;
use std::cell::RefCell;
use std::rc::Rc;
use verval_core::text::Message;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub struct SyncWorker {
    worker: web_sys::Worker,
    /// Requests sent before the worker said it listens: a message posted while its module
    /// still loads can be lost, and an enrolment or an imported file would then wait for
    /// ever without a word.
    waiting: Rc<RefCell<Option<Vec<JsValue>>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl SyncWorker {
    /// Starts the worker; `on_reply` gets each of its messages.
    pub fn start(on_reply: impl Fn(FromSync) + 'static) -> Result<SyncWorker, Message> {
        let worker = spawn().map_err(|e| {
            Message::new(
                format!("Pengirim data tidak bisa dijalankan: {e:?}"),
                format!("The sync cannot run: {e:?}"),
            )
        })?;
        let waiting = Rc::new(RefCell::new(Some(Vec::new())));
        let on_message = {
            let waiting = waiting.clone();
            let worker = worker.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                match serde_wasm_bindgen::from_value::<FromSync>(event.data()) {
                    // Listening now: what the page asked meanwhile goes out, in order.
                    Ok(FromSync::Ready) => {
                        for request in waiting.borrow_mut().take().unwrap_or_default() {
                            if let Err(e) = worker.post_message(&request) {
                                on_reply(FromSync::Failed {
                                    id: format!("Pengirim data tidak menerima permintaan: {e:?}"),
                                    en: format!("The sync did not take the request: {e:?}"),
                                });
                            }
                        }
                    }
                    Ok(reply) => on_reply(reply),
                    Err(_) => {}
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(SyncWorker {
            worker,
            waiting,
            _on_message: on_message,
        })
    }

    pub fn send(&self, request: &ToSync) -> Result<(), Message> {
        let failed = |e: String| {
            Message::new(
                format!("Pengirim data tidak menerima permintaan: {e}"),
                format!("The sync did not take the request: {e}"),
            )
        };
        let value = serde_wasm_bindgen::to_value(request).map_err(|e| failed(e.to_string()))?;
        if let Some(waiting) = self.waiting.borrow_mut().as_mut() {
            waiting.push(value);
            return Ok(());
        }
        self.worker
            .post_message(&value)
            .map_err(|e| failed(format!("{e:?}")))
    }
}

fn spawn() -> Result<web_sys::Worker, JsValue> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    // The tab's sealed copy of the data key rides in the name (see `worker::SESSION`): it
    // is there before the worker's first round, which a message might not be.
    let name = match crate::storage::session::session_copy(crate::storage::schema::DB_NAME) {
        Some(copy) => format!("{WORKER_NAME} {copy}"),
        None => WORKER_NAME.to_owned(),
    };
    options.set_name(&name);
    web_sys::Worker::new_with_options(WORKER_SCRIPT, &options)
}

/// A QR from the hub opens `/?daftar=CODE`: the code belongs to the export page's
/// enrolment form. Returns whether the page is on its way there.
pub fn forward_enrolment_code() -> bool {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let search = location.search().unwrap_or_default();
    search.contains("daftar=")
        && location
            .replace(&(String::from(crate::route::Page::Export.href()) + &search))
            .is_ok()
}

/// At start-up of the list page: an enrolled phone syncs in the background for as long as
/// the page is open. Nothing to report here (the export page shows how sync goes), and
/// every byte of this counts against the start-up download.
pub fn start_in_background() {
    if crate::storage::prefs::sync_enabled() {
        if let Ok(worker) = spawn() {
            // The page keeps its worker for as long as it lives.
            std::mem::forget(worker);
        }
    }
}
