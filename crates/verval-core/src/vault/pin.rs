//! The enumerator's PIN: which PINs are allowed, the data key wrapped by a key derived from
//! the PIN, and the waits after wrong PINs.
//!
//! The derivation is PBKDF2-HMAC-SHA256 with [`ITERATIONS`] rounds, done by the browser's
//! WebCrypto: native code off the page's thread, no bytes added to any page (126 ms on the
//! build machine; Argon2id measured against it and why it was not chosen: BENCHMARKS.md,
//! `bench/kdf`). The core keeps what was used beside the wrapped key and refuses
//! stored settings weaker than the floor, so a tampered store cannot downgrade the next
//! unlock.
//!
//! Wrong PINs never wipe anything: a phone found on the road keeps its families for the
//! district to recover, and a child pressing keys loses none. Instead each wrong PIN past
//! the first few makes the next try wait longer ([`wait_after`]).

use super::envelope::{open_value, seal_value, Place, NONCE_LEN};
use super::{DataKey, VaultError, KEY_LEN};
use crate::seal::base64::{decode, encode, Alphabet::Url};
use serde::{Deserialize, Serialize};

/// The fewest digits a PIN has.
pub const MIN_DIGITS: usize = 6;
/// PBKDF2-HMAC-SHA256 rounds for a new wrap (OWASP's 2023 figure for SHA-256).
pub const ITERATIONS: u32 = 600_000;
/// The salt's length.
pub const SALT_LEN: usize = 16;

/// The place the wrapped data key is sealed for: it opens nowhere else.
const WRAP_PLACE: Place<'static> = Place {
    store: "vault",
    key: "data-key-by-pin",
};

/// Whether `pin` may be chosen: digits only, at least [`MIN_DIGITS`], not one digit repeated
/// nor a run up or down (`123456`, `987654`), the first PINs anyone tries.
pub fn check_new(pin: &str) -> Result<(), VaultError> {
    let digits: Vec<u8> = pin.bytes().collect();
    if digits.len() < MIN_DIGITS || !digits.iter().all(u8::is_ascii_digit) {
        return Err(VaultError::PinShape { min: MIN_DIGITS });
    }
    if digits.iter().all(|d| *d == digits[0]) {
        return Err(VaultError::PinGuessable(
            "satu angka diulang (one digit repeated)",
        ));
    }
    let steps: Vec<i16> = digits
        .windows(2)
        .map(|w| i16::from(w[1]) - i16::from(w[0]))
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Err(VaultError::PinGuessable("angka berurutan (digits in a run)"));
    }
    Ok(())
}

/// The data key wrapped by a PIN-derived key, with what the derivation used. Kept in the
/// phone's meta store; useless without the PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinWrap {
    /// `pbkdf2-sha256`.
    pub kdf: String,
    pub iterations: u32,
    /// Unpadded base64url.
    pub salt: String,
    /// Unpadded base64url: the data key sealed by [`seal_value`] under the derived key.
    pub wrapped: String,
}

const KDF: &str = "pbkdf2-sha256";

impl PinWrap {
    /// Wraps `key` under `derived` (PBKDF2 of the PIN with `salt` and [`ITERATIONS`]).
    pub fn new(
        key: &DataKey,
        derived: [u8; KEY_LEN],
        salt: [u8; SALT_LEN],
        nonce: [u8; NONCE_LEN],
    ) -> PinWrap {
        let kek = DataKey::from_random(derived);
        PinWrap {
            kdf: KDF.to_owned(),
            iterations: ITERATIONS,
            salt: encode(&salt, Url),
            wrapped: encode(&seal_value(&kek, WRAP_PLACE, key.bytes(), nonce), Url),
        }
    }

    /// The salt and rounds to derive with, once the stored settings are checked.
    pub fn derivation(&self) -> Result<([u8; SALT_LEN], u32), VaultError> {
        let bad = |why: String| VaultError::BadSettings(why);
        if self.kdf != KDF {
            return Err(bad(format!("kdf {:?}", self.kdf)));
        }
        if self.iterations < ITERATIONS {
            return Err(bad(format!(
                "{} putaran, paling sedikit {ITERATIONS} ({} rounds, at least {ITERATIONS})",
                self.iterations, self.iterations
            )));
        }
        let salt = decode(&self.salt, Url)
            .and_then(|s| <[u8; SALT_LEN]>::try_from(s).ok())
            .ok_or_else(|| bad("salt".to_owned()))?;
        Ok((salt, self.iterations))
    }

    /// The data key, with the key derived from the PIN typed. A wrong PIN is `WrongPin`.
    pub fn unwrap(&self, derived: [u8; KEY_LEN]) -> Result<DataKey, VaultError> {
        self.derivation()?;
        let sealed =
            decode(&self.wrapped, Url).ok_or_else(|| VaultError::BadSettings("wrapped".to_owned()))?;
        let kek = DataKey::from_random(derived);
        let opened = open_value(&kek, WRAP_PLACE, &sealed).map_err(|_| VaultError::WrongPin)?;
        let key = <[u8; KEY_LEN]>::try_from(opened.as_slice())
            .map_err(|_| VaultError::BadSettings("wrapped key length".to_owned()))?;
        Ok(DataKey::from_random(key))
    }
}

/// How long the next try must wait after `failures` wrong PINs in a row, in milliseconds:
/// none for the first four (a typo, a second look), then 30 s, doubling to an hour at most.
/// Never a wipe.
pub fn wait_after(failures: u32) -> u64 {
    const FREE: u32 = 4;
    const FIRST_MS: u64 = 30_000;
    const MOST_MS: u64 = 60 * 60 * 1000;
    if failures < FREE {
        return 0;
    }
    let doublings = (failures - FREE).min(16);
    (FIRST_MS << doublings).min(MOST_MS)
}
