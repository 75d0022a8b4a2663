//! Sealed batches (issue #22) through the real hub: a key pair made by `verval-hub key
//! generate`; a phone's sealed upload kept sealed and answered with a receipt; an admin
//! unlocking the key on the page, and the households appearing; a batch whose content
//! contradicts its manifest quarantined; `import --identity`; and the standard `age` tool
//! opening what Verval sealed with nothing but the recovery sheet.

mod support;
// Not in `support`: benchmarks share `support` and have no hub binary to run.
#[path = "support/keys.rs"]
mod keys;

use calamine::Reader;
use keys::*;
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use support::*;
use verval_core::export::canonical::sha256_hex;
use verval_core::export::{seal_batch, BuiltBatch, SealTo, SealedBatch};
use verval_core::seal::{Identity, Recipient};
use verval_core::sync::{parse_receipt, Outcome};
use verval_hub::db::Db;
use verval_hub::Config;

const ADMIN_PASSWORD: &str = "sandi-admin-panjang";

fn sealed(built: &BuiltBatch, keys: &[&DistrictKey]) -> SealedBatch {
    let (recipients, entropy) = sealing_to(keys);
    seal_batch(
        built,
        &SealTo {
            recipients: &recipients,
            enumerator_id: "",
        },
        &entropy,
    )
    .expect("seal")
}

async fn admin(db: &Db, addr: std::net::SocketAddr) -> (reqwest::Client, String, String) {
    staff_account(db, "admin", "admin", "", ADMIN_PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, token) = signed_in(&base, "admin", ADMIN_PASSWORD).await;
    (web, token, base)
}

async fn state_of(db: &Db, batch_id: &str) -> (String, String) {
    verval_hub::sealing::store::state_of(db, batch_id)
        .await
        .expect("state")
        .expect("a sealed batch")
}

