//! A realistic prelist end to end: 5,000 families written as the regional P3KE template
//! (three header rows with merged group titles, family cells merged over member rows for a
//! third of the families, NIK as text or as number, blank rows), read back from the XLSX
//! bytes; the same with NIKs Excel destroyed; a CSV from Indonesian Excel.

use super::columns::{detect, P3KE_PRESET};
use super::files::{read_csv, read_xlsx};
use super::read::read_prelist;
use rust_xlsxwriter::{Format, Workbook};

const FAMILIES: usize = 5_000;

const HEADERS: [&str; 14] = [
    "ID_keluarga_P3KE",
    "provinsi",
    "kabupaten",
    "kode_kemdagri",
    "alamat",
    "RT",
    "RW",
    "desil_kesejahteraan",
    "nomor_KK",
    "NIK",
    "nama",
    "hubungan_dengan_KK",
    "jenis_kelamin",
    "tanggal_lahir",
];

fn members_of(family: usize) -> usize {
    1 + family % 5
}

fn nik(family: usize, member: usize) -> String {
    format!("3513{:08}{:04}", family * 7 + 11, member + 1)
}

fn kk(family: usize) -> String {
    format!("3513{:08}{:04}", family * 3 + 5, 1 + family % 9)
}

/// What to break, by family index: the NIK of its first member, written as this text.
struct Damage {
    family: usize,
    nik_text: &'static str,
}

/// The XLSX bytes and, for each damage, the 1-based row it landed on.
fn prelist_xlsx(damage: &[Damage]) -> (Vec<u8>, Vec<usize>) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet
        .merge_range(0, 1, 0, 8, "IDENTITAS DAN LOKASI", &plain)
        .expect("merge");
    sheet
        .merge_range(0, 9, 0, 14, "ANGGOTA KELUARGA", &plain)
        .expect("merge");
    for (i, h) in HEADERS.iter().enumerate() {
        sheet.write_string(1, 1 + i as u16, *h).expect("header");
        sheet
            .write_number(2, 1 + i as u16, (i + 1) as f64)
            .expect("numbering");
    }
    let mut row: u32 = 3;
    let mut damaged_rows = Vec::new();
    for f in 0..FAMILIES {
        let n = members_of(f);
        let family_cells: [String; 9] = [
            format!("P3KE-{f:06}"),
            "JAWA TIMUR".into(),
            "PROBOLINGGO".into(),
            "3513142001".into(),
            format!("Dusun Krajan {f}"),
            "001".into(),
            "003".into(),
            format!("{}", 1 + f % 4),
            kk(f),
        ];
        let merged = f % 3 == 0 && n > 1;
        for (i, value) in family_cells.iter().enumerate() {
            let col = 1 + i as u16;
            if merged {
                sheet
                    .merge_range(row, col, row + n as u32 - 1, col, value, &plain)
                    .expect("merge");
            } else {
                for m in 0..n {
                    sheet.write_string(row + m as u32, col, value).expect("cell");
                }
            }
        }
        for m in 0..n {
            let r = row + m as u32;
            let broken = damage.iter().find(|d| d.family == f && m == 0);
            match broken {
                Some(d) => {
                    sheet.write_string(r, 10, d.nik_text).expect("nik");
                    damaged_rows.push(r as usize + 1);
                }
                // Half the NIKs typed as numbers, as people do.
                None if m % 2 == 1 => {
                    let value: f64 = nik(f, m).parse().expect("digits");
                    sheet.write_number(r, 10, value).expect("nik");
                }
                None => {
                    sheet.write_string(r, 10, nik(f, m)).expect("nik");
                }
            }
            sheet
                .write_string(r, 11, format!("ANGGOTA {f} {m}"))
                .expect("nama");
            let role = if m == 0 { "Kepala Keluarga" } else { "Anak" };
            sheet.write_string(r, 12, role).expect("role");
            sheet
                .write_string(r, 13, if m % 2 == 0 { "Laki-laki" } else { "Perempuan" })
                .expect("sex");
            sheet.write_string(r, 14, "1980-01-01").expect("born");
        }
        row += n as u32;
        if f % 97 == 96 {
            row += 1;
        }
    }
    (book.save_to_buffer().expect("xlsx"), damaged_rows)
}

#[test]
fn five_thousand_families_come_back_as_they_were_written() {
    let (bytes, _) = prelist_xlsx(&[]);
    let sheet = read_xlsx(&bytes).expect("readable");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("header row");
    assert_eq!(mapping.header_row, 1, "the second of three header rows");
    let prelist = read_prelist(&sheet, &mapping).expect("no problems");
    assert_eq!(prelist.families.len(), FAMILIES);
    assert_eq!(prelist.blank_rows, FAMILIES / 97);
    for (f, family) in prelist.families.iter().enumerate() {
        assert_eq!(family.prelist_id, format!("P3KE-{f:06}"));
        assert_eq!(family.nomor_kk.as_deref(), Some(kk(f).as_str()), "family {f}");
        assert_eq!(family.kode_desa, "35.13.14.2001");
        assert_eq!(family.alamat, format!("Dusun Krajan {f}"));
        assert_eq!(family.rt, "001");
        assert_eq!(family.members.len(), members_of(f), "family {f}");
        for (m, member) in family.members.iter().enumerate() {
            assert_eq!(
                member.nik.as_deref(),
                Some(nik(f, m).as_str()),
                "family {f} member {m}"
            );
            assert_eq!(member.nama, format!("ANGGOTA {f} {m}"));
        }
    }
    assert_eq!(
        prelist.families[0].members[0].row, 4,
        "rows as the spreadsheet numbers them"
    );
}

