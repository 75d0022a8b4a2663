//! Section C — whether the family was found, and what became of it (spec §1.4).

use crate::form::cond::Cond;
use crate::form::model::{Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::ids::FieldId;
use crate::region::RegionLevel;
use crate::text::Text;

pub const STATUS_VERIFIKASI: FieldId = FieldId::new("status_verifikasi");
pub const GANDA_DENGAN: FieldId = FieldId::new("ganda_dengan");
pub const GABUNG_KE_KK: FieldId = FieldId::new("gabung_ke_kk");
pub const PINDAH_TUJUAN_DESA: FieldId = FieldId::new("pindah_tujuan_desa");
pub const KETERANGAN_VERIFIKASI: FieldId = FieldId::new("keterangan_verifikasi");

/// Outcomes after which sections D–G are skipped (spec §1.4, skip logic).
pub const NOT_VISITABLE: Cond = Cond::Is(STATUS_VERIFIKASI, &["4", "5", "6", "7", "8", "9"]);

const OUTCOMES: &[Choice] = &[
    Choice::new("1", "Ditemukan, data sesuai", "Found, data correct"),
    Choice::new(
        "2",
        "Ditemukan, data perlu perbaikan",
        "Found, data needs correcting",
    ),
    Choice::new(
        "3",
        "Pindah alamat dalam desa yang sama",
        "Moved within the same village",
    ),
    Choice::new("4", "Pindah ke luar desa/kelurahan", "Moved out of the village"),
    Choice::new(
        "5",
        "Seluruh anggota meninggal/keluarga bubar",
        "All members died / family dissolved",
    ),
    Choice::new(
        "6",
        "Tidak ditemukan (alamat/nama tidak dikenal)",
        "Not found (address/name unknown)",
    ),
    Choice::new("7", "Data ganda", "Duplicate record"),
    Choice::new(
        "8",
        "Bergabung/menjadi bagian keluarga lain",
        "Joined another family",
    ),
    Choice::new("9", "Menolak didata", "Refused"),
    Choice::new(
        "10",
        "Keluarga baru (usulan, tidak ada di prelist)",
        "New family (proposed, not on the prelist)",
    ),
];

pub(super) static ITEMS: [SectionItem; 5] = [
    SectionItem::Question(Question::new(
        STATUS_VERIFIKASI,
        Text::new("Status keberadaan keluarga", "Family verification status"),
        Kind::SelectOne(OUTCOMES),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "No. KK, NIK (16 angka) atau ID prelist",
            "KK no., NIK (16 digits) or prelist ID",
        )),
        relevant: Some(Cond::Is(STATUS_VERIFIKASI, &["7"])),
        ..Question::new(
            GANDA_DENGAN,
            Text::new(
                "Ganda dengan (ID/No. KK/NIK lain)",
                "Duplicate of (other ID/KK/NIK)",
            ),
            Kind::Text {
                min_len: 1,
                max_len: 40,
                format: TextFormat::Free,
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        hint: Some(Text::new("16 angka", "16 digits")),
        relevant: Some(Cond::Is(STATUS_VERIFIKASI, &["8"])),
        ..Question::new(
            GABUNG_KE_KK,
            Text::new("Bergabung ke No. KK", "Merged into family card no."),
            Kind::Text {
                min_len: 16,
                max_len: 16,
                format: TextFormat::Kk,
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(STATUS_VERIFIKASI, &["4"])),
        ..Question::new(
            PINDAH_TUJUAN_DESA,
            Text::new("Desa tujuan pindah", "Destination village"),
            Kind::Region(RegionLevel::Village),
            Required::No,
        )
    }),
    SectionItem::Question(Question::new(
        KETERANGAN_VERIFIKASI,
        Text::new("Keterangan", "Remarks"),
        Kind::Text {
            min_len: 0,
            max_len: 500,
            format: TextFormat::Free,
        },
        Required::When(NOT_FOUND_OR_GONE),
    )),
];

/// Outcomes that must be explained in the remarks (spec §1.4).
const NOT_FOUND_OR_GONE: Cond = Cond::Is(STATUS_VERIFIKASI, &["5", "6", "7", "8", "9"]);
