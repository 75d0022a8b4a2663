//! Answer lists shared by several questions of the default form.

use crate::form::model::Choice;

pub const YES_NO: &[Choice] = &[Choice::new("1", "Ya", "Yes"), Choice::new("2", "Tidak", "No")];

/// Regsosek's yes / no / "tidak tahu" (8).
pub const YES_NO_UNKNOWN: &[Choice] = &[
    Choice::new("1", "Ya", "Yes"),
    Choice::new("2", "Tidak", "No"),
    Choice::new("8", "Tidak tahu", "Do not know"),
];

/// A single "yes" tick (`nik_tidak_ada`).
pub const YES: &[Choice] = &[Choice::new("1", "Ya", "Yes")];

/// A derived yes/no indicator (decent building, disability): `1` or `0`.
pub const FLAG: &[Choice] = &[Choice::new("1", "Ya", "Yes"), Choice::new("0", "Tidak", "No")];

/// Months, with 98 = "tidak tahu" as Regsosek writes an unknown month.
pub const MONTHS: &[Choice] = &[
    Choice::new("1", "Januari", "January"),
    Choice::new("2", "Februari", "February"),
    Choice::new("3", "Maret", "March"),
    Choice::new("4", "April", "April"),
    Choice::new("5", "Mei", "May"),
    Choice::new("6", "Juni", "June"),
    Choice::new("7", "Juli", "July"),
    Choice::new("8", "Agustus", "August"),
    Choice::new("9", "September", "September"),
    Choice::new("10", "Oktober", "October"),
    Choice::new("11", "November", "November"),
    Choice::new("12", "Desember", "December"),
    Choice::new("98", "Tidak tahu", "Do not know"),
];

/// Highest level of education attended and certificate held (Regsosek r413/r415).
pub const EDUCATION: &[Choice] = &[
    Choice::new("01", "Paket A", "Paket A (primary equivalency)"),
    Choice::new("02", "SDLB", "Special-needs primary school"),
    Choice::new("03", "SD", "Primary school"),
    Choice::new("04", "MI", "Islamic primary school"),
    Choice::new("05", "SPM/PDF Ula", "Pesantren primary (SPM/PDF Ula)"),
    Choice::new("06", "Paket B", "Paket B (junior secondary equivalency)"),
    Choice::new("07", "SMPLB", "Special-needs junior secondary school"),
    Choice::new("08", "SMP", "Junior secondary school"),
    Choice::new("09", "MTs", "Islamic junior secondary school"),
    Choice::new(
        "10",
        "SPM/PDF Wustha",
        "Pesantren junior secondary (SPM/PDF Wustha)",
    ),
    Choice::new("11", "Paket C", "Paket C (senior secondary equivalency)"),
    Choice::new("12", "SMALB", "Special-needs senior secondary school"),
    Choice::new("13", "SMA", "Senior secondary school"),
    Choice::new("14", "MA", "Islamic senior secondary school"),
    Choice::new("15", "SMK", "Vocational secondary school"),
    Choice::new("16", "MAK", "Islamic vocational secondary school"),
    Choice::new("17", "SPM/PDF Ulya", "Pesantren senior secondary (SPM/PDF Ulya)"),
    Choice::new("18", "D1/D2/D3", "Diploma (D1/D2/D3)"),
    Choice::new("19", "D4/S1", "Bachelor (D4/S1)"),
    Choice::new("20", "Profesi", "Professional degree"),
    Choice::new("21", "S2", "Master's degree"),
    Choice::new("22", "S3", "Doctorate"),
    Choice::new("23", "Tidak punya ijazah SD", "No primary school certificate"),
];

