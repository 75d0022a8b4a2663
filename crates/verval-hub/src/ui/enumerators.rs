//! Enumerators: who may send records for which villages; their one-time enrolment codes
//! (with a QR that opens the app and enrols it); revoking a lost phone.

use super::guard::post_action;
use super::page::{bi, esc, page, problem};
use crate::audit::{self, Action, Actor, Event};
use crate::enrol::{self, EnrolError};
use crate::public_url::PublicUrl;
use crate::secret::display_code;
use crate::Hub;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use qrcode::render::svg;
use qrcode::QrCode;
use serde::Deserialize;
use std::net::SocketAddr;

/// What the QR holds: the app's address with the code, so scanning it opens the app on
/// this hub and enrols the phone. The address is the configured public URL, never a request
/// header a client can set; without one, only a request from this computer (a district
/// officer at the hub's own machine, not one passed on by a proxy) gets an address, the one
/// it used.
pub fn enrol_url(
    public_url: Option<&PublicUrl>,
    peer: SocketAddr,
    headers: &HeaderMap,
    code: &str,
) -> Result<String, String> {
    if let Some(url) = public_url {
        return Ok(format!("{}/?daftar={code}", url.origin()));
    }
    // A proxy on this machine (Caddy) makes every phone's request come from loopback; the
    // header it adds says the request came from elsewhere.
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    if !peer.ip().is_loopback() || proxied {
        return Err(bi(
            "QR tidak dibuat: alamat publik hub belum diatur (serve --public-url https://…). Alamat dari permintaan ini bisa dipalsukan. Ketik kodenya di aplikasi.",
            "no QR: the hub's public URL is not set, and a request's address can be forged; type the code in the app",
        ));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    Ok(format!("http://{host}/?daftar={code}"))
}

fn refused(e: EnrolError) -> Response {
    let status = if matches!(e, EnrolError::Db(_) | EnrolError::Secret(_)) {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    problem(status, &e.to_string())
}

fn add_form() -> String {
    format!(
        "<h2>Tambah petugas <span class=\"en\">(add an enumerator)</span></h2>\
         <form method=\"post\" action=\"{action}\">\
         <label for=\"nama\">{}</label><input id=\"nama\" name=\"nama\" required>\
         <label for=\"desa\">{}</label><textarea id=\"desa\" name=\"desa\" rows=\"2\" cols=\"40\" required placeholder=\"35.13.14.2001\"></textarea>\
         <p><button data-testid=\"add-enumerator\">Tambah <span class=\"en\">(add)</span></button></p></form>",
        bi("Nama petugas", "name"),
        bi("Kode desa, satu per baris atau dipisah koma", "village codes, one per line or comma-separated"),
        action = post_action("/admin/petugas"),
    )
}

pub async fn list(State(hub): State<Hub>) -> Response {
    let all = match enrol::list(&hub.db).await {
        Ok(all) => all,
        Err(e) => return refused(e),
    };
    let mut html = String::from("<table data-testid=\"enumerators\"><tr><th>ID</th><th>Nama</th><th>Desa</th><th>Perangkat aktif</th><th></th></tr>");
    for e in all {
        html.push_str(&format!(
            "<tr><td>{id}</td><td>{}</td><td>{}</td><td>{}</td><td>\
             <form method=\"post\" action=\"{code}\"><button data-testid=\"new-code\">Kode baru</button></form>\
             <form method=\"post\" action=\"{revoke}\"><button data-testid=\"revoke\">Cabut akses</button></form>\
             <a href=\"/admin/petugas/{id}/penugasan.json\" data-testid=\"assignment-file\">Unduh berkas penugasan</a></td></tr>",
            esc(&e.name),
            esc(&e.villages.join(", ")),
            e.active_devices,
            id = esc(&e.id),
            code = post_action(&format!("/admin/petugas/{}/kode", esc(&e.id))),
            revoke = post_action(&format!("/admin/petugas/{}/cabut", esc(&e.id))),
        ));
    }
    html.push_str("</table>");
    html.push_str(&add_form());
    page("Petugas", true, &html).into_response()
}

fn code_page(hub: &Hub, peer: SocketAddr, headers: &HeaderMap, who: &str, code: &str) -> Response {
    let (qr, address) = match enrol_url(hub.config.public_url.as_ref(), peer, headers, code) {
        Ok(url) => {
            let qr = QrCode::new(url.as_bytes())
                .map(|qr| qr.render::<svg::Color<'_>>().min_dimensions(220, 220).build())
                .unwrap_or_default();
            (
                qr,
                format!(
                    "<p><code data-testid=\"enrolment-address\">{}</code></p>",
                    esc(&url)
                ),
            )
        }
        Err(why) => (
            String::new(),
            format!("<p class=\"bad\" data-testid=\"no-qr\">{why}</p>"),
        ),
    };
    let body = format!(
        "<p>{}</p><p class=\"code\" data-testid=\"enrolment-code\">{}</p><div data-testid=\"enrolment-qr\">{qr}</div>\
         {address}<p>{}</p><p><a href=\"/admin/petugas\">Kembali</a></p>",
        bi(
            &format!("Kode pendaftaran untuk {who}: sekali pakai, berlaku 14 hari."),
            "one-time enrolment code, valid 14 days"
        ),
        esc(&display_code(code)),
        bi(
            "Pindai QR dengan kamera ponsel petugas, atau ketik kodenya di aplikasi (menu Kirim).",
            "scan the QR with the enumerator's phone, or type the code in the app"
        )
    );
    page("Kode pendaftaran", true, &body).into_response()
}

#[derive(Deserialize)]
pub struct NewEnumerator {
    nama: String,
    desa: String,
}

pub async fn add(
    State(hub): State<Hub>,
    by: Actor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(input): Form<NewEnumerator>,
) -> Response {
    let villages: Vec<String> = input
        .desa
        .split([',', '\n', ' ', '\r', ';'])
        .filter(|v| !v.trim().is_empty())
        .map(str::to_owned)
        .collect();
    match enrol::add_enumerator(&hub.db, &input.nama, &villages, &by).await {
        Ok((who, code)) => code_page(&hub, peer, &headers, &who.name, &code),
        Err(e) => refused(e),
    }
}

pub async fn new_code(
    State(hub): State<Hub>,
    by: Actor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let made = async {
        let who = enrol::find(&hub.db, &id).await?;
        let code = enrol::new_code(&hub.db, &id, &by).await?;
        Ok::<_, EnrolError>((who, code))
    };
    match made.await {
        Ok((who, code)) => code_page(&hub, peer, &headers, &who.name, &code),
        Err(e) => refused(e),
    }
}

pub async fn revoke(State(hub): State<Hub>, by: Actor, Path(id): Path<String>) -> Response {
    match enrol::revoke(&hub.db, &id, &by).await {
        Ok(n) => page(
            "Akses dicabut",
            true,
            &format!(
                "<p data-testid=\"revoked\">{}</p><p><a href=\"/admin/petugas\">Kembali</a></p>",
                bi(
                    &format!("{n} perangkat petugas {id} tidak dapat mengirim lagi; kode yang belum dipakai tidak berlaku."),
                    "devices revoked, unused codes expired"
                )
            ),
        )
        .into_response(),
        Err(e) => refused(e),
    }
}

/// The enumerator's assignment as a file (`penugasan-<id>.json`), for a phone that never
/// reaches the hub: the same JSON `GET /api/v1/assignment` answers, which the app imports.
pub async fn assignment_file(State(hub): State<Hub>, by: Actor, Path(id): Path<String>) -> Response {
    let enumerator = match enrol::find(&hub.db, &id).await {
        Ok(e) => e,
        Err(e) => return refused(e),
    };
    let families = match crate::prelist::families_of(&hub.db, &enumerator.villages).await {
        Ok(f) => f,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let assignment = verval_core::sync::api::Assignment {
        hub: hub.config.name.clone(),
        enumerator: enumerator.name,
        villages: enumerator.villages,
        families,
    };
    let body = match serde_json::to_vec(&assignment) {
        Ok(body) => body,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    // The file lists the families' NIKs and KK numbers: handed out only once on record.
    let event = Event::new(
        Action::AssignmentDownload,
        serde_json::json!({
            "petugas_id": id,
            "desa": assignment.villages,
            "keluarga_prelist": assignment.families.len(),
        }),
    );
    if let Err(e) = audit::record(&hub.db, &by, &event).await {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    // The id is the hub's own (letters, digits, dashes), safe in a header.
    let name = format!(
        "attachment; filename=\"penugasan-{}.json\"",
        id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response()
}
