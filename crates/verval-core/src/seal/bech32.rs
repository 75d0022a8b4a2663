//! Bech32 (BIP 173, not Bech32m) as age writes its keys: a human-readable prefix, `1`, the
//! data in a 32-character alphabet, and a six-character checksum that catches any typo of up
//! to four characters — what makes a key typed from a recovery sheet safe to use. Our own
//! few lines instead of a crate: the phone downloads every byte of this.
//!
//! Unlike BIP 173, no 90-character limit (age lifted it); a text is all lower or all upper
//! case, never mixed.

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
/// Longer than any age key: a bound for what is read.
const MAX_LEN: usize = 1000;

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    values.fold(1u32, |check, value| {
        let top = check >> 25;
        let check = (check & 0x01ff_ffff) << 5 ^ u32::from(value);
        GENERATOR
            .iter()
            .enumerate()
            .filter(|(i, _)| top >> i & 1 == 1)
            .fold(check, |check, (_, g)| check ^ g)
    })
}

/// The prefix as the checksum covers it: each character's high bits, 0, its low bits.
fn expand(hrp: &[u8]) -> impl Iterator<Item = u8> + '_ {
    hrp.iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.iter().map(|c| c & 31))
}

/// `bytes` under the lowercase prefix `hrp`, in lower case.
pub fn encode(hrp: &str, bytes: &[u8]) -> String {
    let mut data = Vec::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = acc << 8 | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            data.push((acc >> bits & 31) as u8);
        }
    }
    if bits > 0 {
        data.push((acc << (5 - bits) & 31) as u8);
    }
    let check = polymod(expand(hrp.as_bytes()).chain(data.iter().copied()).chain([0; 6])) ^ 1;
    let checksum = (0..6).map(|i| (check >> (5 * (5 - i)) & 31) as u8);
    let mut out = String::with_capacity(hrp.len() + 1 + data.len() + 6);
    out.push_str(hrp);
    out.push('1');
    out.extend(
        data.into_iter()
            .chain(checksum)
            .map(|v| char::from(CHARSET[usize::from(v)])),
    );
    out
}

/// The lowercase prefix and the bytes of a Bech32 text, or why it is none (in English; the
/// callers say it in both languages).
pub fn decode(text: &str) -> Result<(String, Vec<u8>), &'static str> {
    if text.len() > MAX_LEN {
        return Err("too long");
    }
    if !text.bytes().all(|c| (33..=126).contains(&c)) {
        return Err("a character outside printable ASCII");
    }
    if text.bytes().any(|c| c.is_ascii_lowercase()) && text.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err("mixed case");
    }
    let text = text.to_ascii_lowercase();
    let split = text.rfind('1').ok_or("no separator 1")?;
    let (hrp, rest) = (&text.as_bytes()[..split], &text.as_bytes()[split + 1..]);
    if hrp.is_empty() || rest.len() < 6 {
        return Err("too short");
    }
    let values = rest
        .iter()
        .map(|c| CHARSET.iter().position(|a| a == c).map(|p| p as u8))
        .collect::<Option<Vec<u8>>>()
        .ok_or("a character outside the Bech32 alphabet")?;
    if polymod(expand(hrp).chain(values.iter().copied())) != 1 {
        return Err("the checksum does not match (a typo?)");
    }
    let data = &values[..values.len() - 6];
    let mut bytes = Vec::with_capacity(data.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &v in data {
        acc = (acc << 5 | u32::from(v)) & 0xfff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    // What is left over is padding: fewer than 5 bits, all zero.
    if bits >= 5 || acc & ((1 << bits) - 1) != 0 {
        return Err("bad padding");
    }
    Ok((String::from_utf8_lossy(hrp).into_owned(), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::bech32::primitives::decode::CheckedHrpstring;
    use ::bech32::{Bech32, Hrp};

    /// Valid and invalid Bech32 strings from BIP 173's test vectors
    /// (github.com/bitcoin/bips, bip-0173.mediawiki, BSD-2-Clause), with the expected
    /// reason for each invalid one.
    #[test]
    fn bip_173_vectors() {
        let valid = [
            "A12UEL5L",
            "a12uel5l",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
            "?1ezyfcl",
        ];
        for text in valid {
            assert!(decode(text).is_ok(), "{text}: {:?}", decode(text));
        }
        let invalid = [
            ("\u{20}1nwldj5", "printable"),
            ("\u{7f}1axkwrx", "printable"),
            ("pzry9x0s0muk", "separator"),
            ("1pzry9x0s0muk", "short"),
            ("x1b4n0q5v", "alphabet"),
            ("li1dgmt3", "short"),
            ("de1lg7wt\u{ff}", "printable"),
            ("A1G7SGD8", "checksum"),
            ("10a06t8", "short"),
            ("1qzzfhee", "short"),
        ];
        for (text, why) in invalid {
            let err = decode(text).expect_err(text);
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }

    /// Against the `bech32` crate, an implementation of its own.
    #[test]
    fn agrees_with_the_bech32_crate() {
        for len in [0usize, 1, 5, 20, 31, 32, 33, 40] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 73 + 5) as u8).collect();
            for hrp in ["age", "age-secret-key-"] {
                let theirs =
                    ::bech32::encode::<Bech32>(Hrp::parse(hrp).expect("hrp"), &bytes).expect("encode");
                let ours = encode(hrp, &bytes);
                assert_eq!(ours, theirs, "{hrp} {len}");
                assert_eq!(decode(&ours), Ok((hrp.to_owned(), bytes.clone())));
                assert_eq!(decode(&ours.to_uppercase()), Ok((hrp.to_owned(), bytes.clone())));
                let checked = CheckedHrpstring::new::<Bech32>(&ours).expect("theirs reads ours");
                assert_eq!(checked.byte_iter().collect::<Vec<u8>>(), bytes);
            }
        }
    }

    #[test]
    fn every_single_typo_is_caught() {
        let key = encode("age", &[0x5a; 32]);
        for at in 4..key.len() {
            for c in CHARSET.iter().map(|&c| char::from(c)) {
                let mut typo: Vec<char> = key.chars().collect();
                if typo[at] == c {
                    continue;
                }
                typo[at] = c;
                let typo: String = typo.into_iter().collect();
                assert!(decode(&typo).is_err(), "{typo}");
            }
        }
        assert_eq!(decode("AGE1Qpzry9"), Err("mixed case"));
    }
}
