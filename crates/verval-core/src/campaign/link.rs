//! What a record keeps of its prelist family. Stored in the record itself (schema 3), not
//! beside it: the comparison travels with the record to every batch and to the hub, and a
//! later re-import of the prelist cannot change what this visit was checked against.

use crate::prelist::PrelistFamily;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrelistLink {
    /// The family as the prelist listed it when the visit began.
    pub family: PrelistFamily,
    /// For each listed member (same order as `family.members`), the key of the member row
    /// it was prefilled into. Row keys are never reused, so a member removed from the form
    /// is seen as removed, never as somebody else.
    pub member_rows: Vec<u32>,
}
