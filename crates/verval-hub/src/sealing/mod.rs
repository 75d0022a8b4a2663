//! Sealed batches on the hub (issue #22): the district's public keys handed to phones
//! ([`keys`]), its private key held in memory once an admin unlocks it ([`keyring`]), sealed
//! batches kept as they arrive ([`store`]) and opened with the key ([`open`]); phones'
//! forgotten PINs ([`escrow`]) and backups moved to a new phone ([`phone_backup`]).
//!
//! The private key is never in the database, never in a log, never on disk except in the
//! passphrase-protected file `verval-hub key generate` wrote.

pub mod escrow;
pub mod keyring;
pub mod keys;
pub mod open;
pub mod phone_backup;
pub mod store;

pub use keyring::Keyring;

/// Whether `typed` (a code read out over the telephone: dashes, spaces and case ignored) is
/// the fingerprint `shown`. Binds an answer to the phone in the enumerator's hand.
pub fn codes_match(typed: &str, shown: &str) -> bool {
    let plain = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let typed = plain(typed);
    !typed.is_empty() && typed == plain(shown)
}

/// Fresh randomness for sealing to one recipient.
pub fn entropy_for_one() -> Result<Vec<u8>, getrandom::Error> {
    let mut entropy = vec![0u8; verval_core::seal::entropy_len(1)];
    getrandom::fill(&mut entropy)?;
    Ok(entropy)
}

#[cfg(test)]
mod tests {
    use super::codes_match;

    #[test]
    fn a_code_read_out_matches_however_it_was_typed_and_nothing_else_does() {
        let shown = "3F2A-91C0-7B44-E01D-55A2";
        assert!(codes_match(shown, shown));
        assert!(codes_match("3f2a 91c0 7b44 e01d 55a2", shown));
        assert!(!codes_match("3F2A-91C0-7B44-E01D-55A3", shown));
        assert!(!codes_match("3F2A-91C0", shown));
        assert!(!codes_match("", ""), "no code is not a match");
    }
}
