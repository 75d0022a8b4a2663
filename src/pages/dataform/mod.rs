//! "Formulir daerah" (`formulir.html`, issue #25): the district's own forms on this phone,
//! each with its versions and its records, and a record of one filled in. Its own module:
//! the expression engine and the forms' renderer are not the household pages' bytes.
//!
//! The hash says what shows: nothing, the forms and their records; `#baru:<form id>`, a new
//! record of the form's current version; `#<record id>`, a stored record, with the version
//! of the form it was filled with; `#keluarga:<household id>`, the household's district
//! sections ("J. Pertanyaan daerah", forms marked `bagian_dari = keluarga`), and
//! `#keluarga:<household id>:<form id>` its record of one, made the first time it opens.

mod control;
mod editor;
mod field;
mod host;
mod list;
mod section;
mod tables;

use crate::components::{tr, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::{self, now};
use crate::load::load;
use crate::route::Page;
use editor::DataFormEditor;
use leptos::prelude::*;
use list::FormList;
use verval_core::dataform::{DataForm, FormShelf};
use verval_core::record::HouseholdRecord;
use verval_core::store::HouseholdStore;
use verval_core::sync::api::PublishedForm;
use verval_core::text::Message;
use verval_core::{RecordId, Text};

/// The hash of a new record of a form, before the form's id.
const NEW: &str = "baru:";
/// The hash of a household's sections, before the household's id.
const HOUSEHOLD: &str = "keluarga:";

/// The address of a household's district sections (the household form links to it without
/// carrying the rest of [`Opening`]).
pub fn sections_href(household: &RecordId) -> String {
    Page::DataForms.at(&format!("{HOUSEHOLD}{household}"))
}

/// What the hash asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Opening {
    List,
    New(String),
    Record(RecordId),
    /// A household's district sections.
    Sections(RecordId),
    /// A household's record of a section form.
    Section(RecordId, String),
    Unknown(String),
}

