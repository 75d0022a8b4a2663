//! Phones' forgotten PINs (issue #23) through the real hub: a phone escrows its data key to
//! the district's keys (made by the real `verval-hub key generate`), asks for it back with a
//! one-time key, and gets it only once district staff typed the code the phone shows —
//! on the page with the key unlocked, or with `verval-hub pin answer` and the key file.
//! The phone's side is the core's `vault::escrow`, as the app runs it.

mod support;
// Not in `support`: benchmarks share `support` and have no hub binary to run.
#[path = "support/keys.rs"]
mod keys;

use keys::*;
use std::net::SocketAddr;
use support::*;
use verval_core::seal::Identity;
use verval_core::sync::api::{EscrowUpload, PinReset, PinResetRequest, ESCROW_PATH, PIN_RESET_PATH};
use verval_core::vault::escrow::{key_id, open_answer, seal_key, to_text};
use verval_core::vault::{DataKey, KEY_LEN};
use verval_hub::db::Db;
use verval_hub::Config;

const ADMIN_PASSWORD: &str = "sandi-admin-panjang";

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("random");
    bytes
}

/// A phone's data key and its escrow to `keys`, as the phone sends it.
fn escrowed(keys: &[&DistrictKey]) -> (DataKey, EscrowUpload) {
    let data = DataKey::from_random(random::<KEY_LEN>());
    let (recipients, entropy) = sealing_to(keys);
    let escrow = seal_key(&data, &recipients, &entropy).expect("escrow");
    let upload = EscrowUpload {
        key_id: key_id(&data),
        district_keys: keys.iter().map(|k| k.fingerprint.clone()).collect(),
        escrow: to_text(&escrow),
    };
    (data, upload)
}

async fn send<T: serde::Serialize>(
    addr: SocketAddr,
    path: &str,
    token: Option<&str>,
    body: &T,
) -> (u16, String) {
    let mut request = client().post(format!("http://{addr}{path}")).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().await.expect("request");
    (answer.status().as_u16(), answer.text().await.expect("body"))
}

async fn reset_state(addr: SocketAddr, token: &str) -> (u16, Option<PinReset>) {
    let answer = client()
        .get(format!("http://{addr}{PIN_RESET_PATH}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = answer.status().as_u16();
    let body = answer.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).ok())
}

