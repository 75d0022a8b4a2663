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
    /// Adds the finalized revisions kept when a household is corrected, and photos.
    V2 = 2,
}

/// The version this build of the app writes.
pub const CURRENT: Version = Version::V2;

impl Version {
    pub const ALL: [Version; 2] = [Version::V1, Version::V2];

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
            }
        }
    }
    Ok(())
}
