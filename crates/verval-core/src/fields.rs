//! The identity fields of the household form that the app edits today: head of family,
//! family card number and address (spec §1.2).
//!
//! Field ids are the spec's: they are the inputs' `name`, the keys of stored answers and the
//! export column names, so they never change.

use crate::ids::FieldId;
use crate::text::Text;

pub const NAMA_KEPALA_KELUARGA: FieldId = FieldId::new("nama_kepala_keluarga");
pub const NOMOR_KK: FieldId = FieldId::new("nomor_kk");
pub const ALAMAT: FieldId = FieldId::new("alamat");

/// How a field is typed on a phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// One line of free text.
    Text,
    /// Several lines of free text.
    LongText,
    /// A number written as digits (ids, not quantities): numeric keyboard, leading zeros kept.
    Digits,
}

/// One field: what the enumerator sees and what the input allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub id: FieldId,
    pub label: Text,
    pub hint: Text,
    pub input: InputKind,
    /// Hard cap on typed length, so a stuck key or a paste cannot grow a record without bound.
    pub max_len: usize,
}

/// The fields in the order the form shows them.
pub const IDENTITY_FIELDS: [FieldSpec; 3] = [
    FieldSpec {
        id: NAMA_KEPALA_KELUARGA,
        label: Text::new("Nama kepala keluarga", "Head of family name"),
        hint: Text::new("Sesuai KK/KTP", "As on the family card or ID card"),
        input: InputKind::Text,
        max_len: 100,
    },
    FieldSpec {
        id: NOMOR_KK,
        label: Text::new("Nomor Kartu Keluarga", "Family card number"),
        hint: Text::new("16 angka", "16 digits"),
        input: InputKind::Digits,
        max_len: 16,
    },
    FieldSpec {
        id: ALAMAT,
        label: Text::new("Alamat domisili (sesuai kondisi lapangan)", "Address as observed"),
        hint: Text::new("Jalan, nomor rumah, patokan", "Street, house number, landmark"),
        input: InputKind::LongText,
        max_len: 300,
    },
];

/// The spec of a field by id, if it is one of ours.
pub fn field_spec(id: &str) -> Option<&'static FieldSpec> {
    IDENTITY_FIELDS.iter().find(|f| f.id.as_str() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_the_spec_ids_and_unique() {
        let ids: Vec<&str> = IDENTITY_FIELDS.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["nama_kepala_keluarga", "nomor_kk", "alamat"]);
        for id in ids {
            assert_eq!(field_spec(id).map(|f| f.id.as_str()), Some(id));
        }
        assert_eq!(field_spec("nik"), None);
    }
}
