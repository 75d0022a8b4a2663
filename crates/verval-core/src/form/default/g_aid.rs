//! Section G — aid received in the last 12 months (spec §1.8): one row per programme in the
//! repeat `bantuan`. Programmes have letter codes so the list can grow; each has a default
//! funding source and is either for the family or for one member.

use super::codes::{MONTHS, YES_NO};
use super::d_members::ART;
use crate::form::cond::{Cond, Values};
use crate::form::model::{Calc, Choice, Kind, Question, Repeat, Required, SectionItem, TextFormat};
use crate::form::scope::Scope;
use crate::ids::FieldId;
use crate::text::Text;

pub const MENERIMA_BANTUAN: FieldId = FieldId::new("menerima_bantuan");
pub const BANTUAN: FieldId = FieldId::new("bantuan");
pub const PROGRAM: FieldId = FieldId::new("program");
pub const SUMBER_DANA: FieldId = FieldId::new("sumber_dana");
pub const PENERIMA_ART: FieldId = FieldId::new("penerima_art");
pub const BULAN_TERAKHIR: FieldId = FieldId::new("bulan_terakhir");
pub const TAHUN_TERAKHIR: FieldId = FieldId::new("tahun_terakhir");
pub const PROGRAM_LAIN: FieldId = FieldId::new("program_lain");

/// "Other programme": its name is asked.
pub const OTHER_PROGRAMME: &str = "99";

/// The AID list of spec §1.8 (codes are the spec's guesses).
pub const PROGRAMMES: &[Choice] = &[
    Choice::new(
        "PKH",
        "Program Keluarga Harapan (PKH)",
        "Family Hope Programme (PKH)",
    ),
    Choice::new("SEMBAKO", "Program Sembako/BPNT", "Sembako/BPNT food card"),
    Choice::new(
        "PBI_JKN",
        "PBI-JKN (APBN)",
        "State-paid health insurance (PBI-JKN)",
    ),
    Choice::new("PIP", "PIP/KIP sekolah", "School aid (PIP/KIP)"),
    Choice::new("KIP_KULIAH", "KIP Kuliah", "University aid (KIP Kuliah)"),
    Choice::new(
        "BANPANG",
        "Bantuan pangan beras (Bapanas)",
        "Rice food aid (Bapanas)",
    ),
    Choice::new(
        "BLT_LAIN",
        "BLT lain (BLT-BBM, BLT El Nino)",
        "Other cash transfers (fuel, El Niño)",
    ),
    Choice::new(
        "BST",
        "Bantuan Sosial Tunai (BST)",
        "Social cash aid (BST, historic)",
    ),
    Choice::new("BPUM", "BPUM", "Micro-business aid (BPUM, historic)"),
    Choice::new("PRAKERJA", "Kartu Prakerja", "Pre-employment card"),
    Choice::new(
        "KUR",
        "Kredit Usaha Rakyat (KUR)",
        "People's business credit (KUR)",
    ),
    Choice::new(
        "UMI",
        "Pembiayaan Ultra Mikro (UMi)",
        "Ultra-micro financing (UMi)",
    ),
    Choice::new("BSPS", "Bedah rumah/BSPS", "House renovation (BSPS)"),
    Choice::new(
        "ATENSI",
        "ATENSI/YAPI/permakanan (Kemensos)",
        "ATENSI/YAPI/meals (Ministry of Social Affairs)",
    ),
    Choice::new("SUBSIDI_LISTRIK", "Subsidi listrik", "Electricity subsidy"),
    Choice::new("SUBSIDI_PUPUK", "Subsidi pupuk", "Fertiliser subsidy"),
    Choice::new("SUBSIDI_LPG", "Subsidi LPG", "LPG subsidy"),
    Choice::new(
        "PBI_DAERAH",
        "PBI/JKN APBD",
        "Regionally paid health insurance (PBI APBD)",
    ),
    Choice::new("RTLH_KAB", "RTLH kabupaten", "District house repair (RTLH)"),
    Choice::new("BEASISWA_MISKIN", "Beasiswa miskin", "Scholarship for the poor"),
    Choice::new(
        "ALAT_BANTU_DISABILITAS",
        "Alat bantu disabilitas",
        "Disability aids",
    ),
    Choice::new("YATIM_PIATU", "Bantuan yatim piatu", "Orphan aid"),
    Choice::new(
        "BLT_DBHCHT",
        "BLT DBHCHT",
        "Cash transfer from tobacco excise (DBHCHT)",
    ),
    Choice::new(
        "BLT_DID",
        "BLT DID",
        "Cash transfer from regional incentive fund (DID)",
    ),
    Choice::new("JAMBANISASI", "Jambanisasi", "Toilet construction"),
    Choice::new("AIR_BERSIH", "Akses air bersih", "Clean water access"),
    Choice::new("JARINGAN_LISTRIK", "Jaringan listrik", "Electricity connection"),
    Choice::new("PADAT_KARYA", "Padat karya", "Cash for work"),
    Choice::new("PELATIHAN", "Pelatihan", "Training"),
    Choice::new(
        "BANSOS_PEMDA_LAIN",
        "Bantuan Pemda lainnya",
        "Other regional government aid",
    ),
    Choice::new("BLT_DD", "BLT Dana Desa", "Village fund cash transfer (BLT DD)"),
    Choice::new("RTLH_DESA", "RTLH desa", "Village house repair (RTLH)"),
    Choice::new("CSR_BAZNAS", "CSR/Baznas", "CSR/Baznas"),
    Choice::new(OTHER_PROGRAMME, "Lainnya", "Other"),
];

