//! What leaves the phone: the batch format of issue #5 (docs/batch-format.md).
//!
//! - [`tables`]: the `lengkap` tables (families, members, meters, aid) from records;
//! - [`profile`]: the other column sets (`p3ke`, `regsosek`), as data over those tables;
//! - [`rekap`]: counts per village for the Berita Acara Musdes;
//! - [`sheets`]: every table of an export, in order;
//! - [`column`]: what a column holds, for the files meant for people;
//! - [`region_names`]: the names beside region codes in them;
//! - [`csv`], [`xlsx`]: the writers;
//! - [`canonical`], [`manifest`]: what the checksums cover;
//! - [`batch`]: the builder of the zip; [`read`]: the reader and verifier;
//! - [`sealed`]: a batch sealed to the district's keys (format version 2);
//! - [`parts`]: where a batch with photos is cut into parts of the district's size;
//! - [`nudge`]: when the list reminds the enumerator to export.

pub mod batch;
pub mod canonical;
pub mod column;
pub mod csv;
pub mod manifest;
pub mod nudge;
pub mod p3ke;
pub mod parts;
pub mod people;
pub mod profile;
pub mod read;
pub mod region_names;
pub mod rekap;
pub mod sealed;
pub mod sheets;
#[cfg(not(target_arch = "wasm32"))]
mod sorted_json;
pub mod tables;
pub mod xlsx;

pub use batch::{BatchBuilder, BatchMeta, BuildError, BuiltBatch};
pub use column::ColumnKind;
pub use profile::Profile;
pub use read::{read_batch, read_incoming, Batch, BatchError, Incoming, Limits};
pub use region_names::RegionNames;
pub use sealed::{seal_batch, OpenError, SealTo, Sealed, SealedBatch, SealedManifest};
pub use sheets::export_tables;
pub use tables::{tables, Table};

#[cfg(test)]
mod batch_tests;
