//! Taking in a batch: verify it, check who may send it, store each record version exactly
//! once, and answer with a receipt. One transaction per batch; a repeat of the same batch is
//! answered with the receipt stored the first time, and changes nothing.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError, Retry};
use crate::enrol::Device;
use crate::musdes::MusdesError;
use crate::musdes_phone::Sender;
use crate::sealing;
use crate::supervision::derived::BindDerived;
use crate::supervision::duplicates;
use sqlx::any::{Any, AnyArguments};
use sqlx::query::Query;
use sqlx::{Row, Transaction};
use verval_core::aid::meeting_book::{MeetingAnswer, MusdesAnswer};
use verval_core::export::canonical::sha256_hex;
use verval_core::export::{read_incoming, Batch, BatchError, Incoming, Limits};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::form::default::{KODE_DESA, NAMA_PETUGAS, STATUS_VERIFIKASI};
use verval_core::form::KnownForms;
use verval_core::review::ReviewState;
use verval_core::seal::Identity;
use verval_core::supervision::duplicates::match_keys;
use verval_core::sync::api::ErrorCode;
use verval_core::sync::receipt::{RECEIPT_FORMAT, RECEIPT_FORMAT_VERSION};
use verval_core::sync::{parse_receipt, Outcome, Receipt, ReceivedRecord};
use verval_core::HouseholdRecord;

mod fresh;

/// Where a batch came from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Uploaded by an enrolled device: it may only carry records of its villages.
    Device(Device),
    /// A file district staff received by hand and imported (web page or CLI).
    File,
}

impl Source {
    /// Where a version came from, as the hub knows it: the device's key, not the id the
    /// phone gave itself (any phone can claim any id).
    pub(crate) fn origin(&self, manifest_device: &str) -> String {
        match self {
            Source::Device(d) => d.device_key.clone(),
            Source::File => format!("file:{manifest_device}"),
        }
    }

