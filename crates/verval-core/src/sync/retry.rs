//! When to try an upload again: exponential backoff with jitter, so a hundred phones that
//! lost the same tower do not all come back in the same second.

/// The wait after the first failure.
pub const FIRST_DELAY_MS: u64 = 5_000;
/// The longest wait between tries (30 minutes).
pub const MAX_DELAY_MS: u64 = 30 * 60_000;

/// How long to wait after `failures` consecutive failed tries (1 for the first), given a
/// random number: between half and all of the exponential step ("equal jitter"), so the
/// wait still grows while phones spread out.
pub fn retry_delay_ms(failures: u32, random: u32) -> u64 {
    let doublings = failures.saturating_sub(1).min(20);
    let step = FIRST_DELAY_MS.saturating_mul(1 << doublings).min(MAX_DELAY_MS);
    let half = step / 2;
    half + u64::from(random) % (half + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_and_stays_within_its_step() {
        for failures in 1..=12u32 {
            let step = (FIRST_DELAY_MS << (failures - 1)).min(MAX_DELAY_MS);
            for random in [0, 1, 977, u32::MAX / 2, u32::MAX] {
                let wait = retry_delay_ms(failures, random);
                assert!(wait >= step / 2 && wait <= step, "{failures} {random} {wait}");
            }
        }
        assert_eq!(retry_delay_ms(1, 0), 2_500);
        assert_eq!(retry_delay_ms(2, 0), 5_000);
    }

    #[test]
    fn the_wait_is_capped_even_after_many_failures() {
        assert!(retry_delay_ms(u32::MAX, u32::MAX) <= MAX_DELAY_MS);
        assert!(retry_delay_ms(40, 0) >= MAX_DELAY_MS / 2);
    }

    #[test]
    fn jitter_spreads_devices_apart() {
        let waits: std::collections::BTreeSet<u64> =
            (0..100u32).map(|r| retry_delay_ms(3, r * 7919)).collect();
        assert!(waits.len() > 50);
    }
}
