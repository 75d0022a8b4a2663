//! What the hub's tests share: a fresh database of either kind, a hub on 127.0.0.1, enrolled
//! devices, and families packed into real batches by the core's builder.
#![allow(dead_code)]

pub mod district;
pub mod proxy;
pub mod zips;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use verval_core::campaign::link::PrelistLink;
use verval_core::export::{BatchBuilder, BatchMeta, BuiltBatch, Profile};
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::form::default::example::example_family;
use verval_core::form::default::{ART, DEFAULT_FORM, KODE_DESA, NAMA, NIK, TANGGAL_LAHIR};
use verval_core::prelist::PrelistFamily;
use verval_core::sync::api::{
    Assignment, EnrolRequest, Enrolment, ASSIGNMENT_PATH, BATCHES_PATH, ENROL_PATH,
};
use verval_core::{FieldId, HouseholdRecord, RecordId, Timestamp};
use verval_hub::db::Db;
use verval_hub::{enrol, Config, Hub};

pub const VILLAGE: &str = "35.13.14.2001";
pub const OTHER_VILLAGE: &str = "35.13.14.2002";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend: `both!(name_of_async_fn)`.
#[macro_export]
macro_rules! both {
    ($case:ident) => {
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$case($crate::support::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$case($crate::support::Backend::Postgres).await;
            }
        }
    };
}

static UNIQUE: AtomicU64 = AtomicU64::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    )
}

/// The URL of an empty database of `backend`. PostgreSQL comes from
/// `VERVAL_TEST_POSTGRES_URL` (scripts/with-postgres starts a throwaway server and sets it);
/// each call creates a new database there.
pub async fn fresh_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique_name("verval-hub-test"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}", dir.join("hub.sqlite").display())
        }
        Backend::Postgres => {
            let base = std::env::var("VERVAL_TEST_POSTGRES_URL").expect(
                "VERVAL_TEST_POSTGRES_URL is not set: run the hub tests through \
                 scripts/with-postgres (scripts/test does), which starts PostgreSQL",
            );
            verval_hub::db::create_postgres_database(&base, &unique_name("verval_test"))
                .await
                .expect("create a test database")
        }
    }
}

pub async fn fresh_db(backend: Backend) -> Db {
    Db::open(&fresh_url(backend).await)
        .await
        .expect("open the hub database")
}

/// A hub serving `db` on 127.0.0.1 with an ephemeral port; runs until the test ends.
pub async fn start_hub(db: Db, config: Config) -> SocketAddr {
    let listener = verval_hub::server::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let limits = config.server;
    let hub = Hub::new(db, config);
    tokio::spawn(async move {
        verval_hub::server::serve(
            listener,
            verval_hub::router(hub),
            limits,
            None,
            std::future::pending(),
        )
        .await
        .expect("serve");
    });
    addr
}

