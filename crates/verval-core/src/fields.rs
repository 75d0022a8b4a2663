//! The identity fields every layer names (the household list, summaries, duplicate checks):
//! head of family, family card number and address (spec §1.2). The rest of the form's fields
//! are in `form::default`.
//!
//! Field ids are the spec's: they are the inputs' `name`, the keys of stored answers and the
//! export column names, so they never change.

use crate::ids::FieldId;

pub const NAMA_KEPALA_KELUARGA: FieldId = FieldId::new("nama_kepala_keluarga");
pub const NOMOR_KK: FieldId = FieldId::new("nomor_kk");
pub const ALAMAT: FieldId = FieldId::new("alamat");
