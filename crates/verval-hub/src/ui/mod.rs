//! The district web UI (Bahasa Indonesia first, English second), served by the hub under
//! `/admin`: plain server-rendered HTML forms, usable on an office PC or a phone.
//!
//! - [`session`]: sign-in with the admin password, a cookie per browser;
//! - [`upload`]: batch files received by hand → stored, a receipt file to give back;
//! - [`records`]: households by village, enumerator, status; one household; review;
//! - [`enumerators`]: add, enrolment code and its QR, revoke;
//! - [`export`]: the merged export;
//! - [`prelist`]: the district's list of families to verify.

pub mod enumerators;
pub mod export;
pub mod page;
pub mod prelist;
pub mod records;
pub mod session;
pub mod upload;

use crate::Hub;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<Hub> {
    Router::new()
        .route("/admin", get(records::home))
        .route("/admin/masuk", get(session::sign_in_page).post(session::sign_in))
        .route("/admin/keluar", post(session::sign_out))
        .route("/admin/keluarga", get(records::list))
        .route("/admin/keluarga/{id}", get(records::view))
        .route("/admin/keluarga/{id}/tinjauan", post(records::review))
        .route("/admin/keluarga/{id}/versi", post(records::choose_version))
        .route("/admin/unggah", get(upload::show).post(upload::receive))
        .route("/admin/tanda-terima/{batch_id}", get(upload::receipt_file))
        .route("/admin/petugas", get(enumerators::list).post(enumerators::add))
        .route("/admin/petugas/{id}/kode", post(enumerators::new_code))
        .route("/admin/petugas/{id}/cabut", post(enumerators::revoke))
        .route(
            "/admin/petugas/{id}/penugasan.json",
            get(enumerators::assignment_file),
        )
        .route("/admin/ekspor", get(export::show))
        .route("/admin/prelist", get(prelist::show).post(prelist::receive))
        .route("/admin/ekspor/unduh", get(export::download))
}
