//! App-wide values the pages share, each behind a newtype so two contexts of one type can
//! never collide.

use crate::autosave::Autosaver;
use crate::storage::{prefs, IdbStore};
use leptos::prelude::*;
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
