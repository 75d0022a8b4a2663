//! The district's list of families to verify (issue #7): upload a prelist spreadsheet (the
//! P3KE template preset finds its columns under any title rows; a list in its own words is
//! mapped by hand: its first rows are shown with their column letters, and the form takes a
//! letter per value), see what it changed or every cell it could not accept, and the
//! families listed per village. The queries live in [`crate::prelist`].

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::page::{bi, page};
use crate::audit::Actor;
use crate::prelist::{import, read_mapped, read_sheet, ColumnChoice, VillageSummary};
use crate::Hub;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use maud::{html, Markup};
use std::collections::BTreeMap;
use verval_core::prelist::cell::{column_index, column_letter};
use verval_core::prelist::columns::{detect, Target};
use verval_core::prelist::{Sheet, P3KE_PRESET};

/// The upload form; `choice` fills the column mapping (open when a list needs it).
fn form(choice: Option<&ColumnChoice>, open: bool) -> Markup {
    let letter = |t: Target| {
        choice
            .and_then(|c| c.columns.get(&t))
            .map(|c| column_letter(*c))
            .unwrap_or_default()
    };
    let header_row = choice.map(|c| c.header_row.to_string()).unwrap_or_default();
    html! {
        form method="post" action=(post_action("/admin/prelist")) enctype="multipart/form-data" {
            label for="prelist" {
                (bi("Berkas prelist (XLSX atau CSV, template P3KE)", "prelist file, XLSX or CSV, P3KE template"))
            }
            input id="prelist" name="prelist" type="file" accept=".xlsx,.csv" required;
            details data-testid="prelist-mapping" open[open] {
                summary {
                    (bi("Atur kolom (bila daftar bukan template P3KE)", "map the columns, for a list not in the P3KE template"))
                }
                p {
                    (bi(
                        "Isi nomor baris judul kolom dan huruf kolom (A, B, …) tiap isian; kosongkan untuk memakai template P3KE.",
                        "give the row of column names and each value's column letter; leave empty to use the P3KE template",
                    ))
                }
                label for="baris_judul" { (bi("Baris judul kolom", "row of column names")) }
                input id="baris_judul" name="baris_judul" type="number" min="1" value=(header_row);
                @for target in Target::ALL {
                    @let label = target.label();
                    label for={ "kolom_" (target.id()) } { (bi(label.id, label.en)) }
                    input id={ "kolom_" (target.id()) } name={ "kolom_" (target.id()) } size="4"
                        value=(letter(target)) placeholder="G";
                }
            }
            p { button data-testid="upload-prelist" { (bi("Impor", "import")) } }
        }
    }
}

/// The first rows of a sheet under their column letters: what the mapping is chosen from.
fn preview(sheet: &Sheet) -> Markup {
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
    html! {
        table data-testid="prelist-preview" {
            tr {
                th {}
                @for c in 0..width { th { (column_letter(c)) } }
            }
            @for r in 0..sheet.rows.len().min(ROWS) {
                tr {
                    th { (r + 1) }
                    @for c in 0..width { td { (sheet.cell(r, c).text()) } }
                }
            }
        }
    }
}

fn villages_table(villages: &[VillageSummary]) -> Markup {
    html! {
        table data-testid="prelist-villages" {
            tr {
                th { "Desa" }
                th { (bi("Keluarga dalam daftar", "listed families")) }
                th { (bi("Tidak lagi dalam daftar", "no longer listed")) }
            }
            @for v in villages {
                tr { td { (v.kode_desa) } td { (v.listed) } td { (v.no_longer_listed) } }
            }
        }
    }
}

/// The page: `notice` (a form, with what became of an upload above it), then the villages.
async fn show_page(hub: &Hub, notice: Markup) -> PageResult {
    let villages = crate::prelist::villages(&hub.db).await?;
    Ok(page("Prelist", html! { (notice) (villages_table(&villages)) }))
}

pub async fn show(State(hub): State<Hub>) -> PageResult {
    show_page(&hub, form(None, false)).await
}

/// What the upload form sent: the file and the mapping fields.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    choice: Option<ColumnChoice>,
}

async fn read_upload(multipart: &mut Multipart) -> Result<Upload, PageError> {
    let mut file = None;
    let mut header_row = String::new();
    let mut letters: BTreeMap<Target, String> = BTreeMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::new(e.status(), format!("Unggahan terputus (upload cut off): {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| {
            PageError::new(e.status(), format!("Berkas tidak terbaca (file unreadable): {e}"))
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
        return Err(PageError::bad_request(
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
                PageError::bad_request(format!(
                    "{letter:?} bukan huruf kolom seperti G atau AB (not a column letter), untuk {}",
                    target.id()
                ))
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

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> PageResult {
    let Upload { name, bytes, choice } = read_upload(&mut multipart).await?;
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
            let notice = refused(
                &name,
                &e.to_string(),
                html! {},
                form(choice.as_ref(), choice.is_some()),
            );
            return show_page(&hub, notice).await;
        }
        Err(crate::heavy::Busy) => {
            return Err(PageError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Server sedang sibuk membaca berkas lain; coba lagi sebentar lagi. \
                 (The hub is busy reading other files; try again shortly.)",
            ))
        }
    };
    let outcome = match mapped {
        Ok(prelist) => import(&hub.db, &name, &prelist, &by)
            .await
            .map(|m| (m, prelist.families.len())),
        Err(e) => Err(e),
    };
    let notice = match outcome {
        Ok((m, families)) => html! {
            p class="ok" data-testid="prelist-imported" {
                (bi(
                    &format!(
                        "{name}: {families} keluarga; {} baru, {} berubah, {} tetap, {} tidak lagi dalam daftar (disimpan). Kunjungan yang sudah ada tidak berubah.",
                        m.added, m.changed, m.unchanged, m.no_longer_listed
                    ),
                    "imported; visits already made are unchanged",
                ))
            }
            (form(None, false))
        },
        Err(e) => {
            // The mapping form again, filled with what was sent or what the preset found,
            // under the sheet's first rows with their letters.
            let found = choice.clone().or_else(|| {
                detect(&sheet, &P3KE_PRESET).map(|m| ColumnChoice {
                    header_row: m.header_row + 1,
                    columns: m.columns,
                })
            });
            refused(&name, &e.to_string(), preview(&sheet), form(found.as_ref(), true))
        }
    };
    show_page(&hub, notice).await
}

/// A list not imported: why (every cell it could not accept), then `preview` and `form`.
fn refused(name: &str, why: &str, preview: Markup, form: Markup) -> Markup {
    html! {
        div class="bad" data-testid="prelist-refused" {
            p {
                (bi(
                    &format!("{name} ditolak; tidak ada yang diimpor."),
                    "refused; nothing imported",
                ))
            }
            pre { (why) }
        }
        (preview)
        (form)
    }
}
