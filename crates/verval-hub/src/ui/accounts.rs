//! Staff accounts (issue #19): the admin's page to add, disable, enable and reset accounts;
//! every account's own page to change its password and see and end its sessions; the page
//! where the account made from the old admin password chooses its username.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::{bi, page};
use super::session::{first_page, Session};
use crate::audit::Actor;
use crate::staff::{self, NewAccount, Role, StaffError};
use crate::Hub;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;

/// Where an account changes its own password (and must, after a one-time password).
pub const OWN_PASSWORD: &str = "/admin/sandi";
/// Where the account made from the old admin password chooses its username.
pub const CHOOSE_USERNAME: &str = "/admin/nama-pengguna";
/// The admin's list of accounts.
pub const ACCOUNTS: &str = "/admin/akun";
/// An account's signed-in browsers.
pub const SESSIONS: &str = "/admin/sesi";

fn add_form() -> Markup {
    html! {
        h2 { (bi("Akun baru", "new account")) }
        form method="post" action=(post_action(ACCOUNTS)) {
            label for="username" { (bi("Nama pengguna", "username")) }
            input id="username" name="username" required autocapitalize="none";
            label for="nama" { (bi("Nama lengkap", "full name")) }
            input id="nama" name="nama" required;
            label for="peran" { (bi("Peran", "role")) }
            select id="peran" name="peran" {
                @for role in Role::ALL {
                    option value=(role.code()) { (role.label().0) " — " (role.label().1) }
                }
            }
            label for="wilayah" {
                (bi(
                    "Wilayah (kode Kemendagri, pisahkan dengan koma; kosong = seluruh kabupaten; wajib untuk supervisor dan pemantau)",
                    "region codes, comma-separated; empty for the whole district",
                ))
            }
            input id="wilayah" name="wilayah" placeholder="35.13.14";
            p { button data-testid="add-account" { (bi("Tambah akun", "add account")) } }
        }
    }
}

/// A region as people read it.
fn region_text(scope: &staff::Scope) -> String {
    if scope.is_everywhere() {
        "seluruh kabupaten".to_owned()
    } else {
        scope.to_text()
    }
}

fn account_row(a: &staff::Account) -> Markup {
    let user = &a.username;
    html! {
        tr data-username=(user) {
            td { (user) }
            td { (a.name) }
            td { (a.role.label().0) }
            td { (region_text(&a.scope)) }
            td {
                @if a.disabled {
                    (bi("Nonaktif", "disabled"))
                } @else if a.must_change_password {
                    (bi("Menunggu ganti kata sandi", "one-time password not yet changed"))
                } @else {
                    (bi("Aktif", "active"))
                }
            }
            td {
                @if a.disabled {
                    form method="post" action=(post_action(&format!("{ACCOUNTS}/{user}/aktif"))) {
                        button data-testid="enable-account" { (bi("Aktifkan", "enable")) }
                    }
                } @else {
                    form method="post" action=(post_action(&format!("{ACCOUNTS}/{user}/nonaktif"))) {
                        button data-testid="disable-account" { (bi("Nonaktifkan", "disable")) }
                    }
                }
                form method="post" action=(post_action(&format!("{ACCOUNTS}/{user}/reset"))) {
                    button data-testid="reset-account" { (bi("Reset kata sandi", "reset password")) }
                }
            }
        }
    }
}

pub async fn list(State(hub): State<Hub>) -> PageResult {
    let accounts = staff::list(&hub.db).await?;
    let body = html! {
        table data-testid="accounts" {
            tr {
                th { (bi("Nama pengguna", "username")) } th { (bi("Nama", "name")) }
                th { (bi("Peran", "role")) } th { (bi("Wilayah", "region")) }
                th { (bi("Status", "status")) } th {}
            }
            @for a in &accounts { (account_row(a)) }
        }
        (add_form())
    };
    Ok(page("Akun staf", body))
}

