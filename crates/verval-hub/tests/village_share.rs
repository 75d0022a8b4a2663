//! A village given to a second enumerator (issue #21): the page asks how to share it before
//! adding anyone; a split by RW (or by family) gives each listed family to exactly one
//! assignment; families already visited are marked in every assignment they are in, through
//! the API as in the file; the command line refuses without being told how.

mod support;

use std::process::Command;
use support::*;
use verval_core::campaign::link::PrelistLink;
use verval_core::sync::api::Assignment;
use verval_hub::audit::Actor;
use verval_hub::db::Db;
use verval_hub::enrol;
use verval_hub::ingest::{ingest, limits, Source};
use verval_hub::Config;

const PASSWORD: &str = "sandi-uji-bagi-desa";

const PRELIST: &str = "DAFTAR KELUARGA P3KE;;;;;;\n\
     ID_keluarga_P3KE;kode_kemdagri;alamat;RW;nomor_KK;NIK;nama\n\
     P-1;3513142001;Krajan 1;001;3513141203150007;3513140101800001;SLAMET\n\
     P-2;3513142001;Krajan 2;001;3513141203150017;3513140101800011;BUDI\n\
     P-3;3513142001;Krajan 3;002;3513141203150027;3513140101800021;WATI\n\
     P-4;3513142001;Krajan 4;3;3513141203150037;3513140101800031;JOKO\n";

async fn listed(db: &Db, name: &str) -> (Vec<String>, Vec<String>) {
    let all = enrol::list(db).await.expect("list");
    let e = all.iter().find(|e| e.name == name).expect("the enumerator");
    let config = verval_hub::Config {
        name: "Dinsos".to_owned(),
        ..verval_hub::Config::default()
    };
    let a: Assignment = verval_hub::prelist::assignment(db, &config, e)
        .await
        .expect("assignment");
    // The district's part size for batches with photos is said only when it is not the
    // phones' default (an older app refused a field it did not know).
    assert_eq!(a.batch_part_bytes, None);
    let smaller = verval_hub::Config {
        batch_part_bytes: 20_000_000,
        ..config
    };
    let told: Assignment = verval_hub::prelist::assignment(db, &smaller, e)
        .await
        .expect("assignment");
    assert_eq!(told.batch_part_bytes, Some(20_000_000));
    (
        a.families.iter().map(|f| f.prelist_id.clone()).collect(),
        a.visited,
    )
}

