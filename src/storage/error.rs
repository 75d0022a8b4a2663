//! What can go wrong with storage, in words an enumerator can act on.

use indexed_db_futures::error::{DomException, Error as IdbError, OpenDbError, SerialisationError};
use verval_core::record::RestoreError;
use verval_core::text::Message;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The browser offers no IndexedDB here: private mode, storage disabled, a very old browser.
    #[error("browser storage is not available: {0}")]
    Unavailable(String),
    /// The database on this device was written by a newer version of the app.
    #[error("the database on this device is newer than this app (which knows version {known})")]
    NewerDatabase { known: u32 },
    /// The device or the browser's share of it is full.
    #[error("storage is full: {0}")]
    QuotaExceeded(String),
    /// A stored record this version cannot read.
    #[error("a stored record cannot be read: {0}")]
    Unreadable(String),
    /// Deleting a household that was locked at least once: locked revisions are kept.
    #[error("only a draft never locked can be deleted")]
    NotDeletable,
    /// A sealed value (issue #23) and the phone is locked: it opens only with the PIN.
    #[error("the phone is locked")]
    Locked,
    /// Any other failure of an operation.
    #[error("{operation:?} failed: {detail}")]
    Failed { operation: Operation, detail: String },
}

/// What the app was doing with its data when something failed: each has its own words, so
/// a failed search does not say that opening failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Opening the database (and the checks done once at opening).
    Open,
    /// Writing a household, a photo, a batch or any other data.
    Save,
    /// Reading one household, photo or setting.
    Read,
    /// Listing households or batches.
    List,
    /// Counting what is stored.
    Count,
    /// Searching households or their numbers.
    Search,
    /// Deleting a draft.
    Delete,
}

impl Operation {
    /// "Could not … data", in both languages.
    fn verb(self) -> (&'static str, &'static str) {
        match self {
            Operation::Open => ("membuka", "open"),
            Operation::Save => ("menyimpan", "save"),
            Operation::Read => ("membaca", "read"),
            Operation::List => ("menampilkan", "list"),
            Operation::Count => ("menghitung", "count"),
            Operation::Search => ("mencari", "search"),
            Operation::Delete => ("menghapus", "delete"),
        }
    }
}

impl StoreError {
    /// Maps a failure of `operation` to what it means for the user.
    pub fn from_idb(operation: Operation, error: IdbError) -> StoreError {
        match error {
            IdbError::DomException(DomException::Other(e)) if e.name() == "QuotaExceededError" => {
                StoreError::QuotaExceeded(e.message())
            }
            IdbError::DomException(DomException::Other(e)) if e.name() == "VersionError" => {
                StoreError::NewerDatabase {
                    known: super::schema::CURRENT.number(),
                }
            }
            IdbError::Serialisation(_) => StoreError::Unreadable(describe(&error)),
            other => StoreError::Failed {
                operation,
                detail: describe(&other),
            },
        }
    }

    /// Maps the reason a write transaction was aborted.
    pub fn from_abort(reason: web_sys::DomException) -> StoreError {
        match reason.name().as_str() {
            "QuotaExceededError" => StoreError::QuotaExceeded(reason.message()),
            name => StoreError::Failed {
                operation: Operation::Save,
                detail: format!("{name}: {}", reason.message()),
            },
        }
    }

    pub fn from_open(error: OpenDbError) -> StoreError {
        match error {
            // Words of our own: the library's `Display` covers every error it has, and its
            // numeric ones drag float formatting (~4 KB gzip) into the start-up download.
            OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => {
                StoreError::Unavailable("indexedDB is not available in this browser".to_owned())
            }
            OpenDbError::Base(IdbError::DomException(DomException::InvalidStateError(e))) => {
                // Firefox private windows used to answer open() this way.
                StoreError::Unavailable(e.message())
            }
            OpenDbError::Base(IdbError::DomException(DomException::Other(e)))
                if e.name() == "SecurityError" || e.name() == "UnknownError" =>
            {
                StoreError::Unavailable(e.message())
            }
            OpenDbError::Base(base) => StoreError::from_idb(Operation::Open, base),
            OpenDbError::VersionZero => StoreError::Failed {
                operation: Operation::Open,
                detail: "version 0".to_owned(),
            },
        }
    }

    /// The message shown to the user: what happened and what to do.
    pub fn message(&self) -> Message {
        match self {
            StoreError::Unavailable(detail) => Message::new(
                format!("Penyimpanan browser tidak tersedia, sehingga data keluarga tidak bisa disimpan. Jangan gunakan mode penyamaran/incognito dan izinkan penyimpanan situs. ({detail})"),
                format!("Browser storage is not available, so household data cannot be saved. Do not use private/incognito mode and allow site storage. ({detail})"),
            ),
            StoreError::NewerDatabase { known } => Message::new(
                format!("Data di perangkat ini dibuat oleh versi Verval yang lebih baru (aplikasi ini mengenal versi {known}). Muat ulang halaman saat terhubung internet untuk memperbarui aplikasi. Data tidak diubah."),
                format!("The data on this device was written by a newer version of Verval (this app knows version {known}). Reload the page while online to update the app. Nothing was changed."),
            ),
            StoreError::QuotaExceeded(_) => Message::new(
                "Penyimpanan penuh: perubahan terakhir BELUM tersimpan. Kosongkan ruang di HP (hapus foto/video atau aplikasi lain), lalu coba simpan lagi. Data yang sudah tersimpan tetap aman.",
                "Storage is full: the latest change is NOT saved. Free space on the phone (delete photos, videos or other apps), then try saving again. Data already saved is safe.",
            ),
            StoreError::Unreadable(detail) => Message::new(
                format!("Satu data keluarga tidak dapat dibaca oleh versi aplikasi ini dan tidak diubah: {detail}"),
                format!("A household record cannot be read by this version of the app and was left unchanged: {detail}"),
            ),
            StoreError::NotDeletable => Message::new(
                "Keluarga ini pernah dikunci, jadi tidak bisa dihapus: revisi yang sudah dikunci selalu disimpan. Tidak ada yang diubah.",
                "This household was locked before, so it cannot be deleted: locked revisions are always kept. Nothing was changed.",
            ),
            StoreError::Locked => Message::new(
                "HP terkunci: buka dengan PIN untuk membaca atau mengubah data keluarga. Tidak ada yang diubah.",
                "The phone is locked: unlock it with the PIN to read or change the families' data. Nothing was changed.",
            ),
            StoreError::Failed { operation, detail } => {
                let (id, en) = operation.verb();
                Message::new(
                    format!("Gagal {id} data: {detail}. Data yang sudah tersimpan tidak berubah; coba lagi."),
                    format!("Could not {en} data: {detail}. Data already saved is unchanged; try again."),
                )
            }
        }
    }
}

impl From<RestoreError> for StoreError {
    fn from(error: RestoreError) -> Self {
        StoreError::Unreadable(error.to_string())
    }
}

/// The browser's own words for a failure: the DOM exception's name and message where there
/// is one. (The library's `Display` would also do, but its numeric variants drag float
/// formatting into the start-up download.)
fn describe(error: &IdbError) -> String {
    match error {
        IdbError::DomException(e) => {
            let e: &web_sys::DomException = e.as_ref().unchecked_ref();
            format!("{}: {}", e.name(), e.message())
        }
        IdbError::Serialisation(SerialisationError::Serde(e)) => e.to_string(),
        IdbError::Serialisation(SerialisationError::SimpleValue(_)) => {
            "a stored value has an unexpected type".to_owned()
        }
        IdbError::MissingData(e) => e.to_string(),
        IdbError::Unknown(e) => e.to_string(),
    }
}
