//! Sign-in throttling (issue #17, row 9): after a few wrong passwords from one address, or
//! for one account, each further try must wait longer (2 s, 4 s, … up to 15 minutes). Kept
//! in memory: a restart forgets, which only ever helps the rightful user. Failures are
//! logged with the address only: the typed account may be a password typed into the wrong
//! field; which account it was is in the audit trail.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong passwords allowed before any wait.
pub const FREE_TRIES: u32 = 5;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Entries kept at most; beyond it the oldest waits already over are forgotten.
const MAX_KEYS: usize = 100_000;

#[derive(Clone, Copy)]
struct Record {
    failures: u32,
    not_before: Instant,
}

#[derive(Default)]
pub struct Throttle {
    keys: Mutex<HashMap<String, Record>>,
}

fn keys(address: IpAddr, account: &str) -> [String; 2] {
    [format!("address:{address}"), format!("account:{account}")]
}

impl Throttle {
    /// How long this address or account must still wait, if at all.
    pub fn wait(&self, address: IpAddr, account: &str) -> Option<Duration> {
        let now = Instant::now();
        let keys_now = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys(address, account)
            .iter()
            .filter_map(|k| keys_now.get(k))
            .map(|r| r.not_before.saturating_duration_since(now))
            .filter(|d| !d.is_zero())
            .max()
    }

    /// A wrong password: counted for the address and the account, and logged.
    pub fn failed(&self, address: IpAddr, account: &str) {
        let now = Instant::now();
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, r| r.not_before > now);
        }
        let mut failures = 0;
        for key in keys(address, account) {
            let record = map.entry(key).or_insert(Record {
                failures: 0,
                not_before: now,
            });
            record.failures += 1;
            if record.failures > FREE_TRIES {
                let doublings = (record.failures - FREE_TRIES).min(20);
                let wait = Duration::from_secs(1 << doublings).min(MAX_WAIT);
                record.not_before = now + wait;
            }
            failures = failures.max(record.failures);
        }
        // Not the typed account: people type their password into the wrong field, and the
        // log is no place for it. Which account it was is in the audit trail (admins only).
        eprintln!("verval-hub: wrong password from {address} ({failures} in a row)");
    }

    /// A right password: both counts start again.
    pub fn succeeded(&self, address: IpAddr, account: &str) {
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys(address, account) {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_tries_and_a_success_clears_them() {
        let throttle = Throttle::default();
        let (here, there) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..FREE_TRIES {
            assert_eq!(throttle.wait(here, "admin"), None);
            throttle.failed(here, "admin");
        }
        assert_eq!(throttle.wait(here, "admin"), None);
        throttle.failed(here, "admin");
        let first = throttle.wait(here, "admin").expect("a wait");
        throttle.failed(here, "admin");
        let second = throttle.wait(here, "admin").expect("a longer wait");
        assert!(
            second > first && second <= Duration::from_secs(4),
            "{first:?} {second:?}"
        );
        // The account is throttled from any address; another account from another is not.
        assert!(throttle.wait(there, "admin").is_some());
        assert_eq!(throttle.wait(there, "operator"), None);
        throttle.succeeded(here, "admin");
        assert_eq!(throttle.wait(here, "admin"), None);
    }

    #[test]
    fn the_wait_is_capped() {
        let throttle = Throttle::default();
        let here = "10.0.0.1".parse().unwrap();
        for _ in 0..100 {
            throttle.failed(here, "admin");
        }
        assert!(throttle.wait(here, "admin").expect("a wait") <= MAX_WAIT);
    }
}
