//! The regional P3KE verval spreadsheet (spec §4.3): the one description of its columns.
//! The P3KE export profile (`export::profile`) writes a row per member in this order, and
//! the prelist reader (`prelist::columns`) finds its columns by these names, so a P3KE
//! export read back as a prelist gives the same families (`tests::round_trip`).
//!
//! The column names and their order are the template's own, as a regency's import of it
//! reads them (`Sheet1`, three header rows, columns B…CZ; `daya_listik_terpasang` is
//! spelled so there). Column A, which the template leaves free, holds our record id.
//! Values are written in the template's words, not our answer codes: `Laki-laki`, `Ya`,
//! `Padan` (a regency's own rule selects `padan_dukcapil = 'Padan'` and
//! `VERVAL_memenuhi_kriteria_P3KE = 'Ya'`).

use crate::fields::{ALAMAT, NOMOR_KK};
use crate::form::default::{
    AIR_MINUM_LAYAK, ALASAN_TIDAK_MEMENUHI, BAHAN_BAKAR_MASAK, BANGUNAN_LAYAK, BEKERJA, CATATAN, DISABILITAS,
    FASILITAS_BAB, FOTO_ATAP, FOTO_DINDING, FOTO_JAMBAN, FOTO_KK, FOTO_LANTAI, FOTO_RUMAH_DEPAN, HUBUNGAN_KK,
    IJAZAH_TERTINGGI, JENIS_ATAP, JENIS_DINDING, JENIS_KELAMIN, JENIS_LANTAI, KETERANGAN_VERIFIKASI,
    KODE_DESA, KODE_KECAMATAN, KONDISI_ATAP, KONDISI_DINDING, KONDISI_LANTAI, KUR, LAPANGAN_USAHA,
    LOKASI_RUMAH, MEMENUHI_KRITERIA_P3KE, NAMA, NIK, PRAKERJA, PRELIST_DESIL, PRELIST_ID, PRELIST_SOURCE,
    PUNYA_SIMPANAN, RT, RW, SANITASI_LAYAK, STATUS_BANGUNAN, STATUS_KAWIN, STATUS_KEBERADAAN_ART,
    STATUS_PEKERJAAN, STATUS_VERIFIKASI, SUMBER_AIR_MINUM, SUMBER_PENERANGAN, TANGGAL_LAHIR, UMUR,
};
use crate::ids::FieldId;
use crate::prelist::columns::Target;
use crate::region::RegionLevel;

