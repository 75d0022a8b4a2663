//! The messages between the export page and its worker, as JavaScript objects
//! (structured clone), written and read with serde.

use crate::storage::{BackupInfo, BatchInfo};
use serde::{Deserialize, Serialize};
use verval_core::export::{Profile, Table};

/// The worker's script, as Trunk names a worker: by its binary, without a hash.
pub const WORKER_SCRIPT: &str = "./ekspor_worker_loader.js";
/// What the worker is called in messages.
pub const WORKER_NAME: (&str, &str) = ("Pembuat batch", "The batch maker");
// (It makes the phone's backup and restores one too: the same heavy reading and writing,
// kept off the page's thread.)

/// Page → worker: one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub job: Job,
    /// The page's sealed copy of the data key on a phone with a PIN (issue #23,
    /// `storage::session::session_copy`): the worker opens the families with it.
    #[serde(default)]
    pub session: Option<String>,
}

/// What the worker is asked to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// Make a batch of these households with the columns of this export profile (by its
    /// id; an unknown one makes the request unreadable, which the page shows).
    Batch { selection: Selection, profile: Profile },
    /// "Cadangkan perangkat": the whole phone sealed to the district's keys
    /// (`verval_core::vault::backup`), kept for the page to hand over.
    Backup,
    /// A one-time key for a restore, made (or the waiting one kept) in the meta store.
    PrepareRestore,
    /// "Pulihkan": the district's answer the page stored (`storage::phone_backup`), opened
    /// with the phone's one-time key and restored.
    Restore,
    /// The village meeting's by-name list as XLSX (`verval_core::aid::musdes::list_sheet`),
    /// for the campaign page: this worker carries the spreadsheet writer, that page does not.
    MusdesWorkbook { rows: Vec<Vec<String>> },
    /// A district form's finalized records as tables (made by the district forms page,
    /// which carries the form's engine): written as one CSV per table and a workbook in a
    /// zip (`verval_core::export::people`), for a phone with no hub. Refused on a phone
    /// that seals its data to the district's keys.
    FormTables { form_id: String, tables: Vec<Table> },
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
    /// The batch is made: one, or the parts of an export cut for its photos.
    Done {
        parts: Vec<BatchInfo>,
        skipped: usize,
        /// The worker's memory at its peak, in bytes (for the export benchmark).
        peak_memory: u64,
    },
    /// The backup is made and kept.
    BackedUp {
        info: BackupInfo,
    },
    /// The one-time key is ready: its public half, for the district.
    RestoreKey {
        recipient: String,
    },
    /// The backup is restored: households added, replacing older ones, and left out for
    /// the phone's own as new or newer.
    Restored {
        added: usize,
        replaced: usize,
        kept: usize,
    },
    /// The workbook asked for.
    Workbook {
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// What went wrong, in Indonesian and English.
    Failed {
        id: String,
        en: String,
    },
}

/// The campaign page's side of [`Job::MusdesWorkbook`]: the same messages as [`Request`]
/// and [`Reply`], written and read without the other jobs' types, whose serde code that
/// page's download would pay for (~10 KB). The web tests check they read as each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkbookRequest {
    pub job: WorkbookJob,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum WorkbookJob {
    MusdesWorkbook { rows: Vec<Vec<String>> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkbookReply {
    Ready,
    Workbook {
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    Failed {
        id: String,
        en: String,
    },
    /// Any other news of the worker's.
    #[serde(other)]
    Other,
}

/// The district forms page's side of [`Job::FormTables`], read as a [`Request`] by the
/// worker; answered with a [`WorkbookReply`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormTablesRequest {
    pub job: FormTablesJob,
    #[serde(default)]
    pub session: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum FormTablesJob {
    FormTables { form_id: String, tables: Vec<Table> },
}

impl crate::job_worker::JobReply for WorkbookReply {
    fn is_ready(&self) -> bool {
        matches!(self, WorkbookReply::Ready)
    }

    fn failed(id: String, en: String) -> Self {
        WorkbookReply::Failed { id, en }
    }
}

impl crate::job_worker::JobReply for Reply {
    fn is_ready(&self) -> bool {
        matches!(self, Reply::Ready)
    }

    fn failed(id: String, en: String) -> Self {
        Reply::Failed { id, en }
    }
}
