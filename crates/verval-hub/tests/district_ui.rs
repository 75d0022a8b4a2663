//! The district staff's pages, driven over HTTP as a browser would (cookies, forms, file
//! uploads, downloads) against a real hub and database.

mod support;

use calamine::Reader;
use std::io::Cursor;
use support::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::sync::parse_receipt;
use verval_hub::{secret, Config};

const PASSWORD: &str = "dinsos-probolinggo";

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

async fn text(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status, "{}", response.url());
    response.text().await.expect("page")
}

fn file_part(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str("application/zip")
        .expect("mime")
}

/// The text between `after` and the next `<`.
fn text_after<'a>(page: &'a str, after: &str) -> &'a str {
    let start = page.find(after).map(|i| i + after.len()).expect(after);
    let rest = &page[start..];
    &rest[..rest.find('<').unwrap_or(rest.len())]
}

async fn district_staff_receive_review_and_export(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "admin", "admin", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let web = browser();

    // Signed out: every page leads to the sign-in page; a wrong password is refused.
    let page = web
        .get(format!("{base}/admin/keluarga"))
        .send()
        .await
        .expect("get");
    assert!(page.url().path().ends_with("/admin/masuk"));
    let wrong = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "admin"), ("password", "tebakan")])
        .send()
        .await
        .expect("post");
    assert!(text(wrong, 401).await.contains("kata sandi salah"));
    let signed_in = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    let signed_in = text(signed_in, 200).await;
    // The home page: the round's progress, nothing yet.
    assert!(
        signed_in.contains("data-testid=\"progress-total\""),
        "{signed_in}"
    );
    let t = form_token(&signed_in);

    // An enumerator with a code and a QR; the code enrols a phone.
    let made = web
        .post(format!("{base}/admin/petugas?_t={t}"))
        .form(&[("nama", "Siti Aminah"), ("desa", "35.13.14.2001\n35.13.14.2002")])
        .send()
        .await
        .expect("add");
    let made = text(made, 200).await;
    assert!(made.contains("<svg"), "a QR code");
    let code = text_after(&made, "data-testid=\"enrolment-code\">").to_owned();
    assert!(made.contains(&format!("/?daftar={}", secret::normalize_code(&code))));
    let enrolment = enrol_with(addr, code, "device-a").await;
    assert_eq!(enrolment.villages.len(), 2);
    let bad = web
        .post(format!("{base}/admin/petugas?_t={t}"))
        .form(&[("nama", "Budi"), ("desa", "35.13")])
        .send()
        .await
        .expect("add");
    assert!(text(bad, 400).await.contains("35.13"));

    // Files handed over: a good batch and a broken one, in one upload.
    let records: Vec<_> = (1..=3).map(|i| family(i, VILLAGE)).collect();
    let sent = batch(&records, "device-a");
    let form = reqwest::multipart::Form::new()
        .part("berkas", file_part("batch.zip", sent.bytes.clone()))
        .part("berkas", file_part("rusak.zip", b"PK\x03\x04 broken".to_vec()));
    let result = web
        .post(format!("{base}/admin/unggah?_t={t}"))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let result = text(result, 200).await;
    assert!(result.contains("data-testid=\"upload-ok\""));
    assert!(result.contains("data-testid=\"upload-refused\""));
    assert!(result.contains("3 baru"));
    let receipt_link = format!("/admin/tanda-terima/{}", sent.manifest.batch_id);
    assert!(result.contains(&receipt_link));
    // The same file again (issue #28): said to be received already, not "3 baru" again.
    let again = web
        .post(format!("{base}/admin/unggah?_t={t}"))
        .multipart(reqwest::multipart::Form::new().part("berkas", file_part("batch.zip", sent.bytes.clone())))
        .send()
        .await
        .expect("upload again");
    let again = text(again, 200).await;
    assert!(again.contains("data-testid=\"upload-repeat\""), "{again}");
    assert!(
        again.contains("sudah diterima") && again.contains("3 keluarga, tidak ada yang berubah"),
        "{again}"
    );
    assert!(!again.contains("baru,"), "{again}");
    assert!(again.contains(&receipt_link), "the receipt is offered again");
    let receipt = web
        .get(format!("{base}{receipt_link}"))
        .send()
        .await
        .expect("receipt");
    assert_eq!(receipt.status(), 200);
    assert!(receipt
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("tanda-terima-")));
    let receipt = parse_receipt(&receipt.bytes().await.expect("body")).expect("receipt");
    receipt.acknowledges(&sent.manifest).expect("acknowledged");

    // The list, by village; one household; its review.
    let list = web
        .get(format!("{base}/admin/keluarga?desa={VILLAGE}"))
        .send()
        .await
        .expect("list");
    let list = text(list, 200).await;
    assert!(list.contains("3 keluarga"));
    assert!(list.contains("SLAMET RIYADI"));
    let id = records[0].id.to_string();
    let view = text(
        web.get(format!("{base}/admin/keluarga/{id}"))
            .send()
            .await
            .expect("view"),
        200,
    )
    .await;
    assert!(view.contains("data-field=\"nomor_kk\">3513141203150007"));
    assert!(view.contains("device-a"));
    let reviewed = web
        .post(format!("{base}/admin/keluarga/{id}/tinjauan?_t={t}"))
        .form(&[
            ("review", "perlu_perbaikan"),
            ("revision", "1"),
            ("note", "Foto KK buram <b>"),
        ])
        .send()
        .await
        .expect("review");
    let reviewed = text(reviewed, 200).await;
    assert!(reviewed.contains("<option value=\"perlu_perbaikan\" selected>"));
    assert!(
        reviewed.contains("Foto KK buram &lt;b&gt;"),
        "a note is shown as text"
    );
    let odd = web
        .post(format!("{base}/admin/keluarga/{id}/tinjauan?_t={t}"))
        .form(&[("review", "hapus"), ("revision", "1")])
        .send()
        .await
        .expect("review");
    assert_eq!(odd.status(), 400);
    let filtered = text(
        web.get(format!("{base}/admin/keluarga?tinjauan=perlu_perbaikan"))
            .send()
            .await
            .expect("list"),
        200,
    )
    .await;
    assert!(filtered.contains("1 keluarga"));

    // A second device's version of one household: flagged; a person chooses.
    let other = corrected(&records[1], NAMA_KEPALA_KELUARGA, "VERSI PERANGKAT B");
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        file_part("b.zip", batch(std::slice::from_ref(&other), "device-b").bytes),
    );
    let result = text(
        web.post(format!("{base}/admin/unggah?_t={t}"))
            .multipart(form)
            .send()
            .await
            .expect("upload"),
        200,
    )
    .await;
    assert!(result.contains("1 konflik"));
    let conflicted = records[1].id.to_string();
    let view = text(
        web.get(format!("{base}/admin/keluarga/{conflicted}"))
            .send()
            .await
            .expect("view"),
        200,
    )
    .await;
    assert!(view.contains("data-testid=\"conflict\""));
    assert!(
        view.contains("VERSI PERANGKAT B"),
        "the newer revision is current"
    );
    let first_sha = receipt.records[1].sha256.clone();
    let chosen = web
        .post(format!("{base}/admin/keluarga/{conflicted}/versi?_t={t}"))
        .form(&[("revision", "1"), ("sha256", first_sha.as_str())])
        .send()
        .await
        .expect("choose");
    let chosen = text(chosen, 200).await;
    assert!(!chosen.contains("data-testid=\"conflict\""));
    assert!(chosen.contains("data-field=\"nama_kepala_keluarga\">SLAMET RIYADI<"));
    assert_eq!(count(&db, "record_versions").await, 4, "every version kept");

    // The merged export: a workbook in the P3KE profile for the regency, the recap.
    let xlsx = web
        .get(format!(
            "{base}/admin/ekspor/unduh?profil=p3ke&wilayah=35.13&format=xlsx"
        ))
        .send()
        .await
        .expect("export");
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("body").to_vec();
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("xlsx");
    let names = book.sheet_names();
    assert!(names.iter().any(|n| n == "p3ke"), "{names:?}");
    let families = book.worksheet_range("keluarga").expect("sheet");
    assert_eq!(families.height(), 2 + 3, "two header rows and three families");
    let recap = text(
        web.get(format!("{base}/admin/ekspor/unduh?profil=lengkap&format=rekap"))
            .send()
            .await
            .expect("rekap"),
        200,
    )
    .await;
    assert!(recap.contains(VILLAGE));
    let empty = web
        .get(format!(
            "{base}/admin/ekspor/unduh?profil=p3ke&wilayah=36&format=xlsx"
        ))
        .send()
        .await
        .expect("export");
    assert!(text(empty, 404).await.contains("tidak ada keluarga"));
    let wrong = web
        .get(format!(
            "{base}/admin/ekspor/unduh?profil=p3ke&wilayah=35-13&format=xlsx"
        ))
        .send()
        .await
        .expect("export");
    assert_eq!(wrong.status(), 400);

    // Revoked from the page: the phone's token stops working.
    let who = verval_hub::enrol::list(&db).await.expect("list")[0].id.clone();
    let revoked = web
        .post(format!("{base}/admin/petugas/{who}/cabut?_t={t}"))
        .send()
        .await
        .expect("revoke");
    assert!(text(revoked, 200).await.contains("1 perangkat"));
    let refused = upload(addr, Some(&enrolment.token), sent.bytes).await;
    assert_eq!(refused.status(), 401);

    // Signed out: pages are closed again.
    web.post(format!("{base}/admin/keluar?_t={t}"))
        .send()
        .await
        .expect("sign out");
    let page = web.get(format!("{base}/admin/ekspor")).send().await.expect("get");
    assert!(page.url().path().ends_with("/admin/masuk"));
}
both!(district_staff_receive_review_and_export);

