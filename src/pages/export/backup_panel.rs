//! "Cadangan perangkat" (issue #23): the whole phone — drafts included — as one file sealed
//! to the district's keys, handed over like a batch, so a lost, wiped or replaced phone
//! loses no family; and "Pulihkan": a new phone shows a one-time key, the district opens
//! the old phone's backup and seals it again to that key alone (the hub's Segel page, checked
//! against the key's code read out over the telephone, or `verval-hub phone-backup reseal`),
//! and the phone restores the answer, merging by household and revision. The
//! work runs in the export worker (`export_job::backup`).

use crate::components::{tr, tr_message, ErrorNotice};
use crate::context::{use_lang, use_store};
use crate::deliver::can_share_files;
use crate::device::utc_offset_minutes;
use crate::export_job::protocol::{Job, Reply, Request, WORKER_NAME, WORKER_SCRIPT};
use crate::file_input::take_picked_file;
use crate::job_worker::JobWorker;
use crate::load::load;
use leptos::prelude::*;
use leptos::task::spawn_local;
use verval_core::text::Message;
use verval_core::Text;

#[component]
pub fn BackupPanel(reloads: RwSignal<u32>) -> impl IntoView {
    let store = use_store();
    let lang = Signal::from(use_lang());
    let kept = load(move || {
        reloads.track();
        let store = store.get_value();
        async move {
            let backup = store.kept_phone_backup().await?.map(|(info, _)| info);
            // The list's rule (`vault::reminder`): old, and households changed since.
            let remind = store.backup_state(crate::device::now()).await?.remind;
            let waiting = store.restore_recipient().await?;
            Ok::<_, crate::storage::StoreError>((backup, remind, waiting))
        }
    });
    let busy = RwSignal::new(None::<Text>);
    let error = RwSignal::new(None::<Message>);
    let restored = RwSignal::new(None::<Message>);
    let shareable = can_share_files();
    let worker = StoredValue::new_local(JobWorker::new(WORKER_SCRIPT, WORKER_NAME));

    let run = move |job: Job, doing: Text| {
        error.set(None);
        restored.set(None);
        busy.set(Some(doing));
        let request = Request {
            job,
            session: crate::storage::session::session_copy(crate::storage::schema::DB_NAME),
        };
        let on_reply = move |reply: Reply| {
            match reply {
                Reply::BackedUp { .. } | Reply::RestoreKey { .. } => {}
                Reply::Restored {
                    added,
                    replaced,
                    kept,
                } => {
                    restored.try_set(Some(Message::new(
                        format!("Cadangan dipulihkan: {added} keluarga baru, {replaced} diperbarui, {kept} tetap seperti di HP ini (sama atau lebih baru)."),
                        format!("Backup restored: {added} households added, {replaced} updated, {kept} kept as on this phone (as new or newer)."),
                    )));
                }
                Reply::Failed { id, en } => {
                    error.try_set(Some(Message::new(id, en)));
                }
                // Progress of a batch: not this panel's job.
                _ => return,
            }
            busy.try_set(None);
            reloads.try_update(|n| *n += 1);
        };
        if let Err(message) = worker
            .try_update_value(|w| w.start(&request, on_reply))
            .unwrap_or(Ok(()))
        {
            busy.set(None);
            error.set(Some(message));
        }
    };

    let hand_over = move |by_share: bool| {
        spawn_local(async move {
            let outcome = async {
                let Some((info, file)) = store
                    .get_value()
                    .kept_phone_backup()
                    .await
                    .map_err(|e| e.message())?
                else {
                    return Ok(());
                };
                crate::deliver::hand_over(&file, &info.file_name, by_share).await
            };
            if let Err(message) = outcome.await {
                error.try_set(Some(message));
            }
        });
    };

    let prepare_restore = move |_| {
        run(
            Job::PrepareRestore,
            Text::new("Menyiapkan kunci pemulihan…", "Preparing the restore key…"),
        )
    };

    let restore_file = move |ev: leptos::ev::Event| {
        let Some(file) = take_picked_file(&ev) else {
            return;
        };
        spawn_local(async move {
            match store.get_value().put_restore_file(&file).await {
                Ok(()) => run(
                    Job::Restore,
                    Text::new("Memulihkan cadangan…", "Restoring the backup…"),
                ),
                Err(e) => {
                    error.try_set(Some(e.message()));
                }
            }
        });
    };

    let offset = utc_offset_minutes();
    view! {
        <section class="backup-panel" id="cadangan" data-testid="backup-panel">
            <h2>{tr(lang, Text::new("Cadangan perangkat", "Device backup"))}</h2>
            <p>{tr(lang, Text::new(
                "Semua keluarga di HP ini, termasuk draf dan foto, dalam satu berkas yang disegel untuk kunci dinas: hanya dinas yang dapat membukanya. Simpan atau kirim berkasnya ke dinas; bila HP hilang atau diganti, tidak ada keluarga yang hilang.",
                "Every household on this phone, drafts and photos included, in one file sealed to the district's keys: only the district can open it. Keep it or send it to the district; if the phone is lost or replaced, no household is lost.",
            ))}</p>
            {move || match kept.get() {
                Some(Ok((Some(info), remind, _))) => {
                    let when = info.made_at.format_local(offset);
                    let text = Message::new(
                        format!("Cadangan terakhir: {when}, {} keluarga ({} draf), {} foto. Berkas: {}", info.households, info.drafts, info.photos, info.file_name),
                        format!("Last backup: {when}, {} households ({} drafts), {} photos. File: {}", info.households, info.drafts, info.photos, info.file_name),
                    );
                    view! {
                        <p data-testid="last-backup" data-households=info.households>{tr_message(lang, text)}</p>
                        <p class="notice" hidden=!remind data-testid="backup-old">{tr(lang, Text::new(
                            "Cadangan terakhir sudah lebih dari seminggu dan data sudah berubah sejak itu. Buat cadangan baru.",
                            "The last backup is more than a week old and the data has changed since. Make a new one.",
                        ))}</p>
                        <div class="button-row">
                            <button type="button" class="button button-secondary" data-testid="download-backup"
                                on:click=move |_| hand_over(false)>
                                {tr(lang, Text::new("Unduh cadangan", "Download the backup"))}
                            </button>
                            <button type="button" class="button button-secondary" data-testid="share-backup"
                                hidden=!shareable on:click=move |_| hand_over(true)>
                                {tr(lang, Text::new("Bagikan cadangan", "Share the backup"))}
                            </button>
                        </div>
                    }.into_any()
                }
                Some(Ok((None, _, _))) => view! {
                    <p class="notice" data-testid="no-backup">{tr(lang, Text::new(
                        "HP ini belum pernah dicadangkan.",
                        "This phone has never been backed up.",
                    ))}</p>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice message=e.message() lang/> }.into_any(),
                None => ().into_any(),
            }}
            <button type="button" class="button" data-testid="backup-device" disabled=move || busy.get().is_some()
                on:click=move |_| run(Job::Backup, Text::new("Membuat cadangan…", "Making the backup…"))>
                {tr(lang, Text::new("Cadangkan perangkat", "Back up this device"))}
            </button>
            {move || busy.get().map(|doing| view! { <p class="muted" data-testid="backup-busy">{tr(lang, doing)}</p> })}
            {move || error.get().map(|message| view! { <ErrorNotice message lang/> })}
            {move || restored.get().map(|message| view! {
                <p class="notice notice-ok" data-testid="restored">{tr_message(lang, message)}</p>
            })}

            <h3>{tr(lang, Text::new("Pulihkan dari cadangan", "Restore from a backup"))}</h3>
            <p>{tr(lang, Text::new(
                "Untuk HP baru: siapkan kunci pemulihan, kirim kunci itu bersama berkas cadangan HP lama ke dinas, dan bacakan kodenya saat dinas menelepon. Dinas menyegel ulang cadangan untuk HP ini saja dan mengirim berkas jawabannya; pilih berkas itu di bawah. Keluarga yang sudah ada di HP ini tidak ditimpa oleh yang lebih lama.",
                "For a new phone: prepare a restore key, send it with the old phone's backup file to the district, and read out its code when the district calls. The district seals the backup again for this phone alone and sends the answer back; choose that file below. Households already on this phone are never replaced by older ones.",
            ))}</p>
            {move || match kept.get() {
                // A key an older version made has no code yet: preparing fills it in.
                Some(Ok((_, _, Some((recipient, code))))) if !code.is_empty() => view! {
                    <label for="kunci_pemulihan">{tr(lang, Text::new(
                        "Kunci pemulihan HP ini (kirim ke dinas)",
                        "This phone's restore key (send it to the district)",
                    ))}</label>
                    <textarea id="kunci_pemulihan" name="kunci_pemulihan" readonly rows="2"
                        data-testid="restore-key">{recipient}</textarea>
                    // The district checks the key it received in writing against this code,
                    // read out over the telephone: a key forwarded by someone else fails.
                    <p data-testid="restore-code">
                        {tr(lang, Text::new(
                            "Kode untuk dibacakan ke dinas lewat telepon:",
                            "The code to read out to the district over the telephone:",
                        ))}
                        " "<strong>{code}</strong>
                    </p>
                    <label for="berkas_pemulihan">{tr(lang, Text::new(
                        "Berkas jawaban dari dinas (.age)",
                        "The district's answer file (.age)",
                    ))}</label>
                    <input id="berkas_pemulihan" name="berkas_pemulihan" type="file" accept=".age"
                        data-testid="restore-file" on:change=restore_file/>
                }.into_any(),
                _ => view! {
                    <button type="button" class="button button-secondary" data-testid="prepare-restore"
                        on:click=prepare_restore>
                        {tr(lang, Text::new("Siapkan kunci pemulihan", "Prepare a restore key"))}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}
