//! The sync protocol between a phone (or a batch file) and the district hub (issue #6).
//!
//! A batch travels in the export format (`crate::export`); the hub answers with a
//! [`Receipt`]. The phone counts a record as received only when a receipt it could parse names
//! that record's id, revision and checksum: a bare `200 OK` proves nothing (a captive portal
//! answers 200 too).
//!
//! - [`receipt`]: what the hub stored, per record;
//! - [`api`]: the request and answer bodies of the hub's API;
//! - [`retry`]: when to try again after a failure (exponential backoff with jitter);
//! - [`split`]: large exports cut into uploads the hub accepts;
//! - [`outbox`]: what a phone still has to send.

pub mod api;
pub mod outbox;
pub mod receipt;
pub mod retry;
pub mod split;

pub use receipt::{parse_receipt, Outcome, Receipt, ReceiptError, ReceivedRecord};
