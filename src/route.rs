//! The app's pages as hash routes (`#/`, `#/keluarga/baru`, `#/keluarga/<id>`).
//!
//! Hash routes need nothing from the server: any static host, or the service worker, serves
//! the one `index.html`, and a reload offline lands on the same page.

use leptos::prelude::*;
use verval_core::RecordId;

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The household list ("Daftar keluarga").
    Households,
    /// A new household's form; its id is made when the page opens.
    NewHousehold,
    /// A stored household's form.
    Household(RecordId),
    /// Anything else, kept to show what was asked for.
    NotFound(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        match path.trim_end_matches('/') {
            "" => Route::Households,
            "/keluarga/baru" => Route::NewHousehold,
            other => match other.strip_prefix("/keluarga/").map(RecordId::parse) {
                Some(Ok(id)) => Route::Household(id),
                _ => Route::NotFound(path.to_owned()),
            },
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Households => "#/".to_owned(),
            Route::NewHousehold => "#/keluarga/baru".to_owned(),
            Route::Household(id) => format!("#/keluarga/{id}"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The current route, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse(&current_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

/// Rewrites the address bar from `from` to `to` without a page change, so a reload opens `to`.
/// Used when a new household gets its first save: from then on the URL names its id. Nothing
/// happens if the user has already moved on to another page.
pub fn replace_url(from: &Route, to: &Route) {
    if Route::parse(&current_hash()) != *from {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // Failing leaves the old URL, which still works (it opens a new form); nothing is lost.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.href()));
    }
}