/// What the export writes into a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// The record's id (column A, ours).
    RecordId,
    /// An answer of the family, in words when it is coded.
    Family(FieldId),
    /// An answer of the member the row is, in words when it is coded.
    Member(FieldId),
    /// The name of the family's region of this level (its code when no table names it).
    RegionName(RegionLevel),
    /// The longitude or latitude of a family geopoint (`lat lon accuracy`).
    Longitude(FieldId),
    Latitude(FieldId),
    /// A family's region code, as the template writes it: digits only (`3513142001`).
    RegionCode(FieldId),
    /// What the prelist the visit began from said of the member: its id (`IDIndividu`) and
    /// whether it matched the civil registry (`padan_dukcapil`). Empty for a member the
    /// visit added.
    ListedId,
    ListedPadan,
    /// `Ya` when an aid row of the family has this programme (the form's AID code),
    /// `Tidak` when the aid section was answered without it: what the prelist's
    /// `penerima_` columns list, which the visit prefills as aid rows to confirm.
    /// (`penerima_prakerja` and `penerima_KUR` are the member's own answer, Regsosek's
    /// r431: the reader takes them as the family's programme all the same.)
    Received(&'static str),
    /// `Ya` when `bantuan_diusulkan` holds this programme, `Tidak` when a recommendation was
    /// made without it. The APBN, APBD, dana desa and local columns are the verval's
    /// proposals: what a family already receives is the `penerima_` columns.
    Proposed(&'static str),
    /// A column no answer of the form fills.
    Empty,
}

/// What the prelist reader takes from a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    Nothing,
    /// Identity, members, location (the column-mapping screen offers these).
    Target(Target),
    /// A housing answer, by the form's field id; the list writes it in words.
    Housing(FieldId),
    /// A programme (the form's AID code) the family is listed as receiving, yes/no.
    Aid(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub write: Write,
    pub read: Read,
}

const fn col(name: &'static str, write: Write, read: Read) -> Column {
    Column { name, write, read }
}

use Read::{Aid, Housing, Nothing, Target as T};
use Write::{
    Empty, Family, Latitude, ListedId, ListedPadan, Longitude, Member, Proposed, Received, RegionCode,
    RegionName,
};

/// Every column, in the template's order.
pub const COLUMNS: &[Column] = &[
    col("record_id", Write::RecordId, Nothing),
    col("ID_keluarga_P3KE", Family(PRELIST_ID), T(Target::PrelistId)),
    col("dimuktakhirkan_tahun", Empty, Nothing),
    col("provinsi", RegionName(RegionLevel::Province), Nothing),
    col("kabupaten", RegionName(RegionLevel::Regency), Nothing),
    col("Id_kec", RegionCode(KODE_KECAMATAN), Nothing),
    col("kecamatan", RegionName(RegionLevel::District), Nothing),
    col("Id_des_kel", RegionCode(KODE_DESA), T(Target::KodeDesa)),
    col("kelurahan", RegionName(RegionLevel::Village), Nothing),
    col("kode_kemdagri", RegionCode(KODE_DESA), Nothing),
    col("desil_kesejahteraan", Family(PRELIST_DESIL), T(Target::Desil)),
    col("persentil", Empty, Nothing),
    col("alamat", Family(ALAMAT), T(Target::Alamat)),
    col("RT", Family(RT), T(Target::Rt)),
    col("RW", Family(RW), T(Target::Rw)),
    col("Koordinat_X", Longitude(LOKASI_RUMAH), Nothing),
    col("Koordinat_Y", Latitude(LOKASI_RUMAH), Nothing),
    col("IDIndividu", ListedId, T(Target::IdIndividu)),
    col("prioritas_verval", Empty, Nothing),
    col("nama", Member(NAMA), T(Target::Nama)),
    col("nama_perbaikan", Empty, Nothing),
    col("NIK", Member(NIK), T(Target::Nik)),
    col("NIK_perbaikan", Empty, Nothing),
    col("nomor_KK", Family(NOMOR_KK), T(Target::NomorKk)),
    col("foto_KK", Family(FOTO_KK), Nothing),
    col("tanggal_lahir", Member(TANGGAL_LAHIR), T(Target::TanggalLahir)),
    col("padan_dukcapil", ListedPadan, T(Target::PadanDukcapil)),
    col("jenis_kelamin", Member(JENIS_KELAMIN), T(Target::JenisKelamin)),
    col("hubungan_dengan_KK", Member(HUBUNGAN_KK), T(Target::Hubungan)),
    col("status_kawin", Member(STATUS_KAWIN), Nothing),
    col("pekerjaan", Member(LAPANGAN_USAHA), Nothing),
    col("status_pekerjaan", Member(STATUS_PEKERJAAN), Nothing),
    col("pendidikan", Member(IJAZAH_TERTINGGI), Nothing),
    col("umur", Member(UMUR), Nothing),
    col("kelompok_umur", Empty, Nothing),
    col("penerima_BPNT", Received("SEMBAKO"), Aid("SEMBAKO")),
    col("penerima_BPUM", Received("BPUM"), Aid("BPUM")),
    col("penerima_BST", Received("BST"), Aid("BST")),
    col("penerima_PKH", Received("PKH"), Aid("PKH")),
    col("penerima_SEMBAKO", Received("SEMBAKO"), Aid("SEMBAKO")),
    col("penerima_prakerja", Member(PRAKERJA), Aid("PRAKERJA")),
    col("penerima_KUR", Member(KUR), Aid("KUR")),
    col("resiko_stunting", Empty, Nothing),
    col(
        "kepemilikan_rumah",
        Family(STATUS_BANGUNAN),
        Housing(STATUS_BANGUNAN),
    ),
    col("memiliki_simpanan", Family(PUNYA_SIMPANAN), Nothing),
    col("jenis_atap", Family(JENIS_ATAP), Housing(JENIS_ATAP)),
    col("kualitas_atap", Family(KONDISI_ATAP), Nothing),
    col("jenis_dinding", Family(JENIS_DINDING), Housing(JENIS_DINDING)),
    col("kualitas_dinding", Family(KONDISI_DINDING), Nothing),
    col("jenis_lantai", Family(JENIS_LANTAI), Housing(JENIS_LANTAI)),
    col("kualitas_lantai", Family(KONDISI_LANTAI), Nothing),
    col(
        "sumber_penerangan",
        Family(SUMBER_PENERANGAN),
        Housing(SUMBER_PENERANGAN),
    ),
    col("daya_listik_terpasang", Empty, Nothing),
    col(
        "bahan_bakar_memasak",
        Family(BAHAN_BAKAR_MASAK),
        Housing(BAHAN_BAKAR_MASAK),
    ),
    col(
        "sumber_air_minum",
        Family(SUMBER_AIR_MINUM),
        Housing(SUMBER_AIR_MINUM),
    ),
    col(
        "memiliki_fasilitas_buang_air_besar",
        Family(FASILITAS_BAB),
        Housing(FASILITAS_BAB),
    ),
    col("foto_rumah_tampak_depan", Family(FOTO_RUMAH_DEPAN), Nothing),
    col("foto_atap", Family(FOTO_ATAP), Nothing),
    col("foto_lantai", Family(FOTO_LANTAI), Nothing),
    col("foto_dinding", Family(FOTO_DINDING), Nothing),
    col("foto_jamban", Family(FOTO_JAMBAN), Nothing),
    col(
        "VERVAL_memenuhi_kriteria_P3KE",
        Family(MEMENUHI_KRITERIA_P3KE),
        Nothing,
    ),
    col(
        "VERVAL_alasan_tidak_memenuhi_kriteria_P3KE",
        Family(ALASAN_TIDAK_MEMENUHI),
        Nothing,
    ),
    col("VERVAL_keterangan", Family(KETERANGAN_VERIFIKASI), Nothing),
    col("VERVAL_keterangan_tambahan", Family(CATATAN), Nothing),
    col("DTKS_BERIRISAN_DTKS", Empty, Nothing),
    col("DTKS_ID_DTKS", Empty, Nothing),
    col("DTKS_KK_DTKS", Empty, Nothing),
    col("DTKS_keterangan_DTKS", Empty, Nothing),
    col(
        "SIKS_DJ_memiliki_rumah_layak_huni",
        Family(BANGUNAN_LAYAK),
        Nothing,
    ),
    col(
        "SIKS_DJ_memiliki_akses_air_bersih",
        Family(AIR_MINUM_LAYAK),
        Nothing,
    ),
    col("SIKS_DJ_memiliki_jamban", Family(SANITASI_LAYAK), Nothing),
    col("SIKS_DJ_memiliki_listrik_sendiri", Empty, Nothing),
    col("SIKS_DJ_apakah_bekerja", Member(BEKERJA), Nothing),
    col("SIKS_DJ_anak_tidak_sekolah", Empty, Nothing),
    col("SIKS_DJ_berisiko_stunting", Empty, Nothing),
    col("SIKS_DJ_disabilitas", Member(DISABILITAS), Nothing),
    col("APBN_PKH", Proposed("PKH"), Nothing),
    col("APBN_sembako", Proposed("SEMBAKO"), Nothing),
    col("APBN_PIP", Proposed("PIP"), Nothing),
    col("APBN_KIP", Proposed("KIP_KULIAH"), Nothing),
    col("APBN_JKN_KIS", Proposed("PBI_JKN"), Nothing),
    col("APBN_BSPS", Proposed("BSPS"), Nothing),
    col("APBD_beasiswa_miskin", Proposed("BEASISWA_MISKIN"), Nothing),
    col("APBD_serasi_kasih", Empty, Nothing),
    col("APBD_yatim_piatu", Proposed("YATIM_PIATU"), Nothing),
    col(
        "APBD_alat_bantu_disabilitas",
        Proposed("ALAT_BANTU_DISABILITAS"),
        Nothing,
    ),
    col("APBD_RTLH_desa", Proposed("RTLH_DESA"), Nothing),
    col("RTLH_bantuan_kabupaten", Proposed("RTLH_KAB"), Nothing),
    col("APBD_RTLH_kelurahan", Empty, Nothing),
    col("BLT_DBHCHT", Proposed("BLT_DBHCHT"), Nothing),
    col("BLT_DID", Proposed("BLT_DID"), Nothing),
    col("APBD_BPJS_PBI", Proposed("PBI_DAERAH"), Nothing),
    col("dana_desa_BLT_DD", Proposed("BLT_DD"), Nothing),
    col("dana_desa_RTLH_desa", Proposed("RTLH_DESA"), Nothing),
    col("sumber_data", Family(PRELIST_SOURCE), Nothing),
    col("tahun_data", Empty, Nothing),
    col("status_keberadaan_target", Member(STATUS_KEBERADAAN_ART), Nothing),
    col("status_verifikasi", Family(STATUS_VERIFIKASI), Nothing),
    col(
        "bansos_APBD_bantuan_jambanisasi",
        Proposed("JAMBANISASI"),
        Nothing,
    ),
    col(
        "bansos_APBD_bantuan_akses_air_bersih",
        Proposed("AIR_BERSIH"),
        Nothing,
    ),
    col(
        "bansos_APBD_bantuan_jaringan_listrik",
        Proposed("JARINGAN_LISTRIK"),
        Nothing,
    ),
    col(
        "bansos_APBD_bantuan_padat_karya",
        Proposed("PADAT_KARYA"),
        Nothing,
    ),
    col("bansos_APBD_bantuan_pelatihan", Proposed("PELATIHAN"), Nothing),
];

/// The template's yes and no (the form's `YES_NO` labels, which its flags share).
pub const YA: &str = "Ya";
pub const TIDAK: &str = "Tidak";

/// The column of a header, as the reader normalizes it (`ID_keluarga_P3KE` is
/// `id_keluarga_p3ke`).
pub fn column_named(normalized: &str) -> Option<&'static Column> {
    COLUMNS
        .iter()
        .find(|c| crate::prelist::columns::normalize(c.name) == normalized)
}

