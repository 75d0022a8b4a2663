//! The age file format, version 1 (age-encryption.org/v1, C2SP's age specification):
//!
//! ```text
//! age-encryption.org/v1
//! -> X25519 <ephemeral share, base64>
//! <the file key wrapped for that recipient, base64>
//! -> X25519 …                       (one stanza per recipient)
//! --- <HMAC-SHA256 of the header so far, base64>
//! <16-byte nonce><payload: 64 KiB chunks, each sealed with ChaCha20-Poly1305>
//! ```
//!
//! A random 16-byte file key encrypts the payload; each stanza wraps it for one recipient.
//! The reader trusts nothing: lines and the header are bounded, base64 must be canonical,
//! the header's MAC and every chunk's tag are checked, and a file cut off at a chunk boundary
//! is caught by the last chunk's flag.

use super::base64::{decode as b64_decode, encode as b64_encode, Alphabet::Standard};
use super::keys::{Identity, Recipient};
use super::SealError;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce, Tag};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use x25519_dalek::{x25519, PublicKey, StaticSecret, X25519_BASEPOINT_BYTES};
use zeroize::Zeroizing;

/// The first line of every age file.
pub const VERSION_LINE: &str = "age-encryption.org/v1";
const X25519_TAG: &str = "X25519";
const X25519_INFO: &[u8] = b"age-encryption.org/v1/X25519";
/// Plaintext bytes per payload chunk.
const CHUNK: usize = 64 << 10;
const TAG: usize = 16;
const FILE_KEY: usize = 16;
const NONCE: usize = 16;
/// A body line of a stanza is this long, except the last, which is shorter.
const COLUMNS: usize = 64;
/// Bounds on a header from anywhere: generous for real files (a stanza line is under 100
/// bytes), small enough that a hostile one costs nothing.
const MAX_LINE: usize = 4 << 10;
const MAX_STANZAS: usize = 256;

/// How many random bytes [`seal`] needs for `recipients` recipients: the file key, the
/// payload's nonce, and an ephemeral key per recipient.
pub fn entropy_len(recipients: usize) -> usize {
    FILE_KEY + NONCE + 32 * recipients
}

/// The key that encrypts one file's payload.
pub(crate) type FileKey = Zeroizing<[u8; FILE_KEY]>;

/// One recipient's line of the header: its type, arguments, and the wrapped file key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stanza {
    pub tag: String,
    pub args: Vec<String>,
    pub body: Vec<u8>,
}

/// Seals `plaintext` to every recipient: any one of their identities opens it.
/// `entropy` is exactly [`entropy_len`]`(recipients.len())` random bytes.
pub fn seal(plaintext: &[u8], recipients: &[Recipient], entropy: &[u8]) -> Result<Vec<u8>, SealError> {
    if recipients.is_empty() {
        return Err(SealError::NoRecipients);
    }
    let needed = entropy_len(recipients.len());
    if entropy.len() != needed {
        return Err(SealError::Entropy {
            needed,
            got: entropy.len(),
        });
    }
    let (key, rest) = entropy.split_at(FILE_KEY);
    let (nonce, ephemerals) = rest.split_at(NONCE);
    let file_key = file_key(key);
    let stanzas = recipients
        .iter()
        .zip(ephemerals.chunks_exact(32))
        .map(|(recipient, ephemeral)| wrap_x25519(&file_key, recipient, ephemeral))
        .collect::<Result<Vec<_>, _>>()?;
    seal_with(&file_key, &stanzas, nonce, plaintext)
}

/// Opens what was sealed to one of `identities`.
pub fn open(sealed: &[u8], identities: &[Identity]) -> Result<Vec<u8>, SealError> {
    let header = parse(sealed)?;
    let file_key = unwrap_x25519(&header.stanzas, identities)?;
    open_with(&header, &file_key)
}

pub(crate) fn file_key(bytes: &[u8]) -> FileKey {
    let mut key = Zeroizing::new([0; FILE_KEY]);
    key.copy_from_slice(&bytes[..FILE_KEY]);
    key
}

