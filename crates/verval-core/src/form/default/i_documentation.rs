//! Section I — photos, consent and notes (spec §1.10).

use super::a_identity::FOUND_AT_HOME;
use super::b_visit::HASIL_WAWANCARA;
use crate::form::cond::Cond;
use crate::form::model::{Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::ids::FieldId;
use crate::text::Text;

pub const FOTO_RUMAH_DEPAN: FieldId = FieldId::new("foto_rumah_depan");
pub const FOTO_DALAM_RUMAH: FieldId = FieldId::new("foto_dalam_rumah");
pub const FOTO_ATAP: FieldId = FieldId::new("foto_atap");
pub const FOTO_LANTAI: FieldId = FieldId::new("foto_lantai");
pub const FOTO_DINDING: FieldId = FieldId::new("foto_dinding");
pub const FOTO_JAMBAN: FieldId = FieldId::new("foto_jamban");
pub const FOTO_KTP_KK: FieldId = FieldId::new("foto_ktp_kk");
pub const PERSETUJUAN: FieldId = FieldId::new("persetujuan");
pub const TANDA_TANGAN: FieldId = FieldId::new("tanda_tangan");
pub const CATATAN: FieldId = FieldId::new("catatan");

const CONSENT: &[Choice] = &[Choice::new("1", "Ya", "Yes"), Choice::new("2", "Tidak", "No")];

const fn photo(id: FieldId, label: Text, required: Required) -> SectionItem {
    SectionItem::Question(Question {
        relevant: Some(FOUND_AT_HOME),
        ..Question::new(id, label, Kind::Photo, required)
    })
}

pub(super) static ITEMS: [SectionItem; 10] = [
    photo(
        FOTO_RUMAH_DEPAN,
        Text::new("Foto rumah tampak depan", "House front photo"),
        Required::Yes,
    ),
    photo(
        FOTO_DALAM_RUMAH,
        Text::new("Foto dalam rumah", "Inside photo"),
        Required::No,
    ),
    photo(FOTO_ATAP, Text::new("Foto atap", "Roof photo"), Required::No),
    photo(FOTO_LANTAI, Text::new("Foto lantai", "Floor photo"), Required::No),
    photo(
        FOTO_DINDING,
        Text::new("Foto dinding", "Wall photo"),
        Required::No,
    ),
    photo(
        FOTO_JAMBAN,
        Text::new("Foto jamban", "Toilet photo"),
        Required::No,
    ),
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "Data pribadi: hanya untuk petugas",
            "Personal data: for officials only",
        )),
        ..Question::new(
            FOTO_KTP_KK,
            Text::new("Foto KTP/KK", "ID/family-card photo"),
            Kind::Photo,
            Required::No,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(HASIL_WAWANCARA, &["1", "2"])),
        ..Question::new(
            PERSETUJUAN,
            Text::new(
                "Responden menyatakan informasi benar dan bersedia data digunakan untuk keperluan pemerintah",
                "The respondent states the information is true and consents to its use by the government",
            ),
            Kind::SelectOne(CONSENT),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(PERSETUJUAN, &["1"])),
        ..Question::new(
            TANDA_TANGAN,
            Text::new("Tanda tangan/cap jempol responden", "Respondent signature"),
            Kind::Drawing,
            Required::No,
        )
    }),
    SectionItem::Question(Question::new(
        CATATAN,
        Text::new("Catatan petugas", "Notes"),
        Kind::Text {
            min_len: 0,
            max_len: 1000,
            format: TextFormat::Free,
        },
        Required::No,
    )),
];
