//! Supervision (issue #21): how far the round is, against each village's target and the
//! round's deadline, by kecamatan, village and enumerator, and which phones have gone quiet.
//! Every number is counted in SQL within the reader's region [`Scope`](crate::staff::Scope);
//! the district pages (`ui::dashboard`) and the progress workbook (`sheet`) read the same
//! [`progress::Progress`].
//!
//! - [`progress`]: the counts per village and per enumerator in a village, summed up to any
//!   level;
//! - [`round`]: the round's start, deadline and silent-phone threshold, village targets, and
//!   the pace they imply;
//! - [`devices`]: each phone's last contact;
//! - [`proof`]: proof of visit over a region: each household's evidence and flags;
//! - [`derived`]: the columns read from each household's current version (its prelist
//!   family, its proof of visit), and deriving them again for older rows;
//! - [`duplicates`]: households that may be one family, found as batches arrive, and the
//!   reviewer's decisions on them;
//! - [`on_phones`]: what each phone last said it holds, begun and finalized, per village;
//! - [`sheet`]: the progress as a workbook for the TKPK meeting.

pub mod derived;
pub mod devices;
pub mod duplicates;
pub mod on_phones;
pub mod progress;
pub mod proof;
pub mod round;
pub mod sheet;

use std::collections::BTreeMap;
use std::ops::AddAssign;
use verval_core::region::area_of;

/// Counts per village (or any region) summed per area of `depth` code segments (3: per
/// kecamatan), in code order.
pub fn summed_by_area<'a, T: AddAssign + Default>(
    counts: impl IntoIterator<Item = (&'a str, T)>,
    depth: usize,
) -> Vec<(String, T)> {
    let mut areas: BTreeMap<&str, T> = BTreeMap::new();
    for (code, n) in counts {
        *areas.entry(area_of(code, depth)).or_default() += n;
    }
    areas.into_iter().map(|(code, n)| (code.to_owned(), n)).collect()
}
