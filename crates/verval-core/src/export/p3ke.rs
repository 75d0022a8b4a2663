//! The P3KE export profile's table, written as `template::p3ke` describes it: one row per
//! member with the family's columns repeated, values in the template's words.

use super::column::ColumnKind;
use super::region_names::RegionNames;
use super::tables::Table;
use crate::form::default::{ART, KODE_DESA, KODE_KABKOTA, KODE_KECAMATAN, KODE_PROVINSI, NAMA, NIK};
use crate::form::default::{HUBUNGAN_KK, JENIS_KELAMIN, TANGGAL_LAHIR};
use crate::ids::FieldId;
use crate::prelist::PrelistMember;
use crate::record::HouseholdRecord;
use crate::region::RegionLevel;
use crate::template::p3ke::{Write, COLUMNS, TIDAK, YA};
use std::collections::{BTreeSet, HashMap};

/// The table's name, as a sheet and a CSV file.
pub const TABLE: &str = "p3ke";

/// The family's region answer of a level: the code a name column is named from.
fn region_field(level: RegionLevel) -> FieldId {
    match level {
        RegionLevel::Province => KODE_PROVINSI,
        RegionLevel::Regency => KODE_KABKOTA,
        RegionLevel::District => KODE_KECAMATAN,
        RegionLevel::Village => KODE_DESA,
    }
}

fn find<'a>(tables: &'a [Table], name: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.name == name)
}

fn column_index(table: Option<&Table>, name: &str) -> Option<usize> {
    table?.header.iter().position(|h| h == name)
}

/// A cell of a `lengkap` table in the template's words: a coded answer as its label
/// (`1` → `Laki-laki`, a flag's `1` → `Ya`), anything else as it is.
fn in_words(table: Option<&Table>, at: Option<usize>, row: &[String]) -> String {
    let (Some(table), Some(i)) = (table, at) else {
        return String::new();
    };
    let value = &row[i];
    table.kinds[i].labels_of(value).unwrap_or_else(|| value.clone())
}

/// `Ya`, `Tidak`, or empty when the question behind the flag was not answered.
fn yes_no(has: bool, answered: bool) -> String {
    match (has, answered) {
        (true, _) => YA.to_owned(),
        (false, true) => TIDAK.to_owned(),
        (false, false) => String::new(),
    }
}

/// Part `i` of a stored geopoint `lat lon accuracy`.
fn geo_part(point: &str, i: usize) -> String {
    point.split_whitespace().nth(i).unwrap_or_default().to_owned()
}

/// Who a row is: a member row of the `anggota` table, a member as the prelist listed them
/// (a family not found, whose members the visit did not ask about), or nobody (a family
/// with neither).
enum RowOf<'a> {
    Visited(&'a [String]),
    Listed(&'a PrelistMember),
    Nobody,
}

/// The P3KE table from the `lengkap` tables (`keluarga` first) and the records they were
/// made of (the prelist each was visited from).
pub fn table(lengkap: &[Table], records: &[HouseholdRecord]) -> Table {
    let family = find(lengkap, "keluarga");
    let members = find(lengkap, "anggota");
    let aid = find(lengkap, "bantuan");
    let in_family = |field: FieldId| column_index(family, field.as_str());
    let in_members = |field: FieldId| column_index(members, field.as_str());
    let aid_asked = in_family(crate::form::default::MENERIMA_BANTUAN);
    let proposed_at = in_family(crate::form::default::BANTUAN_DIUSULKAN);
    let recommended = in_family(crate::form::default::REKOMENDASI);
    let by_id: HashMap<&str, &HouseholdRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();

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

    let kinds = COLUMNS.iter().map(|c| match c.write {
        Write::Longitude(_) | Write::Latitude(_) => ColumnKind::Number,
        Write::Family(field) => plain_kind(family, in_family(field)),
        Write::Member(field) => plain_kind(members, in_members(field)),
        _ => ColumnKind::Text,
    });
    let mut table = Table {
        name: TABLE.into(),
        header: COLUMNS.iter().map(|c| c.name.to_owned()).collect(),
        labels: COLUMNS.iter().map(|c| c.name.to_owned()).collect(),
        kinds: kinds.collect(),
        rows: Vec::new(),
    };
    for family_row in family.map(|t| t.rows.as_slice()).unwrap_or(&[]) {
        let id = family_row[0].as_str();
        let record = by_id.get(id).copied();
        let link = record.and_then(|r| r.prelist.as_ref());
        let cell = |at: Option<usize>| at.map_or("", |i| family_row[i].as_str());
        let who: Vec<RowOf<'_>> = match (rows_of.get(id), link) {
            (Some(rows), _) if !rows.is_empty() => rows.iter().map(|r| RowOf::Visited(r)).collect(),
            // Not found, moved, or no member asked: the members as listed, so the row still
            // names whom the list meant.
            (_, Some(link)) if !link.family.members.is_empty() => {
                link.family.members.iter().map(RowOf::Listed).collect()
            }
            _ => vec![RowOf::Nobody],
        };
        for member in who {
            let listed = match &member {
                RowOf::Listed(m) => Some(*m),
                RowOf::Visited(row) => listed_member(record, row),
                RowOf::Nobody => None,
            };
            let row = COLUMNS
                .iter()
                .map(|c| match c.write {
                    Write::RecordId => id.to_owned(),
                    Write::Family(field) => in_words(family, in_family(field), family_row),
                    Write::Member(field) => match &member {
                        RowOf::Visited(row) => in_words(members, in_members(field), row),
                        RowOf::Listed(m) => as_listed(m, field),
                        RowOf::Nobody => String::new(),
                    },
                    Write::RegionName(level) => cell(in_family(region_field(level))).to_owned(),
                    Write::RegionCode(field) => cell(in_family(field)).replace('.', ""),
                    Write::Longitude(field) => geo_part(cell(in_family(field)), 1),
                    Write::Latitude(field) => geo_part(cell(in_family(field)), 0),
                    Write::ListedId => listed.map(|m| m.id_individu.clone()).unwrap_or_default(),
                    Write::ListedPadan => listed.map(|m| m.padan_dukcapil.clone()).unwrap_or_default(),
                    Write::Received(code) => {
                        let has = received.get(id).is_some_and(|p| p.contains(code));
                        yes_no(has, !cell(aid_asked).is_empty())
                    }
                    Write::Proposed(code) => {
                        let has = cell(proposed_at).split_whitespace().any(|c| c == code);
                        yes_no(has, !cell(recommended).is_empty())
                    }
                    Write::Empty => String::new(),
                })
                .collect();
            table.rows.push(row);
        }
    }
    table
}

