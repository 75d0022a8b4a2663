//! Making a batch on the phone: read the chosen records and their photos, feed the core's
//! builder, reporting progress every few records, then save the batch and the ledger in one
//! transaction. Runs in the export worker.

use crate::blob::blob_bytes;
use crate::deliver::zip_blob;
use crate::device::{fill_random, new_record_id, now, utc_offset_minutes};
use crate::storage::{BatchInfo, IdbStore, StoreError};
use std::collections::HashMap;
use verval_core::export::canonical::canonical_json;
use verval_core::export::parts::{household_bytes, Parts};
use verval_core::export::{
    seal_batch, sealed, BatchBuilder, BatchMeta, BuildError, BuiltBatch, Profile, RegionNames, SealTo,
};
use verval_core::form::default::DEFAULT_FORM;
use verval_core::offline::{province_of, PROVINCE_LIST};
use verval_core::record::RecordStatus;
use verval_core::seal::SealError;
use verval_core::store::HouseholdStore;
use verval_core::text::Message;
use verval_core::RecordId;
use wasm_bindgen::JsCast;

/// How often progress is reported.
const REPORT_EVERY_MS: f64 = 100.0;

/// An export made and saved on the phone.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    /// The batches made, in order: one, or the parts of an export cut for its photos.
    pub parts: Vec<BatchInfo>,
    /// Records that were no longer final when their turn came (a correction started in
    /// another tab): left out, still on the pending list once finalized again.
    pub skipped: usize,
    /// The worker's memory when the export was made, in bytes: its peak, as a wasm memory
    /// never gives back what it grew to.
    pub peak_memory: u64,
}

/// Where the making is, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Reading { done: usize, total: usize },
    Writing,
    Saving,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MakeError {
    Store(StoreError),
    Build(String),
    NoRandomness(String),
    /// Sealing to the district's keys failed: no file was made.
    Seal(SealError),
    NothingToExport,
    /// A part failed after earlier parts of the export were saved: those are batches like
    /// any other, in the batch list, and must be handed over too.
    PartlySaved {
        saved: usize,
        cause: Box<MakeError>,
    },
}

impl MakeError {
    pub fn message(&self) -> Message {
        match self {
            MakeError::Store(e) => e.message(),
            MakeError::Build(detail) => Message::new(
                format!("Batch tidak bisa dibuat: {detail}. Tidak ada data yang berubah."),
                format!("The batch could not be made: {detail}. Nothing was changed."),
            ),
            MakeError::NoRandomness(detail) => Message::new(
                format!("Browser tidak bisa membuat ID batch: {detail}"),
                format!("The browser cannot make a batch id: {detail}"),
            ),
            MakeError::Seal(e) => Message::new(
                format!("Batch tidak bisa disegel untuk kunci dinas: {e}. Tidak ada berkas yang dibuat dan tidak ada data yang berubah. Hubungi dinas."),
                format!("The batch could not be sealed to the district's keys: {e}. No file was made and nothing changed. Call the district."),
            ),
            MakeError::PartlySaved { saved, cause } => {
                let cause = cause.message();
                Message::new(
                    format!("{saved} bagian pertama ekspor ini sudah tersimpan dan ada di daftar batch: serahkan juga. Bagian berikutnya gagal, keluarganya tetap menunggu batch: {}", cause.id),
                    format!("The first {saved} parts of this export are saved and in the batch list: hand them over too. The next part failed, and its households still wait for a batch: {}", cause.en),
                )
            }
            MakeError::NothingToExport => Message::new(
                "Tidak ada keluarga final yang dipilih dan tidak ada keputusan musyawarah desa yang belum diterima hub.".to_owned(),
                "No finalized household is chosen, and no village meeting decision awaits the hub.".to_owned(),
            ),
        }
    }
}

impl From<StoreError> for MakeError {
    fn from(e: StoreError) -> Self {
        MakeError::Store(e)
    }
}

impl From<BuildError> for MakeError {
    fn from(e: BuildError) -> Self {
        MakeError::Build(e.to_string())
    }
}

/// Gives the spreadsheet the names of the batch's regions, from the tables the service worker
/// keeps (the work area's, fetched ahead of need). A table the phone lacks leaves its names
/// empty in the spreadsheet; the batch is made all the same.
async fn name_regions(builder: &mut BatchBuilder<'_>) {
    let names = region_names(&builder.region_codes()).await;
    builder.name_regions(names);
}

