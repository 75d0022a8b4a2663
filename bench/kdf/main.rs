//! The PIN's key derivation (issue #23), measured where the phone runs it, in headless
//! Chromium: PBKDF2-HMAC-SHA-256 at 600,000 rounds through WebCrypto (`crypto.subtle`,
//! the browser's native code, run off the page's thread) against Argon2id at OWASP's
//! minimum (19 MiB, 2 passes, 1 lane) compiled to wasm (the `argon2` crate, as a worker
//! would run it) and the same PBKDF2 in wasm (the core's `hmac` and `sha2`: what a page
//! without WebCrypto, one served over plain HTTP, would have to run), and what sealing one stored household costs (the core's
//! `vault::envelope`, XChaCha20-Poly1305 in wasm) against the save it would ride on.
//! Seven runs each, min / median / max. Reported, not asserted: it fails only when a
//! derivation does not give the same key twice or a sealed value does not open.
//!
//!   bench/kdf/run      (runs `cargo test --release --test kdf_bench` in headless Chromium)
#![cfg(target_arch = "wasm32")]

use argon2::{Algorithm, Argon2, Params, Version};
use verval_core::form::default::example::example_family;
use verval_core::vault::envelope::{open_value, seal_value, Place, NONCE_LEN};
use verval_core::vault::pin::ITERATIONS;
use verval_core::vault::{DataKey, KEY_LEN};
use verval_core::RecordId;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RUNS: usize = 7;
/// OWASP's Password Storage Cheat Sheet, Argon2id's first configuration.
const ARGON2_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;

#[wasm_bindgen(inline_js = "
export async function pbkdf2(pin, salt, iterations) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const started = performance.now();
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256);
  return [performance.now() - started, new Uint8Array(bits)];
}
")]
extern "C" {
    async fn pbkdf2(pin: &str, salt: &[u8], iterations: u32) -> JsValue;
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// min / median / max of `ms`, in whole milliseconds (or microseconds when `unit` says so).
fn spread(mut ms: Vec<f64>, scale: f64, unit: &str) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "{:.0} / {:.0} / {:.0} {unit}",
        ms[0] * scale,
        ms[ms.len() / 2] * scale,
        ms[ms.len() - 1] * scale
    )
}

async fn webcrypto_pbkdf2() -> (Vec<f64>, Vec<u8>) {
    let salt = [7u8; 16];
    let mut times = Vec::new();
    let mut key = Vec::new();
    for _ in 0..RUNS {
        let result: js_sys::Array = pbkdf2("482915", &salt, ITERATIONS).await.into();
        times.push(result.get(0).as_f64().expect("a time"));
        let derived = js_sys::Uint8Array::new(&result.get(1)).to_vec();
        assert!(
            key.is_empty() || key == derived,
            "the same PIN gives the same key"
        );
        key = derived;
    }
    (times, key)
}

/// PBKDF2-HMAC-SHA-256 for one 32-byte block (RFC 8018), in wasm.
fn wasm_pbkdf2() -> (Vec<f64>, Vec<u8>) {
    use hmac::{KeyInit, Mac};
    type HmacSha256 = hmac::Hmac<sha2::Sha256>;
    let mut times = Vec::new();
    let mut key = Vec::new();
    for _ in 0..RUNS {
        let started = now();
        let prf = HmacSha256::new_from_slice(b"482915").expect("any key length");
        let mut first = prf.clone();
        first.update(&[7u8; 16]);
        first.update(&1u32.to_be_bytes());
        let mut u = first.finalize().into_bytes();
        let mut out = u;
        for _ in 1..ITERATIONS {
            let mut next = prf.clone();
            next.update(&u);
            u = next.finalize().into_bytes();
            out.iter_mut().zip(u.iter()).for_each(|(o, b)| *o ^= b);
        }
        times.push(now() - started);
        key = out.to_vec();
    }
    (times, key)
}

fn wasm_argon2id() -> Vec<f64> {
    let params = Params::new(ARGON2_KIB, ARGON2_PASSES, 1, Some(KEY_LEN)).expect("params");
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut times = Vec::new();
    let mut first = None;
    for _ in 0..RUNS {
        let mut out = [0u8; KEY_LEN];
        let started = now();
        argon
            .hash_password_into(b"482915", &[7u8; 16], &mut out)
            .expect("argon2id");
        times.push(now() - started);
        assert!(first.is_none_or(|f| f == out), "the same PIN gives the same key");
        first = Some(out);
    }
    times
}

/// Sealing and opening one household as the storage module would store it: its JSON.
fn envelope() -> (usize, Vec<f64>, Vec<f64>) {
    const N: usize = 1000;
    let key = DataKey::from_random([3; KEY_LEN]);
    let record = example_family(RecordId::from_random_bytes([9; 16]));
    let id = record.id.to_string();
    let plain = serde_json::to_vec(&record).expect("json");
    let place = Place {
        store: "households",
        key: &id,
    };
    let (mut seal_times, mut open_times) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let started = now();
        let sealed: Vec<Vec<u8>> = (0..N)
            .map(|i| {
                let mut nonce = [0u8; NONCE_LEN];
                nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
                seal_value(&key, place, &plain, nonce)
            })
            .collect();
        seal_times.push((now() - started) / N as f64);
        let started = now();
        for value in &sealed {
            let opened = open_value(&key, place, value).expect("opens");
            assert_eq!(opened.len(), plain.len());
        }
        open_times.push((now() - started) / N as f64);
    }
    (plain.len(), seal_times, open_times)
}

#[wasm_bindgen_test]
async fn a_pins_key_derivation_and_the_cost_of_sealing_a_household() {
    let (pbkdf2_ms, key) = webcrypto_pbkdf2().await;
    assert_eq!(key.len(), KEY_LEN);
    console_log!(
        "PBKDF2-SHA-256 {ITERATIONS} rounds, WebCrypto: {}",
        spread(pbkdf2_ms, 1.0, "ms")
    );
    let (wasm_ms, wasm_key) = wasm_pbkdf2();
    assert_eq!(wasm_key, key, "the same derivation as WebCrypto's");
    console_log!(
        "PBKDF2-SHA-256 {ITERATIONS} rounds, wasm: {}",
        spread(wasm_ms, 1.0, "ms")
    );
    console_log!(
        "Argon2id {} MiB, {ARGON2_PASSES} passes, 1 lane, wasm: {}",
        ARGON2_KIB / 1024,
        spread(wasm_argon2id(), 1.0, "ms")
    );
    let (bytes, seal, open) = envelope();
    console_log!(
        "one household ({bytes} bytes of JSON) sealed: {}; opened: {}",
        spread(seal, 1000.0, "µs"),
        spread(open, 1000.0, "µs")
    );
}
