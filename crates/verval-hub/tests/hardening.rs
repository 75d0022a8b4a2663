//! The hub against misbehaving clients (issue #17, rows 4, 7, 9 and 11): slow or idle
//! connections, bodies sent to pages nobody signed in to, forms posted from another site,
//! guessed passwords, and the headers every answer needs.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use verval_hub::db::Db;
use verval_hub::server::ServerLimits;
use verval_hub::{Config, HEALTH_PATH};

const PASSWORD: &str = "dinsos-probolinggo";

/// A hub with small limits, so that each case takes a second, not a minute.
fn quick() -> Config {
    Config {
        server: ServerLimits {
            max_connections: 16,
            header_timeout: Duration::from_millis(700),
            body_idle_timeout: Duration::from_secs(2),
            body_grace: Duration::from_secs(1),
            body_min_rate: 1000,
        },
        ..Config::default()
    }
}

fn with_public_url(url: &str) -> Config {
    Config {
        public_url: Some(verval_hub::public_url::PublicUrl::parse(url).expect("a public URL")),
        ..quick()
    }
}

async fn with_password(db: &Db) {
    staff_account(db, "admin", "admin", "", PASSWORD).await;
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn sign_in(web: &reqwest::Client, addr: SocketAddr, password: &str) -> reqwest::Response {
    web.post(format!("http://{addr}/admin/masuk"))
        .form(&[("username", "admin"), ("password", password)])
        .send()
        .await
        .expect("sign in")
}

/// Signs in and returns the form token of the session (from a page's form).
async fn signed_in(web: &reqwest::Client, addr: SocketAddr) -> String {
    assert_eq!(sign_in(web, addr, PASSWORD).await.status(), 303);
    let page = web
        .get(format!("http://{addr}/admin/petugas"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    let at = page.find("?_t=").expect("a form token") + 4;
    page[at..at + 32].to_owned()
}

async fn health(addr: SocketAddr) -> u16 {
    client()
        .get(format!("http://{addr}{HEALTH_PATH}"))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

/// Reads what the hub sends until it closes, or `None` if it is still open after `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut answer = Vec::new();
    match tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

async fn slow_and_idle_connections_are_let_go(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db, quick()).await;
    // Headers sent a byte at a time, never finished: closed after the header timeout.
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /admin HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("part");
    let started = Instant::now();
    assert!(closed_within(&mut slow, Duration::from_secs(5)).await.is_some());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // Every slot taken by idle connections: a newcomer is closed at once, not left hanging,
    // and once the idle ones time out the hub answers again.
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut newcomer = TcpStream::connect(addr).await.expect("the kernel accepts");
    let _ = newcomer
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = closed_within(&mut newcomer, Duration::from_secs(2)).await;
    assert_eq!(answer.as_deref(), Some(""), "closed without an answer");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(health(addr).await, 200);
    drop(idle);
}
both!(slow_and_idle_connections_are_let_go);

async fn a_trickling_body_is_cut_off_and_the_phone_told_to_retry(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), quick()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Length: 100000\r\n\r\n",
        verval_core::sync::api::BATCHES_PATH,
        device.token
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let started = Instant::now();
    let mut answer = Vec::new();
    while started.elapsed() < Duration::from_secs(10) {
        if stream.write_all(b"PK").await.is_err() {
            break;
        }
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.contains("\"error\":\"busy\""),
        "the phone retries later: {answer}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count(&db, "batches").await, 0);
}
both!(a_trickling_body_is_cut_off_and_the_phone_told_to_retry);

async fn a_body_for_a_page_nobody_signed_in_to_is_never_read(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db, quick()).await;
    for path in ["/admin/petugas", "/admin/unggah", "/admin/prelist"] {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 67108864\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("head");
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf))
            .await
            .expect("answered at once, without the 64 MiB")
            .expect("read");
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(answer.starts_with("HTTP/1.1 303"), "{path}: {answer}");
        assert!(answer.contains("location: /admin/masuk"), "{path}: {answer}");
    }
}
both!(a_body_for_a_page_nobody_signed_in_to_is_never_read);

