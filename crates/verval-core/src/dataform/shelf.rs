//! The forms a phone holds (issue #25): every version the district ever published to it,
//! kept so that a draft or a finalized record of an older version still opens, is still
//! checked by its own rules and still leaves the phone. A new record takes the version
//! received last. A version never changes: a second copy under a version the phone has is
//! not taken (the hub refuses to store one).

use super::DataForm;
use crate::sync::api::PublishedForm;
use serde::{Deserialize, Serialize};

/// A version as received, made ready to fill, or why it cannot be.
pub fn ready(published: &PublishedForm) -> Result<DataForm, String> {
    DataForm::from_json(&published.definition)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormShelf {
    /// In the order received, oldest first.
    pub forms: Vec<PublishedForm>,
}

impl FormShelf {
    /// Takes what an assignment carries; returns the versions that were new here.
    pub fn take(&mut self, received: &[PublishedForm]) -> Vec<(String, String)> {
        let mut new = Vec::new();
        for form in received {
            if self.get(&form.id, &form.version).is_some() {
                // Received again: it becomes the version new records take.
                if let Some(at) = self.position(&form.id, &form.version) {
                    let again = self.forms.remove(at);
                    self.forms.push(again);
                }
                continue;
            }
            new.push((form.id.clone(), form.version.clone()));
            self.forms.push(form.clone());
        }
        new
    }

    fn position(&self, id: &str, version: &str) -> Option<usize> {
        self.forms.iter().position(|f| f.id == id && f.version == version)
    }

    pub fn get(&self, id: &str, version: &str) -> Option<&PublishedForm> {
        self.forms.iter().find(|f| f.id == id && f.version == version)
    }

    /// The version a new record of `id` takes: the one received last.
    pub fn current(&self, id: &str) -> Option<&PublishedForm> {
        self.forms.iter().rev().find(|f| f.id == id)
    }

    /// Each form once, by its current version, in the order first received.
    pub fn current_forms(&self) -> Vec<&PublishedForm> {
        let mut ids: Vec<&str> = Vec::new();
        for form in &self.forms {
            if !ids.contains(&form.id.as_str()) {
                ids.push(&form.id);
            }
        }
        ids.into_iter().filter_map(|id| self.current(id)).collect()
    }

    /// Every version of `id` held, the current first.
    pub fn versions(&self, id: &str) -> Vec<&PublishedForm> {
        self.forms.iter().rev().filter(|f| f.id == id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(id: &str, version: &str, title: &str) -> PublishedForm {
        PublishedForm {
            id: id.to_owned(),
            version: version.to_owned(),
            title: title.to_owned(),
            definition: format!("{{\"id\":\"{id}\",\"version\":\"{version}\"}}"),
        }
    }

    #[test]
    fn every_version_is_kept_and_new_records_take_the_one_received_last() {
        let mut shelf = FormShelf::default();
        assert_eq!(
            shelf.take(&[
                published("cek", "1", "Cek"),
                published("posyandu", "3", "Posyandu")
            ]),
            vec![
                ("cek".to_owned(), "1".to_owned()),
                ("posyandu".to_owned(), "3".to_owned())
            ]
        );
        assert_eq!(shelf.take(&[published("cek", "2", "Cek lapangan")]).len(), 1);
        assert_eq!(shelf.current("cek").map(|f| f.version.as_str()), Some("2"));
        assert!(
            shelf.get("cek", "1").is_some(),
            "the older version stays for its records"
        );
        let versions: Vec<&str> = shelf.versions("cek").iter().map(|f| f.version.as_str()).collect();
        assert_eq!(versions, ["2", "1"]);
        let current: Vec<(&str, &str)> = shelf
            .current_forms()
            .iter()
            .map(|f| (f.id.as_str(), f.version.as_str()))
            .collect();
        assert_eq!(current, [("cek", "2"), ("posyandu", "3")]);

        // The district publishes version 1 again (version 2 was wrong): it is current again,
        // and a changed copy under a version the phone has does not replace it.
        let mut changed = published("cek", "1", "Diubah");
        changed.definition = "{}".to_owned();
        assert!(shelf.take(&[changed]).is_empty());
        assert_eq!(shelf.current("cek").map(|f| f.title.as_str()), Some("Cek"));
        assert_eq!(shelf.forms.len(), 3);
    }
}