    /// `batches.via`: `sync` or `file`.
    pub(crate) fn via(&self) -> &'static str {
        match self {
            Source::Device(_) => "sync",
            Source::File => "file",
        }
    }

    /// The audit action of a batch arriving this way.
    pub(crate) fn arrival(&self) -> Action {
        match self {
            Source::Device(_) => Action::BatchSync,
            Source::File => Action::BatchUpload,
        }
    }

    /// A device may send only what it made, and only households of its villages: each
    /// record's id with its village.
    fn check<'a>(
        &self,
        device_id: &str,
        mut villages: impl Iterator<Item = (String, &'a str)>,
    ) -> Result<(), IngestError> {
        let Source::Device(device) = self else {
            return Ok(());
        };
        if device_id != device.device_id {
            return Err(IngestError::OtherDevice {
                found: device_id.to_owned(),
            });
        }
        match villages.find(|(_, kode_desa)| !device.villages.iter().any(|v| v == kode_desa)) {
            Some((record_id, kode_desa)) => Err(IngestError::ForbiddenVillage {
                record_id,
                kode_desa: kode_desa.to_owned(),
            }),
            None => Ok(()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("batch ditolak (batch refused): {0}")]
    Malformed(#[from] BatchError),
    #[error("rekaman {record_id} untuk desa {kode_desa:?}, bukan desa petugas ini (record is for a village this enumerator does not cover)")]
    ForbiddenVillage { record_id: String, kode_desa: String },
    #[error("batch dibuat di perangkat lain ({found}), bukan perangkat terdaftar ini (batch made on another device)")]
    OtherDevice { found: String },
    #[error(
        "batch {0} sudah diterima dengan isi berbeda (this batch id was received with different content)"
    )]
    BatchIdReused(String),
    #[error("tanda terima tersimpan rusak (stored receipt unreadable): {0}")]
    StoredReceipt(String),
    #[error("rekaman {record_id} milik desa {stored}, tetapi kiriman menyebut desa {sent:?}: rekaman tidak bisa pindah desa lewat kiriman; pemindahan diputuskan dinas di hub (a record cannot change its village by upload; a move is the district's decision)")]
    MovedVillage {
        record_id: String,
        stored: String,
        sent: String,
    },
    #[error("rekaman {record_id} sudah tersimpan untuk formulir lain: sebuah rekaman tidak bisa berpindah formulir (a record cannot change its form; this id is another form's record here)")]
    OtherForm { record_id: String },
    #[error("server sedang sibuk memeriksa kiriman lain; dicoba lagi nanti (the hub is busy verifying other uploads; try again later)")]
    Busy,
    #[error("batch disegel untuk kunci yang tidak dikenal server ini ({}): dinas tidak dapat membukanya; cocokkan kunci dinas di perangkat (sealed to keys this hub does not know: the district could not open it; check the district keys on the device)", .0.join(", "))]
    UnknownKeys(Vec<String>),
    #[error("musyawarah desa dalam batch tidak dapat diambil (the batch's village meetings could not be taken): {0}")]
    Meetings(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for IngestError {
    fn from(e: sqlx::Error) -> IngestError {
        IngestError::Db(DbError::Query(e))
    }
}

impl IngestError {
    pub fn code(&self) -> ErrorCode {
        match self {
            IngestError::Malformed(_) => ErrorCode::MalformedBatch,
            IngestError::ForbiddenVillage { .. }
            | IngestError::OtherDevice { .. }
            | IngestError::MovedVillage { .. }
            | IngestError::OtherForm { .. } => ErrorCode::ForbiddenVillage,
            IngestError::Busy => ErrorCode::Busy,
            IngestError::BatchIdReused(_) => ErrorCode::BatchIdReused,
            IngestError::UnknownKeys(_) => ErrorCode::UnknownKeys,
            IngestError::StoredReceipt(_) | IngestError::Db(_) | IngestError::Meetings(_) => {
                ErrorCode::ServerError
            }
        }
    }

    /// Whether the batch itself is at fault (not the hub, nor the moment): a sealed batch
    /// refused so, once opened, is quarantined.
    pub fn is_the_batch(&self) -> bool {
        match self {
            IngestError::Malformed(_)
            | IngestError::ForbiddenVillage { .. }
            | IngestError::OtherDevice { .. }
            | IngestError::BatchIdReused(_)
            | IngestError::UnknownKeys(_)
            | IngestError::MovedVillage { .. }
            | IngestError::OtherForm { .. } => true,
            IngestError::StoredReceipt(_)
            | IngestError::Busy
            | IngestError::Db(_)
            | IngestError::Meetings(_) => false,
        }
    }

    pub fn record_id(&self) -> Option<&str> {
        match self {
            IngestError::ForbiddenVillage { record_id, .. }
            | IngestError::MovedVillage { record_id, .. }
            | IngestError::OtherForm { record_id } => Some(record_id),
            _ => None,
        }
    }
}

impl Retry for IngestError {
    fn worth_retrying(&self) -> bool {
        matches!(self, IngestError::Db(e) if e.worth_retrying())
    }
}

/// The hub's batch limits: the body limit bounds the file, and what it may inflate to.
pub fn limits(max_upload_bytes: u64) -> Limits {
    Limits::for_file(max_upload_bytes)
}

/// A batch taken in: its receipt, and what became of the village meetings it carried.
#[derive(Debug)]
pub struct Ingested {
    pub receipt: Receipt,
    /// The answer to the meetings it carried (a sealed batch's once opened, here or later
    /// on the Segel page); `None` when it carried none or is not opened yet.
    pub meetings: Option<MusdesAnswer>,
}

/// Verifies and stores a batch; returns its receipt. A batch stored for the first time is
/// audited, in the same transaction, as done `by` (a repeat changes nothing and is not).
/// The village meetings it carries are taken after its households ([`take_meetings`]).
///
/// A sealed batch (issue #22) is checked against its sender by its plaintext manifest, kept
/// as it came and answered with a receipt; with the district's key unlocked (`keys`), it is
/// then opened at once ([`crate::sealing::open`]).
pub async fn ingest(
    db: &Db,
    hub_name: &str,
    bytes: &[u8],
    limits: &Limits,
    source: &Source,
    by: &Actor,
    keys: &[Identity],
) -> Result<Ingested, IngestError> {
    let checked = check(db, bytes.to_vec(), limits).await?;
    keep(db, hub_name, checked, limits, source, by, keys).await
}

/// A batch file read and verified by [`check`], not yet stored: [`keep`] stores it.
#[derive(Debug)]
pub struct Checked {
    bytes: Vec<u8>,
    sha256: String,
    incoming: Incoming,
}

/// Reads and verifies a batch file against the forms the hub knows, storing nothing: the
/// first half of [`ingest`], which a file import runs for the next file while the one before
/// is stored.
pub async fn check(db: &Db, bytes: Vec<u8>, limits: &Limits) -> Result<Checked, IngestError> {
    let sha256 = sha256_hex(&bytes);
    let known = crate::forms::known(db).await?;
    let (bytes, incoming) = read(bytes, limits, known).await?;
    Ok(Checked {
        bytes,
        sha256,
        incoming,
    })
}

/// Stores a batch [`check`] verified, as [`ingest`] does.
pub async fn keep(
    db: &Db,
    hub_name: &str,
    checked: Checked,
    limits: &Limits,
    source: &Source,
    by: &Actor,
    keys: &[Identity],
) -> Result<Ingested, IngestError> {
    let Checked {
        bytes,
        sha256,
        incoming,
    } = checked;
    let bytes = bytes.as_slice();
    let batch = match incoming {
        Incoming::Plain(batch) => batch,
        Incoming::Sealed(sealed) => {
            let manifest = &sealed.manifest;
            let villages = manifest
                .records
                .iter()
                .map(|r| (r.id.clone(), r.kode_desa.as_str()));
            source.check(&manifest.device_id, villages)?;
            // Sealed to a key the district never listed (a phone that took a stranger's
            // keys): refused, so the phone keeps the records instead of a receipt for a
            // file no one here can open.
            let unknown = sealing::keys::unknown(db, &manifest.sealed_to).await?;
            if !unknown.is_empty() {
                return Err(IngestError::UnknownKeys(unknown));
            }
            let arrival = sealing::store::Arrival {
                hub_name,
                bytes,
                sha256: &sha256,
                manifest,
                source,
                by,
            };
            let receipt = sealing::store::keep(db, &arrival).await?;
            // Opening is the district's business, not the sender's: whatever it finds is
            // kept on the batch (opened, quarantined, still waiting), and the sender has its
            // receipt either way — the batch is stored, so even an opening that failed (a
            // busy hub, a database hiccup) must not make the phone send it again. It waits
            // for the Segel page's next opening.
            let mut meetings = None;
            if !keys.is_empty() {
                match sealing::open::open_one(db, hub_name, &manifest.batch_id, keys, limits, by).await {
                    Ok(sealing::open::Opening::Opened(taken)) => meetings = taken,
                    Ok(_) => {}
                    Err(e) => {
                        // The kind only: a database error's text may quote stored values.
                        eprintln!(
                            "verval-hub: sealed batch {} kept, not opened yet ({:?}); the Segel page opens it later",
                            manifest.batch_id,
                            e.code()
                        );
                    }
                }
            }
            return Ok(Ingested { receipt, meetings });
        }
    };
    let villages = batch
        .records
        .iter()
        .map(|r| (r.id.to_string(), r.answers.get(KODE_DESA)));
    source.check(&batch.manifest.device_id, villages)?;
    let incoming = Stored {
        hub_name,
        bytes,
        sha256,
        manifest: &batch.manifest,
        records: &batch.records,
        lines: batch.record_lines(),
        backend: db.backend,
        source,
        origin: source.origin(&batch.manifest.device_id),
        by,
        action: source.arrival(),
    };
    // Two uploads of one batch may race (a retry while the first is still being stored):
    // the loser's transaction fails on a unique key and, tried again, finds the winner's
    // receipt.
    let receipt = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let receipt = store(&mut tx, &incoming).await?;
            tx.commit().await?;
            Ok::<_, IngestError>(receipt)
        })
        .await?;
    let meetings = match take_meetings(db, &batch, source, by).await {
        Ok(answer) => answer,
        // The households are stored: the batch is not refused for its meetings. The same
        // file uploaded again takes them (a repeat takes its meetings again).
        Err(e) => Some(MusdesAnswer {
            meetings: vec![MeetingAnswer {
                problem: format!(
                    "musyawarah desa belum dapat diambil ({:?}); unggah berkas ini lagi (the village meetings could not be taken now; upload this file again)",
                    e.code()
                ),
                ..MeetingAnswer::default()
            }],
        }),
    };
    Ok(Ingested { receipt, meetings })
}

