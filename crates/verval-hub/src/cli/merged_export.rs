//! `export`: the merged spreadsheet of the district's households, sealed with `--recipient`
//! for files that leave the office.

use super::{open, Args};
use crate::audit::Actor;
use crate::export;
use crate::regions::RegionTables;
use std::path::{Path, PathBuf};
use verval_core::export::profile::UnknownProfile;
use verval_core::export::{people, Profile};
use verval_core::region::RegionCode;

pub(super) async fn export(args: Args) -> Result<bool, String> {
    args.only(&["db", "profile", "wilayah", "out", "app", "recipient"])?;
    // A file that leaves the district office: sealed to its recipients' keys (issue #22),
    // checked before any work.
    let recipients = args
        .flag("recipient")
        .map(|list| {
            list.split(',')
                .map(verval_core::seal::Recipient::parse)
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
        .map_err(|e| format!("--recipient: {e}"))?;
    let profile_id = args.flag("profile").unwrap_or("lengkap");
    let profile =
        Profile::parse(profile_id).ok_or_else(|| UnknownProfile(profile_id.to_owned()).to_string())?;
    let region = args
        .flag("wilayah")
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
    let out = PathBuf::from(args.required("out")?);
    let as_zip = match out.extension().and_then(|e| e.to_str()) {
        Some("xlsx") => false,
        Some("zip") => true,
        _ => {
            return Err("--out must end in .xlsx (one workbook) or .zip (CSV files and the workbook)".into())
        }
    };
    let db = open(&args).await?;
    let today = crate::time_zone::of(&db)
        .await
        .map_err(|e| e.to_string())?
        .today();
    // With `--app`, the region tables of the app the hub serves name the regions.
    let region_tables = RegionTables::new(args.flag("app").map(Path::new));
    let made = export::prepare(
        &db,
        profile,
        region.as_ref(),
        &crate::staff::Scope::everywhere(),
        &region_tables,
        today,
    )
    .await
    .map_err(|e| e.to_string())?;
    let tables = &made.tables;
    let regions = &made.names;
    let bytes = if as_zip {
        people::csv_zip(tables, regions)
    } else {
        people::workbook(tables, regions)
    }
    .map_err(|e| e.to_string())?;
    let (format, bytes, out) = match &recipients {
        None => (if as_zip { "zip" } else { "xlsx" }, bytes, out),
        Some(recipients) => {
            let mut entropy = vec![0u8; verval_core::seal::entropy_len(recipients.len())];
            getrandom::fill(&mut entropy).map_err(|e| format!("no random numbers: {e}"))?;
            let sealed = verval_core::seal::seal(&bytes, recipients, &entropy).map_err(|e| e.to_string())?;
            let mut name = out.into_os_string();
            name.push(".age");
            (
                if as_zip { "zip.age" } else { "xlsx.age" },
                sealed,
                PathBuf::from(name),
            )
        }
    };
    made.audit(&db, &Actor::cli(), format, &tables.iter().collect::<Vec<_>>())
        .await
        .map_err(|e| e.to_string())?;
    std::fs::write(&out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "{}: {} households",
        out.display(),
        tables.first().map_or(0, |t| t.rows.len())
    );
    Ok(true)
}
