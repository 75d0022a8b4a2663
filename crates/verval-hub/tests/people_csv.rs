//! A formula typed into a form reaches district staff's spreadsheets as text (issue #17,
//! row 10): the hub's CSV downloads neutralise it; the batch stored keeps it exactly.

mod support;

use std::io::Read;
use support::*;
use verval_core::export::Profile;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::Timestamp;
use verval_hub::{export, Config};

async fn a_formula_in_an_answer_is_text_in_the_csv_export(backend: Backend) {
    let db = fresh_db(backend).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let mut record = family(5, VILLAGE);
    record.start_correction(Timestamp(1_795_700_000_000));
    record.set_answer(
        NAMA_KEPALA_KELUARGA,
        "=HYPERLINK(\"http://x\")",
        Timestamp(1_795_700_000_000),
    );
    record.finalize(Timestamp(1_795_700_000_000));
    assert_eq!(
        upload(addr, Some(&device.token), batch(&[record], "device-a").bytes)
            .await
            .status(),
        200
    );

    let tables = export::tables(
        &db,
        Profile::Lengkap,
        None,
        verval_hub::time_zone::TimeZone::Wib.today(),
    )
    .await
    .expect("tables");
    let zip = verval_core::export::people::csv_zip(&tables, &Default::default()).expect("csv zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut text = String::new();
    archive
        .by_name("keluarga.csv")
        .expect("keluarga.csv")
        .read_to_string(&mut text)
        .expect("utf-8");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
    // The record itself is kept exactly as sent.
    let body: String = sqlx::query_scalar("SELECT body FROM record_versions")
        .fetch_one(&db.pool)
        .await
        .expect("body");
    assert!(body.contains("\"=HYPERLINK(\\\"http://x\\\")\""), "{body}");
}
both!(a_formula_in_an_answer_is_text_in_the_csv_export);