#[cfg(test)]
mod tests {
    //! The template read by the prelist reader and written by the export are one: a P3KE
    //! export read back as a prelist gives the families the prelist gave.

    use super::*;
    use crate::campaign::prefill::{
        certain_code, housing_field, iso_date, prefilled_record, relation_code, sex_code, SOURCE_P3KE,
    };
    use crate::export::{export_tables, Profile, RegionNames, Table};
    use crate::form::default::{DEFAULT_FORM, STATUS_VERIFIKASI};
    use crate::form::derive::apply_calculations;
    use crate::ids::RecordId;
    use crate::prelist::columns::{detect, P3KE_PRESET};
    use crate::prelist::files::read_csv;
    use crate::prelist::{read_prelist, PrelistFamily};
    use crate::record::{HouseholdRecord, Timestamp};

    /// A prelist as a district hands it out: a title row, then the template's names, then
    /// two families in the list's words.
    fn prelist_csv() -> String {
        let header: Vec<&str> = COLUMNS[1..].iter().map(|c| c.name).collect();
        let mut lines = vec!["DATA P3KE DESA KREGENAN".to_owned(), header.join(",")];
        let members: [[&str; 12]; 5] = [
            // id, IDIndividu, nama, NIK, KK, lahir, padan, jk, hubungan, atap, PKH, kode desa
            [
                "P3KE-001",
                "IND-11",
                "Sutrisno",
                "3513141203580001",
                "3513141203150007",
                "1958-03-12",
                "Padan",
                "Laki-laki",
                "Kepala Keluarga",
                "Genteng",
                "Ya",
                "3513142001",
            ],
            [
                "",
                "IND-12",
                "Maryam",
                "3513144507960002",
                "",
                "1996-07-05",
                "Tidak padan",
                "Perempuan",
                "Istri",
                "",
                "",
                "",
            ],
            [
                "",
                "IND-13",
                "Ahmad",
                "3513141501230003",
                "",
                "2023-01-15",
                "Padan",
                "Laki-laki",
                "Anak",
                "",
                "",
                "",
            ],
            [
                "P3KE-002",
                "IND-21",
                "Poniyem",
                "3513144109520004",
                "3513140101100001",
                "1952-09-01",
                "Tidak padan",
                "Perempuan",
                "Kepala Keluarga",
                "",
                "Tidak",
                "3513142001",
            ],
            [
                "",
                "IND-22",
                "Karto",
                "3513141010500005",
                "",
                "1950-10-10",
                "Padan",
                "Laki-laki",
                "Suami",
                "",
                "",
                "",
            ],
        ];
        let names = [
            "ID_keluarga_P3KE",
            "IDIndividu",
            "nama",
            "NIK",
            "nomor_KK",
            "tanggal_lahir",
            "padan_dukcapil",
            "jenis_kelamin",
            "hubungan_dengan_KK",
            "jenis_atap",
            "penerima_PKH",
            "Id_des_kel",
        ];
        for member in members {
            let row: Vec<String> = header
                .iter()
                .map(|h| {
                    let at = names.iter().position(|n| n == h);
                    let mut value = at.map_or(String::new(), |i| member[i].to_owned());
                    match *h {
                        "alamat" if !member[0].is_empty() => {
                            value = format!("Dusun Krajan {}", &member[0][5..])
                        }
                        "RT" if !member[0].is_empty() => value = "002".into(),
                        "RW" if !member[0].is_empty() => value = "001".into(),
                        "desil_kesejahteraan" if !member[0].is_empty() => value = "1".into(),
                        _ => {}
                    }
                    value
                })
                .collect();
            lines.push(row.join(","));
        }
        lines.join("\n")
    }

