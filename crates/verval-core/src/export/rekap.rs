//! The village recap a Berita Acara Musdes needs: per village, how many families were
//! verified, by verification outcome, by recommendation and by aid proposed.
//!
//! Counted from the family table (`keluarga` of the lengkap profile), so it counts exactly
//! the answers that were exported. One row per count, long format, so a spreadsheet can
//! pivot it: `kode_desa, kelompok, kode, keterangan, jumlah`.

use super::column::ColumnKind;
use super::tables::Table;
use crate::form::Form;
use crate::ids::FieldId;
use std::collections::BTreeMap;

/// The groups counted, in the order they are written.
const GROUPS: [&str; 3] = ["status_verifikasi", "rekomendasi", "bantuan_diusulkan"];

/// The recap of the family table.
pub fn rekap(form: &Form, family: &Table) -> Table {
    let index = |name: &str| family.header.iter().position(|h| h == name);
    let village = index("kode_desa");
    // (village, group) → code → count; BTreeMap keeps the output in a stable order.
    let mut counts: BTreeMap<(String, usize), BTreeMap<String, u32>> = BTreeMap::new();
    let mut families: BTreeMap<String, u32> = BTreeMap::new();
    for row in &family.rows {
        let desa = village.map(|i| row[i].clone()).unwrap_or_default();
        *families.entry(desa.clone()).or_default() += 1;
        for (g, group) in GROUPS.iter().enumerate() {
            let Some(i) = index(group) else { continue };
            let entry = counts.entry((desa.clone(), g)).or_default();
            let value = row[i].as_str();
            if value.is_empty() {
                *entry.entry(String::new()).or_default() += 1;
            }
            for code in value.split_whitespace() {
                *entry.entry(code.to_owned()).or_default() += 1;
            }
        }
    }

    let mut table = Table::new(
        "rekap",
        &[
            ("kode_desa", "Kode desa", ColumnKind::Region),
            ("kelompok", "Kelompok", ColumnKind::Text),
            ("kode", "Kode", ColumnKind::Text),
            ("keterangan", "Keterangan", ColumnKind::Text),
            ("jumlah", "Jumlah keluarga", ColumnKind::Whole),
        ],
    );
    for (desa, total) in &families {
        table.rows.push(vec![
            desa.clone(),
            "jumlah_keluarga".to_owned(),
            String::new(),
            "Keluarga dalam batch".to_owned(),
            total.to_string(),
        ]);
        for (g, group) in GROUPS.iter().enumerate() {
            for (code, n) in counts.get(&(desa.clone(), g)).into_iter().flatten() {
                table.rows.push(vec![
                    desa.clone(),
                    (*group).to_owned(),
                    code.clone(),
                    label(form, FieldId::new(group), code),
                    n.to_string(),
                ]);
            }
        }
    }
    table
}

/// The Indonesian label of an answer code; "(tidak diisi)" for no answer.
fn label(form: &Form, field: FieldId, code: &str) -> String {
    if code.is_empty() {
        return "(tidak diisi)".to_owned();
    }
    form.question(field)
        .and_then(|q| q.choice_label(code))
        .map(|label| label.id.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tables::tables;
    use crate::form::default::example::{example_family, EXAMPLE_TODAY};
    use crate::form::default::*;
    use crate::ids::RecordId;
    use crate::record::Timestamp;

    #[test]
    fn counts_per_village_by_outcome_recommendation_and_aid() {
        let a = example_family(RecordId::from_random_bytes([1; 16]));
        let mut b = example_family(RecordId::from_random_bytes([2; 16]));
        b.set_answer(STATUS_VERIFIKASI, "4", Timestamp(9));
        b.set_answer(REKOMENDASI, "3", Timestamp(9));
        let mut c = example_family(RecordId::from_random_bytes([3; 16]));
        c.set_answer(KODE_DESA, "3513142099", Timestamp(9));
        let desa = a.answers.get(KODE_DESA).to_owned();
        let t = tables(&DEFAULT_FORM, &[a.clone(), b, c], EXAMPLE_TODAY);
        let r = rekap(&DEFAULT_FORM, &t[0]);
        let count = |desa: &str, group: &str, code: &str| -> Option<String> {
            r.rows
                .iter()
                .find(|row| row[0] == desa && row[1] == group && row[2] == code)
                .map(|row| row[4].clone())
        };
        assert_eq!(count(&desa, "jumlah_keluarga", "").as_deref(), Some("2"));
        assert_eq!(count("3513142099", "jumlah_keluarga", "").as_deref(), Some("1"));
        let status = a.answers.get(STATUS_VERIFIKASI);
        assert_eq!(count(&desa, "status_verifikasi", status).as_deref(), Some("1"));
        assert_eq!(count(&desa, "status_verifikasi", "4").as_deref(), Some("1"));
        let proposed: Vec<&str> = a.answers.get(BANTUAN_DIUSULKAN).split_whitespace().collect();
        assert!(!proposed.is_empty());
        for code in proposed {
            assert_eq!(
                count(&desa, "bantuan_diusulkan", code).as_deref(),
                Some("1"),
                "{code}: the family that moved proposes nothing"
            );
        }
        let row = r
            .rows
            .iter()
            .find(|row| row[1] == "status_verifikasi" && row[2] == "4")
            .unwrap();
        assert!(!row[3].is_empty(), "the outcome is labelled");
    }
}
