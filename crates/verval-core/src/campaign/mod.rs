//! Verification campaigns (issue #7): walking the district's prelist family by family.
//!
//! - [`link`]: what a record keeps of the prelist family it was prefilled from;
//! - [`prefill`]: a prelist family (or a new family in a village) as a draft record;
//! - [`compare`]: per field, the prelist value beside the observed one, and its table in
//!   the export;
//! - [`assignment`]: an assignment file (the hub's answer, saved) read strictly;
//! - [`merge`]: a new list joined to the families on the phone, by source, never dropping one;
//! - [`progress`]: which families were visited, per village, and the village recap;
//! - [`find`]: the search box among listed families;
//! - [`duplicates`]: the same NIK or KK in two families, offline;
//! - [`share`]: an enumerator's share of a village split with another.

pub mod assignment;
pub mod compare;
pub mod duplicates;
pub mod find;
pub mod link;
pub mod merge;
pub mod prefill;
pub mod progress;
pub mod share;

pub use link::PrelistLink;

#[cfg(test)]
mod fixtures;