async fn answered(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM pin_resets WHERE answer IS NOT NULL")
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

both!(a_forgotten_pin_is_answered_only_with_the_code_the_phone_shows);
async fn a_forgotten_pin_is_answered_only_with_the_code_the_phone_shows(backend: Backend) {
    let KeyedHub { db, own, spare, addr } = keyed_hub(backend, "pin").await;
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    let token = phone.token.as_str();

    // The escrow is kept once, however often the phone sends it.
    let (data, upload) = escrowed(&[&own, &spare]);
    for _ in 0..2 {
        assert_eq!(send(addr, ESCROW_PATH, Some(token), &upload).await.0, 204);
    }
    assert_eq!(count(&db, "device_escrows").await, 1);

    // What is refused, each with what is wrong; nothing stored.
    let stranger = Identity::from_random(random::<32>()).recipient();
    let mut unknown = upload.clone();
    unknown.district_keys.push(stranger.fingerprint());
    let (status, body) = send(addr, ESCROW_PATH, Some(token), &unknown).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("unknown_keys") && body.contains(&stranger.fingerprint()),
        "{body}"
    );
    let mut garbage = upload.clone();
    garbage.escrow = to_text(b"PK\x03\x04 not an age file");
    let (status, body) = send(addr, ESCROW_PATH, Some(token), &garbage).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("bukan berkas age"), "{body}");
    let mut misnamed = upload.clone();
    misnamed.key_id = "XYZ".into();
    assert_eq!(send(addr, ESCROW_PATH, Some(token), &misnamed).await.0, 400);
    assert_eq!(send(addr, ESCROW_PATH, None, &upload).await.0, 401);
    assert_eq!(count(&db, "device_escrows").await, 1);

    // No request yet; a request for a key the hub never received is refused.
    assert_eq!(reset_state(addr, token).await.0, 404);
    let one_time = Identity::from_random(random::<32>());
    let ask = |key: &str, one_time: &Identity| PinResetRequest {
        key_id: key.to_owned(),
        one_time: one_time.recipient().encode(),
    };
    let other_key = key_id(&DataKey::from_random(random::<KEY_LEN>()));
    let (status, body) = send(addr, PIN_RESET_PATH, Some(token), &ask(&other_key, &one_time)).await;
    assert_eq!(status, 400);
    assert!(body.contains("belum menerima kunci cadangan"), "{body}");
    let (status, body) = send(
        addr,
        PIN_RESET_PATH,
        Some(token),
        &PinResetRequest {
            key_id: upload.key_id.clone(),
            one_time: "age1notakey".into(),
        },
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // The phone asks; staff see who asked, never the code.
    assert_eq!(
        send(addr, PIN_RESET_PATH, Some(token), &ask(&upload.key_id, &one_time))
            .await
            .0,
        204
    );
    let (status, state) = reset_state(addr, token).await;
    assert_eq!(status, 200);
    let state = state.expect("a state");
    assert_eq!(state.fingerprint, one_time.recipient().fingerprint());
    assert_eq!(state.answer, None);
    staff_account(&db, "admin", "admin", "", ADMIN_PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, form) = signed_in(&base, "admin", ADMIN_PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/segel/pin")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"data-testid="pin-reset""#) && page.contains("Siti Aminah"),
        "{page}"
    );
    assert!(page.contains(r#"data-testid="pin-reset-locked""#), "{page}");
    assert!(
        !page.contains(&state.fingerprint),
        "the code is heard from the enumerator, not read here"
    );
    let device = page
        .split(r#"data-device=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the device")
        .to_owned();
    let answer_with = |code: &str| {
        web.post(format!("{base}/admin/segel/pin?_t={form}"))
            .form(&[("perangkat", device.as_str()), ("kode", code)])
            .send()
    };

    // Locked: nothing can be answered.
    let locked = answer_with(&state.fingerprint).await.expect("answer");
    assert_eq!(locked.status(), 409);
    unlock_on_page(&web, &base, &form).await;

    // Someone else asked since with the phone's token (a stolen phone): the code the
    // enumerator read out no longer matches, and nothing is answered.
    let thief = Identity::from_random(random::<32>());
    assert_eq!(
        send(addr, PIN_RESET_PATH, Some(token), &ask(&upload.key_id, &thief))
            .await
            .0,
        204
    );
    let refused = answer_with(&state.fingerprint).await.expect("answer");
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.expect("body").contains("kode tidak cocok"));
    assert_eq!(answered(&db).await, 0);

    // The enumerator asks again from their own phone and reads the code out: typed with
    // spaces and in lower case, it answers.
    assert_eq!(
        send(addr, PIN_RESET_PATH, Some(token), &ask(&upload.key_id, &one_time))
            .await
            .0,
        204
    );
    let wrong = answer_with("0000-0000-0000-0000-0000").await.expect("answer");
    assert_eq!(wrong.status(), 400);
    assert_eq!(answered(&db).await, 0);
    let typed = state.fingerprint.replace('-', " ").to_lowercase();
    let done = answer_with(&typed).await.expect("answer");
    assert_eq!(done.status(), 303);
    assert_eq!(events(&db, "pin_dipulihkan").await, 1);

    // The phone takes its key back with its one-time key; the thief's key does not open it.
    let (_, state) = reset_state(addr, token).await;
    let answer = state.and_then(|s| s.answer).expect("answered");
    let sealed = verval_core::vault::escrow::from_text(&answer).expect("an age file");
    let back = open_answer(&sealed, &one_time, &upload.key_id).expect("the phone's own key");
    assert_eq!(key_id(&back), key_id(&data));
    assert!(open_answer(&sealed, &thief, &upload.key_id).is_err());
    let (_, page) = get(&web, format!("{base}/admin/segel/pin")).await;
    assert!(page.contains(r#"data-testid="no-pin-resets""#), "{page}");

    // Another device's token reads only its own requests.
    let other = enrolled(&db, addr, &[VILLAGE], "phone-2").await;
    assert_eq!(reset_state(addr, &other.token).await.0, 404);
}

both!(an_escrow_that_does_not_hold_the_key_it_names_is_refused_while_the_key_is_unlocked);
async fn an_escrow_that_does_not_hold_the_key_it_names_is_refused_while_the_key_is_unlocked(
    backend: Backend,
) {
    let KeyedHub { db, own, spare, addr } = keyed_hub(backend, "pin-check").await;
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    staff_account(&db, "admin", "admin", "", ADMIN_PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, form) = signed_in(&base, "admin", ADMIN_PASSWORD).await;
    unlock_on_page(&web, &base, &form).await;

    let (_, mut upload) = escrowed(&[&own, &spare]);
    upload.key_id = key_id(&DataKey::from_random(random::<KEY_LEN>()));
    let (status, body) = send(addr, ESCROW_PATH, Some(&phone.token), &upload).await;
    assert_eq!(status, 400);
    assert!(body.contains("tidak memuat kunci yang dinamainya"), "{body}");
    assert_eq!(count(&db, "device_escrows").await, 0);
    let (_, good) = escrowed(&[&own, &spare]);
    assert_eq!(send(addr, ESCROW_PATH, Some(&phone.token), &good).await.0, 204);
}

both!(the_command_line_answers_with_the_key_file_and_its_passphrase);
async fn the_command_line_answers_with_the_key_file_and_its_passphrase(backend: Backend) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("open");
    let dir = temp_dir("pin-cli");
    let (own, spare) = district_keys(&db, &dir).await;
    // The hub runs without its key file: the district answers from the command line.
    let addr = start_hub(db.clone(), Config::default()).await;
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    let (data, upload) = escrowed(&[&own, &spare]);
    assert_eq!(send(addr, ESCROW_PATH, Some(&phone.token), &upload).await.0, 204);
    let one_time = Identity::from_random(random::<32>());
    let ask = PinResetRequest {
        key_id: upload.key_id.clone(),
        one_time: one_time.recipient().encode(),
    };
    assert_eq!(send(addr, PIN_RESET_PATH, Some(&phone.token), &ask).await.0, 204);

    let mut list = hub_binary();
    list.args(["pin", "list", "--db", &url]);
    let listed = run_ok(&mut list, "pin list");
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.contains("Siti Aminah"), "{listed}");
    let device = listed.split('\t').next().expect("the device").trim().to_owned();

    let pin_answer =
        |code: &str, passphrase: &str| pin_answer_cli(&url, ["--device", &device], code, &own, passphrase);
    let code = one_time.recipient().fingerprint();
    let wrong_passphrase = pin_answer(&code, "bukan kata sandinya sama sekali");
    assert!(!wrong_passphrase.status.success());
    assert!(String::from_utf8_lossy(&wrong_passphrase.stderr).contains("kata sandi salah"));
    let wrong_code = pin_answer("1234-5678-9ABC-DEF0-1234", PASSPHRASE);
    assert!(!wrong_code.status.success());
    assert!(String::from_utf8_lossy(&wrong_code.stderr).contains("kode tidak cocok"));
    assert_eq!(answered(&db).await, 0);

    let out = pin_answer(&code, PASSPHRASE);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (_, state) = reset_state(addr, &phone.token).await;
    let sealed =
        verval_core::vault::escrow::from_text(&state.and_then(|s| s.answer).expect("answered")).expect("age");
    let back = open_answer(&sealed, &one_time, &upload.key_id).expect("the key");
    assert_eq!(key_id(&back), key_id(&data));
    assert_eq!(events(&db, "pin_dipulihkan").await, 1);
}

/// `verval-hub pin answer` for the request `which` (`--device DEV` or `--request TEXT`) with
/// `code`, the key file of `key` and `passphrase` typed in.
fn pin_answer_cli(
    url: &str,
    which: [&str; 2],
    code: &str,
    key: &DistrictKey,
    passphrase: &str,
) -> std::process::Output {
    let mut command = hub_binary();
    command
        .args(["pin", "answer", "--db", url])
        .args(which)
        .args(["--code", code, "--key-file"])
        .arg(&key.key_file);
    typed_in(command, passphrase)
}

/// The text between a page's written-answer box's tags.
fn written_answer(page: &str) -> String {
    page.split(r#"data-testid="written-answer">"#)
        .nth(1)
        .and_then(|rest| rest.split("</textarea>").next())
        .expect("the answer on the page")
        .trim()
        .to_owned()
}

both!(a_phone_with_no_hub_asks_in_writing_and_is_answered_only_with_the_code_it_shows);
async fn a_phone_with_no_hub_asks_in_writing_and_is_answered_only_with_the_code_it_shows(backend: Backend) {
    use verval_core::vault::escrow::WrittenRequest;
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("open");
    let (own, spare) = district_keys(&db, &temp_dir("pin-written")).await;
    let config = Config {
        key_files: vec![own.key_file.clone()],
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    // The phone never enrolled: its escrow is on the phone, and travels in the request.
    let (data, upload) = escrowed(&[&own, &spare]);
    let one_time = Identity::from_random(random::<32>());
    let asked = WrittenRequest {
        one_time: one_time.recipient(),
        key_id: upload.key_id.clone(),
        escrow: verval_core::vault::escrow::from_text(&upload.escrow).expect("escrow"),
    };
    let code = one_time.recipient().fingerprint();
    staff_account(&db, "admin", "admin", "", ADMIN_PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, form) = signed_in(&base, "admin", ADMIN_PASSWORD).await;
    let (_, page) = get(&web, format!("{base}/admin/segel/pin")).await;
    assert!(page.contains(r#"data-testid="written-pin-reset""#), "{page}");
    let answer_with = |request: String, code: String| {
        web.post(format!("{base}/admin/segel/pin/tertulis?_t={form}"))
            .form(&[("permintaan", request), ("kode", code)])
            .send()
    };
    // A chat app folded the line.
    let sent = asked.to_text().replacen("age1", "\nage1", 1);

    let locked = answer_with(sent.clone(), code.clone()).await.expect("answer");
    assert_eq!(locked.status(), 409);
    unlock_on_page(&web, &base, &form).await;

    // Each wrong part refused with what is wrong; nothing answered or audited.
    let someone_else = Identity::from_random(random::<32>()).recipient().fingerprint();
    let misnamed = WrittenRequest {
        key_id: key_id(&DataKey::from_random(random::<KEY_LEN>())),
        ..asked.clone()
    };
    for (request, typed, said) in [
        (sent.clone(), someone_else, "kode tidak cocok"),
        (
            "verval-lupa-pin-1.age1x.00.AA".to_owned(),
            code.clone(),
            "kunci sekali pakai",
        ),
        ("verval-lupa-pin-1.age1x".to_owned(), code.clone(), "empat bagian"),
        (misnamed.to_text(), code.clone(), "bukan kunci yang dinamainya"),
    ] {
        let refused = answer_with(request, typed).await.expect("answer");
        assert_eq!(refused.status(), 400, "{said}");
        let body = refused.text().await.expect("body");
        assert!(body.contains(said), "{said}: {body}");
    }
    assert_eq!(events(&db, "pin_dipulihkan").await, 0);

    // The code as read out, in lower case with spaces: the answer opens on the phone alone.
    let spoken = code.replace('-', " ").to_lowercase();
    let done = answer_with(sent.clone(), spoken).await.expect("answer");
    assert_eq!(done.status(), 200);
    let page = done.text().await.expect("page");
    let sealed = verval_core::vault::escrow::from_text(&written_answer(&page)).expect("an age file");
    let back = open_answer(&sealed, &one_time, &upload.key_id).expect("the phone's own key");
    assert_eq!(key_id(&back), key_id(&data));
    assert!(
        open_answer(&sealed, &Identity::from_random(random::<32>()), &upload.key_id).is_err(),
        "no other key opens it"
    );
    assert_eq!(events(&db, "pin_dipulihkan").await, 1);
    assert_eq!(
        count(&db, "pin_resets").await,
        0,
        "nothing kept but the audit event"
    );

    // The same from the command line, with the key file and its passphrase.
    let pin_answer = |code: &str| pin_answer_cli(&url, ["--request", &sent], code, &own, PASSPHRASE);
    let wrong = pin_answer("1234-5678-9ABC-DEF0-1234");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("kode tidak cocok"));
    let out = pin_answer(&code);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sealed =
        verval_core::vault::escrow::from_text(String::from_utf8_lossy(&out.stdout).trim()).expect("age");
    assert_eq!(
        key_id(&open_answer(&sealed, &one_time, &upload.key_id).expect("opens")),
        key_id(&data)
    );
    assert_eq!(events(&db, "pin_dipulihkan").await, 2);

    // The same phone had been enrolled and sent its escrow, and the district revoked it
    // (lost, stolen): its key is not given back in writing either.
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-written").await;
    assert_eq!(send(addr, ESCROW_PATH, Some(&phone.token), &upload).await.0, 204);
    verval_hub::enrol::revoke(&db, &phone.enumerator_id, &verval_hub::audit::Actor::cli())
        .await
        .expect("revoke");
    let refused = answer_with(sent.clone(), code.clone()).await.expect("answer");
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.expect("body").contains("dicabut"));
    assert_eq!(events(&db, "pin_dipulihkan").await, 2);
}
