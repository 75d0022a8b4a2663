//! Reading a prelist file on the phone, off the page: the campaign page hands the file to
//! a Web Worker (`kampanye_worker`), which runs the core's XLSX/CSV readers and the prelist
//! reader. A 5,000-family spreadsheet takes seconds of CPU on a cheap phone; in a worker
//! they never freeze the page, and the readers (a third of a megabyte) load only when a
//! file is imported.
//!
//! - [`protocol`]: the messages between page and worker;
//! - [`worker`]: the worker's entry and the job.

pub mod protocol;
pub mod worker;