#[test]
fn niks_excel_destroyed_are_refused_with_row_and_column() {
    let damage = [
        Damage {
            family: 10,
            nik_text: "3.51314E+15",
        },
        Damage {
            family: 2_500,
            nik_text: "3513140000000000",
        },
    ];
    let (bytes, rows) = prelist_xlsx(&damage);
    let sheet = read_xlsx(&bytes).expect("readable");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("header row");
    let problems = read_prelist(&sheet, &mapping).expect_err("refused");
    assert_eq!(problems.len(), 2);
    for (problem, row) in problems.iter().zip(&rows) {
        assert_eq!(problem.row, *row);
        assert_eq!(problem.column, "K");
        assert_eq!(problem.header, "NIK");
    }
    let first = problems[0].to_string();
    assert!(
        first.starts_with(&format!("baris {}, kolom K (NIK): ", rows[0])),
        "{first}"
    );
    assert!(first.contains("3.51314E+15"), "{first}");
    assert!(problems[1].to_string().contains("000"));
}

#[test]
fn a_csv_from_indonesian_excel_reads_with_semicolons() {
    let csv = "\u{feff}DAFTAR P3KE DESA WONOASRI;;;\n\
               ID_keluarga_P3KE;nomor_KK;NIK;nama\n\
               P3KE-1;3513141203150007;3513140101800001;SLAMET\n\
               ;;3513144101850002;SITI\n\
               ;;;\n\
               P3KE-2;3513141203150008;3513140101800003;BUDI\n";
    let sheet = read_csv(csv.as_bytes()).expect("readable");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("header row");
    let prelist = read_prelist(&sheet, &mapping).expect("no problems");
    assert_eq!(prelist.families.len(), 2);
    assert_eq!(
        prelist.families[0].members.len(),
        2,
        "the row below belongs to the family"
    );
    assert_eq!(prelist.families[0].members[1].nama, "SITI");
    assert_eq!(prelist.blank_rows, 1);

    let broken = csv.replace("3513140101800003", "3,51314E+15");
    let sheet = read_csv(broken.as_bytes()).expect("readable");
    let problems = read_prelist(&sheet, &mapping).expect_err("refused");
    assert_eq!((problems[0].row, problems[0].column.as_str()), (6, "C"));
}

#[test]
fn families_without_an_id_are_grouped_by_kk() {
    let csv = "nomor_KK,NIK,nama\n\
               3513141203150007,3513140101800001,A\n\
               3513141203150007,3513140101800002,B\n\
               3513141203150009,3513140101800004,C\n";
    let sheet = read_csv(csv.as_bytes()).expect("readable");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("header row");
    let prelist = read_prelist(&sheet, &mapping).expect("no problems");
    assert_eq!(prelist.families.len(), 2);
    assert_eq!(prelist.families[0].prelist_id, "KK-3513141203150007");
    assert_eq!(prelist.families[0].members.len(), 2);
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused() {
    assert!(read_xlsx(b"PK\x03\x04 not really").is_err());
    assert!(read_xlsx(b"").is_err());
}

#[test]
fn a_member_before_any_family_is_a_problem_not_skipped() {
    let csv = "ID_keluarga_P3KE,nomor_KK,NIK,nama\n\
               Catatan: data per 2026,,,\n\
               ,,3513140101800001,TANPA KELUARGA\n\
               P3KE-1,3513141203150007,3513140101800002,B\n";
    let sheet = read_csv(csv.as_bytes()).expect("readable");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("header row");
    let problems = read_prelist(&sheet, &mapping).expect_err("refused");
    assert_eq!(problems.len(), 1, "the note is skipped, the member is not");
    assert_eq!(problems[0].row, 3);
}

#[test]
fn the_house_and_the_aid_received_are_read_from_the_templates_columns() {
    // APBN_PIP is the verval's proposal (template::p3ke), not a programme received: not read.
    let csv = "ID_keluarga_P3KE;kode_kemdagri;nomor_KK;NIK;nama;jenis_atap;sumber_penerangan;penerima_PKH;penerima_prakerja;APBN_PIP\n\
               P-1;3513142001;3513141203150007;3513141203580001;SLAMET;Genteng;Listrik PLN;Ya;Tidak;Ya\n\
               ;;;3513144109120004;DEWI;;;;Ya;\n\
               P-2;3513142001;3513141203150017;3513141203580011;BUDI;;;Tidak;;Ya\n";
    let sheet = read_csv(csv.as_bytes()).expect("csv");
    let mapping = detect(&sheet, &P3KE_PRESET).expect("columns");
    assert_eq!(mapping.extras.len(), 4);
    let prelist = read_prelist(&sheet, &mapping).expect("read");
    let first = &prelist.families[0];
    assert_eq!(
        first.housing.get("jenis_atap").map(String::as_str),
        Some("Genteng")
    );
    assert_eq!(
        first.housing.get("sumber_penerangan").map(String::as_str),
        Some("Listrik PLN")
    );
    assert_eq!(
        first.programmes,
        ["PKH", "PRAKERJA"],
        "a member's programme is the family's"
    );
    assert!(prelist.families[1].housing.is_empty());
    assert!(prelist.families[1].programmes.is_empty(), "Tidak is no");
}
