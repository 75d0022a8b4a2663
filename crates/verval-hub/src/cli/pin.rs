//! `verval-hub pin list | answer`: phones' forgotten PINs from the command line (issue #23),
//! for a district whose hub runs with its key locked: the key file is read here, its
//! passphrase asked, and the hub's database answered directly (`sealing::escrow`); a phone
//! with no hub asks in writing (`--request`), and the answer is printed to send back.

use super::{open, Args};
use crate::audit::Actor;
use crate::sealing::escrow;
use std::path::Path;

pub async fn run(sub: &str, args: Args) -> Result<bool, String> {
    match sub {
        "list" => {
            args.only(&["db"])?;
            let db = open(&args).await?;
            let waiting = escrow::waiting(&db).await.map_err(|e| e.to_string())?;
            if waiting.is_empty() {
                println!("Tidak ada permintaan (no requests)");
            }
            for w in waiting {
                println!("{}\t{}\t{}", w.device_key, w.enumerator_id, w.enumerator);
            }
            Ok(true)
        }
        "answer" => {
            args.only(&["db", "device", "request", "code", "key-file"])?;
            let code = args.required("code")?;
            if let Some(request) = args.flag("request") {
                let district = super::key::identities(Path::new(args.required("key-file")?))?;
                let db = open(&args).await?;
                let answer = escrow::answer_written(&db, request, code, &district, &Actor::cli())
                    .await
                    .map_err(|e| e.to_string())?;
                eprintln!("Kirim jawaban ini ke petugas; ia menempelkannya di \"Lupa PIN\" (send this answer to the enumerator):");
                println!("{answer}");
                return Ok(true);
            }
            let device = args.required("device")?;
            let district = super::key::identities(Path::new(args.required("key-file")?))?;
            let db = open(&args).await?;
            escrow::answer(&db, device, code, &district, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Terjawab: HP {device} mengambil kuncinya saat tersambung berikutnya (answered: the phone takes its key at its next connection)"
            );
            Ok(true)
        }
        other => Err(format!("unknown pin command {other:?}\n\n{}", super::USAGE)),
    }
}
