//! Section H — assessment, decision and proposals (spec §1.9), with the BPS poverty
//! criteria: the observable ones (1–7 and 13) derived from sections D and E, the others
//! ticked by the enumerator.

use super::d_members::{ART, HUBUNGAN_KK, IJAZAH_TERTINGGI, PARTISIPASI_SEKOLAH};
use super::e_housing::{
    BAHAN_BAKAR_MASAK, FASILITAS_BAB, JENIS_DINDING, JENIS_LANTAI, KONDISI_DINDING, KONDISI_LANTAI,
    LUAS_LANTAI_PER_KAPITA, SUMBER_AIR_MINUM, SUMBER_PENERANGAN,
};
use super::g_aid::PROGRAMMES;
use crate::form::cond::{Cond, Values};
use crate::form::model::{Calc, Choice, Kind, Question, Required, SectionItem, TextFormat};
use crate::form::scope::Scope;
use crate::ids::FieldId;
use crate::text::Text;

pub const KRITERIA_BPS14_OTOMATIS: FieldId = FieldId::new("kriteria_bps14_otomatis");
pub const KRITERIA_BPS14: FieldId = FieldId::new("kriteria_bps14");
pub const JUMLAH_KRITERIA: FieldId = FieldId::new("jumlah_kriteria");
pub const PENDAPATAN_PERKAPITA: FieldId = FieldId::new("pendapatan_perkapita");
pub const MEMENUHI_KRITERIA_P3KE: FieldId = FieldId::new("memenuhi_kriteria_p3ke");
pub const ALASAN_TIDAK_MEMENUHI: FieldId = FieldId::new("alasan_tidak_memenuhi");
pub const STATUS_KESEJAHTERAAN_USULAN: FieldId = FieldId::new("status_kesejahteraan_usulan");
pub const REKOMENDASI: FieldId = FieldId::new("rekomendasi");
pub const BANTUAN_DIUSULKAN: FieldId = FieldId::new("bantuan_diusulkan");
pub const ALASAN_USULAN: FieldId = FieldId::new("alasan_usulan");
pub const NOMOR_BA_MUSDES: FieldId = FieldId::new("nomor_ba_musdes");
pub const TANGGAL_MUSDES: FieldId = FieldId::new("tanggal_musdes");

/// Recommendation 4: propose as a new entry in DTKS/DTSEN.
pub const PROPOSE_NEW: &str = "4";

/// The criteria derived from the housing answers and the head's education (1–7, 13).
const OBSERVED_CRITERIA: &[Choice] = &[
    Choice::new("1", "Luas lantai < 8 m²/orang", "Floor < 8 m² per person"),
    Choice::new(
        "2",
        "Lantai tanah/bambu/kayu jelek",
        "Earth, bamboo or poor wood floor",
    ),
    Choice::new(
        "3",
        "Dinding bambu/rumbia/kayu jelek/tembok tanpa plester",
        "Bamboo, thatch, poor wood or unplastered walls",
    ),
    Choice::new("4", "Tidak punya jamban sendiri", "No own toilet"),
    Choice::new("5", "Penerangan bukan listrik", "No electric lighting"),
    Choice::new(
        "6",
        "Air minum tak terlindung/sungai/hujan",
        "Unprotected, surface or rain water",
    ),
    Choice::new(
        "7",
        "Memasak dengan kayu bakar/arang/minyak tanah",
        "Cooks with firewood, charcoal or kerosene",
    ),
    Choice::new(
        "13",
        "Pendidikan kepala keluarga paling tinggi SD",
        "Head's schooling primary at most",
    ),
];

/// The criteria the enumerator judges (8–12, 14); 1–7 and 13 are derived.
const ASKED_CRITERIA: &[Choice] = &[
    Choice::new("8", "Makan daging/susu/ayam paling banyak 1× seminggu", "Meat/milk/chicken at most once a week"),
    Choice::new("9", "Membeli pakaian baru paling banyak 1 stel setahun", "Buys at most one new set of clothes a year"),
    Choice::new("10", "Makan paling banyak 2× sehari", "Eats at most twice a day"),
    Choice::new("11", "Tidak sanggup membayar biaya puskesmas/poliklinik", "Cannot pay for the health centre"),
    Choice::new(
        "12",
        "Sumber penghasilan kepala keluarga: petani lahan < 500 m², buruh tani/nelayan/buruh bangunan/perkebunan, atau pendapatan < Rp600.000/bulan",
        "Head's income: farmer on < 500 m², farm/fishing/construction/plantation labourer, or income < Rp600,000/month",
    ),
    Choice::new("14", "Tidak punya tabungan/barang mudah dijual ≥ Rp500.000", "No savings or sellable goods ≥ Rp500,000"),
];

