//! A misbehaving network between devices and the hub, on 127.0.0.1: for a share of requests
//! it drops the connection, delays, delivers the request twice, lets the hub store the batch
//! but resets the connection before the answer, answers 500 itself, or answers like a
//! captive portal (200 with a login page). Decisions come from a seeded generator, so a
//! failing run can be repeated.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    Drop,
    Delay,
    Duplicate,
    ResetAfterStored,
    Error500,
    CaptivePortal,
}

const FAULTS: [Fault; 6] = [
    Fault::Drop,
    Fault::Delay,
    Fault::Duplicate,
    Fault::ResetAfterStored,
    Fault::Error500,
    Fault::CaptivePortal,
];

/// What the proxy did, for the test to check the faults really happened.
#[derive(Default, Debug)]
pub struct Tally {
    pub clean: AtomicU64,
    pub faulty: [AtomicU64; 6],
}

pub struct Proxy {
    pub addr: SocketAddr,
    pub tally: Arc<Tally>,
}

/// xorshift64*: small, seeded, good enough to pick faults.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Starts a proxy to `upstream` that injects a fault into `percent` % of requests.
pub async fn start(upstream: SocketAddr, percent: u64, seed: u64) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    let tally = Arc::new(Tally::default());
    let rng = Arc::new(Mutex::new(Rng(seed | 1)));
    let shared = tally.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (roll, pick, delay) = {
                let mut rng = rng.lock().expect("rng");
                (
                    rng.next() % 100,
                    rng.next() as usize % FAULTS.len(),
                    rng.next() % 800,
                )
            };
            let fault = (roll < percent).then_some(FAULTS[pick]);
            let tally = shared.clone();
            tokio::spawn(async move {
                match fault {
                    None => tally.clean.fetch_add(1, Ordering::Relaxed),
                    Some(_) => tally.faulty[pick].fetch_add(1, Ordering::Relaxed),
                };
                let _ = handle(client, upstream, fault, delay).await;
            });
        }
    });
    Proxy { addr, tally }
}

/// Reads one whole HTTP/1.1 request (headers and a Content-Length body).
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Ok(data);
            }
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Sends the request upstream on a new connection and reads the whole answer (the client
/// asks for `Connection: close`, so the hub closes after answering).
async fn forward(upstream: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut hub = TcpStream::connect(upstream).await?;
    hub.write_all(request).await?;
    let mut answer = Vec::new();
    hub.read_to_end(&mut answer).await?;
    Ok(answer)
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Option<Fault>,
    delay_ms: u64,
) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    match fault {
        None => {
            let answer = forward(upstream, &request).await?;
            client.write_all(&answer).await?;
        }
        Some(Fault::Drop) => {
            abort(&client)?;
        }
        Some(Fault::Delay) => {
            tokio::time::sleep(Duration::from_millis(200 + delay_ms)).await;
            let answer = forward(upstream, &request).await?;
            client.write_all(&answer).await?;
        }
        Some(Fault::Duplicate) => {
            let first = forward(upstream, &request).await?;
            let second = forward(upstream, &request).await?;
            // The client sees one of the two answers; either must do.
            let answer = if delay_ms.is_multiple_of(2) { first } else { second };
            client.write_all(&answer).await?;
        }
        Some(Fault::ResetAfterStored) => {
            // The hub stores the batch, the phone never hears of it.
            forward(upstream, &request).await?;
            abort(&client)?;
        }
        Some(Fault::Error500) => {
            client
                .write_all(
                    b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 5\r\nconnection: close\r\n\r\noops\n",
                )
                .await?;
        }
        Some(Fault::CaptivePortal) => {
            let page = b"<html><body>Silakan login WiFi.id</body></html>";
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                page.len()
            );
            client.write_all(head.as_bytes()).await?;
            client.write_all(page).await?;
        }
    }
    let _ = client.shutdown().await;
    Ok(())
}

/// Closes with a reset (RST) instead of an orderly close: what a dropped mobile link looks
/// like to the phone. A zero linger never blocks, which is what the deprecation warns about.
#[allow(deprecated)]
fn abort(stream: &TcpStream) -> std::io::Result<()> {
    stream.set_linger(Some(Duration::ZERO))
}
