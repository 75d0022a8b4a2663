//! The hub's HTTP server loop: what keeps it answering when clients misbehave (issue #17).
//!
//! - A connection cap: beyond [`ServerLimits::max_connections`] a new connection is closed at
//!   once, so a flood never runs the process out of file descriptors; the open-files limit
//!   is raised to what the cap needs.
//! - A header timeout: a connection that does not send a whole request head within
//!   [`ServerLimits::header_timeout`] — a new one, or a kept-alive one between requests — is
//!   closed (slow headers, idle connections).
//! - A paced body ([`Paced`]): a body that stops, or trickles below a minimum rate after a
//!   grace period, ends with [`BodyTooSlow`]; a slow but steady phone on 2G is well above it.
//!
//! - TLS when given an acceptor (`tls.rs`, issue #18): the handshake must finish within the
//!   header timeout too.

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::Router;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// How much the server puts up with from each client.
#[derive(Clone, Copy, Debug)]
pub struct ServerLimits {
    /// Connections open at once.
    pub max_connections: usize,
    /// The longest wait for a request's head, on a new connection or between requests.
    pub header_timeout: Duration,
    /// The longest a request body may go without sending anything.
    pub body_idle_timeout: Duration,
    /// After this long, a body must have kept up [`ServerLimits::body_min_rate`] on average.
    pub body_grace: Duration,
    /// Bytes per second (256: a trickle; a phone on 2G sends thousands).
    pub body_min_rate: u64,
}

impl Default for ServerLimits {
    fn default() -> ServerLimits {
        ServerLimits {
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(60),
            body_grace: Duration::from_secs(30),
            body_min_rate: 256,
        }
    }
}

/// The queue of connections the kernel holds before the loop takes them: a burst of a
/// thousand connections (phones coming back to a tower at once, or a flood) must not make
/// the kernel drop newcomers' SYNs, which a client only retries a second later.
const BACKLOG: u32 = 4096;

/// Listens on `address` (`127.0.0.1:8080`, `0.0.0.0:443`, `[::]:8080`) with [`BACKLOG`].
pub async fn bind(address: &str) -> std::io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host(address).await? {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        match socket.bind(addr).and_then(|()| socket.listen(BACKLOG)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other(format!("{address} names no address"))))
}

/// Completes when the hub is asked to stop: Ctrl+C (SIGINT) at a terminal, or SIGTERM —
/// what systemd, `docker stop` and Kubernetes send. Either way [`serve`] stops taking
/// connections and lets the requests under way finish, so an upload half-received when a
/// district upgrades the hub is answered rather than cut.
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests under
/// way finish (at most 30 s). Each request carries its peer's [`ConnectInfo`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    raise_open_files_limit(limits.max_connections);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors or a connection reset before it was taken: wait a
                // moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let (router, tls, watcher) = (router.clone(), tls.clone(), graceful.watcher());
        tokio::spawn(async move {
            match tls {
                None => connection(stream, peer, router, limits, watcher).await,
                Some(acceptor) => {
                    let handshake = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream));
                    if let Ok(Ok(stream)) = handshake.await {
                        // A CA's TLS-ALPN-01 check (acme.rs) ends with the handshake.
                        if stream.get_ref().1.alpn_protocol() != Some(crate::acme::ACME_TLS_ALPN) {
                            connection(stream, peer, router, limits, watcher).await;
                        }
                    }
                }
            }
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await;
    Ok(())
}

/// One connection, plain or TLS, served until it closes.
async fn connection<I>(
    io: I,
    peer: SocketAddr,
    router: Router,
    limits: ServerLimits,
    watcher: hyper_util::server::graceful::Watcher,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(|body| Body::new(Paced::new(body, limits)));
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(io), service);
    let _ = watcher.watch(connection).await;
}

/// Raises this process's soft limit on open files towards its hard limit, so that the
/// connection cap, not the operating system, decides when to refuse.
fn raise_open_files_limit(connections: usize) {
    #[cfg(unix)]
    {
        let wanted = libc::rlim_t::try_from(connections + 256).unwrap_or(libc::rlim_t::MAX);
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct handed to them.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < wanted {
                limit.rlim_cur = wanted.min(limit.rlim_max);
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

/// Why a request body was cut off: it stopped, or trickled below the minimum rate.
#[derive(Debug, thiserror::Error)]
#[error("kiriman terlalu lambat atau terhenti; dicoba lagi nanti (the request body was too slow or stopped)")]
pub struct BodyTooSlow;

/// A request body held to [`ServerLimits`]' pace.
pub struct Paced {
    inner: Incoming,
    started: Instant,
    received: u64,
    idle: Pin<Box<Sleep>>,
    limits: ServerLimits,
}

impl Paced {
    fn new(inner: Incoming, limits: ServerLimits) -> Paced {
        Paced {
            inner,
            started: Instant::now(),
            received: 0,
            idle: Box::pin(tokio::time::sleep(limits.body_idle_timeout)),
            limits,
        }
    }

    fn too_slow(&self) -> bool {
        let elapsed = self.started.elapsed();
        elapsed > self.limits.body_grace
            && self.received < self.limits.body_min_rate.saturating_mul(elapsed.as_secs())
    }
}

impl HttpBody for Paced {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                if this.too_slow() {
                    return Poll::Ready(Some(Err(Box::new(BodyTooSlow))));
                }
                let next = Instant::now() + this.limits.body_idle_timeout;
                this.idle.as_mut().reset(next);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                if this.idle.as_mut().poll(cx).is_ready() || this.too_slow() {
                    return Poll::Ready(Some(Err(Box::new(BodyTooSlow))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Whether an error (of a body read, through any wrapping) is [`BodyTooSlow`].
pub fn is_too_slow(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<BodyTooSlow>() {
            return true;
        }
        cause = e.source();
    }
    false
}
