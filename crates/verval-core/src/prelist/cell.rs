//! A sheet as the prelist reader sees it: rows of cells, numbered as the spreadsheet shows
//! them (row 1 is the first row, column A the first column).

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell: how spreadsheets keep a NIK typed without a leading apostrophe.
    Number(f64),
}

impl Cell {
    /// The cell as text, trimmed; numbers without a fractional part as integers.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A sheet of texts, an empty string an empty cell (for tests of what reads sheets).
    #[cfg(test)]
    pub(crate) fn of_texts(rows: &[&[&str]]) -> Sheet {
        let cell = |c: &&str| match c.is_empty() {
            true => Cell::Empty,
            false => Cell::Text((*c).to_owned()),
        };
        Sheet {
            rows: rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
        }
    }

    pub fn cell(&self, row: usize, column: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or(&Cell::Empty)
    }
}

/// `A`, `Z`, `AA`, `CZ`: a column as spreadsheets name it (0-based index in).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The other way: `A` → 0, `AB` → 27; `None` for anything that is not column letters.
pub fn column_index(letters: &str) -> Option<usize> {
    let letters = letters.trim();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    letters
        .chars()
        .try_fold(0usize, |n, c| {
            let c = c.to_ascii_uppercase();
            c.is_ascii_uppercase()
                .then(|| n * 26 + (c as usize - 'A' as usize + 1))
        })
        .map(|n| n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(103), "CZ");
        for i in [0, 25, 26, 103, 700] {
            assert_eq!(column_index(&column_letter(i)), Some(i));
        }
        assert_eq!(column_index(" g "), Some(6));
        for bad in ["", "7", "A1", "ABCD", "É"] {
            assert_eq!(column_index(bad), None, "{bad}");
        }
    }

    #[test]
    fn whole_numbers_read_as_integers() {
        assert_eq!(Cell::Number(3513141203150007.0).text(), "3513141203150007");
        assert_eq!(Cell::Number(7.0).text(), "7");
        assert_eq!(Cell::Text("  x ".into()).text(), "x");
        assert!(Cell::Text("   ".into()).is_empty());
    }
}