const YES_NO_P3KE: &[Choice] = &[Choice::new("1", "Ya", "Yes"), Choice::new("2", "Tidak", "No")];

const NOT_ELIGIBLE_REASONS: &[Choice] = &[
    Choice::new(
        "1",
        "Kondisi ekonomi membaik/mampu",
        "Economic situation improved / well-off",
    ),
    Choice::new(
        "2",
        "Ada anggota keluarga ASN/TNI/Polri/pegawai BUMN/BUMD/PPPK",
        "A member is a civil servant/military/police/state enterprise employee",
    ),
    Choice::new("3", "Memiliki mobil/aset besar", "Owns a car / large assets"),
    Choice::new("4", "Pindah", "Moved"),
    Choice::new("5", "Meninggal (keluarga tunggal)", "Died (single-person family)"),
    Choice::new("6", "Tidak ditemukan", "Not found"),
    Choice::new("7", "Data ganda", "Duplicate record"),
    Choice::new("8", "Menolak", "Refused"),
    Choice::new("9", "Lainnya", "Other"),
];

const WELFARE: &[Choice] = &[
    Choice::new("1", "Sangat miskin/miskin ekstrem", "Extremely poor"),
    Choice::new("2", "Miskin", "Poor"),
    Choice::new("3", "Rentan/hampir miskin", "Vulnerable / near-poor"),
    Choice::new("4", "Tidak miskin (mampu)", "Not poor"),
];

const RECOMMENDATIONS: &[Choice] = &[
    Choice::new("1", "Tetap dalam daftar", "Keep on the list"),
    Choice::new("2", "Tetap, perbaiki data", "Keep, correct the data"),
    Choice::new(
        "3",
        "Usulkan dikeluarkan/nonaktif",
        "Propose removal/deactivation",
    ),
    Choice::new(
        PROPOSE_NEW,
        "Usulkan masuk DTKS/DTSEN (baru)",
        "Propose as new DTKS/DTSEN entry",
    ),
    Choice::new(
        "5",
        "Perlu perbaikan data kependudukan (Dukcapil)",
        "Civil registry data needs correcting",
    ),
];

/// Education codes that mean "no schooling beyond primary" (no certificate, Paket A, SDLB,
/// SD, MI).
const PRIMARY_AT_MOST: &[&str] = &["23", "01", "02", "03", "04"];

/// The criteria among 1–7 and 13 that the answers show, as space-separated codes.
fn observed_criteria(scope: &Scope<'_>) -> Option<String> {
    let mut met: Vec<&str> = Vec::new();
    let per_capita = crate::decimal::Decimal::parse(scope.value(LUAS_LANTAI_PER_KAPITA).trim());
    if per_capita.is_some_and(|m2| m2.cmp_whole(8).is_lt()) {
        met.push("1");
    }
    // Earth, bamboo or poor-quality wood floor.
    if scope.is(JENIS_LANTAI, &["7", "8"])
        || (scope.is(JENIS_LANTAI, &["5"]) && scope.is(KONDISI_LANTAI, &["2"]))
    {
        met.push("2");
    }
    // Bamboo, thatch or poor-quality wood walls, or unplastered masonry.
    if scope.is(JENIS_DINDING, &["4", "5", "6", "7"])
        || (scope.is(JENIS_DINDING, &["1", "3"]) && scope.is(KONDISI_DINDING, &["2"]))
    {
        met.push("3");
    }
    // No toilet of its own (shared, public, unused or none).
    if scope.is(FASILITAS_BAB, &["2", "3", "4", "5", "6"]) {
        met.push("4");
    }
    if scope.is(SUMBER_PENERANGAN, &["4"]) {
        met.push("5");
    }
    // Unprotected well or spring, surface water, rain.
    if scope.is(SUMBER_AIR_MINUM, &["6", "8", "9", "10"]) {
        met.push("6");
    }
    // Firewood, charcoal, kerosene.
    if scope.is(BAHAN_BAKAR_MASAK, &["7", "9", "10"]) {
        met.push("7");
    }
    let head = scope.rows(ART).iter().find(|r| r.answers.get(HUBUNGAN_KK) == "1");
    if head.is_some_and(|h| {
        PRIMARY_AT_MOST.contains(&h.answers.get(IJAZAH_TERTINGGI))
            || h.answers.get(PARTISIPASI_SEKOLAH) == "1"
    }) {
        met.push("13");
    }
    Some(met.join(" "))
}

