//! The export page's pieces: a batch just made, a batch in the list, a family to choose.
//! Data and callbacks in; the page hands batches over and deletes them.

use super::{tr, tr_message};
use crate::storage::BatchInfo;
use leptos::prelude::*;
use std::collections::BTreeSet;
use verval_core::record::HouseholdSummary;
use verval_core::text::Message;
use verval_core::{Lang, RecordId, Text};

/// The batch just made, or the parts of an export cut for its photos, each with its
/// download and (where the phone can) share buttons: one tap per file, as browsers refuse
/// several downloads at once.
#[component]
pub fn BatchMade(
    parts: Vec<BatchInfo>,
    skipped: usize,
    /// The worker's memory at its peak, in bytes: kept on the notice for the benchmark.
    peak_memory: u64,
    shareable: bool,
    lang: Signal<Lang>,
    /// `(batch, by_share)`: download when false, the share sheet when true.
    on_hand_over: Callback<(BatchInfo, bool)>,
) -> impl IntoView {
    let count = parts.len();
    let cut = Text::new(
        "Ekspor ini dibagi menjadi beberapa bagian karena fotonya; setiap bagian batch yang utuh. Serahkan semuanya.",
        "This export was cut into parts for its photos; each part is a complete batch. Hand over every one.",
    );
    let skipped_text = Message::new(
        format!("{skipped} keluarga sedang dikoreksi dan tidak ikut."),
        format!("{skipped} households are being corrected and were left out."),
    );
    view! {
        <div class="batch-made" data-testid="batch-made-all" data-parts=count data-peak-memory=peak_memory>
            <p class="notice" hidden=count < 2>{tr(lang, cut)}</p>
            {parts.into_iter().map(|info| made_part(info, shareable, lang, on_hand_over)).collect_view()}
            <p hidden=skipped == 0>{tr_message(lang, skipped_text)}</p>
        </div>
    }
}

/// One batch just made: what it holds, download and share. A plain function, not a
/// component: no props builder on the export page.
fn made_part(
    info: BatchInfo,
    shareable: bool,
    lang: Signal<Lang>,
    on_hand_over: Callback<(BatchInfo, bool)>,
) -> impl IntoView {
    let (contents_id, contents_en) = contents(&info);
    let (part_id, part_en) = match info.part {
        0 => (String::new(), String::new()),
        n => (format!(" (bagian {n})"), format!(" (part {n})")),
    };
    let text = Message::new(
        format!(
            "Batch {}{part_id} dibuat: {contents_id}, {}. Unduh atau bagikan untuk menyerahkannya.",
            info.file_name,
            size(info.bytes)
        ),
        format!(
            "Batch {}{part_en} made: {contents_en}, {}. Download or share it to hand it over.",
            info.file_name,
            size(info.bytes)
        ),
    );
    let (file, count, part, bytes) = (info.file_name.clone(), info.record_count, info.part, info.bytes);
    let shared = info.clone();
    view! {
        <div class="notice notice-ok" data-testid="batch-made" data-file=file data-count=count data-part=part data-bytes=bytes>
            <p>{tr_message(lang, text)}</p>
            <button type="button" class="button" data-testid="download-batch"
                on:click=move |_| on_hand_over.run((info.clone(), false))>
                {tr(lang, Text::new("Unduh", "Download"))}
            </button>
            <button type="button" class="button button-secondary" data-testid="share-batch" hidden=!shareable
                on:click=move |_| on_hand_over.run((shared.clone(), true))>
                {tr(lang, Text::new("Bagikan", "Share"))}
            </button>
        </div>
    }
}

/// A batch made on this device: when, how many, whether it has left the phone, and its
/// file to download again or delete.
/// Why a plain batch made before the phone had the district's keys is not handed over.
pub fn plain_before_keys() -> Message {
    Message::new(
        "Berkas ini dibuat sebelum perangkat punya kunci dinas dan tidak tersegel, jadi tidak dibagikan lagi. Buat batch baru: keluarganya ikut tersegel.".to_owned(),
        "This file was made before the device had the district's keys and is not sealed, so it is not handed over again. Make a new batch: its households go sealed.".to_owned(),
    )
}

