//! A phone's backup moved to a new phone (issue #23) with the real `verval-hub phone-backup
//! reseal`, the district's key file made by the real `key generate` and its passphrase typed
//! in: the answer opens with the new phone's one-time key alone and holds the backup whole;
//! a wrong passphrase, a damaged backup or a key that is not the new phone's is refused with
//! its reason and writes nothing; who moved it is in the audit trail, without a name.
//! The same move on the Segel page (`/admin/segel/cadangan-hp`), admins only, with the key
//! unlocked and the code the new phone shows typed in: a key forwarded by someone else, a
//! damaged file or no file is refused with its reason, and nothing is moved or audited.

#[path = "support/keys.rs"]
mod keys;
mod support;

use keys::*;
use std::path::Path;
use support::*;
use verval_core::form::default::example::example_family;
use verval_core::record::Timestamp;
use verval_core::seal::Identity;
use verval_core::vault::backup::{open_backup, seal_backup, BackupPhoto, PhoneBackup};
use verval_core::RecordId;
use verval_hub::db::Db;

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("random");
    bytes
}

fn backup() -> PhoneBackup {
    let family = example_family(RecordId::from_random_bytes([5; 16]));
    let photo = BackupPhoto {
        key: format!("foto-{}", RecordId::from_random_bytes([6; 16])),
        mime: "image/jpeg".to_owned(),
        bytes: vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3],
    };
    PhoneBackup::new(
        Timestamp(1_795_700_000_000),
        "0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c",
        vec![family],
        Vec::new(),
        vec![photo],
    )
}

/// `content` sealed to the district's keys, as the phone seals its backup.
fn sealed_to(keys: &[&DistrictKey], content: &PhoneBackup) -> Vec<u8> {
    let (recipients, entropy) = sealing_to(keys);
    seal_backup(content, &recipients, &entropy).expect("sealed")
}

fn reseal(url: &str, file: &Path, to: &str, key_file: &Path, passphrase: &str) -> std::process::Output {
    reseal_with_code(
        url,
        file,
        to,
        &verval_core::seal::fingerprint_of(to),
        key_file,
        passphrase,
    )
}

