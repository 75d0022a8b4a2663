//! `serve`: the hub itself — its database, the district's keys, HTTPS from files or ACME,
//! the first admin account — until stopped.

use super::{open, parse_days, Args};
use crate::audit::Actor;
use crate::db::Db;
use crate::time_zone::TimeZone;
use crate::{Config, Hub};
use std::path::PathBuf;

pub(super) async fn serve(args: Args) -> Result<bool, String> {
    args.only(&[
        "db",
        "listen",
        "app",
        "name",
        "max-upload-mb",
        "batch-part-mb",
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
    if let Some(mb) = args.flag("batch-part-mb") {
        config.batch_part_bytes = mb
            .parse::<u64>()
            .ok()
            .filter(|mb| *mb >= 1)
            .map(|mb| mb * 1_000_000)
            .ok_or_else(|| format!("--batch-part-mb {mb:?} is not a whole number of megabytes, 1 or more"))?;
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
