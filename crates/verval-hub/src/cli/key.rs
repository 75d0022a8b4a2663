//! `verval-hub key …`: the district's keys for sealed batches (issue #22, docs/kunci.md).
//!
//! - `generate`: a new X25519 key pair; the private key written under a passphrase (age's
//!   scrypt recipient) and on a printable recovery sheet, the public key and its fingerprint
//!   printed;
//! - `protect`: a plain identity file (typed from a recovery sheet) under a new passphrase;
//! - `add`, `list`, `retire`: the public keys phones seal to.

use super::{open, Args, USAGE};
use crate::audit::Actor;
use crate::sealing::keyring::{is_protected, read_key_file, UnlockError};
use crate::sealing::keys::{self, AT_LEAST};
use std::io::Write;
use std::path::{Path, PathBuf};
use verval_core::record::Timestamp;
use verval_core::seal::{passphrase, Identity, SealError};

/// The shortest passphrase a key file takes: it is all that protects a copied file.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

pub async fn run(sub: &str, args: Args) -> Result<bool, String> {
    match sub {
        "generate" => {
            args.only(&["out", "label"])?;
            let out = PathBuf::from(args.required("out")?);
            let label = args.flag("label").unwrap_or("Kunci dinas");
            let identity = Identity::from_random(random()?);
            write_key(&identity, &out, label)?;
            Ok(true)
        }
        "protect" => {
            args.only(&["out", "label"])?;
            let file = args
                .rest
                .first()
                .ok_or("key protect needs the plain key file typed from the recovery sheet")?;
            let out = PathBuf::from(args.required("out")?);
            let identity = identities(Path::new(file))?
                .into_iter()
                .next()
                .ok_or("the file holds no key")?;
            write_key(&identity, &out, args.flag("label").unwrap_or("Kunci dinas"))?;
            Ok(true)
        }
        "add" => {
            args.only(&["db", "label"])?;
            let recipient = args.rest.first().ok_or("key add needs the public key (age1…)")?;
            let db = open(&args).await?;
            let key = keys::add(&db, recipient, args.required("label")?, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            println!("{}\t{}\t{}", key.fingerprint, key.recipient, key.label);
            let active = keys::for_phones(&db).await.map_err(|e| e.to_string())?;
            if active.is_empty() {
                println!(
                    "Belum diberikan ke HP: perlu sedikitnya {AT_LEAST} kunci aktif (not yet handed to phones: at least {AT_LEAST} active keys are needed)"
                );
            }
            Ok(true)
        }
        "list" => {
            args.only(&["db"])?;
            let db = open(&args).await?;
            for key in keys::all(&db).await.map_err(|e| e.to_string())? {
                let state = if key.retired_at.is_some() {
                    "dipensiunkan"
                } else {
                    "aktif"
                };
                println!("{}\t{}\t{}\t{state}", key.fingerprint, key.recipient, key.label);
            }
            Ok(true)
        }
        "retire" => {
            args.only(&["db"])?;
            let fingerprint = args
                .rest
                .first()
                .ok_or("key retire needs the key's fingerprint")?;
            let db = open(&args).await?;
            keys::retire(&db, fingerprint, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{fingerprint}: dipensiunkan (retired); batches sealed to it still open with its private key"
            );
            Ok(true)
        }
        _ => Err(format!(
            "key needs: generate, protect, add, list or retire\n\n{USAGE}"
        )),
    }
}

/// The identities of a key file given on the command line: a protected one asks for its
/// passphrase.
pub fn identities(file: &Path) -> Result<Vec<Identity>, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let passphrase = if is_protected(&bytes) {
        Some(read_secret(&format!(
            "Kata sandi kunci {} (passphrase):",
            file.display()
        ))?)
    } else {
        None
    };
    read_key_file(file, passphrase.as_deref().map(String::as_str)).map_err(|e| match e {
        UnlockError::Key(SealError::WrongPassphrase) => {
            format!("{}: kata sandi salah (wrong passphrase)", file.display())
        }
        other => other.to_string(),
    })
}

