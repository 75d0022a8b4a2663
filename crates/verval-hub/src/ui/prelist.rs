//! The district's list of families to verify (issue #7): upload a prelist spreadsheet (the
//! P3KE template preset finds its columns under any title rows; a list in its own words is
//! mapped by hand: its first rows are shown with their column letters, and the form takes a
//! letter per value), see what it changed or every cell it could not accept, and the
//! families listed per village.

use super::guard::post_action;
use super::page::{bi, esc, page, problem};
use crate::audit::Actor;
use crate::prelist::{import, read_mapped, read_sheet, ColumnChoice};
use crate::Hub;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use verval_core::prelist::cell::{column_index, column_letter};
use verval_core::prelist::columns::{detect, Target};
use verval_core::prelist::{Sheet, P3KE_PRESET};

/// The upload form; `choice` fills the column mapping (open when a list needs it).
fn form(choice: Option<&ColumnChoice>, open: bool) -> String {
    let letter = |t: Target| {
        choice
            .and_then(|c| c.columns.get(&t))
            .map(|c| column_letter(*c))
            .unwrap_or_default()
    };
    let mut fields = String::new();
    for target in Target::ALL {
        let label = target.label();
        fields.push_str(&format!(
            "<label for=\"kolom_{id}\">{}</label><input id=\"kolom_{id}\" name=\"kolom_{id}\" size=\"4\" value=\"{}\" placeholder=\"G\">",
            bi(label.id, label.en),
            esc(&letter(target)),
            id = target.id()
        ));
    }
    let header_row = choice.map(|c| c.header_row.to_string()).unwrap_or_default();
    format!(
        "<form method=\"post\" action=\"{action}\" enctype=\"multipart/form-data\">\
         <label for=\"prelist\">{}</label>\
         <input id=\"prelist\" name=\"prelist\" type=\"file\" accept=\".xlsx,.csv\" required>\
         <details data-testid=\"prelist-mapping\"{}><summary>{}</summary><p>{}</p>\
         <label for=\"baris_judul\">{}</label><input id=\"baris_judul\" name=\"baris_judul\" type=\"number\" min=\"1\" value=\"{}\">{fields}</details>\
         <p><button data-testid=\"upload-prelist\">Impor <span class=\"en\">(import)</span></button></p></form>",
        bi(
            "Berkas prelist (XLSX atau CSV, template P3KE)",
            "prelist file, XLSX or CSV, P3KE template"
        ),
        if open { " open" } else { "" },
        bi("Atur kolom (bila daftar bukan template P3KE)", "map the columns, for a list not in the P3KE template"),
        bi(
            "Isi nomor baris judul kolom dan huruf kolom (A, B, …) tiap isian; kosongkan untuk memakai template P3KE.",
            "give the row of column names and each value's column letter; leave empty to use the P3KE template"
        ),
        bi("Baris judul kolom", "row of column names"),
        esc(&header_row),
        action = post_action("/admin/prelist"),
    )
}

/// The first rows of a sheet under their column letters: what the mapping is chosen from.
fn preview(sheet: &Sheet) -> String {
    const ROWS: usize = 8;
    const COLUMNS: usize = 30;
    let width = sheet
        .rows
        .iter()
        .take(ROWS)
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(COLUMNS);
    let mut html = String::from("<table data-testid=\"prelist-preview\"><tr><th></th>");
    for c in 0..width {
        html.push_str(&format!("<th>{}</th>", column_letter(c)));
    }
    html.push_str("</tr>");
    for r in 0..sheet.rows.len().min(ROWS) {
        html.push_str(&format!("<tr><th>{}</th>", r + 1));
        for c in 0..width {
            html.push_str(&format!("<td>{}</td>", esc(&sheet.cell(r, c).text())));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    html
}

async fn villages_table(hub: &Hub) -> Result<String, sqlx::Error> {
    // CAST: PostgreSQL sums BIGINTs into NUMERIC.
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kode_desa, CAST(SUM(in_latest) AS BIGINT), COUNT(*) FROM prelist_families \
         GROUP BY kode_desa ORDER BY kode_desa",
    )
    .fetch_all(&hub.db.pool)
    .await?;
    let mut html = format!(
        "<table data-testid=\"prelist-villages\"><tr><th>Desa</th><th>{}</th><th>{}</th></tr>",
        bi("Keluarga dalam daftar", "listed families"),
        bi("Tidak lagi dalam daftar", "no longer listed")
    );
    for (village, listed, all) in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{listed}</td><td>{}</td></tr>",
            esc(&village),
            all - listed
        ));
    }
    html.push_str("</table>");
    Ok(html)
}

