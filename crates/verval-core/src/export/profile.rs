//! Export profiles: which columns a district gets, as data.
//!
//! `lengkap` is every field id (the tables of [`super::tables`]). The other profiles are
//! derived from those tables, so a value means the same in every profile:
//! - `p3ke` follows the regional P3KE verval template (`template::p3ke`, [`super::p3ke`]):
//!   one row per member with the family's columns repeated, in the template's words;
//! - `regsosek` names each column by the Regsosek 2022 item the question maps to (`r108`),
//!   one table for families and one for members; questions without an item are left out.

use super::tables::Table;
use crate::form::Form;
use crate::record::HouseholdRecord;
use crate::text::Text;

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

/// The tables of `profile`, derived from the `lengkap` tables (`keluarga` first) and the
/// records they were made of.
pub fn profile_tables(
    profile: Profile,
    form: &Form,
    lengkap: &[Table],
    records: &[HouseholdRecord],
) -> Vec<Table> {
    match profile {
        Profile::Lengkap => lengkap.to_vec(),
        Profile::P3ke => vec![super::p3ke::table(lengkap, records)],
        Profile::Regsosek => regsosek(form, lengkap),
    }
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
    use std::collections::BTreeSet;

    fn lengkap() -> Vec<Table> {
        let mut moved = example_family(RecordId::from_random_bytes([2; 16]));
        moved.set_answer(STATUS_VERIFIKASI, "4", Timestamp(9));
        // Moved away: proposed for removal, so no aid is proposed.
        moved.set_answer(REKOMENDASI, "3", Timestamp(9));
        let family = example_family(RecordId::from_random_bytes([1; 16]));
        tables(&DEFAULT_FORM, &[family, moved], EXAMPLE_TODAY)
    }
    // The P3KE profile's tests are with its table, in `export::p3ke`.

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
    fn regsosek_names_columns_by_item_code() {
        let t = profile_tables(Profile::Regsosek, &DEFAULT_FORM, &lengkap(), &[]);
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