async fn a_village_already_given_is_shared_only_as_the_district_says(backend: Backend) {
    let (url, db, list) = prelisted(backend, PRELIST).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, token) = signed_in(&base, "operator", PASSWORD).await;
    let add = |form: Vec<(&'static str, &'static str)>| {
        let web = web.clone();
        let url = format!("{base}/admin/petugas?_t={token}");
        async move {
            let answer = web.post(url).form(&form).send().await.expect("add");
            (answer.status().as_u16(), answer.text().await.expect("page"))
        }
    };
    let (status, first) = add(vec![("nama", "Siti Aminah"), ("desa", VILLAGE)]).await;
    assert_eq!(status, 200);
    assert!(
        first.contains("data-testid=\"enrolment-code\""),
        "nobody had the village: added"
    );

    // A second enumerator for it: asked first, nobody added.
    let (status, asked) = add(vec![("nama", "Budi Santoso"), ("desa", VILLAGE)]).await;
    assert_eq!(status, 200);
    assert!(asked.contains("data-testid=\"village-held\""), "{asked}");
    assert!(asked.contains("Siti Aminah (seluruh desa)"), "{asked}");
    assert!(
        asked.contains("RW 1 (2 keluarga), RW 2 (1 keluarga), RW 3 (1 keluarga)"),
        "{asked}"
    );
    assert_eq!(count(&db, "enumerators").await, 1);
    let (status, _) = add(vec![
        ("nama", "Budi Santoso"),
        ("desa", VILLAGE),
        ("konfirmasi", "1"),
    ])
    .await;
    assert_eq!(status, 400, "no answer for the village");
    let bad_rw = vec![
        ("nama", "Budi Santoso"),
        ("desa", VILLAGE),
        ("konfirmasi", "1"),
        ("bagi_35.13.14.2001", "rw"),
        ("rw_35.13.14.2001", "dua"),
    ];
    assert_eq!(add(bad_rw).await.0, 400, "an RW is a number");
    assert_eq!(count(&db, "enumerators").await, 1);

    // Split by RW: Budi takes RW 2 and 3, Siti keeps the rest.
    let split = vec![
        ("nama", "Budi Santoso"),
        ("desa", VILLAGE),
        ("konfirmasi", "1"),
        ("bagi_35.13.14.2001", "rw"),
        ("rw_35.13.14.2001", "2, 003"),
    ];
    let (status, added) = add(split).await;
    assert_eq!(status, 200);
    assert!(added.contains("data-testid=\"enrolment-code\""), "{added}");
    assert_eq!(listed(&db, "Siti Aminah").await.0, ["P-1", "P-2"]);
    assert_eq!(listed(&db, "Budi Santoso").await.0, ["P-3", "P-4"]);
    let (_, page) = get(&web, format!("{base}/admin/petugas")).await;
    assert!(
        page.contains("(kecuali RW 2, 3)") && page.contains("(RW 2, 3)"),
        "{page}"
    );

    // A third shares it whole, told so; she sees every family.
    let (status, _) = add(vec![
        ("nama", "Wati"),
        ("desa", VILLAGE),
        ("konfirmasi", "1"),
        ("bagi_35.13.14.2001", "bersama"),
    ])
    .await;
    assert_eq!(status, 200);
    assert_eq!(listed(&db, "Wati").await.0, ["P-1", "P-2", "P-3", "P-4"]);

    // P-1 visited (a kader's file): marked wherever it is assigned, and nowhere else.
    let mut visit = family(1, VILLAGE);
    visit.prelist = Some(PrelistLink {
        family: list.families[0].clone(),
        member_rows: Vec::new(),
    });
    ingest(
        &db,
        "uji",
        &batch(&[visit], "hp-kader").bytes,
        &limits(64 << 20),
        &Source::File,
        &Actor::cli(),
        &[],
    )
    .await
    .expect("file");
    assert_eq!(listed(&db, "Siti Aminah").await.1, ["P-1"]);
    assert_eq!(listed(&db, "Budi Santoso").await.1, Vec::<String>::new());
    assert_eq!(listed(&db, "Wati").await.1, ["P-1"]);
    // Through the API, as a phone reads it.
    let wati = enrol::list(&db)
        .await
        .expect("list")
        .into_iter()
        .find(|e| e.name == "Wati")
        .expect("Wati");
    let code = enrol::new_code(&db, &wati.id, &Actor::cli()).await.expect("code");
    let enrolment = enrol_with(addr, code, "hp-wati").await;
    let assignment = assignment(addr, &enrolment.token).await;
    assert_eq!(assignment.visited, ["P-1"]);
    assert_eq!(assignment.families.len(), 4);

    // The command line refuses a held village unless told how to share it.
    let hub = env!("CARGO_BIN_EXE_verval-hub");
    let add_joko = |more: &[&str]| {
        let mut command = Command::new(hub);
        command
            .args([
                "enumerator",
                "add",
                "--db",
                &url,
                "--name",
                "Joko",
                "--desa",
                VILLAGE,
            ])
            .args(more);
        command
    };
    let refused = add_joko(&[]).output().expect("cli");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("sudah ditugaskan") && said.contains("--bagi"),
        "{said}"
    );
    run_ok(&mut add_joko(&["--bagi", "keluarga:P-4"]), "add by family");
    assert_eq!(listed(&db, "Joko").await.0, ["P-4"]);
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_events WHERE action = 'petugas_ditambah' ORDER BY seq")
            .fetch_all(&db.pool)
            .await
            .expect("audit");
    assert!(
        audit.iter().any(|d| d.contains("\"35.13.14.2001\":\"rw:2,3\"")),
        "{audit:?}"
    );
}
both!(a_village_already_given_is_shared_only_as_the_district_says);
