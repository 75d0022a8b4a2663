//! The district's public keys as the hub hands them to phones (at enrolment, in the
//! assignment file), and the phone's pin on them. Keys that come over the phone's own
//! connection to its hub (enrolment with a one-time code, then its device token) are pinned
//! when the phone has none, their fingerprints shown for staff to compare. Keys in a file or
//! a link — which anyone can forge and forward — are only offered, even to a phone with
//! none, and are used once someone has compared their fingerprints with the district's key
//! book and confirmed them on the phone; so are different keys later, however they come. A
//! phone that has keys never stops sealing: no list, however it arrives, unpins them.

use super::base64::{decode as b64_decode, encode as b64_encode, Alphabet::Url};
use super::keys::Recipient;
use super::SealError;
use crate::text::Message;
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
    // The same key twice is one key: it must not count towards the two.
    let repeated = |(at, key): &(usize, &PublishedKey)| {
        keys[..*at]
            .iter()
            .any(|earlier| earlier.recipient == key.recipient)
    };
    if let Some((_, key)) = keys.iter().enumerate().find(repeated) {
        return Err(SealError::BadRecipient(format!(
            "{}: kunci yang sama tercantum dua kali (the same key is listed twice)",
            key.label
        )));
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

/// The start of the address fragment of a key link (`https://hub/ekspor.html#kunci=…`), the
/// address a hub's key QR holds: a phone's camera opens it in the app, which offers the keys
/// as an assignment file would. In the fragment, the keys never reach a server.
pub const LINK_FRAGMENT: &str = "kunci=";

/// A fragment longer than this is no key link (two keys take ~400 characters).
const LINK_FRAGMENT_MAX: usize = 8 * 1024;

/// The fragment (without `#`) that carries `keys`: their list as JSON, in unpadded base64url.
pub fn link_fragment(keys: &[PublishedKey]) -> String {
    // A list of strings always serializes.
    let json = serde_json::to_vec(keys).unwrap_or_default();
    format!("{LINK_FRAGMENT}{}", b64_encode(&json, Url))
}

/// The keys a link's fragment (with or without `#`) carries, checked as any list is: `None`
/// when it is no key link.
pub fn keys_in_fragment(fragment: &str) -> Option<Result<Vec<PublishedKey>, SealError>> {
    let encoded = fragment.trim_start_matches('#').strip_prefix(LINK_FRAGMENT)?;
    let damaged =
        |why: &str| SealError::BadRecipient(format!("tautan kunci rusak (the key link is damaged): {why}"));
    let read = || {
        if encoded.len() > LINK_FRAGMENT_MAX {
            return Err(damaged("too long"));
        }
        let json = b64_decode(encoded, Url).ok_or_else(|| damaged("not base64url"))?;
        let keys: Vec<PublishedKey> = serde_json::from_slice(&json).map_err(|e| damaged(&e.to_string()))?;
        recipients(&keys)?;
        Ok(keys)
    };
    Some(read())
}

/// What a phone says when a list of keys it was handed does not check.
pub fn refused(e: &SealError) -> Message {
    Message::new(
        format!("Kunci dinas ditolak; kunci di perangkat tidak berubah: {e}"),
        format!("The district keys were refused; the device's keys are unchanged: {e}"),
    )
}

/// The phone's keys: those it seals to, and a different list waiting for confirmation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPin {
    pub pinned: Vec<PublishedKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<PublishedKey>,
}

/// How a list of keys reached the phone, which decides whether it may pin them unasked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The phone's own connection to the hub it enrolled with: the enrolment answer, a sync
    /// round's answer, an assignment downloaded with its device token.
    Hub,
    /// A file or a link someone handed over: an assignment or review file, a key QR.
    Handed,
}

/// What an offered list did to the pin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// The phone had none and its hub sent these: pinned now (show their fingerprints).
    Pinned,
    /// The phone had none and these were handed over: they wait until someone compares
    /// their fingerprints with the district's key book and confirms them on the phone.
    ToCheck,
    /// The same keys as pinned (any earlier offer of others is dropped).
    Same,
    /// Other keys: waiting for the district's confirmation on the phone.
    Changed,
    /// No keys offered (a hub that has fewer than two): nothing changes.
    Nothing,
}

