//! The official region tables, read from the app the hub serves (the build writes them under
//! `verval_core::offline::REGION_TABLES`): which villages exist, and their names, for the
//! district's pages. A hub that serves no app has no tables: then a village code is only
//! checked for its shape.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use verval_core::export::region_names::{region_codes, table_entries};
use verval_core::export::{RegionNames, Table};
use verval_core::offline::{province_of, table_file, PROVINCE_LIST};
use verval_core::region::VILLAGE_DEPTH;

/// What the tables say of a village code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Village {
    /// It exists, with this name.
    Named(String),
    /// The tables are there and do not have it.
    Unknown,
    /// No tables to ask (no app served, or its province's file unreadable).
    Unchecked,
}

/// One table file's regions (a province's regencies, districts and villages, or the list of
/// provinces): code, dotted (`35.13.14.2001`), to name.
type Names = Arc<HashMap<String, String>>;

/// The tables, each file read once when first asked about.
#[derive(Default)]
pub struct RegionTables {
    app_dir: Option<PathBuf>,
    /// By file ([`PROVINCE_LIST`] or a province); `None` when it could not be read.
    files: Mutex<HashMap<String, Option<Names>>>,
}

impl RegionTables {
    pub fn new(app_dir: Option<&Path>) -> RegionTables {
        RegionTables {
            app_dir: app_dir.map(Path::to_path_buf),
            files: Mutex::default(),
        }
    }

    /// The village `code` (`35.13.14.2001`) as the tables know it.
    pub fn village(&self, code: &str) -> Village {
        // A code of no province is not for the tables to judge: its shape is checked where
        // it is parsed (`enrol`), with the words for that.
        match province_of(code).and_then(|province| self.file(province)) {
            None => Village::Unchecked,
            // A province's file names its districts too: only a village's code is a village.
            Some(names) => match names.get(code) {
                Some(name) if code.split('.').count() == VILLAGE_DEPTH => Village::Named(name.clone()),
                _ => Village::Unknown,
            },
        }
    }

    /// Why these villages cannot be assigned, when one of them is not in the tables (a
    /// well-formed code is not yet a village), in both languages; `None` when all may be.
    pub fn refuse_unknown(&self, villages: &[String]) -> Option<String> {
        let unknown = villages
            .iter()
            .find(|v| self.village(v.trim()) == Village::Unknown)?;
        Some(format!(
            "Desa {unknown} tidak ada di tabel wilayah Kemendagri; periksa kodenya. Tidak ada yang diubah. \
             (No village {unknown} in the official region table; check the code. Nothing was changed.)"
        ))
    }

    /// The name of a region of any level (`35` Jawa Timur, `35.13.14.2001` Kregenan).
    pub fn name(&self, code: &str) -> Option<String> {
        let province = province_of(code)?;
        let file = if code == province { PROVINCE_LIST } else { province };
        self.file(file)?.get(code).cloned()
    }

    /// The names of the regions in the region columns of `tables`, for a workbook.
    pub fn names_in<'t>(&self, tables: impl IntoIterator<Item = &'t Table>) -> RegionNames {
        let mut names = RegionNames::default();
        for code in region_codes(tables) {
            if let Some(name) = self.name(&code) {
                names.insert(code, name);
            }
        }
        names
    }

    /// `Kraksaan (35.13.14)`: any region's name with its code, or the code alone when the
    /// tables cannot name it.
    pub fn area_label(&self, code: &str) -> String {
        match self.name(code) {
            Some(name) => format!("{name} ({code})"),
            None => code.to_owned(),
        }
    }

    /// `35.13.14.2001 Kregenan`, or the code alone when the tables cannot name it.
    pub fn village_label(&self, code: &str) -> String {
        match self.village(code) {
            Village::Named(name) => format!("{code} {name}"),
            _ => code.to_owned(),
        }
    }

    fn file(&self, table: &str) -> Option<Names> {
        let dir = self.app_dir.as_ref()?;
        let mut loaded = self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        loaded
            .entry(table.to_owned())
            .or_insert_with(|| {
                // Read once: a file missing or broken stays so until the hub restarts (a new
                // build of the app comes with a restart).
                let text = std::fs::read_to_string(dir.join(table_file(table))).ok()?;
                Some(Arc::new(table_entries(&text).ok()?.into_iter().collect()))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_village_is_named_unknown_or_unchecked() {
        let dir = std::env::temp_dir().join(format!("verval-regions-{}", std::process::id()));
        let path = dir.join(table_file("35"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(
            &path,
            r#"{"villages":[["35.13.14.2001","Kregenan"]],"districts":[["35.13.14","Kraksaan"]],"regencies":[]}"#,
        )
        .expect("write");
        std::fs::write(
            dir.join(table_file(PROVINCE_LIST)),
            r#"{"provinces":[["35","Jawa Timur"]]}"#,
        )
        .expect("write");
        let tables = RegionTables::new(Some(&dir));
        assert_eq!(tables.village("35.13.14.2001"), Village::Named("Kregenan".into()));
        assert_eq!(tables.village("35.13.14.2099"), Village::Unknown);
        assert_eq!(tables.village("35.13.14"), Village::Unknown, "a district");
        assert_eq!(tables.name("35").as_deref(), Some("Jawa Timur"));
        assert_eq!(tables.name("35.13.14").as_deref(), Some("Kraksaan"));
        assert_eq!(tables.name("35.13").as_deref(), None);
        assert_eq!(tables.name("36"), None);
        assert_eq!(tables.village_label("35.13.14.2001"), "35.13.14.2001 Kregenan");
        assert_eq!(tables.village_label("35.13.14.2099"), "35.13.14.2099");
        // No file for province 36: nothing to check against.
        assert_eq!(tables.village("36.01.01.2001"), Village::Unchecked);
        assert_eq!(
            RegionTables::new(None).village("35.13.14.2001"),
            Village::Unchecked
        );
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
