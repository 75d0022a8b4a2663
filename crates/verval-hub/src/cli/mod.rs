//! The command line: `serve`, `import`, `export`, `enumerator add|code|revoke|list`, `user`
//! ([`user`]), `key` ([`key`]), `pin` ([`pin`]), `phone-backup` ([`phone_backup`]), `prelist`,
//! `form check|eval` ([`form`]), `backup`, `restore`, `batches prune`.

mod enumerator;
mod form;
mod import_batches;
mod key;
mod merged_export;
mod phone_backup;
mod pin;
mod prelist;
mod serve;
mod user;

use crate::audit::{self, Action, Actor, Event};
use crate::db::Db;
use std::path::PathBuf;

pub const USAGE: &str = "\
verval-hub — Verval's district hub

  verval-hub serve [--listen 127.0.0.1:8080] [--app DIR] [--name NAME] [--max-upload-mb 64]
                   [--token-days 90] [--keep-batches-days N] [--max-connections 4096]
                   [--public-url https://verval.<kab>.go.id] [--tls-cert FILE --tls-key FILE]
                   [--time-zone WIB|WITA|WIT] [--map-tiles https://…/{z}/{x}/{y}.png]
                   [--key-file kunci-….age …] [--batch-part-mb 50]
      --key-file: the district's key file (key generate, or key protect: never a plain one);
                  an admin unlocks it on the page Segel with its passphrase, and sealed
                  batches are opened. Give it again for each key a rotation retired whose
                  batches may still arrive
      --token-days: a phone's token unused this long expires (each sync renews it)
      --batch-part-mb: phones cut a batch with photos into parts of at most this many
                       megabytes, each a complete batch (default 50; never above
                       --max-upload-mb, so every part is taken)
      --keep-batches-days: raw batch files are let go after N days, and with them the
                           hub's only copy of the photos; records and receipts stay
                           (default: kept)
      --public-url: the address phones reach the hub at; enrolment QR codes use it (without
                    it, only a request from this computer gets a QR); https:// also makes
                    cookies Secure and sends HSTS
      --map-tiles: the district's own tile server, drawn beneath the map of visits (without
                   it the map is a plot of points with a scale; no internet is assumed)
      --time-zone: the district's clock, kept for later starts (default WIB): days in
                   exports, times on the pages, the audit trail's dates
      --tls-cert, --tls-key: serve HTTPS with these PEM files (a renewal is picked up
                    within 10 s, no restart)
                   [--acme DOMAIN --acme-email EMAIL [--acme-cache DIR]]
      --acme: HTTPS with a certificate from Let's Encrypt for DOMAIN, renewed by the hub;
              it must be reachable as DOMAIN on port 443 (--listen 0.0.0.0:443); the
              account and certificate are kept in --acme-cache (default ./acme); a hub
              built with --features acme only
  verval-hub import [--identity KEYFILE] FILE.zip…  (writes tanda-terima-….json beside each
                                          file; --identity opens sealed batches at once)
  verval-hub key generate --out DIR [--label NAME]  (the district's key pair for sealed
                                          batches: a key file under a passphrase read from
                                          standard input, and a recovery sheet; docs/kunci.md)
  verval-hub key protect KEY.txt --out DIR  (a key typed from a recovery sheet, under a new
                                          passphrase)
  verval-hub key add age1… --label NAME  (a public key phones seal to; at least two)
  verval-hub key list | retire FINGERPRINT
  verval-hub pin list                    (phones whose enumerator forgot the PIN)
  verval-hub pin answer --device DEV --code CODE --key-file kunci-….age
                                         (CODE: read out by the enumerator from the phone's
                                          screen; the phone's data key is sealed to it)
  verval-hub pin answer --request TEXT --code CODE --key-file kunci-….age
                                         (a phone with no hub: TEXT is its written request,
                                          verval-lupa-pin-1.…; the answer is printed to send)
  verval-hub phone-backup reseal FILE.age --to age1… --code CODE --key-file kunci-….age [--out FILE]
                                         (a phone's backup, sealed to the district, sealed
                                          again to the new phone's one-time key alone; CODE:
                                          the code under that key, read out by the enumerator
                                          over the telephone; default out:
                                          untuk-hp-baru-FILE.age beside it)
  verval-hub export --profile lengkap|p3ke|regsosek [--wilayah 35.13] --out FILE.xlsx|FILE.zip [--app DIR]
                    [--recipient age1…[,age1…]]  (sealed to these keys: FILE.xlsx.age, which
                                          `age -d` opens; for a file that leaves the office)
  verval-hub enumerator add --name NAME --desa 35.13.14.2001[,35.13.14.2002…] [--app DIR]
                         [--bagi bersama|rw:1,3|keluarga:P-1,P-2]  (a village another
                                          enumerator has: shared whole, or split)
  verval-hub enumerator code ID          (a new one-time enrolment code)
  verval-hub enumerator revoke ID        (every device of this enumerator loses access)
  verval-hub enumerator list
  verval-hub prelist check FILE.xlsx|FILE.csv   (reads a P3KE prelist; names every bad cell)
  verval-hub prelist import FILE.xlsx|FILE.csv  (stores it; a re-import merges by prelist id)
  verval-hub user add --username NAME --name 'FULL NAME' --role ROLE [--wilayah 35.13.14,…]
      ROLE: admin, operator, verifikator, supervisor, viewer (supervisor and viewer need
      --wilayah); prints a one-time password, changed at the first sign-in
  verval-hub user list | disable NAME | enable NAME | reset NAME
      disable ends the account's sessions at once; reset prints a new one-time password
  verval-hub admin-password [--user NAME] (a new password for the account, default admin, from
                                          standard input; signs its sessions out)
  verval-hub backup --out FILE.zip       (everything the hub holds, consistent while it runs)
  verval-hub restore FILE.zip            (into an empty database: a new SQLite file or
                                          PostgreSQL database; either kind from either)
  verval-hub batches prune --older-than-days N  (lets go of raw batch files older than N days;
                                                 records and receipts stay)
  verval-hub form import FILE.xlsx       (a district form from XLSForm, stored under its
                                          form_id and version; every problem named, nothing
                                          stored while any is left)
  verval-hub form check FILE.xlsx [--out FORM.json]  (an XLSForm read as an import would:
                                          every problem with its sheet, row and column; or the
                                          form's definition written to FORM.json)
  verval-hub form eval                   (form expressions, one JSON line each on standard
                                          input: {\"expr\": \"…\", \"values\": {field: value}};
                                          one line out each: the value or {\"error\": \"…\"};
                                          the time zone is TZ's)

Every command takes --db URL (default: $VERVAL_HUB_DB, else the SQLite file verval-hub.sqlite);
a postgres:// URL uses PostgreSQL. The first `serve` makes the account `admin` with the
password in $VERVAL_HUB_ADMIN_PASSWORD, or a one-time password it prints once.
";

/// Arguments split into flags (`--name value`) and the rest.
struct Args {
    flags: Vec<(String, String)>,
    rest: Vec<String>,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut flags = Vec::new();
        let mut rest = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if let Some(name) = arg.strip_prefix("--") {
                let value = iter.next().ok_or_else(|| format!("--{name} needs a value"))?;
                flags.push((name.to_owned(), value.clone()));
            } else {
                rest.push(arg.clone());
            }
        }
        Ok(Args { flags, rest })
    }

    fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a flag that may be given more than once, in order.
    fn all(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.flag(name).ok_or_else(|| format!("--{name} is required"))
    }

    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self.flags.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
            Some((n, _)) => Err(format!("unknown option --{n}")),
            None => Ok(()),
        }
    }
}

fn db_url(args: &Args) -> String {
    args.flag("db")
        .map(str::to_owned)
        .or_else(|| std::env::var("VERVAL_HUB_DB").ok())
        .unwrap_or_else(|| "verval-hub.sqlite".to_owned())
}

async fn open(args: &Args) -> Result<Db, String> {
    Db::open(&db_url(args)).await.map_err(|e| e.to_string())
}

/// Runs one command; `Ok(false)` means it ran but something was refused (exit code 1).
pub async fn run(argv: &[String]) -> Result<bool, String> {
    let (command, rest) = argv.split_first().ok_or_else(|| USAGE.to_owned())?;
    match command.as_str() {
        "serve" => serve::serve(Args::parse(rest)?).await,
        "import" => import_batches::import(Args::parse(rest)?).await,
        "export" => merged_export::export(Args::parse(rest)?).await,
        "enumerator" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            enumerator::enumerator(sub, Args::parse(rest)?).await
        }
        "prelist" => match rest.split_first() {
            Some((sub, files)) if sub == "check" && !files.is_empty() => Ok(prelist::check_prelists(files)),
            Some((sub, rest)) if sub == "import" => prelist::import_prelists(Args::parse(rest)?).await,
            _ => Err(format!("prelist needs: check FILE… or import FILE…\n\n{USAGE}")),
        },
        "admin-password" => user::set_password(Args::parse(rest)?).await,
        "user" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            user::run(sub, Args::parse(rest)?).await
        }
        "key" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            key::run(sub, Args::parse(rest)?).await
        }
        "pin" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            pin::run(sub, Args::parse(rest)?).await
        }
        "phone-backup" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            phone_backup::run(sub, Args::parse(rest)?).await
        }
        "form" => match rest.split_first() {
            Some((sub, rest)) if sub == "import" => form::import(Args::parse(rest)?).await,
            Some((sub, rest)) => form::run(sub, rest),
            None => Err(USAGE.to_owned()),
        },
        "backup" => backup(Args::parse(rest)?).await,
        "restore" => restore(Args::parse(rest)?).await,
        "batches" => match rest.split_first() {
            Some((sub, rest)) if sub == "prune" => prune_batches(Args::parse(rest)?).await,
            _ => Err(format!("batches needs: prune --older-than-days N\n\n{USAGE}")),
        },
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(true)
        }
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    }
}

