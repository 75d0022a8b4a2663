use super::*;
use crate::seal::keys::tests::{AGE_IDENTITY, AGE_RECIPIENT};

fn entropy(recipients: usize, seed: u8) -> Vec<u8> {
    (0..entropy_len(recipients))
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn identity(n: u8) -> Identity {
    Identity::from_random([n; 32])
}

fn text(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn what_is_sealed_opens_again_at_every_size_around_a_chunk() {
    let id = identity(9);
    for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17] {
        let plain = text(len);
        let sealed = seal(&plain, &[id.recipient()], &entropy(1, len as u8)).expect("seal");
        assert_eq!(
            open(&sealed, std::slice::from_ref(&id)).expect("open"),
            plain,
            "{len} bytes"
        );
        let chunks = len.div_ceil(CHUNK).max(1);
        let header_end = sealed.windows(4).position(|w| w == b"--- ").expect("mac line");
        assert!(
            sealed.len() > header_end + NONCE + len + chunks * TAG,
            "{len}: a tag per chunk"
        );
    }
}

#[test]
fn every_recipient_opens_it_and_no_one_else() {
    let (district, break_glass, stranger) = (identity(1), identity(2), identity(3));
    let plain = b"NIK 3513140503680002".to_vec();
    let sealed = seal(
        &plain,
        &[district.recipient(), break_glass.recipient()],
        &entropy(2, 5),
    )
    .expect("seal");
    assert_eq!(open(&sealed, &[district]).expect("district"), plain);
    assert_eq!(open(&sealed, &[break_glass]).expect("break-glass"), plain);
    assert_eq!(open(&sealed, &[stranger]), Err(SealError::NoMatchingKey));
    assert_eq!(open(&sealed, &[]), Err(SealError::NoMatchingKey));
    let header =
        String::from_utf8_lossy(&sealed[..sealed.windows(4).position(|w| w == b"--- ").expect("mac")])
            .into_owned();
    assert_eq!(header.matches("\n-> X25519 ").count(), 2, "{header}");
    assert!(
        !sealed.windows(16).any(|w| w == b"3513140503680002"),
        "the plaintext shows"
    );
}

#[test]
fn a_key_made_by_age_keygen_opens_what_is_sealed_to_its_recipient() {
    let recipient = Recipient::parse(AGE_RECIPIENT).expect("recipient");
    let sealed = seal(b"halo", &[recipient], &entropy(1, 1)).expect("seal");
    let id = Identity::parse(AGE_IDENTITY).expect("identity");
    assert_eq!(open(&sealed, &[identity(4), id]).expect("open"), b"halo");
}

#[test]
fn nothing_is_sealed_to_no_one_or_without_its_randomness() {
    let r = identity(1).recipient();
    assert_eq!(seal(b"x", &[], &entropy(0, 1)), Err(SealError::NoRecipients));
    let short = &entropy(1, 1)[1..];
    assert_eq!(
        seal(b"x", &[r], short),
        Err(SealError::Entropy {
            needed: entropy_len(1),
            got: entropy_len(1) - 1
        })
    );
    // The same randomness gives the same file; other randomness another.
    assert_eq!(seal(b"x", &[r], &entropy(1, 1)), seal(b"x", &[r], &entropy(1, 1)));
    assert_ne!(seal(b"x", &[r], &entropy(1, 1)), seal(b"x", &[r], &entropy(1, 2)));
}

#[test]
fn a_cut_off_file_is_refused_wherever_it_is_cut() {
    let id = identity(7);
    let plain = text(2 * CHUNK + 100);
    let sealed = seal(&plain, &[id.recipient()], &entropy(1, 3)).expect("seal");
    let header_len = sealed.len() - NONCE - plain.len() - 3 * TAG;
    let cuts = [
        0,
        10,
        header_len - 1,
        header_len,
        header_len + NONCE,
        header_len + NONCE + CHUNK + TAG, // after the first chunk: a boundary
        header_len + NONCE + 2 * (CHUNK + TAG), // after the second: a boundary too
        sealed.len() - 1,
    ];
    for cut in cuts {
        assert!(
            open(&sealed[..cut], std::slice::from_ref(&id)).is_err(),
            "cut at {cut} of {}",
            sealed.len()
        );
    }
    let mut longer = sealed.clone();
    longer.push(0);
    assert!(open(&longer, &[id]).is_err(), "a byte appended");
}

#[test]
fn a_flipped_bit_anywhere_is_refused() {
    let id = identity(8);
    let plain = text(CHUNK + 500);
    let sealed = seal(&plain, &[id.recipient(), identity(6).recipient()], &entropy(2, 9)).expect("seal");
    // Every byte of the header and the nonce, then a stride through the payload.
    let header_and_nonce = sealed.len() - plain.len() - 2 * TAG;
    let positions = (0..header_and_nonce)
        .chain((header_and_nonce..sealed.len()).step_by(997))
        .chain([sealed.len() - 1]);
    for at in positions {
        let mut changed = sealed.clone();
        changed[at] ^= 0x04;
        match open(&changed, std::slice::from_ref(&id)) {
            Ok(opened) => panic!("byte {at} flipped and still opened ({} bytes)", opened.len()),
            Err(SealError::Cipher) => panic!("byte {at}: reported as a cipher failure, not damage"),
            Err(_) => {}
        }
    }
}

#[test]
fn headers_that_are_not_age_are_named() {
    let id = identity(1);
    assert!(matches!(
        open(b"PK\x03\x04 a zip", std::slice::from_ref(&id)),
        Err(SealError::NotAge(_))
    ));
    assert!(matches!(
        open(b"", std::slice::from_ref(&id)),
        Err(SealError::NotAge(_))
    ));
    let no_recipient = format!("{VERSION_LINE}\n--- {}\n", "A".repeat(43));
    assert!(matches!(
        open(no_recipient.as_bytes(), std::slice::from_ref(&id)),
        Err(SealError::Damaged(_))
    ));
    let long_line = format!("{VERSION_LINE}\n-> X25519 {}\n", "A".repeat(MAX_LINE + 10));
    assert!(matches!(
        open(long_line.as_bytes(), std::slice::from_ref(&id)),
        Err(SealError::Damaged(_))
    ));
    let many = format!("{VERSION_LINE}\n{}", "-> other x\n\n".repeat(MAX_STANZAS + 1));
    assert!(matches!(
        open(many.as_bytes(), std::slice::from_ref(&id)),
        Err(SealError::Damaged(_))
    ));
    // A stanza of a kind this reader has no key for is passed over, not an error.
    let sealed = seal(b"ok", &[id.recipient()], &entropy(1, 1)).expect("seal");
    let at = VERSION_LINE.len() + 1;
    let with_other = [
        &sealed[..at],
        b"-> other-kind arg\nAAAA\n".as_slice(),
        &sealed[at..],
    ]
    .concat();
    // The MAC covers the header, so an added stanza is damage, found after the key unwraps.
    assert!(matches!(open(&with_other, &[id]), Err(SealError::Damaged(_))));
}
