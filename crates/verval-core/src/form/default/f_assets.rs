//! Section F — assets (spec §1.7, Regsosek Blok V items 502–506). DTSEN asks for counts, so
//! the asset questions are counts; the `regsosek` export turns them into Regsosek's yes/no.

use super::codes::YES_NO;
use crate::form::cond::Cond;
use crate::form::model::{Choice, Kind, Question, Required, SectionItem};
use crate::ids::FieldId;
use crate::text::Text;

pub const ASET_TABUNG_GAS: FieldId = FieldId::new("aset_tabung_gas");
pub const ASET_KULKAS: FieldId = FieldId::new("aset_kulkas");
pub const ASET_AC: FieldId = FieldId::new("aset_ac");
pub const ASET_PEMANAS_AIR: FieldId = FieldId::new("aset_pemanas_air");
pub const ASET_TELEPON_RUMAH: FieldId = FieldId::new("aset_telepon_rumah");
pub const ASET_TV_DATAR: FieldId = FieldId::new("aset_tv_datar");
pub const ASET_EMAS_GRAM: FieldId = FieldId::new("aset_emas_gram");
pub const ASET_KOMPUTER: FieldId = FieldId::new("aset_komputer");
pub const ASET_SEPEDA_MOTOR: FieldId = FieldId::new("aset_sepeda_motor");
pub const ASET_SEPEDA: FieldId = FieldId::new("aset_sepeda");
pub const ASET_MOBIL: FieldId = FieldId::new("aset_mobil");
pub const ASET_PERAHU: FieldId = FieldId::new("aset_perahu");
pub const ASET_KAPAL_MOTOR: FieldId = FieldId::new("aset_kapal_motor");
pub const ASET_SMARTPHONE: FieldId = FieldId::new("aset_smartphone");
pub const ASET_LAHAN: FieldId = FieldId::new("aset_lahan");
pub const LUAS_LAHAN_M2: FieldId = FieldId::new("luas_lahan_m2");
pub const ASET_RUMAH_LAIN: FieldId = FieldId::new("aset_rumah_lain");
pub const TERNAK_SAPI: FieldId = FieldId::new("ternak_sapi");
pub const TERNAK_KERBAU: FieldId = FieldId::new("ternak_kerbau");
pub const TERNAK_KUDA: FieldId = FieldId::new("ternak_kuda");
pub const TERNAK_BABI: FieldId = FieldId::new("ternak_babi");
pub const TERNAK_KAMBING_DOMBA: FieldId = FieldId::new("ternak_kambing_domba");
pub const TERNAK_UNGGAS: FieldId = FieldId::new("ternak_unggas");
pub const AKSES_INTERNET: FieldId = FieldId::new("akses_internet");
pub const REKENING: FieldId = FieldId::new("rekening");
pub const PUNYA_SIMPANAN: FieldId = FieldId::new("punya_simpanan");

/// Assets that need electricity (rule 7 of §1.11).
pub const ELECTRIC_ASSETS: [FieldId; 5] = [
    ASET_KULKAS,
    ASET_AC,
    ASET_PEMANAS_AIR,
    ASET_TV_DATAR,
    ASET_KOMPUTER,
];

const INTERNET: &[Choice] = &[
    Choice::new("0", "Tidak menggunakan", "Does not use the internet"),
    Choice::new(
        "1",
        "Internet & TV digital berlangganan",
        "Subscribed internet and digital TV",
    ),
    Choice::new("2", "WiFi", "WiFi"),
    Choice::new("3", "Internet handphone", "Mobile phone internet"),
];

const ACCOUNT: &[Choice] = &[
    Choice::new("1", "Ya, untuk usaha", "Yes, for business"),
    Choice::new("2", "Ya, untuk pribadi", "Yes, personal"),
    Choice::new("3", "Ya, usaha & pribadi", "Yes, business and personal"),
    Choice::new("4", "Tidak", "No"),
];

const fn count(id: FieldId, label: Text, max: i64, item: &'static str) -> SectionItem {
    SectionItem::Question(Question {
        regsosek: Some(item),
        ..Question::new(id, label, Kind::Integer { min: 0, max }, Required::Yes)
    })
}

const fn yes_no(id: FieldId, label: Text, item: &'static str) -> SectionItem {
    SectionItem::Question(Question {
        regsosek: Some(item),
        ..Question::new(id, label, Kind::SelectOne(YES_NO), Required::Yes)
    })
}

