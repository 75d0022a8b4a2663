//! Each page's start function (`route::Page` lists the pages) and the shell they share:
//! header, language switch and the "new version" banner.

use crate::components::{ErrorNotice, FatalError, LangToggle, LockButton, UpdateBanner};
use crate::context::{provide_lang, provide_open_form, provide_store};
use crate::pages::{
    household::Opening, CampaignPage, DataFormsPage, ExportPage, HouseholdPage, HouseholdsPage, LockPage,
    NotFoundPage, RecoverPage, RecoveryProblems,
};
use crate::route::{use_form_route, use_list_route, Route};
use crate::storage::{schema, IdbStore};
use crate::update::{reload, Updater};
use leptos::prelude::*;

/// The list page (`index.html`): opens the store and mounts the list.
pub async fn start_list() {
    if crate::sync::start::forward_enrolment_code() || recover_first() {
        return;
    }
    crate::sync::start::start_in_background();
    mount(|store| view! { <ListApp store/> }.into_any(), complete_search).await
}

/// The form page (`keluarga.html`): opens the store and mounts the form of the family in
/// the hash.
pub async fn start_form() {
    mount(
        |store| {
            // In the task that mounts the form: no frame shows the page without either.
            crate::prerender::take();
            view! { <FormApp store/> }.into_any()
        },
        recover_journal,
    )
    .await;
    // The store could not be opened and the error screen shows: nothing typed on the
    // prerendered screen could be saved, so it goes too (a no-op once the form took it).
    crate::prerender::take();
}

/// The export page (`ekspor.html`): batches of finalized households leave the phone here.
/// Its own module, so the zip and spreadsheet writers are downloaded only by who exports.
pub async fn start_export() {
    if recover_first() {
        return;
    }
    mount(
        |store| view! { <Shell store><ExportPage/></Shell> }.into_any(),
        as_is,
    )
    .await
}

/// The campaign page (`kampanye.html`): the assigned prelist families to visit, village
/// by village. Its own module: the prelist comparison and recap are not start-up bytes.
pub async fn start_campaign() {
    if recover_first() {
        return;
    }
    mount(
        |store| view! { <Shell store><CampaignPage/></Shell> }.into_any(),
        as_is,
    )
    .await
}

/// The district forms page (`formulir.html`, issue #25): the district's own forms on this
/// phone and their records. Its own module: the expression engine and the forms' renderer
/// are downloaded only by who fills a district form.
pub async fn start_data_forms() {
    if recover_first() {
        return;
    }
    mount(
        |store| view! { <Shell store><DataFormsPage/></Shell> }.into_any(),
        as_is,
    )
    .await
}

/// How long the lock page waits before it syncs: a phone left locked sends its sealed
/// batches, but an enumerator unlocking at once does not cut a round short by leaving (a
/// round cut off holds the sync lease until it runs out).
const LOCKED_SYNC_AFTER_MS: i32 = 30_000;

/// The lock page (`kunci.html`, issue #23): sets, takes and resets the PIN, then goes back
/// to the page it came from. A phone left locked still syncs: the sealed batches waiting go.
pub async fn start_lock() {
    reload_when_restored_from_cache();
    if let Some(window) = web_sys::window() {
        let start = wasm_bindgen::closure::Closure::once_into_js(crate::sync::start::start_in_background);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::JsCast::unchecked_ref(&start),
            LOCKED_SYNC_AFTER_MS,
        );
    }
    match IdbStore::open(schema::DB_NAME).await {
        Ok(store) => leptos::mount::mount_to_body(move || {
            provide_store(store);
            let lang = provide_lang();
            view! {
                <header class="app-header">
                    <span class="brand">"Verval"</span>
                    <LangToggle lang/>
                </header>
                <main><LockPage/></main>
            }
        }),
        Err(error) => {
            let message = error.message();
            leptos::mount::mount_to_body(move || view! { <FatalError message/> })
        }
    }
}

/// Opens the store, lets the page `prepare` it, and mounts `app`, or the storage error screen
/// if it cannot be opened. Generic over `prepare`, so each page's module holds only its own
/// preparation (the journal's replay, with the record writer, only in the form page's).
async fn mount(app: fn(IdbStore) -> AnyView, prepare: impl AsyncFnOnce(&IdbStore)) {
    reload_when_restored_from_cache();
    match IdbStore::open(schema::DB_NAME).await {
        Ok(store) => {
            if !crate::lock::gate(&store).await {
                // Locked: on its way to the lock page, which comes back here.
                return;
            }
            prepare(&store).await;
            leptos::mount::mount_to_body(move || app(store))
        }
        Err(error) => {
            let message = error.message();
            leptos::mount::mount_to_body(move || view! { <FatalError message/> })
        }
    }
}