fn criteria_count(scope: &Scope<'_>) -> Option<String> {
    let count = |f| scope.value(f).split_whitespace().count();
    Some((count(KRITERIA_BPS14_OTOMATIS) + count(KRITERIA_BPS14)).to_string())
}

pub(super) static ITEMS: [SectionItem; 12] = [
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "Dari isian perumahan dan pendidikan kepala keluarga",
            "From the housing answers and the head's education",
        )),
        ..Question::calculated_as(
            KRITERIA_BPS14_OTOMATIS,
            Text::new(
                "Indikator kemiskinan BPS yang terlihat (otomatis)",
                "BPS poverty criteria observed (automatic)",
            ),
            Calc::new(observed_criteria),
            OBSERVED_CRITERIA,
        )
    }),
    SectionItem::Question(Question::new(
        KRITERIA_BPS14,
        Text::new(
            "Indikator kemiskinan BPS lain yang terpenuhi",
            "Other BPS poverty criteria met",
        ),
        Kind::SelectMultiple {
            choices: ASKED_CRITERIA,
            exclusive: &[],
        },
        Required::No,
    )),
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "9 atau lebih: miskin menurut aturan lama BPS",
            "9 or more: poor by the old BPS rule",
        )),
        ..Question::calculated(
            JUMLAH_KRITERIA,
            Text::new("Jumlah indikator terpenuhi", "Number of criteria met"),
            Calc::new(criteria_count),
        )
    }),
    SectionItem::Question(Question::new(
        PENDAPATAN_PERKAPITA,
        Text::new(
            "Perkiraan pengeluaran/pendapatan per kapita per bulan (Rp)",
            "Approx. monthly per-capita income/expenditure (Rp)",
        ),
        Kind::Integer {
            min: 0,
            max: 50_000_000,
        },
        Required::No,
    )),
    SectionItem::Question(Question::new(
        MEMENUHI_KRITERIA_P3KE,
        Text::new(
            "Memenuhi kriteria sasaran (miskin ekstrem/P3KE)?",
            "Meets the target criteria?",
        ),
        Kind::SelectOne(YES_NO_P3KE),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(MEMENUHI_KRITERIA_P3KE, &["2"])),
        ..Question::new(
            ALASAN_TIDAK_MEMENUHI,
            Text::new("Alasan tidak memenuhi", "Reason not eligible"),
            Kind::SelectMultiple {
                choices: NOT_ELIGIBLE_REASONS,
                exclusive: &[],
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question::new(
        STATUS_KESEJAHTERAAN_USULAN,
        Text::new("Usulan status kesejahteraan", "Proposed welfare status"),
        Kind::SelectOne(WELFARE),
        Required::Yes,
    )),
    SectionItem::Question(Question::new(
        REKOMENDASI,
        Text::new("Rekomendasi tindak lanjut", "Recommended action"),
        Kind::SelectOne(RECOMMENDATIONS),
        Required::Yes,
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(REKOMENDASI, &["1", "2", PROPOSE_NEW])),
        ..Question::new(
            BANTUAN_DIUSULKAN,
            Text::new("Bantuan yang diusulkan", "Aid proposed"),
            Kind::SelectMultiple {
                choices: PROGRAMMES,
                exclusive: &[],
            },
            Required::Yes,
        )
    }),
    SectionItem::Question(Question::new(
        ALASAN_USULAN,
        Text::new("Alasan/prioritas usulan", "Justification"),
        Kind::Text {
            min_len: 0,
            max_len: 500,
            format: TextFormat::Free,
        },
        Required::No,
    )),
    SectionItem::Question(Question {
        hint: Some(Text::new(
            "Diisi kemudian di tingkat desa",
            "Filled in later at village level",
        )),
        ..Question::new(
            NOMOR_BA_MUSDES,
            Text::new("Nomor Berita Acara Musdes", "Village-meeting minutes number"),
            Kind::Text {
                min_len: 0,
                max_len: 60,
                format: TextFormat::Free,
            },
            Required::No,
        )
    }),
    SectionItem::Question(Question::new(
        TANGGAL_MUSDES,
        Text::new("Tanggal Musdes", "Village-meeting date"),
        Kind::Date {
            past_only: false,
            unknown_parts: false,
        },
        Required::No,
    )),
];
