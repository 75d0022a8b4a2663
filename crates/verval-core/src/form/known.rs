//! The forms a reader can use, by id and version. A batch or a backup holding a record of
//! any other form is refused with the form it names, so that a record is never stored by a
//! reader that cannot show or export it. The hub knows the household form's versions and
//! every version of every form as data it has imported: a record of last month's version is
//! taken as surely as today's.

use crate::record::HouseholdRecord;
use std::collections::BTreeSet;

/// Every version of the built-in household form a reader of this build can use, oldest
/// first. A new version is added here, never put in place of the one before.
pub const HOUSEHOLD_VERSIONS: &[&str] = &[crate::record::FORM_VERSION];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownForms(BTreeSet<(String, String)>);

impl KnownForms {
    /// Every version of the household form.
    pub fn household() -> KnownForms {
        let mut known = KnownForms::default();
        for version in HOUSEHOLD_VERSIONS {
            known.add(super::default::FORM_ID, version);
        }
        known
    }

    /// Adds a form's version.
    pub fn add(&mut self, form_id: &str, version: &str) {
        self.0.insert((form_id.to_owned(), version.to_owned()));
    }

    /// Whether a record's form and version are known.
    pub fn knows(&self, record: &HouseholdRecord) -> bool {
        self.0
            .contains(&(record.form_id.clone(), record.form_version.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Timestamp;
    use crate::RecordId;

    #[test]
    fn a_record_is_known_by_its_form_and_version_together() {
        let mut record = HouseholdRecord::new(
            RecordId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
            Timestamp(1),
        );
        let mut known = KnownForms::household();
        assert!(known.knows(&record));
        record.form_id = "cek_lapangan".to_owned();
        record.form_version = "2".to_owned();
        assert!(!known.knows(&record));
        known.add("cek_lapangan", "1");
        assert!(!known.knows(&record), "another version of the form");
        known.add("lain", "2");
        assert!(!known.knows(&record), "the version of another form");
        known.add("cek_lapangan", "2");
        assert!(known.knows(&record));
    }
}
