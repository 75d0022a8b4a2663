//! The district's public keys as the hub hands them to phones (at enrolment, in the
//! assignment file), and the phone's pin on them: the first keys a phone gets are pinned and
//! their fingerprints shown for staff to compare; different keys later are only offered, and
//! replace the pinned ones when the district confirms the change on the phone. A phone that
//! has keys never stops sealing: no list, however it arrives, unpins them.

use super::keys::Recipient;
use super::SealError;
use serde::{Deserialize, Serialize};

/// The fewest keys a district hands out: its own and a break-glass key held by another
/// office, so one lost key loses no data.
pub const AT_LEAST: usize = 2;

/// One public key as handed to phones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedKey {
    /// `age1…`
    pub recipient: String,
    /// [`Recipient::fingerprint`], shown for people to compare.
    pub fingerprint: String,
    /// Whose key it is (`Dinsos Kab. Probolinggo`).
    pub label: String,
}

impl PublishedKey {
    pub fn of(recipient: &Recipient, label: &str) -> PublishedKey {
        PublishedKey {
            recipient: recipient.encode(),
            fingerprint: recipient.fingerprint(),
            label: label.to_owned(),
        }
    }
}

/// The keys of a list, each checked against its fingerprint, and at least [`AT_LEAST`].
pub fn recipients(keys: &[PublishedKey]) -> Result<Vec<Recipient>, SealError> {
    if keys.len() < AT_LEAST {
        return Err(SealError::TooFewKeys(keys.len()));
    }
    keys.iter()
        .map(|key| {
            let recipient = Recipient::parse(&key.recipient)?;
            if recipient.fingerprint() != key.fingerprint {
                return Err(SealError::BadRecipient(format!(
                    "{}: sidik jari tidak cocok dengan kuncinya (the fingerprint does not match the key)",
                    key.label
                )));
            }
            Ok(recipient)
        })
        .collect()
}

/// The phone's keys: those it seals to, and a different list waiting for confirmation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPin {
    pub pinned: Vec<PublishedKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<PublishedKey>,
}

/// What an offered list did to the pin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// The phone had none: these are pinned now (show their fingerprints).
    Pinned,
    /// The same keys as pinned (any earlier offer of others is dropped).
    Same,
    /// Other keys: waiting for the district's confirmation on the phone.
    Changed,
    /// No keys offered (a hub that has fewer than two): nothing changes.
    Nothing,
}

impl KeyPin {
    /// Takes a list from the hub or an assignment file. A list that does not check is
    /// refused whole and changes nothing.
    pub fn offer(&mut self, keys: &[PublishedKey]) -> Result<Offer, SealError> {
        if keys.is_empty() {
            return Ok(Offer::Nothing);
        }
        recipients(keys)?;
        if self.pinned.is_empty() {
            self.pinned = keys.to_vec();
            self.offered.clear();
            return Ok(Offer::Pinned);
        }
        if same_keys(&self.pinned, keys) {
            self.offered.clear();
            return Ok(Offer::Same);
        }
        self.offered = keys.to_vec();
        Ok(Offer::Changed)
    }

    /// The district confirmed the offered keys: they replace the pinned ones. `false` when
    /// nothing was offered.
    pub fn confirm(&mut self) -> bool {
        if self.offered.is_empty() {
            return false;
        }
        self.pinned = std::mem::take(&mut self.offered);
        true
    }

    /// The keys to seal to: `None` on a phone that never got keys. Pinned keys that no longer
    /// check are an error, never a reason to write a plain file.
    pub fn seal_to(&self) -> Result<Option<Vec<Recipient>>, SealError> {
        if self.pinned.is_empty() {
            return Ok(None);
        }
        recipients(&self.pinned).map(Some)
    }
}

/// The same recipients, in any order.
fn same_keys(a: &[PublishedKey], b: &[PublishedKey]) -> bool {
    let mut a: Vec<&str> = a.iter().map(|k| k.recipient.as_str()).collect();
    let mut b: Vec<&str> = b.iter().map(|k| k.recipient.as_str()).collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

#[cfg(test)]
mod tests {
    use super::super::Identity;
    use super::*;

    fn key(n: u8) -> PublishedKey {
        PublishedKey::of(&Identity::from_random([n; 32]).recipient(), &format!("kunci {n}"))
    }

    #[test]
    fn the_first_keys_are_pinned_and_others_wait_for_confirmation() {
        let mut pin = KeyPin::default();
        assert_eq!(pin.seal_to(), Ok(None), "no keys: nothing to seal to");
        assert_eq!(pin.offer(&[]), Ok(Offer::Nothing));
        assert_eq!(pin.offer(&[key(1), key(2)]), Ok(Offer::Pinned));
        assert_eq!(pin.seal_to().expect("keys").map(|r| r.len()), Some(2));
        assert_eq!(
            pin.offer(&[key(2), key(1)]),
            Ok(Offer::Same),
            "order does not matter"
        );
        assert_eq!(pin.offer(&[key(1), key(3)]), Ok(Offer::Changed));
        assert_eq!(
            pin.pinned,
            vec![key(1), key(2)],
            "still sealing to the confirmed keys"
        );
        assert_eq!(pin.offer(&[]), Ok(Offer::Nothing), "an empty list never unpins");
        assert_eq!(pin.pinned.len(), 2);
        assert!(pin.confirm());
        assert_eq!(pin.pinned, vec![key(1), key(3)]);
        assert!(!pin.confirm(), "nothing more to confirm");
        // An offer of the pinned keys again drops a pending change.
        pin.offer(&[key(4), key(5)]).expect("offer");
        assert_eq!(pin.offer(&[key(1), key(3)]), Ok(Offer::Same));
        assert!(pin.offered.is_empty());
    }

    #[test]
    fn a_list_that_does_not_check_changes_nothing() {
        let mut pin = KeyPin::default();
        assert_eq!(pin.offer(&[key(1)]), Err(SealError::TooFewKeys(1)));
        let mut wrong = key(2);
        wrong.fingerprint = key(3).fingerprint;
        assert!(matches!(
            pin.offer(&[key(1), wrong]),
            Err(SealError::BadRecipient(_))
        ));
        let mut broken = key(2);
        broken.recipient.push('x');
        assert!(pin.offer(&[key(1), broken]).is_err());
        assert_eq!(pin, KeyPin::default());
        // Pinned keys damaged in storage: an error, not a plain batch.
        let damaged = KeyPin {
            pinned: vec![key(1)],
            offered: vec![],
        };
        assert!(damaged.seal_to().is_err());
    }
}
