//! What each column of a prelist means: the regional P3KE verval template's columns
//! (`template::p3ke`, the one description the export writes too), the other spellings other
//! lists use, and header-row detection, which finds the row of column names however many
//! title rows sit above it.

use super::cell::Sheet;
use crate::template::p3ke::{self, Read};
use std::collections::BTreeMap;

/// What the reader takes from a prelist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    PrelistId,
    NomorKk,
    Nik,
    Nama,
    Hubungan,
    JenisKelamin,
    TanggalLahir,
    Alamat,
    Rt,
    Rw,
    KodeDesa,
    Desil,
    /// The member's id in the list (P3KE's `IDIndividu`), carried to the export.
    IdIndividu,
    /// The member matched to the civil registry (P3KE's `padan_dukcapil`, `Padan`/`Tidak
    /// padan`): the template gives it per member.
    PadanDukcapil,
}

impl Target {
    /// Columns that describe the family, not the member: a merged cell (or a value given
    /// only on the family's first row) fills the rows below it.
    pub fn is_family_level(self) -> bool {
        matches!(
            self,
            Target::PrelistId
                | Target::NomorKk
                | Target::Alamat
                | Target::Rt
                | Target::Rw
                | Target::KodeDesa
                | Target::Desil
        )
    }
}

/// A layout of prelist: the template whose column names mean each target, and the other
/// names (normalized, see [`normalize`]) lists not laid out like it use.
pub struct Preset {
    pub name: &'static str,
    pub other_names: &'static [(Target, &'static [&'static str])],
}

/// The regional P3KE verval spreadsheet (spec §4.3): 3 header rows, `Sheet1`, B…CZ.
pub const P3KE_PRESET: Preset = Preset {
    name: "P3KE (template verval kabupaten)",
    other_names: &[
        (Target::PrelistId, &["id_keluarga"]),
        (Target::NomorKk, &["no_kk", "nokk", "kk"]),
        (Target::Nama, &["nama_lengkap"]),
        (Target::Hubungan, &["hubungan_dengan_kepala_keluarga", "shdk"]),
        (Target::KodeDesa, &["kode_kemdagri", "kode_desa", "kode_wilayah"]),
        (Target::Desil, &["desil"]),
        (Target::IdIndividu, &["id_individu"]),
    ],
};

impl Preset {
    /// The target a (normalized) column name means.
    fn target_of(&self, name: &str) -> Option<Target> {
        match p3ke::column_named(name).map(|c| c.read) {
            Some(Read::Target(target)) => Some(target),
            _ => self
                .other_names
                .iter()
                .find(|(_, names)| names.contains(&name))
                .map(|(target, _)| *target),
        }
    }
}

/// `ID_keluarga_P3KE` → `id_keluarga_p3ke`; `Nomor KK` → `nomor_kk`.
pub fn normalize(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Which column holds each target, and the row of column names (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub header_row: usize,
    pub columns: BTreeMap<Target, usize>,
    /// Housing and known-aid columns found by their names (see [`detect_extras`]).
    pub extras: Vec<(usize, Extra)>,
}

/// What the P3KE template says beyond identity and members, used to prefill the visit:
/// the house as listed, and the programmes the family was listed as receiving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// A housing answer, by the form's field id; the list writes it in words.
    Housing(&'static str),
    /// A programme (the form's AID code) received, as a yes/no column.
    Aid(&'static str),
}

/// The housing and aid columns of a header row, by their names in the template.
pub fn detect_extras(sheet: &Sheet, header_row: usize) -> Vec<(usize, Extra)> {
    let Some(row) = sheet.rows.get(header_row) else {
        return Vec::new();
    };
    row.iter()
        .enumerate()
        .filter_map(
            |(c, cell)| match p3ke::column_named(&normalize(&cell.text()))?.read {
                Read::Housing(field) => Some((c, Extra::Housing(field.as_str()))),
                Read::Aid(code) => Some((c, Extra::Aid(code))),
                Read::Target(_) | Read::Nothing => None,
            },
        )
        .collect()
}

/// How far down the column names are looked for.
const HEADER_SEARCH_ROWS: usize = 20;

/// Finds the row of column names: among the first rows, the one where the most cells name
/// a column of `preset`. `None` when no row names the NIK or the KK column.
pub fn detect(sheet: &Sheet, preset: &Preset) -> Option<Mapping> {
    let mut best: Option<Mapping> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let mut columns = BTreeMap::new();
        for (c, cell) in row.iter().enumerate() {
            if let Some(target) = preset.target_of(&normalize(&cell.text())) {
                columns.entry(target).or_insert(c);
            }
        }
        let usable = columns.contains_key(&Target::Nik) || columns.contains_key(&Target::NomorKk);
        if usable && best.as_ref().is_none_or(|b| columns.len() > b.columns.len()) {
            best = Some(Mapping {
                header_row: r,
                columns,
                extras: detect_extras(sheet, r),
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelist::cell::Cell;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|c| Cell::Text((*c).into())).collect()
    }

    #[test]
    fn headers_are_compared_without_case_spaces_or_punctuation() {
        assert_eq!(normalize("ID_keluarga_P3KE"), "id_keluarga_p3ke");
        assert_eq!(normalize(" Nomor  KK "), "nomor_kk");
        assert_eq!(normalize("Hubungan dengan KK."), "hubungan_dengan_kk");
    }

    #[test]
    fn the_row_of_names_is_found_below_title_rows() {
        let sheet = Sheet {
            rows: vec![
                row(&["", "IDENTITAS", "", "ANGGOTA"]),
                row(&["", "ID_keluarga_P3KE", "nomor_KK", "NIK", "nama"]),
                row(&["", "1", "2", "3", "4"]),
            ],
        };
        let mapping = detect(&sheet, &P3KE_PRESET).expect("found");
        assert_eq!(mapping.header_row, 1);
        assert_eq!(mapping.columns[&Target::PrelistId], 1);
        assert_eq!(mapping.columns[&Target::Nik], 3);
        assert_eq!(mapping.columns[&Target::Nama], 4);
    }

    #[test]
    fn a_sheet_without_nik_or_kk_columns_has_no_mapping() {
        let sheet = Sheet {
            rows: vec![row(&["nama", "alamat"])],
        };
        assert_eq!(detect(&sheet, &P3KE_PRESET), None);
    }
}
