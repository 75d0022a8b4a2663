//! The merged export from the browser: a profile, a region, a format.

use super::error::{PageError, PageResult};
use super::input::Query;
use super::page::{attachment, bi, page, streamed_attachment};
use super::session::Session;
use crate::audit::Actor;
use crate::export::{self, ExportError};
use crate::export_photos;
use crate::staff::Right;
use crate::Hub;
use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use verval_core::export::{csv, people, Profile, RegionNames};

/// The files the page offers, each once: what the form sends, what the staff member reads.
#[derive(Clone, Copy, PartialEq)]
enum Format {
    /// One workbook, a sheet per table.
    Workbook,
    /// A CSV per table, with the workbook.
    Zip,
    /// The per-village recap as one CSV.
    Recap,
    /// A CSV per table, the workbook, and every household's photos and signature
    /// (`export_photos`), streamed from a temporary file.
    ZipPhotos,
}

impl Format {
    const ALL: [Format; 4] = [Format::Workbook, Format::Zip, Format::ZipPhotos, Format::Recap];

    fn code(self) -> &'static str {
        match self {
            Format::Workbook => "xlsx",
            Format::Zip => "zip",
            Format::Recap => "rekap",
            Format::ZipPhotos => "zip_foto",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Format::Workbook => "XLSX (satu buku kerja)",
            Format::Zip => "ZIP (CSV per tabel + XLSX)",
            Format::Recap => "Rekap per desa (CSV)",
            Format::ZipPhotos => "ZIP + foto (CSV, XLSX, foto dan tanda tangan; besar)",
        }
    }

    fn parse(code: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code() == code)
    }
}

pub async fn show() -> Response {
    let body = html! {
        form method="get" action="/admin/ekspor/unduh" {
            label for="profil" { (bi("Profil", "profile")) }
            select id="profil" name="profil" {
                @for profile in Profile::ALL {
                    option value=(profile.id()) { (profile.label().id) }
                }
            }
            label for="wilayah" { (bi("Wilayah (kosong = semua)", "region, empty for all")) }
            input id="wilayah" name="wilayah" placeholder="35.13";
            label for="format" { (bi("Format", "format")) }
            select id="format" name="format" {
                @for format in Format::ALL {
                    option value=(format.code()) { (format.label()) }
                }
            }
            p { button data-testid="export" { (bi("Unduh", "download")) } }
        }
    };
    page("Ekspor", body)
}

#[derive(Deserialize)]
pub struct Choice {
    profil: String,
    #[serde(default)]
    wilayah: String,
    format: String,
}

pub async fn download(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Query(choice): Query<Choice>,
) -> PageResult {
    let account = &session.account;
    let profile = Profile::parse(&choice.profil).ok_or_else(|| {
        PageError::bad_request(
            verval_core::export::profile::UnknownProfile(choice.profil.clone()).to_string(),
        )
    })?;
    let region = super::input::region(&choice.wilayah)?;
    let format = Format::parse(&choice.format).ok_or_else(|| {
        PageError::bad_request(format!(
            "Format {:?} tidak dikenal (unknown format).",
            choice.format
        ))
    })?;
    let today = hub.config.time_zone.today();
    let mut made = export::prepare(
        &hub.db,
        profile,
        region.as_ref(),
        &account.scope,
        &hub.regions,
        today,
    )
    .await
    .map_err(export_failed)?;
    if !account.role.may(Right::SeeIdentity) {
        made.mask_identity_numbers();
    }
    let stem = format!(
        "verval-{}-{}-{}",
        profile.id(),
        region
            .as_ref()
            .map_or("semua".to_owned(), |r| r.as_str().replace('.', "")),
        today.to_string().replace('-', "")
    );
    // The workbooks name each region beside its code.
    let regions = std::mem::take(&mut made.names);
    let (delivered, content_type, name, bytes) = match format {
        Format::Recap => {
            let recap = made
                .tables
                .iter()
                .find(|t| t.name == "rekap")
                .ok_or_else(|| export_failed(ExportError::Write("no recap table".to_owned())))?;
            (
                vec![recap],
                "text/csv; charset=utf-8",
                format!("{stem}-rekap.csv"),
                csv::write_for_people(recap).into_bytes(),
            )
        }
        Format::Zip => (
            made.tables.iter().collect(),
            "application/zip",
            format!("{stem}.zip"),
            people::csv_zip(&made.tables, &regions).map_err(|e| export_failed(e.into()))?,
        ),
        Format::ZipPhotos => return photos_download(&hub, &session, &by, &made, &stem, regions).await,
        Format::Workbook => (
            made.tables.iter().collect(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
            people::workbook(&made.tables, &regions).map_err(|e| export_failed(e.into()))?,
        ),
    };
    made.audit(&hub.db, &by, format.code(), &delivered)
        .await
        .map_err(export_failed)?;
    Ok(attachment(content_type, &name, bytes))
}

/// The tables with every household's photos and signature, streamed (`export_photos`);
/// photos of identity documents only for those who may see identity numbers.
async fn photos_download(
    hub: &Hub,
    session: &Session,
    by: &Actor,
    made: &export::Export,
    stem: &str,
    regions: RegionNames,
) -> PageResult {
    let account = &session.account;
    let see_identity = account.role.may(Right::SeeIdentity);
    let zip = export_photos::zip_with_photos(&hub.db, made, &account.scope, see_identity, regions)
        .await
        .map_err(export_failed)?;
    let delivered: Vec<_> = made.tables.iter().collect();
    made.audit(&hub.db, by, Format::ZipPhotos.code(), &delivered)
        .await
        .map_err(export_failed)?;
    Ok(streamed_attachment(
        "application/zip",
        &format!("{stem}-foto.zip"),
        zip.file,
        zip.bytes,
    ))
}

/// Nothing to export is the staff member's to know (404); anything else is the hub's fault.
fn export_failed(e: ExportError) -> PageError {
    match e {
        ExportError::Empty => PageError::not_found(e.to_string()),
        other => PageError::internal(other.to_string()),
    }
}
