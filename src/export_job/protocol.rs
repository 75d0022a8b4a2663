//! The messages between the export page and its worker, as JavaScript objects
//! (structured clone), written and read with serde.

use crate::storage::BatchInfo;
use serde::{Deserialize, Serialize};

/// The worker's script, as Trunk names a worker: by its binary, without a hash.
pub const WORKER_SCRIPT: &str = "./ekspor_worker_loader.js";
/// What the worker is called in messages.
pub const WORKER_NAME: (&str, &str) = ("Pembuat batch", "The batch maker");

/// Page → worker: make a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub selection: Selection,
    /// An export profile id (`lengkap`, `p3ke`, `regsosek`).
    pub profile: String,
    /// The page's sealed copy of the data key on a phone with a PIN (issue #23,
    /// `storage::session::session_copy`): the worker opens the families with it.
    #[serde(default)]
    pub session: Option<String>,
}

/// Which households the batch holds. The worker reads the ids itself: listing 10,000 ids
/// on the page would cost the page the frames the worker exists to save.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    /// Finalized and not yet in a batch.
    Pending,
    /// Every finalized household (a re-export).
    AllFinal,
    /// The ones the user ticked.
    Chosen { ids: Vec<String> },
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

impl crate::job_worker::JobReply for Reply {
    fn is_ready(&self) -> bool {
        matches!(self, Reply::Ready)
    }

    fn failed(id: String, en: String) -> Self {
        Reply::Failed { id, en }
    }
}
