//! Section A — family identity and location (spec §1.2, Regsosek Blok I).

use super::c_outcome::STATUS_VERIFIKASI;
use super::d_members::{ART, LIVING_CODES, STATUS_KEBERADAAN_ART};
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA, NOMOR_KK};
use crate::form::cond::Cond;
use crate::form::model::{Calc, Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::form::scope::Scope;
use crate::ids::FieldId;
use crate::region::RegionLevel;
use crate::text::Text;

pub const PRELIST_ID: FieldId = FieldId::new("prelist_id");
pub const PRELIST_SOURCE: FieldId = FieldId::new("prelist_source");
pub const PRELIST_DESIL: FieldId = FieldId::new("prelist_desil");
pub const PRELIST_PADAN_DUKCAPIL: FieldId = FieldId::new("prelist_padan_dukcapil");
pub const KODE_PROVINSI: FieldId = FieldId::new("kode_provinsi");
pub const KODE_KABKOTA: FieldId = FieldId::new("kode_kabkota");
pub const KODE_KECAMATAN: FieldId = FieldId::new("kode_kecamatan");
pub const KODE_DESA: FieldId = FieldId::new("kode_desa");
/// The family's region, province first: each answer lies inside the one before it.
pub const REGION_CASCADE: [FieldId; 4] = [KODE_PROVINSI, KODE_KABKOTA, KODE_KECAMATAN, KODE_DESA];
pub const DUSUN: FieldId = FieldId::new("dusun");
pub const RW: FieldId = FieldId::new("rw");
pub const RT: FieldId = FieldId::new("rt");
pub const LOKASI_RUMAH: FieldId = FieldId::new("lokasi_rumah");
pub const STATUS_KK: FieldId = FieldId::new("status_kk");
pub const FOTO_KK: FieldId = FieldId::new("foto_kk");
pub const JUMLAH_KELUARGA_DALAM_RUMAH: FieldId = FieldId::new("jumlah_keluarga_dalam_rumah");
pub const JUMLAH_ART: FieldId = FieldId::new("jumlah_art");

/// Members living together: roster rows with presence 1 (lives here) or 4 (new member).
/// Regsosek's validator counts {1,5}; {1,4} is what the item means (spec §1.11 rule 2).
fn living_members(scope: &Scope<'_>) -> Option<String> {
    let rows = scope.rows(ART);
    let living = rows
        .iter()
        .filter(|r| LIVING_CODES.contains(&r.answers.get(STATUS_KEBERADAAN_ART)));
    Some(living.count().to_string())
}

/// The family was found where it lives (or is new): ask for the house itself.
pub const FOUND_AT_HOME: Cond = Cond::Is(STATUS_VERIFIKASI, &["1", "2", "3", "10"]);

const PRELIST_SOURCES: &[Choice] = &[
    Choice::new("1", "P3KE", "P3KE"),
    Choice::new("2", "DTKS/DTSEN", "DTKS/DTSEN"),
    Choice::new("3", "Regsosek", "Regsosek"),
    Choice::new(
        "4",
        "Usulan baru (musdes/RT/RW)",
        "New proposal (village meeting/RT/RW)",
    ),
    Choice::new(
        "5",
        "Pendaftaran mandiri (Cek Bansos)",
        "Self-registration (Cek Bansos)",
    ),
    Choice::new("9", "Lainnya", "Other"),
];

const PADAN: &[Choice] = &[
    Choice::new("1", "Padan", "Matched"),
    Choice::new("2", "Tidak padan", "Not matched"),
    Choice::new("9", "Belum dicek", "Not checked"),
];

const KK_POSSESSION: &[Choice] = &[
    Choice::new(
        "1",
        "Memiliki KK, dapat ditunjukkan",
        "Has a family card and can show it",
    ),
    Choice::new(
        "2",
        "Memiliki KK, tidak dapat ditunjukkan",
        "Has a family card but cannot show it",
    ),
    Choice::new("3", "Tidak/belum memiliki KK", "Has no family card (yet)"),
];

pub(super) static ITEMS: [SectionItem; 19] = [
    SectionItem::Question(Question {
        locked_when_listed: true,
        hint: Some(Text::new(
            "Terisi otomatis bila dari daftar prelist",
            "Filled in when imported from a prelist",
        )),
        ..Question::new(
            PRELIST_ID,
            Text::new(
                "ID prelist (ID Keluarga P3KE / ID DTKS / ID DTSEN)",
                "Prelist record ID",
            ),
            Kind::Text {
                min_len: 0,
                max_len: 40,
                format: TextFormat::Free,
            },
            Required::No,
        )
    }),
    SectionItem::Question(Question::new(
        PRELIST_SOURCE,
        Text::new("Sumber data prelist", "Prelist source"),
        Kind::SelectOne(PRELIST_SOURCES),
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        PRELIST_DESIL,
        Text::new(
            "Desil kesejahteraan (dari prelist)",
            "Welfare decile (from prelist)",
        ),
        Kind::Integer { min: 1, max: 10 },
        Required::No,
    )),
    SectionItem::Question(Question::new(
        PRELIST_PADAN_DUKCAPIL,
        Text::new(
            "Status padan Dukcapil (prelist)",
            "Matched to civil registry (prelist)",
        ),
        Kind::SelectOne(PADAN),
        Required::No,
    )),
    SectionItem::Question(Question {
        regsosek: Some("r101"),
        ..Question::new(
            KODE_PROVINSI,
            Text::new("Provinsi", "Province"),
            Kind::Region(RegionLevel::Province),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r102"),
        ..Question::new(
            KODE_KABKOTA,
            Text::new("Kabupaten/Kota", "Regency/City"),
            Kind::Region(RegionLevel::Regency),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r103"),
        ..Question::new(
            KODE_KECAMATAN,
            Text::new("Kecamatan", "District"),
            Kind::Region(RegionLevel::District),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r104"),
        ..Question::new(
            KODE_DESA,
            Text::new("Desa/Kelurahan", "Village"),
            Kind::Region(RegionLevel::Village),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question::new(
        DUSUN,
        Text::new("Dusun/Lingkungan", "Hamlet"),
        Kind::Text {
            min_len: 0,
            max_len: 60,
            format: TextFormat::Free,
        },
        Required::No,
    )),
    SectionItem::Question(Question {
        hint: Some(Text::new("Angka, misalnya 003", "Digits, e.g. 003")),
        ..Question::new(
            RW,
            Text::new("RW", "RW (neighbourhood unit)"),
            Kind::Text {
                min_len: 0,
                max_len: 3,
                format: TextFormat::Digits { min: 1, max: 3 },
            },
            Required::No,
        )
    }),
    SectionItem::Question(Question {
        hint: Some(Text::new("Angka, misalnya 001", "Digits, e.g. 001")),
        ..Question::new(
            RT,
            Text::new("RT", "RT (neighbourhood unit)"),
            Kind::Text {
                min_len: 0,
                max_len: 3,
                format: TextFormat::Digits { min: 1, max: 3 },
            },
            Required::No,
        )
    }),
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "Jalan, nomor rumah, patokan",
            "Street, house number, landmark",
        )),
        regsosek: Some("r107"),
        ..Question::new(
            ALAMAT,
            Text::new("Alamat domisili (sesuai kondisi lapangan)", "Address as observed"),
            Kind::Text {
                min_len: 5,
                max_len: 300,
                format: TextFormat::Free,
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(FOUND_AT_HOME),
        ..Question::new(
            LOKASI_RUMAH,
            Text::new("Titik koordinat rumah", "House GPS location"),
            Kind::Geopoint,
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        hint: Some(Text::new("Sesuai KK/KTP", "As on the family card or ID card")),
        regsosek: Some("r108"),
        ..Question::new(
            NAMA_KEPALA_KELUARGA,
            Text::new("Nama kepala keluarga", "Head of family name"),
            Kind::Text {
                min_len: 1,
                max_len: 100,
                format: TextFormat::Name,
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        hint: Some(Text::new("16 angka", "16 digits")),
        regsosek: Some("r114"),
        ..Question::new(
            NOMOR_KK,
            Text::new("Nomor Kartu Keluarga", "Family card number"),
            Kind::Text {
                min_len: 16,
                max_len: 16,
                format: TextFormat::Kk,
            },
            Required::When(Cond::Not(&Cond::Is(STATUS_KK, &["3"]))),
        )
    }),
    SectionItem::Question(Question::new(
        STATUS_KK,
        Text::new("Kepemilikan Kartu Keluarga", "Family-card possession"),
        Kind::SelectOne(KK_POSSESSION),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(STATUS_KK, &["1"])),
        ..Question::new(
            FOTO_KK,
            Text::new("Foto Kartu Keluarga", "Photo of family card"),
            Kind::Photo,
            Required::No,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(FOUND_AT_HOME),
        ..Question::new(
            JUMLAH_KELUARGA_DALAM_RUMAH,
            Text::new(
                "Jumlah keluarga dalam satu rumah",
                "Number of families in the dwelling",
            ),
            Kind::Integer { min: 1, max: 20 },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r112"),
        ..Question::calculated(
            JUMLAH_ART,
            Text::new(
                "Jumlah anggota keluarga (tinggal bersama)",
                "Number of family members living together",
            ),
            Calc::new(living_members),
        )
    }),
];