both!(a_sealed_upload_waits_for_the_key_and_opens_when_an_admin_unlocks_it);
async fn a_sealed_upload_waits_for_the_key_and_opens_when_an_admin_unlocks_it(backend: Backend) {
    let KeyedHub { db, own, spare, addr } = keyed_hub(backend, "upload").await;
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    let families = [family(1, VILLAGE), family(2, VILLAGE)];
    let plain = batch(&families, "phone-1");
    let file = sealed(&plain, &[&own, &spare]);

    // Kept sealed, answered with a receipt the phone accepts.
    let answer = upload(addr, Some(&phone.token), file.bytes.clone()).await;
    assert_eq!(answer.status(), 200);
    let receipt = parse_receipt(&answer.bytes().await.expect("body")).expect("receipt");
    assert_eq!(receipt.batch_sha256, sha256_hex(&file.bytes));
    assert!(receipt.records.iter().all(|r| r.outcome == Outcome::Sealed));
    let sent: Vec<(String, u32)> = families.iter().map(|f| (f.id.to_string(), f.revision)).collect();
    let sent: Vec<(&str, u32)> = sent.iter().map(|(id, rev)| (id.as_str(), *rev)).collect();
    receipt
        .acknowledges_records(&file.manifest.batch_id, &sent)
        .expect("acknowledges");
    assert_eq!(
        count(&db, "records").await,
        0,
        "nothing is current before opening"
    );
    assert_eq!(state_of(&db, &file.manifest.batch_id).await.0, "tersegel");
    let again = upload(addr, Some(&phone.token), file.bytes.clone()).await;
    assert_eq!(
        parse_receipt(&again.bytes().await.expect("body")).expect("receipt"),
        receipt
    );

    // The page shows the households by id, village and status: nothing of the family.
    let (web, token, base) = admin(&db, addr).await;
    let (status, page) = get(&web, format!("{base}/admin/segel")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-state="terkunci""#), "{page}");
    for f in &families {
        assert!(page.contains(&f.id.to_string()), "household {} listed", f.id);
    }
    assert!(!page.contains("SLAMET"), "no name before opening");
    assert!(page.contains(&own.fingerprint) && page.contains(&spare.fingerprint));
    assert!(
        page.contains(r#"data-testid="sealed-batch""#),
        "the batch is listed: {page}"
    );

    // The page's list, for staff of another kecamatan (no role that sees the page is
    // scoped today; the list is filtered all the same): neither the batch nor its households.
    let elsewhere = verval_hub::staff::Scope::parse("35.13.15").expect("scope");
    let (batches, households) = verval_hub::sealing::store::not_opened(&db, &elsewhere)
        .await
        .expect("list");
    assert!(
        batches.is_empty() && households.is_empty(),
        "{batches:?} {households:?}"
    );
    let here = verval_hub::staff::Scope::parse("35.13.14").expect("scope");
    let (batches, households) = verval_hub::sealing::store::not_opened(&db, &here)
        .await
        .expect("list");
    assert_eq!((batches.len(), households.len()), (1, 2));

    // A wrong passphrase opens nothing.
    let wrong = web
        .post(format!("{base}/admin/segel/buka?_t={token}"))
        .form(&[("kata_sandi", "bukan kata sandinya")])
        .send()
        .await
        .expect("unlock");
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.expect("body").contains("Kata sandi salah"));
    assert_eq!(count(&db, "records").await, 0);

    unlock_on_page(&web, &base, &token).await;
    assert_eq!(count(&db, "records").await, 2, "the households are current");
    assert_eq!(state_of(&db, &file.manifest.batch_id).await.0, "dibuka");
    assert_eq!(events(&db, "kunci_dibuka").await, 1);
    assert_eq!(events(&db, "segel_dibuka").await, 1);
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{}", families[0].id)).await;
    assert!(
        page.contains("SLAMET RIYADI"),
        "the opened household reads as any other"
    );
    let (_, page) = get(&web, format!("{base}/admin/segel")).await;
    assert!(page.contains(r#"data-waiting="0""#), "{page}");

    // While unlocked, a sealed batch is opened as it arrives.
    let third = family(3, VILLAGE);
    let next = sealed(&batch(std::slice::from_ref(&third), "phone-1"), &[&own, &spare]);
    let answer = upload(addr, Some(&phone.token), next.bytes.clone()).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(count(&db, "records").await, 3);

    // Locked again: the next one waits.
    let locked = web
        .post(format!("{base}/admin/segel/kunci?_t={token}"))
        .send()
        .await
        .expect("lock");
    assert_eq!(locked.status(), 303);
    assert_eq!(events(&db, "kunci_dikunci").await, 1);
    let fourth = sealed(&batch(&[family(4, VILLAGE)], "phone-1"), &[&own, &spare]);
    assert_eq!(upload(addr, Some(&phone.token), fourth.bytes).await.status(), 200);
    assert_eq!(count(&db, "records").await, 3);
    assert_eq!(state_of(&db, &fourth.manifest.batch_id).await.0, "tersegel");
}

both!(a_sealed_batch_that_contradicts_its_manifest_is_quarantined);
async fn a_sealed_batch_that_contradicts_its_manifest_is_quarantined(backend: Backend) {
    let db = fresh_db(backend).await;
    let dir = temp_dir("contradicts");
    let (own, spare) = district_keys(&db, &dir).await;
    let addr = start_hub(
        db.clone(),
        Config {
            key_files: vec![own.key_file.clone()],
            ..Config::default()
        },
    )
    .await;
    let phone = enrolled(&db, addr, &[VILLAGE, OTHER_VILLAGE], "phone-1").await;
    let file = sealed(&batch(&[family(1, VILLAGE)], "phone-1"), &[&own, &spare]);
    // The plaintext says another of the phone's villages than the sealed content holds.
    let (mut manifest, payload) = unzip(&file.bytes);
    manifest["records"][0]["kode_desa"] = OTHER_VILLAGE.into();
    let forged = rezip(&manifest, &payload);
    let answer = upload(addr, Some(&phone.token), forged).await;
    assert_eq!(answer.status(), 200, "the hub cannot know before opening");

    let (web, token, base) = admin(&db, addr).await;
    unlock_on_page(&web, &base, &token).await;
    let (state, reason) = state_of(&db, &file.manifest.batch_id).await;
    assert_eq!(state, "karantina");
    assert!(
        reason.contains("tidak sesuai manifesnya") && reason.contains(OTHER_VILLAGE),
        "{reason}"
    );
    assert_eq!(count(&db, "records").await, 0, "nothing of it is current");
    assert_eq!(count(&db, "record_versions").await, 0);
    let (_, page) = get(&web, format!("{base}/admin/segel")).await;
    assert!(
        page.contains(r#"data-quarantined="1""#) && page.contains("Karantina"),
        "{page}"
    );

    // A phone's sealed batch naming a village it does not cover is refused at the door.
    let outsider = enrolled(&db, addr, &["35.13.14.2003"], "phone-2").await;
    let other = sealed(&batch(&[family(2, OTHER_VILLAGE)], "phone-2"), &[&own, &spare]);
    let refused = upload(addr, Some(&outsider.token), other.bytes).await;
    assert_eq!(refused.status(), 403);
}

both!(a_batch_sealed_to_a_key_the_district_never_listed_is_refused_and_nothing_kept);
/// A phone that confirmed a stranger's keys (a forged key link) seals to them: the hub
/// refuses rather than receipt a file the district cannot open, and the phone keeps its
/// records (tests/web: sync).
async fn a_batch_sealed_to_a_key_the_district_never_listed_is_refused_and_nothing_kept(backend: Backend) {
    let db = fresh_db(backend).await;
    let dir = temp_dir("unknown-keys");
    let (own, spare) = district_keys(&db, &dir).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    let stranger_recipient = Identity::from_random([7; 32]).recipient();
    let stranger = DistrictKey {
        key_file: PathBuf::new(),
        sheet: PathBuf::new(),
        recipient: stranger_recipient.encode(),
        fingerprint: stranger_recipient.fingerprint(),
    };
    for keys in [vec![&own, &stranger], vec![&stranger, &spare]] {
        let file = sealed(&batch(&[family(1, VILLAGE)], "phone-1"), &keys);
        let answer = upload(addr, Some(&phone.token), file.bytes).await;
        assert_eq!(answer.status(), 422);
        let refusal: verval_core::sync::api::ApiError =
            serde_json::from_slice(&answer.bytes().await.expect("body")).expect("an api error");
        assert_eq!(refusal.error, verval_core::sync::api::ErrorCode::UnknownKeys);
        assert!(
            refusal.message.contains(&stranger.fingerprint) && !refusal.message.contains(&own.fingerprint),
            "names the key it does not know: {}",
            refusal.message
        );
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sealed_batches WHERE batch_id = $1")
            .bind(&file.manifest.batch_id)
            .fetch_one(&db.pool)
            .await
            .expect("count");
        assert_eq!(kept, 0, "nothing kept of it");
    }
    // A retired key is still the district's: a phone that has not confirmed its successor
    // yet is answered with a receipt.
    verval_hub::sealing::keys::retire(&db, &spare.fingerprint, &verval_hub::audit::Actor::cli())
        .await
        .expect("retire");
    let file = sealed(&batch(&[family(2, VILLAGE)], "phone-1"), &[&own, &spare]);
    assert_eq!(upload(addr, Some(&phone.token), file.bytes).await.status(), 200);
}

both!(import_with_a_key_file_opens_a_sealed_batch_and_without_one_keeps_it);
async fn import_with_a_key_file_opens_a_sealed_batch_and_without_one_keeps_it(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("db");
    let dir = temp_dir("import");
    let (own, spare) = district_keys(&db, &dir).await;
    let first = sealed(&batch(&[family(1, VILLAGE)], "phone-9"), &[&own, &spare]);
    let second = sealed(&batch(&[family(2, VILLAGE)], "phone-9"), &[&own, &spare]);
    let (first_path, second_path) = (dir.join(&first.file_name), dir.join(&second.file_name));
    std::fs::write(&first_path, &first.bytes).expect("write");
    std::fs::write(&second_path, &second.bytes).expect("write");

    let kept = run_ok(
        hub_binary().args(["import", "--db", &url]).arg(&first_path),
        "import",
    );
    assert!(String::from_utf8_lossy(&kept.stdout).contains("menunggu kunci"));
    assert_eq!(count(&db, "records").await, 0);

    // The break-glass key, typed from its recovery sheet: a plain key file.
    let typed = dir.join("kunci.txt");
    std::fs::write(&typed, format!("{}\n", secret_line(&spare.sheet))).expect("write");
    let opened = run_ok(
        hub_binary()
            .args(["import", "--db", &url, "--identity"])
            .arg(&typed)
            .arg(&second_path),
        "import --identity",
    );
    assert!(
        String::from_utf8_lossy(&opened.stdout).contains("dibuka"),
        "{}",
        String::from_utf8_lossy(&opened.stdout)
    );
    assert_eq!(count(&db, "records").await, 1);

    // The protected key file asks for its passphrase on standard input.
    let mut command = hub_binary();
    command
        .args(["import", "--db", &url, "--identity"])
        .arg(&own.key_file)
        .arg(&first_path);
    let out = typed_in(command, PASSPHRASE);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // The first file was kept sealed before: importing it again opens the kept batch.
    assert_eq!(state_of(&db, &first.manifest.batch_id).await.0, "dibuka");
    assert_eq!(count(&db, "records").await, 2);

    // An export that leaves the office, sealed to a key: only its holder reads it, with age.
    let out = dir.join("ekspor.xlsx");
    let recipients = format!("{},{}", own.recipient, spare.recipient);
    run_ok(
        hub_binary()
            .args(["export", "--db", &url, "--recipient", &recipients, "--out"])
            .arg(&out),
        "export --recipient",
    );
    assert!(!out.exists(), "no plain file is written");
    let sealed_export = dir.join("ekspor.xlsx.age");
    let bytes = std::fs::read(&sealed_export).expect("sealed export");
    assert!(
        !bytes.windows(16).any(|w| w == b"3513141203580001"),
        "a NIK readable in the sealed file"
    );
    let opened = run_ok(
        Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&typed)
            .arg(&sealed_export),
        "age -d",
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(opened.stdout)).expect("the export is a workbook");
    let cells: Vec<String> = book
        .worksheet_range("keluarga")
        .expect("sheet")
        .rows()
        .flatten()
        .map(|c| c.to_string())
        .collect();
    assert!(
        cells.iter().any(|c| c == "SLAMET RIYADI"),
        "the households are in it"
    );
    let refused = hub_binary()
        .args(["export", "--db", &url, "--recipient", "age1bukan", "--out"])
        .arg(dir.join("lain.xlsx"))
        .output()
        .expect("export");
    assert!(!refused.status.success());
    assert!(!dir.join("lain.xlsx").exists() && !dir.join("lain.xlsx.age").exists());
}

#[test]
fn the_age_tool_opens_a_sealed_batch_with_the_key_rebuilt_from_its_recovery_sheet() {
    let dir = temp_dir("age");
    let own = generate(&dir.join("dinsos"), "Dinsos");
    let spare = generate(&dir.join("bappeda"), "Bappeda");
    let plain = batch(&[family(1, VILLAGE), family(2, VILLAGE)], "phone-1");
    let file = sealed(&plain, &[&own, &spare]);
    let (_, payload) = unzip(&file.bytes);
    let payload_path = dir.join("batch.zip.age");
    std::fs::write(&payload_path, &payload).expect("write");

    // Each key alone, typed from its sheet, opens it with age.
    for key in [&own, &spare] {
        let typed = dir.join(format!("{}.txt", key.fingerprint));
        std::fs::write(&typed, format!("{}\n", secret_line(&key.sheet))).expect("write");
        let out = run_ok(
            Command::new("age")
                .arg("-d")
                .arg("-i")
                .arg(&typed)
                .arg(&payload_path),
            "age -d",
        );
        assert_eq!(out.stdout, plain.bytes, "age gives back the batch the phone made");
        let rebuilt = Identity::parse_file(&std::fs::read_to_string(&typed).expect("read")).expect("key");
        assert_eq!(rebuilt[0].recipient().encode(), key.recipient);
    }

    // The key file itself is an age file under the passphrase: age opens it too (it asks on
    // a terminal, which `script` gives it).
    let out_path = dir.join("kunci-dibuka.txt");
    let command = format!("age -d -o {} {}", out_path.display(), own.key_file.display());
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("script");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{PASSPHRASE}\n").as_bytes())
        .expect("write");
    let status = child.wait().expect("age");
    drop(stdin);
    assert!(status.success(), "age opened the key file");
    let opened = std::fs::read_to_string(&out_path).expect("opened key file");
    assert!(
        opened.contains(&secret_line(&own.sheet)),
        "the same key as the sheet's"
    );
    assert!(opened.contains(&format!("# public key: {}", own.recipient)));

    // And `key protect` puts the typed key under a new passphrase again.
    let typed = dir.join("ketik.txt");
    std::fs::write(&typed, format!("{}\n", secret_line(&own.sheet))).expect("write");
    let mut command = hub_binary();
    command
        .args(["key", "protect"])
        .arg(&typed)
        .arg("--out")
        .arg(dir.join("baru"));
    let out = typed_in(command, "kata sandi yang baru sekali");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&own.fingerprint),
        "the same key"
    );
}

#[test]
fn a_short_passphrase_or_an_existing_key_file_is_refused() {
    let dir = temp_dir("refusals");
    let mut command = hub_binary();
    command.args(["key", "generate", "--out"]).arg(&dir);
    let out = typed_in(command, "pendek");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("terlalu pendek"));
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        0,
        "nothing written"
    );
}