/// Takes the village meetings a batch carries (issue #24: how a phone with no hub hands its
/// Musdes decisions over) as a sync round's are taken, after the batch's households so a
/// decision finds the family it came with. Taken with every upload of the batch, a repeat
/// included: a decision the hub holds already is the same, and one still waiting for its
/// household may find it now.
pub(crate) async fn take_meetings(
    db: &Db,
    batch: &Batch,
    source: &Source,
    by: &Actor,
) -> Result<Option<MusdesAnswer>, IngestError> {
    let Some(upload) = &batch.meetings else {
        return Ok(None);
    };
    let sender = match source {
        Source::Device(device) => Sender::device(device),
        Source::File => Sender::file(&batch.manifest.device_id),
    };
    let today = crate::time_zone::of(db)
        .await
        .map_err(|e| IngestError::Meetings(e.to_string()))?
        .today();
    match crate::musdes_phone::take(db, &sender, upload, by, today).await {
        Ok(answer) => Ok(Some(answer)),
        Err(MusdesError::Db(e)) => Err(IngestError::Db(e)),
        Err(e) => Err(IngestError::Meetings(e.to_string())),
    }
}

/// Stores the batch a sealed one held, once opened, takes the village meetings it carries,
/// then marks it opened: one whose meetings could not be taken keeps waiting, and opening it
/// again stores nothing twice. Its receipt names the sealed file (what the phone sent).
pub(crate) async fn store_opened(
    db: &Db,
    hub_name: &str,
    sealed: &sealing::store::Waiting,
    batch: &Batch,
    inner: &[u8],
    by: &Actor,
) -> Result<Option<MusdesAnswer>, IngestError> {
    let stored = Stored {
        hub_name,
        bytes: inner,
        sha256: sealed.sha256.clone(),
        manifest: &batch.manifest,
        records: &batch.records,
        lines: batch.record_lines(),
        backend: db.backend,
        source: &sealed.source,
        origin: sealed.source.origin(&batch.manifest.device_id),
        by,
        action: Action::SealedOpened,
    };
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        store(&mut tx, &stored).await?;
        tx.commit().await?;
        Ok::<_, IngestError>(())
    })
    .await?;
    let meetings = take_meetings(db, batch, &sealed.source, by).await?;
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sealing::store::mark_opened_in(&mut tx, &sealed.batch_id).await?;
        tx.commit().await?;
        Ok::<_, IngestError>(())
    })
    .await?;
    Ok(meetings)
}

