//! Verval's pure core: the household record model, field definitions, validation and the
//! storage port with its conformance suite.
//!
//! This crate is plain Rust. It must not depend on any web, wasm or UI crate (leptos, web-sys,
//! wasm-bindgen, gloo, indexed_db_futures): everything here runs and is tested with
//! `cargo test -p verval-core`. Input/output (IndexedDB, clocks, randomness, the DOM) lives in
//! the app and is handed in as values: a random seed, a timestamp, a date.

pub mod aid;
pub mod campaign;
pub mod choices;
pub mod dataform;
pub mod date;
pub mod decimal;
pub mod export;
pub mod expr;
pub mod fields;
pub mod form;
pub mod ids;
pub mod kk;
pub mod nik;
pub mod offline;
pub mod prelist;
pub mod quota;
pub mod record;
pub mod region;
pub mod review;
pub mod seal;
pub mod search;
pub mod store;
pub mod supervision;
pub mod sync;
pub mod template;
pub mod text;
pub mod validate;
pub mod vault;
pub mod xlsform;

pub use ids::{FieldId, RecordId};
pub use record::{HouseholdRecord, HouseholdSummary, RecordStatus, Timestamp};
pub use text::{Lang, Text};
pub use validate::{Issue, Severity};
