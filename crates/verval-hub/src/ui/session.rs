//! Signing in: each member of staff with their own username and password (argon2). A
//! session's random token lives in an HttpOnly, SameSite=Strict cookie; the database keeps
//! only the token's hash, the account, when and from where. Wrong passwords are throttled
//! by address and account ([`super::throttle`]); password checks run off the async workers,
//! a few at a time.

use super::page::{bi, page};
use crate::audit::{self, Action, Actor, Event};
use crate::db::now_ms;
use crate::secret::{hash_token, new_token, password_matches};
use crate::staff::{self, Account};
use crate::Hub;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use sqlx::Row;
use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;
use verval_core::export::canonical::sha256_hex;

/// Password checks at once: argon2 is meant to be slow, and runs on blocking threads.
static CHECKING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));
/// How long a sign-in waits for a turn to check its password before it is told to retry.
const CHECK_WAIT: Duration = Duration::from_secs(5);
/// Checked when the username is unknown, so that a wrong username takes as long as a wrong
/// password and does not tell which accounts exist.
static NO_ACCOUNT: LazyLock<Option<String>> =
    LazyLock::new(|| crate::secret::hash_password("verval-no-such-account").ok());

/// A signed-in browser: its account, as it is now (a disabled account has no sessions).
#[derive(Clone, Debug)]
pub struct Session {
    pub account: Account,
    /// The hash of the session's token: which session this is.
    pub token_hash: String,
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
    let failed =
        |e: &dyn std::fmt::Display| super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    let token_hash = hash_token(&token);
    let row = sqlx::query("SELECT username, expires_at FROM sessions WHERE token_hash = $1")
        .bind(&token_hash)
        .fetch_optional(&hub.db.pool)
        .await
        .map_err(|e| failed(&e))?;
    let Some(row) = row else {
        return Err(to_sign_in());
    };
    let username: Option<String> = row.try_get(0).map_err(|e| failed(&e))?;
    let expires: i64 = row.try_get(1).map_err(|e| failed(&e))?;
    if expires <= now_ms() {
        return Err(to_sign_in());
    }
    let Some(username) = username else {
        return Err(to_sign_in());
    };
    match staff::find(&hub.db, &username).await.map_err(|e| failed(&e))? {
        Some(account) if !account.disabled => Ok(Session {
            account,
            token_hash,
            form_token: form_token(&token),
        }),
        _ => Err(to_sign_in()),
    }
}

fn form(message: &str) -> String {
    format!(
        "{message}<form method=\"post\" action=\"/admin/masuk\">\
         <label for=\"username\">{}</label>\
         <input id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\">\
         <label for=\"password\">{}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button data-testid=\"sign-in\">Masuk <span class=\"en\">(sign in)</span></button></p></form>\
         <p class=\"en\">{}</p>",
        bi("Nama pengguna", "username"),
        bi("Kata sandi", "password"),
        bi(
            "Hub yang baru diperbarui: kosongkan nama pengguna dan masuk dengan kata sandi admin yang lama.",
            "a hub just upgraded: leave the username empty and use the old admin password"
        ),
    )
}

pub async fn sign_in_page() -> Response {
    page("Masuk", false, &form("")).into_response()
}

#[derive(Deserialize)]
pub struct SignIn {
    #[serde(default)]
    username: String,
    password: String,
}

/// Checks a password on a blocking thread, at most [`CHECKING`] at once; `None` when no
/// turn came within [`CHECK_WAIT`].
async fn checked(password: String, stored: Option<String>) -> Option<bool> {
    let _turn = tokio::time::timeout(CHECK_WAIT, CHECKING.acquire())
        .await
        .ok()?
        .ok()?;
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => password_matches(&password, &stored),
        None => {
            if let Some(decoy) = NO_ACCOUNT.as_deref() {
                password_matches(&password, decoy);
            }
            false
        }
    })
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

/// Where a freshly signed-in account goes first: what it must settle, else its work.
pub fn first_page(account: &Account) -> &'static str {
    if account.must_choose_username {
        super::accounts::CHOOSE_USERNAME
    } else if account.must_change_password {
        super::accounts::OWN_PASSWORD
    } else {
        "/admin/keluarga"
    }
}

pub async fn sign_in(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(input): Form<SignIn>,
) -> Response {
    let address = peer.ip();
    let typed = input.username.trim().to_lowercase();
    let username = if typed.is_empty() {
        // A hub upgraded from the single admin password: that account, until it is named.
        staff::unnamed_admin(&hub.db)
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    } else {
        typed
    };
    let actor = Actor {
        name: username.clone(),
        address: address.to_string(),
    };
    if let Some(wait) = hub.throttle.wait(address, &username) {
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
    let stored = staff::password_of(&hub.db, &username).await.ok().flatten();
    let Some(matches) = checked(input.password, stored).await else {
        let message = bi(
            "Server sedang sibuk. Coba lagi sebentar lagi.",
            "the hub is busy; try again shortly",
        );
        return problem_page(StatusCode::SERVICE_UNAVAILABLE, &message, Some(5));
    };
    if !matches {
        hub.throttle.failed(address, &username);
        // Throttled above: wrong passwords cannot flood the trail faster than the throttle
        // lets them be tried.
        let event = Event::new(Action::SignInFailed, serde_json::json!({ "akun": username }));
        if let Err(e) = audit::record(&hub.db, &actor, &event).await {
            return super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
        }
        return problem_page(
            StatusCode::UNAUTHORIZED,
            &bi(
                "Nama pengguna atau kata sandi salah, atau akun dinonaktifkan.",
                "wrong username or password, or the account is disabled",
            ),
            None,
        );
    }
    hub.throttle.succeeded(address, &username);
    let made = async {
        let token = new_token().map_err(|e| e.to_string())?;
        let id = new_token().map_err(|e| e.to_string())?[..16].to_owned();
        let now = now_ms();
        hub.db
            .write(|| async {
                let mut tx = hub.db.pool.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_hash, expires_at, id, username, created_at, address) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(hash_token(&token))
                .bind(now + SESSION_MS)
                .bind(&id)
                .bind(&username)
                .bind(now)
                .bind(address.to_string())
                .execute(&mut *tx)
                .await?;
                let event = Event::new(Action::SignIn, serde_json::json!({ "akun": username }));
                audit::record_in(&mut tx, &actor, &event).await?;
                tx.commit().await
            })
            .await
            .map_err(|e| e.to_string())?;
        let account = staff::find(&hub.db, &username)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the account is gone")?;
        Ok::<_, String>((token, account))
    };
    match made.await {
        Ok((token, account)) => (
            [(
                header::SET_COOKIE,
                format!(
                    "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age={}{}",
                    SESSION_MS / 1000,
                    if hub.config.https() { "; Secure" } else { "" }
                ),
            )],
            Redirect::to(first_page(&account)),
        )
            .into_response(),
        Err(e) => super::page::problem(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

pub async fn sign_out(State(hub): State<Hub>, session: Session, actor: Actor) -> Response {
    let ended = hub
        .db
        .write(|| async {
            let mut tx = hub.db.pool.begin().await?;
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&session.token_hash)
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
    (
        [(
            header::SET_COOKIE,
            format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0"),
        )],
        Redirect::to("/admin/masuk"),
    )
        .into_response()
}
