//! The app shell: header, language switch, and the page for the current route.

use crate::components::{FatalError, LangToggle};
use crate::context::{provide_lang, provide_store};
use crate::pages::{household::Opening, HouseholdPage, HouseholdsPage, NotFoundPage};
use crate::route::{use_route, Route};
use crate::storage::{schema, IdbStore};
use leptos::prelude::*;

/// Opens the store and mounts the app, or the storage error screen if it cannot be opened.
pub async fn start() {
    match IdbStore::open(schema::DB_NAME).await {
        Ok(store) => leptos::mount::mount_to_body(move || view! { <App store/> }),
        Err(error) => {
            let message = error.message();
            leptos::mount::mount_to_body(move || view! { <FatalError message/> })
        }
    }
}

#[component]
pub fn App(store: IdbStore) -> impl IntoView {
    provide_store(store);
    let lang = provide_lang();
    let route = use_route();
    view! {
        <header class="app-header">
            <a class="brand" href=Route::Households.href()>"Verval"</a>
            <LangToggle lang/>
        </header>
        <main>
            {move || match route.get() {
                Route::Households => view! { <HouseholdsPage/> }.into_any(),
                Route::NewHousehold => view! { <HouseholdPage opening=Opening::New/> }.into_any(),
                Route::Household(id) => view! { <HouseholdPage opening=Opening::Existing(id)/> }.into_any(),
                Route::NotFound(path) => view! { <NotFoundPage path/> }.into_any(),
            }}
        </main>
    }
}