/// Programmes given to one person rather than the family: their beneficiary is asked.
pub const INDIVIDUAL_PROGRAMMES: &[&str] = &[
    "PBI_JKN",
    "PIP",
    "KIP_KULIAH",
    "BPUM",
    "PRAKERJA",
    "KUR",
    "UMI",
    "ATENSI",
    "PBI_DAERAH",
    "BEASISWA_MISKIN",
    "ALAT_BANTU_DISABILITAS",
    "YATIM_PIATU",
    "PADAT_KARYA",
    "PELATIHAN",
];

/// The funding sources of `sumber_dana` (the aid ledger groups coverage by them).
pub const FUNDING: &[Choice] = &[
    Choice::new("1", "APBN", "State budget (APBN)"),
    Choice::new("2", "APBD Provinsi", "Provincial budget"),
    Choice::new("3", "APBD Kabupaten/Kota", "District budget"),
    Choice::new("4", "APBDes (Dana Desa)", "Village budget (Dana Desa)"),
    Choice::new("5", "Swasta/CSR/Baznas", "Private/CSR/Baznas"),
    Choice::new("9", "Lainnya", "Other"),
];

/// Programmes of the spec's APBD group.
const REGIONALLY_FUNDED: &[&str] = &[
    "PBI_DAERAH",
    "RTLH_KAB",
    "BEASISWA_MISKIN",
    "ALAT_BANTU_DISABILITAS",
    "YATIM_PIATU",
    "BLT_DBHCHT",
    "BLT_DID",
    "JAMBANISASI",
    "AIR_BERSIH",
    "JARINGAN_LISTRIK",
    "PADAT_KARYA",
    "PELATIHAN",
    "BANSOS_PEMDA_LAIN",
];

/// The usual funding source of a programme, by its group in the spec's AID list. Regional
/// programmes default to the district budget, where most of them sit; the enumerator can
/// change it.
pub fn default_funding(programme: &str) -> Option<&'static str> {
    match programme {
        "BLT_DD" | "RTLH_DESA" => Some("4"),
        "CSR_BAZNAS" => Some("5"),
        code if REGIONALLY_FUNDED.contains(&code) => Some("3"),
        code if code != OTHER_PROGRAMME && PROGRAMMES.iter().any(|c| c.code == code) => Some("1"),
        _ => None,
    }
}

fn funding_prefill(scope: &Scope<'_>) -> Option<String> {
    default_funding(scope.value(PROGRAM).trim()).map(str::to_owned)
}

static AID_QUESTIONS: [Question; 6] = [
    Question::new(
        PROGRAM,
        Text::new("Jenis bantuan", "Programme"),
        Kind::SelectOne(PROGRAMMES),
        Required::Yes,
    ),
    Question {
        relevant: Some(Cond::Is(PROGRAM, &[OTHER_PROGRAMME])),
        ..Question::new(
            PROGRAM_LAIN,
            Text::new("Nama bantuan lainnya", "Other programme name"),
            Kind::Text {
                min_len: 2,
                max_len: 100,
                format: TextFormat::Free,
            },
            Required::Yes,
        )
    },
    Question {
        calc: Some(Calc::prefill(funding_prefill)),
        ..Question::new(
            SUMBER_DANA,
            Text::new("Sumber dana", "Funding source"),
            Kind::SelectOne(FUNDING),
            Required::Yes,
        )
    },
    Question {
        relevant: Some(Cond::Is(PROGRAM, INDIVIDUAL_PROGRAMMES)),
        ..Question::new(
            PENERIMA_ART,
            Text::new(
                "Anggota penerima (untuk bantuan perorangan)",
                "Beneficiary member",
            ),
            Kind::RowOf(ART),
            Required::Yes,
        )
    },
    Question::new(
        BULAN_TERAKHIR,
        Text::new("Bulan terakhir menerima", "Month last received"),
        Kind::SelectOne(MONTHS),
        Required::No,
    ),
    Question::new(
        TAHUN_TERAKHIR,
        Text::new("Tahun terakhir menerima", "Year last received"),
        Kind::Integer { min: 2000, max: 2100 },
        Required::No,
    ),
];

pub(super) static ITEMS: [SectionItem; 2] = [
    SectionItem::Question(Question::new(
        MENERIMA_BANTUAN,
        Text::new(
            "Dalam 1 tahun terakhir menerima bantuan pemerintah/swasta?",
            "Received any aid in the last 12 months?",
        ),
        Kind::SelectOne(YES_NO),
        Required::Yes,
    )),
    SectionItem::Repeat(Repeat {
        id: BANTUAN,
        label: Text::new("Bantuan yang diterima", "Aid received"),
        min_rows: 1,
        max_rows: 40,
        relevant: Some(Cond::Is(MENERIMA_BANTUAN, &["1"])),
        questions: &AID_QUESTIONS,
        blocks: &[],
        title: Some(PROGRAM),
    }),
];