/// Issue #28: a non-existent village code was accepted for an enumerator, and villages showed
/// as codes. With the app (and its region tables) served, the official table decides.
async fn villages_are_checked_against_the_region_table_and_named(backend: Backend) {
    let db = fresh_db(backend).await;
    // One folder per run: the SQLite and PostgreSQL runs go side by side.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let app = std::env::temp_dir().join(format!("verval-app-{}-{nanos}", std::process::id()));
    let table = app.join(verval_core::offline::table_file("35"));
    std::fs::create_dir_all(table.parent().expect("parent")).expect("dirs");
    std::fs::write(
        &table,
        r#"{"villages":[["35.13.14.2001","Kregenan"],["35.13.14.2002","Rondokuning"]]}"#,
    )
    .expect("table");
    let config = Config {
        app_dir: Some(app.clone()),
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    let (web, t) = signed_in(&db, addr).await;
    let add = |villages: &'static str| {
        web.post(format!("http://{addr}/admin/petugas?_t={t}"))
            .form(&[("nama", "Siti Aminah"), ("desa", villages)])
            .send()
    };
    let refused = text(add("35.13.14.2001\n35.13.14.2099").await.expect("add"), 400).await;
    assert!(
        refused.contains("Desa 35.13.14.2099 tidak ada di tabel wilayah Kemendagri"),
        "{refused}"
    );
    assert!(refused.contains("No village 35.13.14.2099 in the official region table"));
    // A code of no shape at all is told so, not looked up.
    let misshapen = text(add("kode-salah").await.expect("add"), 400).await;
    assert!(misshapen.contains("bukan kode desa/kelurahan"), "{misshapen}");
    let list = shown(&web, addr, "/admin/petugas").await;
    assert!(!list.contains("Siti Aminah"), "nothing made: {list}");

    text(add("35.13.14.2001\n35.13.14.2002").await.expect("add"), 200).await;
    let list = shown(&web, addr, "/admin/petugas").await;
    assert!(
        list.contains("35.13.14.2001 Kregenan, 35.13.14.2002 Rondokuning"),
        "{list}"
    );
    // The households list names its villages too.
    verval_hub::ingest::ingest(
        &db,
        "Hub",
        &batch(&[family(801, VILLAGE)], "device-a").bytes,
        &verval_hub::ingest::limits(32 << 20),
        &verval_hub::ingest::Source::File,
        &verval_hub::audit::Actor::cli(),
        &[],
    )
    .await
    .expect("stored");
    let households = shown(&web, addr, "/admin/keluarga").await;
    assert!(households.contains(">35.13.14.2001 Kregenan<"), "{households}");
    std::fs::remove_dir_all(&app).expect("clean up");
}
both!(villages_are_checked_against_the_region_table_and_named);

