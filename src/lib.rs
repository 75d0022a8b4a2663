//! Verval, the app: Leptos pages (`route::Page` lists them, each its own wasm module) that
//! keep household records in IndexedDB.
//!
//! The domain (records, fields, validation) lives in `verval-core`; this crate is the browser
//! shell around it. `storage` is the only module that touches IndexedDB or localStorage;
//! `pages` load and save through it; `components` only render what they are given.

pub mod app;
pub mod autosave;
pub mod blob;
pub mod components;
pub mod context;
pub mod deliver;
pub mod device;
pub mod draft_lock;
pub mod export_job;
pub mod file_input;
pub mod job_worker;
pub mod load;
pub mod lock;
pub mod offline;
pub mod pages;
pub mod prelist_job;
pub mod prerender;
pub mod regions;
pub mod route;
pub mod storage;
pub mod sync;
pub mod update;
pub mod webcrypto;

pub use app::{start_campaign, start_data_forms, start_export, start_form, start_list, start_lock};
