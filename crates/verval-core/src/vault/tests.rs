use super::envelope::{is_sealed, open_value, seal_value, Place, NONCE_LEN};
use super::escrow::{
    answer_written, check_key_id, from_text, key_id, open_answer, reseal_for, seal_key, to_text,
    WrittenRequest,
};
use super::pin::{check_new, wait_after, PinWrap, ITERATIONS, SALT_LEN};
use super::restore::{choose, Choice};
use super::{DataKey, VaultError, KEY_LEN};
use crate::record::{HouseholdRecord, Timestamp};
use crate::seal::{entropy_len, Identity, SealError};
use crate::RecordId;

const HOUSEHOLD: Place<'static> = Place {
    store: "households",
    key: "5f0c3a52-9b1e-4c8e-a0d2-6c1f0e9b7a10",
};

fn key(seed: u8) -> DataKey {
    DataKey::from_random([seed; KEY_LEN])
}

fn nonce(seed: u8) -> [u8; NONCE_LEN] {
    [seed; NONCE_LEN]
}

fn entropy(recipients: usize, seed: u8) -> Vec<u8> {
    (0..entropy_len(recipients))
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[test]
fn a_value_opens_with_its_key_in_its_place_and_nowhere_else() {
    let plain = br#"{"nik":"3513140101900001","nama":"SLAMET"}"#;
    let sealed = seal_value(&key(1), HOUSEHOLD, plain, nonce(7));
    assert!(is_sealed(&sealed));
    assert!(!is_sealed(plain), "plain JSON is told apart during the migration");
    for needle in [&b"3513140101900001"[..], b"SLAMET"] {
        assert!(
            !sealed.windows(needle.len()).any(|w| w == needle),
            "nothing of the value readable"
        );
    }
    assert_eq!(
        open_value(&key(1), HOUSEHOLD, &sealed).expect("opens").as_slice(),
        plain
    );
    assert_ne!(
        sealed,
        seal_value(&key(1), HOUSEHOLD, plain, nonce(8)),
        "another nonce, other bytes"
    );

    let refused = |bytes: &[u8], key: &DataKey, place: Place<'_>| {
        matches!(open_value(key, place, bytes), Err(VaultError::Damaged(_)))
    };
    assert!(refused(&sealed, &key(2), HOUSEHOLD), "another key");
    let elsewhere = Place {
        store: "households",
        key: "0a9b8c7d-0000-4000-8000-000000000000",
    };
    assert!(
        refused(&sealed, &key(1), elsewhere),
        "copied to another household"
    );
    let other_store = Place {
        store: "photos",
        key: HOUSEHOLD.key,
    };
    assert!(refused(&sealed, &key(1), other_store), "moved to another store");
    // The store and key are length-prefixed: no split of one reads as another.
    let shifted = Place {
        store: "households\n36:5f0c",
        key: "3a52",
    };
    assert!(refused(&sealed, &key(1), shifted));
    for at in [0, 3, 20, sealed.len() / 2, sealed.len() - 1] {
        let mut flipped = sealed.clone();
        flipped[at] ^= 1;
        assert!(refused(&flipped, &key(1), HOUSEHOLD), "a bit flipped at {at}");
    }
    for cut in [0, 2, 3, 26, 3 + NONCE_LEN + 15] {
        assert!(refused(&sealed[..cut], &key(1), HOUSEHOLD), "cut at {cut}");
    }
    // The message names the place, never the value.
    let err = open_value(&key(2), HOUSEHOLD, &sealed)
        .expect_err("wrong key")
        .to_string();
    assert!(
        err.contains("households/5f0c3a52") && !err.contains("SLAMET"),
        "{err}"
    );
}

#[test]
fn an_empty_value_and_a_large_one_round_trip() {
    for plain in [Vec::new(), vec![0xa5; 3 * 1024 * 1024]] {
        let sealed = seal_value(&key(3), HOUSEHOLD, &plain, nonce(1));
        assert_eq!(sealed.len(), plain.len() + 3 + NONCE_LEN + 16);
        assert_eq!(
            open_value(&key(3), HOUSEHOLD, &sealed).expect("opens").as_slice(),
            plain.as_slice()
        );
    }
}

#[test]
fn a_pin_is_six_digits_or_more_and_not_the_first_ones_tried() {
    for good in ["493817", "0591370", "20261205", "102938475"] {
        assert_eq!(check_new(good), Ok(()), "{good}");
    }
    for short_or_not_digits in ["", "12345", "49381a", "4938 17", "４９３８１７", "493817\n"] {
        assert_eq!(
            check_new(short_or_not_digits),
            Err(VaultError::PinShape { min: 6 }),
            "{short_or_not_digits:?}"
        );
    }
    for guessable in ["000000", "777777777", "123456", "3456789", "987654", "0123456789"] {
        assert!(
            matches!(check_new(guessable), Err(VaultError::PinGuessable(_))),
            "{guessable}"
        );
    }
}

