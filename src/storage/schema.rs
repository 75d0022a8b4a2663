//! The IndexedDB schema: database name, versions, object stores, indexes, and the stepwise
//! upgrade from any older version to the current one.
//!
//! Each version's step only ever adds to the one before; a database at version N is upgraded
//! by running the steps N+1, N+2, … in order, inside the single `versionchange` transaction the
//! browser gives us, so an interrupted upgrade leaves the database at N, untouched.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

/// The database the app uses. Tests pass their own random names.
pub const DB_NAME: &str = "verval";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Version {
    /// Households keyed by id, with an index for "most recently changed first".
    V1 = 1,
    /// Adds the finalized revisions kept when a household is corrected, photos, and the
    /// search entries that find a household by name, NIK, KK or status.
    V2 = 2,
    /// Adds the export ledger: batches made on this device, which record revision went out
    /// in which batch, a small key-value store, and the index of finalized households not
    /// yet exported.
    V3 = 3,
    /// Adds sync with the district hub: receipts, the record revisions they acknowledged,
    /// and the revisions the hub refused for good (quarantine).
    V4 = 4,
    /// Adds verification campaigns: the assigned prelist families and one visit entry per
    /// household (which listed family it visits, its outcome).
    V5 = 5,
    /// Adds the district's review: the latest decision per household (issue #20).
    V6 = 6,
    /// Adds the entries of the district's own forms' records (issue #25), which live in the
    /// households' store: what tells them apart from households in counts without opening.
    V7 = 7,
}

/// The version this build of the app writes.
pub const CURRENT: Version = Version::V7;

impl Version {
    pub const ALL: [Version; 7] = [
        Version::V1,
        Version::V2,
        Version::V3,
        Version::V4,
        Version::V5,
        Version::V6,
        Version::V7,
    ];

    pub fn number(self) -> u32 {
        self as u32
    }

    /// The steps that take a database at `old` (0 = new) to `target`, in order.
    pub fn steps(old: u32, target: Version) -> impl Iterator<Item = Version> {
        Version::ALL
            .into_iter()
            .filter(move |v| v.number() > old && *v <= target)
    }
}

pub mod v1 {
    /// Full household records, keyed by `id`.
    pub const HOUSEHOLDS: &str = "households";
    /// On `[updated_at, id]`: walking it backwards lists the newest first, ties by id.
    pub const BY_UPDATED: &str = "by_updated";
}

pub mod v2 {
    /// Finalized revisions kept before a correction, keyed by `[id, revision]`: never
    /// replaced, so what was handed in stays as it was.
    pub const REVISIONS: &str = "revisions";
    /// Photos (JPEG blobs) by key; the record's answer holds the key. Kept apart from the
    /// records so listing and saving a household never copies megabytes of images.
    pub const PHOTOS: &str = "photos";
    /// One entry per household, keyed by its id, written in the same transaction as the
    /// household: `{ id, status, updated_at, words, numbers }` (`verval_core::search`).
    pub const SEARCH: &str = "search";
    /// Multi-entry on `words`: every word of the head's and members' names.
    pub const BY_WORD: &str = "by_word";
    /// Multi-entry on `numbers`: the KK and every member's NIK.
    pub const BY_NUMBER: &str = "by_number";
    /// On `[status, updated_at, id]`: one status, newest first when walked backwards.
    pub const BY_STATUS: &str = "by_status";
}

pub mod v3 {
    /// Batches made on this device, keyed by `batch_id`: their manifest facts and the zip
    /// itself (a Blob) until the user deletes it after a receipt.
    pub const BATCHES: &str = "batches";
    /// On `created_at`: the batch list, newest first.
    pub const BY_CREATED: &str = "by_created";
    /// The ledger, keyed by `[id, revision, batch_id]`: one entry each time a record
    /// revision went out in a batch. Never deleted.
    pub const EXPORTS: &str = "exports";
    /// Small values by name, out-of-line keys: see `storage::exports::meta`.
    pub const META: &str = "meta";
    /// Finalized households whose revision has not gone out in a batch, keyed by id:
    /// `{ id, revision }`, written in the same transaction as the household. What the next
    /// batch holds by default, and what the "not exported yet" nudge counts.
    pub const PENDING: &str = "pending";
}

pub mod v4 {
    /// Receipts from the hub (by sync or imported as a file), keyed by `batch_id`: kept as
    /// they came, the proof that the district holds those records.
    pub const RECEIPTS: &str = "receipts";
    /// Keyed by `[id, revision]`: this revision is held by the district (a receipt named
    /// it). What "Terkirim" and "Diterima kabupaten" are read from.
    pub const ACKS: &str = "acks";
    /// Keyed by `[id, revision]`: revisions the hub refused for good, with its reason; set
    /// aside so they do not block the others, shown until corrected.
    pub const QUARANTINE: &str = "quarantine";
}

