//! The audit trail (issue #19, item 3): every auditable action writes exactly one event with
//! who, when, from where and what; the trail is append-only in the database itself; the
//! audit page filters it and downloads it as CSV; a household's page shows its history.

mod support;

use std::process::Command;
use support::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::sync::api::{ASSIGNMENT_PATH, REVIEWS_PATH};
use verval_hub::audit::{self, Action, Actor, Event};
use verval_hub::db::Db;
use verval_hub::Config;

const PASSWORD: &str = "dinsos-probolinggo";

/// Reads the trail as it is stored, a step at a time.
struct Trail {
    db: Db,
    seen: i64,
}

#[derive(Debug)]
struct Seen {
    actor: String,
    address: String,
    detail: serde_json::Value,
    households: Vec<String>,
}

impl Trail {
    /// Reads what is written from now on.
    async fn from_now(db: &Db) -> Trail {
        let seen: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_events")
            .fetch_one(&db.pool)
            .await
            .expect("the trail's end");
        Trail { db: db.clone(), seen }
    }

    /// The one event written since the last step, which must be `action`.
    async fn one(&mut self, action: Action) -> Seen {
        let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT seq, actor, address, action, detail, households FROM audit_events \
             WHERE seq > $1 ORDER BY seq",
        )
        .bind(self.seen)
        .fetch_all(&self.db.pool)
        .await
        .expect("read the trail");
        let actions: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        assert_eq!(actions, [action.code()], "exactly one event for {action:?}");
        let (seq, actor, address, _, detail, count) = rows.into_iter().next().expect("one row");
        self.seen = seq;
        let households: Vec<String> =
            sqlx::query_scalar("SELECT record_id FROM audit_households WHERE seq = $1 ORDER BY record_id")
                .bind(seq)
                .fetch_all(&self.db.pool)
                .await
                .expect("households");
        assert_eq!(
            households.len() as i64,
            count,
            "the count matches the households kept"
        );
        Seen {
            actor,
            address,
            detail: serde_json::from_str(&detail).expect("detail is JSON"),
            households,
        }
    }
}

async fn body(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status, "{}", response.url());
    response.text().await.expect("body")
}

