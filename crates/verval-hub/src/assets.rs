//! Serves the built app (the `dist` directory) beside the API: hashed files (`name-<16 hex>`)
//! are cached forever, everything else (the pages, the service worker, the worker loader) is
//! revalidated on every visit so a new build reaches phones on their next visit. Each file goes
//! as the brotli or gzip copy written beside it at build time when the client takes one
//! (issue #26), so the first visit downloads a third of the bytes with no work per request.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Whether a file name carries Trunk's content hash (`verval-55d4a8b66291037f_bg.wasm`).
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The file under `root` a request path names, or `None` when it would leave `root`.
fn resolve(root: &Path, uri_path: &str) -> Option<PathBuf> {
    let relative = uri_path.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let mut path = root.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            _ => return None,
        }
    }
    Some(path)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

pub fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "tidak ditemukan (not found)\n")
}

/// How a file may travel: as it is, or as the copy `scripts/precompress.mjs` wrote beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The copy's suffix and its `Content-Encoding` name.
    fn copy(self) -> Option<(&'static str, &'static str)> {
        match self {
            Encoding::Brotli => Some((".br", "br")),
            Encoding::Gzip => Some((".gz", "gzip")),
            Encoding::Identity => None,
        }
    }
}

/// Files worth a compressed copy, as `scripts/precompress.mjs` names them (`COMPRESSIBLE`).
/// The extensions `scripts/precompress.mjs` writes copies for (its `COMPRESSIBLE`; a test
/// holds the two lists equal): their answers vary by `Accept-Encoding`.
const COMPRESSIBLE: [&str; 8] = ["html", "js", "mjs", "wasm", "css", "svg", "json", "webmanifest"];

fn compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

/// The compressed copies a client takes, best first, from its `Accept-Encoding`
/// (RFC 9110 §12.5.3): `q=0` refuses a coding, `*` stands for any not named, and at equal
/// weight brotli (smaller) goes first. Identity is always acceptable as the last resort.
pub fn accepted(accept_encoding: Option<&str>) -> Vec<Encoding> {
    let mut weights: Vec<(Encoding, u16)> = Vec::new();
    let mut any: Option<u16> = None;
    for entry in accept_encoding.unwrap_or("").split(',') {
        let mut parts = entry.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .or_else(|| p.trim().strip_prefix("Q="))
            })
            .map(quality)
            .next()
            .unwrap_or(1000);
        match coding.as_str() {
            "br" => weights.push((Encoding::Brotli, weight)),
            "gzip" | "x-gzip" => weights.push((Encoding::Gzip, weight)),
            "*" => any = Some(weight),
            _ => {}
        }
    }
    let weight_of = |encoding: Encoding| {
        weights
            .iter()
            .find(|(e, _)| *e == encoding)
            .map(|(_, w)| *w)
            .or(any)
            .unwrap_or(0)
    };
    let mut chosen: Vec<(Encoding, u16)> = [Encoding::Brotli, Encoding::Gzip]
        .into_iter()
        .map(|e| (e, weight_of(e)))
        .filter(|(_, w)| *w > 0)
        .collect();
    // Stable: brotli stays ahead of gzip at equal weight.
    chosen.sort_by_key(|(_, weight)| std::cmp::Reverse(*weight));
    chosen
        .into_iter()
        .map(|(e, _)| e)
        .chain([Encoding::Identity])
        .collect()
}

/// A `q` value in thousandths; anything unreadable counts as refused.
fn quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{fraction:0<3}");
    match (whole, digits.get(..3).map(str::parse::<u16>)) {
        ("1", _) => 1000,
        ("0", Some(Ok(thousandths))) if fraction.len() <= 3 => thousandths,
        _ => 0,
    }
}

/// Whether an `If-None-Match` names this entity tag (weak comparison, as RFC 9110 §13.1.2
/// asks for a `GET`).
fn none_match(header: Option<&str>, etag: &str) -> bool {
    header.is_some_and(|list| {
        list.split(',').map(str::trim).any(|tag| {
            tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag.strip_prefix("W/").unwrap_or(etag)
        })
    })
}