/// The header with `stanzas`, then the payload.
pub(crate) fn seal_with(
    file_key: &FileKey,
    stanzas: &[Stanza],
    nonce: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    let chunks = plaintext.len().div_ceil(CHUNK).max(1);
    let mut out = Vec::with_capacity(plaintext.len() + chunks * TAG + 128 * (stanzas.len() + 2));
    out.extend_from_slice(VERSION_LINE.as_bytes());
    out.push(b'\n');
    for stanza in stanzas {
        write_stanza(&mut out, stanza);
    }
    out.extend_from_slice(b"---");
    let mac = header_mac(file_key, &out)?;
    out.push(b' ');
    out.extend_from_slice(b64_encode(&mac, Standard).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(nonce);
    let cipher = ChaCha20Poly1305::new(&payload_key(file_key, nonce)?);
    for index in 0..chunks {
        let chunk =
            &plaintext[(index * CHUNK).min(plaintext.len())..((index + 1) * CHUNK).min(plaintext.len())];
        let start = out.len();
        out.extend_from_slice(chunk);
        let tag = cipher
            .encrypt_inout_detached(
                &chunk_nonce(index, index + 1 == chunks),
                &[],
                (&mut out[start..]).into(),
            )
            .map_err(|_| SealError::Cipher)?;
        out.extend_from_slice(&tag);
    }
    Ok(out)
}

/// A parsed header: its stanzas, the bytes its MAC covers, the MAC, and the payload.
pub(crate) struct Header<'a> {
    pub stanzas: Vec<Stanza>,
    mac_input: &'a [u8],
    mac: Vec<u8>,
    payload: &'a [u8],
}

/// Reads the header of an age file.
pub(crate) fn parse(bytes: &[u8]) -> Result<Header<'_>, SealError> {
    let mut at = 0;
    let first = next_line(bytes, &mut at).map_err(|_| not_age())?;
    if first != VERSION_LINE {
        return Err(not_age());
    }
    let mut stanzas = Vec::new();
    loop {
        let line_start = at;
        let line = next_line(bytes, &mut at)?;
        if let Some(rest) = line.strip_prefix("-> ") {
            let mut words = rest.split(' ').map(str::to_owned);
            let tag = words.next().unwrap_or_default();
            let args: Vec<String> = words.collect();
            if tag.is_empty() || args.iter().any(String::is_empty) {
                return Err(damaged("a recipient line with an empty word"));
            }
            let mut body = String::new();
            loop {
                let line = next_line(bytes, &mut at)?;
                if line.len() > COLUMNS {
                    return Err(damaged("a key line longer than 64 characters"));
                }
                body.push_str(line);
                if line.len() < COLUMNS {
                    break;
                }
            }
            let body = b64_decode(body, Standard).ok_or_else(|| damaged("a wrapped key is not base64"))?;
            stanzas.push(Stanza { tag, args, body });
            if stanzas.len() > MAX_STANZAS {
                return Err(damaged("more recipients than a file may have"));
            }
        } else if let Some(mac) = line.strip_prefix("--- ") {
            if stanzas.is_empty() {
                return Err(damaged("no recipient"));
            }
            let mac = b64_decode(mac, Standard)
                .filter(|m| m.len() == 32)
                .ok_or_else(|| damaged("the header's MAC is not 32 bytes of base64"))?;
            return Ok(Header {
                stanzas,
                mac_input: &bytes[..line_start + 3],
                mac,
                payload: &bytes[at..],
            });
        } else {
            return Err(damaged("an unexpected line in the header"));
        }
    }
}