/// Reads a batch of either kind off the async workers ([`crate::heavy`]); "busy" when no
/// turn comes.
async fn read(
    bytes: Vec<u8>,
    limits: &Limits,
    known: KnownForms,
) -> Result<(Vec<u8>, Incoming), IngestError> {
    let limits = *limits;
    let (bytes, read) = crate::heavy::run(move || {
        let read = read_incoming(&bytes, &limits, &known);
        (bytes, read)
    })
    .await
    .map_err(|_| IngestError::Busy)?;
    Ok((bytes, read.map_err(IngestError::Malformed)?))
}

/// Stores every record one by one, new households too: only for the test that holds the
/// two ways to the same tables and receipts (`tests/ingest_together.rs`).
#[doc(hidden)]
pub static ONE_BY_ONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A batch on its way into the database.
struct Stored<'a> {
    hub_name: &'a str,
    bytes: &'a [u8],
    sha256: String,
    manifest: &'a verval_core::export::manifest::Manifest,
    records: &'a [HouseholdRecord],
    /// Each record's canonical JSON as the batch holds it, where it does ([`Batch::record_lines`]).
    lines: Vec<Option<&'a str>>,
    /// Which store: how many rows a multi-row statement takes.
    backend: crate::db::Backend,
    source: &'a Source,
    /// [`Source::origin`] of this batch.
    origin: String,
    by: &'a Actor,
    /// What the audit trail calls storing it.
    action: Action,
}

