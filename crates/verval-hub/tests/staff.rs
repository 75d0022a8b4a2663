//! The district team (issue #19): each role against every route, region scopes on lists,
//! counts, household pages and exports, NIK/KK masking for viewers, one-time passwords,
//! disabled accounts and sessions. Against a real hub and both databases.

mod support;

use calamine::Reader;
use std::io::{Cursor, Read};
use support::*;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::HouseholdRecord;
use verval_hub::audit::Actor;
use verval_hub::db::Db;
use verval_hub::ingest::{ingest, limits, Source};
use verval_hub::Config;

const PASSWORD: &str = "kata-sandi-staf-1";
/// The kecamatan the supervisor and the viewer are given.
const KECAMATAN: &str = "35.13.14";
/// A village of the neighbouring kecamatan.
const NEIGHBOUR: &str = "35.13.15.2001";
const NIK: &str = "3513141203580001";
const KK: &str = "3513141203150007";

/// Two households: one in [`KECAMATAN`], one next door under another name.
async fn two_households(db: &Db) -> (HouseholdRecord, HouseholdRecord) {
    let mine = family(701, VILLAGE);
    let other = corrected(&family(702, NEIGHBOUR), NAMA_KEPALA_KELUARGA, "BUDI TETANGGA");
    stored(db, &[mine.clone(), other.clone()]).await;
    (mine, other)
}

/// `records` stored at the hub, as a batch file brings them.
async fn stored(db: &Db, records: &[HouseholdRecord]) {
    ingest(
        db,
        "Hub",
        &batch(records, "device-a").bytes,
        &limits(32 << 20),
        &Source::File,
        &Actor::cli(),
        &[],
    )
    .await
    .expect("stored");
}

/// One account of each role; the supervisor and the viewer for [`KECAMATAN`].
async fn the_team(db: &Db) {
    for (username, role) in [
        ("admin", "admin"),
        ("operator", "operator"),
        ("verifikator", "verifikator"),
        ("supervisor", "supervisor"),
        ("viewer", "viewer"),
    ] {
        let wilayah = if matches!(role, "supervisor" | "viewer") {
            KECAMATAN
        } else {
            ""
        };
        staff_account(db, username, role, wilayah, PASSWORD).await;
    }
}

