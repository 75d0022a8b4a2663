//! From verification to aid (issue #24): what the district does with a verified family after
//! the visit — the aid ledger and the TKPK's recap (`ledger`), and the help for re-keying a
//! proposal into Kemensos' SIKS-NG (`siks_ng`).

pub mod ledger;
pub mod siks_ng;

#[cfg(test)]
mod ledger_tests;
#[cfg(test)]
mod siks_ng_tests;
