//! A district's own form at the hub (issue #25), on SQLite and PostgreSQL: two versions
//! imported, the newer published and carried by the assignment, a phone's batch with a
//! household and records of both versions stored (the household among households, the
//! others as the form's records), a version the hub never saw refused by name with nothing
//! stored, and the form's export — one sheet for the form and one per repeat, columns by
//! field name, both versions together, the zip with the records' photos — audited.

mod support;

use support::*;
use verval_core::{HouseholdRecord, RecordId, Timestamp};
use verval_hub::Config;

const VILLAGE: &str = "35.13.14.2001";
const PASSWORD: &str = "kata sandi operator 2026";
const PHOTO_KEY: &str = "foto-00000000-0000-4000-8000-0000000000f1";
const PHOTO: &[u8] = b"\xff\xd8\xff\xe0 a house, in a district form";

/// The ground-check form; version 2 adds `catatan`.
fn ground_check(path: &std::path::Path, version: &str) {
    let mut survey: Vec<&[&str]> = vec![
        &[
            "type",
            "name",
            "label::Indonesian (id)",
            "relevant",
            "repeat_count",
        ],
        &["select_one kondisi", "kondisi", "Kondisi rumah", "", ""],
        &["integer", "jumlah", "Jumlah anggota", "", ""],
        &["begin_repeat", "anggota", "Anggota", "", "${jumlah}"],
        &["text", "nama_anggota", "Nama", "", ""],
        &["integer", "umur", "Umur", "", ""],
        &["text", "pekerjaan", "Pekerjaan", "${umur} >= 15", ""],
        &["end_repeat", "", "", "", ""],
    ];
    if version == "2" {
        survey.push(&["text", "catatan", "Catatan", "", ""]);
        survey.push(&["image", "foto_rumah", "Foto rumah", "", ""]);
    }
    xlsform(
        path,
        &[
            ("survey", &survey),
            (
                "choices",
                &[
                    &["list_name", "name", "label::Indonesian (id)"],
                    &["kondisi", "layak", "Layak"],
                    &["kondisi", "tidak_layak", "Tidak layak"],
                ],
            ),
            (
                "settings",
                &[
                    &["form_title", "form_id", "version"],
                    &["Cek lapangan", "cek_lapangan", version],
                ],
            ),
        ],
    );
}

/// A finalized record of the form, as a phone makes it.
fn form_record(
    seed: u8,
    version: &str,
    answers: &[(&str, &str)],
    rows: &[&[(&str, &str)]],
) -> HouseholdRecord {
    let now = Timestamp(1_795_600_000_000);
    let mut r = HouseholdRecord::new(RecordId::from_random_bytes([seed; 16]), now);
    r.form_id = "cek_lapangan".to_owned();
    r.form_version = version.to_owned();
    r.set_answer("kode_desa", VILLAGE, now);
    for (field, value) in answers {
        r.set_answer(*field, value, now);
    }
    for row in rows {
        let key = r.add_row("anggota", now);
        for (field, value) in *row {
            r.set_row_answer("anggota", key, *field, value, now);
        }
    }
    r.finalize(now);
    r
}

