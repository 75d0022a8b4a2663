//! Prelists at the hub: imported, handed to each enumerator for their villages only, and
//! re-imported without touching the visits already received.

mod support;

use support::*;
use verval_core::sync::api::ASSIGNMENT_PATH;
use verval_hub::prelist::{import, read_file, Merged};
use verval_hub::Config;

const HEADER: &str = "DAFTAR KELUARGA P3KE;;;;;\n\
                      ID_keluarga_P3KE;kode_kemdagri;alamat;nomor_KK;NIK;nama\n";

fn row(id: &str, village: &str, address: &str, kk: &str, nik: &str, name: &str) -> String {
    format!("{id};{village};{address};{kk};{nik};{name}\n")
}

fn first_list() -> String {
    [
        HEADER.to_owned(),
        row(
            "P-A1",
            "3513142001",
            "Krajan 1",
            "3513141203150007",
            "3513140101800001",
            "SLAMET",
        ),
        row("", "", "", "", "3513144101850002", "SITI"),
        row(
            "P-A2",
            "3513142001",
            "Krajan 2",
            "3513141203150017",
            "3513140101800011",
            "BUDI",
        ),
        row(
            "P-A3",
            "3513142001",
            "Krajan 3",
            "3513141203150027",
            "3513140101800021",
            "WATI",
        ),
        row(
            "P-B1",
            "3513142002",
            "Sumber 1",
            "3513141203150037",
            "3513140101800031",
            "JOKO",
        ),
    ]
    .concat()
}

fn second_list() -> String {
    [
        HEADER.to_owned(),
        row(
            "P-A1",
            "3513142001",
            "Krajan 1 (pindah RT)",
            "3513141203150007",
            "3513140101800001",
            "SLAMET",
        ),
        row("", "", "", "", "3513144101850002", "SITI"),
        row(
            "P-A2",
            "3513142001",
            "Krajan 2",
            "3513141203150017",
            "3513140101800011",
            "BUDI",
        ),
        row(
            "P-A4",
            "3513142001",
            "Krajan 4",
            "3513141203150047",
            "3513140101800041",
            "ANI",
        ),
    ]
    .concat()
}

async fn a_prelist_is_assigned_by_village_and_reimported_without_touching_visits(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let first = read_file("daftar.csv", first_list().as_bytes()).expect("readable");
    assert_eq!(
        import(&db, "daftar.csv", &first, &verval_hub::audit::Actor::cli())
            .await
            .expect("import"),
        Merged {
            added: 4,
            ..Merged::default()
        }
    );
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let mine = assignment(addr, &device.token).await;
    let ids: Vec<&str> = mine.families.iter().map(|f| f.prelist_id.as_str()).collect();
    assert_eq!(ids, ["P-A1", "P-A2", "P-A3"], "only this enumerator's village");
    assert_eq!(mine.families[0].members.len(), 2);
    assert_eq!(
        mine.families[0].members[1].nik.as_deref(),
        Some("3513144101850002")
    );

    // A visit arrives; then the district re-imports an updated list.
    let visit = batch(&[family(1, VILLAGE)], "device-a");
    assert_eq!(upload(addr, Some(&device.token), visit.bytes).await.status(), 200);
    let second = read_file("daftar-2.csv", second_list().as_bytes()).expect("readable");
    assert_eq!(
        import(&db, "daftar-2.csv", &second, &verval_hub::audit::Actor::cli())
            .await
            .expect("re-import"),
        Merged {
            added: 1,
            changed: 1,
            unchanged: 1,
            no_longer_listed: 1,
        }
    );
    let mine = assignment(addr, &device.token).await;
    let ids: Vec<&str> = mine.families.iter().map(|f| f.prelist_id.as_str()).collect();
    assert_eq!(ids, ["P-A1", "P-A2", "P-A4"]);
    assert_eq!(mine.families[0].alamat, "Krajan 1 (pindah RT)");
    assert_eq!(
        count(&db, "prelist_families").await,
        5,
        "a family left out is kept"
    );
    assert_eq!(count(&db, "records").await, 1, "visits untouched");
    assert_eq!(count(&db, "record_versions").await, 1);

    // A damaged list changes nothing.
    let damaged = second_list().replace("3513140101800041", "3,51314E+15");
    let refused = read_file("rusak.csv", damaged.as_bytes()).expect_err("refused");
    assert!(
        refused.to_string().contains("baris 6, kolom E (NIK)"),
        "{refused}"
    );
    assert_eq!(count(&db, "prelist_families").await, 5);

    // No token, no list.
    let anonymous = client()
        .get(format!("http://{addr}{ASSIGNMENT_PATH}"))
        .send()
        .await
        .expect("assignment");
    assert_eq!(anonymous.status(), 401);
}
both!(a_prelist_is_assigned_by_village_and_reimported_without_touching_visits);