#[component]
pub fn BatchRow(
    info: BatchInfo,
    /// The phone seals its batches now: a plain file of this list stays on the phone.
    seals: bool,
    utc_offset_minutes: i32,
    lang: Signal<Lang>,
    on_download: Callback<BatchInfo>,
    on_delete: Callback<BatchInfo>,
) -> impl IntoView {
    let offset = utc_offset_minutes;
    let received = info.received_at.map(|at| at.format_local(offset));
    let sync = match (&received, &info.rejected, info.for_sync) {
        (Some(_), _, _) => "received",
        (None, Some(_), _) => "rejected",
        (None, None, true) if info.replaced_at.is_some() => "replaced",
        (None, None, true) => "waiting",
        (None, None, false) => "",
    };
    let status = match (received, &info.rejected, info.deleted_at, info.handed_over_at) {
        (None, None, _, _) if info.replaced_at.is_some() => Message::new(
            "Diganti batch tersegel: dibuat sebelum perangkat punya kunci dinas, tidak dikirim terbuka"
                .to_owned(),
            "Replaced by a sealed batch: made before the device had the district's keys, never sent unsealed"
                .to_owned(),
        ),
        (Some(at), _, _, _) if info.received_via.as_deref() == Some("file") => Message::new(
            format!("Diterima kabupaten {at} (tanda terima)"),
            format!("Received by the district {at} (receipt)"),
        ),
        (Some(at), _, _, _) => Message::new(
            format!("Terkirim ke server kabupaten {at}"),
            format!("Sent to the district server {at}"),
        ),
        (None, Some(reason), _, _) => Message::new(
            format!("Ditolak server: {reason}"),
            format!("Refused by the server: {reason}"),
        ),
        (None, None, _, _) if info.for_sync => Message::new(
            "Menunggu dikirim ke server kabupaten".to_owned(),
            "Waiting to be sent to the district server".to_owned(),
        ),
        (None, None, Some(_), _) => Message::new("Berkas dihapus".to_owned(), "File deleted".to_owned()),
        (None, None, None, Some(at)) => Message::new(
            format!("Diserahkan {}", at.format_local(offset)),
            format!("Handed over {}", at.format_local(offset)),
        ),
        (None, None, None, None) => Message::new(
            "Belum diunduh atau dibagikan".to_owned(),
            "Not yet downloaded or shared".to_owned(),
        ),
    };
    let kept = info.deleted_at.is_none();
    let held_back = kept && seals && !info.sealed;
    let when = info.created_at.format_local(offset);
    let (sealed_id, sealed_en) = if info.sealed {
        (" · tersegel", " · sealed")
    } else {
        ("", "")
    };
    let (contents_id, contents_en) = contents(&info);
    let facts = Message::new(
        format!("{when} · {contents_id} · {}{sealed_id}", size(info.bytes)),
        format!("{when} · {contents_en} · {}{sealed_en}", size(info.bytes)),
    );
    let again = info.clone();
    let gone = info.clone();
    view! {
        <li data-testid="batch" data-file=info.file_name.clone() data-bytes=info.bytes
            data-handed-over=info.handed_over_at.is_some().to_string() data-deleted=(!kept).to_string()
            data-sync=sync data-sealed=info.sealed.to_string()>
            <strong>{info.file_name.clone()}</strong>
            <span class="muted">{tr_message(lang, facts)}</span>
            <span data-testid="batch-status">{tr_message(lang, status)}</span>
            <button type="button" class="button button-secondary" data-testid="redownload-batch"
                hidden=!kept || held_back on:click=move |_| on_download.run(again.clone())>
                {tr(lang, Text::new("Unduh lagi", "Download again"))}
            </button>
            <span class="notice" data-testid="batch-plain" hidden=!held_back>
                {tr_message(lang, plain_before_keys())}
            </span>
            <button type="button" class="button button-danger" data-testid="delete-batch" hidden=!kept
                on:click=move |_| on_delete.run(gone.clone())>
                {tr(lang, Text::new("Hapus berkas", "Delete file"))}
            </button>
        </li>
    }
}

/// One finalized family to tick, with the batches it went out in.
#[component]
pub fn ChoosableFamily(
    summary: HouseholdSummary,
    batches: Vec<String>,
    /// How the district got its newest acknowledged revision: `(revision, via)`.
    received: Option<(u32, String)>,
    chosen: RwSignal<BTreeSet<RecordId>>,
    lang: Signal<Lang>,
) -> impl IntoView {
    let id = summary.id.clone();
    let received_text = received.as_ref().map(|(revision, via)| match via.as_str() {
        "file" => Message::new(
            format!("Diterima kabupaten (revisi {revision})"),
            format!("Received by the district (revision {revision})"),
        ),
        _ => Message::new(
            format!("Terkirim ke server kabupaten (revisi {revision})"),
            format!("Sent to the district server (revision {revision})"),
        ),
    });
    let toggle_id = id.clone();
    let input_id = format!("pilih-{id}");
    let went_out = if batches.is_empty() {
        Message::new("Belum diekspor".to_owned(), "Not yet exported".to_owned())
    } else {
        Message::new(
            format!("Sudah diekspor: {}", batches.join(", ")),
            format!("Exported in: {}", batches.join(", ")),
        )
    };
    let name = match summary.nama_kepala_keluarga.is_empty() {
        true => summary.id.to_string(),
        false => summary.nama_kepala_keluarga.clone(),
    };
    view! {
        <li>
            <input type="checkbox" id=input_id.clone() name="keluarga" value=id.to_string()
                prop:checked=move || chosen.with(|c| c.contains(&id))
                on:change=move |_| chosen.update(|c| {
                    if !c.remove(&toggle_id) {
                        c.insert(toggle_id.clone());
                    }
                })/>
            <label for=input_id>
                <span class="record-name">{name}</span>
                " · "{summary.nomor_kk}
                <span class="muted" data-testid="record-batches">{tr_message(lang, went_out)}</span>
                {received_text.map(|text| view! {
                    <span class="ok" data-testid="record-received">{tr_message(lang, text)}</span>
                })}
            </label>
        </li>
    }
}

/// `1.2 MB`, `340 KB`: sizes as people read them.
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// What a batch says of the village meetings it carries, in each language.
/// What a batch carries, in Indonesian and English: its households, its district form
/// records (named only when it has some) and its village meetings.
fn contents(info: &BatchInfo) -> (String, String) {
    let mut id = format!("{} keluarga", info.households());
    let mut en = format!("{} households", info.households());
    if info.form_records > 0 {
        id += &format!(", {} rekaman formulir daerah", info.form_records);
        en += &format!(", {} district form records", info.form_records);
    }
    if info.meetings {
        id += " + musyawarah desa";
        en += " + village meetings";
    }
    (id, en)
}
