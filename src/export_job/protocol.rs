//! The messages between the export page and its worker, as JavaScript objects
//! (structured clone), written and read with serde.

use crate::storage::BatchInfo;
use serde::{Deserialize, Serialize};

/// The worker's script, as Trunk names a worker: by its binary, without a hash.
pub const WORKER_SCRIPT: &str = "./ekspor_worker_loader.js";

/// Page → worker: make a batch of these households.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub ids: Vec<String>,
    /// An export profile id (`lengkap`, `p3ke`, `regsosek`).
    pub profile: String,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// The worker is listening: a message posted before this could be lost while its
    /// module still loads.
    Ready,
    Reading {
        done: usize,
        total: usize,
    },
    Writing,
    Saving,
    Done {
        info: BatchInfo,
        skipped: usize,
    },
    /// What went wrong, in Indonesian and English.
    Failed {
        id: String,
        en: String,
    },
}