enum Send {
    Get,
    Form(&'static [(&'static str, &'static str)]),
    Files,
}

use Send::*;

const ALL: &[&str] = &["admin", "operator", "verifikator", "supervisor", "viewer"];

/// Every district route, with the roles that may use it. `{id}` is a household of the
/// kecamatan; other ids are unknown, so that a permitted change finds nothing to change.
const ROUTES: &[(&str, Send, &[&str])] = &[
    ("/admin", Get, ALL),
    ("/admin/kemajuan.xlsx", Get, ALL),
    ("/admin/bukti", Get, ALL),
    ("/admin/peta?wilayah=35.13.14", Get, ALL),
    ("/admin/ronde", Form(&[("mulai", "x")]), &["admin", "operator"]),
    ("/admin/target", Form(&[("target", "x")]), &["admin", "operator"]),
    ("/admin/ganda", Get, ALL),
    (
        "/admin/ganda/putuskan",
        Form(&[
            ("pertama", "x"),
            ("kedua", "y"),
            ("revisi_pertama", "1"),
            ("revisi_kedua", "1"),
            ("keputusan", "berbeda"),
        ]),
        &["admin", "verifikator", "supervisor"],
    ),
    ("/admin/keluarga", Get, ALL),
    ("/admin/keluarga/{id}", Get, ALL),
    ("/admin/keluarga/{id}/foto/foto_rumah_depan", Get, ALL),
    (
        "/admin/keluarga/tidak-ada/tinjauan",
        Form(&[("review", "disetujui"), ("revision", "1")]),
        &["admin", "verifikator", "supervisor"],
    ),
    (
        "/admin/keluarga/tidak-ada/versi",
        Form(&[("revision", "1"), ("sha256", "x")]),
        &["admin", "verifikator"],
    ),
    ("/admin/tanda-terima/tidak-ada", Get, &["admin", "operator"]),
    ("/admin/segel", Get, &["admin", "operator"]),
    ("/admin/segel/buka", Form(&[("kata_sandi", "x")]), &["admin"]),
    ("/admin/segel/kunci", Form(&[]), &["admin"]),
    ("/admin/unggah", Get, &["admin", "operator"]),
    ("/admin/unggah", Files, &["admin", "operator"]),
    ("/admin/prelist", Get, &["admin", "operator"]),
    ("/admin/prelist", Files, &["admin", "operator"]),
    ("/admin/petugas", Get, &["admin", "operator"]),
    (
        "/admin/petugas",
        Form(&[("nama", ""), ("desa", "")]),
        &["admin", "operator"],
    ),
    ("/admin/petugas/tidak-ada/kode", Form(&[]), &["admin", "operator"]),
    (
        "/admin/petugas/tidak-ada/cabut",
        Form(&[]),
        &["admin", "operator"],
    ),
    (
        "/admin/petugas/tidak-ada/penugasan.json",
        Get,
        &["admin", "operator"],
    ),
    (
        "/admin/tinjauan-hp",
        Get,
        &["admin", "operator", "verifikator", "supervisor"],
    ),
    (
        "/admin/tinjauan-hp/tidak-ada",
        Get,
        &["admin", "operator", "verifikator", "supervisor"],
    ),
    ("/admin/ekspor", Get, ALL),
    ("/admin/ekspor/unduh?profil=tidak-ada&format=xlsx", Get, ALL),
    ("/admin/akun", Get, &["admin"]),
    (
        "/admin/akun",
        Form(&[("username", "x"), ("nama", ""), ("peran", "viewer")]),
        &["admin"],
    ),
    ("/admin/akun/tidak-ada/nonaktif", Form(&[]), &["admin"]),
    ("/admin/akun/tidak-ada/aktif", Form(&[]), &["admin"]),
    ("/admin/akun/tidak-ada/reset", Form(&[]), &["admin"]),
    ("/admin/audit", Get, &["admin"]),
    ("/admin/audit/unduh", Get, &["admin"]),
    ("/admin/sesi", Get, ALL),
    ("/admin/sesi/tidak-ada/akhiri", Form(&[]), ALL),
    ("/admin/sandi", Get, ALL),
];

async fn every_role_meets_every_route(backend: Backend) {
    let db = fresh_db(backend).await;
    let (mine, _) = two_households(&db).await;
    the_team(&db).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let id = mine.id.to_string();
    for role in ALL {
        let (web, t) = signed_in(&base, role, PASSWORD).await;
        for (path, send, allowed) in ROUTES {
            let path = path.replace("{id}", &id);
            let answer = match send {
                Get => web.get(format!("{base}{path}")).send(),
                Form(fields) => web.post(format!("{base}{path}?_t={t}")).form(fields).send(),
                Files => web
                    .post(format!("{base}{path}?_t={t}"))
                    .multipart(reqwest::multipart::Form::new().text("catatan", ""))
                    .send(),
            }
            .await
            .expect("request");
            let status = answer.status().as_u16();
            let body = answer.text().await.expect("body");
            if allowed.contains(role) {
                assert_ne!(status, 403, "{role} may use {path}: {body}");
            } else {
                assert_eq!(status, 403, "{role} may not use {path}");
                for secret in ["SLAMET", KK, NIK, id.as_str()] {
                    assert!(!body.contains(secret), "{role} sees {secret} at {path}");
                }
            }
        }
    }
}
both!(every_role_meets_every_route);

/// The sheets of an XLSX file, every cell as text.
fn workbook_cells(bytes: &[u8]) -> Vec<String> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        cells.extend(range.rows().flatten().map(|c| c.to_string()));
    }
    cells
}

/// Every CSV file of an export zip, as one text.
fn zip_csv_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("zip");
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        if entry.name().expect("entry name").ends_with(".csv") {
            entry.read_to_string(&mut text).expect("csv");
        }
    }
    text
}

