//! The phone's data at rest (issue #23), the parts that need no browser: one random data key
//! encrypts every stored value (`envelope`), bound to the store and key it is kept under; the
//! data key is wrapped by a key derived from the enumerator's PIN (`pin`: the derivation
//! itself is WebCrypto's PBKDF2 on the phone, the core checks its parameters) and escrowed to
//! the district's age recipients (`escrow`), so a forgotten PIN or a lost phone loses no
//! family; wrong PINs cost growing waits, never a wipe (`pin::wait_after`); a backup restored
//! merges by household id and revision, never overwriting a newer one (`restore`).
//!
//! Like `seal`, the core draws no random numbers: every nonce and key comes in as a value.

pub mod backup;
pub mod envelope;
pub mod escrow;
pub mod pin;
pub mod reminder;
pub mod restore;
pub mod session;

pub use zeroize::Zeroizing;

/// The length of the data key, of a key derived from a PIN, and of their random inputs.
pub const KEY_LEN: usize = 32;

/// The key that encrypts a phone's stored values. Wiped when dropped; never printed.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl DataKey {
    /// A data key from 32 random bytes (the phone's `crypto.getRandomValues`).
    pub fn from_random(bytes: [u8; KEY_LEN]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// What went wrong opening or keeping the phone's data. Indonesian first, then English; none
/// repeats a key, a PIN or a stored value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("PIN salah (wrong PIN)")]
    WrongPin,
    #[error("PIN harus {min} angka atau lebih, hanya angka (a PIN is {min} or more digits, digits only)")]
    PinShape { min: usize },
    #[error("PIN terlalu mudah ditebak: {0}")]
    PinGuessable(&'static str),
    #[error("data tersimpan tidak dapat dibuka: rusak, atau milik tempat lain (a stored value does not open: damaged, or moved from another place): {0}")]
    Damaged(String),
    #[error("permintaan lupa PIN tidak sah (not a valid forgotten-PIN request): {0}")]
    NotARequest(String),
    #[error("pengaturan kunci tersimpan tidak sah (the stored key settings are not valid): {0}")]
    BadSettings(String),
    #[error("{0}")]
    Seal(#[from] crate::seal::SealError),
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod backup_tests;
