//! The files district staff open in a spreadsheet, opened by a real one (issue #28): Debian's
//! LibreOffice, headless, reads the hub's `verval.xlsx` and its CSVs for people, and its own
//! reading is checked: counts are numbers that sum, dates are dates, NIKs keep all 16
//! digits, answers have their labels beside their codes.
//!
//! LibreOffice converts each file to flat OpenDocument (`.fods`), where every cell says how
//! it was read (`office:value-type` float, date, string); [`Sheets`] reads that back.

mod support;

use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use support::*;
use verval_core::export::Profile;
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::form::default::LUAS_LANTAI;
use verval_hub::{export, Config};

/// One cell as LibreOffice read it.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Float(f64),
    Date(String),
    Text(String),
}

/// The sheets of a converted file by name, each as rows of cells.
struct Sheets(HashMap<String, Vec<Vec<Cell>>>);

impl Sheets {
    /// Opens `file` with LibreOffice and reads what it made of it.
    fn opened_by_libreoffice(file: &Path) -> Sheets {
        let out = file.with_extension("fods");
        let dir = file.parent().expect("a directory");
        // A profile of its own: LibreOffice allows one running instance per profile.
        let profile = format!("file://{}", dir.join("lo-profile").display());
        run_ok(
            std::process::Command::new("soffice")
                .arg(format!("-env:UserInstallation={profile}"))
                .args(["--headless", "--convert-to", "fods", "--outdir"])
                .arg(dir)
                .arg(file),
            "soffice --convert-to fods",
        );
        Sheets::read(&std::fs::read_to_string(&out).expect("LibreOffice wrote the .fods"))
    }

    fn read(xml: &str) -> Sheets {
        let mut reader = Reader::from_str(xml);
        let mut sheets = HashMap::new();
        let (mut name, mut rows) = (String::new(), Vec::new());
        let mut row: Vec<Cell> = Vec::new();
        // The cell being read, its repeat count, and whether its text is still to come.
        let mut cell: Option<(Cell, usize, bool)> = None;
        loop {
            match reader.read_event().expect("well-formed .fods") {
                Event::Start(e) | Event::Empty(e) if e.name().0 == "table:table" => {
                    name = attribute(&e, "table:name").unwrap_or_default();
                    rows = Vec::new();
                }
                Event::End(e) if e.name().0 == "table:table" => {
                    sheets.insert(std::mem::take(&mut name), std::mem::take(&mut rows));
                }
                Event::Start(e) if e.name().0 == "table:table-row" => row = Vec::new(),
                Event::End(e) if e.name().0 == "table:table-row" => {
                    while row.last() == Some(&Cell::Empty) {
                        row.pop();
                    }
                    // The rows below the data come as one repeated empty row.
                    if !row.is_empty() {
                        rows.push(std::mem::take(&mut row));
                    }
                }
                Event::Start(e) if e.name().0 == "table:table-cell" => {
                    let (value, repeated) = read_cell(&e);
                    let text_follows = value == Cell::Text(String::new());
                    cell = Some((value, repeated, text_follows));
                }
                Event::Empty(e) if e.name().0 == "table:table-cell" => {
                    let (value, repeated) = read_cell(&e);
                    row.extend(std::iter::repeat_n(value, repeated.min(64)));
                }
                Event::Text(t) => {
                    if let Some((Cell::Text(text), _, true)) = &mut cell {
                        text.push_str(&t.xml10_content());
                    }
                }
                Event::End(e) if e.name().0 == "table:table-cell" => {
                    if let Some((mut value, repeated, _)) = cell.take() {
                        // The file is indented: whitespace around a cell's text is layout.
                        if let Cell::Text(text) = &mut value {
                            *text = text.trim().to_owned();
                        }
                        row.extend(std::iter::repeat_n(value, repeated.min(64)));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Sheets(sheets)
    }

    fn sheet(&self, name: &str) -> &[Vec<Cell>] {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no sheet {name}: {:?}", self.0.keys()))
    }
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.0 == name)
        .map(|a| unescaped(&a.value))
}

/// XML's five predefined entities, the only ones LibreOffice writes in attribute values.
fn unescaped(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A cell's value as LibreOffice typed it, and how many times it repeats.
fn read_cell(e: &quick_xml::events::BytesStart<'_>) -> (Cell, usize) {
    let repeated = attribute(e, "table:number-columns-repeated")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let value = match attribute(e, "office:value-type").as_deref() {
        Some("float") => Cell::Float(
            attribute(e, "office:value")
                .and_then(|v| v.parse().ok())
                .expect("a float cell has a value"),
        ),
        Some("date") => Cell::Date(attribute(e, "office:date-value").expect("a date value")),
        // A text formula (`="003"`) carries its result; plain text comes as content.
        Some("string") => Cell::Text(attribute(e, "office:string-value").unwrap_or_default()),
        _ => Cell::Empty,
    };
    (value, repeated)
}

/// The cells of column `name` (found in header row `id_row`) below the headers.
fn column<'a>(rows: &'a [Vec<Cell>], id_row: usize, name: &str) -> Vec<&'a Cell> {
    let at = rows[id_row]
        .iter()
        .position(|c| *c == Cell::Text(name.to_owned()))
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[id_row]));
    rows[id_row + 1..]
        .iter()
        .map(|r| r.get(at).unwrap_or(&Cell::Empty))
        .collect()
}

