//! Hub databases of older schemas, holding data, upgraded by opening them with this hub:
//! before issue #17 (nothing is lost, devices get their keys, versions their origins, and a
//! device's next revision is its own, not a conflict) and before staff accounts (the single
//! admin password becomes the `admin` account).

mod support;

use std::borrow::Cow;
use support::*;
use verval_core::export::canonical::{canonical_json, sha256_hex};
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::sync::Outcome;
use verval_hub::db::Db;
use verval_hub::enrol::Device;
use verval_hub::ingest::{ingest, limits, Source};

const TOKEN_HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The database at `url` with only its first `migrations` applied: 2 before issue #17, 4
/// before staff accounts.
async fn old_schema(url: &str, migrations: usize) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = match url.strip_prefix("sqlite://") {
        Some(path) => format!("sqlite://{path}?mode=rwc"),
        None => url.to_owned(),
    };
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = Cow::Owned(before.migrations[..migrations].to_vec());
    before.run(&pool).await.expect("the old migrations");
    pool
}

async fn exec(pool: &sqlx::AnyPool, sql: &str) {
    sqlx::query(sql)
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn data_survives_the_upgrade(backend: Backend) {
    let url = fresh_url(backend).await;
    let pool = old_schema(&url, 2).await;
    let first = family(1, VILLAGE);
    let body = canonical_json(&first);
    let sha = sha256_hex(body.as_bytes());
    let id = first.id.to_string();
    for sql in [
        "INSERT INTO enumerators (id, name, created_at) VALUES ('ptg-1', 'Siti Aminah', 1)".to_owned(),
        format!("INSERT INTO enumerator_villages (enumerator_id, kode_desa) VALUES ('ptg-1', '{VILLAGE}')"),
        format!(
            "INSERT INTO devices (token_hash, enumerator_id, device_id, enrolled_at) \
             VALUES ('{TOKEN_HASH}', 'ptg-1', 'phone-a', 1)"
        ),
        "INSERT INTO batches (batch_id, sha256, file_name, via, enumerator_id, enumerator, device_id, \
         record_count, received_at, receipt, bytes) VALUES ('b-sync', 's', 'f.zip', 'sync', 'ptg-1', \
         'Siti Aminah', 'phone-a', 1, 1, 'r', '')"
            .to_owned(),
        "INSERT INTO batches (batch_id, sha256, file_name, via, enumerator_id, enumerator, device_id, \
         record_count, received_at, receipt, bytes) VALUES ('b-file', 's2', 'g.zip', 'file', NULL, \
         'Budi', 'laptop', 1, 2, 'r', '')"
            .to_owned(),
        format!(
            "INSERT INTO record_versions (record_id, revision, sha256, batch_id, device_id, body, received_at) \
             VALUES ('{id}', 1, '{sha}', 'b-sync', 'phone-a', '{}', 1)",
            body.replace('\'', "''")
        ),
        "INSERT INTO record_versions (record_id, revision, sha256, batch_id, device_id, body, received_at) \
         VALUES ('other-record', 1, 'x', 'b-file', 'laptop', '{}', 2)"
            .to_owned(),
        format!(
            "INSERT INTO records (record_id, revision, sha256, kode_desa, enumerator, nama_kepala_keluarga, \
             nomor_kk, status_verifikasi, conflict, review, review_note, updated_at) \
             VALUES ('{id}', 1, '{sha}', '{VILLAGE}', 'Siti Aminah', 'SLAMET', '3513', '1', 0, 'disetujui', 'ok', 1)"
        ),
    ] {
        exec(&pool, &sql).await;
    }
    pool.close().await;

    let db = Db::open(&url).await.expect("the upgrade");
    let key: String = sqlx::query_scalar("SELECT device_key FROM devices")
        .fetch_one(&db.pool)
        .await
        .expect("key");
    assert_eq!(key, format!("dev-{}", &TOKEN_HASH[..16]));
    let origins: Vec<(String, String)> =
        sqlx::query_as("SELECT record_id, origin FROM record_versions ORDER BY received_at")
            .fetch_all(&db.pool)
            .await
            .expect("origins");
    assert_eq!(
        origins,
        [
            (id.clone(), key.clone()),
            ("other-record".to_owned(), "file:laptop".to_owned())
        ]
    );
    let kept: (String, String) = sqlx::query_as("SELECT review, review_note FROM records")
        .fetch_one(&db.pool)
        .await
        .expect("record");
    assert_eq!(kept, ("disetujui".to_owned(), "ok".to_owned()));
    // The decision made before reviews had a history is its first entry (migration 0006),
    // about the revision that was current, its reviewer not on record.
    let history: Vec<(i64, String, i64, String, String, String)> =
        sqlx::query_as("SELECT seq, record_id, revision, decision, note, reviewer FROM reviews")
            .fetch_all(&db.pool)
            .await
            .expect("reviews");
    assert_eq!(
        history,
        [(
            1,
            id.clone(),
            1,
            "disetujui".to_owned(),
            "ok".to_owned(),
            String::new()
        )]
    );
    let reviewed: i64 = sqlx::query_scalar("SELECT reviewed_revision FROM records")
        .fetch_one(&db.pool)
        .await
        .expect("reviewed revision");
    assert_eq!(reviewed, 1);
    assert_eq!(count(&db, "batches").await, 2);

    // The same device's next revision, after the upgrade: its own, not a conflict.
    let device = Device {
        enumerator_id: "ptg-1".to_owned(),
        enumerator: "Siti Aminah".to_owned(),
        device_key: key,
        device_id: "phone-a".to_owned(),
        villages: vec![VILLAGE.to_owned()],
    };
    let next = corrected(&first, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI");
    let sent = batch(&[next], "phone-a");
    let receipt = ingest(
        &db,
        "Hub",
        &sent.bytes,
        &limits(32 << 20),
        &Source::Device(device),
        &verval_hub::audit::Actor::cli(),
        &[],
    )
    .await
    .expect("stored");
    assert_eq!(receipt.receipt.records[0].outcome, Outcome::Stored);
}
both!(data_survives_the_upgrade);

/// A hub from before staff accounts (issue #19, item 5): its single admin password becomes
/// the `admin` account, which signs in with it (username left empty) and is then asked to
/// choose its username; nothing else changes.
async fn the_old_admin_password_becomes_an_account(backend: Backend) {
    let url = fresh_url(backend).await;
    let pool = old_schema(&url, 4).await;
    let hash = verval_hub::secret::hash_password("sandi-admin-lama").expect("hash");
    exec(
        &pool,
        &format!("INSERT INTO settings (key, value) VALUES ('admin_password', '{hash}')"),
    )
    .await;
    exec(
        &pool,
        "INSERT INTO settings (key, value) VALUES ('hub_name', 'Dinsos')",
    )
    .await;
    exec(
        &pool,
        &format!("INSERT INTO sessions (token_hash, expires_at) VALUES ('{TOKEN_HASH}', 9999999999999)"),
    )
    .await;
    pool.close().await;

    let db = Db::open(&url).await.expect("the upgrade");
    assert_eq!(
        db.setting("admin_password").await.expect("setting"),
        None,
        "one place for it"
    );
    assert_eq!(
        db.setting("hub_name").await.expect("setting").as_deref(),
        Some("Dinsos")
    );
    assert_eq!(count(&db, "sessions").await, 0, "old browsers sign in again");
    let addr = start_hub(db.clone(), verval_hub::Config::default()).await;
    let base = format!("http://{addr}");
    let web = staff_browser();
    let first = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", ""), ("password", "sandi-admin-lama")])
        .send()
        .await
        .expect("sign in");
    assert_eq!(first.headers()["location"], "/admin/nama-pengguna");
    let elsewhere = web
        .get(format!("{base}/admin/audit"))
        .send()
        .await
        .expect("audit");
    assert_eq!(elsewhere.headers()["location"], "/admin/nama-pengguna");
    let page = web
        .get(format!("{base}/admin/nama-pengguna"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("page");
    let t = page
        .split("?_t=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("token")
        .to_owned();
    let chosen = web
        .post(format!("{base}/admin/nama-pengguna?_t={t}"))
        .form(&[("username", "Kabid.Linjamsos")])
        .send()
        .await
        .expect("choose");
    assert_eq!(chosen.headers()["location"], "/admin");
    let audit = web
        .get(format!("{base}/admin/audit"))
        .send()
        .await
        .expect("audit");
    assert_eq!(audit.status(), 200, "the session followed its account's new name");

    // The empty username no longer opens anything; the chosen one does, same password.
    let sign_in = |username: &'static str| {
        reqwest::Client::new()
            .post(format!("{base}/admin/masuk"))
            .form(&[("username", username), ("password", "sandi-admin-lama")])
            .send()
    };
    assert_eq!(sign_in("").await.expect("sign in").status(), 401);
    assert_eq!(sign_in("admin").await.expect("sign in").status(), 401);
    let named = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "kabid.linjamsos"), ("password", "sandi-admin-lama")])
        .send()
        .await
        .expect("sign in");
    assert_eq!(named.status(), 303);
    let account = verval_hub::staff::find(&db, "kabid.linjamsos")
        .await
        .expect("find")
        .expect("account");
    assert_eq!(account.role, verval_hub::staff::Role::Admin);
    assert!(!account.must_choose_username);
}
both!(the_old_admin_password_becomes_an_account);
