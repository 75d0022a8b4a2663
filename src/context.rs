//! App-wide values the pages share, each behind a newtype so two contexts of one type can
//! never collide.

use crate::autosave::Autosaver;
use crate::components::form::Images;
use crate::storage::{prefs, IdbStore};
use leptos::prelude::*;
use std::rc::Rc;
use verval_core::Lang;

/// The open household store. `IdbStore` is not `Send`, so it lives in a local arena slot.
#[derive(Clone, Copy)]
pub struct StoreCtx(StoredValue<IdbStore, LocalStorage>);

pub fn provide_store(store: IdbStore) {
    provide_context(StoreCtx(StoredValue::new_local(store)));
}

pub fn use_store() -> StoredValue<IdbStore, LocalStorage> {
    expect_context::<StoreCtx>().0
}

/// The phone's photo store as the form renderer's [`Images`]: the one place a form's
/// photos and drawings are handed their storage.
pub fn use_images() -> StoredValue<Images, LocalStorage> {
    let store = use_store().get_value();
    let (load, delete) = (store.clone(), store.clone());
    StoredValue::new_local(Images {
        save: Rc::new(move |key, blob| {
            let store = store.clone();
            Box::pin(async move { store.put_photo(&key, &blob).await.is_ok() })
        }),
        load: Rc::new(move |key| {
            let store = load.clone();
            Box::pin(async move { store.photo(&key).await.ok().flatten() })
        }),
        delete: Rc::new(move |key| {
            let store = delete.clone();
            Box::pin(async move { store.delete_photo(&key).await.is_ok() })
        }),
    })
}

/// The interface language, remembered on the device.
#[derive(Clone, Copy)]
pub struct LangCtx(RwSignal<Lang>);

pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(prefs::load_lang());
    Effect::new(move |_| {
        let lang = lang.get();
        prefs::save_lang(lang);
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });
    provide_context(LangCtx(lang));
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangCtx>().0
}

/// The form open on screen, if any, so the app shell can save it before an update.
#[derive(Clone, Copy)]
pub struct OpenFormCtx(RwSignal<Option<Autosaver>>);

pub fn provide_open_form() -> RwSignal<Option<Autosaver>> {
    let form = RwSignal::new(None);
    provide_context(OpenFormCtx(form));
    form
}

pub fn use_open_form() -> RwSignal<Option<Autosaver>> {
    expect_context::<OpenFormCtx>().0
}
