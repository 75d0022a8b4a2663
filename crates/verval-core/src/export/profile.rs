//! Export profiles: which columns a district gets, as data.
//!
//! `lengkap` is every field id (the tables of [`super::tables`]). The other profiles are
//! derived from those tables, so a value means the same in every profile:
//! - `p3ke` follows the regional P3KE verval template (spec §4.3): one row per member with
//!   the family's columns repeated; a template column with no field behind it stays empty;
//! - `regsosek` names each column by the Regsosek 2022 item the question maps to (`r108`),
//!   one table for families and one for members; questions without an item are left out.

use super::column::ColumnKind;
use super::tables::Table;
use crate::form::Form;
use crate::text::Text;
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    Lengkap,
    P3ke,
    Regsosek,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Lengkap, Profile::P3ke, Profile::Regsosek];

    /// The profile's id, as written in the manifest and chosen on the export page.
    pub fn id(self) -> &'static str {
        match self {
            Profile::Lengkap => "lengkap",
            Profile::P3ke => "p3ke",
            Profile::Regsosek => "regsosek",
        }
    }

    pub fn parse(id: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.id() == id)
    }

    pub fn label(self) -> Text {
        match self {
            Profile::Lengkap => Text::new("Lengkap (semua isian)", "Complete (every field)"),
            Profile::P3ke => Text::new("Template verval P3KE", "P3KE verval template"),
            Profile::Regsosek => Text::new("Kode Regsosek (r-kode)", "Regsosek item codes"),
        }
    }
}

/// Profiles travel by id (the export page's message to its worker, the hub's forms); an id
/// this build does not know is refused with [`UnknownProfile`], never read as another.
impl serde::Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Profile, D::Error> {
        let id = String::deserialize(deserializer)?;
        Profile::parse(&id).ok_or_else(|| serde::de::Error::custom(UnknownProfile(id)))
    }
}

/// An export profile id this build does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl UnknownProfile {
    pub fn message(&self) -> crate::text::Message {
        let known = Profile::ALL.map(Profile::id).join(", ");
        crate::text::Message::new(
            format!("Profil ekspor {:?} tidak dikenal; yang ada: {known}.", self.0),
            format!("Unknown export profile {:?}; there are: {known}.", self.0),
        )
    }
}

impl std::fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.message();
        write!(f, "{} ({})", message.id, message.en)
    }
}

impl std::error::Error for UnknownProfile {}

