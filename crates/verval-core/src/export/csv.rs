//! RFC 4180 CSV: comma-separated, CRLF line ends, a field quoted when it holds a comma, a
//! quote, a line break or leading/trailing spaces, quotes doubled. UTF-8 without a byte
//! order mark.
//!
//! Two kinds: [`write`] for machines (the CSVs inside a batch) keeps every value exactly;
//! [`write_for_people`] (the hub's downloads, opened in a spreadsheet) neutralises a value a
//! spreadsheet would run as a formula (docs/batch-format.md).

use super::column::{digits_a_spreadsheet_would_change, utc_date_time, ColumnKind};
use super::Table;
use std::borrow::Cow;

/// The table as CSV text, every value exactly as it is: the header row of field ids, then
/// one line per row.
pub fn write(table: &Table) -> String {
    write_with(table, |field| field.into())
}

/// The table as CSV text for a person's spreadsheet: a value that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return, and is not a plain number (`-7.7543`, a
/// latitude), gets a leading `'`, so that `=1+1` or `=HYPERLINK(…)` typed into a form is
/// shown as text, never run.
///
/// Values are also written the way a spreadsheet reads them right (docs/batch-format.md,
/// "Files for people"): numbers with a decimal point (`2,5` → `2.5`), times as UTC
/// `YYYY-MM-DD HH:MM:SS`, and digits a spreadsheet would change (a NIK, RT `003`, code
/// `00`) as the text formula `="…"`, which Excel and LibreOffice show as those digits.
pub fn write_for_people(table: &Table) -> String {
    let mut out = String::new();
    line(&mut out, table.header.iter().map(|h| neutralised(h)));
    for row in &table.rows {
        line(
            &mut out,
            row.iter()
                .zip(&table.kinds)
                .map(|(value, kind)| for_people(value, *kind)),
        );
    }
    out
}

fn for_people(value: &str, kind: ColumnKind) -> Cow<'_, str> {
    let typed = match kind {
        ColumnKind::Number | ColumnKind::Whole => kind.plain_number(value),
        ColumnKind::Timestamp => utc_date_time(value),
        _ if digits_a_spreadsheet_would_change(value) => Some(format!("=\"{value}\"")),
        _ => None,
    };
    typed.map_or_else(|| neutralised(value), Cow::Owned)
}

fn write_with<'a>(table: &'a Table, value: impl Fn(&'a str) -> Cow<'a, str>) -> String {
    let mut out = String::new();
    line(&mut out, table.header.iter().map(|h| value(h)));
    for row in &table.rows {
        line(&mut out, row.iter().map(|f| value(f)));
    }
    out
}

/// `field`, or `'` and `field` when a spreadsheet would take it for a formula.
pub fn neutralised(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(field) {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

/// An optional sign, digits, and an optional decimal point with digits.
fn is_plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

fn line<S: AsRef<str>>(out: &mut String, fields: impl Iterator<Item = S>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, field.as_ref());
    }
    out.push_str("\r\n");
}

fn field_into(out: &mut String, field: &str) {
    let needs_quotes =
        field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        let table = Table {
            name: "t".into(),
            header: vec!["a".into(), "b".into()],
            labels: vec!["A".into(), "B".into()],
            kinds: vec![ColumnKind::Text; 2],
            rows: vec![
                vec!["plain".into(), "3513141203580001".into()],
                vec!["koma, ada".into(), "kutip \"ini\"".into()],
                vec!["baris\nbaru".into(), " spasi ".into()],
                vec![String::new(), "Dédé".into()],
            ],
        };
        assert_eq!(
            write(&table),
            "a,b\r\nplain,3513141203580001\r\n\"koma, ada\",\"kutip \"\"ini\"\"\"\r\n\"baris\nbaru\",\" spasi \"\r\n,Dédé\r\n"
        );
    }

    #[test]
    fn a_formula_typed_into_a_form_reaches_people_as_text() {
        // Issue #17, row 10: `=1+1` was kept as a formula-like cell in rekap.csv.
        let table = Table {
            name: "t".into(),
            header: vec!["a".into()],
            labels: vec!["A".into()],
            kinds: vec![ColumnKind::Text],
            rows: [
                "=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1", "-7.7543", "+62", "12", "a=b", "",
            ]
            .iter()
            .map(|v| vec![(*v).to_owned()])
            .collect(),
        };
        assert_eq!(
            write_for_people(&table),
            "a\r\n'=1+1\r\n'+SUM(A1)\r\n'-2+3\r\n'@cmd\r\n'\tx\r\n\"'\r=1\"\r\n-7.7543\r\n+62\r\n12\r\na=b\r\n\r\n"
        );
        // The machine CSV keeps every value exactly.
        assert!(write(&table).starts_with("a\r\n=1+1\r\n+SUM(A1)\r\n"));
    }

    #[test]
    fn people_get_numbers_with_a_point_times_as_dates_and_fragile_digits_kept() {
        // Issue #28: a NIK opened from the CSV lost its last digit; "2,5" and "9.0" mixed.
        let table = Table {
            name: "t".into(),
            header: vec![
                "nik".into(),
                "rt".into(),
                "luas".into(),
                "dibuat".into(),
                "kode".into(),
            ],
            labels: vec![String::new(); 5],
            kinds: vec![
                ColumnKind::Text,
                ColumnKind::Text,
                ColumnKind::Number,
                ColumnKind::Timestamp,
                ColumnKind::Text,
            ],
            rows: vec![
                vec![
                    "3513140503680002".into(),
                    "003".into(),
                    "2,5".into(),
                    "0".into(),
                    "00".into(),
                ],
                vec![
                    "3513**********02".into(),
                    "12".into(),
                    "9.0".into(),
                    "soon".into(),
                    "=1+1".into(),
                ],
            ],
        };
        assert_eq!(
            write_for_people(&table),
            "nik,rt,luas,dibuat,kode\r\n\
             \"=\"\"3513140503680002\"\"\",\"=\"\"003\"\"\",2.5,1970-01-01 00:00:00,\"=\"\"00\"\"\"\r\n\
             3513**********02,12,9.0,soon,'=1+1\r\n"
        );
        assert!(
            write(&table).contains("3513140503680002,003,\"2,5\",0,00"),
            "machines get it exactly"
        );
    }
}