async fn store(tx: &mut Transaction<'static, Any>, batch: &Stored<'_>) -> Result<Receipt, IngestError> {
    let batch_id = &batch.manifest.batch_id;
    let earlier = sqlx::query("SELECT sha256, receipt FROM batches WHERE batch_id = $1")
        .bind(batch_id)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(row) = earlier {
        let sha: String = row.try_get(0)?;
        if sha != batch.sha256 {
            return Err(IngestError::BatchIdReused(batch_id.clone()));
        }
        let receipt: String = row.try_get(1)?;
        return parse_receipt(receipt.as_bytes()).map_err(|e| IngestError::StoredReceipt(e.to_string()));
    }
    // A plain batch under the id of a sealed one is another batch (opening stores the
    // sealed one's own content under its id).
    if batch.action != Action::SealedOpened {
        let sealed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sealed_batches WHERE batch_id = $1")
            .bind(batch_id)
            .fetch_one(&mut **tx)
            .await?;
        if sealed > 0 {
            return Err(IngestError::BatchIdReused(batch_id.clone()));
        }
    }
    let now = now_ms();
    // The batch row first: the record versions refer to it.
    // A device's batch is named by the enumerator enrolled on it, not by what it says.
    let (enumerator_id, enumerator) = match batch.source {
        Source::Device(d) => (Some(d.enumerator_id.clone()), d.enumerator.as_str()),
        Source::File => (None, batch.manifest.enumerator.as_str()),
    };
    let via = batch.source.via();
    sqlx::query(
        "INSERT INTO batches (batch_id, sha256, file_name, via, enumerator_id, enumerator, \
         device_id, record_count, received_at, receipt, bytes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10)",
    )
    .bind(batch_id)
    .bind(&batch.sha256)
    .bind(&batch.manifest.file_name)
    .bind(via)
    .bind(enumerator_id)
    .bind(enumerator)
    .bind(&batch.manifest.device_id)
    .bind(batch.records.len() as i64)
    .bind(now)
    .bind(batch.bytes.to_vec())
    .execute(&mut **tx)
    .await?;
    let prepared: Vec<fresh::Prepared> = batch
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| fresh::Prepared::of(r, batch.lines.get(i).copied().flatten()))
        .collect();
    // Households the hub has never seen are stored together; every other record one by one,
    // after them (ids in one batch are distinct, so the order between the two changes nothing
    // but which of two households sharing a key finds the other).
    let known = fresh::known_ids(tx, batch.backend, &prepared).await?;
    let together = !ONE_BY_ONE.load(std::sync::atomic::Ordering::Relaxed);
    let is_fresh = |p: &fresh::Prepared| together && p.record.is_household_form() && !known.contains(&p.id);
    let new: Vec<&fresh::Prepared> = prepared.iter().filter(|p| is_fresh(p)).collect();
    fresh::store(tx, batch, &new, now).await?;
    let mut received = Vec::with_capacity(batch.records.len());
    for p in &prepared {
        let outcome = match is_fresh(p) {
            true => Outcome::Stored,
            false => store_record(tx, batch, p.record, &p.body, &p.sha256, now).await?,
        };
        received.push(ReceivedRecord {
            id: p.id.clone(),
            revision: p.record.revision,
            sha256: p.sha256.clone(),
            outcome,
        });
    }
    let receipt = Receipt {
        format: RECEIPT_FORMAT.to_owned(),
        format_version: RECEIPT_FORMAT_VERSION,
        batch_id: batch_id.clone(),
        batch_sha256: batch.sha256.clone(),
        file_name: batch.manifest.file_name.clone(),
        hub: batch.hub_name.to_owned(),
        received_at: now,
        records: received,
    };
    let text = String::from_utf8_lossy(&receipt.to_file()).into_owned();
    sqlx::query("UPDATE batches SET receipt = $1 WHERE batch_id = $2")
        .bind(text)
        .bind(batch_id)
        .execute(&mut **tx)
        .await?;
    let households: Vec<String> = receipt.records.iter().map(|r| r.id.clone()).collect();
    let event = Event {
        action: batch.action,
        detail: serde_json::json!({
            "batch_id": batch_id,
            "berkas": batch.manifest.file_name,
            "perangkat": batch.origin,
            "keluarga": households.len(),
        }),
        households: &households,
    };
    audit::record_in(tx, batch.by, &event).await?;
    Ok(receipt)
}