/// The names of these regions, from the tables the service worker keeps.
pub(super) async fn region_names(codes: &std::collections::BTreeSet<String>) -> RegionNames {
    let mut tables = vec![PROVINCE_LIST.to_owned()];
    for code in codes {
        if let Some(province) = province_of(code).map(str::to_owned) {
            if !tables.contains(&province) {
                tables.push(province);
            }
        }
    }
    let mut names = RegionNames::default();
    for table in tables {
        names.add(crate::regions::table_entries(&table).await, codes);
    }
    names
}

/// Makes a batch of these households (their current finalized revisions) and saves it:
/// a file for the user to hand over, or (`for_sync`) one for the hub. A file carries the
/// village meetings the hub has not taken yet (a phone with no hub hands them over so), and
/// may carry them alone; a sync round sends them on their own path.
///
/// Households with photos that would make a batch over `part_bytes` are cut into parts,
/// each a complete batch saved before the next is begun (one part in memory at a time);
/// a household is never cut, and one bigger than a part goes alone. Parts already saved
/// stay saved when a later one fails: they are batches like any other.
pub async fn make_batch(
    store: &IdbStore,
    ids: &[RecordId],
    profile: Profile,
    for_sync: bool,
    part_bytes: u64,
    // `dyn`: one copy of this (large) function serves the export and the sync alike.
    progress: &dyn Fn(Step),
) -> Result<Made, MakeError> {
    let meetings = match for_sync {
        true => None,
        false => store.meetings_to_send().await?,
    };
    if ids.is_empty() && meetings.is_none() {
        return Err(MakeError::NothingToExport);
    }
    let fresh = |e: crate::device::NoRandomness| MakeError::NoRandomness(e.to_string());
    let device_id = store.device_id(new_record_id().map_err(fresh)?).await?;
    let how = Making {
        store,
        device_id,
        profile,
        for_sync,
    };
    let mut part = how.begin().await?;
    if let Some(json) = &meetings {
        part.builder.add_meetings(json.clone());
    }
    let mut cut = Parts::new(part_bytes);
    if let Some(json) = &meetings {
        cut.carry(json.len() as u64);
    }
    let mut made: Vec<BatchInfo> = Vec::new();
    let mut skipped = 0;
    let mut reported = js_sys::Date::now();
    progress(Step::Reading {
        done: 0,
        total: ids.len(),
    });
    let parts = async {
        for (done, id) in ids.iter().enumerate() {
            if js_sys::Date::now() - reported > REPORT_EVERY_MS {
                progress(Step::Reading {
                    done,
                    total: ids.len(),
                });
                reported = js_sys::Date::now();
            }
            let Some(record) = store.get(id).await? else {
                skipped += 1;
                continue;
            };
            if record.status != RecordStatus::Final {
                skipped += 1;
                continue;
            }
            let photos = photos_of(store, &record).await?;
            let sizes: Vec<u64> = photos.values().map(|p| p.len() as u64).collect();
            if cut.opens_new_part(household_bytes(canonical_json(&record).len(), &sizes)) {
                let number = made.len() as u32 + 1;
                made.push(how.finish(part, number, progress).await?);
                if let (1, Some(json)) = (number, &meetings) {
                    store.meetings_batched(&made[0].batch_id, json).await?;
                }
                part = how.begin().await?;
            }
            part.form_records += u32::from(!record.is_household_form());
            part.included.push((record.id.clone(), record.revision));
            part.builder.add(record, &mut |key| photos.get(key).cloned())?;
        }
        if part.builder.is_empty() && made.is_empty() {
            return Err(MakeError::NothingToExport);
        }
        if !part.builder.is_empty() {
            let number = match made.is_empty() {
                true => 0,
                false => made.len() as u32 + 1,
            };
            made.push(how.finish(part, number, progress).await?);
            if let (0, Some(json)) = (number, &meetings) {
                // Noted after the batch is saved: a tab killed between the two offers the
                // meetings in another batch, which the hub takes as the same.
                store.meetings_batched(&made[0].batch_id, json).await?;
            }
        }
        Ok::<(), MakeError>(())
    };
    match parts.await {
        Ok(()) => {}
        Err(cause) if !made.is_empty() => {
            return Err(MakeError::PartlySaved {
                saved: made.len(),
                cause: Box::new(cause),
            })
        }
        Err(e) => return Err(e),
    }
    Ok(Made {
        parts: made,
        skipped,
        peak_memory: memory_bytes(),
    })
}

