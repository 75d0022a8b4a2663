//! Certificates for a public domain without a proxy (issue #18): `serve --acme DOMAIN
//! --acme-email EMAIL`. The hub asks an ACME CA (Let's Encrypt unless `--acme-directory`
//! says otherwise) for a certificate, proves it holds the domain by TLS-ALPN-01 on its own
//! port (so it must be reachable on 443 under that name), keeps the account and certificate
//! in `--acme-cache` so a restart does not order again, and renews before expiry.
//!
//! Behind the `acme` cargo feature: most districts put Caddy in front instead
//! (docs/deploy.md), and a hub built without the feature says so when asked.

use std::path::PathBuf;

/// The ALPN protocol of TLS-ALPN-01 validation (RFC 8737): such a connection only proves
/// the domain and is closed after the handshake, never served HTTP.
pub const ACME_TLS_ALPN: &[u8] = b"acme-tls/1";

/// Let's Encrypt's production directory.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// What `serve --acme …` was told.
#[derive(Debug, Clone)]
pub struct AcmeOptions {
    pub domain: String,
    pub email: String,
    /// Where the ACME account key and the certificate are kept between starts.
    pub cache: PathBuf,
    pub directory: String,
    /// A PEM file of roots to trust when talking to the directory (a test CA such as
    /// Pebble's); the public web roots otherwise.
    pub directory_roots: Option<PathBuf>,
}

impl AcmeOptions {
    /// Checks the flags' values; the domain must be a plain DNS name (no scheme, port or
    /// path: TLS-ALPN-01 always comes to port 443).
    pub fn new(
        domain: &str,
        email: &str,
        cache: Option<&str>,
        directory: Option<&str>,
        directory_roots: Option<&str>,
    ) -> Result<AcmeOptions, String> {
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        let plain = !domain.is_empty()
            && domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && !domain.split('.').all(|l| l.chars().all(|c| c.is_ascii_digit()));
        if !plain {
            return Err(format!(
                "--acme {domain:?} is not a domain name like verval.kab.go.id (no https://, port or path; an IP address cannot have a certificate from Let's Encrypt)"
            ));
        }
        let email = email.trim();
        if !email.contains('@') || email.contains(char::is_whitespace) {
            return Err(format!(
                "--acme-email {email:?} is not an email address (Let's Encrypt writes to it before a certificate expires)"
            ));
        }
        let directory = directory.unwrap_or(LETS_ENCRYPT);
        if !directory.starts_with("https://") {
            return Err(format!(
                "--acme-directory {directory:?} must be an https:// address"
            ));
        }
        Ok(AcmeOptions {
            domain,
            email: email.to_owned(),
            cache: PathBuf::from(cache.unwrap_or("acme")),
            directory: directory.to_owned(),
            directory_roots: directory_roots.map(PathBuf::from),
        })
    }
}

#[cfg(not(feature = "acme"))]
pub fn acceptor(_: AcmeOptions) -> Result<tokio_rustls::TlsAcceptor, String> {
    Err("this verval-hub was built without ACME: build it with `cargo build --profile hub -p verval-hub --features acme`, or give it --tls-cert/--tls-key, or put Caddy in front (docs/deploy.md)".into())
}

/// Starts ordering and renewing in the background and returns the acceptor that serves the
/// certificate (and answers the CA's TLS-ALPN-01 check). Until the first certificate is
/// there, handshakes fail; progress and errors go to the log.
#[cfg(feature = "acme")]
pub fn acceptor(options: AcmeOptions) -> Result<tokio_rustls::TlsAcceptor, String> {
    use futures_util::StreamExt;
    use rustls_acme::caches::DirCache;
    use rustls_acme::AcmeConfig;
    use std::sync::Arc;
    use tokio_rustls::rustls::{ClientConfig, RootCertStore, ServerConfig};

    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    std::fs::create_dir_all(&options.cache)
        .map_err(|e| format!("--acme-cache {}: {e}", options.cache.display()))?;
    let mut config = AcmeConfig::new_with_provider([options.domain.as_str()], provider.clone())
        .contact_push(format!("mailto:{}", options.email))
        .directory(&options.directory);
    if let Some(path) = &options.directory_roots {
        use rustls_pki_types::pem::PemObject;
        let pem = std::fs::read(path).map_err(|e| format!("--acme-directory-ca {}: {e}", path.display()))?;
        let mut roots = RootCertStore::empty();
        for cert in rustls_pki_types::CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok) {
            roots
                .add(cert)
                .map_err(|e| format!("--acme-directory-ca {}: {e}", path.display()))?;
        }
        if roots.is_empty() {
            return Err(format!(
                "--acme-directory-ca {} holds no certificate",
                path.display()
            ));
        }
        let client = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config = config.client_tls_config(Arc::new(client));
    }
    let mut state = config.cache(DirCache::new(options.cache.clone())).state();
    let resolver = state.resolver();
    let domain = options.domain.clone();
    tokio::spawn(async move {
        while let Some(event) = state.next().await {
            match event {
                Ok(ok) => println!("verval-hub: ACME for {domain}: {ok:?}"),
                Err(err) => eprintln!("verval-hub: ACME for {domain}: {err}"),
            }
        }
    });
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    server.alpn_protocols = vec![b"http/1.1".to_vec(), ACME_TLS_ALPN.to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(server)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_and_an_email_are_checked_before_anything_is_ordered() {
        let ok = AcmeOptions::new("Verval.Kab.go.id.", "tik@kab.go.id", None, None, None).unwrap();
        assert_eq!(ok.domain, "verval.kab.go.id");
        assert_eq!(ok.directory, LETS_ENCRYPT);
        for bad in [
            "https://verval.kab.go.id",
            "verval.kab.go.id:443",
            "10.0.0.5",
            "localhost",
            "a..b",
            "-a.b",
        ] {
            let refused = AcmeOptions::new(bad, "tik@kab.go.id", None, None, None).unwrap_err();
            assert!(refused.contains("not a domain name"), "{bad}: {refused}");
        }
        let refused = AcmeOptions::new("verval.kab.go.id", "tik", None, None, None).unwrap_err();
        assert!(refused.contains("not an email address"), "{refused}");
        let refused = AcmeOptions::new(
            "verval.kab.go.id",
            "tik@kab.go.id",
            None,
            Some("http://ca/dir"),
            None,
        )
        .unwrap_err();
        assert!(refused.contains("https://"), "{refused}");
    }
}
