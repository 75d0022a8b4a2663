//! Cutting a large export into uploads: one batch per request, each under the hub's body
//! limit and a record count that a slow link can carry before it drops.

/// What one upload may hold.
#[derive(Clone, Copy, Debug)]
pub struct UploadLimits {
    pub max_records: usize,
    /// Estimated bytes (records and their photos); kept well under the hub's body limit.
    pub max_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> UploadLimits {
        UploadLimits {
            max_records: 200,
            max_bytes: 8 << 20,
        }
    }
}

/// Splits `items` (each with its estimated size) into consecutive groups within `limits`,
/// keeping their order. An item larger than `max_bytes` travels alone rather than never.
pub fn split<T>(items: Vec<(T, u64)>, limits: UploadLimits) -> Vec<Vec<T>> {
    let max_records = limits.max_records.max(1);
    let mut groups = Vec::new();
    let mut current = Vec::new();
    let mut bytes = 0u64;
    for (item, size) in items {
        let full = current.len() >= max_records || bytes.saturating_add(size) > limits.max_bytes;
        if full && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes = bytes.saturating_add(size);
        current.push(item);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: UploadLimits = UploadLimits {
        max_records: 3,
        max_bytes: 100,
    };

    #[test]
    fn groups_respect_the_record_count_and_keep_order() {
        let items = (1..=7).map(|i| (i, 1)).collect();
        assert_eq!(split(items, LIMITS), vec![vec![1, 2, 3], vec![4, 5, 6], vec![7]]);
    }

    #[test]
    fn groups_respect_the_byte_limit_and_a_huge_item_goes_alone() {
        let items = vec![("a", 60), ("b", 30), ("c", 20), ("d", 500), ("e", 10)];
        assert_eq!(
            split(items, LIMITS),
            vec![vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn nothing_is_dropped() {
        let items: Vec<(u32, u64)> = (0..1000).map(|i| (i, u64::from(i % 37) * 7)).collect();
        let groups = split(items, LIMITS);
        let flat: Vec<u32> = groups.into_iter().flatten().collect();
        assert_eq!(flat, (0..1000).collect::<Vec<_>>());
        assert!(split(Vec::<(u8, u64)>::new(), LIMITS).is_empty());
    }
}
