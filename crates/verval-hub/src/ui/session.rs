//! Signing in: each member of staff with their own username and password (argon2). A
//! session's random token lives in an HttpOnly, SameSite=Strict cookie; the database keeps
//! only the token's hash, the account, when and from where. Wrong passwords are throttled
//! by address and account ([`super::throttle`]); password checks run off the async workers,
//! a few at a time.

use super::error::{PageError, PageResult};
use super::input::Form;
use super::page::{bi, page};
use crate::audit::{self, Action, Actor, Event};
use crate::secret::{hash_token, new_token, password_matches};
use crate::staff::{self, Account};
use crate::Hub;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
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

/// Why a request has no session to work with.
pub enum NoSession {
    /// No cookie, or one for no live session: the answer is the sign-in page.
    SignIn,
    Failed(PageError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            NoSession::SignIn => Redirect::to("/admin/masuk").into_response(),
            NoSession::Failed(e) => e.into_response(),
        }
    }
}

/// The request's live session, with its account as it is now (a disabled account has none).
pub async fn live(hub: &Hub, headers: &HeaderMap) -> Result<Session, NoSession> {
    let token = cookie_token(headers).ok_or(NoSession::SignIn)?;
    let failed = |e: staff::StaffError| NoSession::Failed(e.into());
    let token_hash = hash_token(&token);
    let username = staff::session_account(&hub.db, &token_hash)
        .await
        .map_err(failed)?
        .ok_or(NoSession::SignIn)?;
    match staff::find(&hub.db, &username).await.map_err(failed)? {
        Some(account) if !account.disabled => Ok(Session {
            account,
            token_hash,
            form_token: form_token(&token),
        }),
        _ => Err(NoSession::SignIn),
    }
}

/// The sign-in form, under `problem` when there is one.
fn form(problem: Option<Markup>) -> Markup {
    html! {
        @if let Some(problem) = problem {
            p.bad data-testid="problem" { (problem) }
        }
        form method="post" action="/admin/masuk" {
            label for="username" { (bi("Nama pengguna", "username")) }
            input id="username" name="username" autocomplete="username" autocapitalize="none";
            label for="password" { (bi("Kata sandi", "password")) }
            input id="password" name="password" type="password" autocomplete="current-password" required;
            p { button data-testid="sign-in" { (bi("Masuk", "sign in")) } }
        }
        p.en {
            (bi(
                "Hub yang baru diperbarui: kosongkan nama pengguna dan masuk dengan kata sandi admin yang lama.",
                "a hub just upgraded: leave the username empty and use the old admin password",
            ))
        }
    }
}

pub async fn sign_in_page() -> Response {
    page("Masuk", form(None))
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

/// The sign-in page again, with what went wrong; `Retry-After` when waiting helps.
fn problem_page(status: StatusCode, message: Markup, seconds: Option<u64>) -> Response {
    let mut answer = (status, page("Masuk", form(Some(message)))).into_response();
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
        super::dashboard::PAGE
    }
}

pub async fn sign_in(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(input): Form<SignIn>,
) -> PageResult {
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
        return Ok(problem_page(
            StatusCode::TOO_MANY_REQUESTS,
            message,
            Some(seconds),
        ));
    }
    let stored = staff::password_of(&hub.db, &username).await.ok().flatten();
    let Some(matches) = checked(input.password, stored).await else {
        let message = bi(
            "Server sedang sibuk. Coba lagi sebentar lagi.",
            "the hub is busy; try again shortly",
        );
        return Ok(problem_page(StatusCode::SERVICE_UNAVAILABLE, message, Some(5)));
    };
    if !matches {
        hub.throttle.failed(address, &username);
        // Throttled above: wrong passwords cannot flood the trail faster than the throttle
        // lets them be tried.
        let event = Event::new(Action::SignInFailed, serde_json::json!({ "akun": username }));
        audit::record(&hub.db, &actor, &event).await?;
        return Ok(problem_page(
            StatusCode::UNAUTHORIZED,
            bi(
                "Nama pengguna atau kata sandi salah, atau akun dinonaktifkan.",
                "wrong username or password, or the account is disabled",
            ),
            None,
        ));
    }
    hub.throttle.succeeded(address, &username);
    let token = new_token().map_err(|e| PageError::internal(e.to_string()))?;
    let id = new_token().map_err(|e| PageError::internal(e.to_string()))?[..16].to_owned();
    staff::start_session(&hub.db, &hash_token(&token), &id, &username, SESSION_MS, &actor).await?;
    let account = staff::find(&hub.db, &username)
        .await?
        .ok_or_else(|| PageError::internal("Akun hilang saat masuk (the account is gone)."))?;
    Ok((
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
        .into_response())
}

pub async fn sign_out(State(hub): State<Hub>, session: Session, actor: Actor) -> PageResult {
    staff::sign_out(&hub.db, &session.token_hash, &actor).await?;
    Ok((
        [(
            header::SET_COOKIE,
            format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0"),
        )],
        Redirect::to("/admin/masuk"),
    )
        .into_response())
}
