//! Certificates by ACME (issue #18, item 1): the real hub binary built with `--features acme`
//! orders a certificate for `verval.test` from Pebble (Let's Encrypt's test CA, Debian's
//! `pebble` package), which checks the domain by TLS-ALPN-01 on the hub's own port; names
//! are resolved by `pebble-challtestsrv`'s DNS, every address is 127.0.0.1. After a restart
//! with the CA gone, the hub serves the certificate it kept. Without the feature, the hub
//! says how to get it.

#[cfg(not(feature = "acme"))]
#[test]
fn a_hub_built_without_acme_says_so() {
    let db = std::env::temp_dir().join(format!("verval-no-acme-{}.sqlite", std::process::id()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_verval-hub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args(["--acme", "verval.kab.go.id", "--acme-email", "tik@kab.go.id"])
        .env("VERVAL_HUB_ADMIN_PASSWORD", "kata-sandi-uji")
        .output()
        .expect("the hub runs");
    let _ = std::fs::remove_file(&db);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("built without ACME") && said.contains("--features acme"),
        "{said}"
    );
}

#[cfg(feature = "acme")]
mod with_pebble {
    use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};
    use verval_hub::HEALTH_PATH;

    const DOMAIN: &str = "verval.test";

    /// Child processes killed when the test ends, passed or not.
    struct Running(Vec<Child>);

    impl Drop for Running {
        fn drop(&mut self) {
            for child in &mut self.0 {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    fn free_port() -> u16 {
        // Free for both TCP and UDP: the DNS server binds both.
        loop {
            let tcp = TcpListener::bind("127.0.0.1:0").expect("a port");
            let port = tcp.local_addr().expect("addr").port();
            if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
                return port;
            }
        }
    }

    fn wait_for_port(port: u16, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{what} did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn spawn(command: &mut Command, log: &Path) -> Child {
        let out = std::fs::File::create(log).expect("log");
        command
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {command:?} (scripts/ensure-tools installs pebble): {e}")
            })
    }

    /// Pebble's own HTTPS listener needs a certificate: a self-signed one for 127.0.0.1,
    /// which the hub is told to trust (--acme-directory-ca).
    fn pebble_listener_certificate(dir: &Path) -> (PathBuf, PathBuf, String) {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("a certificate");
        let (cert, key) = (dir.join("pebble.crt"), dir.join("pebble.key"));
        std::fs::write(&cert, made.cert.pem()).expect("cert");
        std::fs::write(&key, made.key_pair.serialize_pem()).expect("key");
        (cert, key, made.cert.pem())
    }

    fn client(root_pem: &str, hub: u16) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(root_pem.as_bytes()).expect("pem"))
            .resolve(DOMAIN, SocketAddr::from(([127, 0, 0, 1], hub)))
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(5))
            .build()
            .expect("client")
    }

    fn start_hub(dir: &Path, hub: u16, pebble: u16, pebble_ca: &Path, log: &str) -> Child {
        spawn(
            Command::new(env!("CARGO_BIN_EXE_verval-hub"))
                .args(["serve", "--listen", &format!("127.0.0.1:{hub}")])
                .args(["--db", &format!("sqlite://{}", dir.join("hub.sqlite").display())])
                .args(["--acme", DOMAIN, "--acme-email", "tik@example.org"])
                .args(["--acme-cache", &dir.join("acme").display().to_string()])
                .args(["--acme-directory", &format!("https://127.0.0.1:{pebble}/dir")])
                .args(["--acme-directory-ca", &pebble_ca.display().to_string()])
                .env("VERVAL_HUB_ADMIN_PASSWORD", "kata-sandi-uji")
                .stdin(Stdio::null()),
            &dir.join(log),
        )
    }

    /// Health over HTTPS to `verval.test`, trusting only `root_pem`, until it answers or
    /// `within` passes; the hub's log is in the failure message.
    async fn healthy_within(root_pem: &str, hub: u16, within: Duration, log: &Path) -> reqwest::Response {
        let client = client(root_pem, hub);
        let deadline = Instant::now() + within;
        loop {
            match client
                .get(format!("https://{DOMAIN}:{hub}{HEALTH_PATH}"))
                .send()
                .await
            {
                Ok(response) => return response,
                Err(e) if Instant::now() > deadline => panic!(
                    "no HTTPS from the hub within {within:?}: {e:?}\nhub log:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                ),
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_hub_gets_its_certificate_from_an_acme_ca_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("verval-acme-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let (pebble_cert, pebble_key, pebble_pem) = pebble_listener_certificate(&dir);
        let (hub, pebble, management, dns) = (free_port(), free_port(), free_port(), free_port());

        let config = serde_json::json!({ "pebble": {
            "listenAddress": format!("127.0.0.1:{pebble}"),
            "managementListenAddress": format!("127.0.0.1:{management}"),
            "certificate": pebble_cert, "privateKey": pebble_key,
            "httpPort": free_port(), "tlsPort": hub,
            "ocspResponderURL": "", "externalAccountBindingRequired": false,
        }});
        std::fs::write(dir.join("pebble.json"), config.to_string()).expect("config");
        let mut running = Running(vec![]);
        running.0.push(spawn(
            Command::new("pebble-challtestsrv")
                .args(["-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
                .args(["-dns01", &format!("127.0.0.1:{dns}")])
                .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
                .args(["-management", &format!("127.0.0.1:{}", free_port())]),
            &dir.join("dns.log"),
        ));
        running.0.push(spawn(
            Command::new("pebble")
                .args(["-config", &dir.join("pebble.json").display().to_string()])
                .args(["-dnsserver", &format!("127.0.0.1:{dns}")])
                // No artificial validation delay, no nonces refused at random.
                .env("PEBBLE_VA_NOSLEEP", "1")
                .env("PEBBLE_WFE_NONCEREJECT", "0"),
            &dir.join("pebble.log"),
        ));
        wait_for_port(pebble, "pebble");
        wait_for_port(management, "pebble's management interface");

        let hub_log = dir.join("hub.log");
        running
            .0
            .push(start_hub(&dir, hub, pebble, &pebble_cert, "hub.log"));
        // Pebble makes a new root at every start; the certificate must chain to it.
        let pebble_client = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(pebble_pem.as_bytes()).expect("pem"))
            .build()
            .expect("client");
        let root = pebble_client
            .get(format!("https://127.0.0.1:{management}/roots/0"))
            .send()
            .await
            .expect("pebble's root")
            .text()
            .await
            .expect("pem");
        assert!(root.contains("BEGIN CERTIFICATE"), "{root}");

        let response = healthy_within(&root, hub, Duration::from_secs(60), &hub_log).await;
        assert_eq!(response.status(), 200);
        // The public URL is the domain's: HTTPS, so HSTS.
        assert!(response.headers().contains_key("strict-transport-security"));
        let pebble_log = std::fs::read_to_string(dir.join("pebble.log")).unwrap_or_default();
        // Nothing else here answers HTTP-01 or DNS-01: the check that passed was the
        // TLS-ALPN-01 handshake on the hub's port.
        assert!(
            pebble_log.contains("set VALID by completed challenge"),
            "pebble checked the domain:\n{pebble_log}"
        );

        // The CA goes away and the hub restarts: it serves the certificate it kept, at once.
        for child in running.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
        running.0.clear();
        running
            .0
            .push(start_hub(&dir, hub, pebble, &pebble_cert, "hub-again.log"));
        let response = healthy_within(&root, hub, Duration::from_secs(10), &dir.join("hub-again.log")).await;
        assert_eq!(response.status(), 200);
        drop(running);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
