//! "Unduh tabel": a district form's finalized records on this phone as files for people —
//! a CSV per table (the form, each repeat) and a workbook, in a zip — as the hub's download
//! of the form makes them (issue #25). Every version the phone holds goes in one set of
//! tables, and only what was asked is written: the page decides that with the form's own
//! rules, the export's worker writes the files (it carries the spreadsheet writer).

use super::host::BrowserHost;
use crate::components::{tr, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::deliver::{blob_of, download};
use crate::device::today;
use crate::export_job::protocol::{
    FormTablesJob, FormTablesRequest, WorkbookReply, WORKER_NAME, WORKER_SCRIPT,
};
use crate::job_worker::JobWorker;
use crate::storage::IdbStore;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::dataform::{self, DataForm};
use verval_core::export::Table;
use verval_core::record::{HouseholdRecord, RecordStatus};
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::Text;

/// The zip's type, as the download names it.
const ZIP_TYPE: &str = "application/zip";

#[component]
pub fn DownloadTables(form_id: String) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let error = RwSignal::new(None::<Message>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let worker = StoredValue::new_local(JobWorker::new(WORKER_SCRIPT, WORKER_NAME));
    let id = form_id.clone();
    let start = move |_| {
        let form_id = id.clone();
        error.set(None);
        done.set(false);
        busy.set(true);
        spawn_local(async move {
            let tables = match form_tables(&store.get_value(), &form_id).await {
                Ok(tables) => tables,
                Err(message) => {
                    busy.set(false);
                    error.set(Some(message));
                    return;
                }
            };
            let file = format!("formulir-{form_id}-{}.zip", today().to_string().replace('-', ""));
            let request = FormTablesRequest {
                job: FormTablesJob::FormTables {
                    form_id: form_id.clone(),
                    tables,
                },
                session: crate::storage::session::session_copy(crate::storage::schema::DB_NAME),
            };
            let on_reply = move |reply: WorkbookReply| match reply {
                WorkbookReply::Workbook { bytes } => {
                    busy.set(false);
                    match blob_of(&bytes, ZIP_TYPE).and_then(|blob| download(&blob, &file)) {
                        Ok(()) => done.set(true),
                        Err(e) => error.set(Some(Message::new(
                            format!("Berkas tidak bisa disimpan: {e}"),
                            format!("The file cannot be saved: {e}"),
                        ))),
                    }
                }
                WorkbookReply::Failed { id, en } => {
                    busy.set(false);
                    error.set(Some(Message::new(id, en)));
                }
                _ => {}
            };
            if let Some(Err(message)) = worker.try_update_value(|w| w.start(&request, on_reply)) {
                busy.set(false);
                error.set(Some(message));
            }
        });
    };
    view! {
        <div class="form-tables">
            <button type="button" class="button button-secondary" data-testid="download-form-tables"
                data-form=form_id disabled=move || busy.get() on:click=start>
                {tr(lang, Text::new("Unduh tabel data final (CSV + XLSX)", "Download the finalized records' tables (CSV + XLSX)"))}
            </button>
            <p class="hint" role="status" data-testid="form-tables-done" hidden=move || !done.get()>
                {tr(lang, Text::new("Tabel diunduh.", "Tables downloaded."))}
            </p>
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
        </div>
    }
}

/// The tables of the form's finalized records on this phone, every version held together.
async fn form_tables(store: &IdbStore, form_id: &str) -> Result<Vec<Table>, Message> {
    let shelf = store.form_shelf().await.map_err(|e| e.message())?;
    let versions: Vec<DataForm> = shelf
        .versions(form_id)
        .into_iter()
        .map(|published| {
            dataform::ready(published).map_err(|why| {
                Message::new(
                    format!(
                        "Formulir {form_id} versi {} tidak dapat dipakai: {why}",
                        published.version
                    ),
                    format!(
                        "Form {form_id} version {} cannot be used: {why}",
                        published.version
                    ),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let mut records: Vec<HouseholdRecord> = Vec::new();
    let lines = store.form_records().await.map_err(|e| e.message())?;
    for line in lines
        .iter()
        .filter(|l| l.form_id == form_id && l.status == RecordStatus::Final)
    {
        if let Some(record) = store.get(&line.id).await.map_err(|e| e.message())? {
            records.push(record);
        }
    }
    if records.is_empty() {
        return Err(Message::new(
            format!("Belum ada data final formulir {form_id} di HP ini."),
            format!("No finalized record of form {form_id} on this phone yet."),
        ));
    }
    let refs: Vec<&HouseholdRecord> = records.iter().collect();
    Ok(dataform::export::tables(&versions, &refs, &BrowserHost))
}
