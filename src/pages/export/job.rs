//! The export page's side of the export worker: starts it on first use, sends a job and
//! hands each reply to the page. A worker that cannot start or dies says so as a failure,
//! so the page never waits for ever.

use crate::export_job::protocol::{Reply, Request, WORKER_SCRIPT};
use verval_core::text::Message;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker and the handlers attached to it (kept alive with it).
#[derive(Default)]
pub struct ExportWorker {
    running: Option<Running>,
}

struct Running {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl ExportWorker {
    /// Sends a job; `on_reply` gets every reply of it. One job at a time: the page disables
    /// its button while one runs.
    pub fn start(
        &mut self,
        request: &Request,
        on_reply: impl Fn(Reply) + Clone + 'static,
    ) -> Result<(), Message> {
        let cannot = |detail: String| {
            Message::new(
                format!("Pembuat batch tidak bisa dijalankan: {detail}"),
                format!("The batch maker cannot run: {detail}"),
            )
        };
        // A fresh worker per job: its handlers belong to this job's page state.
        if let Some(old) = self.running.take() {
            old.worker.terminate();
        }
        // A module worker: the loader imports the worker's wasm-bindgen module.
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| cannot(format!("{e:?}")))?;
        let message = serde_wasm_bindgen::to_value(request).map_err(|e| cannot(e.to_string()))?;
        let on_message = {
            let on_reply = on_reply.clone();
            let worker = worker.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                match serde_wasm_bindgen::from_value::<Reply>(event.data()) {
                    // Listening now: the job goes out.
                    Ok(Reply::Ready) => {
                        if let Err(e) = worker.post_message(&message) {
                            on_reply(Reply::Failed {
                                id: format!("Pembuat batch tidak bisa dijalankan: {e:?}"),
                                en: format!("The batch maker cannot run: {e:?}"),
                            });
                        }
                    }
                    Ok(reply) => on_reply(reply),
                    Err(e) => on_reply(Reply::Failed {
                        id: format!("Balasan pembuat batch tidak terbaca: {e}"),
                        en: format!("The batch maker's reply cannot be read: {e}"),
                    }),
                }
            })
        };
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            on_reply(Reply::Failed {
                id: format!(
                    "Pembuat batch berhenti: {}. Tidak ada data yang berubah.",
                    event.message()
                ),
                en: format!(
                    "The batch maker stopped: {}. Nothing was changed.",
                    event.message()
                ),
            })
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.running = Some(Running {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }
}