async fn prune_batches(args: Args) -> Result<bool, String> {
    args.only(&["db", "older-than-days"])?;
    let days = parse_days(args.required("older-than-days")?, "older-than-days")?;
    let db = open(&args).await?;
    let n = crate::retention::prune_raw_batches(&db, days)
        .await
        .map_err(|e| e.to_string())?;
    println!("{n} raw batch(es) older than {days} days let go; their records and receipts stay");
    Ok(true)
}

/// A number of days given on the command line (at least 1).
fn parse_days(text: &str, flag: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(days) if days >= 1 => Ok(days),
        _ => Err(format!("--{flag} {text:?} is not a number of days (1 or more)")),
    }
}

async fn backup(args: Args) -> Result<bool, String> {
    args.only(&["db", "out"])?;
    let out = PathBuf::from(args.required("out")?);
    let db = open(&args).await?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&out)
        .map_err(|e| format!("cannot create {} (it must not exist yet): {e}", out.display()))?;
    match crate::backup::backup(&db, std::io::BufWriter::new(file)).await {
        Ok(summary) => {
            let rows: Vec<String> = summary.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
            let event = Event::new(
                Action::Backup,
                serde_json::json!({ "berkas": out.display().to_string() }),
            );
            audit::record(&db, &Actor::cli(), &event)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}: {}", out.display(), rows.join(", "));
            Ok(true)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&out);
            Err(e.to_string())
        }
    }
}

async fn restore(args: Args) -> Result<bool, String> {
    args.only(&["db"])?;
    let [file] = args.rest.as_slice() else {
        return Err("restore needs one backup file".into());
    };
    let input = std::fs::File::open(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let db = open(&args).await?;
    let summary = crate::backup::restore(&db, std::io::BufReader::new(input))
        .await
        .map_err(|e| e.to_string())?;
    let event = Event::new(Action::Restore, serde_json::json!({ "berkas": file }));
    audit::record(&db, &Actor::cli(), &event)
        .await
        .map_err(|e| e.to_string())?;
    let rows: Vec<String> = summary.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!("restored {file}: {}", rows.join(", "));
    Ok(true)
}