impl Offer {
    /// What the phone tells its user, when the offer changed something they should know.
    pub fn news(self) -> Option<Message> {
        let (id, en) = match self {
            Offer::Pinned => (
                "Kunci dinas diterima: setiap batch kini disegel. Cocokkan sidik jarinya di halaman Kirim dan ekspor.",
                "District keys received: every batch is now sealed. Compare their fingerprints on the Send and export page.",
            ),
            Offer::ToCheck => (
                "Kunci dinas diterima, belum dipakai: cocokkan sidik jarinya dengan buku kunci dinas lalu konfirmasi di halaman Kirim dan ekspor.",
                "District keys received, not used yet: compare their fingerprints with the district's key book, then confirm them on the Send and export page.",
            ),
            Offer::Changed => (
                "Kunci dinas berubah: konfirmasi bersama dinas di halaman Kirim dan ekspor.",
                "The district keys changed: confirm them with the district on the Send and export page.",
            ),
            Offer::Same | Offer::Nothing => return None,
        };
        Some(Message::new(id.to_owned(), en.to_owned()))
    }
}

impl KeyPin {
    /// Takes a list that came by `channel`. A list that does not check is refused whole and
    /// changes nothing.
    pub fn offer(&mut self, keys: &[PublishedKey], channel: Channel) -> Result<Offer, SealError> {
        if keys.is_empty() {
            return Ok(Offer::Nothing);
        }
        recipients(keys)?;
        if self.pinned.is_empty() {
            if channel == Channel::Handed {
                self.offered = keys.to_vec();
                return Ok(Offer::ToCheck);
            }
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

/// The same recipients, in any order (lists of a few keys: no sorting code for the phone).
fn same_keys(a: &[PublishedKey], b: &[PublishedKey]) -> bool {
    let within = |x: &[PublishedKey], y: &[PublishedKey]| {
        x.iter().all(|k| y.iter().any(|o| o.recipient == k.recipient))
    };
    a.len() == b.len() && within(a, b) && within(b, a)
}

#[cfg(test)]
mod tests {
    use super::super::Identity;
    use super::*;

    fn key(n: u8) -> PublishedKey {
        PublishedKey::of(&Identity::from_random([n; 32]).recipient(), &format!("kunci {n}"))
    }

    #[test]
    fn the_first_keys_from_the_hub_are_pinned_and_others_wait_for_confirmation() {
        use Channel::Hub;
        let mut pin = KeyPin::default();
        assert_eq!(pin.seal_to(), Ok(None), "no keys: nothing to seal to");
        assert_eq!(pin.offer(&[], Hub), Ok(Offer::Nothing));
        assert_eq!(pin.offer(&[key(1), key(2)], Hub), Ok(Offer::Pinned));
        assert_eq!(pin.seal_to().expect("keys").map(|r| r.len()), Some(2));
        assert_eq!(
            pin.offer(&[key(2), key(1)], Hub),
            Ok(Offer::Same),
            "order does not matter"
        );
        assert_eq!(pin.offer(&[key(1), key(3)], Hub), Ok(Offer::Changed));
        assert_eq!(
            pin.pinned,
            vec![key(1), key(2)],
            "still sealing to the confirmed keys"
        );
        assert_eq!(
            pin.offer(&[], Hub),
            Ok(Offer::Nothing),
            "an empty list never unpins"
        );
        assert_eq!(pin.pinned.len(), 2);
        assert!(pin.confirm());
        assert_eq!(pin.pinned, vec![key(1), key(3)]);
        assert!(!pin.confirm(), "nothing more to confirm");
        // An offer of the pinned keys again drops a pending change.
        pin.offer(&[key(4), key(5)], Hub).expect("offer");
        assert_eq!(pin.offer(&[key(1), key(3)], Hub), Ok(Offer::Same));
        assert!(pin.offered.is_empty());
    }

    #[test]
    fn keys_handed_over_in_a_file_or_link_are_never_used_unconfirmed() {
        use Channel::{Handed, Hub};
        // A forwarded link reaches a phone with no keys: nothing is pinned, nothing sealed
        // to a stranger's keys until someone compared the fingerprints and confirmed.
        let mut pin = KeyPin::default();
        assert_eq!(pin.offer(&[key(8), key(9)], Handed), Ok(Offer::ToCheck));
        assert!(pin.pinned.is_empty());
        assert_eq!(pin.seal_to(), Ok(None));
        assert_eq!(pin.offered, vec![key(8), key(9)]);
        assert!(Offer::ToCheck.news().is_some(), "the user is told to check them");
        // The hub's own keys arriving meanwhile are pinned, and drop the stranger's offer.
        assert_eq!(pin.offer(&[key(1), key(2)], Hub), Ok(Offer::Pinned));
        assert!(pin.offered.is_empty());
        // Once pinned, a handed list of the same keys changes nothing and others wait.
        assert_eq!(pin.offer(&[key(2), key(1)], Handed), Ok(Offer::Same));
        assert_eq!(pin.offer(&[key(8), key(9)], Handed), Ok(Offer::Changed));
        assert_eq!(pin.pinned, vec![key(1), key(2)]);
        // Confirmed after the check: now used.
        let mut checked = KeyPin::default();
        checked.offer(&[key(1), key(2)], Handed).expect("offer");
        assert!(checked.confirm());
        assert_eq!(checked.seal_to().expect("keys").map(|r| r.len()), Some(2));
    }

    #[test]
    fn a_list_that_does_not_check_changes_nothing() {
        let mut pin = KeyPin::default();
        assert_eq!(pin.offer(&[key(1)], Channel::Hub), Err(SealError::TooFewKeys(1)));
        let mut wrong = key(2);
        wrong.fingerprint = key(3).fingerprint;
        assert!(matches!(
            pin.offer(&[key(1), wrong], Channel::Hub),
            Err(SealError::BadRecipient(_))
        ));
        let mut broken = key(2);
        broken.recipient.push('x');
        assert!(pin.offer(&[key(1), broken], Channel::Hub).is_err());
        // One key listed twice (under two names) is still one key, not the two needed.
        let mut again = key(1);
        again.label = "kunci cadangan".to_owned();
        let err = pin
            .offer(&[key(1), again], Channel::Hub)
            .expect_err("one key twice");
        assert!(err.to_string().contains("dua kali"), "{err}");
        assert_eq!(pin, KeyPin::default());
        // Pinned keys damaged in storage: an error, not a plain batch.
        let damaged = KeyPin {
            pinned: vec![key(1)],
            offered: vec![],
        };
        assert!(damaged.seal_to().is_err());
    }

    #[test]
    fn a_key_link_carries_the_list_checked() {
        let keys = vec![key(1), key(2)];
        let fragment = link_fragment(&keys);
        assert!(
            fragment.len() < 600,
            "small enough for a QR a phone scans: {}",
            fragment.len()
        );
        assert!(
            fragment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "=-_".contains(c)),
            "nothing to escape in an address: {fragment}"
        );
        assert_eq!(keys_in_fragment(&format!("#{fragment}")), Some(Ok(keys.clone())));
        assert_eq!(keys_in_fragment(&fragment), Some(Ok(keys.clone())));
        assert_eq!(keys_in_fragment(""), None, "no fragment");
        assert_eq!(keys_in_fragment("#baru"), None, "another page's fragment");

        let one = link_fragment(&keys[..1]);
        assert_eq!(keys_in_fragment(&one), Some(Err(SealError::TooFewKeys(1))));
        let mut forged = keys.clone();
        forged[0].recipient = key(3).recipient;
        assert!(matches!(
            keys_in_fragment(&link_fragment(&forged)),
            Some(Err(SealError::BadRecipient(_)))
        ));
        for bad in [
            "kunci=%%%",
            "kunci=bm90IGpzb24",
            &format!("kunci={}", "A".repeat(9000)),
        ] {
            assert!(
                matches!(keys_in_fragment(bad), Some(Err(SealError::BadRecipient(_)))),
                "{bad:.40} is refused"
            );
        }
    }
}
