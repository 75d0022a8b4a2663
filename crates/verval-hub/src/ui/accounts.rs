//! Staff accounts (issue #19): the admin's page to add, disable, enable and reset accounts;
//! every account's own page to change its password and see and end its sessions; the page
//! where the account made from the old admin password chooses its username.

use super::guard::post_action;
use super::page::{bi, esc, page, problem};
use super::session::{first_page, Session};
use crate::audit::Actor;
use crate::staff::{self, NewAccount, Role, StaffError};
use crate::Hub;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

/// Where an account changes its own password (and must, after a one-time password).
pub const OWN_PASSWORD: &str = "/admin/sandi";
/// Where the account made from the old admin password chooses its username.
pub const CHOOSE_USERNAME: &str = "/admin/nama-pengguna";
/// The admin's list of accounts.
pub const ACCOUNTS: &str = "/admin/akun";
/// An account's signed-in browsers.
pub const SESSIONS: &str = "/admin/sesi";

fn refused(e: &StaffError) -> Response {
    let status = match e {
        StaffError::Db(_) | StaffError::Secret(_) => StatusCode::INTERNAL_SERVER_ERROR,
        StaffError::NoSuchAccount(_) => StatusCode::NOT_FOUND,
        StaffError::Taken(_) | StaffError::LastAdmin => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    problem(status, &e.to_string())
}

fn add_form() -> String {
    let roles: String = Role::ALL
        .iter()
        .map(|r| {
            format!(
                "<option value=\"{}\">{} — {}</option>",
                r.code(),
                r.label().0,
                r.label().1
            )
        })
        .collect();
    format!(
        "<h2>{}</h2><form method=\"post\" action=\"{}\">\
         <label for=\"username\">{}</label><input id=\"username\" name=\"username\" required autocapitalize=\"none\">\
         <label for=\"nama\">{}</label><input id=\"nama\" name=\"nama\" required>\
         <label for=\"peran\">{}</label><select id=\"peran\" name=\"peran\">{roles}</select>\
         <label for=\"wilayah\">{}</label><input id=\"wilayah\" name=\"wilayah\" placeholder=\"35.13.14\">\
         <p><button data-testid=\"add-account\">Tambah akun <span class=\"en\">(add account)</span></button></p></form>",
        bi("Akun baru", "new account"),
        post_action(ACCOUNTS),
        bi("Nama pengguna", "username"),
        bi("Nama lengkap", "full name"),
        bi("Peran", "role"),
        bi(
            "Wilayah (kode Kemendagri, pisahkan dengan koma; kosong = seluruh kabupaten; wajib untuk supervisor dan pemantau)",
            "region codes, comma-separated; empty for the whole district"
        ),
    )
}

pub async fn list(State(hub): State<Hub>) -> Response {
    let accounts = match staff::list(&hub.db).await {
        Ok(accounts) => accounts,
        Err(e) => return refused(&e),
    };
    let mut html = format!(
        "<table data-testid=\"accounts\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        bi("Nama pengguna", "username"),
        bi("Nama", "name"),
        bi("Peran", "role"),
        bi("Wilayah", "region"),
        bi("Status", "status"),
    );
    for a in &accounts {
        let user = esc(&a.username);
        let status = if a.disabled {
            bi("Nonaktif", "disabled")
        } else if a.must_change_password {
            bi("Menunggu ganti kata sandi", "one-time password not yet changed")
        } else {
            bi("Aktif", "active")
        };
        let toggle = if a.disabled {
            format!(
                "<form method=\"post\" action=\"{}\"><button data-testid=\"enable-account\">Aktifkan</button></form>",
                post_action(&format!("{ACCOUNTS}/{user}/aktif"))
            )
        } else {
            format!(
                "<form method=\"post\" action=\"{}\"><button data-testid=\"disable-account\">Nonaktifkan</button></form>",
                post_action(&format!("{ACCOUNTS}/{user}/nonaktif"))
            )
        };
        html.push_str(&format!(
            "<tr data-username=\"{user}\"><td>{user}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td>\
             <td>{toggle}<form method=\"post\" action=\"{}\"><button data-testid=\"reset-account\">Reset kata sandi</button></form></td></tr>",
            esc(&a.name),
            esc(a.role.label().0),
            if a.scope.is_everywhere() {
                "seluruh kabupaten".to_owned()
            } else {
                esc(&a.scope.to_text())
            },
            post_action(&format!("{ACCOUNTS}/{user}/reset")),
        ));
    }
    html.push_str("</table>");
    html.push_str(&add_form());
    page("Akun staf", true, &html).into_response()
}

/// The one time a new or reset password is shown.
fn one_time_page(username: &str, password: &str) -> Response {
    let body = format!(
        "<p>{}</p><p class=\"code\" data-testid=\"one-time-password\">{}</p><p>{}</p>\
         <p><a href=\"{ACCOUNTS}\">Kembali <span class=\"en\">(back)</span></a></p>",
        bi(
            &format!("Kata sandi sekali pakai untuk {username}:"),
            "one-time password"
        ),
        esc(password),
        bi(
            "Hanya ditampilkan sekali ini. Berikan langsung kepada pemilik akun; ia wajib menggantinya saat pertama masuk.",
            "shown only this once; the owner must change it at the first sign-in"
        ),
    );
    page("Kata sandi sekali pakai", true, &body).into_response()
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    username: String,
    nama: String,
    peran: String,
    #[serde(default)]
    wilayah: String,
}

pub async fn add(State(hub): State<Hub>, by: Actor, Form(input): Form<NewAccountForm>) -> Response {
    let new = NewAccount {
        username: &input.username,
        name: &input.nama,
        role: &input.peran,
        wilayah: &input.wilayah,
    };
    match staff::add(&hub.db, &new, None, &by).await {
        Ok((account, Some(password))) => one_time_page(&account.username, &password),
        Ok((account, None)) => one_time_page(&account.username, ""),
        Err(e) => refused(&e),
    }
}

pub async fn disable(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> Response {
    match staff::set_disabled(&hub.db, &username, true, &by).await {
        Ok(()) => Redirect::to(ACCOUNTS).into_response(),
        Err(e) => refused(&e),
    }
}

pub async fn enable(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> Response {
    match staff::set_disabled(&hub.db, &username, false, &by).await {
        Ok(()) => Redirect::to(ACCOUNTS).into_response(),
        Err(e) => refused(&e),
    }
}

pub async fn reset(State(hub): State<Hub>, by: Actor, Path(username): Path<String>) -> Response {
    match staff::reset(&hub.db, &username, &by).await {
        Ok(password) => one_time_page(&username, &password),
        Err(e) => refused(&e),
    }
}

fn password_form(session: &Session, message: &str) -> String {
    let must = if session.account.must_change_password {
        format!(
            "<p class=\"flag\" data-testid=\"must-change-password\">{}</p>",
            bi(
                "Anda masuk dengan kata sandi sekali pakai: buat kata sandi Anda sendiri dulu.",
                "you signed in with a one-time password: choose your own first"
            )
        )
    } else {
        String::new()
    };
    format!(
        "{must}{message}<form method=\"post\" action=\"{}\">\
         <label for=\"sandi_lama\">{}</label><input id=\"sandi_lama\" name=\"sandi_lama\" type=\"password\" autocomplete=\"current-password\" required>\
         <label for=\"sandi_baru\">{}</label><input id=\"sandi_baru\" name=\"sandi_baru\" type=\"password\" autocomplete=\"new-password\" minlength=\"{min}\" required>\
         <label for=\"sandi_ulang\">{}</label><input id=\"sandi_ulang\" name=\"sandi_ulang\" type=\"password\" autocomplete=\"new-password\" minlength=\"{min}\" required>\
         <p><button data-testid=\"change-password\">Simpan kata sandi <span class=\"en\">(save password)</span></button></p></form>",
        post_action(OWN_PASSWORD),
        bi("Kata sandi sekarang", "current password"),
        bi(&format!("Kata sandi baru (minimal {} karakter)", staff::MIN_PASSWORD_CHARS), "new password"),
        bi("Ulangi kata sandi baru", "new password again"),
        min = staff::MIN_PASSWORD_CHARS,
    )
}

pub async fn password_page(session: Session) -> Response {
    page("Ganti kata sandi", true, &password_form(&session, "")).into_response()
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
) -> Response {
    let again = |status: StatusCode, id: &str, en: &str| {
        let message = format!("<p class=\"bad\" data-testid=\"problem\">{}</p>", bi(id, en));
        (
            status,
            page("Ganti kata sandi", true, &password_form(&session, &message)),
        )
            .into_response()
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
            Redirect::to(first_page(&account)).into_response()
        }
        Err(StaffError::ShortPassword) => again(
            StatusCode::BAD_REQUEST,
            &StaffError::ShortPassword.to_string(),
            "too short",
        ),
        Err(e) => refused(&e),
    }
}

fn username_form(message: &str) -> String {
    format!(
        "<p data-testid=\"must-choose-username\">{}</p>{message}<form method=\"post\" action=\"{}\">\
         <label for=\"username\">{}</label><input id=\"username\" name=\"username\" required autocapitalize=\"none\">\
         <p><button data-testid=\"choose-username\">Simpan <span class=\"en\">(save)</span></button></p></form>",
        bi(
            "Hub ini kini memakai akun per orang. Pilih nama pengguna untuk akun admin ini; kata sandinya tetap.",
            "the hub now has an account per person: choose this admin account's username"
        ),
        post_action(CHOOSE_USERNAME),
        bi("Nama pengguna", "username"),
    )
}

pub async fn username_page() -> Response {
    page("Pilih nama pengguna", true, &username_form("")).into_response()
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
) -> Response {
    if !session.account.must_choose_username {
        return Redirect::to(SESSIONS).into_response();
    }
    match staff::choose_username(&hub.db, &session.account.username, &input.username, &by).await {
        Ok(new) => {
            let mut account = session.account.clone();
            account.username = new;
            account.must_choose_username = false;
            Redirect::to(first_page(&account)).into_response()
        }
        Err(e @ (StaffError::BadUsername(_) | StaffError::Taken(_))) => {
            let message = format!(
                "<p class=\"bad\" data-testid=\"problem\">{}</p>",
                esc(&e.to_string())
            );
            (
                StatusCode::BAD_REQUEST,
                page("Pilih nama pengguna", true, &username_form(&message)),
            )
                .into_response()
        }
        Err(e) => refused(&e),
    }
}

/// An account's own sessions; an admin sees everyone's and may end any.
pub async fn sessions(State(hub): State<Hub>, session: Session) -> Response {
    let account = &session.account;
    let everyone = account.role.may(staff::Right::ManageAccounts);
    let of = (!everyone).then_some(account.username.as_str());
    let list = match staff::sessions(&hub.db, of).await {
        Ok(list) => list,
        Err(e) => return refused(&e),
    };
    let mut html = format!(
        "<p>{}</p><p><a href=\"{OWN_PASSWORD}\" data-testid=\"own-password\">{}</a></p><h2>{}</h2>\
         <table data-testid=\"sessions\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        bi(
            &format!(
                "Masuk sebagai {} ({}), peran {}, wilayah {}.",
                account.username,
                account.name,
                account.role.label().0,
                if account.scope.is_everywhere() {
                    "seluruh kabupaten".to_owned()
                } else {
                    account.scope.to_text()
                }
            ),
            "signed in as"
        ),
        bi("Ganti kata sandi", "change password"),
        bi("Sesi yang masuk", "signed-in sessions"),
        bi("Akun", "account"),
        bi(&format!("Masuk sejak ({})", hub.config.time_zone.code()), "since"),
        bi(&format!("Berakhir ({})", hub.config.time_zone.code()), "expires"),
        bi("Alamat", "address"),
    );
    for s in &list {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"{}\">\
             <button data-testid=\"end-session\">Akhiri <span class=\"en\">(end)</span></button></form></td></tr>",
            esc(&s.username),
            hub.config.time_zone.format(s.created_at),
            hub.config.time_zone.format(s.expires_at),
            esc(&s.address),
            post_action(&format!("{SESSIONS}/{}/akhiri", esc(&s.id))),
        ));
    }
    html.push_str("</table>");
    page("Akun saya", true, &html).into_response()
}

pub async fn end_session(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
) -> Response {
    let account = &session.account;
    let of = (!account.role.may(staff::Right::ManageAccounts)).then_some(account.username.as_str());
    match staff::end_session(&hub.db, &id, of, &by).await {
        Ok(true) => Redirect::to(SESSIONS).into_response(),
        Ok(false) => problem(StatusCode::NOT_FOUND, "Sesi tidak dikenal (unknown session)."),
        Err(e) => refused(&e),
    }
}
