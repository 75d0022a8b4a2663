//! Unpadded base64 as age writes it (RFC 4648 §4, and §5's URL alphabet for key links), and
//! read only in its canonical form: no padding, no line breaks, no set trailing bits, so one
//! value has one spelling. A dozen lines of our own instead of a crate: the phone downloads
//! every byte of this (a crate's engine costs it ~1 KB gzip more).

/// Which 64 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// `A–Z a–z 0–9 + /`: age's headers.
    Standard,
    /// `A–Z a–z 0–9 - _`: what an address carries unescaped.
    Url,
}

impl Alphabet {
    fn chars(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            Alphabet::Url => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        }
    }

    fn value(self, c: u8) -> Option<u32> {
        self.chars().iter().position(|&a| a == c).map(|p| p as u32)
    }
}

/// `bytes` in base64 without padding.
pub fn encode(bytes: &[u8], alphabet: Alphabet) -> String {
    let chars = alphabet.chars();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // 1 byte gives 2 characters, 2 give 3, 3 give 4.
        for i in 0..=chunk.len() {
            out.push(char::from(chars[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of canonical unpadded base64; `None` for anything else.
pub fn decode(text: impl AsRef<[u8]>, alphabet: Alphabet) -> Option<Vec<u8>> {
    let text = text.as_ref();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= alphabet.value(c)? << (18 - 6 * i);
        }
        let bytes = chunk.len() - 1;
        // The bits past the last whole byte must be zero, or two texts would read the same.
        if n & (0x00ff_ffff >> (8 * bytes)) != 0 {
            return None;
        }
        out.extend((0..bytes).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use ::base64::Engine;

    /// RFC 4648 §10's test vectors, without their padding.
    #[test]
    fn rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode(plain.as_bytes(), Alphabet::Standard), encoded);
            assert_eq!(
                decode(encoded, Alphabet::Standard).as_deref(),
                Some(plain.as_bytes())
            );
        }
    }

    /// Against the `base64` crate, an implementation of its own, on every length and byte.
    #[test]
    fn agrees_with_the_base64_crate() {
        for len in 0..70usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len * 11) as u8 ^ 0xa5).collect();
            for (alphabet, theirs) in [
                (Alphabet::Standard, STANDARD_NO_PAD.encode(&bytes)),
                (Alphabet::Url, URL_SAFE_NO_PAD.encode(&bytes)),
            ] {
                assert_eq!(encode(&bytes, alphabet), theirs, "{len}");
                assert_eq!(decode(&theirs, alphabet), Some(bytes.clone()), "{len}");
            }
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(encode(&all, Alphabet::Standard), STANDARD_NO_PAD.encode(&all));
    }

    #[test]
    fn only_the_canonical_spelling_reads() {
        for bad in ["Zg==", "Zh", "Zm9=", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zm-v"] {
            assert_eq!(decode(bad, Alphabet::Standard), None, "{bad:?}");
            let theirs = STANDARD_NO_PAD.decode(bad);
            assert!(theirs.is_err(), "{bad:?}: the crate refuses it too");
        }
        assert_eq!(decode("Zm+v", Alphabet::Url), None);
        assert_eq!(decode("Zm-v", Alphabet::Url), Some(vec![0x66, 0x6f, 0xaf]));
    }
}
