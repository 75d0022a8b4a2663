//! The merged export from the browser: a profile, a region, a format.

use super::page::{attachment, bi, page, problem};
use super::session::Session;
use crate::audit::Actor;
use crate::export::{self, ExportError};
use crate::staff::Right;
use crate::Hub;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use verval_core::export::{csv, Profile};
use verval_core::region::RegionCode;

pub async fn show() -> Response {
    let profiles: String = Profile::ALL
        .iter()
        .map(|p| format!("<option value=\"{}\">{}</option>", p.id(), p.label().id))
        .collect();
    let body = format!(
        "<form method=\"get\" action=\"/admin/ekspor/unduh\">\
         <label for=\"profil\">{}</label><select id=\"profil\" name=\"profil\">{profiles}</select>\
         <label for=\"wilayah\">{}</label><input id=\"wilayah\" name=\"wilayah\" placeholder=\"35.13\">\
         <label for=\"format\">{}</label><select id=\"format\" name=\"format\">\
         <option value=\"xlsx\">XLSX (satu buku kerja)</option>\
         <option value=\"zip\">ZIP (CSV per tabel + XLSX)</option>\
         <option value=\"rekap\">Rekap per desa (CSV)</option></select>\
         <p><button data-testid=\"export\">Unduh <span class=\"en\">(download)</span></button></p></form>",
        bi("Profil", "profile"),
        bi("Wilayah (kosong = semua)", "region, empty for all"),
        bi("Format", "format"),
    );
    page("Ekspor", true, &body).into_response()
}

/// The formats the page offers: a workbook, a zip of CSVs with the workbook, the recap.
const FORMATS: [&str; 3] = ["xlsx", "zip", "rekap"];

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
) -> Response {
    let account = &session.account;
    let Some(profile) = Profile::parse(&choice.profil) else {
        return problem(
            StatusCode::BAD_REQUEST,
            &format!("Profil {:?} tidak dikenal (unknown profile).", choice.profil),
        );
    };
    let wilayah = choice.wilayah.trim();
    let region = if wilayah.is_empty() {
        None
    } else {
        match RegionCode::parse(wilayah) {
            Ok(region) => Some(region),
            Err(e) => return problem(StatusCode::BAD_REQUEST, &format!("Kode wilayah salah: {e}")),
        }
    };
    if !FORMATS.contains(&choice.format.as_str()) {
        return problem(
            StatusCode::BAD_REQUEST,
            &format!("Format {:?} tidak dikenal (unknown format).", choice.format),
        );
    }
    let made = match export::prepare(
        &hub.db,
        profile,
        region.as_ref(),
        &account.scope,
        hub.config.time_zone.today(),
    )
    .await
    {
        Ok(mut made) => {
            if !account.role.may(Right::SeeIdentity) {
                made.mask_identity_numbers();
            }
            made
        }
        Err(ExportError::Empty) => return problem(StatusCode::NOT_FOUND, &ExportError::Empty.to_string()),
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let stem = format!(
        "verval-{}-{}-{}",
        profile.id(),
        region
            .as_ref()
            .map_or("semua".to_owned(), |r| r.as_str().replace('.', "")),
        hub.config.time_zone.today().to_string().replace('-', "")
    );
    let file = match choice.format.as_str() {
        "rekap" => made.tables.iter().find(|t| t.name == "rekap").map_or_else(
            || Err(ExportError::Write("no recap table".to_owned())),
            |t| {
                let bytes = csv::write_for_people(t).into_bytes();
                Ok((
                    vec![t],
                    "text/csv; charset=utf-8",
                    format!("{stem}-rekap.csv"),
                    bytes,
                ))
            },
        ),
        "zip" => export::csv_zip(&made.tables).map(|b| {
            (
                made.tables.iter().collect(),
                "application/zip",
                format!("{stem}.zip"),
                b,
            )
        }),
        _ => export::workbook(&made.tables).map(|b| {
            (
                made.tables.iter().collect(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format!("{stem}.xlsx"),
                b,
            )
        }),
    };
    let (delivered, content_type, name, bytes) = match file {
        Ok(file) => file,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    match made.audit(&hub.db, &by, &choice.format, &delivered).await {
        Ok(()) => attachment(content_type, &name, bytes),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
