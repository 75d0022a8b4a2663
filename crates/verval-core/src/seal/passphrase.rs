//! age's scrypt recipient: a file opened by a passphrase instead of a key. The district's
//! private key is kept this way (`verval-hub key generate`), so a copied key file is useless
//! without the passphrase, and `age -d` (which asks for the passphrase) opens it too.

use super::age::{self, Stanza};
use super::base64::{decode as b64_decode, encode as b64_encode, Alphabet::Standard};
use super::SealError;
use zeroize::Zeroizing;

const TAG: &str = "scrypt";
const LABEL: &[u8] = b"age-encryption.org/v1/scrypt";
const SALT: usize = 16;
/// The work factor written: 2^18, age's own, about a second on a laptop.
pub const WORK_FACTOR: u8 = 18;
/// The most a file may ask of us (age's own limit): a hostile file cannot make the hub spend
/// minutes and gigabytes on one passphrase.
pub const MAX_WORK_FACTOR: u8 = 22;

/// How many random bytes [`seal`] needs: the file key, the payload's nonce, the salt.
pub const ENTROPY_LEN: usize = 16 + 16 + SALT;

/// Seals `plaintext` under `passphrase`, with scrypt at 2^`work_factor` (tests pass a small one).
pub fn seal(
    plaintext: &[u8],
    passphrase: &str,
    work_factor: u8,
    entropy: &[u8],
) -> Result<Vec<u8>, SealError> {
    if entropy.len() != ENTROPY_LEN {
        return Err(SealError::Entropy {
            needed: ENTROPY_LEN,
            got: entropy.len(),
        });
    }
    let (key, rest) = entropy.split_at(16);
    let (nonce, salt) = rest.split_at(16);
    let file_key = age::file_key(key);
    let wrap_key = derive(passphrase, salt, work_factor)?;
    let stanza = Stanza {
        tag: TAG.to_owned(),
        args: vec![b64_encode(salt, Standard), work_factor.to_string()],
        body: age::aead_seal(&wrap_key, file_key.as_slice())?,
    };
    age::seal_with(&file_key, &[stanza], nonce, plaintext)
}

/// Opens a file sealed under a passphrase. A file with any other recipient beside the
/// passphrase is refused, as age does: a passphrase file has exactly one.
pub fn open(sealed: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let header = age::parse(sealed)?;
    let stanza = match header.stanzas.as_slice() {
        [stanza] if stanza.tag == TAG => stanza,
        _ => {
            return Err(SealError::NotAge(
                "bukan berkas berkata sandi (not sealed with a passphrase)".to_owned(),
            ))
        }
    };
    let (salt, work_factor) = match stanza.args.as_slice() {
        [salt, factor] => (salt, factor),
        _ => return Err(damaged("a passphrase line without salt and work factor")),
    };
    let salt = b64_decode(salt, Standard)
        .filter(|s| s.len() == SALT)
        .ok_or_else(|| damaged("the salt is not 16 bytes"))?;
    // Decimal without a leading zero, as age writes it.
    if work_factor.starts_with('0') || !work_factor.bytes().all(|b| b.is_ascii_digit()) {
        return Err(damaged("the work factor is not a number"));
    }
    let work_factor: u8 = work_factor
        .parse()
        .ok()
        .filter(|f| (1..=MAX_WORK_FACTOR).contains(f))
        .ok_or_else(|| damaged("the work factor is beyond what this reader accepts"))?;
    if stanza.body.len() != 32 {
        return Err(damaged("the wrapped key is not 32 bytes"));
    }
    let wrap_key = derive(passphrase, &salt, work_factor)?;
    let file_key = age::aead_open(&wrap_key, &stanza.body).map_err(|_| SealError::WrongPassphrase)?;
    Ok(Zeroizing::new(age::open_with(
        &header,
        &age::file_key(&file_key),
    )?))
}

fn derive(passphrase: &str, salt: &[u8], work_factor: u8) -> Result<Zeroizing<[u8; 32]>, SealError> {
    let params = scrypt::Params::new(work_factor, 8, 1).map_err(|_| SealError::Cipher)?;
    let mut key = Zeroizing::new([0; 32]);
    let salt = [LABEL, salt].concat();
    scrypt::scrypt(passphrase.as_bytes(), &salt, &params, key.as_mut_slice())
        .map_err(|_| SealError::Cipher)?;
    Ok(key)
}

fn damaged(why: &str) -> SealError {
    SealError::Damaged(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTROPY: [u8; ENTROPY_LEN] = [7; ENTROPY_LEN];

    #[test]
    fn the_right_passphrase_opens_and_a_wrong_one_is_named() {
        let sealed = seal(b"AGE-SECRET-KEY-1...", "kunci kantor dinas", 10, &ENTROPY).expect("seal");
        assert_eq!(
            open(&sealed, "kunci kantor dinas").expect("open").as_slice(),
            b"AGE-SECRET-KEY-1..."
        );
        assert_eq!(
            open(&sealed, "kunci kantor dinaS"),
            Err(SealError::WrongPassphrase)
        );
        let text = String::from_utf8_lossy(&sealed);
        assert!(text.contains("\n-> scrypt ") && text.contains(" 10\n"), "{text}");
    }

    #[test]
    fn a_file_asking_too_much_work_is_refused_before_any() {
        let sealed = seal(b"x", "p", 10, &ENTROPY).expect("seal");
        let text = String::from_utf8_lossy(&sealed).replacen(" 10\n", " 30\n", 1);
        assert!(matches!(open(text.as_bytes(), "p"), Err(SealError::Damaged(_))));
        let leading_zero = String::from_utf8_lossy(&sealed).replacen(" 10\n", " 010\n", 1);
        assert!(matches!(
            open(leading_zero.as_bytes(), "p"),
            Err(SealError::Damaged(_))
        ));
    }

    #[test]
    fn a_key_sealed_file_is_not_a_passphrase_file() {
        let id = super::super::Identity::from_random([1; 32]);
        let sealed = super::super::seal(b"x", &[id.recipient()], &[3; 64]).expect("seal");
        assert!(matches!(open(&sealed, "p"), Err(SealError::NotAge(_))));
    }
}