#[test]
fn a_hub_refuses_a_plain_private_key_file() {
    let dir = temp_dir("plain-key");
    let plain = dir.join("kunci.txt");
    std::fs::write(
        &plain,
        Identity::from_random([3; 32]).to_file("2026-12-05T00:00:00Z"),
    )
    .expect("write");
    let out = hub_binary()
        .args(["serve", "--listen", "127.0.0.1:0", "--key-file"])
        .arg(&plain)
        .args(["--db", &format!("sqlite://{}", dir.join("hub.db").display())])
        .output()
        .expect("run");
    assert!(
        !out.status.success(),
        "a plain key on the server's disk is refused"
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("tidak dilindungi kata sandi") && said.contains("key protect"),
        "{said}"
    );
    assert!(
        !said.contains("AGE-SECRET-KEY"),
        "the key is not repeated: {said}"
    );
    let missing = hub_binary()
        .args(["serve", "--key-file"])
        .arg(dir.join("tidak-ada.age"))
        .args(["--db", &format!("sqlite://{}", dir.join("hub.db").display())])
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("tidak terbaca"));
}

/// After a rotation the hub holds the new key file and the old one, each with its own
/// passphrase: typed one after the other, both keys are held.
#[tokio::test]
async fn after_a_rotation_both_key_files_unlock_one_passphrase_at_a_time() {
    let dir = temp_dir("rotation");
    let old = generate_with(&dir.join("lama"), "Dinsos 2025", PASSPHRASE);
    let new = generate_with(&dir.join("baru"), "Dinsos 2026", "kunci baru dinas sosial 2026");
    let keyring = verval_hub::sealing::Keyring::new(vec![old.key_file.clone(), new.key_file.clone()]);
    assert!(matches!(
        keyring.unlock("bukan kata sandinya sama sekali").await,
        Err(verval_hub::sealing::keyring::UnlockError::Key(
            verval_core::seal::SealError::WrongPassphrase
        ))
    ));
    assert!(!keyring.is_unlocked());
    assert_eq!(keyring.unlock(PASSPHRASE).await.expect("the old key"), 1);
    assert_eq!(
        keyring
            .unlock("kunci baru dinas sosial 2026")
            .await
            .expect("the new key"),
        2
    );
    assert_eq!(
        keyring.unlock(PASSPHRASE).await.expect("again"),
        2,
        "no key held twice"
    );
    let held: Vec<String> = keyring
        .identities()
        .iter()
        .map(|i| i.recipient().encode())
        .collect();
    assert!(
        held.contains(&old.recipient) && held.contains(&new.recipient),
        "{held:?}"
    );
    keyring.lock();
    assert!(!keyring.is_unlocked());
}