/// Checks the header's MAC with `file_key`, then decrypts the payload.
pub(crate) fn open_with(header: &Header<'_>, file_key: &FileKey) -> Result<Vec<u8>, SealError> {
    let mut mac = mac_for(file_key)?;
    mac.update(header.mac_input);
    mac.verify_slice(&header.mac)
        .map_err(|_| damaged("the header was changed (its MAC does not match)"))?;
    if header.payload.len() < NONCE {
        return Err(damaged("cut off before the payload"));
    }
    let (nonce, mut rest) = header.payload.split_at(NONCE);
    let cipher = ChaCha20Poly1305::new(&payload_key(file_key, nonce)?);
    let mut out = Vec::with_capacity(rest.len());
    for index in 0.. {
        if rest.len() < TAG {
            return Err(damaged("cut off (an incomplete download?)"));
        }
        let last = rest.len() <= CHUNK + TAG;
        let (chunk, tail) = rest.split_at(rest.len().min(CHUNK + TAG));
        let (text, tag) = chunk.split_at(chunk.len() - TAG);
        let start = out.len();
        out.extend_from_slice(text);
        let tag = Tag::try_from(tag).map_err(|_| SealError::Cipher)?;
        cipher
            .decrypt_inout_detached(&chunk_nonce(index, last), &[], (&mut out[start..]).into(), &tag)
            .map_err(|_| {
                SealError::Damaged(format!(
                    "bagian {} berubah atau terpotong (part {} was changed or cut off)",
                    index + 1,
                    index + 1
                ))
            })?;
        if last {
            if text.is_empty() && index > 0 {
                return Err(damaged("ends with an empty part"));
            }
            break;
        }
        rest = tail;
    }
    Ok(out)
}

fn wrap_x25519(file_key: &FileKey, recipient: &Recipient, ephemeral: &[u8]) -> Result<Stanza, SealError> {
    let mut secret = Zeroizing::new([0u8; 32]);
    secret.copy_from_slice(ephemeral);
    let ephemeral = StaticSecret::from(*secret);
    let share = public_half(&ephemeral);
    let shared = ephemeral.diffie_hellman(&recipient.0);
    if !shared.was_contributory() {
        return Err(SealError::WeakKey);
    }
    let wrap_key = hkdf(
        &[share.as_bytes().as_slice(), recipient.0.as_bytes()].concat(),
        shared.as_bytes(),
        X25519_INFO,
    )?;
    let body = aead_seal(&wrap_key, file_key.as_slice())?;
    Ok(Stanza {
        tag: X25519_TAG.to_owned(),
        args: vec![b64_encode(share.as_bytes(), Standard)],
        body,
    })
}

/// A secret's public half by the Montgomery ladder from the base point, the same ladder a
/// Diffie-Hellman runs: `PublicKey::from(&secret)` would link curve25519-dalek's Edwards
/// arithmetic into the phone's download for the same 32 bytes.
pub(crate) fn public_half(secret: &StaticSecret) -> PublicKey {
    let bytes = Zeroizing::new(secret.to_bytes());
    PublicKey::from(x25519(*bytes, X25519_BASEPOINT_BYTES))
}

fn unwrap_x25519(stanzas: &[Stanza], identities: &[Identity]) -> Result<FileKey, SealError> {
    for stanza in stanzas.iter().filter(|s| s.tag == X25519_TAG) {
        let share = match stanza.args.as_slice() {
            [share] => b64_decode(share, Standard)
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or_else(|| damaged("an X25519 share is not 32 bytes"))?,
            _ => return Err(damaged("an X25519 line without exactly one share")),
        };
        if stanza.body.len() != FILE_KEY + TAG {
            return Err(damaged("an X25519 wrapped key is not 32 bytes"));
        }
        let share = PublicKey::from(share);
        for identity in identities {
            let shared = identity.0.diffie_hellman(&share);
            if !shared.was_contributory() {
                return Err(SealError::WeakKey);
            }
            let salt = [share.as_bytes().as_slice(), identity.recipient().0.as_bytes()].concat();
            let wrap_key = hkdf(&salt, shared.as_bytes(), X25519_INFO)?;
            if let Ok(key) = aead_open(&wrap_key, &stanza.body) {
                return Ok(file_key(&key));
            }
        }
    }
    Err(SealError::NoMatchingKey)
}

