//! The district web UI (Bahasa Indonesia first, English second), served by the hub under
//! `/admin`: plain server-rendered HTML forms, usable on an office PC or a phone.
//!
//! - [`session`]: sign-in with a staff account, a cookie per browser;
//! - [`accounts`]: staff accounts, one's own password and sessions;
//! - [`upload`]: batch files received by hand → stored, a receipt file to give back;
//! - [`dashboard`]: the home page, the round's progress per kecamatan, village, enumerator;
//! - [`proof`]: proof of visit: flagged households, the map of visits;
//! - [`records`]: households by village, enumerator, status; one household; review;
//! - [`review_files`]: the district's decisions as a file for a phone that does not sync;
//! - [`enumerators`]: add, enrolment code and its QR, revoke;
//! - [`export`]: the merged export;
//! - [`prelist`]: the district's list of families to verify;
//! - [`sealed`]: sealed batches and the district's key; [`pin_reset`]: phones' forgotten PINs;
//!   [`phone_backup`]: a phone's backup moved to a new phone;
//! - [`audit`]: the audit trail, filtered and downloaded.

pub mod accounts;
pub mod aid;
pub mod app_link;
pub mod audit;
pub mod dashboard;
pub mod duplicates;
pub mod enumerators;
pub mod error;
pub mod export;
pub mod forms;
pub mod guard;
pub mod input;
pub mod musdes;
pub mod page;
pub mod phone_backup;
pub mod pin_reset;
pub mod prelist;
pub mod proof;
pub mod records;
pub mod review;
pub mod review_files;
pub mod sealed;
pub mod session;
pub mod siks_ng;
pub mod siks_results;
pub mod throttle;
pub mod upload;
pub mod village_share;

use crate::staff::Right;
use crate::Hub;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

/// The most a district form (not a file upload) may send: a note, a list of villages.
pub const FORM_BYTES: usize = 64 << 10;

/// A route's handlers behind the one check of the [`Right`] they need.
fn needs(right: Right, handlers: MethodRouter<Hub>) -> MethodRouter<Hub> {
    handlers.route_layer(from_fn_with_state(right, guard::check_right))
}

