//! Where a batch with photos is cut into parts (issue #26 item 5): a village's photos would
//! not fit a low-end phone's memory as one zip, so the export makes parts of at most a size
//! the district sets, each a complete batch of its own (its manifest, tables and photos),
//! and holds one part at a time. A household is never cut: its record and its photos go in
//! one part, and a household bigger than a part goes alone.

/// A part's size when the district has not set one: 50 MB.
pub const DEFAULT_PART_BYTES: u64 = 50_000_000;

/// The smallest part size a district may set: below it, a part could not hold a household
/// with its photos (1 MB).
pub const MIN_PART_BYTES: u64 = 1_000_000;

/// What every part carries besides its households, at most: the manifest, the workbook's own
/// files, the zip's directory and, for a sealed batch, the sealing around it.
pub const PART_RESERVE: u64 = 96 * 1024;

/// What one household adds to a batch, never less: its record in `records.jsonl` and again
/// in the tables (CSV and workbook), counted before compression, and each photo as it is
/// (photos are stored, not compressed) with its zip and manifest entries.
pub fn household_bytes(record_json_len: usize, photos: &[u64]) -> u64 {
    const PER_FILE: u64 = 512;
    let record = 3 * record_json_len as u64 + PER_FILE;
    photos.iter().fold(record, |sum, photo| sum + photo + PER_FILE)
}

/// The part being filled, as households are added in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    limit: u64,
    used: u64,
    households: usize,
}

impl Parts {
    /// Parts of at most `limit` bytes; a limit below [`MIN_PART_BYTES`] is taken as that.
    pub fn new(limit: u64) -> Parts {
        Parts {
            limit: limit.max(MIN_PART_BYTES),
            used: PART_RESERVE,
            households: 0,
        }
    }

    /// Counts in what the part being filled carries besides households (the phone's village
    /// meetings in the first part).
    pub fn carry(&mut self, bytes: u64) {
        self.used = self.used.saturating_add(bytes);
    }

    /// Counts a household of `bytes` in. `true` when it opens a new part: the part being
    /// filled holds households already, and this one would take it over the limit.
    pub fn opens_new_part(&mut self, bytes: u64) -> bool {
        let new_part = self.households > 0 && self.used.saturating_add(bytes) > self.limit;
        if new_part {
            self.used = PART_RESERVE;
            self.households = 0;
        }
        self.used = self.used.saturating_add(bytes);
        self.households += 1;
        new_part
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cuts households of these sizes; each part as the indexes of its households.
    fn cut(limit: u64, sizes: &[u64]) -> Vec<Vec<usize>> {
        let mut parts = Parts::new(limit);
        let mut out: Vec<Vec<usize>> = Vec::new();
        for (i, size) in sizes.iter().enumerate() {
            if parts.opens_new_part(*size) || out.is_empty() {
                out.push(Vec::new());
            }
            out.last_mut().expect("a part").push(i);
        }
        out
    }

    #[test]
    fn households_stay_in_order_each_in_one_part_and_no_part_goes_over() {
        let limit = 2_000_000;
        let sizes = [600_000, 700_000, 500_000, 900_000, 100_000, 1_800_000, 300_000];
        let parts = cut(limit, &sizes);
        assert_eq!(parts, [vec![0, 1, 2], vec![3, 4], vec![5], vec![6]]);
        let flat: Vec<usize> = parts.iter().flatten().copied().collect();
        assert_eq!(
            flat,
            (0..sizes.len()).collect::<Vec<_>>(),
            "none lost, none twice"
        );
        for part in &parts {
            let bytes: u64 = PART_RESERVE + part.iter().map(|&i| sizes[i]).sum::<u64>();
            assert!(bytes <= limit, "{part:?} holds {bytes} bytes");
        }
    }

    #[test]
    fn what_a_part_carries_besides_households_counts_toward_it() {
        let mut parts = Parts::new(1_000_000);
        parts.carry(600_000);
        assert!(
            !parts.opens_new_part(200_000),
            "the first household goes in the first part"
        );
        assert!(parts.opens_new_part(200_000), "the meetings took the room");
    }

    #[test]
    fn a_household_bigger_than_a_part_goes_alone() {
        let parts = cut(1_000_000, &[200_000, 5_000_000, 200_000]);
        assert_eq!(parts, [vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn without_photos_a_village_is_one_part() {
        let one = household_bytes(8_000, &[]);
        assert_eq!(cut(DEFAULT_PART_BYTES, &vec![one; 1_000]).len(), 1);
    }

    #[test]
    fn a_limit_below_the_smallest_is_the_smallest() {
        assert_eq!(cut(10, &[400_000, 400_000, 400_000]), [vec![0, 1], vec![2]]);
    }

    #[test]
    fn a_household_counts_its_record_three_times_and_every_photo() {
        assert_eq!(household_bytes(1_000, &[]), 3_512);
        assert_eq!(household_bytes(1_000, &[200_000, 100]), 3_512 + 200_512 + 612);
    }
}