async fn every_auditable_action_writes_exactly_one_event(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "admin", "admin", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let web = staff_browser();
    let mut trail = Trail::from_now(&db).await;

    // Sign-in, refused then accepted: who tried, from where.
    let refused = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "admin"), ("password", "tebakan-salah")])
        .send()
        .await
        .expect("sign in");
    assert_eq!(refused.status(), 401);
    let failed = trail.one(Action::SignInFailed).await;
    assert_eq!(
        (failed.actor.as_str(), failed.address.as_str()),
        ("admin", "127.0.0.1")
    );
    let signed_in = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(signed_in.status(), 303);
    trail.one(Action::SignIn).await;
    let t = form_token(
        &body(
            web.get(format!("{base}/admin/unggah"))
                .send()
                .await
                .expect("page"),
            200,
        )
        .await,
    );

    // A batch file uploaded by hand: its batch and households.
    let families = [family(501, VILLAGE), family(502, OTHER_VILLAGE)];
    let file = batch(&families, "device-a");
    let page = body(
        web.post(format!("{base}/admin/unggah?_t={t}"))
            .multipart(zip_part("a.zip", file.bytes.clone()))
            .send()
            .await
            .expect("upload"),
        200,
    )
    .await;
    assert!(page.contains("data-testid=\"upload-ok\""), "{page}");
    let uploaded = trail.one(Action::BatchUpload).await;
    let mut ids: Vec<String> = families.iter().map(|f| f.id.to_string()).collect();
    ids.sort();
    assert_eq!(uploaded.households, ids);
    assert_eq!(uploaded.detail["keluarga"], 2);
    // The same file again changes nothing and is not an event.
    body(
        web.post(format!("{base}/admin/unggah?_t={t}"))
            .multipart(zip_part("a.zip", file.bytes.clone()))
            .send()
            .await
            .expect("upload"),
        200,
    )
    .await;
    let batch_id = uploaded.detail["batch_id"].as_str().expect("batch id").to_owned();
    body(
        web.get(format!("{base}/admin/tanda-terima/{batch_id}"))
            .send()
            .await
            .expect("receipt"),
        200,
    )
    .await;
    assert_eq!(
        trail.one(Action::ReceiptDownload).await.detail["batch_id"],
        batch_id.as_str()
    );

    // A household viewed, reviewed; a conflict resolved.
    let id = families[0].id.to_string();
    let viewed = body(
        web.get(format!("{base}/admin/keluarga/{id}"))
            .send()
            .await
            .expect("view"),
        200,
    )
    .await;
    // Its heading names the family (issue #28), not just "Keluarga".
    assert!(viewed.contains("<h1>Keluarga SLAMET RIYADI</h1>"), "{viewed}");
    assert_eq!(
        trail.one(Action::RecordView).await.households,
        std::slice::from_ref(&id)
    );
    let reviewed = web
        .post(format!("{base}/admin/keluarga/{id}/tinjauan?_t={t}"))
        .form(&[
            ("review", "perlu_perbaikan"),
            ("revision", "1"),
            ("note", "foto KTP buram"),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(reviewed.status(), 303);
    let review = trail.one(Action::Review).await;
    assert_eq!(review.detail["tinjauan"], "perlu_perbaikan");
    assert_eq!(review.detail["catatan"], "foto KTP buram");
    assert_eq!(review.households, std::slice::from_ref(&id));
    let unknown = web
        .post(format!("{base}/admin/keluarga/tidak-ada/tinjauan?_t={t}"))
        .form(&[("review", "disetujui"), ("revision", "1")])
        .send()
        .await
        .expect("review");
    assert_eq!(unknown.status(), 404);

    let other = corrected(&families[0], NAMA_KEPALA_KELUARGA, "VERSI PERANGKAT B");
    body(
        web.post(format!("{base}/admin/unggah?_t={t}"))
            .multipart(zip_part("b.zip", batch(&[other], "device-b").bytes))
            .send()
            .await
            .expect("upload"),
        200,
    )
    .await;
    trail.one(Action::BatchUpload).await;
    let first_sha: String =
        sqlx::query_scalar("SELECT sha256 FROM record_versions WHERE record_id = $1 AND revision = 1")
            .bind(&id)
            .fetch_one(&db.pool)
            .await
            .expect("first version");
    let chosen = web
        .post(format!("{base}/admin/keluarga/{id}/versi?_t={t}"))
        .form(&[("revision", "1"), ("sha256", first_sha.as_str())])
        .send()
        .await
        .expect("choose");
    assert_eq!(chosen.status(), 303);
    assert_eq!(
        trail.one(Action::ConflictResolved).await.households,
        std::slice::from_ref(&id)
    );

    // The test families share one card and its members: a pair, decided "different families".
    let (first, second, first_revision, second_revision): (String, String, i64, i64) = sqlx::query_as(
        "SELECT p.first_id, p.second_id, a.revision, b.revision FROM duplicate_pairs p \
         JOIN records a ON a.record_id = p.first_id JOIN records b ON b.record_id = p.second_id \
         WHERE p.decision = '' ORDER BY p.first_id, p.second_id",
    )
    .fetch_one(&db.pool)
    .await
    .expect("a pair");
    let (first_revision, second_revision) = (first_revision.to_string(), second_revision.to_string());
    let decided = web
        .post(format!("{base}/admin/ganda/putuskan?_t={t}"))
        .form(&[
            ("pertama", first.as_str()),
            ("kedua", second.as_str()),
            ("revisi_pertama", first_revision.as_str()),
            ("revisi_kedua", second_revision.as_str()),
            ("keputusan", "berbeda"),
        ])
        .send()
        .await
        .expect("decide the pair");
    assert_eq!(decided.status(), 303);
    let pair = trail.one(Action::DuplicateResolved).await;
    assert_eq!(pair.households, [first, second]);
    assert_eq!(pair.detail["keputusan"], "berbeda");

    // Exports: which profile, which region, how many households, whether NIKs were in it.
    let export = |query: &'static str| {
        let url = format!("{base}/admin/ekspor/unduh?{query}");
        let web = web.clone();
        async move { body(web.get(url).send().await.expect("export"), 200).await }
    };
    export("profil=p3ke&wilayah=35.13.14.2001&format=xlsx").await;
    let one_village = trail.one(Action::Export).await;
    assert_eq!(one_village.detail["profil"], "p3ke");
    assert_eq!(one_village.detail["wilayah"], "35.13.14.2001");
    assert_eq!(one_village.detail["keluarga"], 1);
    assert_eq!(one_village.detail["nik"], true);
    assert_eq!(one_village.households, std::slice::from_ref(&id));
    export("profil=lengkap&wilayah=&format=rekap").await;
    let recap = trail.one(Action::Export).await;
    assert_eq!(recap.detail["nik"], false, "a recap counts; it names no one");
    assert_eq!(recap.detail["keluarga"], 2);
    assert!(recap.households.is_empty());
    let refused = web
        .get(format!(
            "{base}/admin/ekspor/unduh?profil=lengkap&wilayah=99&format=xlsx"
        ))
        .send()
        .await
        .expect("export");
    assert_eq!(refused.status(), 404, "nothing exported, nothing on record");

    // Enumerators: added, a new code, the assignment file, revoked.
    let added = body(
        web.post(format!("{base}/admin/petugas?_t={t}"))
            .form(&[("nama", "Siti Aminah"), ("desa", VILLAGE)])
            .send()
            .await
            .expect("add"),
        200,
    )
    .await;
    assert!(added.contains("data-testid"), "{added}");
    let enumerator = trail.one(Action::EnumeratorAdded).await;
    let enumerator_id = enumerator.detail["petugas_id"].as_str().expect("id").to_owned();
    assert_eq!(enumerator.detail["desa"], serde_json::json!([VILLAGE]));
    body(
        web.post(format!("{base}/admin/petugas/{enumerator_id}/kode?_t={t}"))
            .send()
            .await
            .expect("code"),
        200,
    )
    .await;
    trail.one(Action::EnrolmentCode).await;
    body(
        web.get(format!("{base}/admin/petugas/{enumerator_id}/penugasan.json"))
            .send()
            .await
            .expect("assignment"),
        200,
    )
    .await;
    assert_eq!(
        trail.one(Action::AssignmentDownload).await.detail["petugas_id"],
        enumerator_id.as_str()
    );
    body(
        web.post(format!("{base}/admin/petugas/{enumerator_id}/cabut?_t={t}"))
            .send()
            .await
            .expect("revoke"),
        200,
    )
    .await;
    trail.one(Action::EnumeratorRevoked).await;

    // A prelist imported.
    let list = "ID_keluarga_P3KE;kode_kemdagri;nomor_KK;NIK;nama\n\
                P-1;3513142001;3513141203150007;3513140101800001;SLAMET\n";
    let form = reqwest::multipart::Form::new().part(
        "prelist",
        reqwest::multipart::Part::bytes(list.as_bytes().to_vec()).file_name("daftar.csv"),
    );
    let page = body(
        web.post(format!("{base}/admin/prelist?_t={t}"))
            .multipart(form)
            .send()
            .await
            .expect("prelist"),
        200,
    )
    .await;
    assert!(page.contains("prelist-imported"), "{page}");
    let imported = trail.one(Action::PrelistImport).await;
    assert_eq!(imported.detail["berkas"], "daftar.csv");
    assert_eq!(imported.detail["keluarga"], 1);

    // A phone: its sync and its assignment, on record as the enumerator it is enrolled to.
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    trail.one(Action::EnumeratorAdded).await;
    let synced = upload(
        addr,
        Some(&phone.token),
        batch(&[family(503, VILLAGE)], "phone-1").bytes,
    )
    .await;
    assert_eq!(synced.status(), 200);
    let sync = trail.one(Action::BatchSync).await;
    assert!(sync.actor.starts_with("petugas:ptg-"), "{sync:?}");
    assert_eq!(sync.households.len(), 1);
    let assignment = client()
        .get(format!("{base}{ASSIGNMENT_PATH}"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("assignment");
    assert_eq!(assignment.status(), 200);
    assert_eq!(
        trail.one(Action::AssignmentDownload).await.detail["keluarga_prelist"],
        1
    );

    // The district's decision on the phone's family reaches it: once by sync (a round with
    // nothing new leaves no event), once as a review file.
    let phone_family = family(503, VILLAGE).id.to_string();
    let reviewed = web
        .post(format!("{base}/admin/keluarga/{phone_family}/tinjauan?_t={t}"))
        .form(&[
            ("review", "perlu_perbaikan"),
            ("revision", "1"),
            ("note", "foto KK buram"),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(reviewed.status(), 303);
    trail.one(Action::Review).await;
    let reviews_url = format!("{base}{REVIEWS_PATH}");
    let feed: verval_core::review::feed::ReviewFeed = client()
        .get(&reviews_url)
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("reviews")
        .json()
        .await
        .expect("feed");
    assert_eq!(feed.reviews.len(), 1);
    let sent = trail.one(Action::ReviewDownload).await;
    assert_eq!(sent.households, std::slice::from_ref(&phone_family));
    assert_eq!(sent.detail["lewat"], "sinkron");
    let nothing_new = client()
        .get(format!("{reviews_url}?since={}", feed.cursor))
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("reviews");
    assert_eq!(nothing_new.status(), 200);
    let file = web
        .get(format!("{base}/admin/tinjauan-hp/phone-1"))
        .send()
        .await
        .expect("review file");
    assert_eq!(file.status(), 200);
    let by_file = trail.one(Action::ReviewDownload).await;
    assert_eq!(by_file.detail["lewat"], "berkas");
    assert_eq!(by_file.households, [phone_family]);

    // The audit page: filters, the household's own history, the CSV.
    let exports = body(
        web.get(format!("{base}/admin/audit?aksi=ekspor"))
            .send()
            .await
            .expect("audit"),
        200,
    )
    .await;
    assert!(exports.contains("2 kejadian"), "{exports}");
    assert_eq!(exports.matches("<tr data-action=").count(), 2);
    assert_eq!(exports.matches("<tr data-action=\"ekspor\"").count(), 2);
    let mine = body(
        web.get(format!("{base}/admin/audit?keluarga={id}"))
            .send()
            .await
            .expect("audit"),
        200,
    )
    .await;
    // Uploaded twice (two versions), viewed, reviewed, resolved, its duplicate pair decided,
    // exported once by name.
    assert!(mine.contains("7 kejadian"), "{mine}");
    let today = verval_hub::time_zone::TimeZone::Wib.today();
    let yesterday = verval_core::date::Date::from_days_since_epoch(today.days_since_epoch() - 1);
    let none = body(
        web.get(format!("{base}/admin/audit?sampai={yesterday}"))
            .send()
            .await
            .expect("audit"),
        200,
    )
    .await;
    assert!(none.contains("0 kejadian"), "{none}");
    let bad = web
        .get(format!("{base}/admin/audit?dari=kemarin"))
        .send()
        .await
        .expect("audit");
    assert_eq!(bad.status(), 400);
    assert!(body(bad, 400).await.contains("kemarin"));
    let csv = body(
        web.get(format!("{base}/admin/audit/unduh?keluarga={id}&dari={today}"))
            .send()
            .await
            .expect("csv"),
        200,
    )
    .await;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("no,waktu_utc,waktu_lokal,zona_waktu,orang,alamat,aksi"),
        "{csv}"
    );
    assert_eq!(lines.len(), 1 + 7, "{csv}");
    assert!(lines.iter().skip(1).all(|l| l.contains(&id)), "{csv}");
    assert!(lines[1..].iter().any(|l| l.contains(",tinjauan,")), "{csv}");
    let downloaded = trail.one(Action::AuditDownload).await;
    assert_eq!(downloaded.detail["keluarga"], id.as_str());

    let household = body(
        web.get(format!("{base}/admin/keluarga/{id}"))
            .send()
            .await
            .expect("view"),
        200,
    )
    .await;
    let history = &household[household.find("id=\"riwayat\"").expect("history")..];
    assert!(
        history.contains("data-action=\"konflik_diputuskan\""),
        "{history}"
    );
    assert!(history.contains("data-action=\"ekspor\""), "{history}");
    trail.one(Action::RecordView).await;

    // Signing out.
    let out = web
        .post(format!("{base}/admin/keluar?_t={t}"))
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 303);
    trail.one(Action::SignOut).await;
}
both!(every_auditable_action_writes_exactly_one_event);

/// Neither the hub nor anyone with the database's password can rewrite the trail.
async fn the_trail_is_append_only(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("open");
    let by = Actor {
        name: "admin".to_owned(),
        address: "127.0.0.1".to_owned(),
    };
    let households = ["rec-1".to_owned(), "rec-2".to_owned()];
    let event = Event {
        action: Action::Export,
        detail: serde_json::json!({ "profil": "lengkap" }),
        households: &households,
    };
    audit::record(&db, &by, &event).await.expect("record");
    for statement in [
        "UPDATE audit_events SET actor = 'orang-lain'",
        "DELETE FROM audit_events",
        "UPDATE audit_households SET record_id = 'rec-3'",
        "DELETE FROM audit_households",
    ] {
        let refused = sqlx::query(statement).execute(&db.pool).await;
        let error = refused.expect_err(statement).to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }
    if backend == Backend::Postgres {
        let refused = sqlx::query("TRUNCATE audit_events, audit_households")
            .execute(&db.pool)
            .await;
        assert!(refused.is_err(), "TRUNCATE refused");
    }
    // Opened again (an upgrade, a restart): the guard stays, the event is as written.
    drop(db);
    let db = Db::open(&url).await.expect("open again");
    assert!(sqlx::query("DELETE FROM audit_events")
        .execute(&db.pool)
        .await
        .is_err());
    let (total, events) = audit::find(&db, &audit::Filter::default(), None)
        .await
        .expect("find");
    assert_eq!(total, 1);
    assert_eq!(events[0].actor, "admin");
    assert_eq!(count(&db, "audit_households").await, 2);
}
both!(the_trail_is_append_only);

/// Nothing in the hub's source updates or deletes the trail.
#[test]
fn no_code_updates_or_deletes_the_trail() {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "sql") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    sources(&root.join("src"), &mut files);
    sources(&root.join("migrations"), &mut files);
    assert!(files.len() > 10, "the sources were found");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read").to_uppercase();
        for table in ["AUDIT_EVENTS", "AUDIT_HOUSEHOLDS"] {
            for verb in [
                format!("UPDATE {table}"),
                format!("DELETE FROM {table}"),
                format!("TRUNCATE {table}"),
            ] {
                assert!(!text.contains(&verb), "{} contains {verb}", file.display());
            }
        }
    }
}

