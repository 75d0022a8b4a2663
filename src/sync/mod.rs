//! Sync with the district hub (issue #6), the phone's side.
//!
//! Finalized households wait in the outbox until a receipt from the hub names them. A
//! dedicated worker (`ekspor_worker` started under the name [`WORKER_NAME`]) does the work
//! off the page: it makes sync batches with the export's batch maker, uploads them, stores
//! the receipts, sets refused records aside, and tries again after failures with backoff
//! and jitter, at once when the browser comes back online, or when the page asks.
//!
//! - [`client`]: the hub's API over `fetch` (enrol, upload);
//! - [`run`]: one sync round;
//! - [`lease`]: one round at a time across tabs;
//! - [`worker`]: the worker's loop;
//! - [`start`]: a page starts the worker and can ask it to sync now;
//! - [`receipt_file`]: a receipt file from a file handover, imported;
//! - [`review_feed`]: the district's decisions, from a sync answer or a review file.

pub mod client;
pub mod lease;
pub mod receipt_file;
pub mod review_feed;
pub mod run;
pub mod start;
pub mod worker;

use serde::{Deserialize, Serialize};

/// The name the sync worker is started under: the worker binary reads it to know its job.
pub const WORKER_NAME: &str = "verval-sync";

/// Page → sync worker. Enrolment, receipt and review files are handled in the worker too: it
/// already carries the JSON reader and the checksum they need, which the page then does
/// not download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToSync {
    /// "Kirim sekarang": end the wait.
    Now,
    /// Exchange a one-time code with the hub at `url`, then sync.
    Enrol { url: String, code: String },
    /// A receipt file's text, from a file handover.
    ImportReceipt { text: String },
    /// A review file's text, from the district (issue #20).
    ImportReviews { text: String },
    /// The address fragment of a key link the page was opened with (a hub's key QR, issue
    /// #22): its keys are checked and offered as an assignment's are.
    TakeKeys { fragment: String },
}

/// Sync worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromSync {
    /// The worker listens: requests sent before now could have been lost, so the page holds
    /// them until this (`start::SyncWorker`).
    Ready,
    /// A round ended; its outcome is in storage.
    Synced,
    Enrolled,
    /// A receipt file marked this many household revisions.
    Imported {
        count: usize,
    },
    /// A review file gave this many decisions new to the phone; `known` it already had.
    ReviewsImported {
        new: usize,
        known: usize,
    },
    /// A key link's keys were taken: what that did.
    KeysTaken {
        id: String,
        en: String,
    },
    Failed {
        id: String,
        en: String,
    },
}