#[test]
fn the_data_key_unwraps_with_the_pins_key_only() {
    let data = key(9);
    let derived = [0x42; KEY_LEN];
    let salt = [0x11; SALT_LEN];
    let wrap = PinWrap::new(&data, derived, salt, nonce(3));
    assert_eq!(wrap.derivation(), Ok((salt, ITERATIONS)));
    let wrapped =
        crate::seal::base64::decode(&wrap.wrapped, crate::seal::base64::Alphabet::Url).expect("base64url");
    assert!(
        !wrapped.windows(KEY_LEN).any(|w| w == [9; KEY_LEN]),
        "the key is not in the wrap"
    );
    let opened = wrap.unwrap(derived).expect("the PIN's key");
    assert_eq!(key_id(&opened), key_id(&data));
    assert!(matches!(wrap.unwrap([0x43; KEY_LEN]), Err(VaultError::WrongPin)));

    // Kept as JSON in the meta store, read back the same.
    let json = serde_json::to_string(&wrap).expect("json");
    assert_eq!(serde_json::from_str::<PinWrap>(&json).expect("read"), wrap);

    // A store changed to weaken the next unlock is refused, not obeyed.
    let mut weaker = wrap.clone();
    weaker.iterations = 1_000;
    assert!(matches!(weaker.derivation(), Err(VaultError::BadSettings(_))));
    assert!(matches!(weaker.unwrap(derived), Err(VaultError::BadSettings(_))));
    let mut other_kdf = wrap.clone();
    other_kdf.kdf = "none".to_owned();
    assert!(matches!(other_kdf.derivation(), Err(VaultError::BadSettings(_))));
    for salt in ["", "%%", "AAAA", &"A".repeat(40)] {
        let mut bad = wrap.clone();
        bad.salt = salt.to_owned();
        assert!(
            matches!(bad.derivation(), Err(VaultError::BadSettings(_))),
            "{salt:?}"
        );
    }
    let mut cut = wrap.clone();
    cut.wrapped.truncate(10);
    assert!(cut.unwrap(derived).is_err());
}

#[test]
fn wrong_pins_make_the_next_try_wait_longer_never_forever() {
    assert_eq!((0..4).map(wait_after).collect::<Vec<_>>(), [0, 0, 0, 0]);
    assert_eq!(wait_after(4), 30_000);
    assert_eq!(wait_after(5), 60_000);
    assert_eq!(wait_after(6), 120_000);
    assert_eq!(wait_after(11), 3_600_000, "an hour at most");
    assert_eq!(wait_after(u32::MAX), 3_600_000);
    let waits: Vec<u64> = (0..200).map(wait_after).collect();
    assert!(
        waits.windows(2).all(|w| w[0] <= w[1]),
        "never shorter after another wrong PIN"
    );
}

#[test]
fn a_forgotten_pin_is_answered_by_the_district_without_the_key_travelling_plain() {
    let district = Identity::from_random([21; 32]);
    let spare = Identity::from_random([22; 32]);
    let data = key(5);
    let escrow = seal_key(&data, &[district.recipient(), spare.recipient()], &entropy(2, 1)).expect("escrow");
    assert!(
        !escrow.windows(KEY_LEN).any(|w| w == [5; KEY_LEN]),
        "the key is sealed"
    );

    // The phone shows a one-time key; the district (either key) seals the data key to it.
    let one_time = Identity::from_random([23; 32]);
    for holder in [&district, &spare] {
        let answer = reseal_for(
            &escrow,
            std::slice::from_ref(holder),
            &one_time.recipient(),
            &entropy(1, 2),
        )
        .expect("resealed");
        assert!(!answer.windows(KEY_LEN).any(|w| w == [5; KEY_LEN]));
        let back = open_answer(&answer, &one_time, &key_id(&data)).expect("the phone's key");
        assert_eq!(key_id(&back), key_id(&data));
        // Only the one-time key opens the answer; the district's does not.
        assert_eq!(
            open_answer(&answer, &district, &key_id(&data)).map(|k| key_id(&k)),
            Err(VaultError::Seal(SealError::NoMatchingKey))
        );
    }
    // Someone without the district's key cannot answer.
    assert_eq!(
        reseal_for(
            &escrow,
            std::slice::from_ref(&one_time),
            &one_time.recipient(),
            &entropy(1, 3)
        )
        .map(|_| ()),
        Err(VaultError::Seal(SealError::NoMatchingKey))
    );
    // An answer holding another phone's key is refused by its id.
    let other = seal_key(&key(6), &[district.recipient()], &entropy(1, 4)).expect("escrow");
    let wrong = reseal_for(
        &other,
        std::slice::from_ref(&district),
        &one_time.recipient(),
        &entropy(1, 5),
    )
    .expect("reseal");
    assert!(matches!(
        open_answer(&wrong, &one_time, &key_id(&data)),
        Err(VaultError::Damaged(_))
    ));
    // Something else than a data key sealed to the district is not taken for one.
    let short = crate::seal::seal(&[1; 16], &[district.recipient()], &entropy(1, 6)).expect("seal");
    assert!(matches!(
        reseal_for(&short, &[district], &one_time.recipient(), &entropy(1, 7)),
        Err(VaultError::Damaged(_))
    ));
}