    fn read(csv: &str) -> Vec<PrelistFamily> {
        let sheet = read_csv(csv.as_bytes()).expect("a CSV");
        let mapping = detect(&sheet, &P3KE_PRESET).expect("the template's columns");
        read_prelist(&sheet, &mapping).expect("a prelist").families
    }

    /// The visits: the first family found as listed, the second not found.
    fn visited(families: &[PrelistFamily]) -> Vec<HouseholdRecord> {
        let today = crate::date::Date::new(2026, 12, 7).expect("a date");
        families
            .iter()
            .zip(["1", "6"])
            .enumerate()
            .map(|(n, (family, status))| {
                let now = Timestamp(1_796_000_000_000);
                let id = RecordId::from_random_bytes([n as u8 + 1; 16]);
                let mut record = prefilled_record(id, now, family, SOURCE_P3KE);
                record.set_answer(STATUS_VERIFIKASI, status, now);
                let rows: Vec<u32> = record
                    .repeats
                    .rows(crate::form::default::ART)
                    .iter()
                    .map(|r| r.key)
                    .collect();
                for key in rows {
                    record.set_row_answer(
                        crate::form::default::ART,
                        key,
                        crate::form::default::STATUS_KEBERADAAN_ART,
                        "1",
                        now,
                    );
                }
                apply_calculations(&DEFAULT_FORM, &mut record, today, now);
                record
            })
            .collect()
    }

