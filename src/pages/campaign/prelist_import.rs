//! A prelist file read on the phone, for a district without a hub: an XLSX or CSV list,
//! its columns found by the P3KE preset or mapped by hand on this screen, every bad cell
//! named by row and column, then saved as the phone's own list (merged by prelist id; the
//! district's families and every visit untouched). The reading is the list reader's (`crate::prelist_job`), in a worker.

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::device::now;
use crate::file_input::{file_bytes, take_picked_file};
use crate::job_worker::JobWorker;
use crate::prelist_job::protocol::{Chosen, Reply, Request, WORKER_NAME, WORKER_SCRIPT};
use crate::storage::Source;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::prelist::columns::Target;
use verval_core::sync::api::Assignment;
use verval_core::text::Message;
use verval_core::Text;

#[component]
pub fn PrelistImport(reloads: RwSignal<u32>) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    // The file being mapped (kept for the second read), and what the screen shows of it.
    let file = StoredValue::new(None::<(String, Vec<u8>)>);
    let chosen = RwSignal::new(None::<Chosen>);
    let choices = RwSignal::new(Vec::<Vec<(usize, String)>>::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Message>);
    let notice = RwSignal::new(None::<Message>);
    let worker = StoredValue::new_local(JobWorker::new(WORKER_SCRIPT, WORKER_NAME));

    let keep = move |assignment: Assignment| {
        spawn_local(async move {
            match store
                .get_value()
                .save_assignment(&assignment, Source::Local, now(), "file")
                .await
            {
                Ok(u) => {
                    notice.set(Some(u.message(Source::Local)));
                    file.set_value(None);
                    chosen.set(None);
                    reloads.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let on_reply = move |reply: Reply| match reply {
        Reply::Ready => {}
        Reply::Columns {
            chosen: found,
            choices: offered,
        } => {
            choices.set(offered);
            chosen.set(Some(found));
            busy.set(false);
        }
        Reply::Read { assignment } => keep(assignment),
        Reply::Problems { problems: found } => {
            problems.set(found);
            busy.set(false);
        }
        Reply::Failed { id, en } => {
            error.set(Some(Message::new(id, en)));
            busy.set(false);
        }
    };
    let send = move |mapping: Option<Chosen>| {
        let Some((name, bytes)) = file.get_value() else {
            return;
        };
        busy.set(true);
        error.set(None);
        problems.set(Vec::new());
        let request = Request {
            name,
            bytes: serde_bytes::ByteBuf::from(bytes),
            mapping,
        };
        if let Err(message) = worker
            .try_update_value(|w| w.start(&request, on_reply))
            .unwrap_or(Ok(()))
        {
            busy.set(false);
            error.set(Some(message));
        }
    };

    let pick = move |ev: leptos::ev::Event| {
        let Some(picked) = take_picked_file(&ev) else {
            return;
        };
        notice.set(None);
        chosen.set(None);
        spawn_local(async move {
            match file_bytes(&picked).await {
                Ok(bytes) => {
                    file.set_value(Some((picked.name(), bytes)));
                    send(None);
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    let set_column = move |target: Target, value: String| {
        chosen.update(|c| {
            if let Some(c) = c {
                c.columns.retain(|(id, _)| id != target.id());
                if let Ok(column) = value.parse::<usize>() {
                    c.columns.push((target.id().to_owned(), column));
                }
            }
        });
    };

    let mapping_form = move || {
        let current = chosen.get()?;
        let offered = choices.with(|all| {
            all.get(current.header_row.saturating_sub(1))
                .cloned()
                .unwrap_or_default()
        });
        let rows = choices.with(Vec::len);
        Some(view! {
            <div class="prelist-mapping" data-testid="prelist-mapping">
                <p>{tr(lang, Text::new(
                    "Periksa kolom: pilih kolom yang berisi setiap isian (sudah diisi bila sesuai template P3KE).",
                    "Check the columns: choose the column holding each value (filled in when the list follows the P3KE template).",
                ))}</p>
                <label for="baris_judul">{tr(lang, Text::new("Baris judul kolom", "Row of column names"))}</label>
                <select id="baris_judul" name="baris_judul" data-testid="header-row"
                    on:change=move |ev| {
                        let row = event_target_value(&ev).parse().unwrap_or(1);
                        chosen.update(|c| if let Some(c) = c { c.header_row = row; });
                    }>
                    {(1..=rows).map(|r| view! { <option value=r.to_string() selected=r == current.header_row>{r}</option> }).collect_view()}
                </select>
                {Target::ALL.into_iter().map(|target| {
                    let id = format!("kolom_{}", target.id());
                    let selected = current.columns.iter().find(|(t, _)| t == target.id()).map(|(_, c)| *c);
                    view! {
                        <label for=id.clone()>{tr(lang, target.label())}</label>
                        <select id=id.clone() name=id on:change=move |ev| set_column(target, event_target_value(&ev))>
                            <option value="">{tr(lang, Text::new("(tidak ada)", "(none)"))}</option>
                            {offered.iter().map(|(column, shown)| view! {
                                <option value=column.to_string() selected=selected == Some(*column)>{shown.clone()}</option>
                            }).collect_view()}
                        </select>
                    }
                }).collect_view()}
                <label for="kode_desa_bawaan">{tr(lang, Text::new(
                    "Kode desa untuk keluarga tanpa kode desa (mis. 35.13.14.2001)",
                    "Village code for families without one (e.g. 35.13.14.2001)",
                ))}</label>
                <input id="kode_desa_bawaan" name="kode_desa_bawaan" type="text" inputmode="decimal"
                    prop:value=current.village.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        chosen.update_untracked(|c| if let Some(c) = c { c.village = v; });
                    }/>
                <button type="button" class="button" data-testid="save-prelist" disabled=move || busy.get()
                    on:click=move |_| send(chosen.get_untracked())>
                    {tr(lang, Text::new("Periksa dan simpan daftar", "Check and save the list"))}
                </button>
            </div>
        })
    };

    view! {
        <section class="prelist-import no-print" data-testid="prelist-import">
            <label for="prelist">{tr(lang, Text::new(
                "Tanpa server kabupaten? Impor daftar prelist (XLSX atau CSV)",
                "No district server? Import a prelist (XLSX or CSV)",
            ))}</label>
            <input id="prelist" name="prelist" type="file" data-testid="import-prelist"
                accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" on:change=pick/>
            {move || busy.get().then(|| view! { <p class="muted">{tr(lang, Text::new("Membaca daftar…", "Reading the list…"))}</p> })}
            {mapping_form}
            <ul class="prelist-problems" data-testid="prelist-problems">
                {move || problems.get().into_iter().map(|p| view! { <li data-testid="prelist-problem">{p}</li> }).collect_view()}
            </ul>
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || notice.get().map(|message| view! { <p class="notice notice-ok" data-testid="prelist-notice">{tr_message(lang, message)}</p> })}
        </section>
    }
}
