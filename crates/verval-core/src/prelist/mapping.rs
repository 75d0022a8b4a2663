//! The column-mapping screen's model: for a list that is not laid out like the P3KE
//! template, the user says which row holds the column names and which column holds each
//! value. The screen starts from what the preset detected; everything here is checked
//! before a single row is read.

use super::cell::{column_letter, Sheet};
use super::columns::{detect_extras, Mapping, Target};
use crate::text::Text;
use std::collections::BTreeMap;

impl Target {
    /// Every target, in the order the screen lists them.
    pub const ALL: [Target; 14] = [
        Target::PrelistId,
        Target::NomorKk,
        Target::Nik,
        Target::Nama,
        Target::Hubungan,
        Target::JenisKelamin,
        Target::TanggalLahir,
        Target::Alamat,
        Target::Rt,
        Target::Rw,
        Target::KodeDesa,
        Target::Desil,
        Target::IdIndividu,
        Target::PadanDukcapil,
    ];

    /// A stable name for forms (`kolom_<id>`).
    pub fn id(self) -> &'static str {
        match self {
            Target::PrelistId => "prelist_id",
            Target::NomorKk => "nomor_kk",
            Target::Nik => "nik",
            Target::Nama => "nama",
            Target::Hubungan => "hubungan",
            Target::JenisKelamin => "jenis_kelamin",
            Target::TanggalLahir => "tanggal_lahir",
            Target::Alamat => "alamat",
            Target::Rt => "rt",
            Target::Rw => "rw",
            Target::KodeDesa => "kode_desa",
            Target::Desil => "desil",
            Target::IdIndividu => "id_individu",
            Target::PadanDukcapil => "padan_dukcapil",
        }
    }

    pub fn parse(id: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn label(self) -> Text {
        match self {
            Target::PrelistId => Text::new("ID keluarga (prelist)", "Family id (prelist)"),
            Target::NomorKk => Text::new("Nomor KK", "Family card number"),
            Target::Nik => Text::new("NIK anggota", "Member NIK"),
            Target::Nama => Text::new("Nama anggota", "Member name"),
            Target::Hubungan => Text::new("Hubungan dengan kepala keluarga", "Relation to the head"),
            Target::JenisKelamin => Text::new("Jenis kelamin", "Sex"),
            Target::TanggalLahir => Text::new("Tanggal lahir", "Date of birth"),
            Target::Alamat => Text::new("Alamat", "Address"),
            Target::Rt => Text::new("RT", "RT"),
            Target::Rw => Text::new("RW", "RW"),
            Target::KodeDesa => Text::new("Kode desa (Kemendagri)", "Village code (Kemendagri)"),
            Target::Desil => Text::new("Desil kesejahteraan", "Welfare decile"),
            Target::IdIndividu => Text::new("ID individu (prelist)", "Member id (prelist)"),
            Target::PadanDukcapil => Text::new("Status padan Dukcapil", "Matched to civil registry"),
        }
    }
}

/// The columns of a header row a user can choose from: `(index, "D · NIK")`; columns
/// without a name are listed by letter, so a sheet without names can still be mapped.
pub fn column_choices(sheet: &Sheet, header_row: usize) -> Vec<(usize, String)> {
    let width = sheet
        .rows
        .iter()
        .take(header_row + 50)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    (0..width)
        .map(|c| {
            let name = sheet.cell(header_row, c).text();
            let letter = column_letter(c);
            let shown = if name.is_empty() {
                letter
            } else {
                format!("{letter} · {name}")
            };
            (c, shown)
        })
        .collect()
}

/// What is wrong with a mapping the user made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("baris judul {0} di luar lembar kerja (the header row is outside the sheet)")]
    HeaderRowOutside(usize),
    #[error("pilih kolom NIK atau kolom Nomor KK (choose the NIK or the KK column)")]
    NoNumberColumn,
    #[error("pilih kolom ID keluarga atau kolom Nomor KK: tanpa keduanya anggota tidak bisa dikelompokkan per keluarga (choose the family id or the KK column)")]
    NoFamilyColumn,
    #[error("kolom {column} dipilih untuk dua isian: {first} dan {second} (one column chosen twice)")]
    ColumnTwice {
        column: String,
        first: &'static str,
        second: &'static str,
    },
}

