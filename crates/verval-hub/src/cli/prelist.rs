//! `prelist check|import`: the district's lists of families to visit (P3KE, DTSEN).

use super::{open, Args};
use crate::audit::Actor;

/// Reads each prelist file and says what it holds, or every cell it cannot accept.
pub(super) fn check_prelists(files: &[String]) -> bool {
    let mut all_ok = true;
    for path in files {
        let verdict = std::fs::read(path)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| crate::prelist::read_file(path, &bytes).map_err(|e| e.to_string()));
        match verdict {
            Ok(prelist) => println!(
                "OK {path}: {} families, {} members",
                prelist.families.len(),
                prelist.families.iter().map(|f| f.members.len()).sum::<usize>()
            ),
            Err(why) => {
                all_ok = false;
                println!("REFUSED {path}: {why}");
            }
        }
    }
    all_ok
}

pub(super) async fn import_prelists(args: Args) -> Result<bool, String> {
    args.only(&["db"])?;
    if args.rest.is_empty() {
        return Err("prelist import needs at least one file".into());
    }
    let db = open(&args).await?;
    let mut all_ok = true;
    for path in &args.rest {
        let outcome = match std::fs::read(path) {
            Err(e) => Err(format!("cannot read: {e}")),
            Ok(bytes) => match crate::prelist::read_file(path, &bytes) {
                Ok(prelist) => crate::prelist::import(&db, path, &prelist, &Actor::cli())
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
        };
        match outcome {
            Ok(m) => println!(
                "OK {path}: {} new, {} changed, {} unchanged, {} no longer listed (kept)",
                m.added, m.changed, m.unchanged, m.no_longer_listed
            ),
            Err(why) => {
                all_ok = false;
                println!("REFUSED {path}: {why}");
            }
        }
    }
    Ok(all_ok)
}
