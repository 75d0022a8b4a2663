//! A page's side of a one-job Web Worker (the export's batch maker, the campaign's list
//! reader): starts a fresh module worker per job, waits until it says it is listening (a
//! message posted while its module loads could be lost), sends the job, and hands every
//! reply to the page. A worker that cannot start or dies says so as a failure, so the page
//! never waits for ever.

use serde::de::DeserializeOwned;
use serde::Serialize;
use verval_core::text::Message;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What every job's replies can say besides their own news.
pub trait JobReply: DeserializeOwned + 'static {
    /// The worker is listening.
    fn is_ready(&self) -> bool;
    /// A failure in both languages.
    fn failed(id: String, en: String) -> Self;
}

/// The worker and the handlers attached to it (kept alive with it).
pub struct JobWorker {
    script: &'static str,
    /// What the worker is called in messages: ("Pembuat batch", "The batch maker").
    name: (&'static str, &'static str),
    running: Option<Running>,
}

struct Running {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl JobWorker {
    pub fn new(script: &'static str, name: (&'static str, &'static str)) -> JobWorker {
        JobWorker {
            script,
            name,
            running: None,
        }
    }

    /// Sends a job; `on_reply` gets every reply of it. One job at a time: a new job ends
    /// the worker of the one before.
    pub fn start<R: JobReply>(
        &mut self,
        request: &impl Serialize,
        on_reply: impl Fn(R) + Clone + 'static,
    ) -> Result<(), Message> {
        let (id_name, en_name) = self.name;
        let cannot = move |detail: String| {
            Message::new(
                format!("{id_name} tidak bisa dijalankan: {detail}"),
                format!("{en_name} cannot run: {detail}"),
            )
        };
        if let Some(old) = self.running.take() {
            old.worker.terminate();
        }
        // A module worker: the loader imports the worker's wasm-bindgen module.
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker =
            web_sys::Worker::new_with_options(self.script, &options).map_err(|e| cannot(format!("{e:?}")))?;
        let message = serde_wasm_bindgen::to_value(request).map_err(|e| cannot(e.to_string()))?;
        let on_message = {
            let on_reply = on_reply.clone();
            let worker = worker.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                match serde_wasm_bindgen::from_value::<R>(event.data()) {
                    // Listening now: the job goes out.
                    Ok(reply) if reply.is_ready() => {
                        if let Err(e) = worker.post_message(&message) {
                            let m = cannot(format!("{e:?}"));
                            on_reply(R::failed(m.id, m.en));
                        }
                    }
                    Ok(reply) => on_reply(reply),
                    Err(e) => on_reply(R::failed(
                        format!("Balasan {} tidak terbaca: {e}", id_name.to_lowercase()),
                        format!("The reply of {} cannot be read: {e}", en_name.to_lowercase()),
                    )),
                }
            })
        };
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            on_reply(R::failed(
                format!(
                    "{id_name} berhenti: {}. Tidak ada data yang berubah.",
                    event.message()
                ),
                format!("{en_name} stopped: {}. Nothing was changed.", event.message()),
            ))
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