pub fn client() -> reqwest::Client {
    // A new connection per request: the fault proxy acts on whole connections.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::CONNECTION,
        reqwest::header::HeaderValue::from_static("close"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// An enumerator for `villages` and a device enrolled through the API.
pub async fn enrolled(db: &Db, addr: SocketAddr, villages: &[&str], device_id: &str) -> Enrolment {
    let villages: Vec<String> = villages.iter().map(|v| (*v).to_owned()).collect();
    let (_, code) = enrol::add_enumerator(db, "Siti Aminah", &villages, &verval_hub::audit::Actor::cli())
        .await
        .expect("add enumerator");
    enrol_with(addr, code, device_id).await
}

/// The enrolled device's assignment, as the phone downloads it.
pub async fn assignment(addr: SocketAddr, token: &str) -> Assignment {
    let answer = client()
        .get(format!("http://{addr}{ASSIGNMENT_PATH}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("assignment");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("assignment body")
}

/// A device enrolled through the API with a code district staff made.
pub async fn enrol_with(addr: SocketAddr, code: String, device_id: &str) -> Enrolment {
    let answer = client()
        .post(format!("http://{addr}{ENROL_PATH}"))
        .json(&EnrolRequest {
            code,
            device_id: device_id.to_owned(),
        })
        .send()
        .await
        .expect("enrol request");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("enrolment body")
}

/// An empty database of `backend` (its URL, to open it again) with the prelist `csv`
/// imported, and the prelist as read.
pub async fn prelisted(backend: Backend, csv: &str) -> (String, Db, verval_core::prelist::Prelist) {
    let url = fresh_url(backend).await;
    let db = Db::open(&url).await.expect("open");
    let list = verval_hub::prelist::read_file("daftar.csv", csv.as_bytes()).expect("prelist");
    verval_hub::prelist::import(&db, "daftar.csv", &list, &verval_hub::audit::Actor::cli())
        .await
        .expect("import");
    (url, db, list)
}

/// A finalized family (the core's example) with its own id, in `village`.
pub fn family(seed: u64, village: &str) -> HouseholdRecord {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..].copy_from_slice(&seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    let mut record = example_family(RecordId::from_random_bytes(bytes));
    record.set_answer(KODE_DESA, village, Timestamp(1_795_600_000_000));
    record.finalize(Timestamp(1_795_600_000_000));
    record
}

/// A household of its own: a card, a head with a birth date, two members' NIKs.
pub fn household(seed: u64, village: &str, kk: &str, head: (&str, &str), niks: [&str; 2]) -> HouseholdRecord {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = 0xd1;
    let now = Timestamp(1_795_600_000_000);
    let mut r = example_family(RecordId::from_random_bytes(bytes));
    r.set_answer(KODE_DESA, village, now);
    r.set_answer(NOMOR_KK, kk, now);
    r.set_answer(NAMA_KEPALA_KELUARGA, head.0, now);
    let keys: Vec<u32> = r.repeats.rows(ART).iter().map(|row| row.key).collect();
    r.set_row_answer(ART, keys[0], NAMA, head.0, now);
    r.set_row_answer(ART, keys[0], TANGGAL_LAHIR, head.1, now);
    for (key, nik) in keys.iter().zip(niks) {
        r.set_row_answer(ART, *key, NIK, nik, now);
    }
    for key in &keys[2..] {
        r.set_row_answer(ART, *key, NIK, "", now);
    }
    r.finalize(now);
    r
}

/// `r` as a visit to the prelist's `family`.
pub fn visiting(mut r: HouseholdRecord, family: &PrelistFamily) -> HouseholdRecord {
    r.prelist = Some(PrelistLink {
        family: family.clone(),
        member_rows: Vec::new(),
    });
    r
}

/// `record` corrected once: its next revision with `field` changed, finalized again.
pub fn corrected(record: &HouseholdRecord, field: FieldId, value: &str) -> HouseholdRecord {
    let mut next = record.clone();
    let now = Timestamp(1_795_700_000_000);
    next.start_correction(now);
    next.set_answer(field, value, now);
    next.finalize(now);
    next
}

static BATCH_SEQ: AtomicU64 = AtomicU64::new(1);

/// A real batch of `records` made on `device_id`, with a fresh batch id.
pub fn batch(records: &[HouseholdRecord], device_id: &str) -> BuiltBatch {
    batch_with_photos(records, device_id, &mut |_| None)
}

/// [`batch`], with each photo the phone keeps under a key given by `photo`.
pub fn batch_with_photos(
    records: &[HouseholdRecord],
    device_id: &str,
    photo: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
) -> BuiltBatch {
    built(records, device_id, photo, None)
}

/// [`batch`], carrying the phone's village meetings (`MusdesUpload` as JSON), as a phone
/// with no hub hands them over; `records` may be empty.
pub fn batch_with_meetings(records: &[HouseholdRecord], device_id: &str, meetings: String) -> BuiltBatch {
    built(records, device_id, &mut |_| None, Some(meetings))
}

fn built(
    records: &[HouseholdRecord],
    device_id: &str,
    photo: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    meetings: Option<String>,
) -> BuiltBatch {
    let seq = BATCH_SEQ.fetch_add(1, Ordering::Relaxed);
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&seq.to_le_bytes());
    id[8..].copy_from_slice(&(std::process::id() as u64).to_le_bytes());
    let meta = BatchMeta {
        batch_id: RecordId::from_random_bytes(id),
        app_version: "test".to_owned(),
        enumerator: String::new(),
        device_id: device_id.to_owned(),
        sequence: seq as u32,
        created_at: Timestamp(1_795_600_000_000),
        utc_offset_minutes: 420,
        profile: Profile::Lengkap,
    };
    let mut builder = BatchBuilder::new(&DEFAULT_FORM, meta);
    for r in records {
        builder.add(r.clone(), photo).expect("add record");
    }
    if let Some(meetings) = meetings {
        builder.add_meetings(meetings);
    }
    builder.finish().expect("build batch")
}

/// A batch file as the upload page's form sends it (field `berkas`).
pub fn zip_part(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/zip")
            .expect("mime"),
    )
}

pub async fn upload(addr: SocketAddr, token: Option<&str>, body: Vec<u8>) -> reqwest::Response {
    let mut request = client().post(format!("http://{addr}{BATCHES_PATH}")).body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("upload request")
}

/// Rows in a table.
pub async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

/// Runs `command` to its end and returns what it printed; a failure names `what` and shows
/// its standard error.
pub fn run_ok(command: &mut std::process::Command, what: &str) -> std::process::Output {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// A staff account with a password of its own (not a one-time one): `role` and `wilayah`
/// as `verval-hub user add` takes them.
pub async fn staff_account(db: &Db, username: &str, role: &str, wilayah: &str, password: &str) {
    let new = verval_hub::staff::NewAccount {
        username,
        name: username,
        role,
        wilayah,
    };
    verval_hub::staff::add(db, &new, Some(password), &verval_hub::audit::Actor::cli())
        .await
        .expect("add a staff account");
}

/// A browser for district pages that keeps its cookies and does not follow redirects: each
/// request is one action, and where it sends the user can be checked.
pub fn staff_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The form token the hub put in a signed-in page's forms (`ui::guard`).
pub fn form_token(page: &str) -> String {
    let start = page.find("?_t=").expect("a form token") + 4;
    page[start..].split('"').next().expect("token").to_owned()
}

/// A staff browser signed in as `username`, and its form token.
pub async fn signed_in(base: &str, username: &str, password: &str) -> (reqwest::Client, String) {
    let web = staff_browser();
    let answer = web
        .post(format!("{base}/admin/masuk"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(answer.status(), 303, "{username} signs in");
    let page = web
        .get(format!("{base}/admin/sesi"))
        .send()
        .await
        .expect("own page")
        .text()
        .await
        .expect("page");
    (web, form_token(&page))
}

/// A page and its status.
pub async fn get(web: &reqwest::Client, url: String) -> (u16, String) {
    let answer = web.get(url).send().await.expect("get");
    (answer.status().as_u16(), answer.text().await.expect("body"))
}

/// Stores `records` as a batch file from `device_id` that district staff imported.
pub async fn file_import(db: &Db, records: &[HouseholdRecord], device_id: &str) {
    let file = batch(records, device_id);
    verval_hub::ingest::ingest(
        db,
        "Hub",
        &file.bytes,
        &verval_hub::ingest::limits(32 << 20),
        &verval_hub::ingest::Source::File,
        &verval_hub::audit::Actor::cli(),
        &[],
    )
    .await
    .expect("the imported file is stored");
}

/// One sheet of a workbook's bytes, every cell as text, and where each column id (the
/// header row, the sheet's second) stands.
pub fn sheet_rows(bytes: &[u8], sheet: &str) -> (Vec<Vec<String>>, impl Fn(&str) -> usize) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows.get(1).cloned().unwrap_or_default();
    let column = move |id: &str| {
        header
            .iter()
            .position(|h| h == id)
            .unwrap_or_else(|| panic!("{id} column"))
    };
    (rows, column)
}

/// The bytes of a file a page offers, checked to come with `200`.
pub async fn downloaded(web: &reqwest::Client, url: String) -> Vec<u8> {
    let answer = web.get(&url).send().await.expect("download");
    assert_eq!(answer.status(), 200, "{url}");
    answer.bytes().await.expect("bytes").to_vec()
}

/// An XLSForm written as a district would, with `rust_xlsxwriter`: `rows` per sheet.
pub fn xlsform(path: &std::path::Path, sheets: &[(&str, &[&[&str]])]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).expect("cell");
                }
            }
        }
    }
    book.save(path).expect("save");
}

/// An XLSForm file as the Formulir page's upload form sends it.
pub fn xlsform_part(path: &std::path::Path) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "xlsform",
        reqwest::multipart::Part::bytes(std::fs::read(path).expect("file"))
            .file_name("formulir.xlsx")
            .mime_str("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .expect("mime"),
    )
}
