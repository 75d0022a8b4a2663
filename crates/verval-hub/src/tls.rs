//! HTTPS served by the hub itself (issue #18): `serve --tls-cert FILE --tls-key FILE`, PEM
//! files as certbot, acme.sh or a district's own CA write them. A renewed certificate is
//! picked up without a restart: the files are looked at again at most every
//! [`RECHECK`], and a pair that does not load (a half-written renewal) leaves the one in use
//! in place, with a line in the log.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};
use tokio_rustls::rustls::crypto::ring::sign::any_supported_type;
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// How often the certificate files are looked at for a renewal.
pub const RECHECK: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} holds no certificate (PEM \"BEGIN CERTIFICATE\")")]
    NoCertificate { path: String },
    #[error("{path} holds no private key the hub can use: {reason}")]
    BadKey { path: String, reason: String },
    #[error("TLS cannot be set up: {0}")]
    Setup(String),
}

/// The certificate and key files, and what was last loaded from them.
#[derive(Debug)]
pub struct CertificateFiles {
    cert: PathBuf,
    key: PathBuf,
    recheck: Duration,
    current: RwLock<Loaded>,
}

#[derive(Debug)]
struct Loaded {
    key: Arc<CertifiedKey>,
    modified: (Option<SystemTime>, Option<SystemTime>),
    checked: Instant,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn load(cert: &Path, key: &Path) -> Result<Arc<CertifiedKey>, TlsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| TlsError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(cert)?)
        .filter_map(Result::ok)
        .collect();
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: cert.display().to_string(),
        });
    }
    let bad_key = |reason: String| TlsError::BadKey {
        path: key.display().to_string(),
        reason,
    };
    let private = PrivateKeyDer::from_pem_slice(&read(key)?).map_err(|e| bad_key(e.to_string()))?;
    let signing = any_supported_type(&private).map_err(|e| bad_key(e.to_string()))?;
    Ok(Arc::new(CertifiedKey::new(chain, signing)))
}

impl CertificateFiles {
    /// Loads the pair now (a bad pair is refused at start, with the reason).
    pub fn open(cert: PathBuf, key: PathBuf, recheck: Duration) -> Result<CertificateFiles, TlsError> {
        let loaded = load(&cert, &key)?;
        let modified = (modified(&cert), modified(&key));
        Ok(CertificateFiles {
            current: RwLock::new(Loaded {
                key: loaded,
                modified,
                checked: Instant::now(),
            }),
            cert,
            key,
            recheck,
        })
    }

    fn key(&self) -> Option<Arc<CertifiedKey>> {
        let due = self
            .current
            .read()
            .map(|l| l.checked.elapsed() >= self.recheck)
            .unwrap_or(true);
        if due {
            self.reload_if_changed();
        }
        self.current.read().ok().map(|l| l.key.clone())
    }

    fn reload_if_changed(&self) {
        let Ok(mut loaded) = self.current.write() else {
            return;
        };
        loaded.checked = Instant::now();
        let now = (modified(&self.cert), modified(&self.key));
        if now == loaded.modified {
            return;
        }
        match load(&self.cert, &self.key) {
            Ok(key) => {
                loaded.key = key;
                loaded.modified = now;
                println!("verval-hub: renewed certificate {} loaded", self.cert.display());
            }
            // Half-written by a renewal, perhaps: keep serving the one that works.
            Err(e) => eprintln!("verval-hub: the certificate in use stays: {e}"),
        }
    }
}

impl ResolvesServerCert for CertificateFiles {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.key()
    }
}

/// The acceptor for `files`: TLS 1.2 and 1.3, HTTP/1.1.
pub fn acceptor(files: CertificateFiles) -> Result<TlsAcceptor, TlsError> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Setup(e.to_string()))?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(files));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
