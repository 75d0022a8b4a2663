//! The official region tables, read from the app the hub serves (the build writes them under
//! `verval_core::offline::REGION_TABLES`): which villages exist, and their names, for the
//! district's pages. A hub that serves no app has no tables: then a village code is only
//! checked for its shape.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use verval_core::offline::{province_of, table_file};

/// One province's file: `[code, name]` pairs, codes dotted (`35.13.14.2001`).
#[derive(Deserialize)]
struct ProvinceFile {
    villages: Vec<(String, String)>,
}

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

/// A province's villages: code to name.
type Villages = Arc<HashMap<String, String>>;

/// The tables, each province's file read once when first asked about.
#[derive(Default)]
pub struct RegionTables {
    app_dir: Option<PathBuf>,
    /// By province; `None` when its file could not be read.
    villages: Mutex<HashMap<String, Option<Villages>>>,
}

impl RegionTables {
    pub fn new(app_dir: Option<&Path>) -> RegionTables {
        RegionTables {
            app_dir: app_dir.map(Path::to_path_buf),
            villages: Mutex::default(),
        }
    }

    /// The village `code` (`35.13.14.2001`) as the tables know it.
    pub fn village(&self, code: &str) -> Village {
        // A code of no province is not for the tables to judge: its shape is checked where
        // it is parsed (`enrol`), with the words for that.
        match province_of(code).and_then(|province| self.province(province)) {
            None => Village::Unchecked,
            Some(villages) => match villages.get(code) {
                Some(name) => Village::Named(name.clone()),
                None => Village::Unknown,
            },
        }
    }

    /// `35.13.14.2001 Kregenan`, or the code alone when the tables cannot name it.
    pub fn village_label(&self, code: &str) -> String {
        match self.village(code) {
            Village::Named(name) => format!("{code} {name}"),
            _ => code.to_owned(),
        }
    }

    fn province(&self, province: &str) -> Option<Villages> {
        let dir = self.app_dir.as_ref()?;
        let mut loaded = self
            .villages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loaded
            .entry(province.to_owned())
            .or_insert_with(|| {
                // Read once: a file missing or broken stays so until the hub restarts (a new
                // build of the app comes with a restart).
                let text = std::fs::read_to_string(dir.join(table_file(province))).ok()?;
                let file: ProvinceFile = serde_json::from_str(&text).ok()?;
                Some(Arc::new(file.villages.into_iter().collect()))
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
            r#"{"villages":[["35.13.14.2001","Kregenan"]],"regencies":[]}"#,
        )
        .expect("write");
        let tables = RegionTables::new(Some(&dir));
        assert_eq!(tables.village("35.13.14.2001"), Village::Named("Kregenan".into()));
        assert_eq!(tables.village("35.13.14.2099"), Village::Unknown);
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
