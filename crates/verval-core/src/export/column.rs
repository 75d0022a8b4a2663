//! What a column of an export holds, so that files meant for people type their cells: a
//! count is a number a spreadsheet sums, a visit date is a date, a NIK stays text. The
//! machine files (the CSVs inside a batch) ignore it and keep every value exactly.

use crate::date::Date;
use crate::decimal::Decimal;
use crate::form::{Choice, Kind, Question};

// Serialized when a page hands tables to the export's worker to write (issue #25).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ColumnKind {
    /// Text kept as written: names, identity numbers, region codes, record ids.
    Text,
    /// A decimal number (`1.250` is 1.25, `1.250,5` is 1250.5).
    Number,
    /// A whole number: a count, an amount of money (`300.000` as typed is 300000).
    Whole,
    /// A calendar date, `YYYY-MM-DD`. A value that is not a whole date (a birth date with an
    /// unknown day, `1950-98-98`) stays text.
    Date,
    /// Milliseconds since 1970, UTC.
    Timestamp,
    /// A Kemendagri region code, kept as text: people get the region's name beside it.
    Region,
    /// An answer code of these choices, or several separated by spaces: people get the
    /// label beside the code. Only the household form's columns are coded, and none is
    /// handed between threads: it does not serialize.
    #[serde(skip)]
    Coded(&'static [Choice]),
}

impl ColumnKind {
    /// The kind of a question's column.
    pub fn of(question: &Question) -> ColumnKind {
        match question.kind {
            // The default form's calculations are counts, ratios and 0/1 flags; a value that
            // is not a number is still written as text.
            Kind::Calculate { shown_as } if !shown_as.is_empty() => ColumnKind::Coded(shown_as),
            Kind::Integer { .. } | Kind::RowOf(_) => ColumnKind::Whole,
            Kind::Decimal { .. } | Kind::Calculate { .. } => ColumnKind::Number,
            Kind::Date {
                unknown_parts: false, ..
            } => ColumnKind::Date,
            Kind::SelectOne(choices) | Kind::SelectMultiple { choices, .. } => ColumnKind::Coded(choices),
            Kind::Region(_) => ColumnKind::Region,
            _ => ColumnKind::Text,
        }
    }

    /// The labels of a coded value, `; `-separated in the order of the codes; `None` for a
    /// column that is not coded or an empty value. An unknown code is shown as itself.
    pub fn labels_of(self, value: &str) -> Option<String> {
        let ColumnKind::Coded(choices) = self else {
            return None;
        };
        if value.trim().is_empty() {
            return None;
        }
        let labels: Vec<&str> = value
            .split_whitespace()
            .map(|code| {
                choices
                    .iter()
                    .find(|c| c.code == code)
                    .map_or(code, |c| c.label.id)
            })
            .collect();
        Some(labels.join("; "))
    }
}

impl ColumnKind {
    /// A number column's value with a decimal point and no thousands groups, read as its
    /// kind reads it; `None` for a column that is not a number or a value that is not one.
    pub fn plain_number(self, value: &str) -> Option<String> {
        match self {
            ColumnKind::Number => plain_number(value),
            ColumnKind::Whole => plain_whole(value),
            _ => None,
        }
    }
}

/// A whole number as typed on the phone (`300000`, `300.000`, `-2`) without thousands groups;
/// a value that is not one (stored before the app checked it) is read as [`plain_number`]
/// reads it; `None` when it is no number at all.
pub fn plain_whole(value: &str) -> Option<String> {
    let text = value.trim();
    let plain = crate::decimal::ungrouped_whole(text).unwrap_or_else(|| text.to_owned());
    match plain.parse::<i64>() {
        Ok(n) => Some(n.to_string()),
        Err(_) => plain_number(text),
    }
}

/// A number as typed on the phone (`2,5`, `2.5`, `300000`, `1.250,5`), with a decimal point
/// and no thousands groups; `None` when the value is not a number as [`Decimal::read`] reads
/// decimal answers.
pub fn plain_number(value: &str) -> Option<String> {
    let text = value.trim();
    let plain = match Decimal::parse(text) {
        Some(_) => text.to_owned(),
        None => crate::decimal::ungrouped_decimal(text)?,
    };
    Some(plain.replacen(',', ".", 1))
}

