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
//! - [`sheet`]: the progress as a workbook for the TKPK meeting.

pub mod derived;
pub mod devices;
pub mod progress;
pub mod proof;
pub mod round;
pub mod sheet;

use crate::staff::Scope;
use verval_core::region::RegionCode;

/// An SQL condition on `column` for the villages both `scope` and `region` hold, with
/// placeholders from `$first`, and the values to bind in order.
pub(crate) fn within(
    scope: &Scope,
    region: Option<&RegionCode>,
    column: &str,
    first: usize,
) -> (String, Vec<String>) {
    let (in_scope, mut binds) = scope.condition(column, first);
    let Some(region) = region else {
        return (in_scope, binds);
    };
    let (in_region, more) = Scope::only(region.clone()).condition(column, first + binds.len());
    binds.extend(more);
    (format!("{in_scope} AND {in_region}"), binds)
}
