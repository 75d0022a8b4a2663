//! Section D — the family members (spec §1.5, Regsosek Blok IV): the repeat `art`, one row
//! per member, 1–30 rows.
//!
//! Everything after r404 is asked only of members who live with the family (status 1 or 4),
//! and age windows follow the Regsosek validator (rule 8 of §1.11).

use super::codes::{DIFFICULTY, EDUCATION, FLAG, INDUSTRY, YES, YES_NO, YES_NO_UNKNOWN};
use crate::date::Date;
use crate::form::cond::{Cond, Values};
use crate::form::model::{
    Block, Calc, Choice, Kind, Offer, Question, Repeat, Required, SectionItem, TextFormat,
};
use crate::form::scope::Scope;
use crate::ids::FieldId;
use crate::nik::{check_nik, NikSex};
use crate::text::Text;

pub const ART: FieldId = FieldId::new("art");
pub const NO_URUT: FieldId = FieldId::new("no_urut");
pub const NAMA: FieldId = FieldId::new("nama");
pub const NIK: FieldId = FieldId::new("nik");
pub const NIK_TIDAK_ADA: FieldId = FieldId::new("nik_tidak_ada");
pub const STATUS_KEBERADAAN_ART: FieldId = FieldId::new("status_keberadaan_art");
pub const JENIS_KELAMIN: FieldId = FieldId::new("jenis_kelamin");
pub const TANGGAL_LAHIR: FieldId = FieldId::new("tanggal_lahir");
pub const UMUR: FieldId = FieldId::new("umur");
pub const STATUS_KAWIN: FieldId = FieldId::new("status_kawin");
pub const HUBUNGAN_KK: FieldId = FieldId::new("hubungan_kk");
pub const HAMIL: FieldId = FieldId::new("hamil");
pub const KARTU_IDENTITAS: FieldId = FieldId::new("kartu_identitas");
pub const TANGGAL_MENINGGAL: FieldId = FieldId::new("tanggal_meninggal");
pub const KETERANGAN_PINDAH: FieldId = FieldId::new("keterangan_pindah");
pub const PARTISIPASI_SEKOLAH: FieldId = FieldId::new("partisipasi_sekolah");
pub const JENJANG_PENDIDIKAN: FieldId = FieldId::new("jenjang_pendidikan");
pub const KELAS_TERTINGGI: FieldId = FieldId::new("kelas_tertinggi");
pub const IJAZAH_TERTINGGI: FieldId = FieldId::new("ijazah_tertinggi");
pub const BEKERJA: FieldId = FieldId::new("bekerja");
pub const JAM_KERJA: FieldId = FieldId::new("jam_kerja");
pub const LAPANGAN_USAHA: FieldId = FieldId::new("lapangan_usaha");
pub const LAPANGAN_USAHA_DESK: FieldId = FieldId::new("lapangan_usaha_desk");
pub const STATUS_PEKERJAAN: FieldId = FieldId::new("status_pekerjaan");
pub const PUNYA_USAHA: FieldId = FieldId::new("punya_usaha");
pub const USAHA_LAPANGAN: FieldId = FieldId::new("usaha_lapangan");
pub const STATUS_GIZI_BALITA: FieldId = FieldId::new("status_gizi_balita");
pub const SULIT_MELIHAT: FieldId = FieldId::new("sulit_melihat");
pub const SULIT_MENDENGAR: FieldId = FieldId::new("sulit_mendengar");
pub const SULIT_BERJALAN: FieldId = FieldId::new("sulit_berjalan");
pub const SULIT_TANGAN: FieldId = FieldId::new("sulit_tangan");
pub const SULIT_BELAJAR: FieldId = FieldId::new("sulit_belajar");
pub const SULIT_PERILAKU: FieldId = FieldId::new("sulit_perilaku");
pub const SULIT_KOMUNIKASI: FieldId = FieldId::new("sulit_komunikasi");
pub const SULIT_URUS_DIRI: FieldId = FieldId::new("sulit_urus_diri");
pub const SULIT_MENGINGAT: FieldId = FieldId::new("sulit_mengingat");
pub const SERING_SEDIH_DEPRESI: FieldId = FieldId::new("sering_sedih_depresi");
pub const DISABILITAS: FieldId = FieldId::new("disabilitas");
pub const PENGASUH: FieldId = FieldId::new("pengasuh");
pub const PENYAKIT_KRONIS: FieldId = FieldId::new("penyakit_kronis");
pub const JAMINAN_KESEHATAN: FieldId = FieldId::new("jaminan_kesehatan");
pub const PRAKERJA: FieldId = FieldId::new("prakerja");
pub const KUR: FieldId = FieldId::new("kur");
pub const UMI: FieldId = FieldId::new("umi");
pub const PIP: FieldId = FieldId::new("pip");
pub const JAMINAN_NAKER: FieldId = FieldId::new("jaminan_naker");

