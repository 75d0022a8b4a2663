//! Rows to families: every data row is a member; rows sharing a prelist id (or, without
//! one, a KK number) are one family. Values of family columns given only on a family's
//! first row — merged cells read that way — fill the rows below. Title rows, numbering
//! rows and blank rows are skipped; anything else that cannot be read is a problem named
//! by row and column, and a prelist with problems is refused whole: nothing half-imported.

use super::cell::{column_letter, Cell, Sheet};
use super::columns::{normalize, Extra, Mapping, Target};
use super::number::sixteen_digits;
use crate::region::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrelistMember {
    /// The spreadsheet row (1-based), to find it again.
    pub row: usize,
    pub nik: Option<String>,
    pub nama: String,
    pub hubungan: String,
    pub jenis_kelamin: String,
    pub tanggal_lahir: String,
    /// The member's id in the list (P3KE `IDIndividu`), given back in the P3KE export.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id_individu: String,
    /// Matched to the civil registry, in the list's words (`Padan`, `Tidak padan`), given
    /// back in the P3KE export.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub padan_dukcapil: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrelistFamily {
    /// The prelist's own id, or `KK-<nomor_kk>` when it has none.
    pub prelist_id: String,
    pub nomor_kk: Option<String>,
    /// Kemendagri village code, dotted (`35.13.14.2001`), empty when not given.
    pub kode_desa: String,
    pub alamat: String,
    pub rt: String,
    pub rw: String,
    pub desil: String,
    pub members: Vec<PrelistMember>,
    /// The house as listed, in the list's words, by the form's field id
    /// (`jenis_atap` → `Genteng`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub housing: BTreeMap<String, String>,
    /// Programmes the family was listed as receiving (the form's AID codes), each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programmes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prelist {
    pub families: Vec<PrelistFamily>,
    pub blank_rows: usize,
}

/// A cell the reader cannot accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based, as the spreadsheet shows it.
    pub row: usize,
    /// `E`, `AB`; empty when the problem is the whole row.
    pub column: String,
    pub header: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "baris {}: {}", self.row, self.message)
        } else {
            write!(
                f,
                "baris {}, kolom {} ({}): {}",
                self.row, self.column, self.header, self.message
            )
        }
    }
}

/// How many problems are listed before the reader stops looking.
const MAX_PROBLEMS: usize = 100;

/// `3513142001` or `35.13.14.2001` → `35.13.14.2001`.
fn village(text: &str) -> Option<String> {
    let dotted = if text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}.{}.{}.{}", &text[..2], &text[2..4], &text[4..6], &text[6..])
    } else {
        text.to_owned()
    };
    RegionCode::parse(&dotted)
        .ok()
        .filter(|c| c.level() == RegionLevel::Village)
        .map(|c| c.as_str().to_owned())
}

/// A yes/no column's yes: `Ya`, `Y`, `1`, `v`, `√`, `Penerima`.
fn says_yes(value: &str) -> bool {
    matches!(
        value.trim().to_lowercase().as_str(),
        "ya" | "y" | "1" | "v" | "√" | "true" | "penerima" | "ada"
    )
}

