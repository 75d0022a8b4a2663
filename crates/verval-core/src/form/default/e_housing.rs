//! Section E — housing, one per family (spec §1.6, Regsosek Blok III), with the electricity
//! meter repeat `daya_listrik` and the derived housing indicators.

use super::a_identity::{JUMLAH_ART, KODE_DESA};
use super::codes::FLAG;
use crate::form::cond::{Cond, Values};
use crate::form::model::{Calc, Choice, Kind, Question, Repeat, Required, SectionItem, TextFormat};
use crate::form::scope::Scope;
use crate::ids::FieldId;
use crate::text::Text;

pub const STATUS_BANGUNAN: FieldId = FieldId::new("status_bangunan");
pub const BUKTI_KEPEMILIKAN_TANAH: FieldId = FieldId::new("bukti_kepemilikan_tanah");
pub const LUAS_LANTAI: FieldId = FieldId::new("luas_lantai");
pub const JENIS_LANTAI: FieldId = FieldId::new("jenis_lantai");
pub const JENIS_DINDING: FieldId = FieldId::new("jenis_dinding");
pub const JENIS_ATAP: FieldId = FieldId::new("jenis_atap");
pub const KONDISI_ATAP: FieldId = FieldId::new("kondisi_atap");
pub const KONDISI_DINDING: FieldId = FieldId::new("kondisi_dinding");
pub const KONDISI_LANTAI: FieldId = FieldId::new("kondisi_lantai");
pub const SUMBER_AIR_MINUM: FieldId = FieldId::new("sumber_air_minum");
pub const JARAK_SUMBER_AIR_TINJA: FieldId = FieldId::new("jarak_sumber_air_tinja");
pub const SUMBER_PENERANGAN: FieldId = FieldId::new("sumber_penerangan");
pub const DAYA_LISTRIK: FieldId = FieldId::new("daya_listrik");
pub const DAYA_TERPASANG: FieldId = FieldId::new("daya_terpasang");
pub const ID_PELANGGAN_PLN: FieldId = FieldId::new("id_pelanggan_pln");
pub const BAHAN_BAKAR_MASAK: FieldId = FieldId::new("bahan_bakar_masak");
pub const FASILITAS_BAB: FieldId = FieldId::new("fasilitas_bab");
pub const JENIS_KLOSET: FieldId = FieldId::new("jenis_kloset");
pub const PEMBUANGAN_TINJA: FieldId = FieldId::new("pembuangan_tinja");
pub const LUAS_LANTAI_PER_KAPITA: FieldId = FieldId::new("luas_lantai_per_kapita");
pub const BANGUNAN_LAYAK: FieldId = FieldId::new("bangunan_layak");
pub const AIR_MINUM_LAYAK: FieldId = FieldId::new("air_minum_layak");
pub const SANITASI_LAYAK: FieldId = FieldId::new("sanitasi_layak");
pub const LISTRIK_450: FieldId = FieldId::new("listrik_450");

/// Lighting code 4: no electricity at all.
pub const NOT_ELECTRIC: &str = "4";
/// Toilet facilities the family has for itself or shares with few (r309a ∈ {1,2,3}).
const OWN_TOILET: &[&str] = &["1", "2", "3"];

const TENURE: &[Choice] = &[
    Choice::new("1", "Milik sendiri", "Owned"),
    Choice::new("2", "Kontrak/sewa", "Rented"),
    Choice::new("3", "Bebas sewa", "Rent-free"),
    Choice::new("4", "Dinas", "Official housing"),
    Choice::new("5", "Lainnya", "Other"),
];

const LAND_TITLE: &[Choice] = &[
    Choice::new(
        "1",
        "SHM atas nama anggota keluarga",
        "Freehold title in a member's name",
    ),
    Choice::new(
        "2",
        "SHM bukan a.n. anggota keluarga, dengan perjanjian pemanfaatan tertulis",
        "Freehold title in another name, written use agreement",
    ),
    Choice::new(
        "3",
        "SHM bukan a.n. anggota keluarga, tanpa perjanjian tertulis",
        "Freehold title in another name, no written agreement",
    ),
    Choice::new(
        "4",
        "Sertifikat selain SHM (SHGB, SHSRS)",
        "Other certificate (SHGB, SHSRS)",
    ),
    Choice::new(
        "5",
        "Surat bukti lainnya (girik, letter C, dll.)",
        "Other proof (girik, letter C, etc.)",
    ),
    Choice::new("6", "Tidak punya", "None"),
];

