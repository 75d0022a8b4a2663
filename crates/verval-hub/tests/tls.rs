//! HTTPS served by the hub itself (issue #18, item 1): a certificate from PEM files, a
//! renewal picked up without a restart, a bad pair refused at start, a plain-HTTP client
//! turned away at once.

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use support::*;
use verval_hub::tls::{acceptor, CertificateFiles};
use verval_hub::{Config, Hub, HEALTH_PATH};

/// A self-signed certificate for 127.0.0.1 written to `dir`: (certificate PEM, its path,
/// the key's path).
fn certificate(dir: &Path, name: &str) -> (String, std::path::PathBuf, std::path::PathBuf) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .expect("a certificate");
    let (cert, key) = (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
    std::fs::write(&cert, made.cert.pem()).expect("cert");
    std::fs::write(&key, made.key_pair.serialize_pem()).expect("key");
    (made.cert.pem(), cert, key)
}

async fn start_tls(db: verval_hub::db::Db, files: CertificateFiles) -> SocketAddr {
    let listener = verval_hub::server::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let config = Config::default();
    let limits = config.server;
    let tls = acceptor(files).expect("an acceptor");
    tokio::spawn(async move {
        verval_hub::server::serve(
            listener,
            verval_hub::router(Hub::new(db, config)),
            limits,
            Some(tls),
            std::future::pending(),
        )
        .await
        .expect("serve");
    });
    addr
}

/// A client that trusts only `pem`.
fn trusting(pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("pem"))
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn health(client: &reqwest::Client, addr: SocketAddr) -> Result<u16, String> {
    client
        .get(format!("https://{addr}{HEALTH_PATH}"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map_err(|e| format!("{e:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_serves_https_and_picks_up_a_renewal() {
    let dir = std::env::temp_dir().join(format!("verval-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (first, cert, key) = certificate(&dir, "hub");
    let files = CertificateFiles::open(cert.clone(), key.clone(), Duration::ZERO).expect("the pair");
    let addr = start_tls(fresh_db(Backend::Sqlite).await, files).await;
    assert_eq!(health(&trusting(&first), addr).await, Ok(200));

    // Renewed in place, as certbot does: the next connection gets the new certificate.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (renewed, new_cert, new_key) = certificate(&dir, "renewed");
    std::fs::copy(&new_key, &key).expect("key");
    std::fs::copy(&new_cert, &cert).expect("cert");
    assert_eq!(health(&trusting(&renewed), addr).await, Ok(200));
    assert!(
        health(&trusting(&first), addr).await.is_err(),
        "the old certificate is gone"
    );

    // A renewal caught half-written: the certificate in use stays.
    std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\nterpotong\n").expect("half");
    assert_eq!(health(&trusting(&renewed), addr).await, Ok(200));

    // Plain HTTP to the HTTPS port: turned away, not left hanging.
    let plain = client().get(format!("http://{addr}{HEALTH_PATH}")).send().await;
    assert!(plain.is_err() || plain.is_ok_and(|r| r.status() != 200));
}

#[test]
fn a_pair_that_does_not_load_is_refused_at_start_with_the_reason() {
    let dir = std::env::temp_dir().join(format!("verval-tls-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (_, cert, key) = certificate(&dir, "hub");
    let missing =
        CertificateFiles::open(dir.join("tidak-ada.crt"), key.clone(), Duration::ZERO).expect_err("no file");
    assert!(missing.to_string().contains("tidak-ada.crt"), "{missing}");
    let swapped = CertificateFiles::open(key.clone(), cert.clone(), Duration::ZERO).expect_err("swapped");
    assert!(swapped.to_string().contains("no certificate"), "{swapped}");
}