/// A district page that must be there.
async fn shown(web: &reqwest::Client, addr: std::net::SocketAddr, path: &str) -> String {
    let (status, page) = get(web, format!("http://{addr}{path}")).await;
    assert_eq!(status, 200, "{path}: {page}");
    page
}

/// A signed-in browser and its form token.
async fn signed_in(db: &verval_hub::db::Db, addr: std::net::SocketAddr) -> (reqwest::Client, String) {
    staff_account(db, "admin", "admin", "", PASSWORD).await;
    let web = browser();
    let answer = web
        .post(format!("http://{addr}/admin/masuk"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    let page = text(answer, 200).await;
    let t = form_token(&page);
    (web, t)
}

async fn district_staff_import_a_prelist(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let (web, t) = signed_in(&db, addr).await;
    let list = "DAFTAR P3KE;;;;\n\
                ID_keluarga_P3KE;kode_kemdagri;nomor_KK;NIK;nama\n\
                P-1;3513142001;3513141203150007;3513140101800001;SLAMET\n\
                ;;;3513144101850002;SITI\n\
                P-2;3513142002;3513141203150017;3513140101800011;BUDI\n";
    let send = |name: &'static str, text: String| {
        let form = reqwest::multipart::Form::new().part(
            "prelist",
            reqwest::multipart::Part::bytes(text.into_bytes()).file_name(name),
        );
        web.post(format!("http://{addr}/admin/prelist?_t={t}"))
            .multipart(form)
            .send()
    };
    let page = text(send("daftar.csv", list.to_owned()).await.expect("upload"), 200).await;
    assert!(page.contains("data-testid=\"prelist-imported\""), "{page}");
    assert!(page.contains("2 keluarga; 2 baru, 0 berubah, 0 tetap"), "{page}");
    assert!(
        page.contains("<td>35.13.14.2001</td><td>1</td><td>0</td>"),
        "{page}"
    );
    let again = text(send("daftar.csv", list.to_owned()).await.expect("upload"), 200).await;
    assert!(again.contains("0 baru, 0 berubah, 2 tetap"), "{again}");

    let damaged = list.replace("3513140101800011", "3.51314E+15");
    let refused = text(send("rusak.csv", damaged).await.expect("upload"), 200).await;
    assert!(refused.contains("data-testid=\"prelist-refused\""), "{refused}");
    assert!(refused.contains("baris 5, kolom D (NIK)"), "{refused}");
    assert_eq!(count(&db, "prelist_families").await, 2, "nothing imported");

    // A village's list in its own words: refused with its first rows under their column
    // letters and the mapping form open; sent again with the letters, it is imported.
    let own = "Daftar warga miskin;;;;\n\
               No;Kartu Keluarga;Nomor Induk;Nama Warga;Kode Wil\n\
               1;3513141203150055;3513140101700055;KARTO;3513142001\n\
               2;;3513144101750056;SARINAH;\n";
    let refused = text(send("desa.csv", own.to_owned()).await.expect("upload"), 200).await;
    assert!(refused.contains("data-testid=\"prelist-refused\""), "{refused}");
    assert!(refused.contains("data-testid=\"prelist-preview\""), "{refused}");
    assert!(
        refused.contains("<th>B</th>") && refused.contains("<td>Kartu Keluarga</td>"),
        "{refused}"
    );
    assert!(
        refused.contains("<details data-testid=\"prelist-mapping\" open>"),
        "{refused}"
    );
    let mapped = |letters: &[(&'static str, &'static str)]| {
        let mut form = reqwest::multipart::Form::new()
            .part(
                "prelist",
                reqwest::multipart::Part::bytes(own.as_bytes().to_vec()).file_name("desa.csv"),
            )
            .text("baris_judul", "2");
        for (field, letter) in letters {
            form = form.text(*field, *letter);
        }
        web.post(format!("http://{addr}/admin/prelist?_t={t}"))
            .multipart(form)
            .send()
    };
    let wrong = text(mapped(&[("kolom_nik", "7C")]).await.expect("upload"), 400).await;
    assert!(wrong.contains("bukan huruf kolom"), "{wrong}");
    let twice = text(
        mapped(&[("kolom_nik", "C"), ("kolom_nomor_kk", "C")])
            .await
            .expect("upload"),
        200,
    )
    .await;
    assert!(twice.contains("dipilih untuk dua isian"), "{twice}");
    assert_eq!(count(&db, "prelist_families").await, 2, "nothing imported");
    let imported = text(
        mapped(&[
            ("kolom_nomor_kk", "B"),
            ("kolom_nik", "C"),
            ("kolom_nama", "D"),
            ("kolom_kode_desa", "E"),
        ])
        .await
        .expect("upload"),
        200,
    )
    .await;
    // The village's new list replaces its old one: P-1 is kept, marked no longer listed.
    assert!(
        imported.contains("desa.csv: 1 keluarga; 1 baru, 0 berubah, 0 tetap, 1 tidak lagi dalam daftar"),
        "{imported}"
    );
    assert_eq!(count(&db, "prelist_families").await, 3);

    // The assignment file for an enumerator of one village, for a phone that never reaches
    // the hub: the app's own reader accepts it, and it holds that village's family only.
    let (siti, _) = verval_hub::enrol::add_enumerator(
        &db,
        "SITI",
        &["35.13.14.2001".to_owned()],
        &verval_hub::audit::Actor::cli(),
    )
    .await
    .expect("enumerator");
    let listed = text(
        web.get(format!("http://{addr}/admin/petugas"))
            .send()
            .await
            .expect("list"),
        200,
    )
    .await;
    let link = format!("/admin/petugas/{}/penugasan.json", siti.id);
    assert!(listed.contains(&link), "{listed}");
    let answer = web
        .get(format!("http://{addr}{link}"))
        .send()
        .await
        .expect("file");
    assert_eq!(answer.status(), 200);
    let disposition = answer.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(
        disposition.contains(&format!("penugasan-{}.json", siti.id)),
        "{disposition}"
    );
    let file = answer.bytes().await.expect("body");
    let assignment = verval_core::campaign::assignment::parse_assignment(&file).expect("an assignment");
    assert_eq!(assignment.enumerator, "SITI");
    let ids: Vec<&str> = assignment
        .families
        .iter()
        .map(|f| f.prelist_id.as_str())
        .collect();
    assert_eq!(ids, ["KK-3513141203150055"], "the village's current list");
    assert_eq!(assignment.families[0].members.len(), 2);
    let unknown = browser()
        .get(format!("http://{addr}{link}"))
        .send()
        .await
        .expect("get");
    assert!(
        unknown.url().path().ends_with("/admin/masuk"),
        "signed out: no file"
    );

    // Signed out, the page is closed.
    let stranger = browser()
        .get(format!("http://{addr}/admin/prelist"))
        .send()
        .await
        .expect("get");
    assert!(stranger.url().path().ends_with("/admin/masuk"));
}
both!(district_staff_import_a_prelist);

/// The pages' HTML comes from maud, which escapes every value: no page builds markup with
/// `format!` (where one forgotten escape is an XSS), marks data as already escaped, or runs
/// SQL of its own (the queries live where the API shares them).
#[test]
fn pages_build_html_only_through_the_template_engine() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut checked = 0;
    for entry in std::fs::read_dir(&ui).expect("src/ui").flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = std::fs::read_to_string(&path).expect("read");
        checked += 1;
        for (line_no, line) in text.lines().enumerate() {
            let at = format!("src/ui/{name}:{}", line_no + 1);
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            assert!(!code.contains("sqlx::query"), "{at}: SQL in a page: {line}");
            assert!(
                !(code.contains("format!(\"<") || code.contains("push_str(\"<")),
                "{at}: HTML built by hand: {line}"
            );
            // The style sheet (a constant) and the QR code's SVG (from a URL, by the qrcode
            // crate, in `app_link::qr_svg`) are the only markup placed unescaped.
            if code.contains("PreEscaped(") {
                assert!(
                    (name == "page.rs" && code.contains("PreEscaped(STYLE)")) || name == "app_link.rs",
                    "{at}: unescaped markup: {line}"
                );
            }
        }
    }
    assert!(checked >= 10, "the pages were found in {}", ui.display());
}