/// Where a column of a derived table takes its value from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// A column of the family table.
    Family(&'static str),
    /// A column of the member table.
    Member(&'static str),
    /// The longitude or latitude of a family geopoint (`lat lon accuracy`).
    Longitude(&'static str),
    Latitude(&'static str),
    /// `1` when an aid row of the family has this programme, `0` when the aid section was
    /// answered without it.
    Received(&'static str),
    /// `1` when `bantuan_diusulkan` holds this programme, `0` when a recommendation was
    /// made without it.
    Proposed(&'static str),
    /// A template column no field of the form answers.
    Empty,
}

/// A column of a derived table.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub from: Source,
}

const fn col(name: &'static str, from: Source) -> Column {
    Column { name, from }
}

use Source::{Empty, Family, Latitude, Longitude, Member, Proposed, Received};

/// The regional P3KE verval template (spec §4.3), column for column. The "DJ" flag names
/// are ours: the template's own spelling of those columns was not captured.
pub const P3KE_COLUMNS: &[Column] = &[
    col("record_id", Family("record_id")),
    col("ID_keluarga_P3KE", Family("prelist_id")),
    col("dimuktakhirkan_tahun", Empty),
    col("provinsi", Empty),
    col("kabupaten", Empty),
    col("Id_kec", Family("kode_kecamatan")),
    col("kecamatan", Empty),
    col("Id_des_kel", Family("kode_desa")),
    col("kelurahan", Empty),
    col("kode_kemdagri", Family("kode_desa")),
    col("desil_kesejahteraan", Family("prelist_desil")),
    col("persentil", Empty),
    col("alamat", Empty),
    col("RT", Family("rt")),
    col("RW", Family("rw")),
    col("Koordinat_X", Longitude("lokasi_rumah")),
    col("Koordinat_Y", Latitude("lokasi_rumah")),
    col("IDIndividu", Empty),
    col("prioritas_verval", Empty),
    col("nama", Member("nama")),
    col("nama_perbaikan", Empty),
    col("NIK", Member("nik")),
    col("NIK_perbaikan", Empty),
    col("nomor_KK", Family("nomor_kk")),
    col("foto_KK", Family("foto_kk")),
    col("tanggal_lahir", Member("tanggal_lahir")),
    col("padan_dukcapil", Family("prelist_padan_dukcapil")),
    col("jenis_kelamin", Member("jenis_kelamin")),
    col("hubungan_dengan_KK", Member("hubungan_kk")),
    col("status_kawin", Member("status_kawin")),
    col("pekerjaan", Member("lapangan_usaha")),
    col("status_pekerjaan", Member("status_pekerjaan")),
    col("pendidikan", Member("ijazah_tertinggi")),
    col("umur", Member("umur")),
    col("kelompok_umur", Empty),
    col("penerima_BPNT", Received("SEMBAKO")),
    col("penerima_BPUM", Received("BPUM")),
    col("penerima_BST", Received("BST")),
    col("penerima_PKH", Received("PKH")),
    col("penerima_SEMBAKO", Received("SEMBAKO")),
    col("penerima_prakerja", Member("prakerja")),
    col("penerima_KUR", Member("kur")),
    col("resiko_stunting", Empty),
    col("kepemilikan_rumah", Family("status_bangunan")),
    col("memiliki_simpanan", Family("punya_simpanan")),
    col("jenis_atap", Family("jenis_atap")),
    col("kualitas_atap", Family("kondisi_atap")),
    col("jenis_dinding", Family("jenis_dinding")),
    col("kualitas_dinding", Family("kondisi_dinding")),
    col("jenis_lantai", Family("jenis_lantai")),
    col("kualitas_lantai", Family("kondisi_lantai")),
    col("sumber_penerangan", Family("sumber_penerangan")),
    col("daya_listrik_terpasang", Empty),
    col("bahan_bakar_memasak", Family("bahan_bakar_masak")),
    col("sumber_air_minum", Family("sumber_air_minum")),
    col("memiliki_fasilitas_buang_air_besar", Family("fasilitas_bab")),
    col("foto_rumah_tampak_depan", Family("foto_rumah_depan")),
    col("foto_atap", Family("foto_atap")),
    col("foto_lantai", Family("foto_lantai")),
    col("foto_dinding", Family("foto_dinding")),
    col("foto_jamban", Family("foto_jamban")),
    col("VERVAL_memenuhi_kriteria_P3KE", Family("memenuhi_kriteria_p3ke")),
    col(
        "VERVAL_alasan_tidak_memenuhi_kriteria_P3KE",
        Family("alasan_tidak_memenuhi"),
    ),
    col("VERVAL_keterangan", Family("keterangan_verifikasi")),
    col("VERVAL_keterangan_tambahan", Family("catatan")),
    col("DTKS_BERIRISAN_DTKS", Empty),
    col("DTKS_ID_DTKS", Empty),
    col("DTKS_KK_DTKS", Empty),
    col("DTKS_keterangan_DTKS", Empty),
    col("DJ_rumah_layak_huni", Family("bangunan_layak")),
    col("DJ_akses_air_bersih", Family("air_minum_layak")),
    col("DJ_jamban", Family("sanitasi_layak")),
    col("DJ_listrik_sendiri", Empty),
    col("DJ_bekerja", Member("bekerja")),
    col("DJ_anak_tidak_sekolah", Empty),
    col("DJ_berisiko_stunting", Empty),
    col("DJ_disabilitas", Member("disabilitas")),
    col("APBN_PKH", Proposed("PKH")),
    col("APBN_sembako", Proposed("SEMBAKO")),
    col("APBN_PIP", Proposed("PIP")),
    col("APBN_KIP", Proposed("KIP_KULIAH")),
    col("APBN_JKN_KIS", Proposed("PBI_JKN")),
    col("APBN_BSPS", Proposed("BSPS")),
    col("APBD_beasiswa_miskin", Proposed("BEASISWA_MISKIN")),
    col("APBD_serasi_kasih", Empty),
    col("APBD_yatim_piatu", Proposed("YATIM_PIATU")),
    col("APBD_alat_bantu_disabilitas", Proposed("ALAT_BANTU_DISABILITAS")),
    col("APBD_RTLH_desa", Proposed("RTLH_DESA")),
    col("APBD_RTLH_kabupaten", Proposed("RTLH_KAB")),
    col("APBD_RTLH_kelurahan", Empty),
    col("APBD_BLT_DBHCHT", Proposed("BLT_DBHCHT")),
    col("APBD_BLT_DID", Proposed("BLT_DID")),
    col("APBD_BPJS_PBI", Proposed("PBI_DAERAH")),
    col("dana_desa_BLT_DD", Proposed("BLT_DD")),
    col("dana_desa_RTLH_desa", Proposed("RTLH_DESA")),
    col("sumber_data", Family("prelist_source")),
    col("tahun_data", Empty),
    col("status_keberadaan_target", Member("status_keberadaan_art")),
    col("status_verifikasi", Family("status_verifikasi")),
    col("bansos_APBD_jambanisasi", Proposed("JAMBANISASI")),
    col("bansos_APBD_akses_air_bersih", Proposed("AIR_BERSIH")),
    col("bansos_APBD_jaringan_listrik", Proposed("JARINGAN_LISTRIK")),
    col("bansos_APBD_padat_karya", Proposed("PADAT_KARYA")),
    col("bansos_APBD_pelatihan", Proposed("PELATIHAN")),
];

/// The tables of `profile`, derived from the `lengkap` tables (`keluarga` first).
pub fn profile_tables(profile: Profile, form: &Form, lengkap: &[Table]) -> Vec<Table> {
    match profile {
        Profile::Lengkap => lengkap.to_vec(),
        Profile::P3ke => vec![p3ke(lengkap)],
        Profile::Regsosek => regsosek(form, lengkap),
    }
}

fn find<'a>(tables: &'a [Table], name: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.name == name)
}

fn column_index(table: Option<&Table>, name: &str) -> Option<usize> {
    table?.header.iter().position(|h| h == name)
}

/// A P3KE column's source, its column numbers found once for all rows.
enum Resolved {
    Family(Option<usize>),
    Member(Option<usize>),
    Longitude(Option<usize>),
    Latitude(Option<usize>),
    Received(&'static str),
    Proposed(&'static str),
    Empty,
}

fn p3ke(lengkap: &[Table]) -> Table {
    let family = find(lengkap, "keluarga");
    let members = find(lengkap, "anggota");
    let aid = find(lengkap, "bantuan");
    let in_family = |name: &str| column_index(family, name);
    let columns: Vec<Resolved> = P3KE_COLUMNS
        .iter()
        .map(|c| match c.from {
            Family(name) => Resolved::Family(in_family(name)),
            Member(name) => Resolved::Member(column_index(members, name)),
            Longitude(name) => Resolved::Longitude(in_family(name)),
            Latitude(name) => Resolved::Latitude(in_family(name)),
            Received(code) => Resolved::Received(code),
            Proposed(code) => Resolved::Proposed(code),
            Empty => Resolved::Empty,
        })
        .collect();
    let aid_asked = in_family("menerima_bantuan");
    let proposed_at = in_family("bantuan_diusulkan");
    let recommended = in_family("rekomendasi");

    // Programmes received per family, from the aid rows.
    let mut received: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    if let (Some(aid), Some(program)) = (aid, column_index(aid, "program")) {
        for row in &aid.rows {
            received
                .entry(row[0].as_str())
                .or_default()
                .insert(row[program].as_str());
        }
    }
    // Member rows per family, in order.
    let mut rows_of: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
    if let Some(members) = members {
        for row in &members.rows {
            rows_of.entry(row[0].as_str()).or_default().push(row);
        }
    }

    let kind_in = |table: Option<&Table>, at: Option<usize>| match (table, at) {
        (Some(t), Some(i)) => t.kinds[i],
        _ => ColumnKind::Text,
    };
    let kinds = columns.iter().map(|c| match *c {
        Resolved::Family(at) => kind_in(family, at),
        Resolved::Member(at) => kind_in(members, at),
        Resolved::Longitude(_) | Resolved::Latitude(_) => ColumnKind::Number,
        Resolved::Received(_) | Resolved::Proposed(_) => ColumnKind::Whole,
        Resolved::Empty => ColumnKind::Text,
    });
    let mut table = Table {
        name: "p3ke".into(),
        header: P3KE_COLUMNS.iter().map(|c| c.name.to_owned()).collect(),
        labels: P3KE_COLUMNS.iter().map(|c| c.name.to_owned()).collect(),
        kinds: kinds.collect(),
        rows: Vec::new(),
    };
    for family_row in family.map(|t| t.rows.as_slice()).unwrap_or(&[]) {
        let id = family_row[0].as_str();
        let cell = |at: Option<usize>| at.map_or("", |i| family_row[i].as_str());
        // A family with no member rows (it moved away) still gets its one line.
        let member_rows: Vec<Option<&Vec<String>>> = match rows_of.get(id) {
            Some(rows) if !rows.is_empty() => rows.iter().map(|r| Some(*r)).collect(),
            _ => vec![None],
        };
        for member_row in member_rows {
            let row = columns
                .iter()
                .map(|c| match *c {
                    Resolved::Family(at) => cell(at).to_owned(),
                    Resolved::Member(at) => match (at, member_row) {
                        (Some(i), Some(row)) => row[i].clone(),
                        _ => String::new(),
                    },
                    Resolved::Longitude(at) => geo_part(cell(at), 1),
                    Resolved::Latitude(at) => geo_part(cell(at), 0),
                    Resolved::Received(code) => {
                        let has = received.get(id).is_some_and(|p| p.contains(code));
                        flag(has, !cell(aid_asked).is_empty())
                    }
                    Resolved::Proposed(code) => {
                        let has = cell(proposed_at).split_whitespace().any(|c| c == code);
                        flag(has, !cell(recommended).is_empty())
                    }
                    Resolved::Empty => String::new(),
                })
                .collect();
            table.rows.push(row);
        }
    }
    table
}

/// `1` / `0`, or empty when the question behind the flag was not answered.
fn flag(has: bool, answered: bool) -> String {
    match (has, answered) {
        (true, _) => "1".to_owned(),
        (false, true) => "0".to_owned(),
        (false, false) => String::new(),
    }
}

/// Part `i` of a stored geopoint `lat lon accuracy`.
fn geo_part(point: &str, i: usize) -> String {
    point.split_whitespace().nth(i).unwrap_or_default().to_owned()
}

/// Each table with a question that has a Regsosek item, under those codes: `record_id`
/// (and the row number for a repeat), then the coded columns.
fn regsosek(form: &Form, lengkap: &[Table]) -> Vec<Table> {
    lengkap
        .iter()
        .filter_map(|source| {
            let keys = if source.name == "keluarga" { 1 } else { 2 };
            let code_of = |id: &str| {
                form.questions()
                    .find(|(_, q)| q.id.as_str() == id)
                    .and_then(|(_, q)| q.regsosek)
            };
            let picked: Vec<(usize, String)> = source
                .header
                .iter()
                .enumerate()
                .filter_map(|(i, id)| match i < keys {
                    true => Some((i, id.clone())),
                    false => code_of(id).map(|code| (i, code.to_owned())),
                })
                .collect();
            if picked.len() == keys {
                return None;
            }
            Some(Table {
                name: regsosek_name(&source.name).into(),
                header: picked.iter().map(|(_, code)| code.clone()).collect(),
                labels: picked.iter().map(|(i, _)| source.labels[*i].clone()).collect(),
                kinds: picked.iter().map(|(i, _)| source.kinds[*i]).collect(),
                rows: source
                    .rows
                    .iter()
                    .map(|row| picked.iter().map(|(i, _)| row[*i].clone()).collect())
                    .collect(),
            })
        })
        .collect()
}

fn regsosek_name(table: &str) -> &'static str {
    match table {
        "keluarga" => "regsosek_keluarga",
        "anggota" => "regsosek_anggota",
        "daya_listrik" => "regsosek_daya_listrik",
        _ => "regsosek_bantuan",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tables::tables;
    use crate::form::default::example::{example_family, EXAMPLE_TODAY};
    use crate::form::default::*;
    use crate::ids::RecordId;
    use crate::record::Timestamp;

    fn lengkap() -> Vec<Table> {
        let mut moved = example_family(RecordId::from_random_bytes([2; 16]));
        moved.set_answer(STATUS_VERIFIKASI, "4", Timestamp(9));
        // Moved away: proposed for removal, so no aid is proposed.
        moved.set_answer(REKOMENDASI, "3", Timestamp(9));
        let family = example_family(RecordId::from_random_bytes([1; 16]));
        tables(&DEFAULT_FORM, &[family, moved], EXAMPLE_TODAY)
    }

    fn column(table: &Table, name: &str) -> Vec<String> {
        let i = table.header.iter().position(|h| h == name).expect(name);
        table.rows.iter().map(|r| r[i].clone()).collect()
    }

    #[test]
    fn profiles_round_trip_through_their_ids() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.id()), Some(p));
        }
        assert_eq!(Profile::parse("P3KE"), None);
    }

    #[test]
    fn profiles_travel_by_id_and_an_unknown_one_is_refused_by_name() {
        for p in Profile::ALL {
            let json = serde_json::to_string(&p).expect("write");
            assert_eq!(json, format!("\"{}\"", p.id()));
            assert_eq!(serde_json::from_str::<Profile>(&json).expect("read"), p);
        }
        let error = serde_json::from_str::<Profile>("\"p3ke_2027\"").expect_err("unknown");
        let text = error.to_string();
        assert!(text.contains("\"p3ke_2027\""), "{text}");
        assert!(text.contains("lengkap, p3ke, regsosek"), "{text}");
    }

    #[test]
    fn every_p3ke_source_column_exists_in_the_lengkap_tables() {
        let t = lengkap();
        for c in P3KE_COLUMNS {
            let (table, name) = match c.from {
                Family(n) | Longitude(n) | Latitude(n) => ("keluarga", n),
                Member(n) => ("anggota", n),
                Received(_) => ("bantuan", "program"),
                Proposed(_) => ("keluarga", "bantuan_diusulkan"),
                Empty => continue,
            };
            assert!(
                column_index(find(&t, table), name).is_some(),
                "{} reads {table}.{name}, which does not exist",
                c.name
            );
        }
        for code in P3KE_COLUMNS.iter().filter_map(|c| match c.from {
            Received(code) | Proposed(code) => Some(code),
            _ => None,
        }) {
            assert!(
                PROGRAMMES.iter().any(|p| p.code == code),
                "{code} is a programme code"
            );
        }
    }

    #[test]
    fn p3ke_has_one_row_per_member_and_one_for_a_family_without_members() {
        let t = profile_tables(Profile::P3ke, &DEFAULT_FORM, &lengkap());
        assert_eq!(t.len(), 1);
        let p3ke = &t[0];
        assert_eq!(p3ke.rows.len(), 4 + 1);
        assert_eq!(
            column(p3ke, "NIK"),
            [
                "3513141203580001",
                "3513144507960002",
                "3513141501230003",
                "3513144109120004",
                ""
            ]
        );
        assert_eq!(column(p3ke, "nomor_KK")[..4], ["3513141203150007"; 4]);
        assert_eq!(column(p3ke, "status_verifikasi")[4], "4");
        let lengkap = lengkap();
        let point = column(&lengkap[0], "lokasi_rumah")[0].clone();
        let parts: Vec<&str> = point.split_whitespace().collect();
        assert_eq!(column(p3ke, "Koordinat_Y")[0], parts[0], "latitude");
        assert_eq!(column(p3ke, "Koordinat_X")[0], parts[1], "longitude");
        assert_eq!(column(p3ke, "provinsi"), ["", "", "", "", ""]);
    }

    #[test]
    fn p3ke_programme_flags_come_from_aid_rows_and_the_proposal() {
        let lengkap = lengkap();
        let t = &profile_tables(Profile::P3ke, &DEFAULT_FORM, &lengkap)[0];
        let received: Vec<String> = column(&lengkap[3], "program");
        for code in ["PKH", "SEMBAKO", "BPUM"] {
            let expected = if received.iter().any(|p| p == code) {
                "1"
            } else {
                "0"
            };
            let column_name = format!("penerima_{code}");
            assert_eq!(column(t, &column_name)[0], expected, "{code}");
        }
        let proposed = column(&lengkap[0], "bantuan_diusulkan")[0].clone();
        assert!(!proposed.is_empty(), "the example proposes aid");
        let pkh = if proposed.split_whitespace().any(|c| c == "PKH") {
            "1"
        } else {
            "0"
        };
        assert_eq!(column(t, "APBN_PKH")[0], pkh);
        assert_eq!(
            column(t, "APBN_PKH")[4],
            "0",
            "nothing proposed for a family that moved"
        );
        assert_eq!(
            column(t, "penerima_PKH")[4],
            "",
            "aid received not asked of a family that moved"
        );
    }

    #[test]
    fn regsosek_names_columns_by_item_code() {
        let t = profile_tables(Profile::Regsosek, &DEFAULT_FORM, &lengkap());
        let names: Vec<&str> = t.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(
            names,
            ["regsosek_keluarga", "regsosek_anggota", "regsosek_daya_listrik"],
            "aid rows have no Regsosek item"
        );
        assert_eq!(t[0].header[0], "record_id");
        assert_eq!(&t[1].header[..2], ["record_id", "art_baris"]);
        let coded = DEFAULT_FORM
            .questions()
            .filter(|(_, q)| q.regsosek.is_some())
            .count();
        let written: usize = t
            .iter()
            .map(|t| t.header.len() - if t.name == "regsosek_keluarga" { 1 } else { 2 })
            .sum();
        assert_eq!(written, coded, "every coded question has its column");
        let nik_code = DEFAULT_FORM
            .question(NIK)
            .and_then(|q| q.regsosek)
            .expect("NIK has an r-code");
        assert_eq!(column(&t[1], nik_code)[0], "3513141203580001");
        for table in &t {
            let unique: BTreeSet<&String> = table.header.iter().collect();
            assert_eq!(unique.len(), table.header.len(), "column names are unique");
            assert!(table.rows.iter().all(|r| r.len() == table.header.len()));
        }
    }
}