both!(records_of_two_versions_are_taken_published_and_exported_by_field_name);
async fn records_of_two_versions_are_taken_published_and_exported_by_field_name(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let dir = std::env::temp_dir().join(format!("verval-form-records-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for version in ["1", "2"] {
        let file = dir.join(format!("v{version}.xlsx"));
        ground_check(&file, version);
        let page = web
            .post(format!("{base}/admin/formulir?_t={t}"))
            .multipart(xlsform_part(&file))
            .send()
            .await
            .expect("upload")
            .text()
            .await
            .expect("page");
        assert!(
            page.contains(r#"data-testid="form-imported" data-new="true""#),
            "{page}"
        );
    }

    // Nothing published yet: the assignment carries no form.
    let phone = enrolled(&db, addr, &[VILLAGE], "phone-1").await;
    assert!(assignment(addr, &phone.token).await.forms.is_empty());
    for version in ["1", "2"] {
        let page = web
            .post(format!(
                "{base}/admin/formulir/cek_lapangan/{version}/terbitkan?_t={t}"
            ))
            .send()
            .await
            .expect("publish")
            .text()
            .await
            .expect("page");
        assert!(page.contains(r#"data-testid="form-publish-done""#), "{page}");
    }
    let forms = assignment(addr, &phone.token).await.forms;
    assert_eq!(forms.len(), 1, "the version published last, alone");
    assert_eq!(
        (forms[0].id.as_str(), forms[0].version.as_str()),
        ("cek_lapangan", "2")
    );
    assert_eq!(forms[0].title, "Cek lapangan");
    let def: verval_core::xlsform::FormDef =
        serde_json::from_str(&forms[0].definition).expect("a definition");
    verval_core::dataform::DataForm::new(def).expect("it can be filled");
    let (status, _) = get(&web, format!("{base}/admin/formulir/cek_lapangan/9/terbitkan")).await;
    assert_eq!(status, 405, "publishing is a POST");

    // A batch of a household and both versions' records: all stored, each in its place.
    let old = form_record(
        11,
        "1",
        &[("kondisi", "tidak_layak"), ("jumlah", "2")],
        &[
            &[("nama_anggota", "SITI"), ("umur", "40"), ("pekerjaan", "petani")],
            // Typed while thought older; no longer asked, so not exported.
            &[("nama_anggota", "ANI"), ("umur", "9"), ("pekerjaan", "pelajar")],
        ],
    );
    let new = form_record(
        12,
        "2",
        &[
            ("kondisi", "layak"),
            ("catatan", "atap bocor"),
            ("foto_rumah", PHOTO_KEY),
        ],
        &[],
    );
    let household = family(13, VILLAGE);
    let sent = batch_with_photos(
        &[household.clone(), old.clone(), new.clone()],
        "phone-1",
        &mut |key| (key == PHOTO_KEY).then(|| PHOTO.to_vec()),
    );
    let answer = upload(addr, Some(&phone.token), sent.bytes).await;
    assert_eq!(
        answer.status(),
        200,
        "{}",
        answer.text().await.unwrap_or_default()
    );
    let receipt: serde_json::Value = answer.json().await.expect("receipt");
    let outcomes: Vec<&str> = receipt["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["stored", "stored", "stored"]);
    assert_eq!(count(&db, "records").await, 1, "one household among households");
    assert_eq!(count(&db, "form_records").await, 2);
    assert_eq!(count(&db, "record_versions").await, 3);

    // A version the hub does not know: the batch is refused naming it, nothing stored.
    let unknown = form_record(14, "3", &[("kondisi", "layak")], &[]);
    let answer = upload(addr, Some(&phone.token), batch(&[unknown], "phone-1").bytes).await;
    assert_eq!(answer.status(), 422);
    let refusal = answer.text().await.expect("body");
    assert!(
        refusal.contains("cek_lapangan") && refusal.contains("\\\"3\\\""),
        "{refusal}"
    );
    assert_eq!(count(&db, "form_records").await, 2);

    // A household's id sent as a form's record (or the other way round) is refused: a record
    // id is one form's for good.
    let mut hijack = form_record(15, "2", &[("kondisi", "layak")], &[]);
    hijack.id = household.id.clone();
    let answer = upload(addr, Some(&phone.token), batch(&[hijack], "phone-1").bytes).await;
    assert_eq!(answer.status(), 403);
    assert!(answer.text().await.expect("body").contains("formulir lain"));
    let mut other_way = family(16, VILLAGE);
    other_way.id = new.id.clone();
    let answer = upload(addr, Some(&phone.token), batch(&[other_way], "phone-1").bytes).await;
    assert_eq!(answer.status(), 403);
    assert_eq!(
        (count(&db, "records").await, count(&db, "form_records").await),
        (1, 2)
    );
    assert_eq!(count(&db, "record_versions").await, 3);

    // The export: the form's sheet and the repeat's, by field name, both versions.
    let page = get(&web, format!("{base}/admin/formulir")).await.1;
    assert!(page.contains(r#"data-testid="form-record-count">2<"#), "{page}");
    let book = downloaded(&web, format!("{base}/admin/formulir/cek_lapangan/ekspor.xlsx")).await;
    let (rows, column) = sheet_rows(&book, "cek_lapangan");
    let records: Vec<&Vec<String>> = rows[2..].iter().collect();
    assert_eq!(records.len(), 2);
    let by_version = |v: &str| {
        records
            .iter()
            .find(|r| r[column("form_version")] == v)
            .unwrap_or_else(|| panic!("version {v}"))
    };
    assert_eq!(by_version("1")[column("kondisi")], "tidak_layak");
    assert_eq!(by_version("1")[column("catatan")], "");
    assert_eq!(by_version("2")[column("catatan")], "atap bocor");
    assert_eq!(by_version("2")[column("record_id")], new.id.to_string());
    let (rows, column) = sheet_rows(&book, "anggota");
    let members: Vec<(&str, &str)> = rows[2..]
        .iter()
        .map(|r| {
            (
                r[column("nama_anggota")].as_str(),
                r[column("pekerjaan")].as_str(),
            )
        })
        .collect();
    assert_eq!(members, [("SITI", "petani"), ("ANI", "")]);
    let zip = downloaded(&web, format!("{base}/admin/formulir/cek_lapangan/ekspor.zip")).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let names: Vec<String> = (0..archive.len())
        .map(|i| {
            archive
                .by_index(i)
                .expect("entry")
                .name()
                .expect("name")
                .into_owned()
        })
        .collect();
    assert!(names.contains(&"cek_lapangan.csv".to_owned()), "{names:?}");
    assert!(names.contains(&"anggota.csv".to_owned()), "{names:?}");
    let mut csv = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("anggota.csv").expect("csv"), &mut csv).expect("read");
    assert!(
        csv.starts_with("record_id,row_key,nama_anggota,umur,pekerjaan"),
        "{csv}"
    );
    // The photo, copied from the batch that carried it, at the path its table names.
    let path = format!("foto/{}_foto_00000000_0000_4000_8000_0000000000f1.jpg", new.id);
    let mut photo = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&path).expect("the photo"), &mut photo).expect("read");
    assert_eq!(photo, PHOTO);
    let mut main = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("cek_lapangan.csv").expect("csv"), &mut main)
        .expect("read");
    assert!(main.contains(&path), "{main}");

    // Both downloads are in the audit trail, with who made them.
    let exports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'ekspor_formulir'")
            .fetch_one(&db.pool)
            .await
            .expect("audit");
    assert_eq!(exports, 2);
    let published: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'terbitkan_formulir'")
            .fetch_one(&db.pool)
            .await
            .expect("audit");
    assert_eq!(published, 2);

    // Once the batch's bytes are let go, its photos are gone: the zip names the record
    // whose photos it cannot carry, never silently leaves them out.
    sqlx::query("UPDATE batches SET received_at = 0")
        .execute(&db.pool)
        .await
        .expect("age the batches");
    assert!(
        verval_hub::retention::prune_raw_batches(&db, 30)
            .await
            .expect("prune")
            >= 1
    );
    let zip = downloaded(&web, format!("{base}/admin/formulir/cek_lapangan/ekspor.zip")).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    assert!(archive.by_name(&path).is_err(), "no photo from a batch let go");
    let mut listing = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("foto-tidak-ada.csv").expect("listed"),
        &mut listing,
    )
    .expect("read");
    assert!(listing.contains(new.id.as_str()), "{listing}");
    assert!(
        !listing.contains(old.id.as_str()),
        "a record with no photo is not missing one: {listing}"
    );
}