/// Member presence codes of people who belong to the household today (r404 ∈ {1,4}).
pub const LIVING_CODES: &[&str] = &["1", "4"];
pub const LIVING: Cond = Cond::Is(STATUS_KEBERADAAN_ART, LIVING_CODES);

/// Difficulties a–i: a 1 or 2 in any of them makes a person with a disability.
pub const DISABILITY_ITEMS: [FieldId; 9] = [
    SULIT_MELIHAT,
    SULIT_MENDENGAR,
    SULIT_BERJALAN,
    SULIT_TANGAN,
    SULIT_BELAJAR,
    SULIT_PERILAKU,
    SULIT_KOMUNIKASI,
    SULIT_URUS_DIRI,
    SULIT_MENGINGAT,
];
const SEVERE: &[&str] = &["1", "2"];

const LIVING_AGED_2: Cond = Cond::All(&[LIVING, Cond::AtLeast(UMUR, 2)]);
const LIVING_AGED_5: Cond = Cond::All(&[LIVING, Cond::AtLeast(UMUR, 5)]);
const IN_SCHOOL_OR_WAS: Cond = Cond::All(&[LIVING_AGED_5, Cond::Is(PARTISIPASI_SEKOLAH, &["2", "3"])]);
const WORKS: Cond = Cond::All(&[LIVING_AGED_5, Cond::Is(BEKERJA, &["1"])]);

const PRESENCE: &[Choice] = &[
    Choice::new("1", "Tinggal bersama keluarga", "Lives with the family"),
    Choice::new("2", "Meninggal", "Died"),
    Choice::new(
        "3",
        "Tidak tinggal bersama keluarga/pindah",
        "No longer lives with the family / moved",
    ),
    Choice::new("4", "Anggota keluarga baru", "New family member"),
    Choice::new("5", "Tidak ditemukan", "Not found"),
];

const SEX: &[Choice] = &[
    Choice::new("1", "Laki-laki", "Male"),
    Choice::new("2", "Perempuan", "Female"),
];

const MARITAL: &[Choice] = &[
    Choice::new("1", "Belum kawin", "Never married"),
    Choice::new("2", "Kawin/nikah", "Married"),
    Choice::new("3", "Cerai hidup", "Divorced"),
    Choice::new("4", "Cerai mati", "Widowed"),
];

pub use super::codes::RELATION;

/// Identity documents, additive codes (export as their sum); 0 = none.
const ID_CARDS: &[Choice] = &[
    Choice::new("0", "Tidak memiliki", "None"),
    Choice::new("1", "Akta kelahiran", "Birth certificate"),
    Choice::new("2", "KIA (Kartu Identitas Anak)", "Child identity card (KIA)"),
    Choice::new("4", "KTP", "Identity card (KTP)"),
];

const SCHOOLING: &[Choice] = &[
    Choice::new("1", "Tidak/belum pernah sekolah", "Never attended school"),
    Choice::new("2", "Masih sekolah", "Still in school"),
    Choice::new("3", "Tidak bersekolah lagi", "No longer in school"),
];

const GRADES: &[Choice] = &[
    Choice::new("1", "1", "1"),
    Choice::new("2", "2", "2"),
    Choice::new("3", "3", "3"),
    Choice::new("4", "4", "4"),
    Choice::new("5", "5", "5"),
    Choice::new("6", "6", "6"),
    Choice::new("7", "7", "7"),
    Choice::new("8", "Tamat & lulus", "Completed and graduated"),
];

