//! The district's keys made by the real `verval-hub key generate` (issue #22), for the tests
//! of sealed batches and of phones' forgotten PINs.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use verval_hub::db::Db;

pub const PASSPHRASE: &str = "kunci dinas sosial 2026";

pub fn hub_binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verval-hub"))
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "verval-sealed-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `command` with `typed` on its standard input, as a person types a passphrase; its
/// output and status.
pub fn typed_in(mut command: Command, typed: &str) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{typed}\n").as_bytes())
        .expect("typed");
    child.wait_with_output().expect("the command ends")
}

/// A district key made by the real command, its passphrase on standard input.
pub struct DistrictKey {
    pub key_file: PathBuf,
    pub sheet: PathBuf,
    pub recipient: String,
    pub fingerprint: String,
}

pub fn generate(dir: &Path, label: &str) -> DistrictKey {
    generate_with(dir, label, PASSPHRASE)
}

pub fn generate_with(dir: &Path, label: &str, passphrase: &str) -> DistrictKey {
    let mut command = hub_binary();
    command
        .args(["key", "generate", "--out"])
        .arg(dir)
        .args(["--label", label]);
    let out = typed_in(command, passphrase);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_owned()
    };
    DistrictKey {
        key_file: PathBuf::from(field("key file")),
        sheet: PathBuf::from(field("recovery")),
        recipient: field("public key"),
        fingerprint: field("fingerprint"),
    }
}

/// Two keys, as a district must have: its own (in the hub's key file) and a break-glass one.
pub async fn district_keys(db: &Db, dir: &Path) -> (DistrictKey, DistrictKey) {
    let own = generate(&dir.join("dinsos"), "Dinsos");
    let spare = generate(&dir.join("bappeda"), "Bappeda");
    for (key, label) in [(&own, "Dinsos"), (&spare, "Bappeda")] {
        verval_hub::sealing::keys::add(db, &key.recipient, label, &verval_hub::audit::Actor::cli())
            .await
            .expect("add key");
    }
    (own, spare)
}

/// A hub on a fresh database with the district's two keys listed and its own key file
/// installed (`serve --key-file`), locked.
pub struct KeyedHub {
    pub db: Db,
    pub own: DistrictKey,
    pub spare: DistrictKey,
    pub addr: std::net::SocketAddr,
}

pub async fn keyed_hub(backend: super::support::Backend, name: &str) -> KeyedHub {
    let db = super::support::fresh_db(backend).await;
    let (own, spare) = district_keys(&db, &temp_dir(name)).await;
    let config = verval_hub::Config {
        key_files: vec![own.key_file.clone()],
        ..verval_hub::Config::default()
    };
    let addr = super::support::start_hub(db.clone(), config).await;
    KeyedHub { db, own, spare, addr }
}

/// The keys' public halves, to seal to, and the random bytes sealing to them takes: as a
/// phone seals its batches, escrow and backup.
pub fn sealing_to(keys: &[&DistrictKey]) -> (Vec<verval_core::seal::Recipient>, Vec<u8>) {
    let recipients: Vec<verval_core::seal::Recipient> = keys
        .iter()
        .map(|k| verval_core::seal::Recipient::parse(&k.recipient).expect("key"))
        .collect();
    let mut entropy = vec![0u8; verval_core::seal::entropy_len(recipients.len())];
    getrandom::fill(&mut entropy).expect("random");
    (recipients, entropy)
}

/// The private key's line of a recovery sheet.
pub fn secret_line(sheet: &Path) -> String {
    std::fs::read_to_string(sheet)
        .expect("sheet")
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .expect("the key on the sheet")
        .to_owned()
}

/// How many audit events of `action` are on record.
pub async fn events(db: &Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

/// Unlocks the district's key on the Segel page as the signed-in admin `web` (its form token
/// `form`), with the passphrase every test key has.
pub async fn unlock_on_page(web: &reqwest::Client, base: &str, form: &str) {
    let unlocked = web
        .post(format!("{base}/admin/segel/buka?_t={form}"))
        .form(&[("kata_sandi", PASSPHRASE)])
        .send()
        .await
        .expect("unlock");
    assert_eq!(unlocked.status(), 303);
}
