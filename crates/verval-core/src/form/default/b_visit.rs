//! Section B — visit and enumerator (spec §1.3, Regsosek Blok II analogue).

use crate::form::cond::Cond;
use crate::form::model::{Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::ids::FieldId;
use crate::text::Text;

pub const TANGGAL_KUNJUNGAN: FieldId = FieldId::new("tanggal_kunjungan");
pub const NAMA_PETUGAS: FieldId = FieldId::new("nama_petugas");
pub const PERAN_PETUGAS: FieldId = FieldId::new("peran_petugas");
pub const TANGGAL_PEMERIKSAAN: FieldId = FieldId::new("tanggal_pemeriksaan");
pub const NAMA_PEMERIKSA: FieldId = FieldId::new("nama_pemeriksa");
pub const HASIL_WAWANCARA: FieldId = FieldId::new("hasil_wawancara");
pub const NAMA_RESPONDEN: FieldId = FieldId::new("nama_responden");
pub const HUBUNGAN_RESPONDEN: FieldId = FieldId::new("hubungan_responden");

/// Someone answered, fully or in part.
pub const INTERVIEWED: Cond = Cond::Is(HASIL_WAWANCARA, &["1", "2"]);

const ROLES: &[Choice] = &[
    Choice::new("1", "Operator/perangkat desa", "Village operator/official"),
    Choice::new("2", "TKSK", "TKSK (sub-district social welfare worker)"),
    Choice::new("3", "Pendamping PKH", "PKH facilitator"),
    Choice::new("4", "PSM/kader", "Community social worker/cadre"),
    Choice::new("5", "Pendamping desa", "Village facilitator"),
    Choice::new("6", "PLKB", "Family planning field officer (PLKB)"),
    Choice::new("7", "Kasi Kesra kecamatan", "Sub-district welfare section head"),
    Choice::new("9", "Lainnya", "Other"),
];

const RESULTS: &[Choice] = &[
    Choice::new("1", "Terisi lengkap", "Completed"),
    Choice::new("2", "Terisi tidak lengkap", "Partly completed"),
    Choice::new(
        "3",
        "Tidak ada responden sampai akhir masa pendataan",
        "No respondent until the end of the fieldwork",
    ),
    Choice::new("4", "Responden menolak", "Respondent refused"),
    Choice::new("5", "Keluarga pindah", "Family moved"),
];

const NAME: Kind = Kind::Text {
    min_len: 1,
    max_len: 100,
    format: TextFormat::Name,
};

pub(super) static ITEMS: [SectionItem; 8] = [
    SectionItem::Question(Question::new(
        TANGGAL_KUNJUNGAN,
        Text::new("Tanggal kunjungan", "Visit date"),
        Kind::Date {
            past_only: true,
            unknown_parts: false,
        },
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        NAMA_PETUGAS,
        Text::new("Nama petugas", "Enumerator name"),
        NAME,
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        PERAN_PETUGAS,
        Text::new("Unsur petugas", "Enumerator role"),
        Kind::SelectOne(ROLES),
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        TANGGAL_PEMERIKSAAN,
        Text::new("Tanggal pemeriksaan", "Supervisor check date"),
        Kind::Date {
            past_only: true,
            unknown_parts: false,
        },
        Required::No,
    )),
    SectionItem::Question(Question::new(
        NAMA_PEMERIKSA,
        Text::new("Nama pemeriksa", "Supervisor name"),
        NAME,
        Required::No,
    )),
    SectionItem::Question(Question::new(
        HASIL_WAWANCARA,
        Text::new("Hasil pendataan keluarga", "Interview result"),
        Kind::SelectOne(RESULTS),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        relevant: Some(INTERVIEWED),
        ..Question::new(
            NAMA_RESPONDEN,
            Text::new("Nama responden", "Respondent name"),
            NAME,
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(INTERVIEWED),
        ..Question::new(
            HUBUNGAN_RESPONDEN,
            Text::new(
                "Hubungan responden dengan kepala keluarga",
                "Respondent's relation to the head",
            ),
            Kind::SelectOne(super::codes::RESPONDENT_RELATIONS),
            Required::Yes,
        )
    }),
];
