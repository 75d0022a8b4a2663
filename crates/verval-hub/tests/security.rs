//! Who may send what: every refusal has the right status and a clear message, and leaves
//! nothing stored.

mod support;

use support::zips::rewrite;
use support::*;
use verval_core::sync::api::{ApiError, EnrolRequest, ErrorCode, ENROL_PATH};
use verval_hub::db::Db;
use verval_hub::{enrol, Config};

async fn refusal(response: reqwest::Response, status: u16, code: ErrorCode) -> ApiError {
    assert_eq!(response.status(), status);
    let error: ApiError = response.json().await.expect("an ApiError body");
    assert_eq!(error.error, code, "{}", error.message);
    assert!(!error.message.is_empty());
    error
}

/// An upload with `Transfer-Encoding: chunked` (no Content-Length), written by hand.
async fn chunked_upload(addr: std::net::SocketAddr, token: &str, bytes: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        verval_core::sync::api::BATCHES_PATH
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let chunk = vec![b'x'; 16 << 10];
    let mut sent = 0;
    while sent < bytes {
        let piece = format!("{:x}\r\n", chunk.len());
        // The hub may answer and close before everything is sent.
        if stream.write_all(piece.as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn nothing_stored(db: &Db) {
    for table in ["batches", "record_versions", "records"] {
        assert_eq!(count(db, table).await, 0, "{table}");
    }
}

async fn uploads_without_a_valid_token_are_refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let sent = batch(&[family(1, VILLAGE)], "device-a");

    refusal(
        upload(addr, None, sent.bytes.clone()).await,
        401,
        ErrorCode::Unauthorized,
    )
    .await;
    refusal(
        upload(addr, Some("0123456789abcdef"), sent.bytes.clone()).await,
        401,
        ErrorCode::Unauthorized,
    )
    .await;
    assert_eq!(
        enrol::revoke(&db, &device.enumerator_id, &verval_hub::audit::Actor::cli())
            .await
            .expect("revoke"),
        1
    );
    let revoked = refusal(
        upload(addr, Some(&device.token), sent.bytes).await,
        401,
        ErrorCode::TokenRevoked,
    )
    .await;
    assert!(revoked.message.contains("dicabut"), "{}", revoked.message);
    nothing_stored(&db).await;
}
both!(uploads_without_a_valid_token_are_refused);

async fn records_of_another_village_or_device_are_refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let stranger = family(2, OTHER_VILLAGE);
    let mixed = batch(&[family(1, VILLAGE), stranger.clone()], "device-a");
    let error = refusal(
        upload(addr, Some(&device.token), mixed.bytes).await,
        403,
        ErrorCode::ForbiddenVillage,
    )
    .await;
    assert_eq!(error.record_id, Some(stranger.id.to_string()));
    assert!(error.message.contains(OTHER_VILLAGE), "{}", error.message);

    // A batch made on another phone, sent with this phone's token.
    let elsewhere = batch(&[family(1, VILLAGE)], "device-b");
    refusal(
        upload(addr, Some(&device.token), elsewhere.bytes).await,
        403,
        ErrorCode::ForbiddenVillage,
    )
    .await;
    nothing_stored(&db).await;
}
both!(records_of_another_village_or_device_are_refused);

async fn oversized_and_malformed_bodies_are_refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let config = Config {
        max_upload_bytes: 256 << 10,
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;

    let huge = vec![b'x'; 300 << 10];
    // A stranger's body is never read: no token is the answer, whatever its size.
    refusal(
        upload(addr, None, huge.clone()).await,
        401,
        ErrorCode::Unauthorized,
    )
    .await;
    let error = refusal(
        upload(addr, Some(&device.token), huge).await,
        413,
        ErrorCode::TooLarge,
    )
    .await;
    assert!(error.message.contains("MB"), "{}", error.message);
    // Without a declared length, the reading stops at the limit.
    let answer = chunked_upload(addr, &device.token, 300 << 10).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");

    let sent = batch(&[family(1, VILLAGE), family(2, VILLAGE)], "device-a");
    let cut = sent.bytes[..sent.bytes.len() / 2].to_vec();
    let error = refusal(
        upload(addr, Some(&device.token), cut).await,
        422,
        ErrorCode::MalformedBatch,
    )
    .await;
    assert!(error.message.contains("zip"), "{}", error.message);

    let page = b"<html>not a batch</html>".to_vec();
    refusal(
        upload(addr, Some(&device.token), page).await,
        422,
        ErrorCode::MalformedBatch,
    )
    .await;

    // A record changed after the manifest was written: its checksum no longer matches.
    let tampered = rewrite(&sent.bytes, "records.jsonl", |text| {
        text.replacen("SLAMET RIYADI", "SLAMET RIYADZ", 1)
    });
    let error = refusal(
        upload(addr, Some(&device.token), tampered).await,
        422,
        ErrorCode::MalformedBatch,
    )
    .await;
    assert!(error.message.contains("records.jsonl"), "{}", error.message);
    nothing_stored(&db).await;
}
both!(oversized_and_malformed_bodies_are_refused);

async fn a_batch_id_reused_with_other_content_is_refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let first = batch(&[family(1, VILLAGE)], "device-a");
    assert_eq!(
        upload(addr, Some(&device.token), first.bytes.clone())
            .await
            .status(),
        200
    );
    // Same batch id, different content: rebuild with the first batch's id.
    let meta = verval_core::export::BatchMeta {
        batch_id: verval_core::RecordId::parse(&first.manifest.batch_id).expect("id"),
        app_version: "test".into(),
        enumerator: String::new(),
        device_id: "device-a".into(),
        sequence: 99,
        created_at: verval_core::Timestamp(1_795_600_000_000),
        utc_offset_minutes: 420,
        profile: verval_core::export::Profile::Lengkap,
    };
    let mut builder = verval_core::export::BatchBuilder::new(&verval_core::form::default::DEFAULT_FORM, meta);
    builder.add(family(2, VILLAGE), &mut |_| None).expect("add");
    let other = builder.finish().expect("build");
    refusal(
        upload(addr, Some(&device.token), other.bytes).await,
        409,
        ErrorCode::BatchIdReused,
    )
    .await;
    assert_eq!(count(&db, "batches").await, 1);
    assert_eq!(count(&db, "records").await, 1);
}
both!(a_batch_id_reused_with_other_content_is_refused);

