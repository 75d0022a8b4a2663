//! An XLSForm sheet read by its header row: which column holds what, languages included
//! (`label::Indonesian (id)`, `label::English (en)`, a bare `label` in the default one).

use super::def::Label;
use super::Problem;
use crate::prelist::cell::{column_letter, Sheet};

/// The columns a form may translate.
pub const TRANSLATED: [&str; 4] = ["label", "hint", "constraint_message", "required_message"];

/// Other names XLSForm tools write for a column (pyxform's aliases): read as the column.
const ALIASES: [(&str, &str); 7] = [
    ("readonly", "read_only"),
    ("jr:count", "repeat_count"),
    ("count", "repeat_count"),
    ("jr:constraintmsg", "constraint_message"),
    ("jr:requiredmsg", "required_message"),
    ("relevance", "relevant"),
    ("caption", "label"),
];

/// A header as the reader knows it: lowered, its words joined by `_` (`list name` is
/// `list_name`), an alias by its column's name, a language after `::` kept.
fn column_name(header: &str) -> String {
    let header = header.trim().to_lowercase();
    let (base, language) = match header.split_once("::") {
        Some((base, language)) => (base, Some(language.trim())),
        None => (header.as_str(), None),
    };
    let base = base.split_whitespace().collect::<Vec<_>>().join("_");
    let base = ALIASES
        .iter()
        .find(|(alias, _)| *alias == base)
        .map_or(base.clone(), |(_, column)| (*column).to_owned());
    match language {
        Some(language) => format!("{base}::{language}"),
        None => base,
    }
}

/// Columns of features outside Verval's forms, refused by name when a cell uses them.
const OUT_OF_SCOPE: [(&str, &str); 7] = [
    ("media::", "gambar/suara di pertanyaan (media)"),
    ("bind::", "atribut bind langsung (bind::)"),
    ("body::", "atribut body langsung (body::)"),
    ("instance::", "instance eksternal"),
    ("save_to", "entitas (entities)"),
    ("trigger", "trigger"),
    ("parameters", "parameters"),
];

/// One sheet, with its header.
pub struct Table<'s> {
    pub name: &'s str,
    sheet: &'s Sheet,
    /// `(column index, column name as the header writes it, trimmed and lowered)`.
    columns: Vec<(usize, String)>,
    /// For each translated column, where each language is: `(column index, "id"|"en")`.
    languages: Vec<(&'static str, usize, &'static str)>,
}

impl<'s> Table<'s> {
    /// Reads the header (row 1); `default_language`: where a bare `label` goes.
    pub fn new(
        name: &'s str,
        sheet: &'s Sheet,
        default_language: &'static str,
        problems: &mut Vec<Problem>,
    ) -> Self {
        let header = sheet.rows.first().cloned().unwrap_or_default();
        let mut columns = Vec::new();
        let mut languages = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            let text = column_name(&cell.text());
            if text.is_empty() {
                continue;
            }
            columns.push((index, text.clone()));
            let (base, language) = match text.split_once("::") {
                Some((base, language)) => (base.trim().to_owned(), Some(language.trim().to_owned())),
                None => (text.clone(), None),
            };
            let Some(translated) = TRANSLATED.iter().find(|t| **t == base) else {
                continue;
            };
            let code = match &language {
                None => Some(default_language),
                Some(language) => language_code(language),
            };
            match code {
                Some(code) => languages.push((*translated, index, code)),
                None => problems.push(Problem::at(
                    name,
                    1,
                    &column_letter(index),
                    &cell.text(),
                    "bahasa ini tidak dipakai: Verval menampilkan bahasa Indonesia (id) dan Inggris (en)",
                    "a language Verval does not show: only Indonesian (id) and English (en)",
                )),
            }
        }
        Table {
            name,
            sheet,
            columns,
            languages,
        }
    }

    /// The rows below the header that hold anything, with their row number (2 is the first).
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        (1..self.sheet.rows.len())
            .filter(|r| self.sheet.rows[*r].iter().any(|c| !c.is_empty()))
            .map(|r| r + 1)
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|(_, c)| c == column)
    }

    /// The cell of `column` in row `row` (1-based), trimmed; empty when the column is not there.
    pub fn get(&self, row: usize, column: &str) -> String {
        self.columns
            .iter()
            .find(|(_, c)| c == column)
            .map(|(i, _)| self.sheet.cell(row - 1, *i).text())
            .unwrap_or_default()
    }

    /// A translated column of row `row`, in both languages.
    pub fn label(&self, row: usize, column: &str) -> Label {
        let mut label = Label::default();
        for (translated, index, code) in &self.languages {
            if *translated != column {
                continue;
            }
            let text = self.sheet.cell(row - 1, *index).text();
            // An empty column in one spelling does not blank the other (`label` beside
            // `label::Indonesian (id)`).
            if text.is_empty() {
                continue;
            }
            match *code {
                "en" => label.en = text,
                _ => label.id = text,
            }
        }
        label
    }

    /// Where a column is, as spreadsheets name it (`C`), for a problem.
    pub fn letter(&self, column: &str) -> String {
        self.columns
            .iter()
            .find(|(_, c)| c == column || c.starts_with(&format!("{column}::")))
            .map(|(i, _)| column_letter(*i))
            .unwrap_or_else(|| column.to_owned())
    }

    /// The columns this sheet has that are not in `known`, with any cell in use.
    pub fn out_of_scope(&self, problems: &mut Vec<Problem>) {
        for (index, name) in &self.columns {
            let Some((_, what)) = OUT_OF_SCOPE.iter().find(|(prefix, _)| name.starts_with(prefix)) else {
                continue;
            };
            for row in self.rows() {
                let cell = self.sheet.cell(row - 1, *index).text();
                if !cell.is_empty() {
                    problems.push(Problem::at(
                        self.name,
                        row,
                        &column_letter(*index),
                        &cell,
                        &format!("kolom {name} ({what}) belum didukung formulir Verval"),
                        &format!("column {name} ({what}) is not supported in Verval forms"),
                    ));
                }
            }
        }
    }

    /// Every column name, for a choice's other columns.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(_, c)| c.as_str())
    }
}

/// `Indonesian (id)`, `English (en)`, `id`, `en` → the code Verval shows; others `None`.
pub fn language_code(language: &str) -> Option<&'static str> {
    let language = language.trim().to_lowercase();
    let code = match (language.rfind('('), language.ends_with(')')) {
        (Some(open), true) => language[open + 1..language.len() - 1].trim().to_owned(),
        _ => language.clone(),
    };
    match code.as_str() {
        "id" | "indonesian" | "bahasa indonesia" | "indonesia" => Some("id"),
        "en" | "english" | "inggris" => Some("en"),
        _ => None,
    }
}