impl Opening {
    pub fn parse(hash: &str) -> Opening {
        let path = hash.trim_start_matches('#');
        if path.is_empty() {
            return Opening::List;
        }
        if let Some(form) = path.strip_prefix(NEW) {
            let form = js_sys::decode_uri_component(form)
                .map(String::from)
                .unwrap_or_default();
            return Opening::New(form);
        }
        if let Some(rest) = path.strip_prefix(HOUSEHOLD) {
            let (household, form) = match rest.split_once(':') {
                Some((household, form)) => (household, Some(form)),
                None => (rest, None),
            };
            let form = form.map(|f| {
                js_sys::decode_uri_component(f)
                    .map(String::from)
                    .unwrap_or_default()
            });
            return match (RecordId::parse(household), form) {
                (Ok(id), None) => Opening::Sections(id),
                (Ok(id), Some(form)) if !form.is_empty() => Opening::Section(id, form),
                _ => Opening::Unknown(path.to_owned()),
            };
        }
        match RecordId::parse(path) {
            Ok(id) => Opening::Record(id),
            Err(_) => Opening::Unknown(path.to_owned()),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Opening::List => Page::DataForms.href().to_owned(),
            Opening::New(form) => Page::DataForms.at(&format!("{NEW}{}", js_sys::encode_uri_component(form))),
            Opening::Record(id) => Page::DataForms.at(id.as_str()),
            Opening::Sections(household) => sections_href(household),
            Opening::Section(household, form) => Page::DataForms.at(&format!(
                "{HOUSEHOLD}{household}:{}",
                js_sys::encode_uri_component(form)
            )),
            Opening::Unknown(path) => Page::DataForms.at(path),
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// A stored definition made ready to fill, or why it cannot be.
fn ready(published: &PublishedForm) -> Result<DataForm, Message> {
    let refused = |why: String| {
        Message::new(
            format!(
                "Formulir {} versi {} tidak dapat dipakai: {why}",
                published.id, published.version
            ),
            format!(
                "Form {} version {} cannot be used: {why}",
                published.id, published.version
            ),
        )
    };
    verval_core::dataform::ready(published).map_err(refused)
}

/// The version of its form a stored record was filled with.
fn of_record<'s>(shelf: &'s FormShelf, record: &HouseholdRecord) -> Result<&'s PublishedForm, Message> {
    shelf.get(&record.form_id, &record.form_version).ok_or_else(|| {
        Message::new(
            format!(
                "Formulir {} versi {} untuk data ini belum ada di HP ini. Ambil penugasan lagi (sinkron atau berkas); datanya tetap tersimpan.",
                record.form_id, record.form_version
            ),
            format!(
                "Form {} version {} of this record is not on this phone. Get the assignment again (sync or file); the record stays stored.",
                record.form_id, record.form_version
            ),
        )
    })
}

/// What an opening loads: a record with its form, ready to edit.
type Opened = Result<Option<(HouseholdRecord, DataForm, bool, Vec<String>)>, Message>;

#[component]
pub fn DataFormsPage() -> impl IntoView {
    let lang = Signal::from(use_lang());
    let (opening, set_opening) = signal(Opening::parse(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_opening.set(Opening::parse(&current_hash()))
    });
    on_cleanup(move || handle.remove());
    view! {
        <section class="page">
            {move || match opening.get() {
                Opening::List => view! { <FormList/> }.into_any(),
                Opening::Sections(household) => view! { <section::Sections household/> }.into_any(),
                Opening::Unknown(path) => view! {
                    <ErrorNotice lang message=Message::new(
                        format!("Alamat tidak dikenal: #{path}"),
                        format!("Unknown address: #{path}"),
                    )/>
                }.into_any(),
                other => view! { <RecordPage opening=other/> }.into_any(),
            }}
        </section>
    }
}

/// Loads a record (a new one of a form, or a stored one) with its form's version.
#[component]
fn RecordPage(opening: Opening) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let loaded = load(move || {
        let store = store.get_value();
        let opening = opening.clone();
        async move {
            let shelf: FormShelf = store.form_shelf().await.map_err(|e| e.message())?;
            let villages = store
                .assignment_info()
                .await
                .map(|a| {
                    let mut all: Vec<String> = a.all().flat_map(|i| i.villages.clone()).collect();
                    all.sort();
                    all.dedup();
                    all
                })
                .unwrap_or_default();
            let opened: Opened = match opening {
                Opening::New(form_id) => {
                    let Some(published) = shelf.current(&form_id) else {
                        return Err(Message::new(
                            format!("Formulir {form_id} tidak ada di HP ini."),
                            format!("The form {form_id} is not on this phone."),
                        ));
                    };
                    let form = ready(published)?;
                    if form.def().household_section {
                        return Err(Message::new(
                            format!("Formulir {form_id} adalah bagian J formulir keluarga: isi dari halaman keluarganya."),
                            format!("The form {form_id} is section J of the household form: fill it from the household's form."),
                        ));
                    }
                    let id = device::new_record_id().map_err(|e| {
                        Message::new(
                            format!("Tidak dapat membuat nomor data baru: {e}"),
                            format!("Cannot create a new record id: {e}"),
                        )
                    })?;
                    let mut record = HouseholdRecord::new(id, now());
                    form.start(&mut record, &host::BrowserHost, now());
                    Ok(Some((record, form, true, villages)))
                }
                Opening::Section(household, form_id) => {
                    let id = verval_core::dataform::section_record_id(&household, &form_id);
                    match store.get(&id).await.map_err(|e| e.message())? {
                        Some(mut record) => {
                            section::follow_household(&store, &mut record).await?;
                            let form = ready(of_record(&shelf, &record)?)?;
                            Ok(Some((record, form, false, villages)))
                        }
                        None => {
                            let (record, form) =
                                section::start(&store, &shelf, &household, &form_id, id).await?;
                            Ok(Some((record, form, true, villages)))
                        }
                    }
                }
                Opening::Record(id) => {
                    let Some(mut record) = store.get(&id).await.map_err(|e| e.message())? else {
                        return Ok(None);
                    };
                    section::follow_household(&store, &mut record).await?;
                    let form = ready(of_record(&shelf, &record)?)?;
                    Ok(Some((record, form, false, villages)))
                }
                _ => Ok(None),
            };
            opened
        }
    });
    view! {
        <a class="back" href=Opening::List.href() data-testid="back-to-forms">
            {tr(lang, Text::new("\u{2190} Formulir daerah", "\u{2190} District forms"))}
        </a>
        {move || match loaded.get() {
            None => view! { <p class="muted">{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
            Some(Err(message)) => view! { <ErrorNotice message lang/> }.into_any(),
            Some(Ok(None)) => view! {
                <ErrorNotice lang message=Message::new(
                    "Data ini tidak ada di perangkat ini.",
                    "This record is not stored on this device.",
                )/>
            }.into_any(),
            Some(Ok(Some((record, form, is_new, villages)))) => {
                // A household's section leads back to the household's sections.
                let household = RecordId::parse(record.answers.get(verval_core::dataform::HOUSEHOLD_LINK)).ok();
                view! {
                    {household.map(|id| view! {
                        <a class="back" href=Opening::Sections(id).href() data-testid="back-to-sections">
                            {tr(lang, Text::new("\u{2190} Pertanyaan daerah keluarga ini", "\u{2190} This household's district questions"))}
                        </a>
                    })}
                    <DataFormEditor record form is_new villages/>
                }.into_any()
            }
        }}
    }
}
