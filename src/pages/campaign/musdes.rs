//! The village meeting on the phone (issue #24): the enumerator who reads the village's
//! verified families out at the Musdes records the meeting (period, Berita Acara number,
//! day, place, chair) and its decision on each family, with no signal; prints the Berita
//! Acara with the by-name list, the SPTJM and the attendance sheet (worded by the core,
//! `aid::musdes_documents`, as the hub's); and the next sync round takes it to the hub
//! (`sync::run`). Meetings the district recorded come with the assignment.

mod documents;

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::deliver::{blob_of, download};
use crate::device::today;
use crate::export_job::protocol::{WorkbookJob, WorkbookReply, WorkbookRequest, WORKER_NAME, WORKER_SCRIPT};
use crate::job_worker::JobWorker;
use crate::load::load;
use crate::storage::{IdbStore, StoreError};
use documents::{print_documents, MeetingDocuments};
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::aid::meeting_book::{Kept, MeetingBook, MeetingDecision, VillageMeeting};
use verval_core::aid::musdes::{decision_label, list_row, Listed, Meeting, MeetingField, DECISIONS};
use verval_core::record::RecordStatus;
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::{Lang, RecordId, Text};

/// A family of the village as the meeting reads it.
#[derive(Clone, Debug, PartialEq)]
struct Family {
    record_id: String,
    revision: u32,
    listed: Listed,
}

#[derive(Clone, Debug, PartialEq)]
struct Village {
    families: Vec<Family>,
    book: MeetingBook,
}

/// The village's finalized households on this phone, in RW, RT and name order, and the book.
async fn read_village(store: IdbStore, record_ids: Vec<String>) -> Result<Village, StoreError> {
    let day = today();
    let mut families = Vec::new();
    for id in record_ids {
        let Ok(id) = RecordId::parse(&id) else { continue };
        let Some(record) = store.get(&id).await? else {
            continue;
        };
        if record.status == RecordStatus::Final {
            families.push(Family {
                record_id: id.to_string(),
                revision: record.revision,
                listed: Listed::of(&record, day),
            });
        }
    }
    families.sort_by(|a, b| {
        let key = |f: &Family| (f.listed.rw.clone(), f.listed.rt.clone(), f.listed.head.clone());
        key(a).cmp(&key(b))
    });
    Ok(Village {
        families,
        book: store.meeting_book().await?,
    })
}

/// Where a kept meeting stands with the hub, in words.
fn standing(kept: &Kept) -> Message {
    if !kept.refused.is_empty() {
        return Message::new(
            format!("Ditolak server kabupaten: {}", kept.refused),
            format!("Refused by the district server: {}", kept.refused),
        );
    }
    match kept.unsent {
        true => Message::new(
            "Belum terkirim: dikirim saat sinkronisasi berikutnya (atau dicatat petugas kabupaten dari dokumen cetak).",
            "Not sent yet: goes with the next sync (or district staff record it from the printed documents).",
        ),
        false => Message::new("Sudah diterima server kabupaten.", "Received by the district server."),
    }
}

/// A new meeting of `village`, its day today.
fn new_meeting(village: &str) -> VillageMeeting {
    VillageMeeting {
        kode_desa: village.to_owned(),
        meeting: Meeting {
            held_on: today().to_string(),
            ..Meeting::default()
        },
        decisions: Vec::new(),
    }
}

