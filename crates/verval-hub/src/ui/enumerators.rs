//! Enumerators: who may send records for which villages; their one-time enrolment codes
//! (with a QR that opens the app and enrols it); revoking a lost phone. The queries live in
//! [`crate::enrol`].

use super::app_link::{app_url, qr_svg, NO_QR};
use super::error::{database_failed, PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::{attachment, bi, page};
use super::village_share;
use crate::audit::{self, Action, Actor, Event};
use crate::enrol::{self, EnrolError};
use crate::public_url::PublicUrl;
use crate::secret::display_code;
use crate::Hub;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{html, Markup};
use std::collections::HashMap;
use std::net::SocketAddr;

/// What an enrolment QR holds: the app's address with the code, so scanning it opens the app
/// on this hub and enrols the phone ([`app_url`] says which address).
pub fn enrol_url(
    public_url: Option<&PublicUrl>,
    peer: SocketAddr,
    headers: &HeaderMap,
    code: &str,
) -> Result<String, String> {
    app_url(public_url, peer, headers, &format!("/?daftar={code}"))
}

/// An enrolment refused: the hub's own failure, or what was asked is wrong (an unknown
/// enumerator included).
fn refused(e: EnrolError) -> PageError {
    match e {
        EnrolError::Db(e) => e.into(),
        e @ EnrolError::Secret(_) => PageError::internal(e.to_string()),
        e => PageError::bad_request(e.to_string()),
    }
}

fn add_form() -> Markup {
    html! {
        h2 { (bi("Tambah petugas", "add an enumerator")) }
        form method="post" action=(post_action("/admin/petugas")) {
            label for="nama" { (bi("Nama petugas", "name")) }
            input id="nama" name="nama" required;
            label for="desa" {
                (bi("Kode desa, satu per baris atau dipisah koma", "village codes, one per line or comma-separated"))
            }
            textarea id="desa" name="desa" rows="2" cols="40" required placeholder="35.13.14.2001" {}
            p { button data-testid="add-enumerator" { (bi("Tambah", "add")) } }
        }
    }
}

pub async fn list(State(hub): State<Hub>) -> PageResult {
    let all = enrol::list(&hub.db).await.map_err(refused)?;
    let body = html! {
        table data-testid="enumerators" {
            tr { th { "ID" } th { "Nama" } th { "Desa" } th { "Perangkat aktif" } th {} }
            @for e in &all {
                tr {
                    td { (e.id) }
                    td { (e.name) }
                    td {
                        (e.villages.iter().map(|v| match e.shares.get(v) {
                            Some(share) => format!("{} ({})", hub.regions.village_label(v), share.describe()),
                            None => hub.regions.village_label(v),
                        }).collect::<Vec<_>>().join(", "))
                    }
                    td { (e.active_devices) }
                    td {
                        form method="post" action=(post_action(&format!("/admin/petugas/{}/kode", e.id))) {
                            button data-testid="new-code" { (bi("Kode baru", "new code")) }
                        }
                        form method="post" action=(post_action(&format!("/admin/petugas/{}/cabut", e.id))) {
                            button data-testid="revoke" { (bi("Cabut akses", "revoke access")) }
                        }
                        a href={ "/admin/petugas/" (e.id) "/penugasan.json" } data-testid="assignment-file" {
                            "Unduh berkas penugasan"
                        }
                    }
                }
            }
        }
        (add_form())
    };
    Ok(page("Petugas", body))
}

/// A new code, its QR and the address the QR holds (or why there is none).
fn code_page(hub: &Hub, peer: SocketAddr, headers: &HeaderMap, who: &str, code: &str) -> Response {
    let url = enrol_url(hub.config.public_url.as_ref(), peer, headers, code).ok();
    let qr = url.as_deref().map(qr_svg);
    let body = html! {
        p {
            (bi(
                &format!("Kode pendaftaran untuk {who}: sekali pakai, berlaku 14 hari."),
                "one-time enrolment code, valid 14 days",
            ))
        }
        p class="code" data-testid="enrolment-code" { (display_code(code)) }
        div data-testid="enrolment-qr" { @if let Some(qr) = qr { (qr) } }
        @match &url {
            Some(url) => { p { code data-testid="enrolment-address" { (url) } } }
            None => { p class="bad" data-testid="no-qr" { (bi(NO_QR.0, NO_QR.1)) " " (bi("Ketik kodenya di aplikasi.", "type the code in the app")) } }
        }
        p {
            (bi(
                "Pindai QR dengan kamera ponsel petugas, atau ketik kodenya di aplikasi (menu Kirim).",
                "scan the QR with the enumerator's phone, or type the code in the app",
            ))
        }
        p { a href="/admin/petugas" { "Kembali" } }
    };
    page("Kode pendaftaran", body)
}

/// Adds an enumerator (the form's `nama` and `desa`); a village someone already has is
/// first asked about ([`village_share`]).
pub async fn add(
    State(hub): State<Hub>,
    by: Actor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<HashMap<String, String>>,
) -> PageResult {
    let (name, typed) = (
        input.get("nama").map_or("", String::as_str),
        input.get("desa").map_or("", String::as_str),
    );
    let villages: Vec<String> = typed
        .split([',', '\n', ' ', '\r', ';'])
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().to_owned())
        .collect();
    if let Some(why) = hub.regions.refuse_unknown(&villages) {
        return Err(PageError::bad_request(why));
    }
    let held = enrol::holders(&hub.db, &villages).await.map_err(refused)?;
    let Some(shares) = village_share::shares_from(&input, &held)? else {
        return village_share::ask(&hub, name, typed, &held).await;
    };
    let (who, code) = enrol::add_enumerator_sharing(&hub.db, name, &villages, &shares, &by)
        .await
        .map_err(refused)?;
    Ok(code_page(&hub, peer, &headers, &who.name, &code))
}