async fn enrolment_codes_work_once(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let (who, code) = enrol::add_enumerator(
        &db,
        "Budi",
        &[VILLAGE.to_owned()],
        &verval_hub::audit::Actor::cli(),
    )
    .await
    .expect("add");
    let ask = |code: String, device: &str| {
        client()
            .post(format!("http://{addr}{ENROL_PATH}"))
            .json(&EnrolRequest {
                code,
                device_id: device.to_owned(),
            })
    };
    // Typed in lower case with the dashes it was printed with: still the code.
    let typed = verval_hub::secret::display_code(&code).to_lowercase();
    let first = ask(typed, "device-a").send().await.expect("enrol");
    assert_eq!(first.status(), 200);
    let enrolment: verval_core::sync::api::Enrolment = first.json().await.expect("body");
    assert_eq!(enrolment.enumerator_id, who.id);
    assert_eq!(enrolment.villages, vec![VILLAGE.to_owned()]);

    let again = ask(code.clone(), "device-b").send().await.expect("enrol");
    let error = refusal(again, 403, ErrorCode::BadEnrolmentCode).await;
    assert!(error.message.contains("kode pendaftaran"), "{}", error.message);
    refusal(
        ask("AAAA-BBBB-CC".into(), "device-c")
            .send()
            .await
            .expect("enrol"),
        403,
        ErrorCode::BadEnrolmentCode,
    )
    .await;
    let not_json = client()
        .post(format!("http://{addr}{ENROL_PATH}"))
        .header("content-type", "application/json")
        .body("{\"code\": 12")
        .send()
        .await
        .expect("enrol");
    refusal(not_json, 400, ErrorCode::BadRequest).await;
    assert_eq!(count(&db, "devices").await, 1);
}
both!(enrolment_codes_work_once);

#[tokio::test]
async fn enumerators_need_a_name_and_real_village_codes() {
    let db = fresh_db(Backend::Sqlite).await;
    for (name, villages) in [
        ("", vec![VILLAGE]),
        ("Budi", vec![]),
        ("Budi", vec!["35.13.14"]),
        ("Budi", vec!["3513142001"]),
    ] {
        let villages: Vec<String> = villages.into_iter().map(str::to_owned).collect();
        assert!(
            enrol::add_enumerator(&db, name, &villages, &verval_hub::audit::Actor::cli())
                .await
                .is_err(),
            "{name:?} {villages:?}"
        );
    }
    assert_eq!(count(&db, "enumerators").await, 0);
}

#[tokio::test]
async fn the_api_answers_pages_from_other_origins() {
    let db = fresh_db(Backend::Sqlite).await;
    let addr = start_hub(db, Config::default()).await;
    let preflight = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{addr}{}", verval_core::sync::api::BATCHES_PATH),
        )
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert!(preflight.headers()["access-control-allow-headers"]
        .to_str()
        .expect("text")
        .contains("authorization"));
    // A refusal is readable cross-origin too: the app must see why.
    let refused = upload(addr, None, b"x".to_vec()).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["access-control-allow-origin"], "*");
    // The district pages are not part of it.
    let admin = client()
        .get(format!("http://{addr}/admin/masuk"))
        .send()
        .await
        .expect("admin");
    assert!(admin.headers().get("access-control-allow-origin").is_none());
}