/// The district pages. Every one but the sign-in page sits behind [`guard::require`], which
/// settles the session (and, for a change, the origin and the form token) before any body is
/// read, and each names the [`Right`] it needs; forms may send [`FORM_BYTES`], the two file
/// uploads four times the upload limit.
pub fn routes(hub: &Hub) -> Router<Hub> {
    let files = usize::try_from(hub.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_mul(4);
    let uploads = Router::new()
        .route(
            "/admin/unggah",
            needs(Right::UploadBatches, get(upload::show).post(upload::receive)),
        )
        .route(
            "/admin/prelist",
            needs(Right::ImportPrelists, get(prelist::show).post(prelist::receive)),
        )
        .route(
            siks_results::IMPORT,
            needs(Right::RecordAid, post(siks_results::receive)),
        )
        .route(
            forms::PAGE,
            needs(Right::ManageForms, get(forms::show).post(forms::receive)),
        )
        .layer(DefaultBodyLimit::max(files));
    // A phone's whole backup, photos included: as large as any backup may be.
    let backups = Router::new()
        .route(
            phone_backup::PAGE,
            needs(
                Right::ManageKeys,
                get(phone_backup::show).post(phone_backup::receive),
            ),
        )
        .layer(DefaultBodyLimit::max(
            verval_core::vault::backup::MAX_BYTES + FORM_BYTES,
        ));
    let sign_in = Router::new()
        .route("/admin/masuk", get(session::sign_in_page).post(session::sign_in))
        .layer(from_fn(guard::sign_in_gate))
        .layer(DefaultBodyLimit::max(FORM_BYTES));
    pages()
        .layer(DefaultBodyLimit::max(FORM_BYTES))
        .merge(uploads)
        .merge(backups)
        .layer(from_fn_with_state(hub.clone(), guard::require))
        .merge(sign_in)
}

fn pages() -> Router<Hub> {
    use Right::*;
    Router::new()
        // Every signed-in account: its own password, sessions, sign-out.
        .route(dashboard::PAGE, needs(ReadHouseholds, get(dashboard::show)))
        .route(
            dashboard::WORKBOOK,
            needs(ReadHouseholds, get(dashboard::download)),
        )
        .route(siks_ng::SCRIPT, needs(ReadHouseholds, get(siks_ng::script)))
        .route(aid::PAGE, needs(ReadHouseholds, get(aid::show)))
        .route(aid::WORKBOOK, needs(ReadHouseholds, get(aid::download)))
        .route(siks_results::LIST, needs(RecordAid, get(siks_results::list)))
        .route(forms::DEFINITION, needs(ManageForms, get(forms::download)))
        .route(forms::PUBLISH, needs(ManageForms, post(forms::publish)))
        .route(forms::EXPORT_XLSX, needs(ManageForms, get(forms::export_xlsx)))
        .route(forms::EXPORT_CSV, needs(ManageForms, get(forms::export_csv)))
        .route(aid::PROGRAMMES_PAGE, needs(ManageRound, post(aid::add_programme)))
        .route(musdes::PAGE, needs(ReadHouseholds, get(musdes::index)))
        .route(musdes::PAGE, needs(RecordAid, post(musdes::add)))
        .route("/admin/musdes/{id}", needs(ReadHouseholds, get(musdes::show)))
        .route(
            "/admin/musdes/{id}/keputusan",
            needs(RecordAid, post(musdes::decide)),
        )
        .route(
            "/admin/musdes/{id}/cetak",
            needs(ReadHouseholds, get(musdes::print)),
        )
        .route(
            "/admin/musdes/{id}/daftar.xlsx",
            needs(ReadHouseholds, get(musdes::workbook)),
        )
        .route(
            "/admin/musdes/{id}/kanal/{channel}",
            needs(ReadHouseholds, get(musdes::channel_list)),
        )
        .route(proof::LIST, needs(ReadHouseholds, get(proof::list)))
        .route(proof::MAP, needs(ReadHouseholds, get(proof::map)))
        .route(duplicates::PAGE, needs(ReadHouseholds, get(duplicates::list)))
        .route(duplicates::DECIDE, needs(Review, post(duplicates::decide)))
        .route(sealed::PAGE, needs(UploadBatches, get(sealed::show)))
        .route(sealed::UNLOCK, needs(ManageKeys, post(sealed::unlock)))
        .route(sealed::LOCK, needs(ManageKeys, post(sealed::lock)))
        .route(
            pin_reset::PAGE,
            needs(ManageKeys, get(pin_reset::show).post(pin_reset::answer)),
        )
        .route(
            pin_reset::WRITTEN,
            needs(ManageKeys, post(pin_reset::answer_written)),
        )
        .route(dashboard::ROUND, needs(ManageRound, post(dashboard::set_round)))
        .route(
            dashboard::TARGETS,
            needs(ManageRound, post(dashboard::set_targets)),
        )
        .route("/admin/keluar", post(session::sign_out))
        .route(
            accounts::OWN_PASSWORD,
            get(accounts::password_page).post(accounts::change_password),
        )
        .route(
            accounts::CHOOSE_USERNAME,
            get(accounts::username_page).post(accounts::choose_username),
        )
        .route(accounts::SESSIONS, get(accounts::sessions))
        .route("/admin/sesi/{id}/akhiri", post(accounts::end_session))
        .route("/admin/keluarga", needs(ReadHouseholds, get(records::list)))
        .route("/admin/keluarga/{id}", needs(ReadHouseholds, get(records::view)))
        .route(
            "/admin/keluarga/{id}/foto/{field}",
            needs(ReadHouseholds, get(records::photo)),
        )
        .route(
            "/admin/keluarga/{id}/tinjauan",
            needs(Review, post(review::decide)),
        )
        .route(
            "/admin/keluarga/{id}/bantuan",
            needs(RecordAid, post(aid::deliver)),
        )
        .route(
            "/admin/keluarga/{id}/siks-ng",
            needs(RecordAid, post(siks_ng::record)),
        )
        .route(
            "/admin/keluarga/{id}/versi",
            needs(ResolveConflicts, post(records::choose_version)),
        )
        .route(
            "/admin/tanda-terima/{batch_id}",
            needs(UploadBatches, get(upload::receipt_file)),
        )
        .route(
            "/admin/petugas",
            needs(ManageEnumerators, get(enumerators::list).post(enumerators::add)),
        )
        .route(
            "/admin/petugas/{id}/kode",
            needs(ManageEnumerators, post(enumerators::new_code)),
        )
        .route(
            "/admin/petugas/{id}/cabut",
            needs(ManageEnumerators, post(enumerators::revoke)),
        )
        .route(
            "/admin/petugas/{id}/penugasan.json",
            needs(ManageEnumerators, get(enumerators::assignment_file)),
        )
        .route(review_files::PAGE, needs(HandOutReviews, get(review_files::list)))
        .route(
            "/admin/tinjauan-hp/{device_id}",
            needs(HandOutReviews, get(review_files::download)),
        )
        .route("/admin/ekspor", needs(Export, get(export::show)))
        .route("/admin/ekspor/unduh", needs(Export, get(export::download)))
        .route(
            accounts::ACCOUNTS,
            needs(ManageAccounts, get(accounts::list).post(accounts::add)),
        )
        .route(
            "/admin/akun/{username}/nonaktif",
            needs(ManageAccounts, post(accounts::disable)),
        )
        .route(
            "/admin/akun/{username}/aktif",
            needs(ManageAccounts, post(accounts::enable)),
        )
        .route(
            "/admin/akun/{username}/reset",
            needs(ManageAccounts, post(accounts::reset)),
        )
        .route("/admin/audit", needs(ReadAudit, get(audit::show)))
        .route("/admin/audit/unduh", needs(ReadAudit, get(audit::download)))
}
