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
