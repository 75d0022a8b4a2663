//! A district's own section of the household form ("J. Pertanyaan daerah", issue #25): a
//! form marked `bagian_dari = keluarga` is filled once per household, opened from the
//! household's form. Its record is a district form's record like any other (its own form id
//! and version, its own batches and tables), with two answers the page sets: the household
//! it belongs to ([`HOUSEHOLD_LINK`]) and the household's village. Its id comes from the
//! household's and the form's, so a household never gets two.

use super::{ready, Opening};
use crate::components::{tr, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::now;
use crate::load::load;
use crate::route::Route;
use crate::storage::IdbStore;
use leptos::prelude::*;
use verval_core::dataform::{section_record_id, DataForm, FormShelf, HOUSEHOLD_LINK};
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::form::default::KODE_DESA;
use verval_core::record::{HouseholdRecord, RecordStatus};
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::{RecordId, Text};

/// The household, or why its sections cannot be filled.
async fn household_of(store: &IdbStore, id: &RecordId) -> Result<HouseholdRecord, Message> {
    match store.get(id).await.map_err(|e| e.message())? {
        Some(record) if record.is_household_form() => Ok(record),
        _ => Err(Message::new(
            format!("Keluarga {id} tidak ada di HP ini."),
            format!("The household {id} is not on this phone."),
        )),
    }
}

/// The household's village, which its sections take: refused while it has none (its
/// sections could then never be locked, the village not being theirs to choose).
fn village_of(family: &HouseholdRecord) -> Result<&str, Message> {
    match family.answers.get(KODE_DESA) {
        "" => Err(Message::new(
            "Pilih dulu desa keluarga ini (bagian A), lalu buka pertanyaan daerahnya.",
            "Choose this household's village first (section A), then open its district questions.",
        )),
        village => Ok(village),
    }
}

/// A stored section opened again: while a draft, it follows its household's village (a
/// correction of the household moves its sections with it). Saved with its next change,
/// and at the latest when it is locked.
pub async fn follow_household(store: &IdbStore, record: &mut HouseholdRecord) -> Result<(), Message> {
    let Ok(household) = RecordId::parse(record.answers.get(HOUSEHOLD_LINK)) else {
        return Ok(());
    };
    if record.status != RecordStatus::Draft {
        return Ok(());
    }
    let family = household_of(store, &household).await?;
    let village = village_of(&family)?;
    if record.answers.get(KODE_DESA) != village {
        let village = village.to_owned();
        record.set_answer(KODE_DESA.as_str(), &village, now());
    }
    Ok(())
}

/// The section forms on the phone, current versions, in the order received.
fn sections_of(shelf: &FormShelf) -> Vec<(String, String, DataForm)> {
    shelf
        .current_forms()
        .into_iter()
        .filter_map(|published| {
            let form = ready(published).ok()?;
            form.def()
                .household_section
                .then(|| (published.id.clone(), published.title.clone(), form))
        })
        .collect()
}

/// A household's first record of a section form: the form's defaults, the household and
/// its village.
pub async fn start(
    store: &IdbStore,
    shelf: &FormShelf,
    household: &RecordId,
    form_id: &str,
    id: RecordId,
) -> Result<(HouseholdRecord, DataForm), Message> {
    let family = household_of(store, household).await?;
    village_of(&family)?;
    let form = shelf
        .current(form_id)
        .map(ready)
        .transpose()?
        .filter(|form| form.def().household_section)
        .ok_or_else(|| {
            Message::new(
                format!("Formulir {form_id} bukan bagian daerah formulir keluarga di HP ini."),
                format!("The form {form_id} is not a district section of the household form on this phone."),
            )
        })?;
    let mut record = HouseholdRecord::new(id, now());
    form.start(&mut record, &super::host::BrowserHost, now());
    record.set_answer(HOUSEHOLD_LINK, household.as_str(), now());
    record.set_answer(KODE_DESA.as_str(), family.answers.get(KODE_DESA), now());
    Ok((record, form))
}

/// A household's sections: each form, whether its record is begun or finalized, and the
/// way in.
#[component]
pub fn Sections(household: RecordId) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let id = household.clone();
    let loaded = load(move || {
        let store = store.get_value();
        let household = id.clone();
        async move {
            let family = household_of(&store, &household).await?;
            let shelf = store.form_shelf().await.map_err(|e| e.message())?;
            let mut lines = Vec::new();
            for (form_id, title, _) in sections_of(&shelf) {
                let record = section_record_id(&household, &form_id);
                let status = store
                    .get(&record)
                    .await
                    .map_err(|e| e.message())?
                    .map(|r| r.status);
                lines.push((form_id, title, status));
            }
            Ok::<_, Message>((family.answers.get(NAMA_KEPALA_KELUARGA).to_owned(), lines))
        }
    });
    let back = Route::Household(household.clone()).href();
    view! {
        <div class="page-head">
            <h1>{tr(lang, Text::new("J. Pertanyaan daerah", "J. District questions"))}</h1>
        </div>
        <a class="back" href=back data-testid="back-to-household">
            {tr(lang, Text::new("\u{2190} Kembali ke keluarga", "\u{2190} Back to the household"))}
        </a>
        {move || match loaded.get() {
            None => view! { <p class="muted">{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
            Some(Err(message)) => view! { <ErrorNotice message lang/> }.into_any(),
            Some(Ok((_, lines))) if lines.is_empty() => view! {
                <p class="muted" data-testid="no-sections">
                    {tr(lang, Text::new(
                        "Dinas belum menambahkan pertanyaan daerah untuk keluarga di HP ini. Pertanyaan daerah datang bersama penugasan.",
                        "The district has added no questions of its own for households on this phone. They come with the assignment.",
                    ))}
                </p>
            }.into_any(),
            Some(Ok((name, lines))) => view! {
                <p class="muted">{name}</p>
                <ul class="form-list">
                    {lines.into_iter().map(|(form_id, title, status)| {
                        let href = Opening::Section(household.clone(), form_id.clone()).href();
                        let (state, action) = match status {
                            None => ("none", Text::new("Isi", "Fill in")),
                            Some(RecordStatus::Draft) => ("draft", Text::new("Lanjutkan (draf)", "Continue (draft)")),
                            Some(RecordStatus::Final) => ("final", Text::new("Buka (final)", "Open (final)")),
                        };
                        view! {
                            <li class="form-entry" data-testid="household-section" data-form=form_id data-state=state>
                                <h2>{title}</h2>
                                <a class="button" href=href data-testid="open-section">{tr(lang, action)}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