    fn p3ke_table(records: &[HouseholdRecord]) -> Table {
        let today = crate::date::Date::new(2026, 12, 7).expect("a date");
        let mut tables = export_tables(&DEFAULT_FORM, Profile::P3ke, records, today);
        let mut names = RegionNames::default();
        for (code, name) in [
            ("35", "Jawa Timur"),
            ("35.13", "Kabupaten Probolinggo"),
            ("35.13.14", "Kraksaan"),
            ("35.13.14.2001", "Kregenan"),
        ] {
            names.insert(code.into(), name.into());
        }
        crate::export::p3ke::name_regions(&mut tables, &names);
        tables
            .into_iter()
            .find(|t| t.name == "p3ke")
            .expect("the P3KE table")
    }

    /// A family as it means: names in any case, words as the form's codes.
    fn meaning(family: &PrelistFamily) -> String {
        let members: Vec<String> = family
            .members
            .iter()
            .map(|m| {
                format!(
                    "{} {:?} {} padan={:?} rel={:?} sex={:?} born={:?}",
                    m.nama.to_uppercase(),
                    m.nik,
                    m.id_individu,
                    certain_code(crate::form::default::PRELIST_PADAN_DUKCAPIL, &m.padan_dukcapil),
                    relation_code(&m.hubungan),
                    sex_code(&m.jenis_kelamin),
                    iso_date(&m.tanggal_lahir),
                )
            })
            .collect();
        let housing: Vec<String> = family
            .housing
            .iter()
            .map(|(field, words)| {
                format!(
                    "{field}={:?}",
                    housing_field(field).and_then(|f| certain_code(f, words))
                )
            })
            .collect();
        let mut programmes = family.programmes.clone();
        programmes.sort();
        format!(
            "{} kk={:?} desa={} alamat={} rt={} rw={} desil={} housing={housing:?} aid={programmes:?}\n{}",
            family.prelist_id,
            family.nomor_kk,
            family.kode_desa,
            family.alamat,
            family.rt,
            family.rw,
            family.desil,
            members.join("\n"),
        )
    }