/// The command line's exports, backups and password changes are on record as `cli`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_is_on_record_too() {
    let url = fresh_url(Backend::Sqlite).await;
    let db = Db::open(&url).await.expect("open");
    staff_account(&db, "admin", "admin", "", "kata-sandi-lama-1").await;
    let stored = upload_by_hand(&db).await;
    drop(db);
    let dir = std::path::PathBuf::from(url.trim_start_matches("sqlite://"))
        .parent()
        .expect("dir")
        .to_owned();
    let hub = env!("CARGO_BIN_EXE_verval-hub");
    let out = dir.join("ekspor.xlsx");
    // A profile the hub does not know is refused by name, never read as another one.
    let unknown = Command::new(hub)
        .args(["export", "--db", &url, "--profile", "p3ke_2027", "--out"])
        .arg(&out)
        .output()
        .expect("export");
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("\"p3ke_2027\"") && said.contains("lengkap, p3ke, regsosek"),
        "{said}"
    );
    assert!(!out.exists(), "no file for an unknown profile");
    run_ok(
        Command::new(hub)
            .args(["export", "--db", &url, "--profile", "lengkap", "--out"])
            .arg(&out),
        "export",
    );
    let mut password = Command::new(hub)
        .args(["admin-password", "--db", &url])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("admin-password");
    std::io::Write::write_all(&mut password.stdin.take().expect("stdin"), b"kata-sandi-baru-1\n")
        .expect("send the password");
    assert!(password.wait().expect("admin-password").success());
    run_ok(
        Command::new(hub)
            .args(["backup", "--db", &url, "--out"])
            .arg(dir.join("cadangan.zip")),
        "backup",
    );
    let db = Db::open(&url).await.expect("open");
    let (_, events) = audit::find(&db, &audit::Filter::default(), None)
        .await
        .expect("find");
    let seen: Vec<(&str, &str, &str)> = events
        .iter()
        .rev()
        .map(|e| (e.actor.as_str(), e.address.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("cli", "lokal", "akun_ditambah"),
            ("cli", "lokal", "unggah_batch"),
            ("cli", "lokal", "ekspor"),
            ("cli", "lokal", "kata_sandi_diganti"),
            ("cli", "lokal", "cadangan"),
        ]
    );
    let export = &events[2];
    assert!(export.detail.contains("\"nik\":true"), "{}", export.detail);
    assert_eq!(export.households, stored);
}

