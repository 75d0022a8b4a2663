//! The district's private keys in the hub's memory: unlocked by an admin with each key file's
//! passphrase, kept for this process only (a restart forgets them), locked again on demand.
//! Neither a passphrase nor a key is ever written anywhere. A hub holds only key files
//! protected by a passphrase: a plain private key on the server's disk would open every
//! batch for whoever copies the disk.

use std::path::{Path, PathBuf};
use std::sync::RwLock;
use verval_core::seal::{passphrase, Identity, SealError};

/// Where the key files are, and the keys once unlocked.
pub struct Keyring {
    key_files: Vec<PathBuf>,
    identities: RwLock<Vec<Identity>>,
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("hub ini tidak diberi berkas kunci (serve --key-file) (no key file was given to this hub)")]
    NoKeyFile,
    #[error("berkas kunci {path} tidak terbaca (cannot read the key file): {reason}")]
    Unreadable { path: String, reason: String },
    #[error("berkas kunci {0} tidak dilindungi kata sandi: lindungi dengan `verval-hub key protect`, lalu hapus berkas polosnya (the key file is not protected by a passphrase)")]
    Unprotected(String),
    #[error("{0}")]
    Key(#[from] SealError),
    #[error("pembukaan kunci terputus (the unlocking stopped)")]
    Interrupted,
}

impl Keyring {
    pub fn new(key_files: Vec<PathBuf>) -> Keyring {
        Keyring {
            key_files,
            identities: RwLock::new(Vec::new()),
        }
    }

    /// Whether the hub was given a key file to unlock.
    pub fn has_key_file(&self) -> bool {
        !self.key_files.is_empty()
    }

    pub fn is_unlocked(&self) -> bool {
        !self.identities().is_empty()
    }

    /// The unlocked keys (none while locked).
    pub fn identities(&self) -> Vec<Identity> {
        self.identities.read().map(|ids| ids.clone()).unwrap_or_default()
    }

    /// Opens every key file `passphrase` opens (scrypt: about a second each, off the async
    /// workers) and adds their keys to those already unlocked: after a rotation, the old and
    /// the new key may have different passphrases, typed one after the other. Returns how
    /// many keys are unlocked now. Wrong for every file: `WrongPassphrase`, nothing changes.
    pub async fn unlock(&self, passphrase: &str) -> Result<usize, UnlockError> {
        if self.key_files.is_empty() {
            return Err(UnlockError::NoKeyFile);
        }
        let paths = self.key_files.clone();
        let passphrase = zeroize::Zeroizing::new(passphrase.to_owned());
        let opened = tokio::task::spawn_blocking(move || {
            let mut opened = Vec::new();
            let mut wrong = 0;
            for path in &paths {
                match read_protected_key_file(path, &passphrase) {
                    Ok(identities) => opened.extend(identities),
                    Err(UnlockError::Key(SealError::WrongPassphrase)) => wrong += 1,
                    Err(other) => return Err(other),
                }
            }
            if wrong == paths.len() {
                return Err(UnlockError::Key(SealError::WrongPassphrase));
            }
            Ok(opened)
        })
        .await
        .map_err(|_| UnlockError::Interrupted)??;
        let mut held = self.identities.write().map_err(|_| UnlockError::Interrupted)?;
        for identity in opened {
            if !held.iter().any(|h| h.recipient() == identity.recipient()) {
                held.push(identity);
            }
        }
        Ok(held.len())
    }

    /// Forgets the keys.
    pub fn lock(&self) {
        if let Ok(mut held) = self.identities.write() {
            held.clear();
        }
    }
}

/// Refuses, when the hub starts, a key file it could never unlock: missing, unreadable, or
/// a plain private key.
pub fn check_key_file(path: &Path) -> Result<(), UnlockError> {
    let bytes = read_bytes(path)?;
    if !is_protected(&bytes) {
        return Err(UnlockError::Unprotected(path.display().to_string()));
    }
    Ok(())
}

/// The identities of a key file protected by `passphrase`; a plain one is refused.
fn read_protected_key_file(path: &Path, passphrase: &str) -> Result<Vec<Identity>, UnlockError> {
    let bytes = read_bytes(path)?;
    if !is_protected(&bytes) {
        return Err(UnlockError::Unprotected(path.display().to_string()));
    }
    identities_in(&bytes, Some(passphrase))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, UnlockError> {
    std::fs::read(path).map_err(|e| UnlockError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// The identities of a key file: a passphrase-protected one (`key generate`'s), opened with
/// `passphrase`, or a plain age identity file (`age-keygen`'s, or one typed from the
/// recovery sheet). `None` for a protected file is an error that says a passphrase is needed.
pub fn read_key_file(path: &Path, passphrase: Option<&str>) -> Result<Vec<Identity>, UnlockError> {
    identities_in(&read_bytes(path)?, passphrase)
}

/// The identities in a key file's bytes, the text holding them wiped once read.
fn identities_in(bytes: &[u8], passphrase: Option<&str>) -> Result<Vec<Identity>, UnlockError> {
    let text = zeroize::Zeroizing::new(if is_protected(bytes) {
        let passphrase = passphrase.ok_or(UnlockError::Key(SealError::WrongPassphrase))?;
        let opened = passphrase::open(bytes, passphrase)?;
        String::from_utf8_lossy(&opened).into_owned()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    });
    Ok(Identity::parse_file(&text)?)
}

/// Whether a key file is sealed under a passphrase (an age file) rather than plain text.
pub fn is_protected(bytes: &[u8]) -> bool {
    bytes.starts_with(verval_core::seal::age::VERSION_LINE.as_bytes())
}