pub async fn new_code(
    State(hub): State<Hub>,
    by: Actor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let who = enrol::find(&hub.db, &id).await.map_err(refused)?;
    let code = enrol::new_code(&hub.db, &id, &by).await.map_err(refused)?;
    Ok(code_page(&hub, peer, &headers, &who.name, &code))
}

pub async fn revoke(State(hub): State<Hub>, by: Actor, Path(id): Path<String>) -> PageResult {
    let n = enrol::revoke(&hub.db, &id, &by).await.map_err(refused)?;
    let body = html! {
        p data-testid="revoked" {
            (bi(
                &format!("{n} perangkat petugas {id} tidak dapat mengirim lagi; kode yang belum dipakai tidak berlaku."),
                "devices revoked, unused codes expired",
            ))
        }
        p { a href="/admin/petugas" { "Kembali" } }
    };
    Ok(page("Akses dicabut", body))
}

/// The enumerator's assignment as a file (`penugasan-<id>.json`), for a phone that never
/// reaches the hub: the same JSON `GET /api/v1/assignment` answers, which the app imports.
pub async fn assignment_file(State(hub): State<Hub>, by: Actor, Path(id): Path<String>) -> PageResult {
    let enumerator = enrol::find(&hub.db, &id).await.map_err(refused)?;
    let assignment = crate::prelist::assignment(&hub.db, &hub.config, &enumerator)
        .await
        .map_err(|e| database_failed(&e))?;
    let body = serde_json::to_vec(&assignment).map_err(|e| PageError::internal(e.to_string()))?;
    // The file lists the families' NIKs and KK numbers: handed out only once on record.
    let event = Event::new(
        Action::AssignmentDownload,
        serde_json::json!({
            "petugas_id": id,
            "desa": assignment.villages,
            "keluarga_prelist": assignment.families.len(),
        }),
    );
    audit::record(&hub.db, &by, &event).await?;
    // The id is the hub's own (letters, digits, dashes); anything else is dropped from the
    // file's name.
    let name = format!(
        "penugasan-{}.json",
        id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    Ok(attachment("application/json", &name, body))
}