pub const FLOORS: &[Choice] = &[
    Choice::new("1", "Marmer/granit", "Marble/granite"),
    Choice::new("2", "Keramik", "Ceramic tiles"),
    Choice::new("3", "Parket/vinil/karpet", "Parquet/vinyl/carpet"),
    Choice::new("4", "Ubin/tegel/teraso", "Tiles/terrazzo"),
    Choice::new("5", "Kayu/papan", "Wood/boards"),
    Choice::new("6", "Semen/bata merah", "Cement/red brick"),
    Choice::new("7", "Bambu", "Bamboo"),
    Choice::new("8", "Tanah", "Earth"),
    Choice::new("9", "Lainnya", "Other"),
];

const WALLS: &[Choice] = &[
    Choice::new("1", "Tembok", "Masonry"),
    Choice::new("2", "Plesteran anyaman bambu/kawat", "Plastered bamboo/wire mesh"),
    Choice::new(
        "3",
        "Kayu/papan/gypsum/GRC/calciboard",
        "Wood/boards/gypsum/fibre cement",
    ),
    Choice::new("4", "Anyaman bambu", "Woven bamboo"),
    Choice::new("5", "Batang kayu", "Logs"),
    Choice::new("6", "Bambu", "Bamboo"),
    Choice::new("7", "Lainnya", "Other"),
];

const ROOFS: &[Choice] = &[
    Choice::new("1", "Beton", "Concrete"),
    Choice::new("2", "Genteng", "Roof tiles"),
    Choice::new("3", "Seng", "Corrugated iron"),
    Choice::new("4", "Asbes", "Asbestos"),
    Choice::new("5", "Bambu", "Bamboo"),
    Choice::new("6", "Kayu/sirap", "Wood/shingles"),
    Choice::new(
        "7",
        "Jerami/ijuk/daun-daunan/rumbia",
        "Straw/palm fibre/leaves/thatch",
    ),
    Choice::new("8", "Lainnya", "Other"),
];

const CONDITION: &[Choice] = &[
    Choice::new("1", "Bagus/kualitas tinggi", "Good/high quality"),
    Choice::new("2", "Jelek/kualitas rendah", "Poor/low quality"),
];

const WATER: &[Choice] = &[
    Choice::new("1", "Air kemasan bermerk", "Branded bottled water"),
    Choice::new("2", "Air isi ulang", "Refilled water"),
    Choice::new("3", "Leding", "Piped water"),
    Choice::new("4", "Sumur bor/pompa", "Borehole/pump"),
    Choice::new("5", "Sumur terlindung", "Protected well"),
    Choice::new("6", "Sumur tak terlindung", "Unprotected well"),
    Choice::new("7", "Mata air terlindung", "Protected spring"),
    Choice::new("8", "Mata air tak terlindung", "Unprotected spring"),
    Choice::new(
        "9",
        "Air permukaan (sungai/danau/waduk/kolam/irigasi)",
        "Surface water (river/lake/reservoir/pond/irrigation)",
    ),
    Choice::new("10", "Air hujan", "Rainwater"),
    Choice::new("11", "Lainnya", "Other"),
];

const DISTANCE: &[Choice] = &[
    Choice::new("1", "< 10 m", "< 10 m"),
    Choice::new("2", "≥ 10 m", "≥ 10 m"),
    Choice::new("8", "Tidak tahu", "Do not know"),
];

const LIGHTING: &[Choice] = &[
    Choice::new("1", "Listrik PLN dengan meteran", "PLN electricity with a meter"),
    Choice::new(
        "2",
        "Listrik PLN tanpa meteran",
        "PLN electricity without a meter",
    ),
    Choice::new("3", "Listrik non-PLN", "Non-PLN electricity"),
    Choice::new(NOT_ELECTRIC, "Bukan listrik", "Not electricity"),
];

const POWER: &[Choice] = &[
    Choice::new("1", "450 W", "450 W"),
    Choice::new("2", "900 W", "900 W"),
    Choice::new("3", "1.300 W", "1,300 W"),
    Choice::new("4", "2.200 W", "2,200 W"),
    Choice::new("5", "> 2.200 W", "> 2,200 W"),
];

