//! The one gate in front of every district page (issue #17): who is asking is settled
//! before a request's body is read, and a state-changing request must come from the hub's
//! own pages.
//!
//! - A request that changes something (anything but GET and HEAD) is refused (403) when the
//!   browser says it comes from elsewhere: `Sec-Fetch-Site` other than `same-origin`, or an
//!   `Origin` other than the hub's own. A client that sends neither (a script, a test) is
//!   held to the form token alone.
//! - Every page but the sign-in page needs a live session; without one the answer is the
//!   sign-in page, before the body is read.
//! - A state-changing request must carry the session's form token (`?_t=` in the form's
//!   action, put there by [`post_action`]): a page on another site cannot know it.
//! - An account that must choose a username or change a one-time password is sent to do
//!   that first.
//! - Each route names the [`Right`] it needs ([`check_right`], issue #19): the role's table
//!   (`staff::Role::may`) decides, here and nowhere else.

use super::accounts::{CHOOSE_USERNAME, OWN_PASSWORD};
use super::error::PageError;
use super::session::{self, Session};
use crate::audit::Actor;
use crate::staff::{Right, Role};
use crate::Hub;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

/// The query parameter that carries the form token.
pub const TOKEN_PARAM: &str = "_t";

tokio::task_local! {
    /// The signed-in session's form token while its page is rendered.
    static FORM_TOKEN: String;
}

/// A form's action with the session's form token, for pages rendered behind [`require`].
pub fn post_action(path: &str) -> String {
    match FORM_TOKEN.try_with(Clone::clone) {
        Ok(token) => format!("{path}?{TOKEN_PARAM}={token}"),
        Err(_) => path.to_owned(),
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD)
}

/// Whether the browser says the request comes from a page of another origin.
pub fn from_elsewhere(headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if value("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return true;
    }
    match (value(header::ORIGIN.as_str()), value(header::HOST.as_str())) {
        (Some(origin), Some(host)) => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .unwrap_or(origin);
            authority != host
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn elsewhere() -> Response {
    PageError::forbidden(
        "Permintaan ini datang dari halaman lain, bukan dari halaman hub; tidak ada yang diubah. \
         (This request came from another site's page; nothing was changed.)",
    )
    .into_response()
}

/// The sign-in form: only the origin check (there is no session yet).
pub async fn sign_in_gate(request: Request, next: Next) -> Response {
    if changes_state(request.method()) && from_elsewhere(request.headers()) {
        return elsewhere();
    }
    next.run(request).await
}

/// Who made a request, as far as the hub can tell: the peer's address (a proxy's when one
/// is in front: no header a client can set is believed).
pub fn address(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "?".to_owned(), |ConnectInfo(peer)| peer.ip().to_string())
}

/// Takes what [`require`] put in a request's extensions.
async fn from_gate<T: Clone + Send + Sync + 'static>(parts: &Parts) -> Result<T, Response> {
    parts.extensions.get::<T>().cloned().ok_or_else(|| {
        PageError::internal("halaman ini tidak dijaga oleh sesi masuk (this page is not behind the sign-in)")
            .into_response()
    })
}

/// The signed-in staff member a page acts for, put there by [`require`]: a handler takes
/// it as an argument instead of checking the session again.
impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Actor, Response> {
        from_gate(parts).await
    }
}

/// The signed-in session with its account (role, region scope), put there by [`require`].
impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Session, Response> {
        from_gate(parts).await
    }
}

/// The pages an account may open while it must still choose a username or change a
/// one-time password.
fn settling(path: &str) -> bool {
    [CHOOSE_USERNAME, OWN_PASSWORD, "/admin/keluar"].contains(&path)
}

/// Every other district page: origin, session, form token, in that order, before the body;
/// then what the account must settle first.
pub async fn require(State(hub): State<Hub>, mut request: Request, next: Next) -> Response {
    let writes = changes_state(request.method());
    if writes && from_elsewhere(request.headers()) {
        return elsewhere();
    }
    let session: Session = match session::live(&hub, request.headers()).await {
        Ok(session) => session,
        Err(no_session) => return no_session.into_response(),
    };
    if writes {
        let sent = request.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix(TOKEN_PARAM)?.strip_prefix('='))
        });
        if sent != Some(session.form_token.as_str()) {
            return PageError::forbidden(
                "Formulir ini kedaluwarsa atau bukan dari sesi ini; muat ulang halamannya lalu coba lagi. \
                 (This form is stale or not from this session: reload the page and try again.)",
            )
            .into_response();
        }
    }
    let account = &session.account;
    if (account.must_choose_username || account.must_change_password) && !settling(request.uri().path()) {
        return Redirect::to(session::first_page(account)).into_response();
    }
    let actor = Actor {
        name: account.username.clone(),
        address: address(request.extensions()),
    };
    let signed_in = SignedIn {
        username: account.username.clone(),
        role: account.role,
    };
    let form_token = session.form_token.clone();
    request.extensions_mut().insert(actor);
    request.extensions_mut().insert(session);
    SIGNED_IN
        .scope(signed_in, FORM_TOKEN.scope(form_token, next.run(request)))
        .await
}

/// Who the page being rendered is for: the navigation shows only what their role may open.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub username: String,
    pub role: Role,
}

tokio::task_local! {
    static SIGNED_IN: SignedIn;
}

/// The signed-in account while its page is rendered, if any.
pub fn signed_in() -> Option<SignedIn> {
    SIGNED_IN.try_with(Clone::clone).ok()
}

/// The one check of a page's right, as a layer on its route: a role without it gets 403 and
/// sees nothing of the page.
pub async fn check_right(State(right): State<Right>, request: Request, next: Next) -> Response {
    let allowed = request
        .extensions()
        .get::<Session>()
        .is_some_and(|s| s.account.role.may(right));
    if allowed {
        next.run(request).await
    } else {
        PageError::forbidden(
            "Peran akun Anda tidak berhak membuka halaman ini. (Your role does not allow this page.)",
        )
        .into_response()
    }
}