    fn column<'t>(table: &'t Table, name: &str) -> Vec<&'t str> {
        let i = table.header.iter().position(|h| h == name).expect(name);
        table.rows.iter().map(|r| r[i].as_str()).collect()
    }

    #[test]
    fn round_trip() {
        let listed = read(&prelist_csv());
        assert_eq!(listed.len(), 2);
        assert_eq!(
            listed[0].members[1].id_individu, "IND-12",
            "the reader takes IDIndividu"
        );
        assert_eq!(
            listed[0].members[1].padan_dukcapil, "Tidak padan",
            "and padan_dukcapil, per member"
        );
        let records = visited(&listed);
        let p3ke = p3ke_table(&records);

        // Read back by the prelist reader: the same families, every member named.
        let back = read(&crate::export::csv::write(&p3ke));
        let want: Vec<String> = listed.iter().map(meaning).collect();
        let got: Vec<String> = back.iter().map(meaning).collect();
        assert_eq!(got, want);

        // As the template writes it: regions named, words not codes, one yes/no.
        assert_eq!(column(&p3ke, "provinsi")[0], "Jawa Timur");
        assert_eq!(column(&p3ke, "kabupaten")[0], "Kabupaten Probolinggo");
        assert_eq!(column(&p3ke, "kecamatan")[0], "Kraksaan");
        assert_eq!(column(&p3ke, "kelurahan")[0], "Kregenan");
        assert_eq!(
            column(&p3ke, "padan_dukcapil"),
            ["Padan", "Tidak padan", "Padan", "Tidak padan", "Padan"]
        );
        assert_eq!(
            column(&p3ke, "Id_des_kel")[0],
            "3513142001",
            "codes as the template writes them"
        );
        // A spreadsheet reader sees the template's columns, and no other, in its order.
        let book = crate::export::xlsx::write(&[&p3ke], &RegionNames::default()).expect("a workbook");
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(book)).expect("xlsx");
        use calamine::Reader;
        let sheet = book.worksheet_range("p3ke").expect("the sheet");
        let header: Vec<String> = sheet
            .rows()
            .next()
            .expect("a header")
            .iter()
            .map(|c| c.to_string())
            .collect();
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(header, names);
        assert_eq!(
            column(&p3ke, "IDIndividu"),
            ["IND-11", "IND-12", "IND-13", "IND-21", "IND-22"]
        );
        assert_eq!(
            column(&p3ke, "jenis_kelamin")[..3],
            ["Laki-laki", "Perempuan", "Laki-laki"]
        );
        assert_eq!(column(&p3ke, "jenis_atap")[0], "Genteng");
        assert_eq!(
            column(&p3ke, "nama")[3..],
            ["Poniyem", "Karto"],
            "a family not found is named as listed"
        );
        for (i, c) in COLUMNS.iter().enumerate() {
            if matches!(c.write, Write::Received(_) | Write::Proposed(_)) {
                for row in &p3ke.rows {
                    assert!(
                        [YA, TIDAK, ""].contains(&row[i].as_str()),
                        "{}: {:?}",
                        c.name,
                        row[i]
                    );
                }
            }
        }
    }

    #[test]
    fn every_housing_column_is_a_choice_the_prefill_answers() {
        for c in COLUMNS {
            if let Housing(field) = c.read {
                assert_eq!(housing_field(field.as_str()), Some(field), "{}", c.name);
            }
        }
        assert_eq!(housing_field("nik"), None, "not a choice");
        assert_eq!(housing_field("hubungan_kk"), None, "a member's");
    }

    #[test]
    fn the_template_is_the_regencys_columns_b_to_cz_after_our_record_id() {
        assert_eq!(COLUMNS.len(), 1 + 103, "A, then B…CZ");
        assert_eq!(COLUMNS[0].name, "record_id");
        assert_eq!(COLUMNS[1].name, "ID_keluarga_P3KE");
        assert_eq!(COLUMNS[103].name, "bansos_APBD_bantuan_pelatihan");
        let mut names: Vec<String> = COLUMNS
            .iter()
            .map(|c| crate::prelist::columns::normalize(c.name))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len(), "no name twice");
    }
}
