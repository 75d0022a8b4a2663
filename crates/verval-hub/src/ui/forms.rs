//! "Formulir" (issue #25): the district's own forms, imported from XLSForm. The upload
//! answers with every problem of the file in a table (sheet, row, column, cell, message),
//! or the form stored; the list shows each version with its definition to download. The
//! reading and storing live in [`crate::forms`].

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::page::{attachment, bi, page, streamed_attachment};
use crate::audit::Actor;
use crate::export::ExportError;
use crate::forms::{self, FormError};
use crate::Hub;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use maud::{html, Markup};
use verval_core::export::people;

pub const PAGE: &str = "/admin/formulir";
/// A version's definition, as JSON.
pub const DEFINITION: &str = "/admin/formulir/{form_id}/{version}";
/// Publishing a version to phones (POST).
pub const PUBLISH: &str = "/admin/formulir/{form_id}/{version}/terbitkan";
/// A form's records, every version together: a workbook, or a zip of CSVs.
pub const EXPORT_XLSX: &str = "/admin/formulir/{form_id}/ekspor.xlsx";
pub const EXPORT_CSV: &str = "/admin/formulir/{form_id}/ekspor.zip";

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
    let counts = crate::form_records::counts(&hub.db).await?;
    let published = forms::published(&hub.db).await?;
    let zone = hub.config.time_zone;
    Ok(html! {
        (records(&counts))
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
                    th { (bi("Ke HP", "to phones")) }
                    th { (bi("Definisi", "definition")) }
                }
                @for f in &stored {
                    tr data-form=(f.form_id) data-version=(f.version) {
                        td { (f.form_id) }
                        td { (f.version) }
                        td { (f.title) }
                        td { (zone.format(f.imported_at)) " " (zone.code()) " · " (f.imported_by) }
                        td {
                            @if published.iter().any(|p| p.id == f.form_id && p.version == f.version) {
                                span.ok data-testid="form-published" { (bi("Terbit: dikirim bersama penugasan", "published with the assignment")) }
                            } @else {
                                form method="post" action=(post_action(&publish_path(&f.form_id, &f.version))) {
                                    button data-testid="publish-form" { (bi("Terbitkan ke HP", "publish to phones")) }
                                }
                            }
                        }
                        td {
                            a href={ (PAGE) "/" (f.form_id) "/" (f.version) } { "JSON" }
                        }
                    }
                }
            }
        }
    })
}

fn publish_path(form_id: &str, version: &str) -> String {
    PUBLISH
        .replace("{form_id}", form_id)
        .replace("{version}", version)
}

/// The records each form has at the hub, with their exports.
fn records(counts: &[(String, i64)]) -> Markup {
    html! {
        @if !counts.is_empty() {
            h2 { (bi("Data formulir yang diterima", "form records received")) }
            table data-testid="form-records" {
                tr {
                    th { "form_id" }
                    th { (bi("Rekaman", "records")) }
                    th { (bi("Ekspor", "export")) }
                }
                @for (form_id, count) in counts {
                    tr data-form=(form_id) {
                        td { (form_id) }
                        td data-testid="form-record-count" { (count) }
                        td {
                            a data-testid="form-export-xlsx" href=(EXPORT_XLSX.replace("{form_id}", form_id)) { "XLSX" }
                            " · "
                            a data-testid="form-export-csv" href=(EXPORT_CSV.replace("{form_id}", form_id)) { "CSV (zip)" }
                        }
                    }
                }
            }
        }
    }
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

/// Publishes a version: every assignment from now on carries it.
pub async fn publish(
    State(hub): State<Hub>,
    by: Actor,
    Path((form_id, version)): Path<(String, String)>,
) -> PageResult {
    let outcome = match forms::publish(&hub.db, &form_id, &version, &by).await {
        Ok(None) => return Err(PageError::not_found("Formulir tidak dikenal (unknown form).")),
        Ok(Some(_)) => html! {
            p.ok data-testid="form-publish-done" {
                (bi(
                    &format!("Formulir {form_id} versi {version} terbit: HP menerimanya bersama penugasan berikutnya (sinkron atau berkas penugasan)."),
                    "published: phones get it with their next assignment (sync or assignment file)",
                ))
            }
        },
        Err(FormError::Db(e)) => return Err(e.into()),
        Err(e) => html! { p.bad { (e.to_string()) } },
    };
    let body = html! { (outcome) (form()) (listing(&hub).await?) };
    Ok(page("Formulir", body))
}

/// A form's records as a workbook.
pub async fn export_xlsx(
    State(hub): State<Hub>,
    by: Actor,
    Path(form_id): Path<String>,
) -> Result<Response, PageError> {
    export(&hub, &by, &form_id, "xlsx").await
}

/// A form's records as a zip of CSVs (one per table) with the workbook.
pub async fn export_csv(
    State(hub): State<Hub>,
    by: Actor,
    Path(form_id): Path<String>,
) -> Result<Response, PageError> {
    export(&hub, &by, &form_id, "csv").await
}

async fn export(hub: &Hub, by: &Actor, form_id: &str, format: &str) -> Result<Response, PageError> {
    let failed = |e: &dyn std::fmt::Display| PageError::internal(e.to_string());
    let made = match forms::record_tables(&hub.db, form_id, hub.config.time_zone).await {
        Ok(made) => made,
        Err(FormError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(failed(&e)),
    };
    if made.count == 0 {
        return Err(PageError::not_found(
            "Belum ada data formulir ini di server (no records of this form yet).",
        ));
    }
    let regions = hub.regions.names_in(made.tables.iter());
    let response = match format {
        "xlsx" => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{form_id}.xlsx"),
            people::workbook(&made.tables, &regions).map_err(|e| failed(&ExportError::from(e)))?,
        ),
        // The zip carries the records' photos beside the tables, at the paths they name.
        _ => {
            let zip = crate::export_photos::zip_with_form_photos(
                &hub.db,
                form_id,
                made.tables,
                made.photos,
                regions,
            )
            .await
            .map_err(|e| failed(&e))?;
            streamed_attachment("application/zip", &format!("{form_id}.zip"), zip.file, zip.bytes)
        }
    };
    forms::audit_export(&hub.db, by, form_id, format, made.count).await?;
    Ok(response)
}
