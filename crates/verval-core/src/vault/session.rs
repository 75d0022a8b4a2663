//! One unlocked session across the app's pages. The app is several pages, each its own wasm
//! module, so the data key must outlive a page load without being stored: at unlock the
//! phone draws a random session key (kept in IndexedDB) and keeps the data key sealed under
//! it in the tab's `sessionStorage`, with the time of the enumerator's last touch. Neither
//! half opens anything alone; locking deletes the session key, so every tab's sealed copy
//! goes dead at once, and a tab idle longer than [`IDLE_LOCK_MS`] locks.

use super::envelope::{open_value, seal_value, Place, NONCE_LEN};
use super::{DataKey, VaultError, KEY_LEN};

/// How long a phone may lie untouched before it locks: long enough for a family to fetch
/// its KK from the cupboard mid-interview, short enough that a phone left on a bench locks
/// before someone else picks it up.
pub const IDLE_LOCK_MS: i64 = 10 * 60 * 1000;

/// Where the sealed data key "is kept": the associated data that binds it to its session.
fn place(session_id: &str) -> Place<'_> {
    Place {
        store: "session",
        key: session_id,
    }
}

/// The data key sealed under the session key of session `session_id`.
pub fn seal_for_session(
    key: &DataKey,
    session: &DataKey,
    session_id: &str,
    nonce: [u8; NONCE_LEN],
) -> Vec<u8> {
    seal_value(session, place(session_id), key.bytes(), nonce)
}

/// Opens what [`seal_for_session`] wrote; another session's key or id does not open it.
pub fn open_from_session(sealed: &[u8], session: &DataKey, session_id: &str) -> Result<DataKey, VaultError> {
    let plain = open_value(session, place(session_id), sealed)?;
    let bytes = <[u8; KEY_LEN]>::try_from(plain.as_slice())
        .map_err(|_| VaultError::Damaged(format!("session/{session_id}: not a key")))?;
    Ok(DataKey::from_random(bytes))
}

/// Whether a session last touched at `active_at` has gone idle at `now`. A touch "in the
/// future" (a clock set back) counts as idle too: the phone cannot tell how long it lay.
pub fn idle(active_at: i64, now: i64) -> bool {
    now < active_at || now - active_at > IDLE_LOCK_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::escrow::key_id;

    fn key(byte: u8) -> DataKey {
        DataKey::from_random([byte; KEY_LEN])
    }

    #[test]
    fn a_sealed_data_key_opens_only_with_its_session_key_and_id() {
        let sealed = seal_for_session(&key(1), &key(2), "s1", [9; NONCE_LEN]);
        let opened = open_from_session(&sealed, &key(2), "s1").unwrap();
        assert_eq!(key_id(&opened), key_id(&key(1)));
        assert!(matches!(
            open_from_session(&sealed, &key(3), "s1"),
            Err(VaultError::Damaged(_))
        ));
        assert!(matches!(
            open_from_session(&sealed, &key(2), "s2"),
            Err(VaultError::Damaged(_))
        ));
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(open_from_session(&changed, &key(2), "s1").is_err());
    }

    #[test]
    fn the_data_key_is_not_in_its_sealed_form() {
        let sealed = seal_for_session(&key(7), &key(2), "s1", [0; NONCE_LEN]);
        assert!(!sealed.windows(KEY_LEN).any(|w| w == [7u8; KEY_LEN]));
    }

    #[test]
    fn idle_after_the_limit_and_when_the_clock_went_back() {
        let t = 1_700_000_000_000;
        assert!(!idle(t, t));
        assert!(!idle(t, t + IDLE_LOCK_MS));
        assert!(idle(t, t + IDLE_LOCK_MS + 1));
        assert!(idle(t, t - 1));
    }
}
