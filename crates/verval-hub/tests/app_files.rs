//! The hub serves the built app beside its API: hashed files cached for good, pages and the
//! service worker revalidated, nothing outside the app directory reachable.

mod support;

use support::*;
use verval_hub::Config;

#[tokio::test]
async fn the_app_is_served_with_the_right_cache_rules() {
    let dir = std::env::temp_dir().join(format!("verval-hub-app-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Verval</title>").expect("write");
    std::fs::write(dir.join("sw.js"), "self.x = 1;").expect("write");
    std::fs::write(dir.join("verval-0123456789abcdef_bg.wasm"), b"\0asm").expect("write");
    std::fs::write(dir.join("data/35.json"), "{}").expect("write");
    std::fs::write(dir.with_extension("secret"), "no").expect("write");

    let db = fresh_db(Backend::Sqlite).await;
    let addr = start_hub(
        db,
        Config {
            app_dir: Some(dir.clone()),
            ..Config::default()
        },
    )
    .await;
    let get = |path: &str| client().get(format!("http://{addr}{path}")).send();

    let index = get("/").await.expect("index");
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert_eq!(index.headers()["content-type"], "text/html; charset=utf-8");
    assert!(index.text().await.expect("body").contains("Verval"));

    let worker = get("/sw.js").await.expect("sw");
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    assert_eq!(worker.headers()["content-type"], "text/javascript; charset=utf-8");

    let wasm = get("/verval-0123456789abcdef_bg.wasm").await.expect("wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    assert_eq!(get("/data/35.json").await.expect("data").status(), 200);
    assert_eq!(get("/tidak-ada.js").await.expect("missing").status(), 404);
    let outside = format!(
        "/../{}",
        dir.with_extension("secret")
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
    );
    let escaped = get(&outside).await.expect("outside");
    assert_ne!(escaped.status(), 200);
    let encoded = get("/%2e%2e/etc/passwd").await.expect("encoded");
    assert_ne!(encoded.status(), 200);
    let post = client()
        .post(format!("http://{addr}/index.html"))
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 405);
}

/// Decodes `bytes` with a standard tool: `gzip` for gzip, Node's zlib (the brotli library
/// itself) for brotli.
fn decoded(encoding: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut command = match encoding {
        "gzip" => std::process::Command::new("gzip"),
        "br" => std::process::Command::new("node"),
        other => panic!("no decoder for {other}"),
    };
    match encoding {
        "gzip" => command.arg("-dc"),
        _ => command.args([
            "-e",
            "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))",
        ]),
    };
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("decoder");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write");
    let output = child.wait_with_output().expect("decoded");
    assert!(output.status.success(), "{encoding} could not decode the answer");
    output.stdout
}

#[tokio::test]
async fn the_app_goes_compressed_at_build_time_and_revalidates_by_tag() {
    let dir = std::env::temp_dir().join(format!("verval-hub-packed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let page = format!(
        "<!doctype html><title>Verval</title>{}",
        "<p>Daftar keluarga</p>".repeat(200)
    );
    let script = "export const rumah = 'tangga';\n".repeat(300);
    std::fs::write(dir.join("index.html"), &page).expect("write");
    std::fs::write(dir.join("verval-0123456789abcdef.js"), &script).expect("write");
    std::fs::write(dir.join("icon.png"), [0x89, b'P', b'N', b'G'].repeat(100)).expect("write");
    // The build's own step writes the copies (scripts/post-build.mjs runs it).
    let precompress = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/precompress.mjs");
    run_ok(
        std::process::Command::new("node").arg(precompress).arg(&dir),
        "precompress",
    );
    assert!(dir.join("index.html.br").exists() && dir.join("index.html.gz").exists());
    assert!(
        !dir.join("icon.png.br").exists(),
        "images are not compressed again"
    );

    let db = fresh_db(Backend::Sqlite).await;
    let app_dir = Some(dir.clone());
    let addr = start_hub(
        db,
        Config {
            app_dir,
            ..Config::default()
        },
    )
    .await;
    let get = |path: &str, headers: &[(&str, &str)]| {
        let mut request = client().get(format!("http://{addr}{path}"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };

    let chromium = [("accept-encoding", "gzip, deflate, br, zstd")];
    let brotli = get("/", &chromium).await.expect("index");
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["vary"], "accept-encoding");
    assert_eq!(brotli.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(brotli.headers()["cache-control"], "no-cache");
    let tag = brotli.headers()["etag"].to_str().expect("tag").to_owned();
    let body = brotli.bytes().await.expect("body");
    assert!(
        body.len() < page.len() / 4,
        "{} bytes of {}",
        body.len(),
        page.len()
    );
    assert_eq!(decoded("br", &body), page.as_bytes());

    let gzip = get(
        "/verval-0123456789abcdef.js",
        &[("accept-encoding", "gzip, deflate")],
    )
    .await
    .expect("js");
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(
        gzip.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        decoded("gzip", &gzip.bytes().await.expect("body")),
        script.as_bytes()
    );

    let plain = get("/", &[]).await.expect("plain");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(
        plain.headers()["vary"],
        "accept-encoding",
        "a cache must not hand it to a br client"
    );
    assert_ne!(
        plain.headers()["etag"].to_str().expect("tag"),
        tag,
        "one tag per encoding"
    );
    assert_eq!(plain.bytes().await.expect("body"), page.as_bytes());

    let head = client()
        .head(format!("http://{addr}/"))
        .header("accept-encoding", "br")
        .send();
    let head = head.await.expect("head");
    let br_length = std::fs::metadata(dir.join("index.html.br")).expect("br").len();
    assert_eq!(head.headers()["content-length"], br_length.to_string().as_str());

    // Revalidation: the same tag and encoding is 304 with no body; another encoding is not.
    let again = get("/", &[chromium[0], ("if-none-match", tag.as_str())])
        .await
        .expect("again");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().expect("tag"), tag);
    assert!(again.bytes().await.expect("body").is_empty());
    let other = get(
        "/",
        &[("accept-encoding", "gzip"), ("if-none-match", tag.as_str())],
    )
    .await;
    assert_eq!(other.expect("gzip").status(), 200);

    let image = get("/icon.png", &chromium).await.expect("png");
    assert!(image.headers().get("content-encoding").is_none());
    assert!(image.headers().get("vary").is_none());

    // A page changed after the build is served as it is now, never its stale copy.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Baru</title>").expect("write");
    let changed = get("/", &chromium).await.expect("changed");
    assert!(changed.headers().get("content-encoding").is_none());
    assert_ne!(changed.headers()["etag"].to_str().expect("tag"), tag);
    assert!(changed.text().await.expect("body").contains("Baru"));
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[tokio::test]
async fn the_district_pages_go_compressed_to_a_browser() {
    let db = fresh_db(Backend::Sqlite).await;
    let addr = start_hub(db, Config::default()).await;
    let sign_in = client()
        .get(format!("http://{addr}/admin/masuk"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("sign-in page");
    assert_eq!(sign_in.status(), 200);
    assert_eq!(sign_in.headers()["content-encoding"], "gzip");
    let html = String::from_utf8(decoded("gzip", &sign_in.bytes().await.expect("body"))).expect("utf-8");
    assert!(html.contains("name=\"password\""), "{html}");
}