/// A column's kind once written in words: coded answers become text, and so do region
/// codes (the workbook would add a name column beside each, and the template has none).
fn plain_kind(table: Option<&Table>, at: Option<usize>) -> ColumnKind {
    match (table, at) {
        (Some(t), Some(i)) => match t.kinds[i] {
            ColumnKind::Coded(_) | ColumnKind::Region => ColumnKind::Text,
            other => other,
        },
        _ => ColumnKind::Text,
    }
}

/// What the prelist said of a member the visit did not ask about, in the list's words.
fn as_listed(member: &PrelistMember, field: FieldId) -> String {
    match field {
        f if f == NAMA => member.nama.clone(),
        f if f == NIK => member.nik.clone().unwrap_or_default(),
        f if f == HUBUNGAN_KK => member.hubungan.clone(),
        f if f == JENIS_KELAMIN => member.jenis_kelamin.clone(),
        f if f == TANGGAL_LAHIR => member.tanggal_lahir.clone(),
        _ => String::new(),
    }
}

/// The prelist's member an `anggota` row is (`record_id`, line number): the one prefilled
/// into that row, by its key (a member added in the visit has none).
fn listed_member<'r>(record: Option<&'r HouseholdRecord>, row: &[String]) -> Option<&'r PrelistMember> {
    let record = record?;
    let link = record.prelist.as_ref()?;
    let line: usize = row.get(1)?.parse().ok()?;
    let key = record.repeats.rows(ART).get(line.checked_sub(1)?)?.key;
    let listed = link.member_rows.iter().position(|k| *k == key)?;
    link.family.members.get(listed)
}