/// Code 5 is absent from the Regsosek form; its label follows Susenas practice (spec note).
const COOKING_FUEL: &[Choice] = &[
    Choice::new("00", "Tidak memasak di rumah", "Does not cook at home"),
    Choice::new("1", "Listrik", "Electricity"),
    Choice::new("2", "Elpiji 5,5 kg/blue gaz", "LPG 5.5 kg/blue gaz"),
    Choice::new("3", "Elpiji 12 kg", "LPG 12 kg"),
    Choice::new("4", "Elpiji 3 kg", "LPG 3 kg"),
    Choice::new("5", "Gas kota/meteran PGN", "Piped city gas (PGN)"),
    Choice::new("6", "Biogas", "Biogas"),
    Choice::new("7", "Minyak tanah", "Kerosene"),
    Choice::new("8", "Briket", "Briquettes"),
    Choice::new("9", "Arang", "Charcoal"),
    Choice::new("10", "Kayu bakar", "Firewood"),
    Choice::new("11", "Lainnya", "Other"),
];

const TOILET: &[Choice] = &[
    Choice::new(
        "1",
        "Ada, digunakan hanya anggota keluarga sendiri",
        "Yes, used only by this family",
    ),
    Choice::new(
        "2",
        "Ada, digunakan bersama anggota keluarga tertentu",
        "Yes, shared with certain other families",
    ),
    Choice::new("3", "Ada, di MCK komunal", "Yes, communal facility"),
    Choice::new("4", "Ada, di MCK umum/siapapun", "Yes, public facility"),
    Choice::new(
        "5",
        "Ada, anggota keluarga tidak menggunakan",
        "Yes, but the family does not use it",
    ),
    Choice::new("6", "Tidak ada fasilitas", "No facility"),
];

const TOILET_TYPE: &[Choice] = &[
    Choice::new("1", "Leher angsa", "Gooseneck (water seal)"),
    Choice::new("2", "Plengsengan dengan tutup", "Slab with lid"),
    Choice::new("3", "Plengsengan tanpa tutup", "Slab without lid"),
    Choice::new("4", "Cemplung/cubluk", "Pit"),
];

const DISPOSAL: &[Choice] = &[
    Choice::new("1", "Tangki septik", "Septic tank"),
    Choice::new("2", "IPAL", "Sewage treatment plant"),
    Choice::new("3", "Kolam/sawah/sungai/danau/laut", "Pond/field/river/lake/sea"),
    Choice::new("4", "Lubang tanah", "Hole in the ground"),
    Choice::new("5", "Pantai/tanah lapang/kebun", "Beach/open ground/garden"),
    Choice::new("6", "Lainnya", "Other"),
];

const fn select(id: FieldId, label: Text, choices: &'static [Choice], item: &'static str) -> Question {
    Question {
        regsosek: Some(item),
        ..Question::new(id, label, Kind::SelectOne(choices), Required::Yes)
    }
}

fn flag(yes: bool) -> Option<String> {
    Some(if yes { "1" } else { "0" }.to_owned())
}

/// Floor area per member living in the house, one decimal, rounded half up (`7.5`).
pub fn floor_per_capita(scope: &Scope<'_>) -> Option<String> {
    let area = scope.number(LUAS_LANTAI)?;
    let members = scope.number(JUMLAH_ART).filter(|n| *n > 0)?;
    let tenths = (area * 10 * 2 + members) / (members * 2);
    Some(format!("{}.{}", tenths / 10, tenths % 10))
}

/// Roof, wall and floor all of decent material (BPS/PUPR housing metadata). Log walls (5)
/// are ambiguous in the metadata; they count as not decent here, as low-quality wood does in
/// the BPS poverty criteria.
fn decent_building(scope: &Scope<'_>) -> Option<String> {
    let answered = |f| !scope.value(f).trim().is_empty();
    if !(answered(JENIS_LANTAI) && answered(JENIS_DINDING) && answered(JENIS_ATAP)) {
        return None;
    }
    flag(
        !scope.is(JENIS_LANTAI, &["7", "8", "9"])
            && !scope.is(JENIS_DINDING, &["4", "5", "6", "7"])
            && !scope.is(JENIS_ATAP, &["4", "5", "7", "8"]),
    )
}