fn nanos(time: std::io::Result<std::time::SystemTime>) -> u128 {
    time.ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// The file to send for `path`: its compressed copy the client takes first, when there is one
/// at least as new as the file (a file changed after the build is never sent stale), or the
/// file itself. Returns the path read, its encoding and its entity tag.
async fn representation(
    path: &Path,
    file: &std::fs::Metadata,
    accept_encoding: Option<&str>,
) -> (PathBuf, Encoding, String) {
    let modified = nanos(file.modified());
    let tag = |encoding: &str| format!("\"{:x}-{modified:x}{encoding}\"", file.len());
    if compressible(path) {
        for encoding in accepted(accept_encoding) {
            let Some((suffix, name)) = encoding.copy() else {
                break;
            };
            let mut copy = path.as_os_str().to_owned();
            copy.push(suffix);
            let copy = PathBuf::from(copy);
            if let Ok(meta) = tokio::fs::metadata(&copy).await {
                if meta.is_file() && nanos(meta.modified()) >= modified {
                    return (copy, encoding, tag(&format!("-{name}")));
                }
            }
        }
    }
    (path.to_path_buf(), Encoding::Identity, tag(""))
}

/// Serves a file of the built app. Compressible files go as their build-time brotli or gzip
/// copy when the client accepts one (`Vary: Accept-Encoding`); every answer has an entity
/// tag, and a revalidation whose tag still matches gets `304` with no body.
pub async fn serve(root: &Path, method: &Method, headers: &HeaderMap, uri: &Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    }
    let Some(path) = resolve(root, uri.path()) else {
        return plain(StatusCode::FORBIDDEN, "forbidden\n");
    };
    let file = match tokio::fs::metadata(&path).await {
        Ok(meta) if meta.is_file() => meta,
        _ => return not_found(),
    };
    // Every line of a header a client repeats, as one list.
    let text = |name| {
        let lines: Vec<&str> = headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!lines.is_empty()).then(|| lines.join(","))
    };
    let accept_encoding = text(header::ACCEPT_ENCODING);
    let (mut read, mut encoding, mut etag) = representation(&path, &file, accept_encoding.as_deref()).await;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let cache = if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if none_match(text(header::IF_NONE_MATCH).as_deref(), &etag) {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        // A copy gone since it was chosen (a new build being copied in): the file itself.
        if encoding != Encoding::Identity && tokio::fs::metadata(&read).await.is_err() {
            (read, encoding, etag) = representation(&path, &file, None).await;
        }
        let (length, body) = if method == Method::HEAD {
            match tokio::fs::metadata(&read).await {
                Ok(meta) => (meta.len(), Body::empty()),
                Err(_) => return not_found(),
            }
        } else {
            match tokio::fs::read(&read).await {
                Ok(bytes) => (bytes.len() as u64, Body::from(bytes)),
                Err(_) => return not_found(),
            }
        };
        let length = HeaderValue::from(length);
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_LENGTH, length);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(&path)),
        );
        if let Some((_, name)) = encoding.copy() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if compressible(&path) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build writes the copies, the hub sends them: one list in each language, held
    /// equal here so that a type added to one is not silently missing from the other.
    #[test]
    fn compresses_what_the_build_writes_copies_for() {
        let script = include_str!("../../../scripts/precompress.mjs");
        let line = script
            .lines()
            .find(|l| l.starts_with("export const COMPRESSIBLE"))
            .expect("precompress.mjs declares COMPRESSIBLE");
        let listed: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
        let ours: Vec<String> = COMPRESSIBLE.iter().map(|e| format!(".{e}")).collect();
        assert_eq!(listed, ours);
    }

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed("verval-55d4a8b66291037f_bg.wasm"));
        assert!(is_hashed("styles-30f0b514523d25b2.css"));
        assert!(is_hashed("keluarga-244dcbf252e79b02.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("ekspor_worker_loader.js"));
        assert!(!is_hashed("verval-55d4a8b66291037.js"));
        assert!(!is_hashed("verval-55d4a8b66291037g.js"));
    }

    #[test]
    fn the_encoding_is_the_one_the_client_prefers() {
        use Encoding::*;
        assert_eq!(
            accepted(Some("gzip, deflate, br, zstd")),
            [Brotli, Gzip, Identity]
        );
        assert_eq!(accepted(Some("gzip, deflate")), [Gzip, Identity]);
        assert_eq!(accepted(Some("br;q=0.5, gzip")), [Gzip, Brotli, Identity]);
        assert_eq!(accepted(Some("gzip;q=0.8, br;q=0.9")), [Brotli, Gzip, Identity]);
        assert_eq!(accepted(Some("BR, GZIP;Q=0.001")), [Brotli, Gzip, Identity]);
        assert_eq!(accepted(Some("br;q=0, gzip;q=0")), [Identity]);
        assert_eq!(accepted(Some("*")), [Brotli, Gzip, Identity]);
        assert_eq!(accepted(Some("*;q=0.3, br;q=0")), [Gzip, Identity]);
        assert_eq!(accepted(Some("identity")), [Identity]);
        assert_eq!(accepted(None), [Identity]);
        // Unreadable weights refuse rather than guess.
        assert_eq!(accepted(Some("br;q=2, gzip;q=0.0001")), [Identity]);
    }

    #[test]
    fn a_revalidation_matches_by_weak_comparison() {
        assert!(none_match(Some("\"a-1-br\""), "\"a-1-br\""));
        assert!(none_match(Some("\"x\", W/\"a-1\""), "\"a-1\""));
        assert!(none_match(Some("*"), "\"a-1\""));
        assert!(!none_match(Some("\"a-1\""), "\"a-1-br\""));
        assert!(!none_match(None, "\"a-1\""));
    }

    #[test]
    fn paths_cannot_leave_the_app_directory() {
        let root = Path::new("/srv/dist");
        assert_eq!(resolve(root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(root, "/data/35.json"), Some(root.join("data/35.json")));
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/data/../../x"), None);
    }
}