async fn show_page(hub: &Hub, notice: &str) -> Response {
    match villages_table(hub).await {
        Ok(table) => page("Prelist", true, &format!("{notice}{table}")).into_response(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

pub async fn show(State(hub): State<Hub>) -> Response {
    show_page(&hub, &form(None, false)).await
}

/// What the upload form sent: the file and the mapping fields.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    choice: Option<ColumnChoice>,
}

async fn read_upload(multipart: &mut Multipart) -> Result<Upload, Response> {
    let mut file = None;
    let mut header_row = String::new();
    let mut letters: BTreeMap<Target, String> = BTreeMap::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(problem(
                    e.status(),
                    &format!("Unggahan terputus (upload cut off): {e}"),
                ))
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| {
            problem(
                e.status(),
                &format!("Berkas tidak terbaca (file unreadable): {e}"),
            )
        })?;
        match name.as_str() {
            "prelist" => {
                file = Some((
                    file_name.unwrap_or_else(|| "prelist.xlsx".to_owned()),
                    bytes.to_vec(),
                ))
            }
            "baris_judul" => header_row = String::from_utf8_lossy(&bytes).trim().to_owned(),
            other => {
                if let Some(target) = other.strip_prefix("kolom_").and_then(Target::parse) {
                    letters.insert(target, String::from_utf8_lossy(&bytes).trim().to_owned());
                }
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "Tidak ada berkas yang dipilih (no file chosen).",
        ));
    };
    letters.retain(|_, l| !l.is_empty());
    let choice = if letters.is_empty() {
        None
    } else {
        let mut columns = BTreeMap::new();
        for (target, letter) in letters {
            let column = column_index(&letter).ok_or_else(|| {
                problem(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "{letter:?} bukan huruf kolom seperti G atau AB (not a column letter), untuk {}",
                        target.id()
                    ),
                )
            })?;
            columns.insert(target, column);
        }
        Some(ColumnChoice {
            header_row: header_row.parse().unwrap_or(1),
            columns,
        })
    };
    Ok(Upload { name, bytes, choice })
}

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> Response {
    let Upload { name, bytes, choice } = match read_upload(&mut multipart).await {
        Ok(upload) => upload,
        Err(refused) => return refused,
    };
    // Reading a spreadsheet is CPU work on a file from outside: off the async workers.
    let (file, chosen) = (name.clone(), choice.clone());
    let read = crate::heavy::run(move || {
        let sheet = read_sheet(&file, &bytes)?;
        let mapped = read_mapped(&sheet, chosen.as_ref());
        Ok::<_, crate::prelist::PrelistError>((sheet, mapped))
    })
    .await;
    let (sheet, mapped) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => {
            return show_page(
                &hub,
                &refused(
                    &name,
                    &e.to_string(),
                    "",
                    &form(choice.as_ref(), choice.is_some()),
                ),
            )
            .await
        }
        Err(crate::heavy::Busy) => {
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Server sedang sibuk membaca berkas lain; coba lagi sebentar lagi. \
                 (The hub is busy reading other files; try again shortly.)",
            )
        }
    };
    let outcome = match mapped {
        Ok(prelist) => import(&hub.db, &name, &prelist, &by)
            .await
            .map(|m| (m, prelist.families.len())),
        Err(e) => Err(e),
    };
    let notice = match outcome {
        Ok((m, families)) => format!(
            "<p class=\"ok\" data-testid=\"prelist-imported\">{}</p>{}",
            bi(
                &format!(
                    "{name}: {families} keluarga; {} baru, {} berubah, {} tetap, {} tidak lagi dalam daftar (disimpan). Kunjungan yang sudah ada tidak berubah.",
                    m.added, m.changed, m.unchanged, m.no_longer_listed
                ),
                "imported; visits already made are unchanged"
            ),
            form(None, false)
        ),
        Err(e) => {
            // The mapping form again, filled with what was sent or what the preset found,
            // under the sheet's first rows with their letters.
            let found = choice.clone().or_else(|| {
                detect(&sheet, &P3KE_PRESET).map(|m| ColumnChoice {
                    header_row: m.header_row + 1,
                    columns: m.columns,
                })
            });
            refused(&name, &e.to_string(), &preview(&sheet), &form(found.as_ref(), true))
        }
    };
    show_page(&hub, &notice).await
}

fn refused(name: &str, why: &str, preview: &str, form: &str) -> String {
    format!(
        "<div class=\"bad\" data-testid=\"prelist-refused\"><p>{}</p><pre>{}</pre></div>{preview}{form}",
        bi(
            &format!("{name} ditolak; tidak ada yang diimpor."),
            "refused; nothing imported"
        ),
        esc(why)
    )
}