both!(phones_get_keys_only_once_the_district_has_two);
async fn phones_get_keys_only_once_the_district_has_two(backend: Backend) {
    let db = fresh_db(backend).await;
    let by = verval_hub::audit::Actor::cli();
    let first = Identity::from_random([1; 32]).recipient().encode();
    let second = Identity::from_random([2; 32]).recipient().encode();
    verval_hub::sealing::keys::add(&db, &first, "Dinsos", &by)
        .await
        .expect("add");
    assert!(verval_hub::sealing::keys::for_phones(&db)
        .await
        .expect("keys")
        .is_empty());
    let again = verval_hub::sealing::keys::add(&db, &first, "Dinsos", &by).await;
    assert!(again.is_err(), "a key is listed once");
    let bad = verval_hub::sealing::keys::add(&db, "age1bukankunci", "X", &by).await;
    assert!(bad.expect_err("not a key").to_string().contains("tidak sah"));
    let addr = start_hub(db.clone(), Config::default()).await;
    let before = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    assert!(before.district_keys.is_empty(), "one key is not handed out");
    verval_hub::sealing::keys::add(&db, &second, "Bappeda", &by)
        .await
        .expect("add");
    assert_eq!(
        verval_hub::sealing::keys::for_phones(&db)
            .await
            .expect("keys")
            .len(),
        2
    );
    // A phone gets both at enrolment, and in its assignment, each with its fingerprint.
    let phone = enrolled(&db, addr, &[OTHER_VILLAGE], "phone-2").await;
    let handed: Vec<&str> = phone.district_keys.iter().map(|k| k.recipient.as_str()).collect();
    assert_eq!(handed, [first.as_str(), second.as_str()]);
    verval_core::seal::published::recipients(&phone.district_keys).expect("fingerprints match");
    let assignment: verval_core::sync::api::Assignment = client()
        .get(format!(
            "http://{addr}{}",
            verval_core::sync::api::ASSIGNMENT_PATH
        ))
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("assignment")
        .json()
        .await
        .expect("json");
    assert_eq!(assignment.district_keys, phone.district_keys);
    // The phone enrolled before the second key gets both with its next sync's reviews.
    let feed = client()
        .get(format!(
            "http://{addr}{}?since=0",
            verval_core::sync::api::REVIEWS_PATH
        ))
        .bearer_auth(&before.token)
        .send()
        .await
        .expect("reviews")
        .bytes()
        .await
        .expect("body");
    let feed = verval_core::review::feed::parse_feed(&feed, "phone-1").expect("a feed for phone-1");
    assert_eq!(feed.district_keys, phone.district_keys);
    let fingerprint = Recipient::parse(&first).expect("key").fingerprint();
    verval_hub::sealing::keys::retire(&db, &fingerprint, &by)
        .await
        .expect("retire");
    assert!(
        verval_hub::sealing::keys::for_phones(&db)
            .await
            .expect("keys")
            .is_empty(),
        "one active key is not enough"
    );
    assert_eq!(events(&db, "kunci_ditambah").await, 2);
    assert_eq!(events(&db, "kunci_dipensiunkan").await, 1);
}

