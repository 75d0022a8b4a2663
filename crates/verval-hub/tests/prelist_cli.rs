//! `verval-hub prelist check`: district staff check a prelist file before a campaign.

use verval_hub::cli::run;

fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("verval-prelist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[tokio::test]
async fn a_good_prelist_passes_and_a_damaged_one_is_refused() {
    let good = write(
        "baik.csv",
        "ID_keluarga_P3KE;nomor_KK;NIK;nama\n\
         P3KE-1;3513141203150007;3513140101800001;SLAMET\n\
         ;;3513144101850002;SITI\n",
    );
    let args = |file: &str| vec!["prelist".to_owned(), "check".to_owned(), file.to_owned()];
    assert_eq!(run(&args(&good)).await, Ok(true));
    let damaged = write(
        "rusak.csv",
        "ID_keluarga_P3KE;nomor_KK;NIK;nama\n\
         P3KE-1;3513141203150007;3.51314E+15;SLAMET\n",
    );
    assert_eq!(run(&args(&damaged)).await, Ok(false));
    let headless = write("tanpa-kolom.csv", "nama;alamat\nSLAMET;Krajan\n");
    assert_eq!(run(&args(&headless)).await, Ok(false));
    assert!(run(&["prelist".to_owned()]).await.is_err());
}
