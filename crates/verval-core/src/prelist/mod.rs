//! Prelists (issue #7): the district's by-name list of families to verify (P3KE, DTKS/DTSEN),
//! as a spreadsheet somebody exported, edited and re-saved — header rows above the table,
//! blank rows inside it, NIK and KK stored as text or as numbers, sometimes already ruined
//! by Excel.
//!
//! - [`cell`]: a sheet as rows of cells, whatever file it came from; [`files`] reads XLSX
//!   and CSV into it (linked only by the modules that call it: the hub, the campaign
//!   page's prelist worker);
//! - [`number`]: NIK and KK out of a cell, refusing what Excel destroyed;
//! - [`columns`]: what each column means: the P3KE template preset, header-row detection;
//! - [`mapping`]: the column-mapping screen's model, for lists not laid out like the template;
//! - [`read`]: rows to families with their members, every problem named by row and column.

pub mod cell;
pub mod columns;
pub mod files;
#[cfg(any(test, feature = "testing"))]
pub mod fixtures;
pub mod mapping;
pub mod number;
pub mod read;

pub use cell::{Cell, Sheet};
pub use columns::{Target, P3KE_PRESET};
pub use read::{read_prelist, Prelist, PrelistFamily, PrelistMember, Problem};

#[cfg(test)]
mod tests;