const EMPLOYMENT_STATUS: &[Choice] = &[
    Choice::new("1", "Berusaha sendiri", "Own-account worker"),
    Choice::new(
        "2",
        "Berusaha dibantu buruh tidak tetap/tidak dibayar",
        "Employer with temporary/unpaid workers",
    ),
    Choice::new(
        "3",
        "Berusaha dibantu buruh tetap/dibayar",
        "Employer with permanent/paid workers",
    ),
    Choice::new("4", "Buruh/karyawan/pegawai swasta", "Private employee"),
    Choice::new(
        "5",
        "PNS/TNI/Polri/BUMN/BUMD/pejabat negara",
        "Civil servant/military/police/state enterprise/official",
    ),
    Choice::new("6", "Pekerja bebas pertanian", "Casual agricultural worker"),
    Choice::new(
        "7",
        "Pekerja bebas non-pertanian",
        "Casual non-agricultural worker",
    ),
    Choice::new("8", "Pekerja keluarga/tidak dibayar", "Unpaid family worker"),
];

/// Code 0 "Normal" is not visible in the Regsosek source; the spec adds it as a guess, and
/// without it a well-nourished child has no answer.
const NUTRITION: &[Choice] = &[
    Choice::new("0", "Normal", "Normal"),
    Choice::new("1", "Kurang gizi (wasting)", "Wasting"),
    Choice::new("2", "Kerdil (stunting)", "Stunting"),
    Choice::new("3", "Tidak ada catatan", "No records"),
    Choice::new("8", "Tidak tahu", "Do not know"),
];

const SADNESS: &[Choice] = &[
    Choice::new("1", "Sangat sering", "Very often"),
    Choice::new("2", "Sering", "Often"),
    Choice::new("3", "Jarang", "Rarely"),
    Choice::new("4", "Tidak pernah", "Never"),
];

const CAREGIVER: &[Choice] = &[
    Choice::new("1", "Ya, anggota keluarga", "Yes, a family member"),
    Choice::new("2", "Ya, bukan anggota keluarga", "Yes, not a family member"),
    Choice::new("3", "Tinggal sendiri", "Lives alone"),
];

const CHRONIC: &[Choice] = &[
    Choice::new("01", "Tidak ada", "None"),
    Choice::new("02", "Hipertensi", "Hypertension"),
    Choice::new("03", "Rematik", "Rheumatism"),
    Choice::new("04", "Asma", "Asthma"),
    Choice::new("05", "Masalah jantung", "Heart problems"),
    Choice::new("06", "Diabetes", "Diabetes"),
    Choice::new("07", "TBC", "Tuberculosis"),
    Choice::new("08", "Stroke", "Stroke"),
    Choice::new("09", "Kanker/tumor ganas", "Cancer/malignant tumour"),
    Choice::new("10", "Gagal ginjal", "Kidney failure"),
    Choice::new("11", "Haemophilia", "Haemophilia"),
    Choice::new("12", "HIV/AIDS", "HIV/AIDS"),
    Choice::new("13", "Kolesterol", "High cholesterol"),
    Choice::new("14", "Sirosis hati", "Liver cirrhosis"),
    Choice::new("15", "Thalasemia", "Thalassaemia"),
    Choice::new("16", "Leukimia", "Leukaemia"),
    Choice::new("17", "Alzheimer", "Alzheimer's"),
    Choice::new("18", "Lainnya", "Other"),
];

/// Health insurance, additive codes; 0 = none, 99 = do not know.
const HEALTH_INSURANCE: &[Choice] = &[
    Choice::new("0", "Tidak memiliki", "None"),
    Choice::new("1", "PBI JKN", "PBI JKN (state-paid)"),
    Choice::new("2", "JKN Mandiri", "JKN, self-paid"),
    Choice::new("4", "JKN Pemberi Kerja", "JKN, employer-paid"),
    Choice::new("8", "Jamkes lainnya", "Other health insurance"),
    Choice::new("99", "Tidak tahu", "Do not know"),
];