#[component]
pub fn MusdesPanel(
    village: String,
    /// The village's households on this phone (record ids).
    record_ids: Vec<String>,
    /// The village's name as the documents say it.
    village_name: Signal<String>,
) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let reloads = RwSignal::new(0u32);
    let data = load(move || {
        reloads.track();
        read_village(store.get_value(), record_ids.clone())
    });
    let problems = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<Message>);
    let saved = RwSignal::new(false);
    // The meeting being recorded or looked at, as typed; `true` once it was saved (its
    // period fixed).
    let open = RwSignal::new(None::<(VillageMeeting, bool)>);
    // The same as the form showed it when opened: what the enumerator did not change keeps
    // what the book holds by the time it is saved (`MeetingBook::save`).
    let seen = StoredValue::new(None::<VillageMeeting>);
    // Changed since opened or saved: not printed or downloaded until saved.
    let edited = RwSignal::new(false);
    // Bumped when another meeting is opened (or one is saved): the form is drawn again only
    // then, not on each change typed into it, which would take the focus away.
    let opened = RwSignal::new(0u32);
    let show = move |meeting: VillageMeeting, fixed: bool| {
        problems.set(Vec::new());
        saved.set(false);
        edited.set(false);
        seen.set_value(fixed.then(|| meeting.clone()));
        open.set(Some((meeting, fixed)));
        opened.update(|n| *n += 1);
    };
    let village_for_new = village.clone();
    // The workbook is written by the export's worker, which carries the spreadsheet writer.
    let worker = StoredValue::new_local(JobWorker::new(WORKER_SCRIPT, WORKER_NAME));
    let download_workbook = move |_| {
        let (Some((meeting, _)), Some(Ok(v))) = (open.get_untracked(), data.get_untracked()) else {
            return;
        };
        error.set(None);
        let file = workbook_name(&meeting);
        let request = WorkbookRequest {
            job: WorkbookJob::MusdesWorkbook {
                rows: list_rows(&meeting, &v.families),
            },
        };
        let on_reply = move |reply: WorkbookReply| match reply {
            WorkbookReply::Workbook { bytes } => {
                let handed = blob_of(&bytes, XLSX_TYPE).and_then(|blob| download(&blob, &file));
                if let Err(e) = handed {
                    error.set(Some(Message::new(
                        format!("Berkas tidak bisa disimpan: {e}"),
                        format!("The file cannot be saved: {e}"),
                    )));
                }
            }
            WorkbookReply::Failed { id, en } => error.set(Some(Message::new(id, en))),
            _ => {}
        };
        let started = worker.try_update_value(|w| w.start(&request, on_reply));
        if let Some(Err(message)) = started {
            error.set(Some(message));
        }
    };

    let save = move |_| {
        let Some((typed, _)) = open.get_untracked() else {
            return;
        };
        saved.set(false);
        let shown = seen.get_value();
        spawn_local(async move {
            let store = store.get_value();
            let (desa, period) = (typed.kode_desa.clone(), typed.meeting.period.trim().to_owned());
            let saving = move |book: &mut MeetingBook| {
                book.save(typed, shown.as_ref(), today())
                    .map(|_| book.find(&desa, &period).map(|k| k.meeting.clone()))
            };
            match store.change_meeting_book(saving).await {
                Ok(Ok(kept)) => {
                    problems.set(Vec::new());
                    saved.set(true);
                    edited.set(false);
                    // The form shows the meeting as kept from now on.
                    seen.set_value(kept.clone());
                    open.set(kept.map(|k| (k, true)));
                    opened.update(|n| *n += 1);
                    reloads.update(|n| *n += 1);
                }
                Ok(Err(found)) => problems.set(found),
                Err(e) => error.set(Some(e.message())),
            }
        });
    };

    let meetings = move |village: &str| {
        let village = village.to_owned();
        move || {
            let Some(Ok(v)) = data.get() else {
                return ().into_any();
            };
            v.book
                .of_village(&village)
                .into_iter()
                .map(|kept| {
                    let m = kept.meeting.clone();
                    let label = format!("{} · {}", m.meeting.period, m.meeting.held_on);
                    let overruled = kept.overruled.len();
                    let period = m.meeting.period.clone();
                    view! {
                        <li class="campaign-family" data-testid="musdes-meeting" data-period=period
                            data-unsent=kept.unsent.to_string()>
                            <strong>{label}</strong>
                            <span data-testid="musdes-standing">{tr_message(lang, standing(kept))}</span>
                            {(overruled > 0).then(|| view! {
                                <span class="notice notice-warning" data-testid="musdes-overruled">{tr_message(lang, Message::new(
                                    format!("{overruled} keputusan dari HP ini tidak dipakai: kabupaten sudah mengubahnya lebih dulu. Buka untuk melihat."),
                                    format!("{overruled} decisions from this phone were not used: the district had changed them first. Open to see."),
                                ))}</span>
                            })}
                            <button type="button" class="button button-secondary" data-testid="musdes-open"
                                on:click=move |_| show(m.clone(), true)>
                                {tr(lang, Text::new("Buka", "Open"))}
                            </button>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
    };

    view! {
        <section class="musdes no-print" data-testid="musdes-panel" data-desa=village.clone()>
            <h2>{tr(lang, Text::new("Musyawarah desa (Musdes/Musdesus)", "Village meeting (Musdes)"))}</h2>
            <p class="muted">{tr(lang, Text::new(
                "Catat keputusan musyawarah untuk setiap keluarga yang selesai diverifikasi di HP ini, lalu cetak Berita Acara, SPTJM dan daftar hadir. Keputusan terkirim ke server kabupaten saat sinkronisasi.",
                "Record the meeting's decision on each family verified on this phone, then print the minutes, the statement and the attendance sheet. Decisions go to the district server with the next sync.",
            ))}</p>
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            <ul class="campaign-list">{meetings(&village)}</ul>
            <button type="button" class="button button-secondary" data-testid="musdes-new"
                on:click=move |_| show(new_meeting(&village_for_new), false)>
                {tr(lang, Text::new("Catat musyawarah baru", "Record a new meeting"))}
            </button>
            {move || {
                opened.track();
                let Some(Ok(v)) = data.get() else { return ().into_any() };
                open.get_untracked().map(|(meeting, fixed)| {
                    let kept = v.book.find(&meeting.kode_desa, &meeting.meeting.period).cloned();
                    view! {
                        <MeetingForm meeting fixed families=v.families.clone() kept open edited lang/>
                    }
                }).into_any()
            }}
            {move || (!problems.get().is_empty()).then(|| view! {
                <div class="notice notice-error" role="alert" data-testid="musdes-problems">
                    <p>{tr(lang, Text::new("Musyawarah belum tersimpan:", "The meeting was not saved:"))}</p>
                    <ul>{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || open.get().is_some().then(|| view! {
                <div class="musdes-actions">
                    <button type="button" class="button" data-testid="musdes-save" on:click=save>
                        {tr(lang, Text::new("Simpan musyawarah", "Save the meeting"))}
                    </button>
                    <button type="button" class="button button-secondary" data-testid="musdes-xlsx"
                        disabled=move || edited.get() || open.get().is_none_or(|(_, fixed)| !fixed)
                        on:click=download_workbook>
                        {tr(lang, Text::new("Unduh daftar (XLSX)", "Download the list (XLSX)"))}
                    </button>
                    <button type="button" class="button button-secondary" data-testid="musdes-print"
                        disabled=move || edited.get() || open.get().is_none_or(|(_, fixed)| !fixed)
                        on:click=move |_| print_documents()>
                        {tr(lang, Text::new("Cetak Berita Acara, SPTJM dan daftar hadir", "Print the minutes, statement and attendance sheet"))}
                    </button>
                </div>
            })}
            {move || saved.get().then(|| view! {
                <p class="notice notice-ok" role="status" data-testid="musdes-saved">{tr(lang, Text::new(
                    "Musyawarah tersimpan di HP ini.", "The meeting is saved on this phone."))}</p>
            })}
        </section>
        {move || {
            let Some(Ok(v)) = data.get() else { return ().into_any() };
            open.get().map(|(meeting, _)| view! {
                <MeetingDocuments meeting families=v.families.clone() village_name=village_name.get()/>
            }).into_any()
        }}
    }
}

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The by-name list's rows with the meeting's decisions, in the families' order.
fn list_rows(meeting: &VillageMeeting, families: &[Family]) -> Vec<Vec<String>> {
    families
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let d = meeting.decision(&f.record_id).cloned().unwrap_or_default();
            list_row(i + 1, &f.listed, &d.decision, &d.note)
        })
        .collect()
}

/// `musdes-3513142001-musdesus-desember-2026.xlsx`.
fn workbook_name(meeting: &VillageMeeting) -> String {
    let period: String = meeting
        .meeting
        .period
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("musdes-{}-{period}.xlsx", meeting.kode_desa.replace('.', ""))
}

/// The meeting's details and one decision per family, written into `open` as typed.
#[component]
fn MeetingForm(
    meeting: VillageMeeting,
    /// Saved before: its period names it and stays.
    fixed: bool,
    families: Vec<Family>,
    kept: Option<Kept>,
    open: RwSignal<Option<(VillageMeeting, bool)>>,
    edited: RwSignal<bool>,
    #[prop(into)] lang: Signal<Lang>,
) -> impl IntoView {
    let edit = move |change: Box<dyn FnOnce(&mut VillageMeeting)>| {
        edited.set(true);
        open.update(|o| {
            if let Some((m, _)) = o {
                change(m);
            }
        })
    };
    let detail = move |field: MeetingField, value: String| {
        view! {
            <label for=field.name()>{tr(lang, field.label())}</label>
            <input id=field.name() name=field.name() type=if field.is_date() { "date" } else { "text" } value=value
                disabled=fixed && field == MeetingField::Period
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    edit(Box::new(move |m| field.set(&mut m.meeting, value)))
                }/>
        }
    };
    let m = meeting.meeting.clone();
    let overruled = kept.map(|k| k.overruled).unwrap_or_default();
    view! {
        <div class="musdes-form" data-testid="musdes-form">
            {MeetingField::ALL.map(|field| detail(field, field.of(&m).to_owned())).to_vec()}
            {families.is_empty().then(|| view! {
                <p class="muted" data-testid="musdes-no-families">{tr(lang, Text::new(
                    "Belum ada keluarga yang selesai diverifikasi di desa ini pada HP ini.",
                    "No family of this village is verified on this phone yet."))}</p>
            })}
            <ol class="campaign-list musdes-families">
                {families.into_iter().enumerate().map(|(i, f)| {
                    let decided = meeting.decision(&f.record_id).cloned().unwrap_or_default();
                    let was = overruled.iter().find(|d| d.record_id == f.record_id).cloned();
                    let (decision_id, note_id) = (format!("keputusan_musdes-{i}"), format!("catatan_musdes-{i}"));
                    let (record_id, revision) = (f.record_id.clone(), f.revision);
                    let set = move |decision: Option<String>, note: Option<String>| {
                        let (record_id, revision) = (record_id.clone(), revision);
                        edit(Box::new(move |m| {
                            let at = match m.decisions.iter().position(|d| d.record_id == record_id) {
                                Some(at) => at,
                                None => {
                                    m.decisions.push(MeetingDecision { record_id, ..MeetingDecision::default() });
                                    m.decisions.len() - 1
                                }
                            };
                            let d = &mut m.decisions[at];
                            d.revision = revision;
                            if let Some(decision) = decision { d.decision = decision }
                            if let Some(note) = note { d.note = note }
                        }))
                    };
                    let set_note = set.clone();
                    let l = f.listed;
                    view! {
                        <li class="campaign-family" data-testid="musdes-family" data-record=f.record_id.clone()>
                            <strong>{format!("{}. {}", i + 1, l.head)}</strong>
                            <span>{format!("{} · RT {} RW {}", l.address, l.rt, l.rw)}</span>
                            <span>{format!("{} · {} · {}", l.outcome, l.recommendation, l.proposed_words())}</span>
                            {was.map(|d| view! {
                                <span class="notice notice-warning" data-testid="musdes-overruled-family">{tr_message(lang, Message::new(
                                    format!("Keputusan dari HP ini ({}) tidak dipakai: kabupaten sudah mengubahnya.", decision_label(&d.decision).map_or("—", |t| t.id)),
                                    format!("This phone's decision ({}) was not used: the district had changed it.", decision_label(&d.decision).map_or("—", |t| t.en)),
                                ))}</span>
                            })}
                            <label for=decision_id.clone()>{tr(lang, Text::new("Keputusan musyawarah", "Meeting's decision"))}</label>
                            <select id=decision_id name="keputusan_musdes" data-testid="musdes-decision"
                                on:change=move |ev| set(Some(event_target_value(&ev)), None)>
                                <option value="" selected=decided.decision.is_empty()>{tr(lang, Text::new("— belum diputuskan —", "— not decided —"))}</option>
                                {DECISIONS.iter().map(|(code, label)| view! {
                                    <option value=*code selected=decided.decision == *code>{tr(lang, *label)}</option>
                                }).collect_view()}
                            </select>
                            <label for=note_id.clone()>{tr(lang, Text::new("Catatan", "Note"))}</label>
                            <input id=note_id name="catatan_musdes" type="text" value=decided.note.clone()
                                on:change=move |ev| set_note(None, Some(event_target_value(&ev)))/>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
    }
}
