//! The app's pages and their addresses.
//!
//! Each page is an HTML file at the repository's root, its own wasm module (Trunk cannot
//! split one): [`Page`] is the one list of them in the app. The build (`scripts/build`), the
//! service worker's precache, the size bench and the build tests take the pages from the
//! `*.html` files themselves, and `tests/build/pages.test.mjs` holds [`Page::file`] equal to
//! those files, so a page added, renamed or dropped in one place and not the other fails.
//!
//! Which family the form shows travels in the hash: any static host, or the service worker,
//! serves the files, and a reload offline lands on the same family.

use leptos::prelude::*;
use verval_core::RecordId;

/// A page of the app: one HTML file, one wasm module, one start function in `app.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `index.html` (`./`): the household list, the start-up download, kept small.
    List,
    /// The household form (`#baru`, `#<id>`), loaded when a family is opened.
    Household,
    /// Batches of finalized households, sync with the hub, the phone's backup.
    Export,
    /// The campaign's visit list.
    Campaign,
    /// The PIN lock (issue #23): set, typed and reset there; its hash is the address to go
    /// back to once the phone is unlocked.
    Lock,
    /// The district's own forms (issue #25).
    DataForms,
}

impl Page {
    /// The page's file, relative to the app's scope.
    pub const fn file(self) -> &'static str {
        match self {
            Page::List => "index.html",
            Page::Household => "keluarga.html",
            Page::Export => "ekspor.html",
            Page::Campaign => "kampanye.html",
            Page::Lock => "kunci.html",
            Page::DataForms => "formulir.html",
        }
    }

    /// The address a link takes to the page (the list is the scope itself, `./`).
    pub fn href(self) -> &'static str {
        match self {
            Page::List => "./",
            other => other.file(),
        }
    }

    /// The address of a place inside the page, by its hash.
    pub fn at(self, hash: &str) -> String {
        format!("{}#{hash}", self.href())
    }
}

/// The export page's "Cadangan perangkat" panel (issue #23), where the list's backup reminder
/// leads.
pub fn backup_panel() -> String {
    Page::Export.at("cadangan")
}
/// The form page's hash for [`Route::Recover`], before the address to go back to.
const RECOVER: &str = "pulihkan:";

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The household list ("Daftar keluarga").
    Households,
    /// A new household's form; its id is made when the page opens.
    NewHousehold,
    /// A stored household's form.
    Household(RecordId),
    /// The form page replaying the journal of unsaved edits for another page, then going
    /// back to it (`back`: that page's address, relative or absolute, same origin only).
    Recover(String),
    /// Anything else, kept to show what was asked for.
    NotFound(String),
}

impl Route {
    /// The form page's hash: `#baru` or `#<id>`.
    pub fn parse_form_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_matches('/');
        if let Some(back) = path.strip_prefix(RECOVER) {
            let back = js_sys::decode_uri_component(back)
                .map(String::from)
                .unwrap_or_default();
            return Route::Recover(back);
        }
        match path {
            "baru" => Route::NewHousehold,
            other => match RecordId::parse(other) {
                Ok(id) => Route::Household(id),
                Err(_) => Route::NotFound(hash.to_owned()),
            },
        }
    }

    /// The list page's hash. Addresses of the single-page version (`#/keluarga/<id>`) still
    /// lead to the family, so saved links and bookmarks keep working.
    pub fn parse_list_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_end_matches('/');
        match path {
            "" => Route::Households,
            other => match other.strip_prefix("/keluarga/").map(Route::parse_form_hash) {
                Some(route @ (Route::NewHousehold | Route::Household(_))) => route,
                _ => Route::NotFound(path.to_owned()),
            },
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Households => Page::List.href().to_owned(),
            Route::NewHousehold => Page::Household.at("baru"),
            Route::Household(id) => Page::Household.at(id.as_str()),
            Route::Recover(back) => {
                Page::Household.at(&format!("{RECOVER}{}", js_sys::encode_uri_component(back)))
            }
            Route::NotFound(path) => format!("#{path}"),
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The form page's route, following `hashchange` (a link to another family from this page).
pub fn use_form_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse_form_hash(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse_form_hash(&current_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

/// The list page's route, following `hashchange`. An old single-page address of a family
/// (`#/keluarga/<id>`) is sent on to the form page.
pub fn use_list_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(list_route());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(list_route()));
    on_cleanup(move || handle.remove());
    route
}

fn list_route() -> Route {
    let route = Route::parse_list_hash(&current_hash());
    if matches!(route, Route::NewHousehold | Route::Household(_)) {
        if let Some(window) = web_sys::window() {
            // Failing leaves the list showing, which is a working page.
            let _ = window.location().replace(&route.href());
        }
    }
    route
}

/// Rewrites the address bar from `from` to `to` without a page change, so a reload opens `to`.
/// Used when a new household gets its first save: from then on the URL names its id. Nothing
/// happens if the user has already moved on to another family.
pub fn replace_url(from: &Route, to: &Route) {
    if Route::parse_form_hash(&current_hash()) != *from {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        // Failing leaves the old URL, which still works (it opens a new form); nothing is lost.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.href()));
    }
}
