//! Signing in: the admin password (argon2, set at the first start) opens a session whose
//! random token lives in an HttpOnly, SameSite=Strict cookie; the database keeps only the
//! token's hash. Wrong passwords are throttled ([`super::throttle`]); password checks run
//! off the async workers, a few at a time.

use super::page::{bi, page};
use crate::audit::{self, Action, Actor, Event};
use crate::db::now_ms;
use crate::secret::{hash_token, new_token, password_matches};
use crate::{Hub, ADMIN_PASSWORD};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;
use verval_core::export::canonical::sha256_hex;

/// The account the throttle counts for (one admin password until staff accounts exist).
const ACCOUNT: &str = "admin";
/// Password checks at once: argon2 is meant to be slow, and runs on blocking threads.
static CHECKING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));
/// How long a sign-in waits for a turn to check its password before it is told to retry.
const CHECK_WAIT: Duration = Duration::from_secs(5);

/// A signed-in browser.
pub struct Session {
    /// The account it is signed in to.
    pub who: String,
    /// Carried by every form it posts (`ui::guard`): derived from the session's secret, so
    /// nothing more is stored and another site cannot know it.
    pub form_token: String,
}

fn form_token(session_token: &str) -> String {
    sha256_hex(format!("verval-form-token:{session_token}").as_bytes())[..32].to_owned()
}

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

/// The request's live session; otherwise the answer is the sign-in page.
pub async fn live(hub: &Hub, headers: &HeaderMap) -> Result<Session, Response> {
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
        Some(expires) if expires > now_ms() => Ok(Session {
            who: ACCOUNT.to_owned(),
            form_token: form_token(&token),
        }),
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

/// Checks a password on a blocking thread, at most [`CHECKING`] at once; `None` when no
/// turn came within [`CHECK_WAIT`].
async fn checked(password: String, stored: Option<String>) -> Option<bool> {
    let _turn = tokio::time::timeout(CHECK_WAIT, CHECKING.acquire())
        .await
        .ok()?
        .ok()?;
    tokio::task::spawn_blocking(move || stored.is_some_and(|s| password_matches(&password, &s)))
        .await
        .ok()
}

fn problem_page(status: StatusCode, message: &str, seconds: Option<u64>) -> Response {
    let message = format!("<p class=\"bad\" data-testid=\"problem\">{message}</p>");
    let mut answer = (status, page("Masuk", false, &form(&message))).into_response();
    if let Some(seconds) = seconds {
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    answer
}

pub async fn sign_in(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(input): Form<SignIn>,
) -> Response {
    let address = peer.ip();
    let actor = Actor {
        name: ACCOUNT.to_owned(),
        address: address.to_string(),
    };
    if let Some(wait) = hub.throttle.wait(address, ACCOUNT) {
        // Rounded up: a client that waits as told is let in.
        let seconds = u64::try_from(wait.as_millis().div_ceil(1000))
            .unwrap_or(u64::MAX)
            .max(1);
        let message = bi(
            &format!("Terlalu banyak kata sandi salah. Coba lagi dalam {seconds} detik."),
            &format!("too many wrong passwords; try again in {seconds} s"),
        );
        return problem_page(StatusCode::TOO_MANY_REQUESTS, &message, Some(seconds));
    }
    let stored = hub.db.setting(ADMIN_PASSWORD).await.ok().flatten();
    let Some(matches) = checked(input.password, stored).await else {
        let message = bi(
            "Server sedang sibuk. Coba lagi sebentar lagi.",
            "the hub is busy; try again shortly",
        );
        return problem_page(StatusCode::SERVICE_UNAVAILABLE, &message, Some(5));
    };
    if !matches {
        hub.throttle.failed(address, ACCOUNT);
        // Throttled above: wrong passwords cannot flood the trail faster than the throttle
        // lets them be tried.
        let event = Event::new(Action::SignInFailed, serde_json::json!({ "akun": ACCOUNT }));
        if let Err(e) = audit::record(&hub.db, &actor, &event).await {
            return super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
        }
        return problem_page(
            StatusCode::UNAUTHORIZED,
            &bi("Kata sandi salah.", "wrong password"),
            None,
        );
    }
    hub.throttle.succeeded(address, ACCOUNT);
    let made = async {
        let token = new_token().map_err(|e| e.to_string())?;
        let now = now_ms();
        hub.db
            .write(|| async {
                let mut tx = hub.db.pool.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO sessions (token_hash, expires_at) VALUES ($1, $2)")
                    .bind(hash_token(&token))
                    .bind(now + SESSION_MS)
                    .execute(&mut *tx)
                    .await?;
                let event = Event::new(Action::SignIn, serde_json::json!({ "akun": ACCOUNT }));
                audit::record_in(&mut tx, &actor, &event).await?;
                tx.commit().await
            })
            .await
            .map_err(|e| e.to_string())?;
        Ok::<String, String>(token)
    };
    match made.await {
        Ok(token) => (
            [(
                header::SET_COOKIE,
                format!(
                    "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age={}{}",
                    SESSION_MS / 1000,
                    if hub.config.https() { "; Secure" } else { "" }
                ),
            )],
            Redirect::to("/admin/keluarga"),
        )
            .into_response(),
        Err(e) => super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// Sets a new admin password (its argon2 hash) and signs every browser out, in one
/// transaction with its audit event: a password changed because it leaked leaves no session
/// of the old one.
pub async fn replace_admin_password(
    db: &crate::db::Db,
    hash: &str,
    by: &Actor,
) -> Result<(), crate::db::DbError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(ADMIN_PASSWORD)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions").execute(&mut *tx).await?;
        let event = Event::new(Action::AdminPassword, serde_json::json!({ "akun": ACCOUNT }));
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

pub async fn sign_out(State(hub): State<Hub>, actor: Actor, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_token(&headers) {
        let hash = hash_token(&token);
        let ended = hub
            .db
            .write(|| async {
                let mut tx = hub.db.pool.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
                audit::record_in(
                    &mut tx,
                    &actor,
                    &Event::new(Action::SignOut, serde_json::json!({})),
                )
                .await?;
                tx.commit().await
            })
            .await;
        if let Err(e) = ended {
            return super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
        }
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
