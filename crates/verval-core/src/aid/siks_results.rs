//! SIKS-NG's answers, imported back from a spreadsheet (issue #24): per proposal id, accepted
//! with the new desil or refused with the reason. The district fills the list the hub gives
//! (`RESULT_COLUMNS`) or its own with columns of the same names; a row with no result yet is
//! counted and left alone. Every problem is named with its row, and a file with any problem
//! changes nothing.

use crate::prelist::columns::normalize;
use crate::prelist::Sheet;
use std::collections::BTreeMap;

/// The columns of the results list, `(id, Indonesian heading)`: the first four as the hub
/// fills them, the last three for the district to fill (filled already where a result is
/// recorded).
pub const RESULT_COLUMNS: [(&str, &str); 7] = [
    (ID_USULAN, "ID usulan SIKS-NG"),
    ("kode_desa", "Kode desa"),
    ("tanggal_input", "Tanggal diinput"),
    ("operator", "Operator"),
    (HASIL, "Hasil (diterima / ditolak)"),
    (DESIL, "Desil baru (1–10, bila diterima)"),
    (ALASAN, "Alasan (bila ditolak)"),
];

const ID_USULAN: &str = "id_usulan";
const HASIL: &str = "hasil";
const DESIL: &str = "desil";
const ALASAN: &str = "alasan";

/// Other names a district's own sheet may give the columns (after [`normalize`]).
const ALIASES: [(&str, &[&str]); 4] = [
    (
        ID_USULAN,
        &["id_usulan", "id_usulan_siks_ng", "no_usulan", "nomor_usulan"],
    ),
    // Not "keputusan": a district's sheet often carries the Musdes decision under that name,
    // which is not SIKS-NG's answer.
    (
        HASIL,
        &[
            "hasil",
            "hasil_diterima_ditolak",
            "hasil_siks_ng",
            "status_usulan",
        ],
    ),
    (DESIL, &["desil", "desil_baru", "desil_baru_1_10_bila_diterima"]),
    (
        ALASAN,
        &["alasan", "alasan_bila_ditolak", "alasan_penolakan", "keterangan"],
    ),
];

/// How far down the header row may be (a title and a note above it are common).
const HEADER_WITHIN: usize = 10;

/// SIKS-NG's answer on one proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Accepted { desil: u8 },
    Refused { reason: String },
}

/// One row with a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiksResult {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    pub usulan_id: String,
    pub answer: Answer,
}

/// What a results file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub results: Vec<SiksResult>,
    /// Rows with a proposal id and no result yet.
    pub waiting: usize,
}

/// The sheet's results, or every problem in it (each naming its row).
pub fn read_results(sheet: &Sheet) -> Result<Results, Vec<String>> {
    let Some((header, columns)) = find_header(sheet) else {
        return Err(vec![format!(
            "tidak ada baris judul dengan kolom {ID_USULAN} dan {HASIL} di {HEADER_WITHIN} baris pertama \
             (no header row naming the proposal id and result columns)"
        )]);
    };
    let cell = |row: usize, id: &str| {
        columns
            .get(id)
            .map(|c| sheet.cell(row, *c).text())
            .unwrap_or_default()
    };
    let mut read = Results::default();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in header + 1..sheet.rows.len() {
        let shown = row + 1;
        let usulan_id = cell(row, ID_USULAN);
        let result = cell(row, HASIL).to_lowercase();
        if usulan_id.is_empty() {
            if !result.is_empty() {
                problems.push(format!(
                    "baris {shown}: hasil tanpa ID usulan (a result with no proposal id)"
                ));
            }
            continue;
        }
        if let Some(first) = seen.insert(usulan_id.clone(), shown) {
            problems.push(format!(
                "baris {shown}: ID usulan {usulan_id} sudah ada di baris {first} (the same proposal twice)"
            ));
            continue;
        }
        let answer = match result.trim() {
            "" => {
                read.waiting += 1;
                continue;
            }
            "diterima" | "terima" => match parse_desil(&cell(row, DESIL)) {
                Some(desil) => Answer::Accepted { desil },
                None => {
                    problems.push(format!(
                        "baris {shown}: desil baru harus angka 1–10 untuk usulan yang diterima (the new desil must be 1–10)"
                    ));
                    continue;
                }
            },
            "ditolak" | "tolak" => {
                let reason = cell(row, ALASAN);
                if reason.is_empty() {
                    problems.push(format!(
                        "baris {shown}: alasan penolakan kosong (the reason for the refusal is empty)"
                    ));
                    continue;
                }
                Answer::Refused { reason }
            }
            other => {
                problems.push(format!(
                    "baris {shown}: hasil {other:?} tidak dikenal, tulis diterima atau ditolak (unknown result)"
                ));
                continue;
            }
        };
        read.results.push(SiksResult {
            row: shown,
            usulan_id,
            answer,
        });
    }
    match problems.is_empty() {
        true => Ok(read),
        false => Err(problems),
    }
}

/// The header row (0-based) and the column of each name found in it; it must name at least
/// the proposal id and the result. The last such row: the hub's lists carry two, the
/// headings and then the column ids, and the rows after are the data.
fn find_header(sheet: &Sheet) -> Option<(usize, BTreeMap<&'static str, usize>)> {
    (0..sheet.rows.len().min(HEADER_WITHIN)).rev().find_map(|row| {
        let mut columns = BTreeMap::new();
        for (column, cell) in sheet.rows[row].iter().enumerate() {
            let name = normalize(&cell.text());
            if let Some((id, _)) = ALIASES.iter().find(|(_, names)| names.contains(&name.as_str())) {
                columns.entry(*id).or_insert(column);
            }
        }
        (columns.contains_key(ID_USULAN) && columns.contains_key(HASIL)).then_some((row, columns))
    })
}

/// `3`, `3.0` or `Desil 3` → 3, within 1–10.
fn parse_desil(text: &str) -> Option<u8> {
    let digits = text.trim().to_lowercase();
    let digits = digits.strip_prefix("desil").unwrap_or(&digits).trim();
    let digits = digits.strip_suffix(".0").unwrap_or(digits);
    digits.parse::<u8>().ok().filter(|d| (1..=10).contains(d))
}
