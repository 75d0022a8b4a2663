//! Signing in: the admin password (argon2, set at the first start) opens a session whose
//! random token lives in an HttpOnly, SameSite=Strict cookie (so another site cannot post
//! forms with it); the database keeps only the token's hash.

use super::page::{bi, page};
use crate::db::now_ms;
use crate::secret::{hash_token, new_token, password_matches};
use crate::{Hub, ADMIN_PASSWORD};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

const COOKIE: &str = "verval_admin";
/// A session lasts a working day.
const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .map(str::to_owned)
}

/// Passes when the request carries a live session; otherwise the answer is the sign-in page.
pub async fn require(hub: &Hub, headers: &HeaderMap) -> Result<(), Response> {
    let to_sign_in = || Redirect::to("/admin/masuk").into_response();
    let Some(token) = cookie_token(headers) else {
        return Err(to_sign_in());
    };
    let live: Option<i64> = sqlx::query_scalar("SELECT expires_at FROM sessions WHERE token_hash = $1")
        .bind(hash_token(&token))
        .fetch_optional(&hub.db.pool)
        .await
        .map_err(|e| super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
    match live {
        Some(expires) if expires > now_ms() => Ok(()),
        _ => Err(to_sign_in()),
    }
}

fn form(message: &str) -> String {
    format!(
        "{message}<form method=\"post\" action=\"/admin/masuk\">\
         <label for=\"password\">{}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button data-testid=\"sign-in\">Masuk <span class=\"en\">(sign in)</span></button></p></form>",
        bi("Kata sandi admin", "admin password")
    )
}

pub async fn sign_in_page() -> Response {
    page("Masuk", false, &form("")).into_response()
}

#[derive(Deserialize)]
pub struct SignIn {
    password: String,
}

pub async fn sign_in(State(hub): State<Hub>, Form(input): Form<SignIn>) -> Response {
    let stored = hub.db.setting(ADMIN_PASSWORD).await.ok().flatten();
    let matches = stored.is_some_and(|s| password_matches(&input.password, &s));
    if !matches {
        let message = format!(
            "<p class=\"bad\" data-testid=\"problem\">{}</p>",
            bi("Kata sandi salah.", "wrong password")
        );
        return (StatusCode::UNAUTHORIZED, page("Masuk", false, &form(&message))).into_response();
    }
    let made = async {
        let token = new_token().map_err(|e| e.to_string())?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now_ms())
            .execute(&hub.db.pool)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query("INSERT INTO sessions (token_hash, expires_at) VALUES ($1, $2)")
            .bind(hash_token(&token))
            .bind(now_ms() + SESSION_MS)
            .execute(&hub.db.pool)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<String, String>(token)
    };
    match made.await {
        Ok(token) => (
            [(
                header::SET_COOKIE,
                format!(
                    "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age={}",
                    SESSION_MS / 1000
                ),
            )],
            Redirect::to("/admin/keluarga"),
        )
            .into_response(),
        Err(e) => super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

pub async fn sign_out(State(hub): State<Hub>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_token(&headers) {
        let _ = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(&token))
            .execute(&hub.db.pool)
            .await;
    }
    (
        [(
            header::SET_COOKIE,
            format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0"),
        )],
        Redirect::to("/admin/masuk"),
    )
        .into_response()
}
