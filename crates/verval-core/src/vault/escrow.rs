//! The data key escrowed to the district: sealed with age to the district's recipients, so
//! the district (and only the district) can hand it back when a PIN is forgotten. The phone
//! shows a one-time public key; the district opens the escrow with its unlocked key and seals
//! the data key again to that one-time key alone. The plaintext data key never travels: it
//! exists only in the memory of the district's hub or laptop and of the phone.
//!
//! Each escrow names its data key by [`key_id`], so the phone checks that what comes back is
//! its own key before it sets a new PIN.

use super::{DataKey, VaultError, KEY_LEN};
use crate::seal::base64::{decode, encode, Alphabet::Url};
use crate::seal::{self, Identity, Recipient};
use sha2::{Digest, Sha256};

/// The data key's name: the first 16 bytes of SHA-256 over a label and the key, in hex. Tells
/// one phone's key from another's; reveals nothing of the key.
pub fn key_id(key: &DataKey) -> String {
    let mut hash = Sha256::new();
    hash.update(b"verval-vault key id v1\n");
    hash.update(key.bytes());
    crate::export::canonical::hex(&hash.finalize()[..16])
}

/// The escrow: the data key sealed to every district recipient (age, the standard tool opens
/// it). `entropy`: [`seal::entropy_len`] random bytes for that many recipients.
pub fn seal_key(key: &DataKey, recipients: &[Recipient], entropy: &[u8]) -> Result<Vec<u8>, VaultError> {
    Ok(seal::seal(key.bytes(), recipients, entropy)?)
}

/// The district's side of a forgotten PIN: opens `escrow` with its keys and seals the data
/// key to the phone's one-time key alone. `entropy`: [`seal::entropy_len`]`(1)` bytes.
pub fn reseal_for(
    escrow: &[u8],
    district: &[Identity],
    one_time: &Recipient,
    entropy: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let key = read_key(&seal::open(escrow, district)?)?;
    seal_key(&key, std::slice::from_ref(one_time), entropy)
}

/// The phone's side: the data key the district sent back, sealed to `one_time`, checked to be
/// the key named `expected` (the phone's own, [`key_id`]).
pub fn open_answer(answer: &[u8], one_time: &Identity, expected: &str) -> Result<DataKey, VaultError> {
    let key = read_key(&seal::open(answer, std::slice::from_ref(one_time))?)?;
    if key_id(&key) != expected {
        return Err(VaultError::Damaged(
            "jawaban dinas memuat kunci perangkat lain (the district's answer holds another device's key)"
                .to_owned(),
        ));
    }
    Ok(key)
}

/// The longest escrow or answer taken: an age file of a 32-byte key to a district's few
/// recipients is a few hundred bytes.
pub const MAX_SEALED_LEN: usize = 4096;

/// Whether `text` is a [`key_id`]: 32 lowercase hex digits.
pub fn check_key_id(text: &str) -> Result<(), VaultError> {
    if text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(VaultError::Damaged(
            "nama kunci data bukan 32 angka heksadesimal (a data key's name is 32 hex digits)".to_owned(),
        ))
    }
}

/// An escrow or an answer as it travels: unpadded base64url of the age file.
pub fn to_text(sealed: &[u8]) -> String {
    encode(sealed, Url)
}

/// [`to_text`] read back, checked to be an age file of at most [`MAX_SEALED_LEN`] bytes.
pub fn from_text(text: &str) -> Result<Vec<u8>, VaultError> {
    if text.len() > MAX_SEALED_LEN * 4 / 3 + 4 {
        return Err(VaultError::Damaged(format!(
            "lebih dari {MAX_SEALED_LEN} byte (larger than {MAX_SEALED_LEN} bytes)"
        )));
    }
    let bytes = decode(text.trim(), Url)
        .ok_or_else(|| VaultError::Damaged("bukan base64url (not base64url)".to_owned()))?;
    let header = format!("{}\n", seal::VERSION_LINE);
    if bytes.len() > MAX_SEALED_LEN || !bytes.starts_with(header.as_bytes()) {
        return Err(VaultError::Damaged(
            "bukan berkas age kunci data (not an age file of a data key)".to_owned(),
        ));
    }
    Ok(bytes)
}

fn read_key(bytes: &[u8]) -> Result<DataKey, VaultError> {
    let key: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
        VaultError::Damaged(format!(
            "{} byte, bukan kunci data ({} bytes, not a data key)",
            bytes.len(),
            bytes.len()
        ))
    })?;
    Ok(DataKey::from_random(key))
}
