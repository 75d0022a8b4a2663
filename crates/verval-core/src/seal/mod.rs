//! Sealing (issue #22): bytes encrypted to the district's public keys in the age format
//! (age-encryption.org/v1), so that the standard `age` tool opens whatever Verval sealed and
//! a district can always reach its data without Verval.
//!
//! - [`keys`]: recipients (`age1…`), identities (`AGE-SECRET-KEY-1…`), fingerprints;
//! - [`age`]: the file: a header with one X25519 stanza per recipient and its MAC, then the
//!   payload in 64 KiB ChaCha20-Poly1305 chunks;
//! - [`passphrase`] (feature `passphrase`): age's scrypt recipient, for the district's key
//!   file;
//! - [`published`]: the keys as handed to phones, and the phone's pin on them.
//!
//! Like the rest of the core this draws no random numbers: the caller hands in
//! [`age::entropy_len`] random bytes.

pub mod age;
pub mod base64;
pub mod bech32;
pub mod keys;
#[cfg(feature = "passphrase")]
pub mod passphrase;
pub mod published;

pub use age::{entropy_len, open, seal, VERSION_LINE};
pub use keys::{fingerprint_of, Identity, Recipient};

/// What went wrong sealing or opening. The messages are for district staff and enumerators:
/// Indonesian first, then English. None repeats a private key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("kunci publik tidak sah (not a valid public key): {0}")]
    BadRecipient(String),
    #[error("kunci rahasia tidak sah (not a valid private key): {0}")]
    BadIdentity(String),
    #[error("tidak ada kunci penerima: tidak ada yang dapat disegel (no recipient to seal to)")]
    NoRecipients,
    #[error("hanya {0} kunci dinas; perlu sedikitnya dua (only {0} district keys; at least two are needed)")]
    TooFewKeys(usize),
    #[error("bilangan acak kurang: {got} byte, perlu {needed} (not enough random bytes)")]
    Entropy { needed: usize, got: usize },
    #[error("kunci publik lemah (a weak public key: its shared secret is zero)")]
    WeakKey,
    #[error("bukan berkas age (not an age file): {0}")]
    NotAge(String),
    #[error("berkas age rusak (the age file is damaged): {0}")]
    Damaged(String),
    #[error("tidak ada kunci yang cocok: berkas ini disegel untuk kunci lain (no matching key: sealed to another key)")]
    NoMatchingKey,
    #[error("enkripsi gagal (the cipher failed)")]
    Cipher,
    #[error("kata sandi salah (wrong passphrase)")]
    WrongPassphrase,
}
