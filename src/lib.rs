//! Verval, the app: a Leptos single-page app that keeps household records in IndexedDB.
//!
//! The domain (records, fields, validation) lives in `verval-core`; this crate is the browser
//! shell around it: storage, pages, components and the platform glue.

pub mod storage;
