//! The command line: `serve`, `import`, `export`, `enumerator add|code|revoke|list`, `user`
//! ([`user`]), `key` ([`key`]), `pin` ([`pin`]), `prelist`, `backup`, `restore`, `batches prune`.

mod key;
mod pin;
mod user;

use crate::audit::{self, Action, Actor, Event};
use crate::db::Db;
use crate::ingest::{self, Source};
use crate::regions::RegionTables;
use crate::time_zone::TimeZone;
use crate::{enrol, export, secret, Config, Hub};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use verval_core::campaign::share::Share;
use verval_core::export::Profile;
use verval_core::region::RegionCode;

pub const USAGE: &str = "\
verval-hub — Verval's district hub

  verval-hub serve [--listen 127.0.0.1:8080] [--app DIR] [--name NAME] [--max-upload-mb 32]
                   [--token-days 90] [--keep-batches-days N] [--max-connections 4096]
                   [--public-url https://verval.<kab>.go.id] [--tls-cert FILE --tls-key FILE]
                   [--time-zone WIB|WITA|WIT] [--map-tiles https://…/{z}/{x}/{y}.png]
                   [--key-file kunci-….age …]
      --key-file: the district's key file (key generate, or key protect: never a plain one);
                  an admin unlocks it on the page Segel with its passphrase, and sealed
                  batches are opened. Give it again for each key a rotation retired whose
                  batches may still arrive
      --token-days: a phone's token unused this long expires (each sync renews it)
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
        "serve" => serve(Args::parse(rest)?).await,
        "import" => import(Args::parse(rest)?).await,
        "export" => export(Args::parse(rest)?).await,
        "enumerator" => {
            let (sub, rest) = rest.split_first().ok_or_else(|| USAGE.to_owned())?;
            enumerator(sub, Args::parse(rest)?).await
        }
        "prelist" => match rest.split_first() {
            Some((sub, files)) if sub == "check" && !files.is_empty() => Ok(check_prelists(files)),
            Some((sub, rest)) if sub == "import" => import_prelists(Args::parse(rest)?).await,
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

async fn serve(args: Args) -> Result<bool, String> {
    args.only(&[
        "db",
        "listen",
        "app",
        "name",
        "max-upload-mb",
        "token-days",
        "keep-batches-days",
        "max-connections",
        "public-url",
        "time-zone",
        "map-tiles",
        "tls-cert",
        "tls-key",
        "acme",
        "acme-email",
        "acme-cache",
        "acme-directory",
        "acme-directory-ca",
        "key-file",
    ])?;
    let db = open(&args).await?;
    ensure_first_admin(&db).await?;
    if let Some(code) = args.flag("time-zone") {
        let zone =
            TimeZone::parse(code).ok_or_else(|| format!("--time-zone {code:?} is not WIB, WITA or WIT"))?;
        crate::time_zone::set(&db, zone, &Actor::cli())
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut config = Config {
        time_zone: crate::time_zone::of(&db).await.map_err(|e| e.to_string())?,
        ..Config::default()
    };
    if let Some(name) = args.flag("name") {
        config.name = name.to_owned();
    }
    if let Some(url) = args.flag("map-tiles") {
        config.map_tiles = Some(crate::MapTiles::parse(url)?);
    }
    if let Some(mb) = args.flag("max-upload-mb") {
        let mb: u64 = mb
            .parse()
            .map_err(|_| format!("--max-upload-mb {mb:?} is not a number"))?;
        config.max_upload_bytes = mb << 20;
    }
    if let Some(days) = args.flag("token-days") {
        config.token_idle_days = parse_days(days, "token-days")?;
    }
    if let Some(n) = args.flag("max-connections") {
        config.server.max_connections = n
            .parse()
            .ok()
            .filter(|n| *n >= 16)
            .ok_or_else(|| format!("--max-connections {n:?} is not a number of 16 or more"))?;
    }
    config.public_url = args
        .flag("public-url")
        .map(crate::public_url::PublicUrl::parse)
        .transpose()
        .map_err(|e| format!("--public-url: {e}"))?;
    let keep_batches = args
        .flag("keep-batches-days")
        .map(|d| parse_days(d, "keep-batches-days"))
        .transpose()?;
    config.app_dir = args.flag("app").map(PathBuf::from);
    config.key_files = args.all("key-file").into_iter().map(PathBuf::from).collect();
    for file in &config.key_files {
        crate::sealing::keyring::check_key_file(file).map_err(|e| format!("--key-file: {e}"))?;
    }
    if let Some(dir) = &config.app_dir {
        if !dir.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html: build the app first (scripts/build)",
                dir.display()
            ));
        }
    }
    let tls = tls_from_flags(&args, &mut config)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let listen = args.flag("listen").unwrap_or("127.0.0.1:8080");
    let listener = crate::server::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let limits = config.server;
    let hub = Hub::new(db, config);
    println!(
        "Verval hub at {scheme}://{}/ ({:?} database)  (Ctrl+C to stop)",
        listener.local_addr().map_err(|e| e.to_string())?,
        hub.db.backend
    );
    if let Some(days) = keep_batches {
        tokio::spawn(crate::retention::prune_every_hour(hub.db.clone(), days));
    }
    crate::server::serve(listener, crate::router(hub), limits, tls, async {
        crate::server::stop_requested().await;
        println!("Stopping: the requests under way may finish (at most 30 s)");
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(true)
}

/// HTTPS from certificate files or from ACME, or none. With ACME and no `--public-url`,
/// the public URL is the domain's.
fn tls_from_flags(args: &Args, config: &mut Config) -> Result<Option<tokio_rustls::TlsAcceptor>, String> {
    let files = (args.flag("tls-cert"), args.flag("tls-key"));
    if let Some(domain) = args.flag("acme") {
        if files != (None, None) {
            return Err(
                "--acme and --tls-cert/--tls-key exclude each other: the certificate comes from one place"
                    .into(),
            );
        }
        let email = args
            .flag("acme-email")
            .ok_or("--acme needs --acme-email (Let's Encrypt writes to it before a certificate expires)")?;
        let options = crate::acme::AcmeOptions::new(
            domain,
            email,
            args.flag("acme-cache"),
            args.flag("acme-directory"),
            args.flag("acme-directory-ca"),
        )?;
        if config.public_url.is_none() {
            config.public_url = Some(
                crate::public_url::PublicUrl::parse(&format!("https://{}", options.domain))
                    .map_err(|e| format!("--acme: {e}"))?,
            );
        }
        return crate::acme::acceptor(options).map(Some);
    }
    if let Some(flag) = ["acme-email", "acme-cache", "acme-directory", "acme-directory-ca"]
        .into_iter()
        .find(|f| args.flag(f).is_some())
    {
        return Err(format!("--{flag} goes with --acme DOMAIN"));
    }
    match files {
        (Some(cert), Some(key)) => {
            let files = crate::tls::CertificateFiles::open(cert.into(), key.into(), crate::tls::RECHECK)
                .map_err(|e| e.to_string())?;
            Ok(Some(crate::tls::acceptor(files).map_err(|e| e.to_string())?))
        }
        (None, None) => Ok(None),
        _ => Err("--tls-cert and --tls-key go together".into()),
    }
}

/// The first start makes the first admin account (`admin`): its password from
/// $VERVAL_HUB_ADMIN_PASSWORD, or a one-time password printed once and changed at the first
/// sign-in. A hub with accounts (or upgraded from the single admin password) is left as is.
async fn ensure_first_admin(db: &Db) -> Result<(), String> {
    if crate::staff::any(db).await.map_err(|e| e.to_string())? {
        return Ok(());
    }
    let given = match std::env::var("VERVAL_HUB_ADMIN_PASSWORD") {
        Ok(p) if p.chars().count() >= crate::staff::MIN_PASSWORD_CHARS => Some(p),
        Ok(_) => {
            return Err(
                "VERVAL_HUB_ADMIN_PASSWORD must have at least 10 characters: it sets the admin password at the first start"
                    .into(),
            )
        }
        Err(_) => None,
    };
    let first = crate::staff::NewAccount {
        username: crate::staff::FIRST_ADMIN,
        name: "Admin",
        role: "admin",
        wilayah: "",
    };
    let (_, one_time) = crate::staff::add(db, &first, given.as_deref(), &Actor::cli())
        .await
        .map_err(|e| e.to_string())?;
    if let Some(password) = one_time {
        println!(
            "Akun admin, kata sandi sekali pakai (admin account, one-time password), shown only this once: {password}"
        );
    }
    Ok(())
}

async fn import(args: Args) -> Result<bool, String> {
    args.only(&["db", "name", "identity"])?;
    if args.rest.is_empty() {
        return Err("import needs at least one batch file".into());
    }
    let keys = match args.flag("identity") {
        Some(file) => key::identities(Path::new(file))?,
        None => Vec::new(),
    };
    let db = open(&args).await?;
    let name = args.flag("name").unwrap_or("Verval Hub");
    // A file handed over may hold a whole village with its photos.
    let limits = verval_core::export::Limits::default();
    let mut all_ok = true;
    for path in &args.rest {
        let outcome = match std::fs::read(path) {
            Err(e) => Err(format!("cannot read: {e}")),
            Ok(bytes) => ingest::ingest(&db, name, &bytes, &limits, &Source::File, &Actor::cli(), &keys)
                .await
                .map_err(|e| e.to_string()),
        };
        match outcome {
            Ok(receipt) => {
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
            }
            Err(why) => {
                all_ok = false;
                println!("REFUSED {path}: {why}");
            }
        }
    }
    Ok(all_ok)
}

async fn export(args: Args) -> Result<bool, String> {
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
    let profile = Profile::parse(profile_id)
        .ok_or_else(|| format!("unknown profile {profile_id:?} (lengkap, p3ke or regsosek)"))?;
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
    let made = export::prepare(
        &db,
        profile,
        region.as_ref(),
        &crate::staff::Scope::everywhere(),
        today,
    )
    .await
    .map_err(|e| e.to_string())?;
    let tables = &made.tables;
    // With `--app`, the region tables of the app the hub serves name the regions.
    let regions = RegionTables::new(args.flag("app").map(Path::new)).names_in(tables);
    let bytes = if as_zip {
        export::csv_zip(tables, &regions)
    } else {
        export::workbook(tables, &regions)
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

async fn enumerator(sub: &str, args: Args) -> Result<bool, String> {
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

/// Reads each prelist file and says what it holds, or every cell it cannot accept.
fn check_prelists(files: &[String]) -> bool {
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

async fn import_prelists(args: Args) -> Result<bool, String> {
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