/// Employment social security, additive codes; 0 = none, 99 = do not know.
const WORK_INSURANCE: &[Choice] = &[
    Choice::new("0", "Tidak memiliki", "None"),
    Choice::new("1", "Jaminan Kecelakaan Kerja (JKK)", "Work accident (JKK)"),
    Choice::new("2", "Jaminan Kematian (JKM)", "Death benefit (JKM)"),
    Choice::new("4", "Jaminan Hari Tua (JHT)", "Old-age savings (JHT)"),
    Choice::new("8", "Jaminan Pensiun (JP)", "Pension (JP)"),
    Choice::new(
        "16",
        "Pensiun/JHT lainnya (Taspen/swasta)",
        "Other pension (Taspen/private)",
    ),
    Choice::new("99", "Tidak tahu", "Do not know"),
];

const fn select(id: FieldId, label: Text, choices: &'static [Choice], relevant: Cond) -> Question {
    Question {
        relevant: Some(relevant),
        ..Question::new(id, label, Kind::SelectOne(choices), Required::Yes)
    }
}

const fn difficulty(
    id: FieldId,
    id_label: &'static str,
    en_label: &'static str,
    relevant: Cond,
    item: &'static str,
) -> Question {
    Question {
        regsosek: Some(item),
        ..select(id, Text::new(id_label, en_label), DIFFICULTY, relevant)
    }
}

/// The row's position, 1 for the first member.
fn row_number(scope: &Scope<'_>) -> Option<String> {
    scope.row.map(|(_, position)| position.to_string())
}

/// Whole years from a complete birth date to today; `None` while day or month is unknown.
pub fn age_from_birth_date(scope: &Scope<'_>) -> Option<String> {
    let birth = crate::form::validate::parse_date(scope.value(TANGGAL_LAHIR).trim())?;
    age_on(birth, scope.today).map(|age| age.to_string())
}

/// Completed years between two dates; `None` when `birth` is after `on`.
pub fn age_on(birth: Date, on: Date) -> Option<i64> {
    let before_birthday = (on.month, on.day) < (birth.month, birth.day);
    let age = i64::from(on.year) - i64::from(birth.year) - i64::from(before_birthday);
    (age >= 0).then_some(age)
}

/// 1 when any of difficulties a–i is "cannot" or "a lot" (Washington Group cut-off), 0 when
/// they are answered without one, nothing while none is answered.
fn disability(scope: &Scope<'_>) -> Option<String> {
    let answered: Vec<&str> = DISABILITY_ITEMS
        .iter()
        .map(|f| scope.value(*f).trim())
        .filter(|v| !v.is_empty())
        .collect();
    if answered.is_empty() {
        return None;
    }
    Some(
        if answered.iter().any(|v| SEVERE.contains(v)) {
            "1"
        } else {
            "0"
        }
        .to_owned(),
    )
}

/// The birth date and sex a well-formed NIK encodes (day + 40 for women), where the row
/// says something else or nothing yet.
fn birth_and_sex_from_nik(row: &Scope<'_>) -> Vec<(FieldId, String)> {
    let Some(facts) = check_nik(row.value(NIK).trim(), row.today).0 else {
        return Vec::new();
    };
    let sex = match facts.sex {
        NikSex::Male => "1",
        NikSex::Female => "2",
    };
    [
        (TANGGAL_LAHIR, facts.birth_date.to_string()),
        (JENIS_KELAMIN, sex.to_owned()),
    ]
    .into_iter()
    .filter(|(field, value)| row.value(*field) != value)
    .collect()
}

/// A member's row in five blocks, each folded once complete.
static MEMBER_BLOCKS: [Block; 5] = [
    Block {
        starts_at: NO_URUT,
        label: Text::new("Identitas dan keberadaan", "Identity and presence"),
    },
    Block {
        starts_at: PARTISIPASI_SEKOLAH,
        label: Text::new("Pendidikan", "Schooling"),
    },
    Block {
        starts_at: BEKERJA,
        label: Text::new("Pekerjaan dan usaha", "Work and business"),
    },
    Block {
        starts_at: STATUS_GIZI_BALITA,
        label: Text::new("Kesehatan dan disabilitas", "Health and disability"),
    },
    Block {
        starts_at: JAMINAN_KESEHATAN,
        label: Text::new("Jaminan sosial dan program", "Social security and programmes"),
    },
];

