//! One stored value, encrypted under the data key: `VV1` | a 24-byte random nonce | the
//! XChaCha20-Poly1305 ciphertext and tag. The associated data names the store and the key the
//! value is kept under, so a value copied to another record's place (a swapped household, a
//! photo moved to another family) does not open there.

use super::{DataKey, VaultError};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// The first bytes of every encrypted value: what tells it from a plain one during the
/// migration, when both kinds sit in one store.
pub const MAGIC: &[u8; 3] = b"VV1";
/// The length of the random nonce each value takes.
pub const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Where a value is kept: its store and its key there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    pub store: &'a str,
    pub key: &'a str,
}

impl Place<'_> {
    fn associated_data(&self) -> Vec<u8> {
        // Lengths first: no store and key pair reads as another.
        format!(
            "verval-vault v1\n{}:{}\n{}:{}",
            self.store.len(),
            self.store,
            self.key.len(),
            self.key
        )
        .into_bytes()
    }
}

/// Whether stored bytes are an encrypted value (the migration's test: one not yet encrypted
/// is still plain JSON, which never starts with `VV1`).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Encrypts `plain` for `place` under `key`, with a fresh random `nonce`.
pub fn seal_value(key: &DataKey, place: Place<'_>, plain: &[u8], nonce: [u8; NONCE_LEN]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(&Key::from(*key.bytes()));
    let mut body = plain.to_vec();
    let aad = place.associated_data();
    // XChaCha20-Poly1305 fails only beyond 256 GiB per value.
    let tag = cipher
        .encrypt_inout_detached(&XNonce::from(nonce), &aad, body.as_mut_slice().into())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + body.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    out.extend_from_slice(&tag);
    out
}

/// Opens what [`seal_value`] wrote for `place`.
pub fn open_value(key: &DataKey, place: Place<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let damaged = |why: &str| VaultError::Damaged(format!("{}/{}: {why}", place.store, place.key));
    let rest = sealed
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| damaged("not an encrypted value"))?;
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(damaged("too short"));
    }
    let (nonce, rest) = rest.split_at(NONCE_LEN);
    let (body, tag) = rest.split_at(rest.len() - TAG_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| damaged("nonce"))?;
    let tag = Tag::try_from(tag).map_err(|_| damaged("tag"))?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*key.bytes()));
    let mut out = Zeroizing::new(body.to_vec());
    cipher
        .decrypt_inout_detached(&nonce, &place.associated_data(), out.as_mut_slice().into(), &tag)
        .map_err(|_| damaged("another key, another place, or changed bytes"))?;
    Ok(out)
}