/// A sealed batch's manifest and payload.
fn unzip(bytes: &[u8]) -> (serde_json::Value, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut read = |name: &str| {
        let mut content = Vec::new();
        archive
            .by_name(name)
            .expect(name)
            .read_to_end(&mut content)
            .expect("read");
        content
    };
    (
        serde_json::from_slice(&read("manifest.json")).expect("manifest"),
        read("batch.zip.age"),
    )
}

fn rezip(manifest: &serde_json::Value, payload: &[u8]) -> Vec<u8> {
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("manifest.json", stored).expect("entry");
    zip.write_all(&serde_json::to_vec(manifest).expect("json"))
        .expect("write");
    zip.start_file("batch.zip.age", stored).expect("entry");
    zip.write_all(payload).expect("write");
    zip.finish().expect("zip").into_inner()
}

both!(a_sealed_batch_of_meetings_alone_is_taken_once_opened);
/// A phone with no hub and the district's keys seals every batch, a batch of its village
/// meetings alone too (issue #24): kept sealed until the key opens it, then taken as a file's
/// meetings are.
async fn a_sealed_batch_of_meetings_alone_is_taken_once_opened(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("db");
    let dir = temp_dir("meetings");
    let (own, spare) = district_keys(&db, &dir).await;
    let families = [family(1, VILLAGE), family(2, VILLAGE)];
    file_import(&db, &families, "phone-9").await;
    let decided = |i: usize, decision: &str| {
        serde_json::json!({"record_id": families[i].id.to_string(), "revision": 1,
            "decision": decision, "note": ""})
    };
    let upload = serde_json::json!({"meetings": [{
        "kode_desa": VILLAGE,
        "meeting": {"period": "Musdesus Januari 2027", "number": "1/BA/2027",
            "held_on": "2026-12-01", "place": "Balai Desa", "chair": "Kepala Desa"},
        "decisions": [decided(0, "disetujui"), decided(1, "ditunda")],
    }]});
    let file = sealed(
        &batch_with_meetings(&[], "phone-9", upload.to_string()),
        &[&own, &spare],
    );
    assert!(file.manifest.musdes && file.manifest.records.is_empty());
    let path = dir.join(&file.file_name);
    std::fs::write(&path, &file.bytes).expect("write");

    let kept = run_ok(hub_binary().args(["import", "--db", &url]).arg(&path), "import");
    assert!(String::from_utf8_lossy(&kept.stdout).contains("menunggu kunci"));
    assert_eq!(
        count(&db, "musdes_decisions").await,
        0,
        "nothing read before it opens"
    );
    // Waiting, it is listed on the Segel page (no household names its villages yet).
    let scope = verval_hub::staff::Scope::parse("35.13.14").expect("scope");
    let (waiting, households) = verval_hub::sealing::store::not_opened(&db, &scope)
        .await
        .expect("the Segel page's list");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].batch_id, file.manifest.batch_id);
    assert!(households.is_empty());

    let typed = dir.join("kunci.txt");
    std::fs::write(&typed, format!("{}\n", secret_line(&spare.sheet))).expect("write");
    let opened = run_ok(
        hub_binary()
            .args(["import", "--db", &url, "--identity"])
            .arg(&typed)
            .arg(&path),
        "import --identity",
    );
    let said = String::from_utf8_lossy(&opened.stdout);
    assert!(said.contains("dibuka"), "{said}");
    assert!(
        said.contains("musyawarah desa 35.13.14.2001 \"Musdesus Januari 2027\": diterima"),
        "{said}"
    );
    let mut stored: Vec<(String, String)> =
        sqlx::query_as("SELECT record_id, decision FROM musdes_decisions ORDER BY decision")
            .fetch_all(&db.pool)
            .await
            .expect("decisions");
    stored.sort();
    let mut want = vec![
        (families[0].id.to_string(), "disetujui".to_owned()),
        (families[1].id.to_string(), "ditunda".to_owned()),
    ];
    want.sort();
    assert_eq!(stored, want);
}