static MEMBER_QUESTIONS: [Question; 45] = [
    Question {
        regsosek: Some("r401"),
        ..Question::calculated(
            NO_URUT,
            Text::new("Nomor urut", "Member line number"),
            Calc::new(row_number),
        )
    },
    Question {
        regsosek: Some("r402"),
        hint: Some(Text::new("Sesuai KK/KTP", "As on the family card or ID card")),
        ..Question::new(
            NAMA,
            Text::new("Nama lengkap (sesuai KK/KTP)", "Full name"),
            Kind::Text {
                min_len: 1,
                max_len: 100,
                format: TextFormat::Name,
            },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r403"),
        hint: Some(Text::new("16 angka", "16 digits")),
        offer: Some(Offer {
            label: Text::new(
                "Isi tanggal lahir dan jenis kelamin dari NIK",
                "Fill birth date and sex from the NIK",
            ),
            fills: birth_and_sex_from_nik,
        }),
        ..Question::new(
            NIK,
            Text::new("NIK", "National ID number (NIK)"),
            Kind::Text {
                min_len: 16,
                max_len: 16,
                format: TextFormat::Nik,
            },
            Required::When(Cond::Not(&Cond::Is(NIK_TIDAK_ADA, &["1"]))),
        )
    },
    Question::new(
        NIK_TIDAK_ADA,
        Text::new("Belum/tidak memiliki NIK", "Has no NIK"),
        Kind::SelectOne(YES),
        Required::No,
    ),
    Question {
        regsosek: Some("r404"),
        ..Question::new(
            STATUS_KEBERADAAN_ART,
            Text::new("Keterangan keberadaan anggota keluarga", "Member presence status"),
            Kind::SelectOne(PRESENCE),
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r405"),
        ..select(JENIS_KELAMIN, Text::new("Jenis kelamin", "Sex"), SEX, LIVING)
    },
    Question {
        regsosek: Some("r406"),
        relevant: Some(LIVING),
        hint: Some(Text::new(
            "Hari atau bulan tidak diketahui: pilih 98",
            "Day or month not known: choose 98",
        )),
        ..Question::new(
            TANGGAL_LAHIR,
            Text::new("Tanggal lahir", "Date of birth"),
            Kind::Date {
                past_only: true,
                unknown_parts: true,
            },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r407"),
        relevant: Some(LIVING),
        hint: Some(Text::new(
            "Dihitung dari tanggal lahir bila lengkap",
            "Calculated from the date of birth when it is complete",
        )),
        calc: Some(Calc::new(age_from_birth_date)),
        ..Question::new(
            UMUR,
            Text::new("Umur (tahun)", "Age (years)"),
            Kind::Integer { min: 0, max: 98 },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r408"),
        ..select(
            STATUS_KAWIN,
            Text::new("Status perkawinan", "Marital status"),
            MARITAL,
            LIVING,
        )
    },
    Question {
        regsosek: Some("r409"),
        ..select(
            HUBUNGAN_KK,
            Text::new("Hubungan dengan kepala keluarga", "Relationship to family head"),
            RELATION,
            LIVING,
        )
    },
    Question {
        regsosek: Some("r410"),
        ..select(
            HAMIL,
            Text::new("Sedang hamil?", "Currently pregnant?"),
            YES_NO,
            Cond::All(&[
                LIVING,
                Cond::Is(JENIS_KELAMIN, &["2"]),
                Cond::AtLeast(UMUR, 10),
                Cond::Below(UMUR, 55),
                Cond::Is(STATUS_KAWIN, &["2", "3", "4"]),
            ]),
        )
    },
    Question {
        regsosek: Some("r411"),
        relevant: Some(LIVING),
        ..Question::new(
            KARTU_IDENTITAS,
            Text::new("Kepemilikan kartu identitas", "Identity documents held"),
            Kind::SelectMultiple {
                choices: ID_CARDS,
                exclusive: &["0"],
            },
            Required::Yes,
        )
    },
    Question {
        relevant: Some(Cond::Is(STATUS_KEBERADAAN_ART, &["2"])),
        ..Question::new(
            TANGGAL_MENINGGAL,
            Text::new("Perkiraan tanggal meninggal", "Approx. date of death"),
            Kind::Date {
                past_only: true,
                unknown_parts: false,
            },
            Required::No,
        )
    },
    Question {
        relevant: Some(Cond::Is(STATUS_KEBERADAAN_ART, &["3"])),
        ..Question::new(
            KETERANGAN_PINDAH,
            Text::new("Pindah ke mana", "Moved where"),
            Kind::Text {
                min_len: 0,
                max_len: 200,
                format: TextFormat::Free,
            },
            Required::No,
        )
    },
    // D2. Education (age 5 and over).
    Question {
        regsosek: Some("r412"),
        ..select(
            PARTISIPASI_SEKOLAH,
            Text::new("Partisipasi sekolah", "School participation"),
            SCHOOLING,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r413"),
        ..select(
            JENJANG_PENDIDIKAN,
            Text::new(
                "Jenjang dan jenis pendidikan tertinggi yang pernah/sedang diduduki",
                "Highest level attended/attending",
            ),
            EDUCATION,
            IN_SCHOOL_OR_WAS,
        )
    },
    Question {
        regsosek: Some("r414"),
        ..select(
            KELAS_TERTINGGI,
            Text::new("Kelas tertinggi", "Highest grade"),
            GRADES,
            IN_SCHOOL_OR_WAS,
        )
    },
    Question {
        regsosek: Some("r415"),
        ..select(
            IJAZAH_TERTINGGI,
            Text::new("Ijazah/STTB tertinggi", "Highest certificate"),
            EDUCATION,
            IN_SCHOOL_OR_WAS,
        )
    },
    // D3. Employment (age 5 and over).
    Question {
        regsosek: Some("r416a"),
        ..select(
            BEKERJA,
            Text::new("Bekerja/membantu bekerja seminggu lalu?", "Worked last week?"),
            YES_NO,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r416b"),
        relevant: Some(WORKS),
        ..Question::new(
            JAM_KERJA,
            Text::new("Jam kerja seminggu", "Hours worked"),
            Kind::Integer { min: 1, max: 168 },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r417"),
        ..select(
            LAPANGAN_USAHA,
            Text::new("Lapangan usaha pekerjaan utama", "Industry of main job"),
            INDUSTRY,
            WORKS,
        )
    },
    Question {
        relevant: Some(WORKS),
        ..Question::new(
            LAPANGAN_USAHA_DESK,
            Text::new("Uraian pekerjaan", "Job description"),
            Kind::Text {
                min_len: 3,
                max_len: 200,
                format: TextFormat::Free,
            },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r418"),
        ..select(
            STATUS_PEKERJAAN,
            Text::new("Status dalam pekerjaan utama", "Employment status"),
            EMPLOYMENT_STATUS,
            WORKS,
        )
    },
    Question {
        regsosek: Some("r420"),
        required: Required::No,
        ..select(
            PUNYA_USAHA,
            Text::new("Memiliki usaha sendiri/bersama?", "Owns a business?"),
            YES_NO,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r421"),
        ..select(
            USAHA_LAPANGAN,
            Text::new("Lapangan usaha dari usaha", "Business industry"),
            INDUSTRY,
            Cond::All(&[LIVING_AGED_5, Cond::Is(PUNYA_USAHA, &["1"])]),
        )
    },
    // D4. Health and disability.
    Question {
        regsosek: Some("r427"),
        ..select(
            STATUS_GIZI_BALITA,
            Text::new(
                "Kondisi gizi anak (catatan 3 bulan terakhir posyandu/puskesmas)",
                "Child nutrition status (last 3 months' records)",
            ),
            NUTRITION,
            Cond::All(&[LIVING, Cond::Below(UMUR, 5)]),
        )
    },
    difficulty(
        SULIT_MELIHAT,
        "Kesulitan melihat",
        "Difficulty seeing",
        LIVING_AGED_2,
        "r428a",
    ),
    difficulty(
        SULIT_MENDENGAR,
        "Kesulitan mendengar",
        "Difficulty hearing",
        LIVING_AGED_2,
        "r428b",
    ),
    difficulty(
        SULIT_BERJALAN,
        "Kesulitan berjalan/naik tangga",
        "Difficulty walking or climbing steps",
        LIVING_AGED_2,
        "r428c",
    ),
    difficulty(
        SULIT_TANGAN,
        "Kesulitan menggunakan tangan/jari",
        "Difficulty using hands or fingers",
        LIVING_AGED_2,
        "r428d",
    ),
    difficulty(
        SULIT_BELAJAR,
        "Kesulitan belajar/kemampuan intelektual",
        "Difficulty learning / intellectual",
        LIVING_AGED_2,
        "r428e",
    ),
    difficulty(
        SULIT_PERILAKU,
        "Kesulitan mengendalikan perilaku",
        "Difficulty controlling behaviour",
        LIVING_AGED_2,
        "r428f",
    ),
    difficulty(
        SULIT_KOMUNIKASI,
        "Kesulitan berbicara/berkomunikasi",
        "Difficulty speaking or communicating",
        LIVING_AGED_5,
        "r428g",
    ),
    difficulty(
        SULIT_URUS_DIRI,
        "Kesulitan mengurus diri sendiri (mandi, makan, berpakaian, BAK, BAB)",
        "Difficulty with self-care (washing, eating, dressing, toilet)",
        LIVING_AGED_5,
        "r428h",
    ),
    difficulty(
        SULIT_MENGINGAT,
        "Kesulitan mengingat/berkonsentrasi",
        "Difficulty remembering or concentrating",
        LIVING_AGED_5,
        "r428i",
    ),
    Question {
        regsosek: Some("r428j"),
        ..select(
            SERING_SEDIH_DEPRESI,
            Text::new(
                "Seberapa sering mengalami kesedihan/depresi",
                "Frequency of sadness/depression",
            ),
            SADNESS,
            LIVING_AGED_5,
        )
    },
    Question::calculated_as(
        DISABILITAS,
        Text::new("Penyandang disabilitas", "Person with disability"),
        Calc::new(disability),
        FLAG,
    ),
    Question {
        regsosek: Some("r429"),
        ..select(
            PENGASUH,
            Text::new(
                "Memiliki caregiver/pemberi rawat/pengasuh/wali?",
                "Has a caregiver?",
            ),
            CAREGIVER,
            Cond::All(&[
                LIVING,
                Cond::Any(&[
                    Cond::AtLeast(UMUR, 60),
                    Cond::Is(SULIT_MELIHAT, SEVERE),
                    Cond::Is(SULIT_MENDENGAR, SEVERE),
                    Cond::Is(SULIT_BERJALAN, SEVERE),
                    Cond::Is(SULIT_TANGAN, SEVERE),
                    Cond::Is(SULIT_BELAJAR, SEVERE),
                    Cond::Is(SULIT_PERILAKU, SEVERE),
                    Cond::Is(SULIT_KOMUNIKASI, SEVERE),
                    Cond::Is(SULIT_URUS_DIRI, SEVERE),
                    Cond::Is(SULIT_MENGINGAT, SEVERE),
                    Cond::Is(SERING_SEDIH_DEPRESI, SEVERE),
                ]),
            ]),
        )
    },
    Question {
        regsosek: Some("r430"),
        relevant: Some(LIVING),
        ..Question::new(
            PENYAKIT_KRONIS,
            Text::new("Keluhan kesehatan kronis/menahun", "Chronic illness"),
            Kind::SelectMultiple {
                choices: CHRONIC,
                exclusive: &["01"],
            },
            Required::Yes,
        )
    },
    // D5. Individual social-protection membership.
    Question {
        regsosek: Some("r431a"),
        relevant: Some(LIVING),
        ..Question::new(
            JAMINAN_KESEHATAN,
            Text::new(
                "Jaminan kesehatan (1 tahun terakhir)",
                "Health insurance (last year)",
            ),
            Kind::SelectMultiple {
                choices: HEALTH_INSURANCE,
                exclusive: &["0", "99"],
            },
            Required::Yes,
        )
    },
    Question {
        regsosek: Some("r431b"),
        ..select(
            PRAKERJA,
            Text::new("Ikut Program Pra-Kerja", "Pre-employment card (Prakerja)"),
            YES_NO_UNKNOWN,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r431c"),
        ..select(
            KUR,
            Text::new("Ikut Kredit Usaha Rakyat (KUR)", "People's business credit (KUR)"),
            YES_NO_UNKNOWN,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r431d"),
        ..select(
            UMI,
            Text::new("Ikut Pembiayaan Ultra Mikro (UMi)", "Ultra-micro financing (UMi)"),
            YES_NO_UNKNOWN,
            LIVING_AGED_5,
        )
    },
    Question {
        regsosek: Some("r431e"),
        ..select(
            PIP,
            Text::new("Ikut Program Indonesia Pintar (PIP)", "PIP school aid"),
            YES_NO_UNKNOWN,
            Cond::All(&[LIVING_AGED_5, Cond::Below(UMUR, 31)]),
        )
    },
    Question {
        regsosek: Some("r431f"),
        relevant: Some(Cond::All(&[LIVING, Cond::AtLeast(UMUR, 15)])),
        ..Question::new(
            JAMINAN_NAKER,
            Text::new("Jaminan ketenagakerjaan", "Employment social security"),
            Kind::SelectMultiple {
                choices: WORK_INSURANCE,
                exclusive: &["0", "99"],
            },
            Required::Yes,
        )
    },
];

pub(super) static ITEMS: [SectionItem; 1] = [SectionItem::Repeat(Repeat {
    id: ART,
    label: Text::new("Anggota keluarga", "Family members"),
    min_rows: 1,
    max_rows: 30,
    relevant: None,
    questions: &MEMBER_QUESTIONS,
    blocks: &MEMBER_BLOCKS,
    title: Some(NAMA),
})];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Answers, Repeats, Row};

    fn row_with(answers: &[(FieldId, &str)]) -> Row {
        let mut row = Row {
            key: 1,
            answers: Answers::default(),
        };
        for (field, value) in answers {
            row.answers.set(*field, value);
        }
        row
    }

    fn offered(row: &Row) -> Vec<(FieldId, String)> {
        let (family, repeats) = (Answers::default(), Repeats::default());
        let scope = Scope {
            family: &family,
            repeats: &repeats,
            row: Some((row, 1)),
            today: Date::new(2026, 12, 4).expect("date"),
        };
        birth_and_sex_from_nik(&scope)
    }

    #[test]
    fn a_nik_offers_the_birth_date_and_sex_it_encodes() {
        // Day 45: a woman born on 5 March; 68 is 1968 by the century rule.
        let woman = row_with(&[(NIK, "3513144503680002")]);
        let both = vec![
            (TANGGAL_LAHIR, "1968-03-05".to_owned()),
            (JENIS_KELAMIN, "2".to_owned()),
        ];
        assert_eq!(offered(&woman), both);
        // An unknown day and month, or a different sex, is offered the NIK's.
        let unsure = row_with(&[
            (NIK, "3513144503680002"),
            (TANGGAL_LAHIR, "1968-98-98"),
            (JENIS_KELAMIN, "2"),
        ]);
        assert_eq!(offered(&unsure), vec![(TANGGAL_LAHIR, "1968-03-05".to_owned())]);
        let same = row_with(&[
            (NIK, "3513144503680002"),
            (TANGGAL_LAHIR, "1968-03-05"),
            (JENIS_KELAMIN, "2"),
        ]);
        assert_eq!(offered(&same), vec![], "nothing left to offer");
        let man = row_with(&[(NIK, "3513140503080002")]);
        assert_eq!(offered(&man)[0], (TANGGAL_LAHIR, "2008-03-05".to_owned()));
        assert_eq!(offered(&man)[1], (JENIS_KELAMIN, "1".to_owned()));
        for bad in ["", "35131445036800", "3513147503680002", "3513144513680002"] {
            assert_eq!(offered(&row_with(&[(NIK, bad)])), vec![], "{bad:?}");
        }
    }

    #[test]
    fn the_member_blocks_hold_every_question_once_in_order() {
        let SectionItem::Repeat(members) = &ITEMS[0] else {
            panic!("the members repeat")
        };
        let blocks = members.blocks();
        assert_eq!(blocks.len(), MEMBER_BLOCKS.len());
        assert!(
            blocks.iter().all(|(block, _)| block.is_some()),
            "no question before the first block"
        );
        let ids: Vec<FieldId> = blocks
            .iter()
            .flat_map(|(_, qs)| qs.iter().map(|q| q.id))
            .collect();
        let all: Vec<FieldId> = MEMBER_QUESTIONS.iter().map(|q| q.id).collect();
        assert_eq!(ids, all);
        assert_eq!(blocks[1].1[0].id, PARTISIPASI_SEKOLAH);
        assert_eq!(blocks[4].1.last().map(|q| q.id), Some(JAMINAN_NAKER));
    }
}
