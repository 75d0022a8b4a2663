//! `verval-hub phone-backup reseal`: moves a phone's backup ("Cadangkan perangkat", sealed to
//! the district's keys) onto a new phone (issue #23). The district's key file is read here,
//! its passphrase asked; the backup is opened in this process's memory only, checked whole,
//! and sealed again to the new phone's one-time key alone (`sealing::phone_backup`, shared
//! with the Segel page's form).
//! What the new phone restores from the answer merges by household and revision. Who moved
//! which phone's backup is in the audit trail; no name or number is.

use super::{open, Args};
use crate::audit::Actor;
use crate::sealing::phone_backup::{audit_move, check_code, new_phone_key, reseal_for};
use std::path::{Path, PathBuf};
use verval_core::vault::backup::MAX_BYTES;

pub async fn run(sub: &str, args: Args) -> Result<bool, String> {
    if sub != "reseal" {
        return Err(format!(
            "unknown phone-backup command {sub:?}\n\n{}",
            super::USAGE
        ));
    }
    args.only(&["db", "to", "code", "key-file", "out"])?;
    let [file] = args.rest.as_slice() else {
        return Err(format!(
            "phone-backup reseal needs one backup file\n\n{}",
            super::USAGE
        ));
    };
    let to = new_phone_key(args.required("to")?).map_err(|e| format!("--to: {e}"))?;
    // As on the Segel page: a key sent in writing is used only with the code the enumerator
    // read out from the new phone, so a key someone else forwarded fails here.
    check_code(&to, args.required("code")?).map_err(|e| format!("--code: {e}"))?;
    let input = Path::new(file);
    let out = match args.flag("out") {
        Some(out) => PathBuf::from(out),
        None => input.with_file_name(format!("untuk-hp-baru-{}", file_name(input))),
    };
    // Before the key is asked for: a refused write must not leave an audited move behind.
    if out.exists() {
        return Err(format!("{} exists already; give another --out", out.display()));
    }
    let sealed = read_limited(input)?;
    let district = super::key::identities(Path::new(args.required("key-file")?))?;
    let (answer, summary) =
        reseal_for(&sealed, &district, &to).map_err(|e| format!("{}: {e}", input.display()))?;
    let db = open(&args).await?;
    audit_move(&db, &Actor::cli(), &summary, &to)
        .await
        .map_err(|e| e.to_string())?;
    write_new(&out, &answer)?;
    println!(
        "Cadangan HP {} ({} keluarga, {} draf, {} foto) disegel untuk HP baru: {} (the backup is sealed to the new phone alone)",
        summary.device_id,
        summary.households,
        summary.drafts,
        summary.photos,
        out.display()
    );
    Ok(true)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cadangan.age".to_owned())
}

/// The backup file, refused before it is read when it is larger than any backup.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if len > MAX_BYTES as u64 {
        return Err(format!(
            "{}: {len} bytes, larger than any phone backup ({MAX_BYTES})",
            path.display()
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the answer to a new file only (never over another), readable by its owner.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}
