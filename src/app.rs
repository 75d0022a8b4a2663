//! The app shell: header, language switch, and the page for the current route.

use crate::components::{FatalError, LangToggle, UpdateBanner};
use crate::context::{provide_lang, provide_open_form, provide_store};
use crate::pages::{household::Opening, HouseholdPage, HouseholdsPage, NotFoundPage};
use crate::route::{use_route, Route};
use crate::storage::{schema, IdbStore};
use crate::update::{reload, Updater};
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
    let open_form = provide_open_form();
    let route = use_route();
    let updater = Updater::start();
    view! {
        <header class="app-header">
            <a class="brand" href=Route::Households.href()>"Verval"</a>
            <LangToggle lang/>
        </header>
        <UpdateBanner state=updater.state lang
            on_apply=Callback::new(move |()| updater.apply(open_form.get_untracked()))
            on_reload=Callback::new(|()| reload())/>
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
