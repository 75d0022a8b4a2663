//! The district's keys as age writes them: a recipient (`age1…`, the public key phones seal
//! to), an identity (`AGE-SECRET-KEY-1…`, the private key that opens), and the short
//! fingerprint people compare on a phone's screen and a printed sheet.

use super::bech32;
use super::SealError;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

const RECIPIENT_HRP: &str = "age";
const IDENTITY_HRP: &str = "age-secret-key-";

/// A public key batches are sealed to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Recipient(pub(crate) PublicKey);

/// A private key that opens what was sealed to its [`Recipient`]. Its bytes are wiped when
/// it is dropped; it is never printed by `Debug`.
#[derive(Clone)]
pub struct Identity(pub(crate) StaticSecret);

impl Recipient {
    /// Reads `age1…` as age writes it: lowercase Bech32 (not Bech32m), 32 bytes.
    pub fn parse(text: &str) -> Result<Recipient, SealError> {
        let text = text.trim();
        let bad = |why: &str| SealError::BadRecipient(format!("{}: {why}", shown(text)));
        if text.to_ascii_lowercase().starts_with(IDENTITY_HRP) {
            // Someone pasted the private key: say so, and repeat none of it.
            return Err(SealError::BadRecipient(
                "ini kunci RAHASIA, bukan kunci publik: jangan dibagikan, simpan kembali \
                 (this is the PRIVATE key, not the public one: do not share it, put it away)"
                    .to_owned(),
            ));
        }
        if text.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(bad("huruf besar (upper case)"));
        }
        let bytes = decode(text, RECIPIENT_HRP).map_err(|why| bad(&why))?;
        Ok(Recipient(PublicKey::from(bytes)))
    }

    /// `age1…`: what `age -r` takes.
    pub fn encode(&self) -> String {
        encode(RECIPIENT_HRP, self.0.as_bytes()).to_ascii_lowercase()
    }

    /// The first 80 bits of the SHA-256 of [`Recipient::encode`], as five groups of four
    /// hexadecimal digits (`3F2A-91C0-7B44-E01D-55A2`): short enough to read aloud and
    /// compare with a printed sheet, long enough that no one can make a key that matches.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.encode())
    }
}

/// [`Recipient::fingerprint`] of a recipient already written out.
pub fn fingerprint_of(encoded: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digest = Sha256::digest(encoded.as_bytes());
    let mut out = String::with_capacity(24);
    for (i, b) in digest[..10].iter().enumerate() {
        if i > 0 && i % 2 == 0 {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recipient({})", self.encode())
    }
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.encode())
    }
}

impl Identity {
    /// A new private key from 32 random bytes (handed in: the core draws no random numbers).
    pub fn from_random(bytes: [u8; 32]) -> Identity {
        Identity(StaticSecret::from(bytes))
    }

    /// Reads `AGE-SECRET-KEY-1…` as age writes it: uppercase Bech32, 32 bytes.
    pub fn parse(text: &str) -> Result<Identity, SealError> {
        let text = text.trim();
        // Never the key itself in a message: only that it is not one.
        let bad = |why: &str| SealError::BadIdentity(why.to_owned());
        if text.chars().any(|c| c.is_ascii_lowercase()) {
            return Err(bad("huruf kecil (lower case)"));
        }
        let bytes = decode(text, IDENTITY_HRP).map_err(|why| bad(&why))?;
        Ok(Identity(StaticSecret::from(bytes)))
    }

    /// Every identity of an identity file (`age-keygen`'s output): one per line, `#` starts
    /// a comment, blank lines are skipped.
    pub fn parse_file(text: &str) -> Result<Vec<Identity>, SealError> {
        let mut identities = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            identities.push(Identity::parse(line).map_err(|e| match e {
                SealError::BadIdentity(why) => {
                    SealError::BadIdentity(format!("baris {} (line {}): {why}", n + 1, n + 1))
                }
                other => other,
            })?);
        }
        if identities.is_empty() {
            return Err(SealError::BadIdentity(
                "berkas tidak memuat kunci (the file holds no key)".to_owned(),
            ));
        }
        Ok(identities)
    }

    /// `AGE-SECRET-KEY-1…`: what `age -d -i` reads.
    pub fn encode(&self) -> String {
        encode(IDENTITY_HRP, self.0.as_bytes()).to_ascii_uppercase()
    }

    /// This key's public half.
    pub fn recipient(&self) -> Recipient {
        Recipient(super::age::public_half(&self.0))
    }

    /// The identity file `age-keygen` would write: when it was made, its public key, the key.
    pub fn to_file(&self, created: &str) -> String {
        format!(
            "# created: {created}\n# public key: {}\n{}\n",
            self.recipient().encode(),
            self.encode()
        )
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity(for {})", self.recipient().encode())
    }
}

fn encode(hrp: &str, bytes: &[u8]) -> String {
    bech32::encode(hrp, bytes)
}

fn decode(text: &str, hrp: &str) -> Result<[u8; 32], String> {
    let (found, bytes) =
        bech32::decode(text).map_err(|e| format!("bukan kunci age (not an age key): {e}"))?;
    if found != hrp {
        return Err(format!(
            "awalan {found:?}, seharusnya {hrp:?} (prefix {found:?}, expected {hrp:?})"
        ));
    }
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        format!(
            "{} byte, seharusnya 32 ({} bytes, expected 32)",
            bytes.len(),
            bytes.len()
        )
    })
}

