//! How full the device's storage for this app is, in words the enumerator can act on.
//!
//! Browsers give each site a share of the disk (its quota) and evict or refuse writes beyond
//! it. The app warns well before that, so there is time to export and free space.

use crate::text::Message;

/// At this share of the quota the app warns.
pub const WARN_AT: f64 = 0.8;

/// What the browser reports about the app's storage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StorageHealth {
    /// Whether the browser promised not to evict the app's data; `None` if it cannot say.
    pub persisted: Option<bool>,
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

impl StorageHealth {
    /// The used share of the quota, when both are known and the quota is not zero.
    pub fn used_fraction(&self) -> Option<f64> {
        match (self.usage_bytes, self.quota_bytes) {
            (Some(usage), Some(quota)) if quota > 0.0 => Some(usage / quota),
            _ => None,
        }
    }

    pub fn nearly_full(&self) -> bool {
        self.used_fraction().is_some_and(|f| f >= WARN_AT)
    }

    /// The used share of the quota in whole percent, rounded down.
    pub fn used_percent(&self) -> Option<u32> {
        self.used_fraction()
            .map(|f| (f * 100.0).floor().clamp(0.0, 1e6) as u32)
    }

    /// "Terpakai 1,2 MB dari 5,0 GB (0%)".
    pub fn usage_message(&self) -> Option<Message> {
        let (usage, quota, percent) = (self.usage_bytes?, self.quota_bytes?, self.used_percent()?);
        Some(Message::new(
            format!(
                "Terpakai {} dari {} ({percent}%)",
                bytes_id(usage),
                bytes_id(quota)
            ),
            format!("Used {} of {} ({percent}%)", bytes_en(usage), bytes_en(quota)),
        ))
    }
}

/// Bytes in the largest unit that keeps the number at least 1, in tenths, with the unit.
/// Integer arithmetic only: formatting an `f64` would add float-printing code to the app.
fn scaled_tenths(bytes: f64) -> (u64, &'static str) {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    ((value * 10.0).round() as u64, UNITS[unit])
}

fn bytes_with(bytes: f64, decimal: char) -> String {
    match scaled_tenths(bytes) {
        (tenths, "B") => format!("{} B", tenths / 10),
        (tenths, unit) => format!("{}{decimal}{} {unit}", tenths / 10, tenths % 10),
    }
}

/// Bytes with one decimal and an Indonesian decimal comma: "1,2 MB".
pub fn bytes_id(bytes: f64) -> String {
    bytes_with(bytes, ',')
}

/// Bytes with one decimal: "1.2 MB".
pub fn bytes_en(bytes: f64) -> String {
    bytes_with(bytes, '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(usage: Option<f64>, quota: Option<f64>) -> StorageHealth {
        StorageHealth {
            persisted: Some(false),
            usage_bytes: usage,
            quota_bytes: quota,
        }
    }

    #[test]
    fn warns_from_eighty_percent() {
        assert!(!health(Some(79.0), Some(100.0)).nearly_full());
        assert!(health(Some(80.0), Some(100.0)).nearly_full());
        assert!(health(Some(120.0), Some(100.0)).nearly_full());
        assert!(!health(None, Some(100.0)).nearly_full());
        assert!(!health(Some(5.0), Some(0.0)).nearly_full());
        assert_eq!(health(Some(1.0), None).used_fraction(), None);
    }

    #[test]
    fn formats_bytes_in_both_languages() {
        assert_eq!(bytes_id(0.0), "0 B");
        assert_eq!(bytes_en(1023.0), "1023 B");
        assert_eq!(bytes_en(1024.0), "1.0 KB");
        assert_eq!(bytes_id(1_258_291.0), "1,2 MB");
        assert_eq!(bytes_en(5.0 * 1024.0 * 1024.0 * 1024.0), "5.0 GB");
        let m = health(Some(1_258_291.0), Some(5_368_709_120.0))
            .usage_message()
            .unwrap();
        assert_eq!(m.id, "Terpakai 1,2 MB dari 5,0 GB (0%)");
        assert_eq!(m.en, "Used 1.2 MB of 5.0 GB (0%)");
        let m = health(Some(850.0), Some(1000.0)).usage_message().unwrap();
        assert_eq!(m.en, "Used 850 B of 1000 B (85%)");
        assert_eq!(health(None, Some(1.0)).usage_message(), None);
        assert_eq!(health(Some(999.0), Some(1000.0)).used_percent(), Some(99));
    }
}
