//! The district web UI (Bahasa Indonesia first, English second), served by the hub under
//! `/admin`: plain server-rendered HTML forms, usable on an office PC or a phone.
//!
//! - [`session`]: sign-in with the admin password, a cookie per browser;
//! - [`upload`]: batch files received by hand → stored, a receipt file to give back;
//! - [`records`]: households by village, enumerator, status; one household; review;
//! - [`enumerators`]: add, enrolment code and its QR, revoke;
//! - [`export`]: the merged export;
//! - [`prelist`]: the district's list of families to verify;
//! - [`audit`]: the audit trail, filtered and downloaded.

pub mod audit;
pub mod enumerators;
pub mod export;
pub mod guard;
pub mod page;
pub mod prelist;
pub mod records;
pub mod session;
pub mod throttle;
pub mod upload;

use crate::Hub;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

/// The most a district form (not a file upload) may send: a note, a list of villages.
pub const FORM_BYTES: usize = 64 << 10;

/// The district pages. Every one but the sign-in page sits behind [`guard::require`], which
/// settles the session (and, for a change, the origin and the form token) before any body is
/// read; forms may send [`FORM_BYTES`], the two file uploads four times the upload limit.
pub fn routes(hub: &Hub) -> Router<Hub> {
    let files = usize::try_from(hub.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_mul(4);
    let uploads = Router::new()
        .route("/admin/unggah", get(upload::show).post(upload::receive))
        .route("/admin/prelist", get(prelist::show).post(prelist::receive))
        .layer(DefaultBodyLimit::max(files));
    let sign_in = Router::new()
        .route("/admin/masuk", get(session::sign_in_page).post(session::sign_in))
        .layer(from_fn(guard::sign_in_gate))
        .layer(DefaultBodyLimit::max(FORM_BYTES));
    pages()
        .layer(DefaultBodyLimit::max(FORM_BYTES))
        .merge(uploads)
        .layer(from_fn_with_state(hub.clone(), guard::require))
        .merge(sign_in)
}

fn pages() -> Router<Hub> {
    Router::new()
        .route("/admin", get(records::home))
        .route("/admin/keluar", post(session::sign_out))
        .route("/admin/keluarga", get(records::list))
        .route("/admin/keluarga/{id}", get(records::view))
        .route("/admin/keluarga/{id}/tinjauan", post(records::review))
        .route("/admin/keluarga/{id}/versi", post(records::choose_version))
        .route("/admin/tanda-terima/{batch_id}", get(upload::receipt_file))
        .route("/admin/petugas", get(enumerators::list).post(enumerators::add))
        .route("/admin/petugas/{id}/kode", post(enumerators::new_code))
        .route("/admin/petugas/{id}/cabut", post(enumerators::revoke))
        .route(
            "/admin/petugas/{id}/penugasan.json",
            get(enumerators::assignment_file),
        )
        .route("/admin/ekspor", get(export::show))
        .route("/admin/ekspor/unduh", get(export::download))
        .route("/admin/audit", get(audit::show))
        .route("/admin/audit/unduh", get(audit::download))
}