/// Nothing to prepare.
async fn as_is(_: &IdbStore) {}

/// The list page (where the app starts) first gives households stored before the search
/// store existed their search entries, and district form records stored before schema
/// version 7 theirs (what a count of households leaves out); if that fails they still list
/// and count, and the next start tries again.
async fn complete_search(store: &IdbStore) {
    let _ = store.complete_search_entries().await;
}

/// The form page replays the journal of unsaved edits before anything reads a household:
/// edits typed on a page left before they reached IndexedDB (storage/journal.rs). A new
/// household typed on this page's prerendered screen is the form's to take over.
async fn recover_journal(store: &IdbStore) {
    let skip = crate::prerender::live_id();
    let recovery = store.recover(skip.as_ref().map(|id| id.as_str())).await;
    RECOVERY_PROBLEMS.with(|problems| *problems.borrow_mut() = recovery.problems);
}

/// Before a page other than the form reads anything: if the journal of unsaved edits holds
/// entries (a form left before its last edits were stored), the tab goes to the form page,
/// which replays them, and comes back. Returns whether it went.
fn recover_first() -> bool {
    if !crate::storage::journal::waiting(schema::DB_NAME) {
        return false;
    }
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let back = location.href().unwrap_or_default();
    location.replace(&Route::Recover(back).href()).is_ok()
}

/// A page the browser kept in its back/forward cache and shows again (the browser's back
/// or forward) would show what it read before: the list without the household just typed,
/// which an enumerator takes for lost and types again. It loads anew instead, so the
/// journal is replayed and everything is read again.
fn reload_when_restored_from_cache() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_show =
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
            let persisted = js_sys::Reflect::get(&event, &"persisted".into()).is_ok_and(|p| p.is_truthy());
            if persisted {
                reload();
            }
        });
    let _ = window.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
    // Lives as long as the page.
    on_show.forget();
}

thread_local! {
    /// What the journal's replay at start could not do, shown once by the shell.
    static RECOVERY_PROBLEMS: std::cell::RefCell<Vec<verval_core::text::Message>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[component]
fn ListApp(store: IdbStore) -> impl IntoView {
    let route = use_list_route();
    let not_found = Memo::new(move |_| match route.get() {
        Route::NotFound(path) => Some(path),
        // A family's old address is on its way to the form page; the list shows meanwhile.
        _ => None,
    });
    view! {
        <Shell store>
            {move || match not_found.get() {
                Some(path) => view! { <NotFoundPage path/> }.into_any(),
                None => view! { <HouseholdsPage/> }.into_any(),
            }}
        </Shell>
    }
}

#[component]
fn FormApp(store: IdbStore) -> impl IntoView {
    let route = use_form_route();
    view! {
        <Shell store>
            {move || match route.get() {
                Route::NewHousehold => view! { <HouseholdPage opening=Opening::New/> }.into_any(),
                Route::Household(id) => view! { <HouseholdPage opening=Opening::Existing(id)/> }.into_any(),
                Route::Recover(back) => view! { <RecoverPage back/> }.into_any(),
                Route::Households | Route::NotFound(_) => {
                    view! { <NotFoundPage path=route.get_untracked().href()/> }.into_any()
                }
            }}
        </Shell>
    }
}

/// What every page has around it.
#[component]
fn Shell(store: IdbStore, children: Children) -> impl IntoView {
    provide_store(store);
    let lang = provide_lang();
    let open_form = provide_open_form();
    let updater = Updater::start();
    let recovery_problems = RECOVERY_PROBLEMS.with(|problems| std::mem::take(&mut *problems.borrow_mut()));
    provide_context(RecoveryProblems(recovery_problems.len()));
    let lock = crate::lock::state();
    let store = crate::context::use_store();
    let on_lock = Callback::new(move |()| {
        let store = store.get_value();
        leptos::task::spawn_local(async move { crate::lock::lock_now(&store).await });
    });
    view! {
        <header class="app-header">
            <a class="brand" href=Route::Households.href() data-testid="brand-link">"Verval"</a>
            <LockButton shown=lock.pin_set lang on_lock/>
            <LangToggle lang/>
        </header>
        <UpdateBanner state=updater.state lang
            on_apply=Callback::new(move |()| updater.apply(open_form.get_untracked()))
            on_reload=Callback::new(|()| reload())/>
        {recovery_problems.into_iter().map(|message| view! { <ErrorNotice message lang/> }).collect_view()}
        <main>{children()}</main>
    }
}
