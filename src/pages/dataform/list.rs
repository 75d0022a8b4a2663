//! The forms on this phone, each with the versions it holds and its records: what the
//! district published, shown before anything is filled, so an enumerator can tell which
//! version a record was made with.

use super::tables::DownloadTables;
use super::Opening;
use crate::components::{tr, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::utc_offset_minutes;
use crate::load::load;
use crate::storage::FormRecordLine;
use leptos::prelude::*;
use verval_core::dataform::FormShelf;
use verval_core::record::RecordStatus;
use verval_core::Text;

#[component]
pub fn FormList() -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let loaded = load(move || {
        let store = store.get_value();
        async move {
            let shelf = store.form_shelf().await.map_err(|e| e.message())?;
            let records = store.form_records().await.map_err(|e| e.message())?;
            Ok::<(FormShelf, Vec<FormRecordLine>), verval_core::text::Message>((shelf, records))
        }
    });
    view! {
        <div class="page-head">
            <h1>{tr(lang, Text::new("Formulir daerah", "District forms"))}</h1>
        </div>
        <a class="back" href="./" data-testid="back-to-list">
            {tr(lang, Text::new("\u{2190} Daftar keluarga", "\u{2190} Households"))}
        </a>
        {move || match loaded.get() {
            None => view! { <p class="muted">{tr(lang, Text::new("Memuat…", "Loading…"))}</p> }.into_any(),
            Some(Err(message)) => view! { <ErrorNotice message lang/> }.into_any(),
            Some(Ok((shelf, records))) if shelf.forms.is_empty() => view! {
                <p class="muted" data-testid="no-forms">
                    {tr(lang, Text::new(
                        "Belum ada formulir daerah di HP ini. Formulir datang bersama penugasan (sinkron atau berkas penugasan).",
                        "No district form on this phone yet. Forms come with the assignment (sync or assignment file).",
                    ))}
                </p>
                <Orphans records/>
            }.into_any(),
            Some(Ok((shelf, records))) => view! {
                <ul class="form-list" data-testid="forms-on-phone">
                    {shelf.current_forms().into_iter().map(|form| {
                        let versions: Vec<String> = shelf.versions(&form.id).iter().map(|f| f.version.clone()).collect();
                        let mine: Vec<FormRecordLine> = records.iter().filter(|r| r.form_id == form.id).cloned().collect();
                        let older = versions[1..].join(", ");
                        let has_final = mine.iter().any(|r| r.status == RecordStatus::Final);
                        view! {
                            <li class="form-entry" data-testid="form-on-phone" data-form=form.id.clone() data-version=form.version.clone()>
                                <h2>{form.title.clone()}</h2>
                                <p class="muted">
                                    {form.id.clone()} " · " {tr(lang, Text::new("versi", "version"))} " " {form.version.clone()}
                                    {(!older.is_empty()).then(|| view! {
                                        " (" {tr(lang, Text::new("juga versi", "also version"))} " " {older.clone()} ")"
                                    })}
                                </p>
                                {match super::ready(form).is_ok_and(|f| f.def().household_section) {
                                    // Filled from a household, once per household (`section.rs`).
                                    true => view! {
                                        <p class="hint" data-testid="section-form">
                                            {tr(lang, Text::new(
                                                "Bagian J formulir keluarga: diisi dari halaman keluarga (J. Pertanyaan daerah).",
                                                "Section J of the household form: filled from a household's form (J. District questions).",
                                            ))}
                                        </p>
                                    }.into_any(),
                                    false => view! {
                                        <a class="button" href=Opening::New(form.id.clone()).href() data-testid="new-form-record">
                                            {tr(lang, Text::new("Isi baru", "Fill a new one"))}
                                        </a>
                                    }.into_any(),
                                }}
                                {has_final.then(|| view! { <DownloadTables form_id=form.id.clone()/> })}
                                <RecordLines records=mine/>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// Records of forms this phone no longer holds (a backup restored before its assignment):
/// listed, so none is silently out of sight.
#[component]
fn Orphans(records: Vec<FormRecordLine>) -> impl IntoView {
    (!records.is_empty()).then(|| view! { <RecordLines records/> })
}

#[component]
fn RecordLines(records: Vec<FormRecordLine>) -> impl IntoView {
    let lang = Signal::from(use_lang());
    let offset = utc_offset_minutes();
    view! {
        <ul class="household-list" data-testid="form-records">
            {records.into_iter().map(|line| {
                let status = match line.status {
                    RecordStatus::Final => Text::new("Final", "Final"),
                    RecordStatus::Draft => Text::new("Draf", "Draft"),
                };
                view! {
                    <li data-testid="form-record" data-status=line.status.tag() data-version=line.form_version.clone()>
                        <a href=Opening::Record(line.id.clone()).href()>
                            {line.updated_at.format_local(offset)} " · " {tr(lang, status)}
                            " · " {tr(lang, Text::new("versi", "version"))} " " {line.form_version.clone()}
                            {(!line.kode_desa.is_empty()).then(|| format!(" · {}", line.kode_desa))}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
