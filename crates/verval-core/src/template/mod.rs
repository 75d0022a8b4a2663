//! Spreadsheet templates the district hands out and takes back, each described once: what
//! the export writes into each column and what the prelist reader takes from it.

pub mod p3ke;
