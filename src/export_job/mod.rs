//! Making a batch, off the page: the export page hands the job to a Web Worker
//! (`ekspor_worker`), which reads the records from IndexedDB, runs the core's builder and
//! saves the batch, reporting progress. Writing a spreadsheet of 10,000 households takes
//! seconds of CPU; in a worker those seconds never freeze the page.
//!
//! - [`protocol`]: the messages between page and worker;
//! - [`make`]: the batch;
//! - [`backup`]: the phone's backup, made or restored (issue #23);
//! - [`form_tables`]: a district form's records as files, for its page (issue #25);
//! - [`worker`]: the worker's entry and its message loop.

pub mod backup;
pub mod form_tables;
pub mod make;
pub mod protocol;
pub mod worker;
