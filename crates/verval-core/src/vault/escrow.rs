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

/// The district's answer to a [`WrittenRequest`]: as [`reseal_for`], once the escrow is
/// checked to hold the key the request names (the phone would refuse another key anyway; the
/// district sees it is the wrong request before sending anything).
pub fn answer_written(
    asked: &WrittenRequest,
    district: &[Identity],
    entropy: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let key = read_key(&seal::open(&asked.escrow, district)?)?;
    if key_id(&key) != asked.key_id {
        return Err(VaultError::NotARequest(
            "kunci cadangan di dalamnya bukan kunci yang dinamainya (its escrow does not hold the key it names)"
                .to_owned(),
        ));
    }
    seal_key(&key, std::slice::from_ref(&asked.one_time), entropy)
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

/// A forgotten PIN asked in writing, by a phone with no hub to send it to: its one-time key,
/// its data key's name and its escrow (sealed to the district: nothing in it opens without
/// the district's key), as one line the enumerator sends to district staff by any channel.
/// Staff answer only once they heard the one-time key's fingerprint from the enumerator over
/// the telephone: a request sent by whoever holds the phone is not answered on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenRequest {
    pub one_time: Recipient,
    pub key_id: String,
    pub escrow: Vec<u8>,
}

/// What a written request starts with: the kind and its version.
const WRITTEN_PREFIX: &str = "verval-lupa-pin-1";

/// [`WrittenRequest::to_text`] from its parts already written out (`age1…`, the key id, the
/// escrow's [`to_text`]), for a phone that keeps them so and need not parse them to send them.
pub fn written_text(one_time: &str, key_id: &str, escrow: &str) -> String {
    format!("{WRITTEN_PREFIX}.{one_time}.{key_id}.{escrow}")
}

impl WrittenRequest {
    /// `verval-lupa-pin-1.<age1…>.<key id>.<escrow, base64url>`: no character a chat app
    /// turns into something else.
    pub fn to_text(&self) -> String {
        written_text(&self.one_time.encode(), &self.key_id, &to_text(&self.escrow))
    }

    /// [`Self::to_text`] read back; the spaces and line breaks a chat app puts into a long
    /// line are dropped.
    pub fn parse(text: &str) -> Result<WrittenRequest, VaultError> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let not_one = |what: String| VaultError::NotARequest(what);
        let mut parts = text.split('.');
        if parts.next() != Some(WRITTEN_PREFIX) {
            return Err(not_one(format!(
                "tidak diawali {WRITTEN_PREFIX} (it does not start with {WRITTEN_PREFIX})"
            )));
        }
        let (Some(one_time), Some(key_id), Some(escrow), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(not_one(
                "tidak terdiri dari empat bagian; salin seluruhnya (it does not have its four parts; copy all of it)"
                    .to_owned(),
            ));
        };
        let one_time = Recipient::parse(one_time)
            .map_err(|e| not_one(format!("kunci sekali pakai (the one-time key): {e}")))?;
        check_key_id(key_id).map_err(|e| not_one(format!("nama kunci (the key's name): {e}")))?;
        let escrow = from_text(escrow).map_err(|e| not_one(format!("kunci cadangan (the escrow): {e}")))?;
        Ok(WrittenRequest {
            one_time,
            key_id: key_id.to_owned(),
            escrow,
        })
    }
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
