//! What leaves the phone: the record tables of the batch format (issue #5), as data any
//! writer (CSV here; XLSX and the zip later) turns into files.
//!
//! Started with the `lengkap` profile's three tables (families, members, aid received) and
//! the CSV writer; manifest, checksums, zip, the other profiles and the reader/verifier are
//! still to come.

pub mod csv;
pub mod tables;

pub use tables::{tables, Table};