async fn upload_by_hand(db: &Db) -> i64 {
    let families = [family(601, VILLAGE), family(602, VILLAGE)];
    let receipt = verval_hub::ingest::ingest(
        db,
        "Hub",
        &batch(&families, "device-a").bytes,
        &verval_hub::ingest::limits(32 << 20),
        &verval_hub::ingest::Source::File,
        &Actor::cli(),
        &[],
    )
    .await
    .expect("ingest");
    receipt.receipt.records.len() as i64
}

/// The district's clock (WIB, WITA or WIT) is a setting, changed on record, and the pages
/// show times by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_clock_is_a_setting_the_pages_follow() {
    use verval_hub::time_zone::{self, TimeZone};
    let db = fresh_db(Backend::Sqlite).await;
    assert_eq!(
        time_zone::of(&db).await.expect("zone"),
        TimeZone::Wib,
        "WIB until set"
    );
    let mut trail = Trail::from_now(&db).await;
    time_zone::set(&db, TimeZone::Wit, &Actor::cli())
        .await
        .expect("set");
    let set = trail.one(Action::Settings).await;
    assert_eq!(set.detail["zona_waktu"], "WIT");
    time_zone::set(&db, TimeZone::Wit, &Actor::cli())
        .await
        .expect("again");
    assert_eq!(time_zone::of(&db).await.expect("zone"), TimeZone::Wit);
    staff_account(&db, "admin", "admin", "", PASSWORD).await;
    trail.one(Action::AccountAdded).await;

    let config = Config {
        time_zone: TimeZone::Wit,
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    let web = staff_browser();
    web.post(format!("http://{addr}/admin/masuk"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    let page = body(
        web.get(format!("http://{addr}/admin/audit"))
            .send()
            .await
            .expect("audit"),
        200,
    )
    .await;
    assert!(page.contains("Waktu (WIT)"), "{page}");
    let (_, events) = audit::find(&db, &audit::Filter::default(), Some(1))
        .await
        .expect("find");
    let shown = TimeZone::Wit.format(events[0].at);
    assert_ne!(shown, TimeZone::Wib.format(events[0].at));
    assert!(page.contains(&shown), "{shown} in {page}");

    sqlx::query("UPDATE settings SET value = 'GMT' WHERE key = 'time_zone'")
        .execute(&db.pool)
        .await
        .expect("a bad value");
    let error = time_zone::of(&db).await.expect_err("refused").to_string();
    assert!(error.contains("GMT"), "{error}");
}