/// Stores one version and decides which version of the household is current.
async fn store_record(
    tx: &mut Transaction<'static, Any>,
    batch: &Stored<'_>,
    record: &HouseholdRecord,
    body: &str,
    sha256: &str,
    now: i64,
) -> Result<Outcome, IngestError> {
    let id = record.id.to_string();
    let revision = i64::from(record.revision);
    let origin = &batch.origin;
    let known = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM record_versions WHERE record_id = $1 AND revision = $2 AND sha256 = $3",
    )
    .bind(&id)
    .bind(revision)
    .bind(sha256)
    .fetch_one(&mut **tx)
    .await?;
    if known > 0 {
        return Ok(Outcome::AlreadyStored);
    }
    // A record id is one form's for good: a household's id sent as a district form's record
    // (or the other way round) would put its body among the other's versions.
    let other_table = match record.is_household_form() {
        true => "SELECT COUNT(*) FROM form_records WHERE record_id = $1",
        false => "SELECT COUNT(*) FROM records WHERE record_id = $1",
    };
    let elsewhere: i64 = sqlx::query_scalar(other_table)
        .bind(&id)
        .fetch_one(&mut **tx)
        .await?;
    if elsewhere > 0 {
        return Err(IngestError::OtherForm { record_id: id });
    }
    bind_version(
        sqlx::query(VERSION_INSERT),
        batch,
        &id,
        revision,
        sha256,
        body,
        now,
    )
    .execute(&mut **tx)
    .await?;
    let shown = Shown::of(batch.source, record, origin);
    if !record.is_household_form() {
        return crate::form_records::store_current(tx, record, sha256, &shown, now).await;
    }
    let current = sqlx::query("SELECT revision, conflict, kode_desa FROM records WHERE record_id = $1")
        .bind(&id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(current) = current else {
        write_current(tx, record, &shown, sha256, false, now, Insert).await?;
        return Ok(Outcome::Stored);
    };
    // A household belongs to the village it was first stored for: an upload never moves
    // it (nor hands it to whoever covers another village).
    let stored_village: String = current.try_get(2)?;
    if stored_village != record.answers.get(KODE_DESA) {
        return Err(IngestError::MovedVillage {
            record_id: id,
            stored: stored_village,
            sent: record.answers.get(KODE_DESA).to_owned(),
        });
    }
    let standing = Standing::of(tx, &id, origin, revision, &current).await?;
    if standing.newer {
        write_current(tx, record, &shown, sha256, standing.conflict, now, Update).await?;
    } else if standing.conflict {
        sqlx::query("UPDATE records SET conflict = 1, updated_at = $1 WHERE record_id = $2")
            .bind(now)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(standing.outcome())
}

/// A version's row in `record_versions`, its values bound by [`bind_version`].
const VERSION_INSERT: &str = "INSERT INTO record_versions (record_id, revision, sha256, batch_id, \
    device_id, body, received_at, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const VERSION_VALUES: usize = 8;

fn bind_version<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    batch: &'q Stored<'_>,
    id: &'q str,
    revision: i64,
    sha256: &'q str,
    body: &'q str,
    now: i64,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(id)
        .bind(revision)
        .bind(sha256)
        .bind(&batch.manifest.batch_id)
        .bind(&batch.manifest.device_id)
        .bind(body)
        .bind(now)
        .bind(&batch.origin)
}

/// Where a version stands against the current one (the household's or a district form's
/// record), read from its current row (`revision`, `conflict` first).
pub(crate) struct Standing {
    /// It becomes the current version.
    pub newer: bool,
    /// Another device's version, or a second version under one revision number: two people
    /// (or two phones) edited the record. Both are kept; a person decides.
    pub conflict: bool,
}