/// What every part of one export shares.
struct Making<'s> {
    store: &'s IdbStore,
    device_id: String,
    profile: Profile,
    for_sync: bool,
}

/// The batch being filled.
struct Part {
    builder: BatchBuilder<'static>,
    sequence: u32,
    created_at: verval_core::Timestamp,
    included: Vec<(RecordId, u32)>,
    form_records: u32,
}

impl Making<'_> {
    /// A new batch: its own id and sequence number.
    async fn begin(&self) -> Result<Part, MakeError> {
        let fresh = |e: crate::device::NoRandomness| MakeError::NoRandomness(e.to_string());
        let batch_id = new_record_id().map_err(fresh)?;
        let sequence = self.store.reserve_batch_sequence().await?;
        let created_at = now();
        let meta = BatchMeta {
            batch_id,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            // Named after the records' enumerator by the builder.
            enumerator: String::new(),
            device_id: self.device_id.clone(),
            sequence,
            created_at,
            utc_offset_minutes: utc_offset_minutes(),
            profile: self.profile,
        };
        Ok(Part {
            builder: BatchBuilder::new(&DEFAULT_FORM, meta),
            sequence,
            created_at,
            included: Vec::new(),
            form_records: 0,
        })
    }

    /// Writes the batch, seals it when the phone seals, and saves it with its ledger.
    async fn finish(
        &self,
        mut part: Part,
        number: u32,
        progress: &dyn Fn(Step),
    ) -> Result<BatchInfo, MakeError> {
        name_regions(&mut part.builder).await;
        progress(Step::Writing);
        let meetings = part.builder.has_meetings();
        let built = part.builder.finish()?;
        progress(Step::Saving);
        let batch_id = built.manifest.batch_id.clone();
        let record_count = built.manifest.record_count;
        let leaving = as_it_leaves(self.store, built).await?;
        let blob = zip_blob(&leaving.bytes).map_err(|e| MakeError::Build(e.to_string()))?;
        let info = BatchInfo {
            batch_id,
            file_name: leaving.file_name,
            created_at: part.created_at,
            record_count,
            bytes: leaving.bytes.len() as u64,
            profile: self.profile.id().to_owned(),
            for_sync: self.for_sync,
            sealed: leaving.sealed,
            meetings,
            form_records: part.form_records,
            part: number,
            ..BatchInfo::default()
        };
        self.store
            .save_batch(&info, &blob, part.sequence, &part.included)
            .await?;
        Ok(info)
    }
}

/// The worker's wasm memory, in bytes.
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}

/// A batch as it leaves the phone.
struct Leaving {
    file_name: String,
    bytes: Vec<u8>,
    sealed: bool,
}

/// Sealed to the district's keys once the phone has them (issue #22), for a file and a sync
/// upload alike. Fails closed: a key that does not check, no randomness, any error in
/// sealing stops the export with its reason; a plain file is never made instead.
async fn as_it_leaves(store: &IdbStore, built: BuiltBatch) -> Result<Leaving, MakeError> {
    let Some(recipients) = store.key_pin().await?.seal_to().map_err(MakeError::Seal)? else {
        return Ok(Leaving {
            file_name: built.file_name,
            bytes: built.bytes,
            sealed: false,
        });
    };
    let enumerator_id = store
        .hub_link()
        .await?
        .map(|link| link.enumerator_id)
        .unwrap_or_default();
    let mut entropy = vec![0u8; sealed::entropy_len(recipients.len())];
    fill_random(&mut entropy).map_err(|e| MakeError::NoRandomness(e.to_string()))?;
    let to = SealTo {
        recipients: &recipients,
        enumerator_id: &enumerator_id,
    };
    let sealed = seal_batch(&built, &to, &entropy).map_err(MakeError::Seal)?;
    Ok(Leaving {
        file_name: sealed.file_name,
        bytes: sealed.bytes,
        sealed: true,
    })
}

/// The stored photos and drawings a record names, by key.
async fn photos_of(
    store: &IdbStore,
    record: &verval_core::HouseholdRecord,
) -> Result<HashMap<String, Vec<u8>>, MakeError> {
    let mut found = HashMap::new();
    for key in verval_core::dataform::record_photo_keys(record) {
        if let Some(blob) = store.photo(key).await? {
            let bytes = blob_bytes(&blob)
                .await
                .map_err(|e| MakeError::Build(format!("photo {key}: {e:?}")))?;
            found.insert(key.to_owned(), bytes);
        }
    }
    Ok(found)
}
