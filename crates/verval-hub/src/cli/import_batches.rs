//! `import`: batch files handed over by hand (USB, WhatsApp), checked and stored as if
//! synced, sealed ones opened with `--identity`.

use super::{open, Args};
use crate::audit::Actor;
use crate::ingest::{self, Source};
use std::path::Path;

/// The largest file read ahead while the one before it is stored.
const READ_AHEAD_BYTES: u64 = 32 << 20;

pub(super) async fn import(args: Args) -> Result<bool, String> {
    args.only(&["db", "name", "identity"])?;
    if args.rest.is_empty() {
        return Err("import needs at least one batch file".into());
    }
    let keys = match args.flag("identity") {
        Some(file) => super::key::identities(Path::new(file))?,
        None => Vec::new(),
    };
    let db = open(&args).await?;
    let name = args.flag("name").unwrap_or("Verval Hub");
    // A file handed over may hold a whole village with its photos.
    let limits = verval_core::export::Limits::default();
    let mut all_ok = true;
    // No request waits behind this command's work: a file's check or a sealed batch's
    // opening waits for its turn as long as it takes, never "busy" (a one-core host has one
    // turn, which the file read ahead may hold).
    crate::heavy::set_wait(std::time::Duration::from_secs(24 * 60 * 60));
    let check = |path: String| {
        let db = db.clone();
        async move {
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read: {e}"))?;
            ingest::check(&db, bytes, &limits)
                .await
                .map_err(|e| e.to_string())
        }
    };
    // The next file is read and verified while the one before it is stored (a province's
    // files, one core each), if it is small: two village files full of photos at once would
    // not fit the server beside the hub. Files are stored in the order given.
    let ahead = |path: Option<&String>| {
        let path = path.filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= READ_AHEAD_BYTES))?;
        Some(tokio::spawn(check(path.clone())))
    };
    let mut next = ahead(args.rest.first());
    for (i, path) in args.rest.iter().enumerate() {
        let checked = match next.take() {
            Some(task) => task.await.unwrap_or_else(|e| Err(format!("cannot check: {e}"))),
            None => check(path.clone()).await,
        };
        next = ahead(args.rest.get(i + 1));
        let outcome = match checked {
            Err(why) => Err(why),
            Ok(checked) => ingest::keep(&db, name, checked, &limits, &Source::File, &Actor::cli(), &keys)
                .await
                .map_err(|e| e.to_string()),
        };
        match outcome {
            Ok(ingest::Ingested { receipt, meetings }) => {
                let out = Path::new(path).with_file_name(receipt.file_name());
                std::fs::write(&out, receipt.to_file())
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                println!(
                    "OK {path}: {} records; receipt {}",
                    receipt.records.len(),
                    out.display()
                );
                let sealed = crate::sealing::store::state_of(&db, &receipt.batch_id)
                    .await
                    .map_err(|e| e.to_string())?;
                match sealed {
                    Some((state, _)) if state == crate::sealing::store::OPENED => {
                        println!("   tersegel, dibuka (sealed, opened): households stored")
                    }
                    Some((state, reason)) if state == crate::sealing::store::QUARANTINED => {
                        all_ok = false;
                        println!("   tersegel, KARANTINA (sealed, quarantined): {reason}");
                    }
                    Some((_, reason)) => println!(
                        "   tersegel, menunggu kunci dinas (sealed, waiting for the district key){}",
                        if reason.is_empty() {
                            String::new()
                        } else {
                            format!(": {reason}")
                        }
                    ),
                    None => {}
                }
                for answer in meetings.iter().flat_map(|a| &a.meetings) {
                    match &answer.state {
                        Some(m) => println!(
                            "   musyawarah desa {} {:?}: diterima (taken){}",
                            m.kode_desa,
                            m.meeting.period,
                            match answer.waiting.len() {
                                0 => String::new(),
                                n => format!(", {n} keputusan menunggu keluarganya (decisions waiting for their household)"),
                            }
                        ),
                        None => {
                            all_ok = false;
                            println!("   musyawarah desa DITOLAK (meeting refused): {}", answer.problem);
                        }
                    }
                }
            }
            Err(why) => {
                all_ok = false;
                println!("REFUSED {path}: {why}");
            }
        }
    }
    Ok(all_ok)
}