/// How an error names what was pasted as a public key: the start of it when it looks like
/// one (public keys are no secret), otherwise nothing of it — it may be a passphrase or a
/// private key cut short.
fn shown(text: &str) -> String {
    if !text.starts_with("age1") {
        return "bukan kunci publik age, tidak diawali \"age1\" (not an age public key: no \"age1\" at the start)"
            .to_owned();
    }
    let mut short: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        short.push('…');
    }
    format!("{short:?}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    // A key made by Debian's `age-keygen` 1.1.1 (a test key, never used for data): its
    // public half as age derived it, so our encoding is checked against age's, not itself.
    pub(crate) const AGE_IDENTITY: &str =
        "AGE-SECRET-KEY-1KZW8MVYFE0ZCZF5QE2WRSSUY5DKFG7JMW2M4TN0DJ5FT55470PPQZG8FRU";
    pub(crate) const AGE_RECIPIENT: &str = "age1cjura0mmtrhc5mlw7k5ts45hkk8xjjf5lsxqzfm46hmrpcahpvusr9c6lt";

    #[test]
    fn a_key_from_age_reads_and_writes_back_the_same() {
        let identity = Identity::parse(AGE_IDENTITY).expect("age's identity");
        assert_eq!(identity.encode(), AGE_IDENTITY);
        assert_eq!(identity.recipient().encode(), AGE_RECIPIENT);
        let recipient = Recipient::parse(AGE_RECIPIENT).expect("age's recipient");
        assert_eq!(recipient, identity.recipient());
    }

    #[test]
    fn a_fingerprint_is_five_groups_and_differs_per_key() {
        let a = Identity::from_random([1; 32]).recipient().fingerprint();
        let b = Identity::from_random([2; 32]).recipient().fingerprint();
        assert_eq!(a.len(), 24);
        assert_eq!(a.split('-').count(), 5);
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
        assert_ne!(a, b);
        // Worked out apart (Python's hashlib: the first 10 bytes of the SHA-256 of the text):
        // fingerprints on printed key books must never change their spelling.
        assert_eq!(fingerprint_of(AGE_RECIPIENT), "7959-0A49-2829-F99F-8361");
        assert_eq!(
            fingerprint_of(AGE_RECIPIENT),
            Recipient::parse(AGE_RECIPIENT).expect("key").fingerprint()
        );
    }

    #[test]
    fn damaged_or_wrong_keys_are_refused_with_the_reason() {
        // One character changed: the checksum catches it.
        let typo = AGE_RECIPIENT.replace("cjura", "cjurb");
        assert!(matches!(Recipient::parse(&typo), Err(SealError::BadRecipient(_))));
        // A private key where a public one belongs, and the other way round.
        assert!(Recipient::parse(&AGE_IDENTITY.to_lowercase()).is_err());
        assert!(Identity::parse(&AGE_RECIPIENT.to_uppercase()).is_err());
        // Mixed or wrong case, empty, and a key of the wrong length.
        assert!(Recipient::parse(&AGE_RECIPIENT.to_uppercase()).is_err());
        assert!(Identity::parse(&AGE_IDENTITY.to_lowercase()).is_err());
        assert!(Recipient::parse("").is_err());
        let short = bech32::encode("age", &[7; 31]);
        let err = Recipient::parse(&short).expect_err("31 bytes");
        assert!(err.to_string().contains("31"), "{err}");
    }

    #[test]
    fn a_private_key_pasted_as_a_public_one_is_named_and_never_repeated() {
        let body = &AGE_IDENTITY["AGE-SECRET-KEY-1".len()..];
        for pasted in [
            AGE_IDENTITY.to_owned(),
            AGE_IDENTITY.to_lowercase(),
            AGE_IDENTITY[..30].to_owned(),
        ] {
            let err = Recipient::parse(&pasted).expect_err("a private key").to_string();
            assert!(err.contains("RAHASIA") && err.contains("PRIVATE"), "{err}");
            assert!(
                !err.to_uppercase().contains(&body[..6]),
                "no part of the key in: {err}"
            );
        }
        // Anything else that is no public key is not repeated either (a passphrase, say).
        let err = Recipient::parse("kata sandi rahasia saya")
            .expect_err("no key")
            .to_string();
        assert!(!err.contains("saya"), "{err}");
        assert!(err.contains("age1"), "{err}");
        // A damaged public key is shown by its start, to find which one it was.
        let typo = AGE_RECIPIENT.replace("cjura", "cjurb");
        let err = Recipient::parse(&typo).expect_err("typo").to_string();
        assert!(err.contains("age1cjurb0"), "{err}");
    }

    #[test]
    fn an_identity_error_never_repeats_the_key() {
        let damaged = AGE_IDENTITY.replace("KZW8", "KZW9");
        let err = Identity::parse(&damaged).expect_err("damaged");
        assert!(!err.to_string().contains("KZW9"), "{err}");
    }

    #[test]
    fn an_identity_file_reads_like_age_keygen_output() {
        let identity = Identity::parse(AGE_IDENTITY).expect("identity");
        let file = identity.to_file("2026-12-05T03:40:00Z");
        assert!(file.contains(&format!("# public key: {AGE_RECIPIENT}")));
        let read = Identity::parse_file(&file).expect("file");
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].encode(), AGE_IDENTITY);
        assert!(Identity::parse_file("# nothing\n\n").is_err());
        let err = Identity::parse_file("# a\nAGE-SECRET-KEY-1XX\n").expect_err("bad line");
        assert!(err.to_string().contains("baris 2"), "{err}");
    }
}