impl Standing {
    pub(crate) async fn of(
        tx: &mut Transaction<'static, Any>,
        id: &str,
        origin: &str,
        revision: i64,
        current: &sqlx::any::AnyRow,
    ) -> Result<Standing, IngestError> {
        let current_revision: i64 = current.try_get(0)?;
        let already_conflicted = current.try_get::<i64, _>(1)? != 0;
        let other_origins = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM record_versions WHERE record_id = $1 AND origin <> $2",
        )
        .bind(id)
        .bind(origin)
        .fetch_one(&mut **tx)
        .await?;
        Ok(Standing {
            newer: revision > current_revision,
            conflict: already_conflicted || other_origins > 0 || revision == current_revision,
        })
    }

    pub(crate) fn outcome(&self) -> Outcome {
        match (self.conflict, self.newer) {
            (true, _) => Outcome::Conflict,
            (false, true) => Outcome::Stored,
            (false, false) => Outcome::Older,
        }
    }
}

/// Who the hub shows as a version's enumerator: the enrolled one for a device's upload,
/// the record's own text only for a file district staff imported.
pub(crate) struct Shown {
    pub enumerator_id: Option<String>,
    pub enumerator: String,
    /// The phone the version came from (`record_versions.origin`).
    pub origin: String,
}

impl Shown {
    pub(crate) fn of(source: &Source, record: &HouseholdRecord, origin: &str) -> Shown {
        match source {
            Source::Device(d) => Shown {
                enumerator_id: Some(d.enumerator_id.clone()),
                enumerator: d.enumerator.clone(),
                origin: origin.to_owned(),
            },
            Source::File => Shown {
                enumerator_id: None,
                enumerator: record.answers.get(NAMA_PETUGAS).to_owned(),
                origin: origin.to_owned(),
            },
        }
    }
}

pub(crate) struct Insert;
pub(crate) struct Update;

pub(crate) trait Write {
    const SQL: &'static str;
    /// The household's first version: it has no keys or pairs yet.
    const FIRST: bool;
    /// The household's review standing once this version is current (`$12`).
    const REVIEW: ReviewState;
}

impl Write for Insert {
    const SQL: &'static str = "INSERT INTO records (revision, sha256, kode_desa, enumerator, \
        nama_kepala_keluarga, nomor_kk, status_verifikasi, conflict, updated_at, review, \
        review_note, record_id, enumerator_id, prelist_id, lat_e6, lon_e6, accuracy_m, \
        location_asked, house_photo, started_at, finalized_at, origin, derived) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $12, '', $10, $11, $13, $14, $15, $16, $17, \
        $18, $19, $20, $21, $22)";
    const FIRST: bool = true;
    const REVIEW: ReviewState = ReviewState::Menunggu;
}

impl Write for Update {
    // A decision was about another version: the household waits for another look, and the
    // reviewer's note stays (it is what the enumerator was answering). Never decided: it
    // still waits for its first review.
    const SQL: &'static str = "UPDATE records SET revision = $1, sha256 = $2, kode_desa = $3, \
        enumerator = $4, nama_kepala_keluarga = $5, nomor_kk = $6, status_verifikasi = $7, \
        conflict = $8, updated_at = $9, enumerator_id = $11, prelist_id = $13, lat_e6 = $14, \
        lon_e6 = $15, accuracy_m = $16, location_asked = $17, house_photo = $18, started_at = $19, \
        finalized_at = $20, origin = $21, derived = $22, \
        review = CASE WHEN reviewed_revision = 0 THEN review ELSE $12 END \
        WHERE record_id = $10";
    const FIRST: bool = false;
    const REVIEW: ReviewState = ReviewState::TinjauUlang;
}

/// How many values [`bind_current`] binds: `$1` to `$22` of [`Write::SQL`].
const CURRENT_VALUES: usize = 22;

/// Binds a household's current row as `$1` to `$22` of [`Write::SQL`]; the multi-row insert
/// of new households binds them again for each row.
fn bind_current<'q, W: Write>(
    query: Query<'q, Any, AnyArguments<'q>>,
    record: &'q HouseholdRecord,
    shown: &'q Shown,
    sha256: &'q str,
    conflict: bool,
    now: i64,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(i64::from(record.revision))
        .bind(sha256)
        .bind(record.answers.get(KODE_DESA))
        .bind(&shown.enumerator)
        .bind(record.answers.get(NAMA_KEPALA_KELUARGA))
        .bind(record.answers.get(NOMOR_KK))
        .bind(record.answers.get(STATUS_VERIFIKASI))
        .bind(i64::from(conflict))
        .bind(now)
        .bind(record.id.to_string())
        .bind(shown.enumerator_id.as_deref())
        .bind(W::REVIEW.code())
        .bind(prelist_id(record))
        .bind_derived(record)
        .bind(&shown.origin)
        .bind(crate::supervision::derived::VERSION)
}

