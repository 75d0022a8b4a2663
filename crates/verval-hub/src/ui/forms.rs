//! "Formulir" (issue #25): the district's own forms, imported from XLSForm. The upload
//! answers with every problem of the file in a table (sheet, row, column, cell, message),
//! or the form stored; the list shows each version with its definition to download. The
//! reading and storing live in [`crate::forms`].

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::page::{attachment, bi, page};
use crate::audit::Actor;
use crate::forms::{self, FormError};
use crate::Hub;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use maud::{html, Markup};

pub const PAGE: &str = "/admin/formulir";
/// A version's definition, as JSON.
pub const DEFINITION: &str = "/admin/formulir/{form_id}/{version}";

fn form() -> Markup {
    html! {
        form method="post" action=(post_action(PAGE)) enctype="multipart/form-data" {
            label for="xlsform" { (bi("Berkas XLSForm (.xlsx: lembar survey, choices, settings)", "XLSForm file")) }
            input id="xlsform" name="xlsform" type="file" accept=".xlsx" required;
            p { button data-testid="import-form" { (bi("Impor formulir", "import the form")) } }
        }
    }
}

async fn listing(hub: &Hub) -> Result<Markup, PageError> {
    let stored = forms::list(&hub.db).await?;
    let zone = hub.config.time_zone;
    Ok(html! {
        h2 { (bi("Formulir yang sudah diimpor", "forms imported")) }
        @if stored.is_empty() {
            p.muted { (bi("Belum ada.", "none yet")) }
        } @else {
            table data-testid="forms" {
                tr {
                    th { "form_id" }
                    th { "version" }
                    th { (bi("Judul", "title")) }
                    th { (bi("Diimpor", "imported")) }
                    th { (bi("Definisi", "definition")) }
                }
                @for f in &stored {
                    tr data-form=(f.form_id) data-version=(f.version) {
                        td { (f.form_id) }
                        td { (f.version) }
                        td { (f.title) }
                        td { (zone.format(f.imported_at)) " " (zone.code()) " · " (f.imported_by) }
                        td {
                            a href={ (PAGE) "/" (f.form_id) "/" (f.version) } { "JSON" }
                        }
                    }
                }
            }
        }
    })
}

pub async fn show(State(hub): State<Hub>) -> PageResult {
    let body = html! {
        p {
            (bi(
                "Pertanyaan kabupaten sendiri sebagai XLSForm. Setiap masalah berkas disebut sekaligus dengan lembar, baris dan kolomnya.",
                "the district's own questions as an XLSForm; every problem of the file is named at once with its sheet, row and column",
            ))
        }
        (form())
        (listing(&hub).await?)
    };
    Ok(page("Formulir", body))
}

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> PageResult {
    let mut bytes = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        PageError::new(
            e.status(),
            format!("Unggahan terputus atau terlalu besar (upload cut off or too large): {e}"),
        )
    })? {
        if field.name() == Some("xlsform") {
            bytes = Some(field.bytes().await.map_err(|e| {
                PageError::new(e.status(), format!("Berkas tidak terbaca (file unreadable): {e}"))
            })?);
        }
    }
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| PageError::bad_request("Tidak ada berkas yang dipilih (no file chosen)."))?;
    let outcome = match forms::import(&hub.db, bytes.to_vec(), &by).await {
        Ok(imported) => html! {
            p.ok data-testid="form-imported" data-new=(imported.new) {
                @if imported.new {
                    (bi(
                        &format!("Formulir {} versi {} diimpor: {} isian.", imported.form_id, imported.version, imported.fields),
                        "form imported",
                    ))
                } @else {
                    (bi(
                        &format!("Formulir {} versi {} sudah diimpor dengan isi yang sama; tidak ada yang berubah.", imported.form_id, imported.version),
                        "imported already with the same content; nothing changed",
                    ))
                }
            }
        },
        Err(FormError::Problems(problems)) => html! {
            p.bad data-testid="form-refused" data-problems=(problems.len()) {
                (bi(
                    &format!("Formulir tidak diimpor: {} masalah. Perbaiki semuanya lalu unggah lagi.", problems.len()),
                    "not imported: fix every problem, then upload again",
                ))
            }
            table data-testid="form-problems" {
                tr {
                    th { (bi("Lembar", "sheet")) }
                    th { (bi("Baris", "row")) }
                    th { (bi("Kolom", "column")) }
                    th { (bi("Isi sel", "cell")) }
                    th { (bi("Masalah", "problem")) }
                }
                @for p in &problems {
                    tr {
                        td { (p.sheet) }
                        td { @if p.row > 0 { (p.row) } }
                        td { (p.column) }
                        td { (p.cell) }
                        td { (bi(&p.id, &p.en)) }
                    }
                }
            }
        },
        Err(FormError::Db(e)) => return Err(e.into()),
        Err(e) => html! { p.bad data-testid="form-refused" data-problems="1" { (e.to_string()) } },
    };
    let body = html! { (outcome) (form()) (listing(&hub).await?) };
    Ok(page("Formulir", body))
}

pub async fn download(
    State(hub): State<Hub>,
    Path((form_id, version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let definition = forms::definition(&hub.db, &form_id, &version)
        .await?
        .ok_or_else(|| PageError::not_found("Formulir tidak dikenal (unknown form)."))?;
    Ok(attachment(
        "application/json",
        &format!("{form_id}-{version}.json"),
        definition.into_bytes(),
    ))
}