/// Milliseconds since 1970 as a UTC date and time, `YYYY-MM-DD HH:MM:SS`, which
/// spreadsheets read as a date and time; `None` when the value is not a whole number.
pub fn utc_date_time(value: &str) -> Option<String> {
    let ms: i64 = value.trim().parse().ok()?;
    let seconds = ms.div_euclid(1000);
    let date = Date::from_days_since_epoch(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    Some(format!("{date} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60))
}

/// Digits a spreadsheet would change if it read them as a number: a leading zero is
/// dropped (`003`, code `00`), a 16-digit NIK is rounded to 15 significant digits.
pub fn digits_a_spreadsheet_would_change(value: &str) -> bool {
    value.len() > 1
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value.starts_with('0') || value.len() > 15)
}

/// A whole `YYYY-MM-DD` date, or `None`.
pub fn whole_date(value: &str) -> Option<Date> {
    crate::form::validate::parse_date(value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::default::DEFAULT_FORM;
    use crate::ids::FieldId;

    fn kind(id: &'static str) -> ColumnKind {
        ColumnKind::of(DEFAULT_FORM.question(FieldId::new(id)).expect(id))
    }

    #[test]
    fn counts_and_sizes_are_numbers_identity_numbers_text_and_answers_coded() {
        assert_eq!(kind("jumlah_art"), ColumnKind::Number, "a calculation");
        assert_eq!(kind("umur"), ColumnKind::Whole);
        assert_eq!(kind("luas_lantai"), ColumnKind::Whole, "square metres, whole");
        assert_eq!(kind("aset_emas_gram"), ColumnKind::Number);
        assert_eq!(kind("nik"), ColumnKind::Text);
        assert_eq!(kind("nomor_kk"), ColumnKind::Text);
        assert_eq!(kind("kode_desa"), ColumnKind::Region);
        assert_eq!(kind("tanggal_kunjungan"), ColumnKind::Date);
        assert_eq!(
            kind("tanggal_lahir"),
            ColumnKind::Text,
            "may hold 98 for an unknown day"
        );
        assert!(matches!(kind("jenis_kelamin"), ColumnKind::Coded(_)));
        assert!(matches!(kind("bantuan_diusulkan"), ColumnKind::Coded(_)));
        // A derived 0/1 flag and the criteria seen are coded too: "Ya" beside "1".
        assert_eq!(kind("bangunan_layak").labels_of("1").as_deref(), Some("Ya"));
        assert_eq!(kind("disabilitas").labels_of("0").as_deref(), Some("Tidak"));
        let seen = kind("kriteria_bps14_otomatis").labels_of("1 13").expect("labels");
        assert!(seen.starts_with("Luas lantai") && seen.contains("SD"), "{seen}");
        assert_eq!(kind("jumlah_art"), ColumnKind::Number, "a count stays a number");
    }

    #[test]
    fn a_coded_value_gets_its_labels_and_an_unknown_code_itself() {
        let sex = kind("jenis_kelamin");
        assert_eq!(sex.labels_of("2").as_deref(), Some("Perempuan"));
        assert_eq!(sex.labels_of("").as_deref(), None);
        assert_eq!(sex.labels_of("7").as_deref(), Some("7"));
        let aid = kind("bantuan_diusulkan");
        let two = aid.labels_of("BLT_DD RTLH_DESA").expect("labels");
        assert_eq!(two, "BLT Dana Desa; RTLH desa");
        assert_eq!(ColumnKind::Text.labels_of("2"), None);
    }

    #[test]
    fn times_read_as_utc_and_fragile_digits_are_recognised() {
        assert_eq!(utc_date_time("0").as_deref(), Some("1970-01-01 00:00:00"));
        assert_eq!(
            utc_date_time("1795700000000").as_deref(),
            Some("2026-11-26 13:33:20")
        );
        assert_eq!(utc_date_time("soon"), None);
        assert!(digits_a_spreadsheet_would_change("3513140503680002"));
        assert!(digits_a_spreadsheet_would_change("003"));
        assert!(digits_a_spreadsheet_would_change("00"));
        for safe in ["0", "12", "351314", "35.13", "3513**********02", ""] {
            assert!(!digits_a_spreadsheet_would_change(safe), "{safe}");
        }
    }

    #[test]
    fn numbers_take_one_decimal_style() {
        assert_eq!(plain_number("2,5").as_deref(), Some("2.5"));
        assert_eq!(plain_number("9.0").as_deref(), Some("9.0"));
        assert_eq!(plain_number("-7.75").as_deref(), Some("-7.75"));
        assert_eq!(plain_number("300000").as_deref(), Some("300000"));
        // As Indonesians type it, kept so if the tab closed before the app ungrouped it.
        assert_eq!(plain_number("1.250,5").as_deref(), Some("1250.5"));
        for not in ["", "1,2,3", "1.2.3", "abc", "12a", ".5", "5."] {
            assert_eq!(plain_number(not), None, "{not:?}");
        }
    }

    #[test]
    fn a_whole_number_typed_with_groups_keeps_its_thousands() {
        let whole = ColumnKind::Whole;
        assert_eq!(whole.plain_number("300.000").as_deref(), Some("300000"));
        assert_eq!(whole.plain_number("1 250 000").as_deref(), Some("1250000"));
        assert_eq!(whole.plain_number(" 4 ").as_deref(), Some("4"));
        assert_eq!(whole.plain_number("-2").as_deref(), Some("-2"));
        // The same text in a decimal answer is the decimal it reads as.
        assert_eq!(ColumnKind::Number.plain_number("1.250").as_deref(), Some("1.250"));
        // Not whole (kept from before the app checked it): the number it reads as.
        assert_eq!(whole.plain_number("36,5").as_deref(), Some("36.5"));
        for not in ["", "abc", "1,2,3", "12a"] {
            assert_eq!(whole.plain_number(not), None, "{not:?}");
        }
        assert_eq!(ColumnKind::Text.plain_number("12"), None);
    }
}
