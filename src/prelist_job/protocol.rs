//! The messages between the campaign page and its list reader, as JavaScript objects
//! (structured clone), written and read with serde. The file travels as a `Uint8Array`.

use serde::{Deserialize, Serialize};
use verval_core::sync::api::Assignment;

/// The worker's script, as Trunk names a worker: by its binary, without a hash.
pub const WORKER_SCRIPT: &str = "./kampanye_worker_loader.js";
/// What the worker is called in messages.
pub const WORKER_NAME: (&str, &str) = ("Pembaca daftar", "The list reader");
/// How many rows the mapping screen offers as the row of column names.
pub const HEADER_ROWS_OFFERED: usize = 20;

/// Page → worker: read this file, with the preset's columns or with these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub name: String,
    pub bytes: serde_bytes::ByteBuf,
    /// `None`: find the columns (P3KE preset) and say what the sheet offers.
    pub mapping: Option<Chosen>,
}

/// The mapping screen's choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chosen {
    /// As the spreadsheet numbers rows (1 is the first).
    pub header_row: usize,
    /// Target id (`nik`) → column index.
    pub columns: Vec<(String, usize)>,
    /// The village of families the list gives no code for; may be empty.
    pub village: String,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// The worker is listening.
    Ready,
    /// The columns found (the preset's, or none) and, per candidate header row, the columns
    /// to choose from.
    Columns {
        chosen: Chosen,
        choices: Vec<Vec<(usize, String)>>,
    },
    /// The list read with the mapping: the assignment to save.
    Read {
        assignment: Assignment,
    },
    /// The list cannot be used as mapped: every bad cell or choice, named.
    Problems {
        problems: Vec<String>,
    },
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