/// ChaCha20-Poly1305 under a key used once, with the zero nonce (as age wraps file keys).
pub(crate) fn aead_seal(key: &[u8; 32], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    let cipher = ChaCha20Poly1305::new(&Key::from(*key));
    let mut out = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(&Nonce::default(), &[], out.as_mut_slice().into())
        .map_err(|_| SealError::Cipher)?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens what [`aead_seal`] sealed; `Err` when it was sealed under another key.
pub(crate) fn aead_open(key: &[u8; 32], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
    if sealed.len() < TAG {
        return Err(SealError::Cipher);
    }
    let (text, tag) = sealed.split_at(sealed.len() - TAG);
    let tag = Tag::try_from(tag).map_err(|_| SealError::Cipher)?;
    let cipher = ChaCha20Poly1305::new(&Key::from(*key));
    let mut out = Zeroizing::new(text.to_vec());
    cipher
        .decrypt_inout_detached(&Nonce::default(), &[], out.as_mut_slice().into(), &tag)
        .map_err(|_| SealError::Cipher)?;
    Ok(out)
}

pub(crate) fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8]) -> Result<Zeroizing<[u8; 32]>, SealError> {
    let mut okm = Zeroizing::new([0; 32]);
    Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, okm.as_mut_slice())
        .map_err(|_| SealError::Cipher)?;
    Ok(okm)
}

fn mac_for(file_key: &FileKey) -> Result<Hmac<Sha256>, SealError> {
    let key = hkdf(&[], file_key.as_slice(), b"header")?;
    Hmac::<Sha256>::new_from_slice(key.as_slice()).map_err(|_| SealError::Cipher)
}

fn header_mac(file_key: &FileKey, header: &[u8]) -> Result<Vec<u8>, SealError> {
    let mut mac = mac_for(file_key)?;
    mac.update(header);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn payload_key(file_key: &FileKey, nonce: &[u8]) -> Result<Key, SealError> {
    Ok(Key::from(*hkdf(nonce, file_key.as_slice(), b"payload")?))
}

/// An 11-byte big-endian chunk counter, then 1 for the last chunk and 0 before it.
fn chunk_nonce(index: usize, last: bool) -> Nonce {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&(index as u64).to_be_bytes());
    nonce[11] = u8::from(last);
    Nonce::from(nonce)
}

fn write_stanza(out: &mut Vec<u8>, stanza: &Stanza) {
    out.extend_from_slice(b"-> ");
    out.extend_from_slice(stanza.tag.as_bytes());
    for arg in &stanza.args {
        out.push(b' ');
        out.extend_from_slice(arg.as_bytes());
    }
    out.push(b'\n');
    let body = b64_encode(&stanza.body, Standard);
    for line in body.as_bytes().chunks(COLUMNS) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    // The body ends with a line shorter than 64 characters, empty if need be.
    if body.len().is_multiple_of(COLUMNS) {
        out.push(b'\n');
    }
}

/// The next header line (without its `\n`): printable ASCII, bounded.
fn next_line<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str, SealError> {
    let rest = &bytes[*at..];
    let end = rest
        .iter()
        .take(MAX_LINE + 1)
        .position(|&b| b == b'\n')
        .ok_or_else(|| damaged("the header is cut off or has an overlong line"))?;
    let line = &rest[..end];
    if !line.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Err(damaged(
            "the header holds a character that is not printable ASCII",
        ));
    }
    *at += end + 1;
    std::str::from_utf8(line).map_err(|_| damaged("the header is not text"))
}

fn not_age() -> SealError {
    SealError::NotAge(format!(
        "baris pertama bukan {VERSION_LINE} (the first line is not {VERSION_LINE})"
    ))
}

fn damaged(why: &str) -> SealError {
    SealError::Damaged(why.to_owned())
}

#[cfg(test)]
#[path = "age_tests.rs"]
mod tests;