async fn a_form_may_send_what_a_form_needs(backend: Backend) {
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db.clone(), quick()).await;
    let web = browser();
    let t = signed_in(&web, addr).await;
    let long = "3".repeat(100 << 10);
    let answer = web
        .post(format!("http://{addr}/admin/petugas?_t={t}"))
        .form(&[("nama", "Siti"), ("desa", long.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 413);
    assert_eq!(count(&db, "enumerators").await, 0);
}
both!(a_form_may_send_what_a_form_needs);

async fn forms_posted_from_another_site_change_nothing(backend: Backend) {
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db.clone(), quick()).await;
    let web = browser();
    let t = signed_in(&web, addr).await;
    let add = |url: String, headers: &[(&'static str, &str)]| {
        let mut request = web.post(url).form(&[("nama", "Penyusup"), ("desa", VILLAGE)]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let url = format!("http://{addr}/admin/petugas?_t={t}");
    // A page on another port of the same host (same-site, not same-origin).
    let same_site = add(url.clone(), &[("sec-fetch-site", "same-site")])
        .await
        .expect("post");
    assert_eq!(same_site.status(), 403);
    let other_origin = add(url.clone(), &[("origin", "http://127.0.0.1:9")])
        .await
        .expect("post");
    assert_eq!(other_origin.status(), 403);
    // No token, or another session's token.
    let without = add(format!("http://{addr}/admin/petugas"), &[])
        .await
        .expect("post");
    assert_eq!(without.status(), 403);
    let forged = add(format!("http://{addr}/admin/petugas?_t={}", "0".repeat(32)), &[])
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    // Signing in from another site's page is refused too.
    let lured = web
        .post(format!("http://{addr}/admin/masuk"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(lured.status(), 403);
    assert_eq!(count(&db, "enumerators").await, 0);
    // The hub's own form, from its own page, works.
    let own = add(
        url,
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", format!("http://{addr}").as_str()),
        ],
    )
    .await
    .expect("post");
    assert_eq!(own.status(), 200);
    assert_eq!(count(&db, "enumerators").await, 1);
}
both!(forms_posted_from_another_site_change_nothing);

async fn guessed_passwords_wait_longer_each_time(backend: Backend) {
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db, quick()).await;
    let web = browser();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(sign_in(&web, addr, "tebakan-salah").await.status().as_u16());
    }
    assert_eq!(statuses[..6], [401; 6], "{statuses:?}");
    assert_eq!(statuses[6..], [429; 2], "{statuses:?}");
    let throttled = sign_in(&web, addr, PASSWORD).await;
    assert_eq!(throttled.status(), 429, "the right password waits too");
    let wait: u64 = throttled
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(throttled.text().await.expect("page").contains("Coba lagi dalam"));
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(200)).await;
    assert_eq!(sign_in(&web, addr, PASSWORD).await.status(), 303);
}
both!(guessed_passwords_wait_longer_each_time);

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn every_answer_carries_the_headers_it_needs(backend: Backend) {
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db.clone(), quick()).await;
    let web = browser();
    let _ = signed_in(&web, addr).await;
    for path in [
        "/admin/masuk",
        "/admin/petugas",
        "/admin/ekspor/unduh?profil=lengkap&format=xlsx",
    ] {
        let page = web.get(format!("http://{addr}{path}")).send().await.expect("get");
        assert_eq!(header(&page, "x-frame-options"), Some("DENY"), "{path}");
        let csp = header(&page, "content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(header(&page, "cache-control"), Some("no-store"), "{path}");
        assert_eq!(header(&page, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&page, "referrer-policy"), Some("same-origin"), "{path}");
        assert_eq!(
            header(&page, "strict-transport-security"),
            None,
            "no HSTS over plain HTTP"
        );
    }
    let api = client()
        .get(format!("http://{addr}{HEALTH_PATH}"))
        .send()
        .await
        .expect("get");
    assert_eq!(header(&api, "cache-control"), Some("no-store"));
    assert_eq!(header(&api, "x-content-type-options"), Some("nosniff"));

    let https = start_hub(db, with_public_url("https://verval.probolinggokab.go.id")).await;
    let page = client()
        .get(format!("http://{https}/admin/masuk"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        header(&page, "strict-transport-security"),
        Some("max-age=31536000")
    );
}
both!(every_answer_carries_the_headers_it_needs);

async fn a_sheet_with_two_cells_far_apart_is_refused_and_the_hub_stays_up(backend: Backend) {
    // Row 1: A1 and XFD1048576 made the reader allocate ~512 GiB and the hub abort.
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db.clone(), quick()).await;
    let web = browser();
    let t = signed_in(&web, addr).await;
    let far = verval_core::prelist::fixtures::sparse_xlsx(None, &[("A1", "NIK"), ("XFD1048576", "x")]);
    let form = reqwest::multipart::Form::new().part(
        "prelist",
        reqwest::multipart::Part::bytes(far.clone()).file_name("p3ke.xlsx"),
    );
    let answer = web
        .post(format!("http://{addr}/admin/prelist?_t={t}"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let page = answer.text().await.expect("page");
    assert!(page.contains("data-testid=\"prelist-refused\""), "{page}");
    assert!(page.contains("terlalu besar"), "{page}");
    assert_eq!(health(addr).await, 200);
    assert_eq!(count(&db, "prelist_families").await, 0);

    // The command line says the same.
    let dir = std::env::temp_dir().join(format!("verval-far-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("p3ke.xlsx");
    std::fs::write(&file, far).expect("write");
    let args = [
        "prelist".to_owned(),
        "check".to_owned(),
        file.display().to_string(),
    ];
    assert_eq!(verval_hub::cli::run(&args).await, Ok(false));
}
both!(a_sheet_with_two_cells_far_apart_is_refused_and_the_hub_stays_up);

async fn the_qr_and_the_cookie_follow_the_public_url_not_the_request(backend: Backend) {
    // Issue #18 (with #17's headers): the enrolment QR was built from `Host` and
    // `X-Forwarded-Proto`, which any client sets; the cookie had no `Secure`.
    let db = fresh_db(backend).await;
    with_password(&db).await;
    let addr = start_hub(db.clone(), with_public_url("https://verval.probolinggokab.go.id")).await;
    let web = browser();
    let signed = sign_in(&web, addr, PASSWORD).await;
    let cookie = header(&signed, "set-cookie").unwrap_or_default().to_owned();
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // A Secure cookie does not travel over this test's plain HTTP: sign in without it.
    let insecure = start_hub(db.clone(), quick()).await;
    let plain = sign_in(&browser(), insecure, PASSWORD).await;
    assert!(!header(&plain, "set-cookie")
        .unwrap_or_default()
        .contains("Secure"));
}
both!(the_qr_and_the_cookie_follow_the_public_url_not_the_request);

#[test]
fn the_enrolment_address_comes_from_the_public_url_or_from_this_computer() {
    use verval_hub::ui::enumerators::enrol_url;
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("host", "evil.example".parse().expect("host"));
    headers.insert("x-forwarded-proto", "https".parse().expect("proto"));
    let local: SocketAddr = "127.0.0.1:50000".parse().expect("addr");
    let outside: SocketAddr = "10.1.2.3:50000".parse().expect("addr");
    let public = verval_hub::public_url::PublicUrl::parse("https://verval.go.id").expect("url");
    // With a public URL, whatever the request says.
    assert_eq!(
        enrol_url(Some(&public), outside, &headers, "KODE").as_deref(),
        Ok("https://verval.go.id/?daftar=KODE")
    );
    // Without one, a request from outside gets no address, and says why.
    let refused = enrol_url(None, outside, &headers, "KODE").expect_err("no QR from outside");
    assert!(refused.contains("--public-url"), "{refused}");
    // From this computer, the address it used (plain HTTP: X-Forwarded-Proto is ignored).
    assert_eq!(
        enrol_url(None, local, &headers, "KODE").as_deref(),
        Ok("http://evil.example/?daftar=KODE")
    );
    // Passed on by a proxy on this computer: from outside after all.
    for forwarded in ["x-forwarded-for", "forwarded", "x-real-ip"] {
        let mut proxied = headers.clone();
        proxied.insert(forwarded, "10.1.2.3".parse().expect("value"));
        let refused = enrol_url(None, local, &proxied, "KODE").expect_err("no QR through a proxy");
        assert!(refused.contains("--public-url"), "{forwarded}: {refused}");
    }
}