/// Names the region columns of the P3KE table (`provinsi` … `kelurahan`), which hold the
/// family's codes until the names are known: the batch and the hub's export name them from
/// the region tables they read; a code no table names stays as it is.
pub fn name_regions(tables: &mut [Table], names: &RegionNames) {
    let Some(table) = tables.iter_mut().find(|t| t.name == TABLE) else {
        return;
    };
    let named: Vec<usize> = COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.write, Write::RegionName(_)))
        .map(|(i, _)| i)
        .collect();
    for row in &mut table.rows {
        for &i in &named {
            if let Some(name) = names.name(&row[i]) {
                row[i] = name.to_owned();
            }
        }
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
    use crate::template::p3ke::COLUMNS;

    fn records() -> Vec<HouseholdRecord> {
        let mut moved = example_family(RecordId::from_random_bytes([2; 16]));
        moved.set_answer(STATUS_VERIFIKASI, "4", Timestamp(9));
        // Moved away: proposed for removal, so no aid is proposed.
        moved.set_answer(REKOMENDASI, "3", Timestamp(9));
        vec![example_family(RecordId::from_random_bytes([1; 16])), moved]
    }

    fn made() -> (Vec<Table>, Table) {
        let records = records();
        let lengkap = tables(&DEFAULT_FORM, &records, EXAMPLE_TODAY);
        let p3ke = table(&lengkap, &records);
        (lengkap, p3ke)
    }

    fn column(table: &Table, name: &str) -> Vec<String> {
        let i = table.header.iter().position(|h| h == name).expect(name);
        table.rows.iter().map(|r| r[i].clone()).collect()
    }

    #[test]
    fn every_column_reads_a_column_of_the_lengkap_tables() {
        let (lengkap, _) = made();
        for c in COLUMNS {
            let (table, field) = match c.write {
                Write::Family(f) | Write::Longitude(f) | Write::Latitude(f) => ("keluarga", f.as_str()),
                Write::RegionName(level) => ("keluarga", region_field(level).as_str()),
                Write::Member(f) => ("anggota", f.as_str()),
                Write::Received(_) => ("bantuan", "program"),
                Write::Proposed(_) => ("keluarga", "bantuan_diusulkan"),
                Write::RegionCode(f) => ("keluarga", f.as_str()),
                Write::RecordId | Write::ListedId | Write::ListedPadan | Write::Empty => continue,
            };
            assert!(
                column_index(find(&lengkap, table), field).is_some(),
                "{} reads {table}.{field}, which does not exist",
                c.name
            );
        }
        for code in COLUMNS.iter().filter_map(|c| match c.write {
            Write::Received(code) | Write::Proposed(code) => Some(code),
            _ => None,
        }) {
            assert!(
                PROGRAMMES.iter().any(|p| p.code == code),
                "{code} is a programme code"
            );
        }
    }

    #[test]
    fn one_row_per_member_in_the_templates_words() {
        let (lengkap, mut p3ke) = made();
        assert_eq!(p3ke.header.len(), COLUMNS.len());
        assert_eq!(
            p3ke.rows.len(),
            4 + 1,
            "four members, one row for the family that moved"
        );
        assert_eq!(
            column(&p3ke, "NIK"),
            [
                "3513141203580001",
                "3513144507960002",
                "3513141501230003",
                "3513144109120004",
                ""
            ]
        );
        assert_eq!(column(&p3ke, "nomor_KK")[..4], ["3513141203150007"; 4]);
        assert_eq!(column(&p3ke, "jenis_kelamin")[..2], ["Laki-laki", "Perempuan"]);
        assert_eq!(column(&p3ke, "hubungan_dengan_KK")[0], "Kepala keluarga");
        assert_eq!(
            column(&p3ke, "status_verifikasi")[4],
            "Pindah ke luar desa/kelurahan"
        );
        assert_eq!(column(&p3ke, "alamat")[0], column(&lengkap[0], "alamat")[0]);
        assert!(!column(&p3ke, "alamat")[0].is_empty());
        // Flags are words too, whichever the answer's codes: 1/0 and 1/2 alike.
        for name in [
            "SIKS_DJ_memiliki_rumah_layak_huni",
            "SIKS_DJ_apakah_bekerja",
            "penerima_PKH",
            "APBN_PKH",
        ] {
            for value in column(&p3ke, name) {
                assert!(["Ya", "Tidak", ""].contains(&value.as_str()), "{name}: {value:?}");
            }
        }
        let point = column(&lengkap[0], "lokasi_rumah")[0].clone();
        let parts: Vec<&str> = point.split_whitespace().collect();
        assert_eq!(column(&p3ke, "Koordinat_Y")[0], parts[0], "latitude");
        assert_eq!(column(&p3ke, "Koordinat_X")[0], parts[1], "longitude");
        // The region columns hold codes until the region tables name them.
        assert_eq!(column(&p3ke, "provinsi")[0], "35");
        assert_eq!(column(&p3ke, "kelurahan")[0], "35.13.14.2001");
        let mut names = RegionNames::default();
        names.insert("35".into(), "Jawa Timur".into());
        names.insert("35.13.14.2001".into(), "Kregenan".into());
        name_regions(std::slice::from_mut(&mut p3ke), &names);
        assert_eq!(column(&p3ke, "provinsi")[0], "Jawa Timur");
        assert_eq!(column(&p3ke, "kelurahan")[0], "Kregenan");
        assert_eq!(
            column(&p3ke, "kabupaten")[0],
            "35.13",
            "a code no table names stays"
        );
    }

    #[test]
    fn programme_flags_come_from_aid_rows_and_the_proposal() {
        let (lengkap, t) = made();
        let received: Vec<String> = column(&lengkap[3], "program");
        for code in ["PKH", "SEMBAKO", "BPUM"] {
            let expected = if received.iter().any(|p| p == code) {
                "Ya"
            } else {
                "Tidak"
            };
            assert_eq!(column(&t, &format!("penerima_{code}"))[0], expected, "{code}");
        }
        let proposed = column(&lengkap[0], "bantuan_diusulkan")[0].clone();
        assert!(!proposed.is_empty(), "the example proposes aid");
        let pkh = if proposed.split_whitespace().any(|c| c == "PKH") {
            "Ya"
        } else {
            "Tidak"
        };
        assert_eq!(column(&t, "APBN_PKH")[0], pkh);
        assert_eq!(
            column(&t, "APBN_PKH")[4],
            "Tidak",
            "nothing proposed for a family that moved"
        );
        assert_eq!(
            column(&t, "penerima_PKH")[4],
            "",
            "aid received not asked of a family that moved"
        );
    }
}