async fn download(web: &reqwest::Client, url: String) -> (u16, Vec<u8>) {
    let answer = web.get(url).send().await.expect("download");
    (
        answer.status().as_u16(),
        answer.bytes().await.expect("bytes").to_vec(),
    )
}

async fn a_supervisor_sees_and_reviews_only_their_kecamatan(backend: Backend) {
    let db = fresh_db(backend).await;
    let (mine, other) = two_households(&db).await;
    the_team(&db).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "supervisor", PASSWORD).await;
    let (mine_id, other_id) = (mine.id.to_string(), other.id.to_string());

    // The list and its counts.
    let (_, list) = get(&web, format!("{base}/admin/keluarga")).await;
    assert!(list.contains(&mine_id), "{list}");
    assert!(!list.contains(&other_id), "{list}");
    assert!(!list.contains("BUDI TETANGGA"), "{list}");
    assert!(!list.contains("35.13.15"), "not even in a count: {list}");
    assert!(list.contains("data-testid=\"matching\">1 keluarga"), "{list}");
    let (_, asked) = get(&web, format!("{base}/admin/keluarga?desa={NEIGHBOUR}")).await;
    assert!(asked.contains("data-testid=\"matching\">0 keluarga"), "{asked}");

    // The neighbour's page is not there for them, nor can they review it.
    let (status, page) = get(&web, format!("{base}/admin/keluarga/{other_id}")).await;
    assert_eq!(status, 404);
    assert!(!page.contains("BUDI TETANGGA"));
    let review = web
        .post(format!("{base}/admin/keluarga/{other_id}/tinjauan?_t={t}"))
        .form(&[
            ("review", "disetujui"),
            ("revision", "1"),
            ("note", "bukan wilayah saya"),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(review.status(), 404);
    let untouched: String = sqlx::query_scalar("SELECT review FROM records WHERE record_id = $1")
        .bind(&other_id)
        .fetch_one(&db.pool)
        .await
        .expect("review");
    assert_eq!(untouched, "diterima");
    // Their own kecamatan: seen in full, reviewed.
    let (status, page) = get(&web, format!("{base}/admin/keluarga/{mine_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(NIK), "a supervisor sees identity numbers");
    let review = web
        .post(format!("{base}/admin/keluarga/{mine_id}/tinjauan?_t={t}"))
        .form(&[
            ("review", "perlu_perbaikan"),
            ("revision", "1"),
            ("note", "foto KK buram"),
        ])
        .send()
        .await
        .expect("review");
    assert_eq!(review.status(), 303);

    // Every export profile, every format: only their kecamatan, even when asked for more.
    for profile in verval_core::export::Profile::ALL {
        let p = profile.id();
        let (status, zip) = download(
            &web,
            format!("{base}/admin/ekspor/unduh?profil={p}&wilayah=35.13&format=zip"),
        )
        .await;
        assert_eq!(status, 200, "{p}");
        let csv = zip_csv_text(&zip);
        assert!(
            !csv.contains(&other_id) && !csv.contains("BUDI TETANGGA"),
            "{p}: {csv}"
        );
        assert!(csv.contains("SLAMET RIYADI"), "{p}");
        let (_, xlsx) = download(&web, format!("{base}/admin/ekspor/unduh?profil={p}&format=xlsx")).await;
        let cells = workbook_cells(&xlsx);
        assert!(
            !cells
                .iter()
                .any(|c| c.contains("BUDI TETANGGA") || c.contains(&other_id)),
            "{p}"
        );
        assert!(cells.iter().any(|c| c == "SLAMET RIYADI"), "{p}");
    }
    let (_, recap) = download(
        &web,
        format!("{base}/admin/ekspor/unduh?profil=lengkap&format=rekap"),
    )
    .await;
    let recap = String::from_utf8(recap).expect("csv");
    assert!(!recap.contains("35.13.15"), "{recap}");
    let (status, _) = download(
        &web,
        format!("{base}/admin/ekspor/unduh?profil=lengkap&wilayah=35.13.15&format=xlsx"),
    )
    .await;
    assert_eq!(status, 404, "the neighbour's region is empty for them");

    // The district's verifikator sees both.
    let (district, _) = signed_in(&base, "verifikator", PASSWORD).await;
    let (_, list) = get(&district, format!("{base}/admin/keluarga")).await;
    assert!(list.contains(&mine_id) && list.contains(&other_id), "{list}");
}
both!(a_supervisor_sees_and_reviews_only_their_kecamatan);

async fn viewers_see_identity_numbers_masked(backend: Backend) {
    let db = fresh_db(backend).await;
    let (mine, _) = two_households(&db).await;
    the_team(&db).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, _) = signed_in(&base, "viewer", PASSWORD).await;
    let masked_kk = "3513**********07";
    let masked_nik = "3513**********01";

    let (_, list) = get(&web, format!("{base}/admin/keluarga")).await;
    assert!(list.contains(masked_kk) && !list.contains(KK), "{list}");
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{}", mine.id)).await;
    assert!(page.contains(masked_nik) && page.contains(masked_kk), "{page}");
    assert!(!page.contains(NIK) && !page.contains(KK), "{page}");
    assert!(
        !page.contains("data-testid=\"save-review\""),
        "a viewer does not review"
    );

    for profile in verval_core::export::Profile::ALL {
        let p = profile.id();
        let (_, zip) = download(&web, format!("{base}/admin/ekspor/unduh?profil={p}&format=zip")).await;
        let csv = zip_csv_text(&zip);
        assert!(!csv.contains(NIK) && !csv.contains(KK), "{p}: {csv}");
        assert!(csv.contains(masked_nik), "{p}: the column is there, masked");
        let (_, xlsx) = download(&web, format!("{base}/admin/ekspor/unduh?profil={p}&format=xlsx")).await;
        let cells = workbook_cells(&xlsx);
        assert!(!cells.iter().any(|c| c.contains(NIK) || c.contains(KK)), "{p}");
        assert!(cells.iter().any(|c| c == masked_nik), "{p}");
    }
    let events = verval_hub::audit::find(
        &db,
        &verval_hub::audit::Filter {
            actor: Some("viewer".to_owned()),
            action: Some(verval_hub::audit::Action::Export),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("trail")
    .1;
    assert_eq!(events.len(), 6);
    assert!(events
        .iter()
        .all(|e| e.detail.contains("\"nik\":false") && e.detail.contains("\"disamarkan\":true")));

    // The operator's export of the same carries them, and says so.
    let (operator, _) = signed_in(&base, "operator", PASSWORD).await;
    let (_, zip) = download(
        &operator,
        format!("{base}/admin/ekspor/unduh?profil=p3ke&format=zip"),
    )
    .await;
    assert!(zip_csv_text(&zip).contains(NIK));
}
both!(viewers_see_identity_numbers_masked);

/// A family not found is exported in the P3KE profile with its members as the prelist
/// listed them (issue #27): their NIK and KK are masked for a viewer like the visit's own,
/// though no answer of the visit holds them.
async fn listed_members_of_a_family_not_found_are_masked(backend: Backend) {
    use verval_core::campaign::link::PrelistLink;
    use verval_core::form::default::STATUS_VERIFIKASI;
    use verval_core::prelist::{PrelistFamily, PrelistMember};
    use verval_core::record::Timestamp;
    const LISTED_NIK: &str = "3513149999990077";
    const LISTED_KK: &str = "3513149999990099";
    let db = fresh_db(backend).await;
    let mut record = family(705, "35.13.14.2001");
    let now = Timestamp(1_795_800_000_000);
    record.start_correction(now);
    record.set_answer(STATUS_VERIFIKASI, "6", now);
    record.prelist = Some(PrelistLink {
        family: PrelistFamily {
            prelist_id: "P3KE-TIDAK-DITEMUKAN".into(),
            nomor_kk: Some(LISTED_KK.into()),
            kode_desa: "35.13.14.2001".into(),
            alamat: String::new(),
            rt: String::new(),
            rw: String::new(),
            desil: "1".into(),
            members: vec![PrelistMember {
                row: 4,
                nik: Some(LISTED_NIK.into()),
                nama: "WARSIDI TERDAFTAR".into(),
                hubungan: "Kepala Keluarga".into(),
                jenis_kelamin: "Laki-laki".into(),
                tanggal_lahir: "1960-01-01".into(),
                id_individu: "IND-99".into(),
                padan_dukcapil: "Padan".into(),
            }],
            housing: Default::default(),
            programmes: Vec::new(),
        },
        member_rows: Vec::new(),
    });
    record.finalize(now);
    stored(&db, &[record]).await;
    the_team(&db).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let url = format!("{base}/admin/ekspor/unduh?profil=p3ke&format=zip");

    let (operator, _) = signed_in(&base, "operator", PASSWORD).await;
    let (_, zip) = download(&operator, url.clone()).await;
    let csv = zip_csv_text(&zip);
    assert!(
        csv.contains("WARSIDI TERDAFTAR") && csv.contains("IND-99"),
        "named as listed: {csv}"
    );
    assert!(csv.contains(LISTED_NIK) && csv.contains(LISTED_KK), "{csv}");

    let (viewer, _) = signed_in(&base, "viewer", PASSWORD).await;
    let (_, zip) = download(&viewer, url).await;
    let csv = zip_csv_text(&zip);
    assert!(csv.contains("WARSIDI TERDAFTAR"), "{csv}");
    assert!(!csv.contains(LISTED_NIK) && !csv.contains(LISTED_KK), "{csv}");
    assert!(
        csv.contains("3513**********77"),
        "the listed NIK is there, masked: {csv}"
    );
    // Nor in any other profile's files (the list-against-visit table names listed values).
    for profile in verval_core::export::Profile::ALL {
        let p = profile.id();
        let (_, zip) = download(
            &viewer,
            format!("{base}/admin/ekspor/unduh?profil={p}&format=zip"),
        )
        .await;
        let csv = zip_csv_text(&zip);
        assert!(
            !csv.contains(LISTED_NIK) && !csv.contains(LISTED_KK),
            "{p}: {csv}"
        );
    }
}
both!(listed_members_of_a_family_not_found_are_masked);

/// The household list's search (issue #28): part of a name in any case, a whole KK or any
/// member's NIK, each within the reader's region; a number only for roles that may see it.
async fn staff_search_by_name_nik_and_kk(backend: Backend) {
    let db = fresh_db(backend).await;
    let (mine, other) = two_households(&db).await;
    the_team(&db).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let matching = |page: &str| -> String {
        let mark = "data-testid=\"matching\">";
        let at = page.find(mark).expect("a count") + mark.len();
        page[at..].split(' ').next().unwrap_or_default().to_owned()
    };
    let (admin, _) = signed_in(&base, "admin", PASSWORD).await;
    let (_, page) = get(&admin, format!("{base}/admin/keluarga?cari=budi")).await;
    assert_eq!(matching(&page), "1", "part of a name, any case");
    assert!(page.contains(&other.id.to_string()) && !page.contains(&mine.id.to_string()));
    let (_, page) = get(&admin, format!("{base}/admin/keluarga?cari=%25")).await;
    assert_eq!(matching(&page), "0", "% is a character, not a wildcard");
    // The wife's NIK is in both families; the KK too.
    let wife = "3513144507960002";
    let (_, page) = get(&admin, format!("{base}/admin/keluarga?cari={wife}")).await;
    assert_eq!(matching(&page), "2", "a member's NIK: {page}");
    let (_, page) = get(&admin, format!("{base}/admin/keluarga?cari={KK}")).await;
    assert_eq!(matching(&page), "2", "the KK");
    let (_, page) = get(&admin, format!("{base}/admin/keluarga?cari=3513149999999999")).await;
    assert_eq!(matching(&page), "0");

    // The supervisor finds only their kecamatan's; the viewer may not search by number.
    let (supervisor, _) = signed_in(&base, "supervisor", PASSWORD).await;
    let (_, page) = get(&supervisor, format!("{base}/admin/keluarga?cari={wife}")).await;
    assert_eq!(matching(&page), "1");
    let (viewer, _) = signed_in(&base, "viewer", PASSWORD).await;
    let (_, page) = get(&viewer, format!("{base}/admin/keluarga?cari={NIK}")).await;
    assert!(page.contains("data-testid=\"search-refused\""), "{page}");
    let (_, page) = get(&viewer, format!("{base}/admin/keluarga?cari=slamet")).await;
    assert_eq!(matching(&page), "1", "by name it may");
}
both!(staff_search_by_name_nik_and_kk);

async fn accounts_one_time_passwords_disabling_and_sessions(backend: Backend) {
    let db = fresh_db(backend).await;
    two_households(&db).await;
    staff_account(&db, "admin", "admin", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (admin, t) = signed_in(&base, "admin", PASSWORD).await;

    // A supervisor without a region is refused; with one, made, its password shown once.
    let refused = admin
        .post(format!("{base}/admin/akun?_t={t}"))
        .form(&[
            ("username", "korcam.dringu"),
            ("nama", "Korcam Dringu"),
            ("peran", "supervisor"),
            ("wilayah", ""),
        ])
        .send()
        .await
        .expect("add");
    assert_eq!(refused.status(), 400);
    // An operator works for the whole district: a region would be a limit its pages (the
    // enumerators, prelists and uploads) do not keep, so none is taken.
    let refused = admin
        .post(format!("{base}/admin/akun?_t={t}"))
        .form(&[
            ("username", "operator.dringu"),
            ("nama", "Operator Dringu"),
            ("peran", "operator"),
            ("wilayah", KECAMATAN),
        ])
        .send()
        .await
        .expect("add");
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.expect("page").contains("seluruh kabupaten"));
    // A form with a field missing is answered by a page in both languages (axum's own
    // answer was a line of English on a blank page), and nothing is made.
    let refused = admin
        .post(format!("{base}/admin/akun?_t={t}"))
        .form(&[("username", "tanpa.nama")])
        .send()
        .await
        .expect("add");
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(
        page.contains("Isian formulir tidak terbaca; tidak ada yang diubah."),
        "{page}"
    );
    assert!(page.contains("The form could not be read"), "{page}");
    assert!(page.contains("<html"), "a page, not a line of text: {page}");
    let (_, accounts) = get(&admin, format!("{base}/admin/akun")).await;
    assert!(!accounts.contains("tanpa.nama"), "nothing made");
    let made = admin
        .post(format!("{base}/admin/akun?_t={t}"))
        .form(&[
            ("username", "Korcam.Dringu"),
            ("nama", "Korcam Dringu"),
            ("peran", "supervisor"),
            ("wilayah", KECAMATAN),
        ])
        .send()
        .await
        .expect("add")
        .text()
        .await
        .expect("page");
    let one_time = made
        .split("data-testid=\"one-time-password\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the one-time password")
        .to_owned();
    assert!(one_time.len() >= 10);

    // The first sign-in goes to the password page, and every other page too, until changed.
    let korcam = staff_browser();
    let first = korcam
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "korcam.dringu"), ("password", one_time.as_str())])
        .send()
        .await
        .expect("sign in");
    assert_eq!(first.headers()["location"], "/admin/sandi");
    let elsewhere = korcam
        .get(format!("{base}/admin/keluarga"))
        .send()
        .await
        .expect("list");
    assert_eq!(elsewhere.status(), 303);
    assert_eq!(elsewhere.headers()["location"], "/admin/sandi");
    let form = korcam
        .get(format!("{base}/admin/sandi"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("page");
    assert!(form.contains("data-testid=\"must-change-password\""));
    let kt = form
        .split("?_t=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("token")
        .to_owned();
    let mismatch = korcam
        .post(format!("{base}/admin/sandi?_t={kt}"))
        .form(&[
            ("sandi_lama", one_time.as_str()),
            ("sandi_baru", "sandi-korcam-baru"),
            ("sandi_ulang", "sandi-lain-lagi"),
        ])
        .send()
        .await
        .expect("change");
    assert_eq!(mismatch.status(), 400);
    let changed = korcam
        .post(format!("{base}/admin/sandi?_t={kt}"))
        .form(&[
            ("sandi_lama", one_time.as_str()),
            ("sandi_baru", "sandi-korcam-baru"),
            ("sandi_ulang", "sandi-korcam-baru"),
        ])
        .send()
        .await
        .expect("change");
    assert_eq!(changed.status(), 303);
    assert_eq!(changed.headers()["location"], "/admin");
    let (status, list) = get(&korcam, format!("{base}/admin/keluarga")).await;
    assert_eq!(status, 200);
    assert!(list.contains("data-testid=\"matching\">1 keluarga"), "{list}");
    let old = staff_browser()
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "korcam.dringu"), ("password", one_time.as_str())])
        .send()
        .await
        .expect("sign in");
    assert_eq!(old.status(), 401, "the one-time password is spent");

    // Two browsers: listed; one ended from the other.
    let (second, st) = signed_in(&base, "korcam.dringu", "sandi-korcam-baru").await;
    let (_, sessions) = get(&second, format!("{base}/admin/sesi")).await;
    assert_eq!(
        sessions.matches("data-testid=\"end-session\"").count(),
        2,
        "{sessions}"
    );
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM sessions WHERE username = 'korcam.dringu' ORDER BY created_at")
            .fetch_all(&db.pool)
            .await
            .expect("ids");
    let ended = second
        .post(format!("{base}/admin/sesi/{}/akhiri?_t={st}", ids[0]))
        .send()
        .await
        .expect("end");
    assert_eq!(ended.status(), 303);
    let gone = korcam
        .get(format!("{base}/admin/keluarga"))
        .send()
        .await
        .expect("list");
    assert_eq!(
        gone.headers()["location"],
        "/admin/masuk",
        "the ended session is signed out"
    );
    // Nobody but an admin ends another account's session.
    let admin_session: String = sqlx::query_scalar("SELECT id FROM sessions WHERE username = 'admin'")
        .fetch_one(&db.pool)
        .await
        .expect("admin session");
    let not_theirs = second
        .post(format!("{base}/admin/sesi/{admin_session}/akhiri?_t={st}"))
        .send()
        .await
        .expect("end");
    assert_eq!(not_theirs.status(), 404);

    // Disabled: its session ends at once, and it cannot sign in; enabled again, it can.
    let disabled = admin
        .post(format!("{base}/admin/akun/korcam.dringu/nonaktif?_t={t}"))
        .send()
        .await
        .expect("disable");
    assert_eq!(disabled.status(), 303);
    assert_eq!(count_sessions(&db, "korcam.dringu").await, 0);
    let out = second
        .get(format!("{base}/admin/keluarga"))
        .send()
        .await
        .expect("list");
    assert_eq!(out.headers()["location"], "/admin/masuk");
    let refused = staff_browser()
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", "korcam.dringu"), ("password", "sandi-korcam-baru")])
        .send()
        .await
        .expect("sign in");
    assert_eq!(refused.status(), 401);
    admin
        .post(format!("{base}/admin/akun/korcam.dringu/aktif?_t={t}"))
        .send()
        .await
        .expect("enable");
    signed_in(&base, "korcam.dringu", "sandi-korcam-baru").await;

    // A reset: a new one-time password, the old sessions gone.
    let reset = admin
        .post(format!("{base}/admin/akun/korcam.dringu/reset?_t={t}"))
        .send()
        .await
        .expect("reset")
        .text()
        .await
        .expect("page");
    assert!(reset.contains("data-testid=\"one-time-password\""));
    assert_eq!(count_sessions(&db, "korcam.dringu").await, 0);

    // The last admin cannot be disabled.
    let last = admin
        .post(format!("{base}/admin/akun/admin/nonaktif?_t={t}"))
        .send()
        .await
        .expect("disable");
    assert_eq!(last.status(), 409);
    assert_eq!(count_sessions(&db, "admin").await, 1);
}
both!(accounts_one_time_passwords_disabling_and_sessions);

async fn count_sessions(db: &Db, username: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await
        .expect("count")
}