/// Writes the key file and the recovery sheet beside it, checks the key file opens again
/// with the passphrase, then prints the public key and fingerprint.
fn write_key(identity: &Identity, out: &Path, label: &str) -> Result<(), String> {
    let recipient = identity.recipient();
    let fingerprint = recipient.fingerprint();
    let passphrase = new_passphrase()?;
    let created = utc_text(crate::db::now_ms());
    let file_text = identity.to_file(&created);
    let mut entropy = [0u8; passphrase::ENTROPY_LEN];
    getrandom::fill(&mut entropy).map_err(|e| format!("no random numbers: {e}"))?;
    let sealed = passphrase::seal(
        file_text.as_bytes(),
        &passphrase,
        passphrase::WORK_FACTOR,
        &entropy,
    )
    .map_err(|e| e.to_string())?;
    // The test decryption: a key file that does not open is never left behind.
    let reopened = passphrase::open(&sealed, &passphrase).map_err(|e| e.to_string())?;
    if reopened.as_slice() != file_text.as_bytes() {
        return Err("the key file did not read back: nothing written".into());
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot make {}: {e}", out.display()))?;
    let key_path = out.join(format!("kunci-{fingerprint}.age"));
    let sheet_path = out.join(format!("lembar-pemulihan-{fingerprint}.txt"));
    write_new(&key_path, &sealed)?;
    write_new(&sheet_path, recovery_sheet(identity, label, &created).as_bytes())?;
    println!("Kunci publik (public key):   {}", recipient.encode());
    println!("Sidik jari (fingerprint):    {fingerprint}");
    println!("Berkas kunci (key file):     {}", key_path.display());
    println!("Lembar pemulihan (recovery): {}", sheet_path.display());
    println!(
        "Cetak lembar pemulihan dua kali, segel dalam amplop, lalu hapus berkasnya (docs/kunci.md). \
         (print the sheet twice, seal the copies, then delete its file)"
    );
    Ok(())
}

/// The printable sheet: everything needed to rebuild the key without Verval.
pub fn recovery_sheet(identity: &Identity, label: &str, created: &str) -> String {
    let recipient = identity.recipient();
    let secret = identity.encode();
    let groups: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let grouped: Vec<String> = groups.chunks(8).map(|line| line.join(" ")).collect();
    format!(
        "LEMBAR PEMULIHAN KUNCI DINAS — VERVAL (district key recovery sheet)\n\
         RAHASIA: simpan dalam amplop tersegel. Siapa pun yang memegang lembar ini dapat membuka\n\
         semua data keluarga yang disegel ke kunci ini. (SECRET: anyone holding this sheet can\n\
         open every household sealed to this key.)\n\
         \n\
         Nama kunci (label):          {label}\n\
         Dibuat (created, UTC):       {created}\n\
         Kunci publik (public key):   {public}\n\
         Sidik jari (fingerprint):    {fingerprint}\n\
         \n\
         KUNCI RAHASIA (private key), satu baris:\n\
         {secret}\n\
         \n\
         Kelompok empat huruf, untuk dibaca dan diketik ulang (groups of four, to read and type):\n\
         {grouped}\n\
         \n\
         Memulihkan (to recover): ketik baris kunci rahasia di atas, tanpa spasi, ke berkas\n\
         kunci.txt. Berkas itu membuka batch tersegel dengan alat standar age:\n\
         \x20   age -d -i kunci.txt batch.zip.age > batch.zip\n\
         atau dengan Verval: verval-hub import --identity kunci.txt FILE-segel.zip\n\
         Lindungi lagi dengan kata sandi: verval-hub key protect kunci.txt --out DIR\n\
         Kunci yang salah ketik ditolak (ada checksum). (A mistyped key is refused: it has a checksum.)\n",
        public = recipient.encode(),
        fingerprint = recipient.fingerprint(),
        grouped = grouped.join("\n"),
    )
}

/// A new file only (never over an existing key), readable by its owner alone.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        format!(
            "cannot write {} (an existing file is never replaced): {e}",
            path.display()
        )
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The new passphrase: asked twice at a terminal, one line from standard input otherwise.
fn new_passphrase() -> Result<zeroize::Zeroizing<String>, String> {
    let first = read_secret(&format!(
        "Kata sandi baru untuk berkas kunci, sedikitnya {MIN_PASSPHRASE_CHARS} karakter (new passphrase):"
    ))?;
    if first.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(format!(
            "kata sandi terlalu pendek: sedikitnya {MIN_PASSPHRASE_CHARS} karakter (passphrase too short)"
        ));
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let again = read_secret("Ulangi kata sandi (again):")?;
        if *again != *first {
            return Err("kata sandi tidak sama (the passphrases differ)".into());
        }
    }
    Ok(first)
}

/// One line from standard input; at a terminal, `prompt` first and the typing not shown.
pub fn read_secret(prompt: &str) -> Result<zeroize::Zeroizing<String>, String> {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdin());
    if terminal {
        eprint!("{prompt} ");
    }
    let _hidden = terminal.then(EchoOff::new).flatten();
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if terminal {
        eprintln!();
    }
    let trimmed = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(trimmed);
    Ok(line)
}

/// The terminal's echo off while it lives.
struct EchoOff(libc::termios);

impl EchoOff {
    fn new() -> Option<EchoOff> {
        // SAFETY: tcgetattr and tcsetattr on standard input with a termios of our own.
        unsafe {
            let mut term = std::mem::zeroed::<libc::termios>();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut term) != 0 {
                return None;
            }
            let saved = term;
            term.c_lflag &= !libc::ECHO;
            (libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &term) == 0).then_some(EchoOff(saved))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.0);
        }
    }
}

fn random() -> Result<[u8; 32], String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers: {e}"))?;
    Ok(bytes)
}

/// `2026-12-05T03:40:00Z`, as age-keygen writes its `created` line.
fn utc_text(ms: i64) -> String {
    let day = Timestamp(ms).local_date(0);
    let seconds = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day.year,
        day.month,
        day.day,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}
