//! From verification to aid (issue #24): what the district does with a verified family after
//! the visit — the aid ledger and the TKPK's recap (`ledger`), the village meeting's list
//! and decisions (`musdes`), a meeting recorded on the phone and its way to the hub and back
//! (`meeting_book`), the lists its agreed proposals go on by (`channels`), the help
//! for re-keying a proposal into Kemensos' SIKS-NG (`siks_ng`), and SIKS-NG's answers read
//! back from a spreadsheet (`siks_results`); the programmes known, the form's and the
//! district's own (`programmes`).

pub mod channels;
pub mod ledger;
pub mod meeting_book;
pub mod musdes;
pub mod musdes_documents;
pub mod programmes;
pub mod siks_ng;
pub mod siks_results;

#[cfg(test)]
mod channels_tests;
#[cfg(test)]
mod ledger_tests;
#[cfg(test)]
mod meeting_book_tests;
#[cfg(test)]
mod musdes_tests;
#[cfg(test)]
mod programmes_tests;
#[cfg(test)]
mod siks_ng_tests;
#[cfg(test)]
mod siks_results_tests;
