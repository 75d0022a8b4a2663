//! Region names beside region codes in the files for people: a district officer reads
//! "35.13.14.2001 Kregenan", not a code alone. The names come from the region tables the app
//! ships (`offline::REGION_TABLES`), kept for the codes a file holds.

use super::column::ColumnKind;
use super::tables::Table;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// A region table file as the build writes it: the province list (`provinces`) or one
/// province (`regencies`, `districts`, `villages`), each a list of `[code, name]`.
#[derive(Deserialize)]
struct TableFile {
    #[serde(default)]
    provinces: Vec<(String, String)>,
    #[serde(default)]
    regencies: Vec<(String, String)>,
    #[serde(default)]
    districts: Vec<(String, String)>,
    #[serde(default)]
    villages: Vec<(String, String)>,
}

/// Every `(code, name)` of a region table file's text, whatever its level.
pub fn table_entries(json: &str) -> Result<Vec<(String, String)>, serde_json::Error> {
    let file: TableFile = serde_json::from_str(json)?;
    let mut all = file.provinces;
    all.extend(file.regencies);
    all.extend(file.districts);
    all.extend(file.villages);
    Ok(all)
}

/// Names of region codes (`35` Jawa Timur, `35.13.14.2001` Kregenan).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionNames(BTreeMap<String, String>);

impl RegionNames {
    pub fn name(&self, code: &str) -> Option<&str> {
        self.0.get(code.trim()).map(String::as_str)
    }

    pub fn insert(&mut self, code: String, name: String) {
        self.0.insert(code, name);
    }

    /// Keeps the names of the `wanted` codes from a region table's entries (a province's
    /// table holds thousands of villages; a batch names a few).
    pub fn add(&mut self, entries: impl IntoIterator<Item = (String, String)>, wanted: &BTreeSet<String>) {
        for (code, name) in entries {
            if wanted.contains(&code) {
                self.0.insert(code, name);
            }
        }
    }
}

/// The distinct values of the region columns of `tables`.
pub fn region_codes<'t>(tables: impl IntoIterator<Item = &'t Table>) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for table in tables {
        for (at, kind) in table.kinds.iter().enumerate() {
            if *kind == ColumnKind::Region {
                codes.extend(
                    table
                        .rows
                        .iter()
                        .map(|row| row[at].trim())
                        .filter(|code| !code.is_empty())
                        .map(str::to_owned),
                );
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAWA_TIMUR: &str = r#"{"regencies":[["35.13","Kabupaten Probolinggo"]],
        "districts":[["35.13.14","Kraksaan"]],
        "villages":[["35.13.14.2001","Kregenan"],["35.13.14.2002","Sidodadi"]]}"#;

    #[test]
    fn a_table_gives_the_names_of_the_codes_wanted_and_no_others() {
        let wanted: BTreeSet<String> = ["35", "35.13", "35.13.14.2001", "35.13.14.9999"]
            .map(str::to_owned)
            .into();
        let mut names = RegionNames::default();
        names.add(table_entries(JAWA_TIMUR).expect("a province table"), &wanted);
        let list = table_entries(r#"{"provinces":[["35","Jawa Timur"],["11","Aceh"]]}"#);
        names.add(list.expect("the province list"), &wanted);
        assert_eq!(names.name("35"), Some("Jawa Timur"));
        assert_eq!(names.name("35.13"), Some("Kabupaten Probolinggo"));
        assert_eq!(names.name(" 35.13.14.2001 "), Some("Kregenan"));
        assert_eq!(names.name("35.13.14.2002"), None, "not wanted");
        assert_eq!(names.name("35.13.14.9999"), None, "not in the table");
        assert_eq!(names.name("11"), None);
        assert!(table_entries("<html>").is_err());
        assert!(
            table_entries(r#"{"villages":[["35.13.14.2001"]]}"#).is_err(),
            "a code without its name"
        );
    }

    #[test]
    fn the_codes_of_a_table_come_from_its_region_columns() {
        let mut table = Table::new(
            "rekap",
            &[
                ("kode_desa", "Kode desa", ColumnKind::Region),
                ("kode", "Kode", ColumnKind::Text),
            ],
        );
        table.rows.push(vec!["35.13.14.2001".into(), "35".into()]);
        table.rows.push(vec!["".into(), "36".into()]);
        table.rows.push(vec!["35.13.14.2001".into(), "".into()]);
        let codes: Vec<String> = region_codes([&table]).into_iter().collect();
        assert_eq!(codes, ["35.13.14.2001"]);
    }
}
