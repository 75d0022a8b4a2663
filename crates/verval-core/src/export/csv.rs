//! RFC 4180 CSV: comma-separated, CRLF line ends, a field quoted when it holds a comma, a
//! quote, a line break or leading/trailing spaces, quotes doubled. UTF-8 without a byte
//! order mark (these files are for machines; people get the spreadsheet).

use super::Table;

/// The table as CSV text: the header row of field ids, then one line per row.
pub fn write(table: &Table) -> String {
    let mut out = String::new();
    line(&mut out, table.header.iter().map(String::as_str));
    for row in &table.rows {
        line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, field);
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
            name: "t",
            header: vec!["a".into(), "b".into()],
            labels: vec!["A".into(), "B".into()],
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
}
