//! Response headers every answer needs (issue #17, row 11): no content sniffing, and no
//! referrer sent to another origin; the district pages never framed, never run a script, never cached
//! (they show NIKs); the API's answers never cached; HSTS when the hub's public URL is HTTPS.

use crate::Hub;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The district pages: server-rendered HTML with one inline style sheet and inline SVG (the
/// enrolment and key QR codes); one script of the hub's own (the copy buttons, `ui/copy.js`)
/// and no inline script, no frame, forms posting only to the hub itself.
pub const ADMIN_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// [`ADMIN_CSP`], with images also from the district's tile server when it has one (its
/// origin was checked to hold nothing a header could misread).
fn admin_csp(hub: &Hub) -> HeaderValue {
    let with_tiles = hub.config.map_tiles.as_ref().and_then(|tiles| {
        HeaderValue::from_str(&ADMIN_CSP.replace(
            "img-src 'self' data:",
            &format!("img-src 'self' data: {}", tiles.origin()),
        ))
        .ok()
    });
    with_tiles.unwrap_or(HeaderValue::from_static(ADMIN_CSP))
}

pub async fn secure(State(hub): State<Hub>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Not `no-referrer`: under it a browser sends `Origin: null` with the pages' own form
    // posts, which the origin check (`ui::guard`) must then refuse.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    let under = |root: &str| path == root || path.starts_with(&format!("{root}/"));
    if under("/admin") {
        headers.insert(header::CONTENT_SECURITY_POLICY, admin_csp(&hub));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if under("/admin") || under("/api") {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if hub.config.https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}