/// Three families (one with a floor area typed `36,5`) uploaded to a hub, and its export
/// written where LibreOffice can open it: `verval.xlsx` and one CSV per table.
async fn exported_files(dir: &Path) -> Vec<String> {
    let db = fresh_db(Backend::Sqlite).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "device-a").await;
    let families = [
        family(1, VILLAGE),
        corrected(&family(2, VILLAGE), LUAS_LANTAI, "36,5"),
        corrected(&family(3, VILLAGE), NAMA_KEPALA_KELUARGA, "Siti Aminah"),
    ];
    let response = upload(addr, Some(&device.token), batch(&families, "device-a").bytes).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let niks: Vec<String> = families
        .iter()
        .flat_map(|f| f.repeats.rows(verval_core::form::default::ART).to_vec())
        .map(|row| row.answers.get(verval_core::form::default::NIK).to_owned())
        .collect();

    let today = verval_hub::time_zone::TimeZone::Wib.today();
    let tables = export::tables(&db, Profile::Lengkap, None, today)
        .await
        .expect("tables");
    // The region tables of an app the hub serves: a province list and the province's file.
    let app = dir.join("app");
    let table = |name: &str| app.join(verval_core::offline::table_file(name));
    std::fs::create_dir_all(table("35").parent().expect("a folder")).expect("folders");
    std::fs::write(table("provinces"), r#"{"provinces":[["35","JAWA TIMUR"]]}"#).expect("written");
    std::fs::write(
        table("35"),
        r#"{"regencies":[["35.13","KAB. PROBOLINGGO"]],"districts":[["35.13.14","Kraksaan"]],
            "villages":[["35.13.14.2001","Kregenan"]]}"#,
    )
    .expect("written");
    let regions = verval_hub::regions::RegionTables::new(Some(&app)).names_in(&tables);
    let zip = verval_core::export::people::csv_zip(&tables, &regions).expect("the download");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("readable");
        let name = entry.name().expect("a name").into_owned();
        std::fs::write(dir.join(name), bytes).expect("written");
    }
    niks
}