/// A mapping from the screen's choices: the header row as the spreadsheet numbers it
/// (1-based) and a column index per target chosen.
pub fn mapping_from_choices(
    sheet: &Sheet,
    header_row_number: usize,
    chosen: &BTreeMap<Target, usize>,
) -> Result<Mapping, MappingError> {
    if header_row_number == 0 || header_row_number > sheet.rows.len() {
        return Err(MappingError::HeaderRowOutside(header_row_number));
    }
    if !chosen.contains_key(&Target::Nik) && !chosen.contains_key(&Target::NomorKk) {
        return Err(MappingError::NoNumberColumn);
    }
    if !chosen.contains_key(&Target::PrelistId) && !chosen.contains_key(&Target::NomorKk) {
        return Err(MappingError::NoFamilyColumn);
    }
    let mut seen: BTreeMap<usize, Target> = BTreeMap::new();
    for (target, column) in chosen {
        if let Some(first) = seen.insert(*column, *target) {
            return Err(MappingError::ColumnTwice {
                column: column_letter(*column),
                first: first.id(),
                second: target.id(),
            });
        }
    }
    Ok(Mapping {
        header_row: header_row_number - 1,
        columns: chosen.clone(),
        // Housing and aid columns the template names are taken wherever they are.
        extras: detect_extras(sheet, header_row_number - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelist::read::read_prelist;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::of_texts(rows)
    }

    /// A village's own list: its own words for the columns, nothing the preset knows.
    fn village_list() -> Sheet {
        sheet(&[
            &["Daftar warga miskin Desa Sumberan", "", "", ""],
            &["No", "Kartu Keluarga", "Nomor Induk", "Nama Warga"],
            &["1", "3513141203150007", "3513141203580001", "SLAMET"],
            &["2", "", "3513144507960002", "SUMIATI"],
        ])
    }

    #[test]
    fn a_list_in_its_own_words_is_read_once_mapped_by_hand() {
        let s = village_list();
        let choices = column_choices(&s, 1);
        assert_eq!(choices[1], (1, "B · Kartu Keluarga".to_owned()));
        let chosen = BTreeMap::from([(Target::NomorKk, 1), (Target::Nik, 2), (Target::Nama, 3)]);
        let mapping = mapping_from_choices(&s, 2, &chosen).expect("a mapping");
        let prelist = read_prelist(&s, &mapping).expect("read");
        assert_eq!(prelist.families.len(), 1);
        assert_eq!(prelist.families[0].prelist_id, "KK-3513141203150007");
        assert_eq!(prelist.families[0].members.len(), 2);
    }

    #[test]
    fn a_mapping_that_cannot_work_is_refused_before_reading() {
        let s = village_list();
        let map = |pairs: &[(Target, usize)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        assert_eq!(
            mapping_from_choices(&s, 9, &map(&[(Target::Nik, 2)])),
            Err(MappingError::HeaderRowOutside(9))
        );
        assert_eq!(
            mapping_from_choices(&s, 2, &map(&[(Target::Nama, 3)])),
            Err(MappingError::NoNumberColumn)
        );
        assert_eq!(
            mapping_from_choices(&s, 2, &map(&[(Target::Nik, 2)])),
            Err(MappingError::NoFamilyColumn)
        );
        assert_eq!(
            mapping_from_choices(&s, 2, &map(&[(Target::NomorKk, 1), (Target::Nik, 1)])),
            Err(MappingError::ColumnTwice {
                column: "B".to_owned(),
                first: "nomor_kk",
                second: "nik"
            })
        );
        for t in Target::ALL {
            assert_eq!(Target::parse(t.id()), Some(t));
        }
    }
}