/// The one time a new or reset password is shown.
fn one_time_page(username: &str, password: &str) -> Response {
    let body = html! {
        p { (bi(&format!("Kata sandi sekali pakai untuk {username}:"), "one-time password")) }
        p class="code" data-testid="one-time-password" { (password) }
        p {
            (bi(
                "Hanya ditampilkan sekali ini. Berikan langsung kepada pemilik akun; ia wajib menggantinya saat pertama masuk.",
                "shown only this once; the owner must change it at the first sign-in",
            ))
        }
        p { a href=(ACCOUNTS) { (bi("Kembali", "back")) } }
    };
    page("Kata sandi sekali pakai", body)
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    username: String,
    nama: String,
    peran: String,
    #[serde(default)]
    wilayah: String,
}

pub async fn add(State(hub): State<Hub>, by: Actor, Form(input): Form<NewAccountForm>) -> PageResult {
    let new = NewAccount {
        username: &input.username,
        name: &input.nama,
        role: &input.peran,
        wilayah: &input.wilayah,
    };
    let (account, password) = staff::add(&hub.db, &new, None, &by).await?;
    Ok(one_time_page(
        &account.username,
        password.as_deref().unwrap_or_default(),
    ))
}

pub async fn disable(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> PageResult {
    staff::set_disabled(&hub.db, &username, true, &by).await?;
    Ok(Redirect::to(ACCOUNTS).into_response())
}

pub async fn enable(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> PageResult {
    staff::set_disabled(&hub.db, &username, false, &by).await?;
    Ok(Redirect::to(ACCOUNTS).into_response())
}

pub async fn reset(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> PageResult {
    let password = staff::reset(&hub.db, &username, &by).await?;
    Ok(one_time_page(&username, &password))
}

fn password_form(session: &Session, problem: Option<Markup>) -> Markup {
    let min = staff::MIN_PASSWORD_CHARS;
    html! {
        @if session.account.must_change_password {
            p.flag data-testid="must-change-password" {
                (bi(
                    "Anda masuk dengan kata sandi sekali pakai: buat kata sandi Anda sendiri dulu.",
                    "you signed in with a one-time password: choose your own first",
                ))
            }
        }
        @if let Some(problem) = problem {
            p.bad data-testid="problem" { (problem) }
        }
        form method="post" action=(post_action(OWN_PASSWORD)) {
            label for="sandi_lama" { (bi("Kata sandi sekarang", "current password")) }
            input id="sandi_lama" name="sandi_lama" type="password" autocomplete="current-password" required;
            label for="sandi_baru" { (bi(&format!("Kata sandi baru (minimal {min} karakter)"), "new password")) }
            input id="sandi_baru" name="sandi_baru" type="password" autocomplete="new-password" minlength=(min) required;
            label for="sandi_ulang" { (bi("Ulangi kata sandi baru", "new password again")) }
            input id="sandi_ulang" name="sandi_ulang" type="password" autocomplete="new-password" minlength=(min) required;
            p { button data-testid="change-password" { (bi("Simpan kata sandi", "save password")) } }
        }
    }
}

pub async fn password_page(session: Session) -> Response {
    page("Ganti kata sandi", password_form(&session, None))
}

#[derive(Deserialize)]
pub struct PasswordChange {
    sandi_lama: String,
    sandi_baru: String,
    sandi_ulang: String,
}

pub async fn change_password(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Form(input): Form<PasswordChange>,
) -> PageResult {
    let again = |status: StatusCode, id: &str, en: &str| {
        Ok((
            status,
            page("Ganti kata sandi", password_form(&session, Some(bi(id, en)))),
        )
            .into_response())
    };
    let username = session.account.username.clone();
    let stored = staff::password_of(&hub.db, &username).await.ok().flatten();
    let old = input.sandi_lama.clone();
    let matches = tokio::task::spawn_blocking(move || {
        stored.is_some_and(|s| crate::secret::password_matches(&old, &s))
    })
    .await
    .unwrap_or(false);
    if !matches {
        return again(
            StatusCode::UNAUTHORIZED,
            "Kata sandi sekarang salah.",
            "wrong current password",
        );
    }
    if input.sandi_baru != input.sandi_ulang {
        return again(
            StatusCode::BAD_REQUEST,
            "Kedua kata sandi baru tidak sama.",
            "the new passwords differ",
        );
    }
    if input.sandi_baru == input.sandi_lama {
        return again(
            StatusCode::BAD_REQUEST,
            "Kata sandi baru harus berbeda dari yang sekarang.",
            "the new password must differ",
        );
    }
    match staff::change_password(
        &hub.db,
        &username,
        &input.sandi_baru,
        Some(&session.token_hash),
        &by,
    )
    .await
    {
        Ok(()) => {
            let mut account = session.account.clone();
            account.must_change_password = false;
            Ok(Redirect::to(first_page(&account)).into_response())
        }
        Err(StaffError::ShortPassword) => again(
            StatusCode::BAD_REQUEST,
            &StaffError::ShortPassword.to_string(),
            "too short",
        ),
        Err(e) => Err(e.into()),
    }
}

fn username_form(problem: Option<String>) -> Markup {
    html! {
        p data-testid="must-choose-username" {
            (bi(
                "Hub ini kini memakai akun per orang. Pilih nama pengguna untuk akun admin ini; kata sandinya tetap.",
                "the hub now has an account per person: choose this admin account's username",
            ))
        }
        @if let Some(problem) = problem {
            p.bad data-testid="problem" { (problem) }
        }
        form method="post" action=(post_action(CHOOSE_USERNAME)) {
            label for="username" { (bi("Nama pengguna", "username")) }
            input id="username" name="username" required autocapitalize="none";
            p { button data-testid="choose-username" { (bi("Simpan", "save")) } }
        }
    }
}

pub async fn username_page() -> Response {
    page("Pilih nama pengguna", username_form(None))
}

#[derive(Deserialize)]
pub struct UsernameChoice {
    username: String,
}

pub async fn choose_username(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Form(input): Form<UsernameChoice>,
) -> PageResult {
    if !session.account.must_choose_username {
        return Ok(Redirect::to(SESSIONS).into_response());
    }
    match staff::choose_username(&hub.db, &session.account.username, &input.username, &by).await {
        Ok(new) => {
            let mut account = session.account.clone();
            account.username = new;
            account.must_choose_username = false;
            Ok(Redirect::to(first_page(&account)).into_response())
        }
        Err(e @ (StaffError::BadUsername(_) | StaffError::Taken(_))) => Ok((
            StatusCode::BAD_REQUEST,
            page("Pilih nama pengguna", username_form(Some(e.to_string()))),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// An account's own sessions; an admin sees everyone's and may end any.
pub async fn sessions(State(hub): State<Hub>, session: Session) -> PageResult {
    let account = &session.account;
    let everyone = account.role.may(staff::Right::ManageAccounts);
    let of = (!everyone).then_some(account.username.as_str());
    let list = staff::sessions(&hub.db, of).await?;
    let zone = hub.config.time_zone;
    let body = html! {
        p {
            (bi(
                &format!(
                    "Masuk sebagai {} ({}), peran {}, wilayah {}.",
                    account.username,
                    account.name,
                    account.role.label().0,
                    region_text(&account.scope)
                ),
                "signed in as",
            ))
        }
        p { a href=(OWN_PASSWORD) data-testid="own-password" { (bi("Ganti kata sandi", "change password")) } }
        h2 { (bi("Sesi yang masuk", "signed-in sessions")) }
        table data-testid="sessions" {
            tr {
                th { (bi("Akun", "account")) }
                th { (bi(&format!("Masuk sejak ({})", zone.code()), "since")) }
                th { (bi(&format!("Berakhir ({})", zone.code()), "expires")) }
                th { (bi("Alamat", "address")) }
                th {}
            }
            @for s in &list {
                tr {
                    td { (s.username) }
                    td { (zone.format(s.created_at)) }
                    td { (zone.format(s.expires_at)) }
                    td { (s.address) }
                    td {
                        form method="post" action=(post_action(&format!("{SESSIONS}/{}/akhiri", s.id))) {
                            button data-testid="end-session" { (bi("Akhiri", "end")) }
                        }
                    }
                }
            }
        }
    };
    Ok(page("Akun saya", body))
}

pub async fn end_session(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
) -> PageResult {
    let account = &session.account;
    let of = (!account.role.may(staff::Right::ManageAccounts)).then_some(account.username.as_str());
    if !staff::end_session(&hub.db, &id, of, &by).await? {
        return Err(PageError::not_found("Sesi tidak dikenal (unknown session)."));
    }
    Ok(Redirect::to(SESSIONS).into_response())
}
