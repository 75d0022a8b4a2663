//! `enumerator add|code|revoke|list`: the enumerators, their villages and their phones'
//! enrolment codes.

use super::{open, Args, USAGE};
use crate::audit::Actor;
use crate::regions::RegionTables;
use crate::{enrol, secret};
use std::collections::BTreeMap;
use std::path::Path;
use verval_core::campaign::share::Share;

pub(super) async fn enumerator(sub: &str, args: Args) -> Result<bool, String> {
    let db = open(&args).await?;
    match sub {
        "add" => {
            args.only(&["db", "name", "desa", "app", "bagi"])?;
            let villages: Vec<String> = args.required("desa")?.split(',').map(str::to_owned).collect();
            // With `--app`, the served app's region tables say which villages exist.
            if let Some(why) = RegionTables::new(args.flag("app").map(Path::new)).refuse_unknown(&villages) {
                return Err(why);
            }
            // A village someone already has is shared only when told how.
            let held = enrol::holders(&db, &villages).await.map_err(|e| e.to_string())?;
            let share = match args.flag("bagi") {
                None if !held.is_empty() => {
                    let who: Vec<String> = held
                        .iter()
                        .map(|(v, hs)| {
                            let names: Vec<String> = hs
                                .iter()
                                .map(|h| format!("{} ({})", h.name, h.share.describe()))
                                .collect();
                            format!("{v}: {}", names.join(", "))
                        })
                        .collect();
                    return Err(format!(
                        "desa sudah ditugaskan (village already assigned) — {}; tambahkan --bagi bersama \
                         (seluruh desa untuk keduanya), --bagi rw:1,3 atau --bagi keluarga:P-1,P-2 \
                         (add --bagi to share it whole or split it)",
                        who.join("; ")
                    ));
                }
                None | Some("bersama") => Share::Whole,
                Some(text) => Share::parse(text)?,
            };
            let shares: BTreeMap<String, Share> = held.keys().map(|v| (v.clone(), share.clone())).collect();
            let (e, code) =
                enrol::add_enumerator_sharing(&db, args.required("name")?, &villages, &shares, &Actor::cli())
                    .await
                    .map_err(|e| e.to_string())?;
            println!(
                "{}\t{}\t{}\tkode pendaftaran (enrolment code): {}",
                e.id,
                e.name,
                e.villages.join(","),
                secret::display_code(&code)
            );
        }
        "code" => {
            let id = args.rest.first().ok_or("enumerator code needs an ID")?;
            let code = enrol::new_code(&db, id, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{id}\tkode pendaftaran (enrolment code): {}",
                secret::display_code(&code)
            );
        }
        "revoke" => {
            let id = args.rest.first().ok_or("enumerator revoke needs an ID")?;
            let n = enrol::revoke(&db, id, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            println!("{id}: {n} device(s) revoked");
        }
        "list" => {
            for e in enrol::list(&db).await.map_err(|e| e.to_string())? {
                println!(
                    "{}\t{}\t{}\t{} device(s)",
                    e.id,
                    e.name,
                    e.villages.join(","),
                    e.active_devices
                );
            }
        }
        other => return Err(format!("unknown enumerator command {other:?}\n\n{USAGE}")),
    }
    Ok(true)
}