/// A directory of its own under the system's temporary one, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("verval-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbook_opens_in_libreoffice_with_sums_dates_niks_and_labels() {
    let dir = Scratch::new("workbook");
    let niks = exported_files(&dir.0).await;
    let book = Sheets::opened_by_libreoffice(&dir.path("verval.xlsx"));

    // The recap: every count a number, and the families counted sum to the three sent.
    let recap = book.sheet("Rekap");
    let groups = column(recap, 1, "kelompok");
    let counts = column(recap, 1, "jumlah");
    assert!(counts.iter().all(|c| matches!(c, Cell::Float(_))), "{counts:?}");
    let families: f64 = groups
        .iter()
        .zip(&counts)
        .filter(|(g, _)| ***g == Cell::Text("jumlah_keluarga".to_owned()))
        .map(|(_, c)| match c {
            Cell::Float(n) => *n,
            _ => 0.0,
        })
        .sum();
    assert_eq!(families, 3.0);

    // Members: NIKs whole, as text; the sex code with its label beside it.
    let members = book.sheet("anggota");
    let read_niks: Vec<&Cell> = column(members, 1, "nik");
    assert_eq!(read_niks.len(), niks.len());
    for (cell, nik) in read_niks.iter().zip(&niks) {
        assert_eq!(**cell, Cell::Text(nik.clone()), "all 16 digits, as text");
    }
    let labels = column(members, 1, "jenis_kelamin_keterangan");
    assert!(
        labels.contains(&&Cell::Text("Laki-laki".to_owned())),
        "{labels:?}"
    );
    assert!(
        labels.contains(&&Cell::Text("Perempuan".to_owned())),
        "{labels:?}"
    );

    // Families: times and visit dates are dates, the floor area a number in one style.
    let family = book.sheet("keluarga");
    for name in ["created_at", "updated_at", "tanggal_kunjungan"] {
        for cell in column(family, 1, name) {
            assert!(matches!(cell, Cell::Date(_)), "{name}: {cell:?}");
        }
    }
    let areas = column(family, 1, "luas_lantai");
    assert!(areas.contains(&&Cell::Float(36.5)), "{areas:?}");
    assert!(areas.iter().all(|c| matches!(c, Cell::Float(_))), "{areas:?}");

    // Each region code with its name beside it, in the families and the recap.
    for (code, name) in [
        ("kode_provinsi", "JAWA TIMUR"),
        ("kode_kecamatan", "Kraksaan"),
        ("kode_desa", "Kregenan"),
    ] {
        let names = column(family, 1, &format!("{code}_nama"));
        assert_eq!(names.len(), 3);
        assert!(
            names.iter().all(|c| **c == Cell::Text(name.to_owned())),
            "{code}: {names:?}"
        );
    }
    let villages = column(recap, 1, "kode_desa_nama");
    assert!(
        villages.iter().all(|c| **c == Cell::Text("Kregenan".to_owned())),
        "{villages:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csvs_for_people_open_in_libreoffice_with_niks_whole_and_numbers_summing() {
    let dir = Scratch::new("csv");
    let niks = exported_files(&dir.0).await;

    let members = Sheets::opened_by_libreoffice(&dir.path("anggota.csv"));
    let rows = members.0.values().next().expect("one sheet");
    let read_niks = column(rows, 0, "nik");
    assert_eq!(read_niks.len(), niks.len());
    for (cell, nik) in read_niks.iter().zip(&niks) {
        assert_eq!(**cell, Cell::Text(nik.clone()), "all 16 digits, as text");
    }

    let recap = Sheets::opened_by_libreoffice(&dir.path("rekap.csv"));
    let rows = recap.0.values().next().expect("one sheet");
    let counts = column(rows, 0, "jumlah");
    assert!(counts.iter().all(|c| matches!(c, Cell::Float(_))), "{counts:?}");

    let family = Sheets::opened_by_libreoffice(&dir.path("keluarga.csv"));
    let rows = family.0.values().next().expect("one sheet");
    let areas = column(rows, 0, "luas_lantai");
    assert!(
        areas.contains(&&Cell::Float(36.5)),
        "2,5 and 9.0 no longer mix: {areas:?}"
    );
    assert!(areas.iter().all(|c| matches!(c, Cell::Float(_))), "{areas:?}");
    // LibreOffice detects dates in a CSV only when asked to ("Detect special numbers"):
    // a time is at least one a person reads, never milliseconds since 1970.
    for cell in column(rows, 0, "created_at") {
        let readable = match cell {
            Cell::Date(_) => true,
            Cell::Text(t) => t.len() == 19 && t.starts_with("2026-") && t.contains(':'),
            _ => false,
        };
        assert!(readable, "{cell:?}");
    }
    for cell in column(rows, 0, "rt") {
        assert!(
            matches!(cell, Cell::Text(t) if t.len() == 3),
            "RT keeps its zeros: {cell:?}"
        );
    }
}