/// Industry (lapangan usaha, Regsosek r417/r421).
pub const INDUSTRY: &[Choice] = &[
    Choice::new(
        "1",
        "Pertanian tanaman padi & palawija",
        "Rice and secondary food crops",
    ),
    Choice::new("2", "Hortikultura", "Horticulture"),
    Choice::new("3", "Perkebunan", "Plantation crops"),
    Choice::new("4", "Perikanan", "Fisheries"),
    Choice::new("5", "Peternakan", "Livestock"),
    Choice::new(
        "6",
        "Kehutanan & pertanian lainnya",
        "Forestry and other agriculture",
    ),
    Choice::new("7", "Pertambangan/penggalian", "Mining and quarrying"),
    Choice::new("8", "Industri pengolahan", "Manufacturing"),
    Choice::new(
        "9",
        "Pengadaan listrik, gas, uap/air panas & udara dingin",
        "Electricity, gas, steam and air conditioning",
    ),
    Choice::new(
        "10",
        "Pengelolaan air, limbah & daur ulang",
        "Water, waste and recycling",
    ),
    Choice::new("11", "Konstruksi", "Construction"),
    Choice::new("12", "Perdagangan besar & eceran", "Wholesale and retail trade"),
    Choice::new("13", "Pengangkutan & pergudangan", "Transport and storage"),
    Choice::new(
        "14",
        "Penyediaan akomodasi & makan minum",
        "Accommodation and food service",
    ),
    Choice::new("15", "Informasi & komunikasi", "Information and communication"),
    Choice::new("16", "Keuangan & asuransi", "Finance and insurance"),
    Choice::new("17", "Real estat", "Real estate"),
    Choice::new(
        "18",
        "Aktivitas profesional, ilmiah & teknis",
        "Professional, scientific and technical activities",
    ),
    Choice::new(
        "19",
        "Penyewaan, agen perjalanan & penunjang usaha",
        "Rental, travel agencies and business support",
    ),
    Choice::new(
        "20",
        "Administrasi pemerintahan, pertahanan & jaminan sosial wajib",
        "Public administration, defence and compulsory social security",
    ),
    Choice::new("21", "Pendidikan", "Education"),
    Choice::new(
        "22",
        "Kesehatan manusia & aktivitas sosial",
        "Human health and social work",
    ),
    Choice::new(
        "23",
        "Kesenian, hiburan & rekreasi",
        "Arts, entertainment and recreation",
    ),
    Choice::new("24", "Aktivitas jasa lainnya", "Other service activities"),
    Choice::new(
        "25",
        "Aktivitas keluarga sebagai pemberi kerja",
        "Households as employers",
    ),
    Choice::new(
        "26",
        "Badan internasional & ekstra-internasional",
        "International and extraterritorial bodies",
    ),
];

/// How hard a daily activity is (Regsosek r428).
pub const DIFFICULTY: &[Choice] = &[
    Choice::new("1", "Ya, sama sekali tidak bisa", "Yes, cannot do it at all"),
    Choice::new(
        "2",
        "Ya, banyak kesulitan dan membutuhkan bantuan",
        "Yes, a lot of difficulty, needs help",
    ),
    Choice::new(
        "3",
        "Ya, sedikit kesulitan, tidak membutuhkan bantuan",
        "Yes, some difficulty, needs no help",
    ),
    Choice::new("4", "Tidak mengalami kesulitan", "No difficulty"),
];

/// Relationship to the head of family (`hubungan_kk`, Regsosek r409), and for the respondent
/// the same codes plus 9, someone outside the family: one list, so the two cannot drift.
pub const RESPONDENT_RELATIONS: &[Choice] = &[
    Choice::new("1", "Kepala keluarga", "Head of family"),
    Choice::new("2", "Istri/suami", "Wife/husband"),
    Choice::new("3", "Anak", "Child"),
    Choice::new("4", "Menantu", "Child-in-law"),
    Choice::new("5", "Cucu", "Grandchild"),
    Choice::new("6", "Orangtua/mertua", "Parent/parent-in-law"),
    Choice::new("7", "Pembantu/sopir", "Domestic worker/driver"),
    Choice::new("8", "Lainnya", "Other"),
    Choice::new(
        "9",
        "Bukan anggota keluarga (tetangga/RT)",
        "Not a family member (neighbour/RT)",
    ),
];

/// `hubungan_kk`: the relations within the family (all but the last code above).
pub const RELATION: &[Choice] = RESPONDENT_RELATIONS.split_at(8).0;
