//! The district's review as a conversation with the phone (issue #20): decisions with
//! notes on fields and member rows, kept in order; a newer revision reopening a decided
//! household, with what changed; the review feed a phone fetches (its own households only,
//! from its cursor) and the review file made for one phone.

mod support;

use support::*;
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::review::feed::{parse_feed, FeedError, ReviewFeed};
use verval_core::review::Decision;
use verval_core::sync::api::{Enrolment, REVIEWS_PATH};
use verval_hub::Config;

const PASSWORD: &str = "peninjau-kabupaten-1";

async fn feed(addr: std::net::SocketAddr, phone: &Enrolment, since: u64) -> ReviewFeed {
    let answer = client()
        .get(format!("http://{addr}{REVIEWS_PATH}?since={since}"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("reviews");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("a review feed")
}

async fn standing(db: &verval_hub::db::Db, id: &str) -> (String, String, i64) {
    sqlx::query_as("SELECT review, review_note, reviewed_revision FROM records WHERE record_id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .expect("standing")
}

async fn a_household_sent_back_is_corrected_and_approved(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "peninjau", "verifikator", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-a").await;
    let neighbour = enrolled(&db, addr, &[VILLAGE], "phone-b").await;
    let first = family(2001, VILLAGE);
    let theirs = family(2002, VILLAGE);
    assert_eq!(
        upload(
            addr,
            Some(&phone.token),
            batch(std::slice::from_ref(&first), "phone-a").bytes
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        upload(
            addr,
            Some(&neighbour.token),
            batch(std::slice::from_ref(&theirs), "phone-b").bytes
        )
        .await
        .status(),
        200
    );
    let id = first.id.to_string();
    let (web, t) = signed_in(&base, "peninjau", PASSWORD).await;
    let review_url = format!("{base}/admin/keluarga/{id}/tinjauan?_t={t}");

    // Nothing decided yet: the phone's feed is empty, and says where to go on from.
    let empty = feed(addr, &phone, 0).await;
    assert!(empty.reviews.is_empty());
    assert_eq!(empty.devices, ["phone-a"]);

    // Sent back with a note on the family and one on a member's NIK.
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("data-testid=\"review-form\""), "{page}");
    let member = first
        .repeats
        .iter()
        .find(|(r, _)| *r == "art")
        .expect("members")
        .1[0]
        .key;
    let sent_back = web
        .post(&review_url)
        .form(&[
            ("review", "perlu_perbaikan"),
            ("revision", "1"),
            ("note", "Periksa lagi KK-nya"),
            ("isian_1", "nik"),
            ("baris_1", &format!("art:{member}")),
            ("catatan_1", "NIK anggota 1 tidak sesuai KK"),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(sent_back.status(), 303);
    assert_eq!(
        standing(&db, &id).await,
        ("perlu_perbaikan".to_owned(), "Periksa lagi KK-nya".to_owned(), 1)
    );

    // The phone gets it, with the note on the member row; the neighbour's phone does not.
    let got = feed(addr, &phone, 0).await;
    assert_eq!(got.reviews.len(), 1, "{got:?}");
    let message = &got.reviews[0];
    assert_eq!(
        (message.record_id.as_str(), message.revision, message.decision),
        (id.as_str(), 1, Decision::PerluPerbaikan)
    );
    assert_eq!(message.reviewer, "peninjau");
    assert_eq!(message.fields.len(), 1);
    assert_eq!(message.fields[0].field, "nik");
    let row = message.fields[0].row.as_ref().expect("a member row");
    assert_eq!((row.repeat.as_str(), row.key, row.position), ("art", member, 1));
    assert!(feed(addr, &neighbour, 0).await.reviews.is_empty());
    // What the hub sends, the phone reads; a phone syncing again from its cursor gets nothing.
    let bytes = serde_json::to_vec(&got).expect("bytes");
    assert_eq!(parse_feed(&bytes, "phone-a"), Ok(got.clone()));
    assert!(matches!(
        parse_feed(&bytes, "phone-b"),
        Err(FeedError::OtherDevice { .. })
    ));
    assert!(feed(addr, &phone, got.cursor).await.reviews.is_empty());

    // A decision on a revision that is no longer current is refused, nothing stored.
    let correction = corrected(&first, NAMA_KEPALA_KELUARGA, "SLAMET RIYADI (DIPERBAIKI)");
    assert_eq!(
        upload(addr, Some(&phone.token), batch(&[correction], "phone-a").bytes)
            .await
            .status(),
        200
    );
    assert_eq!(
        standing(&db, &id).await,
        ("tinjau_ulang".to_owned(), "Periksa lagi KK-nya".to_owned(), 1),
        "the correction reopens the household and keeps the note"
    );
    let stale = web
        .post(&review_url)
        .form(&[("review", "disetujui"), ("revision", "1")])
        .send()
        .await
        .expect("review");
    assert_eq!(stale.status(), 409);
    assert_eq!(count(&db, "reviews").await, 1);

    // The reviewer sees what changed since the decision, and approves.
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("data-testid=\"changes\""), "{page}");
    assert!(page.contains("SLAMET RIYADI (DIPERBAIKI)"));
    assert!(page.contains("Menunggu tinjauan ulang"));
    let approved = web
        .post(&review_url)
        .form(&[("review", "disetujui"), ("revision", "2")])
        .send()
        .await
        .expect("review");
    assert_eq!(approved.status(), 303);
    let next = feed(addr, &phone, got.cursor).await;
    assert_eq!(next.reviews.len(), 1);
    assert_eq!(
        (next.reviews[0].revision, next.reviews[0].decision),
        (2, Decision::Disetujui)
    );
    assert!(next.cursor > got.cursor);

    // The whole conversation stays on the page, in order.
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    let history = &page[page.find("data-testid=\"review-history\"").expect("history")..];
    let sent_at = history
        .find("data-decision=\"perlu_perbaikan\"")
        .expect("the first decision");
    let approved_at = history.find("data-decision=\"disetujui\"").expect("the second");
    assert!(sent_at < approved_at);
    assert!(history.contains("NIK anggota 1 tidak sesuai KK"));
}
both!(a_household_sent_back_is_corrected_and_approved);

async fn decisions_are_checked_before_anything_is_stored(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "peninjau", "verifikator", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-a").await;
    let (one, two) = (family(2101, VILLAGE), family(2102, VILLAGE));
    assert_eq!(
        upload(
            addr,
            Some(&phone.token),
            batch(&[one.clone(), two.clone()], "phone-a").bytes
        )
        .await
        .status(),
        200
    );
    let (web, t) = signed_in(&base, "peninjau", PASSWORD).await;
    let id = one.id.to_string();
    let url = format!("{base}/admin/keluarga/{id}/tinjauan?_t={t}");
    let refused: [(&[(&str, &str)], &str); 6] = [
        (&[("review", "perlu_perbaikan"), ("revision", "1")], "catatan"),
        (
            &[("review", "disetujui"), ("revision", "1"), ("ganda", "x")],
            "Ditolak",
        ),
        (
            &[("review", "ditolak"), ("revision", "1"), ("ganda", "tidak-ada")],
            "tidak dikenal",
        ),
        (
            &[("review", "ditolak"), ("revision", "1"), ("ganda", id.as_str())],
            "dirinya sendiri",
        ),
        (
            &[
                ("review", "perlu_perbaikan"),
                ("revision", "1"),
                ("isian_1", "bukan_isian"),
                ("catatan_1", "x"),
            ],
            "bukan_isian",
        ),
        (
            &[
                ("review", "perlu_perbaikan"),
                ("revision", "1"),
                ("isian_1", "nik"),
                ("baris_1", "art:99"),
                ("catatan_1", "x"),
            ],
            "art:99",
        ),
    ];
    for (form, says) in refused {
        let answer = web.post(&url).form(form).send().await.expect("review");
        assert_eq!(answer.status(), 400, "{form:?}");
        let body = answer.text().await.expect("body");
        assert!(body.contains(says), "{form:?}: {body}");
    }
    assert_eq!(count(&db, "reviews").await, 0);
    assert_eq!(standing(&db, &id).await.0, "diterima");

    // Rejected as a duplicate: the phone learns which family is the one that counts.
    let other = two.id.to_string();
    let answer = web
        .post(&url)
        .form(&[
            ("review", "ditolak"),
            ("revision", "1"),
            ("note", "Keluarga ganda"),
            ("ganda", other.as_str()),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(answer.status(), 303);
    let got = feed(addr, &phone, 0).await;
    let duplicate = got.reviews[0].duplicate_of.as_ref().expect("the other family");
    assert_eq!(duplicate.record_id, other);
    assert_eq!(
        duplicate.name,
        format!(
            "{} (KK {})",
            two.answers.get(NAMA_KEPALA_KELUARGA),
            two.answers.get(NOMOR_KK)
        ),
        "named by its head and card, as the phone's own hints name a family"
    );
}
both!(decisions_are_checked_before_anything_is_stored);

/// A review file names its phone; the page lists only phones with households in the
/// reader's region; a phone token with a bad cursor gets a clear refusal.
async fn review_files_are_made_per_phone(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "korcam", "supervisor", "35.13.15", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-a").await;
    let household = family(2201, VILLAGE);
    assert_eq!(
        upload(
            addr,
            Some(&phone.token),
            batch(std::slice::from_ref(&household), "phone-a").bytes
        )
        .await
        .status(),
        200
    );
    let id = household.id.to_string();
    let reviewer = verval_hub::audit::Actor::cli();
    let decided = verval_hub::households::Decided {
        revision: 1,
        decision: Decision::PerluPerbaikan,
        note: "Foto rumah tidak ada".to_owned(),
        field_notes: Vec::new(),
        duplicate_of: None,
    };
    verval_hub::households::decide(
        &db,
        &id,
        &verval_hub::staff::Scope::everywhere(),
        &decided,
        &reviewer,
    )
    .await
    .expect("decide");

    let (web, _) = signed_in(&base, "operator", PASSWORD).await;
    let (_, list) = get(&web, format!("{base}/admin/tinjauan-hp")).await;
    assert!(list.contains("phone-a"), "{list}");
    let file = web
        .get(format!("{base}/admin/tinjauan-hp/phone-a"))
        .send()
        .await
        .expect("file");
    assert_eq!(file.status(), 200);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.contains("tinjauan-phone-a-"), "{disposition}");
    let bytes = file.bytes().await.expect("bytes");
    let read = parse_feed(&bytes, "phone-a").expect("the phone reads its file");
    assert_eq!(read.reviews.len(), 1);
    assert_eq!(read.reviews[0].note, "Foto rumah tidak ada");
    assert!(matches!(
        parse_feed(&bytes, "phone-b"),
        Err(FeedError::OtherDevice { .. })
    ));

    // A supervisor of another kecamatan has no such phone.
    let (web, _) = signed_in(&base, "korcam", PASSWORD).await;
    let (_, list) = get(&web, format!("{base}/admin/tinjauan-hp")).await;
    assert!(!list.contains("phone-a"), "{list}");
    let (status, body) = get(&web, format!("{base}/admin/tinjauan-hp/phone-a")).await;
    assert_eq!(status, 404);
    assert!(!body.contains("Foto rumah"));

    let bad = client()
        .get(format!("{base}{REVIEWS_PATH}?since=kemarin"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .expect("reviews");
    assert_eq!(bad.status(), 400);
    let nobody = client()
        .get(format!("{base}{REVIEWS_PATH}"))
        .send()
        .await
        .expect("reviews");
    assert_eq!(nobody.status(), 401);
}
both!(review_files_are_made_per_phone);

const JPEG: &[u8] = b"\xff\xd8\xff\xe0 a photo of the house \xff\xd9";
const KK_JPEG: &[u8] = b"\xff\xd8\xff\xe0 a photo of the family card \xff\xd9";

/// A hub with a verifikator (`peninjau`, sees identity numbers) and a viewer of the regency
/// (`bappeda`, does not); its database and address.
async fn hub_with_reviewers(backend: Backend) -> (verval_hub::db::Db, String) {
    let db = fresh_db(backend).await;
    staff_account(&db, "peninjau", "verifikator", "", PASSWORD).await;
    staff_account(&db, "bappeda", "viewer", "35.13", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    (db, format!("http://{addr}"))
}

/// The households sent by a phone in one batch with a photo of the house and of the family
/// card each.
async fn upload_with_photos(
    db: &verval_hub::db::Db,
    base: &str,
    households: &[verval_core::HouseholdRecord],
) {
    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().expect("address");
    let phone = enrolled(db, addr, &[VILLAGE], "phone-a").await;
    let households: Vec<_> = households
        .iter()
        .cloned()
        .map(|mut h| {
            h.answers.insert_raw("foto_kk", "foto-kk");
            h
        })
        .collect();
    let built = batch_with_photos(&households, "phone-a", &mut |key| match key {
        "foto-rumah-depan" => Some(JPEG.to_vec()),
        "foto-kk" => Some(KK_JPEG.to_vec()),
        _ => None,
    });
    assert_eq!(upload(addr, Some(&phone.token), built.bytes).await.status(), 200);
}

/// The reviewer sees the photos the enumerator took, from the stored batch, never cached;
/// a photo of an identity document only by those who may see identity numbers.
async fn reviewers_see_the_photos(backend: Backend) {
    let (db, base) = hub_with_reviewers(backend).await;
    let household = family(2301, VILLAGE);
    upload_with_photos(&db, &base, std::slice::from_ref(&household)).await;
    let id = household.id.to_string();

    let (web, _) = signed_in(&base, "peninjau", PASSWORD).await;
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(
        page.contains(&format!("src=\"/admin/keluarga/{id}/foto/foto_rumah_depan\"")),
        "{page}"
    );
    assert!(page.contains(&format!("src=\"/admin/keluarga/{id}/foto/foto_kk\"")));
    for (field, bytes) in [("foto_rumah_depan", JPEG), ("foto_kk", KK_JPEG)] {
        let answer = web
            .get(format!("{base}/admin/keluarga/{id}/foto/{field}"))
            .send()
            .await
            .expect("photo");
        assert_eq!(answer.status(), 200, "{field}");
        assert_eq!(answer.headers()["content-type"], "image/jpeg");
        assert_eq!(answer.headers()["cache-control"], "no-store");
        assert_eq!(answer.bytes().await.expect("bytes").as_ref(), bytes);
    }
    let (status, _) = get(&web, format!("{base}/admin/keluarga/{id}/foto/foto_atap")).await;
    assert_eq!(status, 404, "a photo not taken");
    let (status, _) = get(
        &web,
        format!("{base}/admin/keluarga/{id}/foto/nama_kepala_keluarga"),
    )
    .await;
    assert_eq!(status, 404, "not a photo question");

    // A viewer sees the house, not the family card.
    let (web, _) = signed_in(&base, "bappeda", PASSWORD).await;
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("/foto/foto_rumah_depan"));
    assert!(!page.contains("/foto/foto_kk"), "{page}");
    let answer = web
        .get(format!("{base}/admin/keluarga/{id}/foto/foto_kk"))
        .send()
        .await
        .expect("photo");
    assert_eq!(answer.status(), 404);
    assert!(!answer
        .bytes()
        .await
        .expect("bytes")
        .windows(KK_JPEG.len())
        .any(|w| w == KK_JPEG));

    // Without its batch's bytes (let go after the keeping period) the page says so.
    sqlx::query("UPDATE batches SET bytes = $1")
        .bind(Vec::<u8>::new())
        .execute(&db.pool)
        .await
        .expect("prune");
    let (web, _) = signed_in(&base, "peninjau", PASSWORD).await;
    let (status, body) = get(&web, format!("{base}/admin/keluarga/{id}/foto/foto_rumah_depan")).await;
    assert_eq!(status, 404);
    assert!(body.contains("masa simpan"), "{body}");
}
both!(reviewers_see_the_photos);

/// The names and bytes of every file in a zip.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("entry");
            let mut content = Vec::new();
            entry.read_to_end(&mut content).expect("read");
            (entry.name().expect("name").to_string(), content)
        })
        .collect()
}

/// The export with photos: the tables and every household's photos, as the reviewer may see
/// them; a household whose batch bytes were let go is named, not silently left out.
async fn the_export_carries_the_photos(backend: Backend) {
    let (db, base) = hub_with_reviewers(backend).await;
    let household = family(2401, VILLAGE);
    let without = family(2402, VILLAGE);
    upload_with_photos(&db, &base, &[household.clone(), without.clone()]).await;
    let id = household.id.to_string();
    let url = format!("{base}/admin/ekspor/unduh?profil=lengkap&wilayah=35.13&format=zip_foto");
    let download = |web: reqwest::Client, url: String| async move {
        let answer = web.get(url).send().await.expect("export");
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "application/zip");
        let disposition = answer.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(disposition.contains("-foto.zip"), "{disposition}");
        unzip(&answer.bytes().await.expect("bytes"))
    };

    let (web, _) = signed_in(&base, "peninjau", PASSWORD).await;
    let files = download(web.clone(), url.clone()).await;
    assert_eq!(files[&format!("foto/{id}_foto_rumah_depan.jpg")], JPEG);
    assert_eq!(files[&format!("foto/{id}_foto_kk.jpg")], KK_JPEG);
    // The other household took the house photo too (the sample batch answers it for both).
    assert!(
        files.contains_key("keluarga.csv") && files.contains_key("verval.xlsx"),
        "{:?}",
        files.keys()
    );
    assert!(!files.contains_key("foto-tidak-ada.csv"));
    // Handed out: on the audit trail, with its format.
    let formats: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit_events WHERE action = 'ekspor'")
        .fetch_all(&db.pool)
        .await
        .expect("audit");
    assert!(formats.iter().any(|d| d.contains("zip_foto")), "{formats:?}");

    // A viewer gets the house, not the family card.
    let (viewer, _) = signed_in(&base, "bappeda", PASSWORD).await;
    let files = download(viewer, url.clone()).await;
    assert!(files.contains_key(&format!("foto/{id}_foto_rumah_depan.jpg")));
    assert!(
        !files.contains_key(&format!("foto/{id}_foto_kk.jpg")),
        "{:?}",
        files.keys()
    );
    assert!(!files
        .values()
        .any(|f| f.windows(KK_JPEG.len()).any(|w| w == KK_JPEG)));

    // Without the batch's bytes, the households are named in the zip, the tables still there.
    sqlx::query("UPDATE batches SET bytes = $1")
        .bind(Vec::<u8>::new())
        .execute(&db.pool)
        .await
        .expect("prune");
    let files = download(web, url).await;
    assert!(
        !files.keys().any(|k| k.starts_with("foto/")),
        "{:?}",
        files.keys()
    );
    let missing = String::from_utf8(files["foto-tidak-ada.csv"].clone()).expect("text");
    assert!(
        missing.contains(&id) && missing.contains(&without.id.to_string()),
        "{missing}"
    );
    assert!(files.contains_key("keluarga.csv"));
}
both!(the_export_carries_the_photos);
