//! The frame every page shares, and HTML escaping.

use crate::staff::Right;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Text made safe to place in HTML text or a quoted attribute.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:0;color:#1c2526;background:#f6f7f5}\
header{background:#0f5132;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}\
header a{color:#fff}header form{margin-left:auto}\
main{padding:1rem;max-width:72rem}\
table{border-collapse:collapse;background:#fff;margin:.5rem 0}\
th,td{border:1px solid #c9cfcb;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#e8ecea}\
.en{color:#5b6664;font-size:.85em}\
.ok{color:#0f5132}.bad{color:#a61b1b}.flag{background:#fff3cd}\
label{display:block;margin:.5rem 0 .2rem}\
input,select,textarea,button{font:inherit;padding:.35rem}\
button{background:#0f5132;color:#fff;border:0;border-radius:.25rem;padding:.45rem .9rem}\
.code{font-size:2rem;font-family:monospace;letter-spacing:.15em}";

/// The navigation: each page with the right it needs (`None`: every signed-in account).
const NAV: [(&str, &str, &str, Option<Right>); 8] = [
    (
        "/admin/keluarga",
        "nav-keluarga",
        "Keluarga",
        Some(Right::ReadHouseholds),
    ),
    (
        "/admin/unggah",
        "nav-unggah",
        "Unggah batch",
        Some(Right::UploadBatches),
    ),
    (
        "/admin/petugas",
        "nav-petugas",
        "Petugas",
        Some(Right::ManageEnumerators),
    ),
    ("/admin/ekspor", "nav-ekspor", "Ekspor", Some(Right::Export)),
    (
        "/admin/prelist",
        "nav-prelist",
        "Prelist",
        Some(Right::ImportPrelists),
    ),
    (
        "/admin/akun",
        "nav-akun",
        "Akun staf",
        Some(Right::ManageAccounts),
    ),
    ("/admin/audit", "nav-audit", "Jejak audit", Some(Right::ReadAudit)),
    ("/admin/sesi", "nav-saya", "Akun saya", None),
];

/// A whole page. `signed_in` adds the navigation (what the account's role may open) and
/// the sign-out button.
pub fn page(title: &str, signed_in: bool, body: &str) -> Html<String> {
    let who = super::guard::signed_in();
    let nav = match (signed_in, who) {
        (true, Some(who)) => {
            let mut nav: String = NAV
                .iter()
                .filter(|(_, _, _, right)| right.is_none_or(|r| who.role.may(r)))
                .map(|(path, testid, label, _)| {
                    format!("<a href=\"{path}\" data-testid=\"{testid}\">{label}</a>")
                })
                .collect();
            nav.push_str(&format!(
                "<form method=\"post\" action=\"{}\"><span data-testid=\"signed-in-as\">{}</span> \
                 <button data-testid=\"sign-out\">Keluar <span class=\"en\">(sign out)</span></button></form>",
                super::guard::post_action("/admin/keluar"),
                esc(&who.username),
            ));
            nav
        }
        _ => String::new(),
    };
    Html(format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Verval Hub</title><style>{STYLE}</style></head>\
         <body><header><strong>Verval Hub</strong>{nav}</header><main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title)
    ))
}

/// A page saying what went wrong, with the status that says so too.
pub fn problem(status: StatusCode, message: &str) -> Response {
    (
        status,
        page(
            "Tidak dapat diproses",
            true,
            &format!("<p class=\"bad\" data-testid=\"problem\">{}</p>", esc(message)),
        ),
    )
        .into_response()
}

/// A file to download.
pub fn attachment(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file_name.replace(|c: char| !c.is_ascii_graphic() || c == '"', "_")
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// A bilingual text: Indonesian, then English smaller.
pub fn bi(id: &str, en: &str) -> String {
    format!("{} <span class=\"en\">({})</span>", esc(id), esc(en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_shown_not_run() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