/// Safe drinking water: piped, protected spring and rain always; boreholes and protected
/// wells at 10 m or more from a waste pit; bottled and refilled water count as safe because
/// the bathing-water source they depend on is not collected (spec §1.6).
fn safe_water(scope: &Scope<'_>) -> Option<String> {
    match scope.value(SUMBER_AIR_MINUM).trim() {
        "1" | "2" | "3" | "7" | "10" => flag(true),
        "4" | "5" => match scope.value(JARAK_SUMBER_AIR_TINJA).trim() {
            "" => None,
            distance => flag(distance == "2"),
        },
        "6" | "8" | "9" | "11" => flag(false),
        _ => None,
    }
}

/// A village code whose last part starts with 2 is a desa (rural); 1 is a kelurahan (urban).
fn is_rural(scope: &Scope<'_>) -> bool {
    scope
        .value(KODE_DESA)
        .rsplit('.')
        .next()
        .is_some_and(|v| v.len() == 4 && v.starts_with('2'))
}

/// Own or shared toilet with a gooseneck and a septic tank or sewage plant; in rural villages
/// a hole in the ground also counts (spec §1.6).
fn safe_sanitation(scope: &Scope<'_>) -> Option<String> {
    let facility = scope.value(FASILITAS_BAB).trim();
    if facility.is_empty() {
        return None;
    }
    if !OWN_TOILET.contains(&facility) {
        return flag(false);
    }
    let disposal: &[&str] = if is_rural(scope) {
        &["1", "2", "4"]
    } else {
        &["1", "2"]
    };
    if scope.value(JENIS_KLOSET).trim().is_empty() || scope.value(PEMBUANGAN_TINJA).trim().is_empty() {
        return None;
    }
    flag(scope.is(JENIS_KLOSET, &["1"]) && scope.is(PEMBUANGAN_TINJA, disposal))
}

/// Any meter at 450 W: an affluence and subsidy flag.
fn has_450_meter(scope: &Scope<'_>) -> Option<String> {
    match scope.value(SUMBER_PENERANGAN).trim() {
        "" => None,
        "1" => {
            let meters = scope.rows(DAYA_LISTRIK);
            let powers: Vec<&str> = meters
                .iter()
                .map(|r| r.answers.get(DAYA_TERPASANG))
                .filter(|v| !v.is_empty())
                .collect();
            if powers.is_empty() {
                return None;
            }
            flag(powers.contains(&"1"))
        }
        _ => flag(false),
    }
}

static METER: [Question; 1] = [Question {
    regsosek: Some("r307b"),
    ..Question::new(
        DAYA_TERPASANG,
        Text::new("Daya terpasang", "Installed power"),
        Kind::SelectOne(POWER),
        Required::Yes,
    )
}];

