//! Addresses of the app on this hub that a QR carries (the enrolment code, the district's
//! keys), and the QR itself. The address is the configured public URL, never a request header
//! a client can set; without one, only a request from this computer (a district officer at
//! the hub's own machine, not one passed on by a proxy) gets an address, the one it used.

use crate::public_url::PublicUrl;
use axum::http::{header, HeaderMap};
use maud::{Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;
use std::net::SocketAddr;

/// Why a page shows no QR (Indonesian, English): its address could be forged.
pub const NO_QR: (&str, &str) = (
    "QR tidak dibuat: alamat publik hub belum diatur (serve --public-url https://…). Alamat dari permintaan ini bisa dipalsukan.",
    "no QR: the hub's public URL is not set, and a request's address can be forged",
);

/// The app's address at `path` (which starts with `/`). The error is [`NO_QR`] as plain text
/// (a page shows it with its markup).
pub fn app_url(
    public_url: Option<&PublicUrl>,
    peer: SocketAddr,
    headers: &HeaderMap,
    path: &str,
) -> Result<String, String> {
    if let Some(url) = public_url {
        return Ok(format!("{}{path}", url.origin()));
    }
    // A proxy on this machine (Caddy) makes every phone's request come from loopback; the
    // header it adds says the request came from elsewhere.
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    if !peer.ip().is_loopback() || proxied {
        return Err(format!("{} ({})", NO_QR.0, NO_QR.1));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    Ok(format!("http://{host}{path}"))
}

/// The QR of `url` as SVG, made by the `qrcode` crate from the URL alone: the one markup
/// pages place unescaped besides the style sheet. Empty when the address is too long for a QR.
pub fn qr_svg(url: &str) -> Markup {
    PreEscaped(
        QrCode::new(url.as_bytes())
            .map(|qr| qr.render::<svg::Color<'_>>().min_dimensions(240, 240).build())
            .unwrap_or_default(),
    )
}