pub(crate) async fn write_current<W: Write>(
    tx: &mut Transaction<'static, Any>,
    record: &HouseholdRecord,
    shown: &Shown,
    sha256: &str,
    conflict: bool,
    now: i64,
    _: W,
) -> Result<(), IngestError> {
    bind_current::<W>(sqlx::query(W::SQL), record, shown, sha256, conflict, now)
        .execute(&mut **tx)
        .await?;
    let keys = match_keys(record);
    duplicates::index_in(tx, &record.id.to_string(), &keys, now, W::FIRST).await?;
    Ok(())
}

/// The prelist family a record visited, as `records.prelist_id` keeps it: empty for a family
/// found in the field.
pub(crate) fn prelist_id(record: &HouseholdRecord) -> &str {
    record
        .prelist
        .as_ref()
        .map_or("", |link| link.family.prelist_id.as_str())
}

/// A batch's receipt as the hub stored it: the file's exact text, handed out again as it
/// was, and what it says.
#[derive(Clone, Debug)]
pub struct StoredReceipt {
    pub text: String,
    pub receipt: Receipt,
}

/// The receipt stored for a batch, to give to its enumerator again; `None` when the hub
/// never received that batch.
pub async fn stored_receipt(db: &Db, batch_id: &str) -> Result<Option<StoredReceipt>, IngestError> {
    // A sealed batch's receipt is the one its sender got when it arrived (the opened batch's
    // row in `batches` holds what opening found).
    let text: Option<String> = sqlx::query_scalar(
        "SELECT receipt FROM (SELECT receipt, 0 AS first FROM sealed_batches WHERE batch_id = $1 \
         UNION ALL SELECT receipt, 1 AS first FROM batches WHERE batch_id = $1) r ORDER BY first LIMIT 1",
    )
    .bind(batch_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(text) = text else {
        return Ok(None);
    };
    let receipt = parse_receipt(text.as_bytes()).map_err(|e| IngestError::StoredReceipt(e.to_string()))?;
    Ok(Some(StoredReceipt { text, receipt }))
}

/// A district decision on a conflict: the chosen version becomes current and the flag is
/// cleared; every version stays in the history. `Ok(false)` when there is no such version.
pub async fn choose_current(
    db: &Db,
    id: &str,
    revision: i64,
    sha256: &str,
    by: &Actor,
) -> Result<bool, IngestError> {
    db.write(|| choose_in_one_transaction(db, id, revision, sha256, by))
        .await
}

async fn choose_in_one_transaction(
    db: &Db,
    id: &str,
    revision: i64,
    sha256: &str,
    by: &Actor,
) -> Result<bool, IngestError> {
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "SELECT v.body, b.enumerator_id, b.enumerator, COALESCE(v.origin, v.device_id) FROM record_versions v \
         JOIN batches b ON b.batch_id = v.batch_id \
         WHERE v.record_id = $1 AND v.revision = $2 AND v.sha256 = $3",
    )
    .bind(id)
    .bind(revision)
    .bind(sha256)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let body: String = row.try_get(0)?;
    let record: HouseholdRecord =
        serde_json::from_str(&body).map_err(|e| IngestError::StoredReceipt(e.to_string()))?;
    let enumerator_id: Option<String> = row.try_get(1)?;
    let origin: String = row.try_get(3)?;
    // A synced version names its enrolled enumerator; a file's, its own text.
    let shown = match enumerator_id {
        Some(enumerator_id) => Shown {
            enumerator_id: Some(enumerator_id),
            enumerator: row.try_get(2)?,
            origin,
        },
        None => Shown::of(&Source::File, &record, &origin),
    };
    write_current(&mut tx, &record, &shown, sha256, false, now_ms(), Update).await?;
    let event = Event {
        action: Action::ConflictResolved,
        detail: serde_json::json!({ "revisi": revision, "sha256": sha256 }),
        households: &[id.to_owned()],
    };
    audit::record_in(&mut tx, by, &event).await?;
    tx.commit().await?;
    Ok(true)
}