/// A row that only numbers the columns (1, 2, 3, …) under the names.
fn is_numbering(row: &[Cell]) -> bool {
    let numbers: Vec<String> = row.iter().filter(|c| !c.is_empty()).map(Cell::text).collect();
    numbers.len() >= 3
        && numbers
            .iter()
            .all(|n| n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

pub fn read_prelist(sheet: &Sheet, mapping: &Mapping) -> Result<Prelist, Vec<Problem>> {
    let header_of = |c: usize| sheet.cell(mapping.header_row, c).text();
    let column = |t: Target| mapping.columns.get(&t).copied();
    let mut problems = Vec::new();
    let mut prelist = Prelist::default();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    // Family values carried down from the row above (merged cells).
    let mut carried: BTreeMap<Target, String> = BTreeMap::new();
    let mut seen_data = false;

    for (r, row) in sheet.rows.iter().enumerate().skip(mapping.header_row + 1) {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let line = r + 1;
        if row.iter().all(Cell::is_empty) {
            prelist.blank_rows += 1;
            continue;
        }
        // Title or numbering rows between the names and the data, or the names repeated.
        let repeats_names = column(Target::Nik).is_some_and(|c| normalize(&sheet.cell(r, c).text()) == "nik");
        if repeats_names || (!seen_data && is_numbering(row)) {
            continue;
        }
        let text = |t: Target| column(t).map(|c| sheet.cell(r, c).text()).unwrap_or_default();
        let mut problem = |t: Target, message: String| {
            let c = column(t).unwrap_or(0);
            problems.push(Problem {
                row: line,
                column: column_letter(c),
                header: header_of(c),
                message,
            });
        };

        let nik = match column(Target::Nik).map(|c| sixteen_digits(sheet.cell(r, c))) {
            Some(Ok(nik)) => nik,
            Some(Err(e)) => {
                problem(Target::Nik, e.to_string());
                continue;
            }
            None => None,
        };
        let kk_here = match column(Target::NomorKk).map(|c| sixteen_digits(sheet.cell(r, c))) {
            Some(Ok(kk)) => kk,
            Some(Err(e)) => {
                problem(Target::NomorKk, e.to_string());
                continue;
            }
            None => None,
        };
        // Every data row is a member: it has a NIK or a name. A row without either is a
        // note or title above the data, or (among the data) a row that cannot be used.
        if nik.is_none() && text(Target::Nama).is_empty() {
            if seen_data {
                problems.push(Problem {
                    row: line,
                    column: String::new(),
                    header: String::new(),
                    message: "baris tanpa NIK dan tanpa nama anggota (a row with neither NIK nor name)"
                        .to_owned(),
                });
            }
            continue;
        }
        let id_here = text(Target::PrelistId);
        // A new family starts where its id or KK is given; a row with neither belongs to
        // the family above (a merged cell).
        let starts_family = !id_here.is_empty() || kk_here.is_some();
        if starts_family {
            carried.clear();
        } else if !seen_data {
            // Text under the names that is not yet data (a note, a subtitle) is skipped;
            // a member before any family is not.
            if nik.is_some() {
                problems.push(Problem {
                    row: line,
                    column: String::new(),
                    header: String::new(),
                    message:
                        "anggota tanpa ID keluarga dan tanpa nomor KK (a member with no family id or KK)"
                            .to_owned(),
                });
            }
            continue;
        }
        seen_data = true;
        // The KK is carried as read above, checked.
        for t in Target::ALL
            .into_iter()
            .filter(|t| t.is_family_level() && *t != Target::NomorKk)
        {
            let value = text(t);
            if !value.is_empty() {
                carried.insert(t, value);
            }
        }
        if let Some(kk) = &kk_here {
            carried.insert(Target::NomorKk, kk.clone());
        }
        let get = |t: Target| carried.get(&t).cloned().unwrap_or_default();
        let kode_desa = match get(Target::KodeDesa) {
            code if code.is_empty() => String::new(),
            code => {
                match village(&code) {
                    Some(v) => v,
                    None => {
                        problem(
                        Target::KodeDesa,
                        format!("{code:?} bukan kode desa Kemendagri, seperti 3513142001 (not a village code)"),
                    );
                        continue;
                    }
                }
            }
        };
        let nomor_kk = carried.get(&Target::NomorKk).cloned();
        let key = match (get(Target::PrelistId), &nomor_kk) {
            (id, _) if !id.is_empty() => id,
            (_, Some(kk)) => format!("KK-{kk}"),
            _ => {
                problems.push(Problem {
                    row: line,
                    column: String::new(),
                    header: String::new(),
                    message: "baris tanpa ID keluarga dan tanpa nomor KK (a row with no family id or KK)"
                        .to_owned(),
                });
                continue;
            }
        };
        let member = PrelistMember {
            row: line,
            nik,
            nama: text(Target::Nama),
            hubungan: text(Target::Hubungan),
            jenis_kelamin: text(Target::JenisKelamin),
            tanggal_lahir: text(Target::TanggalLahir),
            id_individu: text(Target::IdIndividu),
            padan_dukcapil: text(Target::PadanDukcapil),
        };
        let at = *index.entry(key.clone()).or_insert_with(|| {
            prelist.families.push(PrelistFamily {
                prelist_id: key,
                nomor_kk: nomor_kk.clone(),
                kode_desa,
                alamat: get(Target::Alamat),
                rt: get(Target::Rt),
                rw: get(Target::Rw),
                desil: get(Target::Desil),
                members: Vec::new(),
                housing: BTreeMap::new(),
                programmes: Vec::new(),
            });
            prelist.families.len() - 1
        });
        let family = &mut prelist.families[at];
        for (c, extra) in &mapping.extras {
            let value = sheet.cell(r, *c).text();
            match extra {
                // Family values: the first row that gives one (merged cells give it once).
                Extra::Housing(field) if !value.is_empty() => {
                    family.housing.entry((*field).to_owned()).or_insert(value);
                }
                Extra::Aid(code) if says_yes(&value) && !family.programmes.iter().any(|p| p == code) => {
                    family.programmes.push((*code).to_owned());
                }
                _ => {}
            }
        }
        family.members.push(member);
    }
    if problems.is_empty() {
        Ok(prelist)
    } else {
        Err(problems)
    }
}
