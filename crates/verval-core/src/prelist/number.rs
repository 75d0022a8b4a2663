//! NIK and KK numbers out of spreadsheet cells. Both are 16 digits, more than the 15
//! significant digits Excel keeps: a NIK typed into a number cell comes back with its last
//! digit(s) turned to zero, and a CSV opened and saved by Excel may hold `3.51314E+15`.
//! Those are refused with the row and column named — a wrong NIK imported is worse than
//! none. A number cell holding all 16 digits exactly (written by a tool, not typed) is fine.

use super::cell::Cell;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberProblem {
    #[error("ditulis sebagai {0:?}: Excel sudah merusak angkanya; ekspor ulang kolom ini sebagai teks (written in scientific notation: Excel destroyed the digits; export the column as text)")]
    Scientific(String),
    #[error("{0:?} berakhir 000: angka terakhir kemungkinan dibulatkan Excel; ekspor ulang kolom ini sebagai teks (ends in 000: Excel probably rounded the last digits; export the column as text)")]
    TrailingZeros(String),
    #[error("{0:?} bukan 16 angka (not 16 digits)")]
    NotSixteenDigits(String),
}

/// The 16 digits of a NIK or KK cell; `Ok(None)` for an empty cell.
pub fn sixteen_digits(cell: &Cell) -> Result<Option<String>, NumberProblem> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        // Beyond 2^53 a double cannot hold every integer: the digits are not the ones typed.
        Cell::Number(n) if n.fract() != 0.0 || n.abs() >= 9_007_199_254_740_992.0 => {
            return Err(NumberProblem::NotSixteenDigits(format!("{n}")))
        }
        Cell::Number(n) => format!("{}", *n as i64),
        Cell::Text(t) => {
            let t = t.trim().trim_start_matches('\'').trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.to_owned()
        }
    };
    let upper = text.to_ascii_uppercase();
    if upper.contains('E') && upper.chars().all(|c| c.is_ascii_digit() || ".,E+-".contains(c)) {
        return Err(NumberProblem::Scientific(text));
    }
    // Spaces and dots people put in to read it: 3513 1412 0315 0007.
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    if digits.len() != 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberProblem::NotSixteenDigits(text));
    }
    if digits.ends_with("000") {
        return Err(NumberProblem::TrailingZeros(digits));
    }
    Ok(Some(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_exact_numbers_are_accepted() {
        let nik = Some("3513141203150007".to_owned());
        assert_eq!(
            sixteen_digits(&Cell::Text("3513141203150007".into())),
            Ok(nik.clone())
        );
        assert_eq!(
            sixteen_digits(&Cell::Text("'3513141203150007".into())),
            Ok(nik.clone())
        );
        assert_eq!(
            sixteen_digits(&Cell::Text("3513 1412 0315 0007".into())),
            Ok(nik.clone())
        );
        assert_eq!(sixteen_digits(&Cell::Number(3513141203150007.0)), Ok(nik));
        assert_eq!(sixteen_digits(&Cell::Empty), Ok(None));
        assert_eq!(sixteen_digits(&Cell::Text(" ".into())), Ok(None));
    }

    #[test]
    fn what_excel_destroyed_is_refused() {
        assert!(matches!(
            sixteen_digits(&Cell::Text("3.51314E+15".into())),
            Err(NumberProblem::Scientific(_))
        ));
        assert!(matches!(
            sixteen_digits(&Cell::Text("3,51314E+15".into())),
            Err(NumberProblem::Scientific(_))
        ));
        assert!(matches!(
            sixteen_digits(&Cell::Number(3513141203150000.0)),
            Err(NumberProblem::TrailingZeros(_))
        ));
        assert!(matches!(
            sixteen_digits(&Cell::Text("351314120315".into())),
            Err(NumberProblem::NotSixteenDigits(_))
        ));
        assert!(matches!(
            sixteen_digits(&Cell::Number(3513141203150007.5)),
            Err(NumberProblem::NotSixteenDigits(_))
        ));
        assert!(matches!(
            sixteen_digits(&Cell::Number(9.3e15)),
            Err(NumberProblem::NotSixteenDigits(_))
        ));
    }
}