pub(super) static ITEMS: [SectionItem; 26] = [
    count(
        ASET_TABUNG_GAS,
        Text::new(
            "Tabung gas 5,5 kg atau lebih (jumlah)",
            "Gas cylinders ≥ 5.5 kg (count)",
        ),
        20,
        "r502a",
    ),
    count(
        ASET_KULKAS,
        Text::new("Lemari es/kulkas", "Refrigerator"),
        20,
        "r502b",
    ),
    count(
        ASET_AC,
        Text::new("Air conditioner (AC)", "Air conditioner"),
        20,
        "r502c",
    ),
    count(
        ASET_PEMANAS_AIR,
        Text::new("Pemanas air (water heater)", "Water heater"),
        20,
        "r502d",
    ),
    count(
        ASET_TELEPON_RUMAH,
        Text::new("Telepon rumah (PSTN)", "Landline"),
        10,
        "r502e",
    ),
    count(
        ASET_TV_DATAR,
        Text::new("Televisi layar datar ≥ 30 inci", "Flat TV ≥ 30\""),
        20,
        "r502f",
    ),
    SectionItem::Question(Question {
        regsosek: Some("r502g"),
        hint: Some(Text::new("Boleh desimal, mis. 2,5", "Decimals allowed, e.g. 2.5")),
        ..Question::new(
            ASET_EMAS_GRAM,
            Text::new("Emas/perhiasan (gram)", "Gold/jewellery (grams)"),
            Kind::Decimal {
                min: 0,
                max: 10_000,
                places: 2,
            },
            Required::Yes,
        )
    }),
    count(
        ASET_KOMPUTER,
        Text::new("Komputer/laptop/tablet", "Computer/laptop/tablet"),
        20,
        "r502h",
    ),
    count(
        ASET_SEPEDA_MOTOR,
        Text::new("Sepeda motor", "Motorcycle"),
        20,
        "r502i",
    ),
    count(ASET_SEPEDA, Text::new("Sepeda", "Bicycle"), 20, "r502j"),
    count(ASET_MOBIL, Text::new("Mobil", "Car"), 20, "r502k"),
    count(ASET_PERAHU, Text::new("Perahu", "Boat"), 20, "r502l"),
    count(
        ASET_KAPAL_MOTOR,
        Text::new("Kapal/perahu motor", "Motor boat"),
        20,
        "r502m",
    ),
    count(
        ASET_SMARTPHONE,
        Text::new("Smartphone", "Smartphone"),
        30,
        "r502n",
    ),
    yes_no(
        ASET_LAHAN,
        Text::new(
            "Memiliki lahan (selain yang ditempati)",
            "Owns land other than the house plot",
        ),
        "r503a",
    ),
    SectionItem::Question(Question {
        relevant: Some(Cond::Is(ASET_LAHAN, &["1"])),
        ..Question::new(
            LUAS_LAHAN_M2,
            Text::new("Luas lahan sawah/kebun diusahakan (m²)", "Farm land area (m²)"),
            Kind::Integer {
                min: 1,
                max: 10_000_000,
            },
            Required::Yes,
        )
    }),
    yes_no(
        ASET_RUMAH_LAIN,
        Text::new("Memiliki rumah/bangunan di tempat lain", "Owns another house"),
        "r503b",
    ),
    count(
        TERNAK_SAPI,
        Text::new("Jumlah ternak sapi (ekor)", "Cattle (head)"),
        999,
        "r504a",
    ),
    count(
        TERNAK_KERBAU,
        Text::new("Jumlah ternak kerbau (ekor)", "Buffalo (head)"),
        999,
        "r504b",
    ),
    count(
        TERNAK_KUDA,
        Text::new("Jumlah ternak kuda (ekor)", "Horses (head)"),
        999,
        "r504c",
    ),
    count(
        TERNAK_BABI,
        Text::new("Jumlah ternak babi (ekor)", "Pigs (head)"),
        999,
        "r504d",
    ),
    count(
        TERNAK_KAMBING_DOMBA,
        Text::new("Jumlah ternak kambing/domba (ekor)", "Goats/sheep (head)"),
        999,
        "r504e",
    ),
    SectionItem::Question(Question::new(
        TERNAK_UNGGAS,
        Text::new("Unggas/ayam (ekor)", "Poultry (head)"),
        Kind::Integer { min: 0, max: 9999 },
        Required::No,
    )),
    SectionItem::Question(Question {
        regsosek: Some("r505"),
        ..Question::new(
            AKSES_INTERNET,
            Text::new(
                "Jenis akses internet utama (sebulan terakhir)",
                "Main internet access (last month)",
            ),
            Kind::SelectOne(INTERNET),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question {
        regsosek: Some("r506"),
        ..Question::new(
            REKENING,
            Text::new(
                "Memiliki rekening aktif/dompet digital",
                "Has a bank account/e-wallet",
            ),
            Kind::SelectOne(ACCOUNT),
            Required::Yes,
        )
    }),
    SectionItem::Question(Question::new(
        PUNYA_SIMPANAN,
        Text::new(
            "Memiliki simpanan (uang/perhiasan/ternak/lainnya) ≥ Rp500.000 mudah dijual",
            "Has savings/sellable assets ≥ Rp500,000",
        ),
        Kind::SelectOne(YES_NO),
        Required::No,
    )),
];