pub mod v5 {
    /// The assigned prelist families, keyed by `prelist_id`: `{ prelist_id, kode_desa,
    /// source, listed, family }` (`verval_core::campaign::merge::AssignedFamily`; entries
    /// written before issue #16 have no `source`). `listed` is false for a family a newer
    /// list of its source left out: withdrawn, kept until the enumerator removes it.
    pub const ASSIGNED: &str = "assigned";
    /// One entry per household, keyed by `record_id`, written in the same transaction as the
    /// household (`verval_core::campaign::progress::Visit`): what the campaign page counts,
    /// without reading records.
    pub const VISITS: &str = "visits";
}

pub mod v6 {
    /// The district's latest decision per household, keyed by `record_id`
    /// (`verval_core::review::feed::ReviewMessage`). The cursor to ask from next is in
    /// `v3::META`; both change in one transaction (`storage::reviews`).
    pub const REVIEWS: &str = "reviews";
}

pub mod v7 {
    /// One entry per record of a district's form (a form as data), keyed by `id`, written in
    /// the same transaction as the record: `{ id, status, updated_at, form_id }`, plain (no
    /// answers). Households have none: a count of households is the households' store's
    /// (or status index's) count less this store's (`storage::form_entries`).
    pub const FORM_RECORDS: &str = "form_records";
    /// On `[status, updated_at, id]`, like the search store's `by_status`.
    pub const BY_STATUS: &str = "by_status";
}

/// Runs every upgrade step above `old` up to `target`. Called only from `upgradeneeded`.
pub fn upgrade(db: &Database, old: u32, target: Version) -> indexed_db_futures::Result<()> {
    for step in Version::steps(old, target) {
        match step {
            Version::V1 => {
                let store = db
                    .create_object_store(v1::HOUSEHOLDS)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                store
                    .create_index(v1::BY_UPDATED, KeyPath::from(["updated_at", "id"]))
                    .build()?;
            }
            Version::V2 => {
                db.create_object_store(v2::REVISIONS)
                    .with_key_path(KeyPath::from(["id", "revision"]))
                    .build()?;
                db.create_object_store(v2::PHOTOS).build()?;
                let search = db
                    .create_object_store(v2::SEARCH)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                search
                    .create_index(v2::BY_WORD, KeyPath::One("words"))
                    .with_multi_entry(true)
                    .build()?;
                search
                    .create_index(v2::BY_NUMBER, KeyPath::One("numbers"))
                    .with_multi_entry(true)
                    .build()?;
                search
                    .create_index(v2::BY_STATUS, KeyPath::from(["status", "updated_at", "id"]))
                    .build()?;
                // Households a version 1 app stored get their entries when the store opens
                // (`IdbStore::open`): an upgrade step cannot read records here.
            }
            Version::V3 => {
                let batches = db
                    .create_object_store(v3::BATCHES)
                    .with_key_path(KeyPath::One("batch_id"))
                    .build()?;
                batches
                    .create_index(v3::BY_CREATED, KeyPath::One("created_at"))
                    .build()?;
                db.create_object_store(v3::EXPORTS)
                    .with_key_path(KeyPath::from(["id", "revision", "batch_id"]))
                    .build()?;
                db.create_object_store(v3::META).build()?;
                db.create_object_store(v3::PENDING)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                // Finalized households of a version 2 database have never been exported:
                // they are marked pending when the store opens (`mark_pending_once`), as an
                // upgrade step cannot read records here.
            }
            Version::V4 => {
                db.create_object_store(v4::RECEIPTS)
                    .with_key_path(KeyPath::One("batch_id"))
                    .build()?;
                db.create_object_store(v4::ACKS)
                    .with_key_path(KeyPath::from(["id", "revision"]))
                    .build()?;
                db.create_object_store(v4::QUARANTINE)
                    .with_key_path(KeyPath::from(["id", "revision"]))
                    .build()?;
            }
            Version::V5 => {
                db.create_object_store(v5::ASSIGNED)
                    .with_key_path(KeyPath::One("prelist_id"))
                    .build()?;
                db.create_object_store(v5::VISITS)
                    .with_key_path(KeyPath::One("record_id"))
                    .build()?;
                // Households stored before get their visit entries when the campaign page
                // opens (`complete_visits`): an upgrade step cannot read records here.
            }
            Version::V6 => {
                db.create_object_store(v6::REVIEWS)
                    .with_key_path(KeyPath::One("record_id"))
                    .build()?;
            }
            Version::V7 => {
                let forms = db
                    .create_object_store(v7::FORM_RECORDS)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                forms
                    .create_index(v7::BY_STATUS, KeyPath::from(["status", "updated_at", "id"]))
                    .build()?;
                // Records of district forms stored before get their entries when the list
                // page opens (`complete_search_entries`): an upgrade step cannot read (or
                // open sealed) records here.
            }
        }
    }
    Ok(())
}