pub(super) static ITEMS: [SectionItem; 23] = [
    SectionItem::Question(select(
        STATUS_BANGUNAN,
        Text::new("Status kepemilikan bangunan tempat tinggal", "Dwelling tenure"),
        TENURE,
        "r301a",
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(STATUS_BANGUNAN, &["1"])),
        ..select(
            BUKTI_KEPEMILIKAN_TANAH,
            Text::new("Jenis bukti kepemilikan tanah", "Land title type"),
            LAND_TITLE,
            "r301b",
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r302"),
        ..Question::new(
            LUAS_LANTAI,
            Text::new("Luas lantai bangunan tempat tinggal (m²)", "Floor area (m²)"),
            Kind::Integer { min: 1, max: 997 },
            Required::Yes,
        )
    }),
    SectionItem::Question(select(
        JENIS_LANTAI,
        Text::new("Jenis lantai terluas", "Main floor material"),
        FLOORS,
        "r303",
    )),
    SectionItem::Question(select(
        JENIS_DINDING,
        Text::new("Jenis dinding terluas", "Main wall material"),
        WALLS,
        "r304",
    )),
    SectionItem::Question(select(
        JENIS_ATAP,
        Text::new("Jenis atap terluas", "Main roof material"),
        ROOFS,
        "r305",
    )),
    SectionItem::Question(Question::new(
        KONDISI_ATAP,
        Text::new("Kondisi atap", "Condition of roof"),
        Kind::SelectOne(CONDITION),
        Required::No,
    )),
    SectionItem::Question(Question::new(
        KONDISI_DINDING,
        Text::new("Kondisi dinding", "Condition of walls"),
        Kind::SelectOne(CONDITION),
        Required::No,
    )),
    SectionItem::Question(Question::new(
        KONDISI_LANTAI,
        Text::new("Kondisi lantai", "Condition of floor"),
        Kind::SelectOne(CONDITION),
        Required::No,
    )),
    SectionItem::Question(select(
        SUMBER_AIR_MINUM,
        Text::new("Sumber air minum utama", "Main drinking-water source"),
        WATER,
        "r306a",
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(SUMBER_AIR_MINUM, &["4", "5", "6", "7", "8"])),
        ..select(
            JARAK_SUMBER_AIR_TINJA,
            Text::new(
                "Jarak sumber air minum ke penampungan limbah/tinja terdekat",
                "Distance from water source to nearest septic/waste pit",
            ),
            DISTANCE,
            "r306b",
        )
    }),
    SectionItem::Question(select(
        SUMBER_PENERANGAN,
        Text::new("Sumber penerangan utama", "Main lighting source"),
        LIGHTING,
        "r307a",
    )),
    SectionItem::Repeat(Repeat {
        id: DAYA_LISTRIK,
        label: Text::new(
            "Daya terpasang (per meteran, maks. 3)",
            "Installed power per meter (up to 3)",
        ),
        min_rows: 1,
        max_rows: 3,
        relevant: Some(Cond::Is(SUMBER_PENERANGAN, &["1"])),
        questions: &METER,
        blocks: &[],
        title: Some(DAYA_TERPASANG),
    }),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(SUMBER_PENERANGAN, &["1"])),
        hint: Some(Text::new("11–12 angka", "11–12 digits")),
        ..Question::new(
            ID_PELANGGAN_PLN,
            Text::new("ID pelanggan/nomor meter PLN", "PLN customer ID"),
            Kind::Text {
                min_len: 11,
                max_len: 12,
                format: TextFormat::Digits { min: 11, max: 12 },
            },
            Required::No,
        )
    }),
    SectionItem::Question(select(
        BAHAN_BAKAR_MASAK,
        Text::new("Bahan bakar/energi utama memasak", "Main cooking fuel"),
        COOKING_FUEL,
        "r308",
    )),
    SectionItem::Question(select(
        FASILITAS_BAB,
        Text::new("Kepemilikan & penggunaan fasilitas BAB", "Toilet facility"),
        TOILET,
        "r309a",
    )),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(FASILITAS_BAB, OWN_TOILET)),
        ..select(
            JENIS_KLOSET,
            Text::new("Jenis kloset", "Toilet type"),
            TOILET_TYPE,
            "r309b",
        )
    }),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(FASILITAS_BAB, OWN_TOILET)),
        ..select(
            PEMBUANGAN_TINJA,
            Text::new("Tempat pembuangan akhir tinja", "Final faecal disposal"),
            DISPOSAL,
            "r310",
        )
    }),
    SectionItem::Question(Question::calculated(
        LUAS_LANTAI_PER_KAPITA,
        Text::new("Luas lantai per kapita (m²)", "Floor area per person (m²)"),
        Calc::new(floor_per_capita),
    )),
    SectionItem::Question(Question::calculated_as(
        BANGUNAN_LAYAK,
        Text::new(
            "Bangunan layak (atap, dinding, lantai)",
            "Decent building (roof, walls, floor)",
        ),
        Calc::new(decent_building),
        FLAG,
    )),
    SectionItem::Question(Question::calculated_as(
        AIR_MINUM_LAYAK,
        Text::new("Air minum layak", "Safe drinking water"),
        Calc::new(safe_water),
        FLAG,
    )),
    SectionItem::Question(Question::calculated_as(
        SANITASI_LAYAK,
        Text::new("Sanitasi layak", "Safe sanitation"),
        Calc::new(safe_sanitation),
        FLAG,
    )),
    SectionItem::Question(Question::calculated_as(
        LISTRIK_450,
        Text::new("Ada meteran 450 W", "Has a 450 W meter"),
        Calc::new(has_450_meter),
        FLAG,
    )),
];