/// `reseal` with the code typed as `code` (the new phone's key's fingerprint, read out).
fn reseal_with_code(
    url: &str,
    file: &Path,
    to: &str,
    code: &str,
    key_file: &Path,
    passphrase: &str,
) -> std::process::Output {
    let mut command = hub_binary();
    command
        .args([
            "phone-backup",
            "reseal",
            "--db",
            url,
            "--to",
            to,
            "--code",
            code,
            "--key-file",
        ])
        .arg(key_file)
        .arg(file);
    typed_in(command, passphrase)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

both!(a_backup_is_moved_to_the_new_phone_alone_and_the_move_is_audited);
async fn a_backup_is_moved_to_the_new_phone_alone_and_the_move_is_audited(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("open");
    let dir = temp_dir("phone-backup");
    let (own, spare) = district_keys(&db, &dir).await;
    let file = dir.join(backup().file_name());
    std::fs::write(&file, sealed_to(&[&own, &spare], &backup())).expect("write");
    let new_phone = Identity::from_random(random::<32>());
    let to = new_phone.recipient().encode();
    let answer = dir.join(format!("untuk-hp-baru-{}", backup().file_name()));

    let wrong = reseal(&url, &file, &to, &own.key_file, "bukan kata sandinya sama sekali");
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("kata sandi salah"), "{}", stderr(&wrong));
    let not_a_key = reseal(&url, &file, "age1bukankunci", &own.key_file, PASSPHRASE);
    assert!(!not_a_key.status.success());
    assert!(stderr(&not_a_key).contains("--to"), "{}", stderr(&not_a_key));
    // A key forwarded by someone else: the code the enumerator reads out does not match it.
    let stranger = Identity::from_random(random::<32>()).recipient().encode();
    let forwarded = reseal_with_code(
        &url,
        &file,
        &stranger,
        &new_phone.recipient().fingerprint(),
        &own.key_file,
        PASSPHRASE,
    );
    assert!(!forwarded.status.success());
    assert!(
        stderr(&forwarded).contains("kode tidak cocok"),
        "{}",
        stderr(&forwarded)
    );
    let damaged_file = dir.join("rusak.age");
    let mut damaged = std::fs::read(&file).expect("read");
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    std::fs::write(&damaged_file, &damaged).expect("write");
    let refused = reseal(&url, &damaged_file, &to, &own.key_file, PASSPHRASE);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("rusak.age"), "{}", stderr(&refused));
    assert!(!answer.exists());
    assert!(!dir.join("untuk-hp-baru-rusak.age").exists());
    assert_eq!(events(&db, "cadangan_hp_dipindah").await, 0);

    // The break-glass key moves it as well as the hub's own.
    let out = reseal(&url, &file, &to, &spare.key_file, PASSPHRASE);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 keluarga"));
    let moved = std::fs::read(&answer).expect("the answer beside the backup");
    assert_eq!(
        open_backup(&moved, std::slice::from_ref(&new_phone)).expect("the new phone opens it"),
        backup()
    );
    // Debian's age, with the district's key typed from its recovery sheet, opens the
    // phone's backup but not the answer: that is the new phone's alone.
    let typed = dir.join("kunci.txt");
    std::fs::write(&typed, secret_line(&own.sheet)).expect("typed key");
    let age = |sealed: &Path| {
        std::process::Command::new("age")
            .args(["-d", "-i"])
            .arg(&typed)
            .arg(sealed)
            .output()
            .expect("Debian's age")
    };
    let opened = age(&file);
    assert!(opened.status.success(), "{}", stderr(&opened));
    assert_eq!(
        verval_core::vault::backup::read(&opened.stdout).expect("a backup"),
        backup()
    );
    assert!(!age(&answer).status.success());

    // Never over an existing file.
    let again = reseal(&url, &file, &to, &own.key_file, PASSPHRASE);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
    assert_eq!(std::fs::read(&answer).expect("kept"), moved);

    assert_eq!(events(&db, "cadangan_hp_dipindah").await, 1);
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_events WHERE action = 'cadangan_hp_dipindah'")
            .fetch_all(&db.pool)
            .await
            .expect("details");
    let name = backup().households[0]
        .answers
        .get(verval_core::fields::NAMA_KEPALA_KELUARGA)
        .to_owned();
    for detail in &details {
        assert!(
            detail.contains("0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c"),
            "{detail}"
        );
        assert!(!detail.contains(&name), "{detail}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

const ADMIN_PASSWORD: &str = "sandi-admin-panjang";

/// The Segel page's form: the backup file, the new phone's key and the code read out.
fn move_form(file: Vec<u8>, key: &str, code: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("kunci_hp", key.to_owned())
        .text("kode", code.to_owned())
        .part(
            "cadangan",
            reqwest::multipart::Part::bytes(file).file_name("verval-cadangan-0c0c0c0c-20261206-1100.age"),
        )
}

both!(staff_move_a_backup_on_the_segel_page_only_with_the_code_the_new_phone_shows);
async fn staff_move_a_backup_on_the_segel_page_only_with_the_code_the_new_phone_shows(backend: Backend) {
    let KeyedHub { db, own, spare, addr } = keyed_hub(backend, "backup-page").await;
    let sealed = sealed_to(&[&own, &spare], &backup());
    let new_phone = Identity::from_random(random::<32>());
    let to = new_phone.recipient().encode();
    let code = new_phone.recipient().fingerprint();
    staff_account(&db, "admin", "admin", "", ADMIN_PASSWORD).await;
    staff_account(&db, "operator", "operator", "", ADMIN_PASSWORD).await;
    let base = format!("http://{addr}");
    let page = format!("{base}/admin/segel/cadangan-hp");
    let (web, form) = signed_in(&base, "admin", ADMIN_PASSWORD).await;
    let post = |file: Vec<u8>, key: &str, code: &str| {
        web.post(format!("{page}?_t={form}"))
            .multipart(move_form(file, key, code))
            .send()
    };

    // Only an admin may move a phone's data to another phone.
    let (other, other_form) = signed_in(&base, "operator", ADMIN_PASSWORD).await;
    assert_eq!(get(&other, page.clone()).await.0, 403);
    let refused = other
        .post(format!("{page}?_t={other_form}"))
        .multipart(move_form(sealed.clone(), &to, &code))
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 403);

    // Locked: the form says so and nothing is moved.
    let (status, shown) = get(&web, page.clone()).await;
    assert_eq!(status, 200);
    assert!(shown.contains(r#"data-testid="backup-move-locked""#), "{shown}");
    assert_eq!(
        post(sealed.clone(), &to, &code).await.expect("post").status(),
        409
    );
    unlock_on_page(&web, &base, &form).await;
    let (_, shown) = get(&web, format!("{base}/admin/segel")).await;
    assert!(shown.contains(r#"data-testid="backup-move-link""#), "{shown}");

    // Each wrong part refused with what is wrong, and nothing moved or audited.
    let stranger = Identity::from_random(random::<32>()).recipient();
    let cases: [(Vec<u8>, String, String, u16, &str); 5] = [
        // A key forwarded by someone else: the enumerator's code does not match it.
        (
            sealed.clone(),
            stranger.encode(),
            code.clone(),
            400,
            "kode tidak cocok",
        ),
        (
            sealed.clone(),
            "age1bukankunci".into(),
            code.clone(),
            400,
            "bukan kunci pemulihan",
        ),
        (
            b"PK\x03\x04 bukan cadangan".to_vec(),
            to.clone(),
            code.clone(),
            422,
            "bukan cadangan Verval",
        ),
        (
            {
                let mut damaged = sealed.clone();
                let last = damaged.len() - 1;
                damaged[last] ^= 1;
                damaged
            },
            to.clone(),
            code.clone(),
            422,
            "dapat dibuka dengan kunci ini",
        ),
        (Vec::new(), to.clone(), code.clone(), 400, "Tidak ada berkas"),
    ];
    for (file, key, typed, status, said) in cases {
        let answer = post(file, &key, &typed).await.expect("post");
        assert_eq!(answer.status(), status, "{said}");
        let body = answer.text().await.expect("body");
        assert!(body.contains(said), "{said}: {body}");
    }
    assert_eq!(events(&db, "cadangan_hp_dipindah").await, 0);

    // The code as read out over the telephone: spaces and lower case are fine.
    let spoken = code.replace('-', " ").to_lowercase();
    let answer = post(sealed.clone(), &format!("  {to}\n"), &spoken)
        .await
        .expect("post");
    assert_eq!(answer.status(), 200);
    let disposition = answer
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.contains("untuk-hp-baru-verval-cadangan-0c0c0c0c-20261206-1100.age"),
        "{disposition}"
    );
    let moved = answer.bytes().await.expect("the answer").to_vec();
    assert_eq!(
        open_backup(&moved, std::slice::from_ref(&new_phone)).expect("the new phone opens it"),
        backup()
    );
    let district = [&own, &spare].map(|k| Identity::parse(&secret_line(&k.sheet)).expect("the sheet's key"));
    assert!(
        open_backup(&moved, &district).is_err(),
        "sealed to the new phone alone"
    );

    let details: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, detail FROM audit_events WHERE action = 'cadangan_hp_dipindah'")
            .fetch_all(&db.pool)
            .await
            .expect("details");
    assert_eq!(details.len(), 1);
    let (actor, detail) = &details[0];
    assert_eq!(actor, "admin");
    assert!(
        detail.contains(&code) && detail.contains("0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c"),
        "{detail}"
    );
    let name = backup().households[0]
        .answers
        .get(verval_core::fields::NAMA_KEPALA_KELUARGA)
        .to_owned();
    assert!(!detail.contains(&name), "{detail}");
}