#[test]
fn key_ids_differ_per_key_and_show_nothing_of_it() {
    let id = key_id(&key(1));
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(id, key_id(&key(2)));
    assert!(!id.contains("0101010101"));
    assert_eq!(format!("{:?}", key(1)), "DataKey(…)");
}

fn household(revision: u32, finalized: bool, updated: i64) -> HouseholdRecord {
    let mut record = HouseholdRecord::new(RecordId::from_random_bytes([4; 16]), Timestamp(1));
    record.revision = revision;
    if finalized {
        record.finalize(Timestamp(updated));
    }
    record.updated_at = Timestamp(updated);
    record
}

#[test]
fn a_restore_never_overwrites_a_newer_household() {
    let backup = household(2, false, 500);
    assert_eq!(choose(None, &backup), Choice::Add);
    // Newer on the phone: a later revision, its final, or the same draft edited later.
    for phone in [
        household(3, false, 100),
        household(2, true, 100),
        household(2, false, 600),
    ] {
        assert_eq!(choose(Some(&phone), &backup), Choice::Keep, "{phone:?}");
    }
    // Newer in the backup.
    for phone in [household(1, true, 900), household(2, false, 400)] {
        assert_eq!(choose(Some(&phone), &backup), Choice::Replace, "{phone:?}");
    }
    let finalized = household(2, true, 450);
    assert_eq!(
        choose(Some(&household(2, false, 900)), &finalized),
        Choice::Replace
    );
    // The same household restored twice: the second time changes nothing.
    assert_eq!(choose(Some(&backup), &backup), Choice::Keep);
}

#[test]
fn an_escrow_travels_as_text_and_anything_else_is_refused() {
    let district = Identity::from_random([31; 32]);
    let escrow = seal_key(&key(8), &[district.recipient()], &entropy(1, 8)).expect("escrow");
    let text = to_text(&escrow);
    assert_eq!(from_text(&text).expect("read back"), escrow);
    assert_eq!(from_text(&format!(" {text}\n")).expect("trimmed"), escrow);
    for bad in [
        "",
        "not base64!",
        &to_text(b"PK\x03\x04 a zip"),
        &"A".repeat(8000),
    ] {
        assert!(matches!(from_text(bad), Err(VaultError::Damaged(_))), "{bad:.20}");
    }
    assert_eq!(check_key_id(&key_id(&key(8))), Ok(()));
    for bad in ["", "ABCDEF0123456789abcdef0123456789", "0123", &"g".repeat(32)] {
        assert!(check_key_id(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_forgotten_pin_asked_in_writing_survives_a_chat_app_and_anything_else_is_refused() {
    let district = Identity::from_random([32; 32]);
    let phone_key = key(9);
    let one_time = Identity::from_random([33; 32]);
    let asked = WrittenRequest {
        one_time: one_time.recipient(),
        key_id: key_id(&phone_key),
        escrow: seal_key(&phone_key, &[district.recipient()], &entropy(1, 9)).expect("escrow"),
    };
    let text = asked.to_text();
    assert!(text.starts_with("verval-lupa-pin-1.age1"), "{text:.30}");
    assert_eq!(WrittenRequest::parse(&text), Ok(asked.clone()));
    // A chat app folds a long line and adds a line break at the end.
    let (head, tail) = text.split_at(70);
    assert_eq!(
        WrittenRequest::parse(&format!("{head}\n {tail}\n")),
        Ok(asked.clone())
    );
    // The district answers it as a hub request: the phone opens its own key with the
    // one-time key.
    let answer = answer_written(&asked, std::slice::from_ref(&district), &entropy(1, 10)).expect("answer");
    assert_eq!(
        key_id(&open_answer(&answer, &one_time, &asked.key_id).expect("opens")),
        key_id(&phone_key)
    );
    // A request naming another key than its escrow holds is not answered.
    let misnamed = WrittenRequest {
        key_id: key_id(&key(10)),
        ..asked.clone()
    };
    assert!(matches!(
        answer_written(&misnamed, std::slice::from_ref(&district), &entropy(1, 11)),
        Err(VaultError::NotARequest(_))
    ));

    let parts: Vec<&str> = text.split('.').collect();
    let with = |i: usize, part: &str| {
        let mut changed = parts.clone();
        changed[i] = part;
        changed.join(".")
    };
    for bad in [
        String::new(),
        "verval-lupa-pin-2".to_owned() + &text["verval-lupa-pin-1".len()..],
        with(1, "age1bukankunci"),
        with(2, "ABCDEF0123456789abcdef0123456789"),
        with(3, &to_text(b"PK\x03\x04 a zip")),
        format!("{text}.tambahan"),
        parts[..3].join("."),
    ] {
        assert!(
            matches!(WrittenRequest::parse(&bad), Err(VaultError::NotARequest(_))),
            "{bad:.40}"
        );
    }
}
