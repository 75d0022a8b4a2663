//! The app's side of the service worker: registers it, notices when a new version has been
//! installed and is waiting, and activates it only when the user asks — after the open form
//! is saved. A new version never takes over a page on its own.

use crate::autosave::Autosaver;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// The worker's URL, relative to the page: `scripts/make-sw.mjs` writes it at build time.
const WORKER_URL: &str = "sw.js";
/// Tells a waiting worker to activate (see sw/service-worker.js).
const SKIP_WAITING: &str = "SKIP_WAITING";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateState {
    /// This is the newest version we know of (or service workers are unavailable).
    Current,
    /// A new version is installed and waits for the user.
    Available,
    /// Saving the open form, then switching to the new version.
    Applying,
    /// The open form could not be saved, so the update was not applied.
    Blocked,
    /// Another tab switched to the new version; this page still runs the old one.
    ActivatedElsewhere,
}

/// Service worker state shared by the app shell.
#[derive(Clone, Copy)]
pub struct Updater {
    pub state: RwSignal<UpdateState>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    applying: StoredValue<bool>,
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Absent on plain-http origins other than localhost, and in some private modes.
    let present = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    present.then(|| navigator.service_worker())
}

impl Updater {
    /// Registers the worker and starts watching for new versions.
    pub fn start() -> Updater {
        let updater = Updater {
            state: RwSignal::new(UpdateState::Current),
            registration: StoredValue::new_local(None),
            applying: StoredValue::new(false),
        };
        let Some(container) = container() else {
            return updater;
        };
        let had_controller = container.controller().is_some();
        let on_controller_change = Closure::<dyn FnMut()>::new(move || {
            if updater.applying.try_get_value() == Some(true) {
                reload();
            } else if had_controller {
                updater.state.try_set(UpdateState::ActivatedElsewhere);
            }
        });
        container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
        // Lives as long as the page.
        on_controller_change.forget();

        leptos::task::spawn_local(async move {
            // Not before the page is on screen: the first install downloads every page of the
            // app (megabytes) into the cache, which competed with this page's own start-up
            // for the phone's CPU (bench/form: the form came 0.2 s later on a first visit).
            crate::device::after_first_frame().await;
            // A failed registration leaves the app working online; offline start needs it,
            // so it is reported in the console for whoever debugs the device.
            match JsFuture::from(container.register(WORKER_URL)).await {
                Ok(registration) => updater.watch(registration.unchecked_into()),
                Err(error) => web_sys::console::warn_2(&"Service worker not registered:".into(), &error),
            }
        });
        updater
    }

    fn watch(self, registration: ServiceWorkerRegistration) {
        let controlled = || container().is_some_and(|c| c.controller().is_some());
        if registration.waiting().is_some() && controlled() {
            self.state.try_set(UpdateState::Available);
        }
        let reg = registration.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                // An installed worker with a controller already present is an update; without
                // one it is the first install, which the page need not hear about.
                if worker.state() == ServiceWorkerState::Installed && controlled() {
                    self.state.try_set(UpdateState::Available);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();
        self.registration.try_set_value(Some(registration));
    }

    /// Saves the open form, then activates the waiting version; the page reloads into it.
    pub fn apply(self, open_form: Option<Autosaver>) {
        self.state.set(UpdateState::Applying);
        leptos::task::spawn_local(async move {
            if let Some(form) = open_form {
                if !form.save_now().await {
                    self.state.try_set(UpdateState::Blocked);
                    return;
                }
            }
            let waiting = self
                .registration
                .try_with_value(|r| r.as_ref().and_then(|r| r.waiting()))
                .flatten();
            match waiting {
                Some(worker) => {
                    self.applying.try_set_value(true);
                    if worker.post_message(&JsValue::from_str(SKIP_WAITING)).is_err() {
                        self.state.try_set(UpdateState::Available);
                    }
                }
                // Already activated by another tab: this page only needs to reload.
                None => reload(),
            }
        });
    }
}

pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
