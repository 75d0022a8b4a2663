//! The district's private key in the hub's memory: unlocked by an admin with the key file's
//! passphrase, kept for this process only (a restart forgets it), locked again on demand.
//! Neither the passphrase nor the key is ever written anywhere.

use std::path::{Path, PathBuf};
use std::sync::RwLock;
use verval_core::seal::{passphrase, Identity, SealError};

/// Where the key file is, and the key once unlocked.
pub struct Keyring {
    key_file: Option<PathBuf>,
    identities: RwLock<Vec<Identity>>,
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("hub ini tidak diberi berkas kunci (serve --key-file) (no key file was given to this hub)")]
    NoKeyFile,
    #[error("berkas kunci {path} tidak terbaca (cannot read the key file): {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{0}")]
    Key(#[from] SealError),
    #[error("pembukaan kunci terputus (the unlocking stopped)")]
    Interrupted,
}

impl Keyring {
    pub fn new(key_file: Option<PathBuf>) -> Keyring {
        Keyring {
            key_file,
            identities: RwLock::new(Vec::new()),
        }
    }

    /// Whether the hub was given a key file to unlock.
    pub fn has_key_file(&self) -> bool {
        self.key_file.is_some()
    }

    pub fn is_unlocked(&self) -> bool {
        !self.identities().is_empty()
    }

    /// The unlocked keys (none while locked).
    pub fn identities(&self) -> Vec<Identity> {
        self.identities.read().map(|ids| ids.clone()).unwrap_or_default()
    }

    /// Opens the key file with `passphrase` (scrypt: about a second, off the async workers)
    /// and keeps its keys. Returns how many it holds.
    pub async fn unlock(&self, passphrase: &str) -> Result<usize, UnlockError> {
        let path = self.key_file.clone().ok_or(UnlockError::NoKeyFile)?;
        let passphrase = zeroize::Zeroizing::new(passphrase.to_owned());
        let identities = tokio::task::spawn_blocking(move || read_key_file(&path, Some(&passphrase)))
            .await
            .map_err(|_| UnlockError::Interrupted)??;
        let count = identities.len();
        if let Ok(mut held) = self.identities.write() {
            *held = identities;
        }
        Ok(count)
    }

    /// Forgets the keys.
    pub fn lock(&self) {
        if let Ok(mut held) = self.identities.write() {
            held.clear();
        }
    }
}

/// The identities of a key file: a passphrase-protected one (`key generate`'s), opened with
/// `passphrase`, or a plain age identity file (`age-keygen`'s, or one typed from the
/// recovery sheet). `None` for a protected file is an error that says a passphrase is needed.
pub fn read_key_file(path: &Path, passphrase: Option<&str>) -> Result<Vec<Identity>, UnlockError> {
    let bytes = std::fs::read(path).map_err(|e| UnlockError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let text = if is_protected(&bytes) {
        let passphrase = passphrase.ok_or(UnlockError::Key(SealError::WrongPassphrase))?;
        let opened = passphrase::open(&bytes, passphrase)?;
        String::from_utf8_lossy(&opened).into_owned()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Identity::parse_file(&text)?)
}

/// Whether a key file is sealed under a passphrase (an age file) rather than plain text.
pub fn is_protected(bytes: &[u8]) -> bool {
    bytes.starts_with(verval_core::seal::age::VERSION_LINE.as_bytes())
}
