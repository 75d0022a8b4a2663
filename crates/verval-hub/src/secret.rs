//! Secrets: random tokens and codes (kept only as SHA-256 hashes) and the admin password
//! (an argon2 hash).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use verval_core::export::canonical::sha256_hex;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A bearer token: 32 random bytes as hex.
pub fn new_token() -> Result<String, SecretError> {
    Ok(random_bytes::<32>()?.iter().map(|b| format!("{b:02x}")).collect())
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed from
/// paper (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
/// Characters in an enrolment code: 25^10 ≈ 10^14, and each code is single-use and expires.
pub const CODE_LENGTH: usize = 10;

/// A one-time enrolment code, e.g. `KM4T-QX7R-AC`.
pub fn new_code() -> Result<String, SecretError> {
    let bytes = random_bytes::<CODE_LENGTH>()?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect())
}

/// A code as typed (lower case, dashes, spaces) reduced to its characters.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A code grouped for reading: `KM4T-QX7R-AC`.
pub fn display_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// How tokens and codes are stored: their SHA-256 (they are random and long, so no salt or
/// slow hash is needed; the database never holds one that works).
pub fn hash_token(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn hash_password(password: &str) -> Result<String, SecretError> {
    let salt =
        SaltString::encode_b64(&random_bytes::<16>()?).map_err(|e| SecretError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SecretError::Hash(e.to_string()))
}

pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_unambiguous_and_forgiving_when_typed() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(code, new_code().unwrap());
        let shown = display_code(&code);
        assert_eq!(shown.len(), CODE_LENGTH + 2);
        assert_eq!(normalize_code(&shown.to_lowercase().replace('-', " ")), code);
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let stored = hash_password("kabupaten-3513").unwrap();
        assert!(stored.starts_with("$argon2"));
        assert!(password_matches("kabupaten-3513", &stored));
        assert!(!password_matches("kabupaten-3514", &stored));
        assert!(!password_matches("kabupaten-3513", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token().unwrap());
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
    }
}
