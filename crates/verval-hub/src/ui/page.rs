//! The frame every page shares, built with maud: every value placed in a page is escaped
//! unless it is wrapped in `PreEscaped`, which only this module's fixed style sheet and the
//! QR codes' SVG (made by the `qrcode` crate from a URL, `app_link::qr_svg`) are.

use crate::regions::RegionTables;
use crate::staff::Right;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:0;color:#1c2526;background:#f6f7f5}\
header{background:#0f5132;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}\
header a{color:#fff}header form{margin-left:auto}\
main{padding:1rem;max-width:72rem;overflow-wrap:anywhere}\
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}header nav a{display:inline-block;padding:.6rem 0}\
table{border-collapse:collapse;background:#fff;margin:.5rem 0;display:block;max-width:100%;overflow-x:auto}\
th,td{border:1px solid #c9cfcb;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#e8ecea}\
.en{color:#5b6664;font-size:.85em}button .en,header .en{color:inherit}\
.ok{color:#0f5132}.bad{color:#a61b1b}.flag{background:#fff3cd}\
label{display:block;margin:.5rem 0 .2rem}\
input,select,textarea,button{font:inherit;padding:.35rem}\
input:not([type=checkbox]):not([type=radio]),select,button{min-height:2.75rem}\
input,select,textarea{max-width:100%}fieldset{min-width:0}td a{display:inline-block;padding:.2rem 0}\
button{background:#0f5132;color:#fff;border:0;border-radius:.25rem;padding:.45rem .9rem}\
.code{font-size:2rem;font-family:monospace;letter-spacing:.15em}\
.signatures{display:flex;flex-wrap:wrap;justify-content:space-between;gap:2rem;margin-top:2rem}.sign{min-width:12rem;text-align:center}.sign .line{margin-top:4rem}\
.attendance td{height:2.2rem;min-width:2rem}.attendance td:nth-child(2),.attendance td:nth-child(4){min-width:14rem}\
@page{size:A4;margin:15mm}\
@media print{.sheet+.sheet{break-before:page}.sheet{overflow-wrap:normal}.sheet table{width:100%;font-size:.7rem}.sheet td:nth-child(2){white-space:nowrap}header,.no-print,form{display:none}main{max-width:none;padding:0}table{display:table;font-size:.8rem}a{color:inherit;text-decoration:none}.flag{background:#fff3cd;-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// One page of the navigation: where, its test id, its name, the right it needs (`None`:
/// every signed-in account).
struct NavItem {
    path: &'static str,
    testid: &'static str,
    label: &'static str,
    needs: Option<Right>,
}

const NAV: [NavItem; 15] = [
    NavItem {
        path: super::dashboard::PAGE,
        testid: "nav-kemajuan",
        label: "Kemajuan",
        needs: Some(Right::ReadHouseholds),
    },
    NavItem {
        path: super::aid::PAGE,
        testid: "nav-bantuan",
        label: "Bantuan",
        needs: Some(Right::ReadHouseholds),
    },
    NavItem {
        path: super::musdes::PAGE,
        testid: "nav-musdes",
        label: "Musdes",
        needs: Some(Right::ReadHouseholds),
    },
    NavItem {
        path: "/admin/keluarga",
        testid: "nav-keluarga",
        label: "Keluarga",
        needs: Some(Right::ReadHouseholds),
    },
    NavItem {
        path: "/admin/unggah",
        testid: "nav-unggah",
        label: "Unggah batch",
        needs: Some(Right::UploadBatches),
    },
    NavItem {
        path: super::sealed::PAGE,
        testid: "nav-segel",
        label: "Segel",
        needs: Some(Right::UploadBatches),
    },
    NavItem {
        path: "/admin/petugas",
        testid: "nav-petugas",
        label: "Petugas",
        needs: Some(Right::ManageEnumerators),
    },
    NavItem {
        path: super::duplicates::PAGE,
        testid: "nav-ganda",
        label: "Ganda",
        needs: Some(Right::ReadHouseholds),
    },
    NavItem {
        path: super::review_files::PAGE,
        testid: "nav-tinjauan-hp",
        label: "Tinjauan untuk HP",
        needs: Some(Right::HandOutReviews),
    },
    NavItem {
        path: "/admin/ekspor",
        testid: "nav-ekspor",
        label: "Ekspor",
        needs: Some(Right::Export),
    },
    NavItem {
        path: "/admin/prelist",
        testid: "nav-prelist",
        label: "Prelist",
        needs: Some(Right::ImportPrelists),
    },
    NavItem {
        path: super::forms::PAGE,
        testid: "nav-formulir",
        label: "Formulir",
        needs: Some(Right::ManageForms),
    },
    NavItem {
        path: "/admin/akun",
        testid: "nav-akun",
        label: "Akun staf",
        needs: Some(Right::ManageAccounts),
    },
    NavItem {
        path: "/admin/audit",
        testid: "nav-audit",
        label: "Jejak audit",
        needs: Some(Right::ReadAudit),
    },
    NavItem {
        path: "/admin/sesi",
        testid: "nav-saya",
        label: "Akun saya",
        needs: None,
    },
];

/// The header's navigation for the signed-in account (what its role may open) and its
/// sign-out button; nothing on the sign-in page.
fn navigation() -> Markup {
    let Some(who) = super::guard::signed_in() else {
        return html! {};
    };
    html! {
        nav aria-label="Menu" {
            @for item in NAV.iter().filter(|i| i.needs.is_none_or(|r| who.role.may(r))) {
                a href=(item.path) data-testid=(item.testid) { (item.label) }
            }
        }
        form method="post" action=(super::guard::post_action("/admin/keluar")) {
            span data-testid="signed-in-as" { (who.username) } " "
            button data-testid="sign-out" { (bi("Keluar", "sign out")) }
        }
    }
}

/// A whole page: the frame, the title as its heading, and `body`.
pub fn page(title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Verval Hub" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { strong { "Verval Hub" } (navigation()) }
                main { h1 { (title) } (body) }
            }
        }
    };
    markup.into_response()
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

/// A file too big to hold in memory, as a download: read from `file` (already at its start)
/// while it is sent.
pub fn streamed_attachment(
    content_type: &'static str,
    file_name: &str,
    file: std::fs::File,
    length: u64,
) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file_name.replace(|c: char| !c.is_ascii_graphic() || c == '"', "_")
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, length.to_string()),
        ],
        axum::body::Body::new(FileBody::new(file)),
    )
        .into_response()
}

/// A response body read from a file in chunks.
struct FileBody {
    file: tokio::fs::File,
    buffer: Box<[u8]>,
}

impl FileBody {
    fn new(file: std::fs::File) -> FileBody {
        FileBody {
            file: tokio::fs::File::from_std(file),
            buffer: vec![0; 64 * 1024].into_boxed_slice(),
        }
    }
}

impl http_body::Body for FileBody {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        use tokio::io::AsyncRead;
        let this = self.get_mut();
        let mut read = tokio::io::ReadBuf::new(&mut this.buffer);
        match std::pin::Pin::new(&mut this.file).poll_read(cx, &mut read) {
            std::task::Poll::Pending => std::task::Poll::Pending,
            std::task::Poll::Ready(Err(e)) => std::task::Poll::Ready(Some(Err(e))),
            std::task::Poll::Ready(Ok(())) if read.filled().is_empty() => std::task::Poll::Ready(None),
            std::task::Poll::Ready(Ok(())) => std::task::Poll::Ready(Some(Ok(http_body::Frame::data(
                axum::body::Bytes::copy_from_slice(read.filled()),
            )))),
        }
    }
}

/// A bilingual text: Indonesian, then English smaller.
pub fn bi(id: &str, en: &str) -> Markup {
    html! { (id) " " span.en lang="en" { "(" (en) ")" } }
}

/// A workbook of `tables` to download as `file_name`, each region code named beside it.
pub fn workbook(
    tables: &[&verval_core::export::Table],
    regions: &RegionTables,
    file_name: &str,
) -> Result<Response, super::error::PageError> {
    let names = regions.names_in(tables.iter().copied());
    let bytes = verval_core::export::xlsx::write(tables, &names).map_err(|e| {
        super::error::PageError::internal(format!("Buku kerja tidak dapat dibuat (workbook failed): {e}"))
    })?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name,
        bytes,
    ))
}

/// A region as a file names it: `351314` for 35.13.14, `semua` for the whole district.
pub fn area_slug(region: Option<&verval_core::region::RegionCode>) -> String {
    region.map_or("semua".to_owned(), |r| r.as_str().replace('.', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_shown_not_run() {
        let shown = bi("<script>alert('x')</script>", "& \"q\"").into_string();
        assert_eq!(
            shown,
            "&lt;script&gt;alert('x')&lt;/script&gt; <span class=\"en\" lang=\"en\">(&amp; &quot;q&quot;)</span>"
        );
    }
}
