//! From verification to aid (issue #24). The TKPK's aid recap: extreme-poor families with no
//! aid, proposals still waiting, coverage per programme and per funding source, per kecamatan
//! and desa, on the page and in its workbook, within the reader's region — checked against
//! counts the test makes itself from the families it generated. SIKS-NG entry: a household's
//! values in the order of SIKS-NG's screens, every missing field named, and its standing
//! recorded only once nothing is missing.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use support::*;
use verval_core::form::default::{
    BANTUAN, BANTUAN_DIUSULKAN, ID_PELANGGAN_PLN, MENERIMA_BANTUAN, PROGRAM, STATUS_KESEJAHTERAAN_USULAN,
    SUMBER_DANA,
};
use verval_core::record::{HouseholdRecord, Timestamp};
use verval_hub::Config;

const PASSWORD: &str = "tkpk-kabupaten-rapat-1";
const VILLAGES: [&str; 3] = ["35.13.14.2001", "35.13.14.2002", "35.13.15.2001"];
const NOW: Timestamp = Timestamp(1_795_600_000_000);

/// What the test generated for one family, in plain terms.
struct Generated {
    village: &'static str,
    extreme: bool,
    /// (programme, funding source) received.
    received: Vec<(&'static str, &'static str)>,
    proposed: Vec<&'static str>,
}

fn generated(i: u64) -> Generated {
    let received: Vec<(&str, &str)> = match i % 3 {
        0 => vec![],
        1 => vec![("PKH", "1")],
        _ => vec![("BLT_DD", "4"), ("SEMBAKO", "1")],
    };
    let proposed = match i % 4 {
        0 => vec!["PKH"],
        1 => vec!["BLT_DD", "CSR_BAZNAS"],
        2 => vec!["SEMBAKO"],
        _ => vec!["PBI_DAERAH"],
    };
    Generated {
        village: VILLAGES[(i % 5 % 3) as usize],
        extreme: i % 7 < 4,
        received,
        proposed,
    }
}

fn record_of(i: u64, g: &Generated) -> HouseholdRecord {
    let mut r = family(9_000 + i, g.village);
    r.start_correction(NOW);
    r.set_answer(
        STATUS_KESEJAHTERAAN_USULAN,
        if g.extreme { "1" } else { "2" },
        NOW,
    );
    for key in r
        .repeats
        .rows(BANTUAN)
        .iter()
        .map(|row| row.key)
        .collect::<Vec<_>>()
    {
        r.remove_row(BANTUAN, key, NOW);
    }
    r.set_answer(
        MENERIMA_BANTUAN,
        if g.received.is_empty() { "2" } else { "1" },
        NOW,
    );
    for (programme, funding) in &g.received {
        let key = r.add_row(BANTUAN, NOW);
        r.set_row_answer(BANTUAN, key, PROGRAM, programme, NOW);
        r.set_row_answer(BANTUAN, key, SUMBER_DANA, funding, NOW);
    }
    r.set_answer(BANTUAN_DIUSULKAN, &g.proposed.join(" "), NOW);
    r.finalize(NOW);
    r
}

/// The counts of one area, made from the generated families directly.
#[derive(Debug, Default, PartialEq, Eq)]
struct Expected {
    families: u32,
    extreme: u32,
    extreme_without_aid: u32,
    waiting: u32,
    programmes: BTreeMap<String, u32>,
    funding: BTreeMap<String, u32>,
}

fn expected(families: &[Generated], within: impl Fn(&str) -> bool) -> Expected {
    let mut e = Expected::default();
    for g in families.iter().filter(|g| within(g.village)) {
        e.families += 1;
        let has: BTreeSet<&str> = g.received.iter().map(|(p, _)| *p).collect();
        e.waiting += u32::from(g.proposed.iter().any(|p| !has.contains(p)));
        if g.extreme {
            e.extreme += 1;
            e.extreme_without_aid += u32::from(g.received.is_empty());
        }
        for p in &has {
            *e.programmes.entry((*p).to_owned()).or_default() += 1;
        }
        let sources: BTreeSet<&str> = g.received.iter().map(|(_, f)| *f).collect();
        for f in sources {
            *e.funding.entry(f.to_owned()).or_default() += 1;
        }
    }
    e
}

/// A number the page puts in an attribute of its total line.
fn attribute(page: &str, name: &str) -> u32 {
    let total = &page[page.find("data-testid=\"aid-total\"").expect("the total line")..];
    let start = total.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
    total[start..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .expect("a number")
}

async fn the_recap_counts_what_each_family_receives_and_waits_for(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    staff_account(&db, "camat", "supervisor", "35.13.15", PASSWORD).await;
    let families: Vec<Generated> = (0..60).map(generated).collect();
    let records: Vec<HouseholdRecord> = families
        .iter()
        .enumerate()
        .map(|(i, g)| record_of(i as u64, g))
        .collect();
    file_import(&db, &records, "phone-aid").await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");

    // The whole regency, on the page and per kecamatan in the workbook.
    let (web, web_token) = signed_in(&base, "tkpk", PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/bantuan")).await;
    assert_eq!(status, 200, "{page}");
    let all = expected(&families, |_| true);
    assert_eq!(attribute(&page, "data-families"), all.families);
    assert_eq!(attribute(&page, "data-extreme-poor"), all.extreme);
    assert_eq!(attribute(&page, "data-without-aid"), all.extreme_without_aid);
    assert_eq!(attribute(&page, "data-waiting"), all.waiting);
    assert!(
        all.extreme_without_aid > 0 && all.waiting > 0,
        "the generated district has both"
    );
    for (programme, n) in &all.programmes {
        let row = format!("data-programme=\"{programme}\"");
        let at = page.find(&row).unwrap_or_else(|| panic!("{programme} listed"));
        let end = at + page[at..].find("</tr>").expect("the row's end");
        assert!(
            page[at..end].ends_with(&format!("<td>{n}</td>")),
            "{programme}: {n} families in {}",
            &page[at..end]
        );
    }
    assert!(
        page.contains("Program Keluarga Harapan (PKH)"),
        "programmes by their names"
    );
    assert!(
        page.contains("APBDes (Dana Desa)"),
        "funding sources by their names"
    );

    let bytes = downloaded(&web, format!("{base}/admin/bantuan.xlsx")).await;
    let (rows, column) = sheet_rows(&bytes, "kecamatan");
    let by_kecamatan: BTreeMap<&str, &Vec<String>> = rows[2..]
        .iter()
        .map(|r| (r[column("kode_kecamatan")].as_str(), r))
        .collect();
    assert_eq!(by_kecamatan.len(), 2);
    for (kecamatan, row) in by_kecamatan {
        let e = expected(&families, |v| v.starts_with(&format!("{kecamatan}.")));
        assert_eq!(row[column("keluarga")], e.families.to_string(), "{kecamatan}");
        assert_eq!(
            row[column("miskin_ekstrem")],
            e.extreme.to_string(),
            "{kecamatan}"
        );
        assert_eq!(
            row[column("miskin_ekstrem_tanpa_bantuan")],
            e.extreme_without_aid.to_string(),
            "{kecamatan}"
        );
        assert_eq!(
            row[column("usulan_menunggu")],
            e.waiting.to_string(),
            "{kecamatan}"
        );
    }
    let (funding, _) = sheet_rows(&bytes, "sumber_dana");
    let funding: BTreeMap<String, String> = funding[2..]
        .iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    let wanted: BTreeMap<String, String> = all
        .funding
        .iter()
        .map(|(f, n)| (f.clone(), n.to_string()))
        .collect();
    assert_eq!(funding, wanted);

    // Aid delivered after the round, recorded by an operator on the family's page: the first
    // family (extremely poor, receiving nothing, proposed PKH) gets PKH.
    assert!(families[0].extreme && families[0].received.is_empty() && families[0].proposed == ["PKH"]);
    let first = records[0].id.to_string();
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    let (operator, t) = signed_in(&base, "operator", PASSWORD).await;
    let deliver = format!("{base}/admin/keluarga/{first}/bantuan?_t={t}");
    let answer = operator
        .post(&deliver)
        .form(&[
            ("program", "NOPE"),
            ("sumber_dana", "7"),
            ("tanggal_salur", "2025-02-30"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 400);
    let said = answer.text().await.unwrap();
    assert!(
        said.contains("program tidak dikenal") && said.contains("sumber dana tidak dikenal"),
        "{said}"
    );
    assert_eq!(count(&db, "aid_deliveries").await, 0, "nothing stored");
    // With its own form token and a valid delivery: refused for want of the right.
    let answer = web
        .post(format!("{base}/admin/keluarga/{first}/bantuan?_t={web_token}"))
        .form(&[("program", "PKH"), ("tanggal_salur", "2025-02-03")])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 403, "the TKPK's viewer records nothing");
    // A verifikator of another kecamatan may record aid, but not for this family.
    staff_account(&db, "verifikator-lain", "verifikator", "35.13.15", PASSWORD).await;
    let (other, ot) = signed_in(&base, "verifikator-lain", PASSWORD).await;
    let answer = other
        .post(format!("{base}/admin/keluarga/{first}/bantuan?_t={ot}"))
        .form(&[("program", "PKH"), ("tanggal_salur", "2025-02-03")])
        .send()
        .await
        .expect("post");
    assert_eq!(
        answer.status(),
        404,
        "a household outside the account's region is unknown to it"
    );
    let answer = other
        .post(format!("{base}/admin/keluarga/{first}/siks-ng?_t={ot}"))
        .form(&[
            ("status", "diinput"),
            ("tanggal_input", "2025-01-15"),
            ("operator", "X"),
            ("usulan_id", "U-1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 404);
    assert_eq!(count(&db, "siks_entries").await, 0);
    assert_eq!(count(&db, "aid_deliveries").await, 0, "nothing stored");
    let answer = operator
        .post(&deliver)
        .form(&[
            ("program", "PKH"),
            ("sumber_dana", ""),
            ("tanggal_salur", "2025-02-03"),
            ("catatan_salur", "tahap 1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 303);
    let (_, page) = get(&operator, format!("{base}/admin/keluarga/{first}")).await;
    assert!(
        page.contains("data-testid=\"family-aid\" data-without-aid=\"false\" data-waiting=\"0\""),
        "PKH came"
    );
    assert!(page.contains("data-programme=\"PKH\""), "the delivery listed");
    let (_, page) = get(&web, format!("{base}/admin/bantuan")).await;
    assert_eq!(attribute(&page, "data-without-aid"), all.extreme_without_aid - 1);
    assert_eq!(attribute(&page, "data-waiting"), all.waiting - 1);
    // Who they are: counted per desa above a desa, named within one.
    assert!(page.contains("data-testid=\"unserved-by-desa\"") && !page.contains("data-record="));
    for desa in VILLAGES {
        let (_, page) = get(&web, format!("{base}/admin/bantuan?wilayah={desa}")).await;
        let named: BTreeSet<String> = page
            .split("data-record=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect();
        let wanted: BTreeSet<String> = families
            .iter()
            .zip(&records)
            .filter(|(g, r)| {
                g.village == desa && g.extreme && g.received.is_empty() && r.id.to_string() != first
            })
            .map(|(_, r)| r.id.to_string())
            .collect();
        assert!(!wanted.is_empty(), "{desa} has some");
        assert_eq!(named, wanted, "{desa}");
    }
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'bantuan_tersalur'")
            .fetch_one(&db.pool)
            .await
            .expect("audit");
    assert_eq!(events, 1);

    // A camat's account sees its kecamatan only, desa by desa.
    let (web, _) = signed_in(&base, "camat", PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/bantuan")).await;
    assert_eq!(status, 200);
    let theirs = expected(&families, |v| v.starts_with("35.13.15."));
    assert_eq!(attribute(&page, "data-families"), theirs.families);
    assert_eq!(attribute(&page, "data-without-aid"), theirs.extreme_without_aid);
    assert!(
        !page.contains("data-area=\"35.13.14\""),
        "nothing of another kecamatan"
    );
    let (status, page) = get(&web, format!("{base}/admin/bantuan?wilayah=35.13.15")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-area=\"35.13.15.2001\""),
        "the kecamatan's desa"
    );
    let (status, _) = get(&web, format!("{base}/admin/bantuan?wilayah=35.13.x")).await;
    assert_eq!(status, 400, "a bad region code is refused");
}

both!(the_recap_counts_what_each_family_receives_and_waits_for);

async fn stored_status(db: &verval_hub::db::Db, id: &str) -> Option<(String, i64, Option<i64>)> {
    sqlx::query_as("SELECT status, revision, desil FROM siks_entries WHERE record_id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .expect("siks_entries")
}

async fn a_family_is_entered_in_siks_ng_only_once_nothing_it_asks_is_missing(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    // Verified with a PLN meter but without its customer id: optional in the form, needed
    // by SIKS-NG.
    let lacking = corrected(&family(9_500, VILLAGE), ID_PELANGGAN_PLN, "");
    file_import(&db, std::slice::from_ref(&lacking), "phone-siks").await;
    let id = lacking.id.to_string();
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert_eq!(status, 200);
    let missing = &page[page
        .find("data-testid=\"siks-missing\"")
        .expect("the missing fields")..];
    assert!(
        missing.starts_with("data-testid=\"siks-missing\" data-count=\"1\""),
        "one field"
    );
    assert!(
        missing.contains("data-siks-field=\"id_pelanggan_pln\""),
        "the PLN id named"
    );
    assert!(page.contains("data-status=\"belum\""));
    assert!(
        page.contains("data-copy=\"3513141203150007\""),
        "the KK copied whole by the operator"
    );
    assert!(
        page.contains("<script src=\"/admin/salin.js\">"),
        "the copy buttons' script"
    );

    let url = format!("{base}/admin/keluarga/{id}/siks-ng?_t={t}");
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let web = web.clone();
        let url = url.clone();
        async move { web.post(&url).form(&fields).send().await.expect("post") }
    };
    let entered = vec![
        ("status", "diinput"),
        ("tanggal_input", "2025-01-15"),
        ("operator", "Rina Operator"),
        ("usulan_id", "USL-3513-0001"),
    ];
    let early = post(vec![
        ("status", "ditolak"),
        ("tanggal_input", "2025-01-15"),
        ("operator", "Rina Operator"),
        ("usulan_id", "USL-3513-0001"),
        ("alasan", "NIK tidak padan"),
    ])
    .await;
    assert_eq!(early.status(), 400, "no result before the entry");
    let refused = post(entered.clone()).await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused.text().await.unwrap().contains("id_pelanggan_pln"),
        "the refusal names the field"
    );
    assert_eq!(stored_status(&db, &id).await, None, "nothing stored");

    // Corrected on the phone: the next revision carries the PLN id.
    let complete = corrected(&lacking, ID_PELANGGAN_PLN, "51234567890");
    file_import(&db, std::slice::from_ref(&complete), "phone-siks").await;
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("data-testid=\"siks-ready\""));
    assert_eq!(post(entered).await.status(), 303);
    assert_eq!(
        stored_status(&db, &id).await,
        Some(("diinput".to_owned(), 3, None))
    );

    let mut accepted = vec![
        ("status", "diterima"),
        ("tanggal_input", "2025-01-15"),
        ("operator", "Rina Operator"),
        ("usulan_id", "USL-3513-0001"),
        ("desil", "11"),
    ];
    assert_eq!(post(accepted.clone()).await.status(), 400, "desil 11");
    assert_eq!(
        stored_status(&db, &id).await,
        Some(("diinput".to_owned(), 3, None)),
        "unchanged"
    );
    accepted[4] = ("desil", "2");
    // A later version arrived without the PLN id: SIKS-NG's result is still about revision 3.
    let later = corrected(&complete, ID_PELANGGAN_PLN, "");
    file_import(&db, std::slice::from_ref(&later), "phone-siks").await;
    assert_eq!(post(accepted).await.status(), 303);
    assert_eq!(
        stored_status(&db, &id).await,
        Some(("diterima".to_owned(), 3, Some(2)))
    );
    let no_reason = vec![
        ("status", "ditolak"),
        ("tanggal_input", "2025-01-15"),
        ("operator", "Rina Operator"),
        ("usulan_id", "USL-3513-0001"),
    ];
    let answer = post(no_reason).await;
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("alasan penolakan"));
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("data-status=\"diterima\""));
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'status_siks_ng'")
        .fetch_one(&db.pool)
        .await
        .expect("audit");
    assert_eq!(events, 2, "each recorded standing audited");

    // The TKPK's viewer reads the standing, records none, copies no masked number.
    let (viewer, vt) = signed_in(&base, "tkpk", PASSWORD).await;
    let (_, page) = get(&viewer, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("data-status=\"diterima\""));
    assert!(!page.contains("siks-form"));
    assert!(!page.contains("3513141203150007"), "no KK in full for the viewer");
    let answer = viewer
        .post(format!("{base}/admin/keluarga/{id}/siks-ng?_t={vt}"))
        .form(&[("status", "ditolak")])
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 403);
}

both!(a_family_is_entered_in_siks_ng_only_once_nothing_it_asks_is_missing);

/// The results list filled in as the district would: the hub's layout, `rows` of
/// (proposal id, result, desil, reason).
fn filled_list(rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    use verval_core::aid::siks_results::RESULT_COLUMNS;
    use verval_core::export::{ColumnKind, RegionNames, Table};
    let columns: Vec<(&str, &str, ColumnKind)> = RESULT_COLUMNS
        .iter()
        .map(|(id, label)| (*id, *label, ColumnKind::Text))
        .collect();
    let mut table = Table::new("hasil_siks_ng", &columns);
    for (id, result, desil, reason) in rows {
        let row = [
            *id,
            VILLAGE,
            "2025-01-15",
            "Rina Operator",
            *result,
            *desil,
            *reason,
        ];
        table.rows.push(row.iter().map(|v| (*v).to_owned()).collect());
    }
    verval_core::export::xlsx::write(&[&table], &RegionNames::default()).expect("a workbook")
}

fn results_part(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "hasil",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    )
}

async fn siks_ng_results_come_back_from_a_spreadsheet_all_or_nothing(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "verif-15", "verifikator", "35.13.15", PASSWORD).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    let families: Vec<HouseholdRecord> = (0..3)
        .map(|i| corrected(&family(9_600 + i, VILLAGE), ID_PELANGGAN_PLN, "51234567890"))
        .collect();
    file_import(&db, &families, "phone-results").await;
    let entered = |n: usize| verval_hub::siks_ng::SiksEntry {
        status: "diinput".to_owned(),
        entered_on: "2025-01-15".to_owned(),
        operator: "Rina Operator".to_owned(),
        usulan_id: format!("USL-{n}"),
        desil: None,
        reason: String::new(),
        revision: 2,
    };
    let ids: Vec<String> = families.iter().map(|f| f.id.to_string()).collect();
    for (n, id) in ids.iter().enumerate() {
        verval_hub::siks_ng::set(&db, id, &entered(n), &verval_hub::audit::Actor::cli())
            .await
            .expect("entered");
    }
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let audited = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE action = 'status_siks_ng'")
            .fetch_one(&db.pool)
            .await
            .expect("audit")
    };
    let statuses = || async {
        let mut all = Vec::new();
        for id in &ids {
            all.push(
                stored_status(&db, id)
                    .await
                    .map(|(status, _, desil)| (status, desil)),
            );
        }
        all
    };
    let waiting = vec![Some(("diinput".to_owned(), None)); 3];

    // The list to fill: every proposal entered, by id, and no name or number of a family.
    let (_, page) = get(&web, format!("{base}/admin/bantuan")).await;
    assert!(
        page.contains("data-testid=\"siks-results-import\""),
        "the import form"
    );
    let list = downloaded(&web, format!("{base}/admin/bantuan/hasil-siks-ng.xlsx")).await;
    let (rows, column) = sheet_rows(&list, "hasil_siks_ng");
    let listed: BTreeSet<String> = rows[2..].iter().map(|r| r[column("id_usulan")].clone()).collect();
    assert_eq!(listed, (0..3).map(|n| format!("USL-{n}")).collect());
    assert!(
        rows[2..].iter().all(|r| r[column("hasil")].is_empty()),
        "no result yet"
    );
    let everything = rows.concat().join("|");
    for f in &families {
        let head = f.answers.get(verval_core::fields::NAMA_KEPALA_KELUARGA);
        let kk = f.answers.get(verval_core::fields::NOMOR_KK);
        assert!(
            !everything.contains(head) && !everything.contains(kk),
            "no name, no KK"
        );
    }

    let import = |who: reqwest::Client, token: String, name: &'static str, bytes: Vec<u8>| {
        let url = format!("{base}/admin/bantuan/hasil-siks-ng?_t={token}");
        async move {
            let answer = who
                .post(&url)
                .multipart(results_part(name, bytes))
                .send()
                .await
                .expect("post");
            (answer.status().as_u16(), answer.text().await.expect("body"))
        }
    };
    // One good row and one unknown id: refused whole, the unknown named by its row.
    let (status, page) = import(
        web.clone(),
        t.clone(),
        "hasil.xlsx",
        filled_list(&[
            ("USL-0", "diterima", "2", ""),
            ("USL-404", "ditolak", "", "ganda"),
        ]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("data-problems=\"1\""), "{page}");
    assert!(
        page.contains("baris 4: ID usulan USL-404 tidak dikenal"),
        "{page}"
    );
    assert_eq!(statuses().await, waiting, "nothing changed");
    // Rows the reader cannot judge: every one named.
    let (status, page) = import(
        web.clone(),
        t.clone(),
        "hasil.xlsx",
        filled_list(&[("USL-0", "diterima", "12", ""), ("USL-1", "ditolak", "", "")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("data-problems=\"2\""), "{page}");
    assert!(page.contains("baris 3: desil baru") && page.contains("baris 4: alasan penolakan kosong"));
    let (status, page) = import(web.clone(), t.clone(), "hasil.xlsx", b"not a workbook".to_vec()).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(statuses().await, waiting, "nothing changed");
    // A verifikator of another kecamatan does not reach these families' proposals.
    let (verif, vt) = signed_in(&base, "verif-15", PASSWORD).await;
    let (status, page) = import(
        verif,
        vt,
        "hasil.xlsx",
        filled_list(&[("USL-0", "diterima", "2", "")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("USL-0 tidak dikenal"), "{page}");
    assert_eq!(statuses().await, waiting, "nothing changed");
    let before = audited().await;

    let good = filled_list(&[
        ("USL-0", "Diterima", "2", ""),
        ("USL-1", "ditolak", "", "NIK tidak padan Dukcapil"),
        ("USL-2", "", "", ""),
    ]);
    let (status, page) = import(web.clone(), t.clone(), "hasil.xlsx", good.clone()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("data-accepted=\"1\" data-refused=\"1\" data-unchanged=\"0\" data-waiting=\"1\""));
    assert_eq!(
        statuses().await,
        vec![
            Some(("diterima".to_owned(), Some(2))),
            Some(("ditolak".to_owned(), None)),
            Some(("diinput".to_owned(), None)),
        ]
    );
    assert_eq!(audited().await, before + 1, "one event for the import");
    let households: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_households WHERE seq = (SELECT MAX(seq) FROM audit_events)",
    )
    .fetch_one(&db.pool)
    .await
    .expect("audit households");
    assert_eq!(households, 2, "naming the two families changed");
    // The same file again changes nothing and writes no event.
    let (status, page) = import(web.clone(), t.clone(), "hasil.xlsx", good).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-accepted=\"0\" data-refused=\"0\" data-unchanged=\"2\""));
    assert_eq!(audited().await, before + 1);
    // The list now carries the results recorded.
    let list = downloaded(&web, format!("{base}/admin/bantuan/hasil-siks-ng.xlsx")).await;
    let (rows, column) = sheet_rows(&list, "hasil_siks_ng");
    let usl0 = rows
        .iter()
        .find(|r| r[column("id_usulan")] == "USL-0")
        .expect("USL-0");
    assert_eq!(
        (usl0[column("hasil")].as_str(), usl0[column("desil")].as_str()),
        ("diterima", "2")
    );

    // The TKPK's viewer neither takes the list nor imports.
    let (viewer, vt) = signed_in(&base, "tkpk", PASSWORD).await;
    let (status, _) = get(&viewer, format!("{base}/admin/bantuan/hasil-siks-ng.xlsx")).await;
    assert_eq!(status, 403);
    let (_, page) = get(&viewer, format!("{base}/admin/bantuan")).await;
    assert!(!page.contains("siks-results-import"));
    let (status, _) = import(
        viewer,
        vt,
        "hasil.xlsx",
        filled_list(&[("USL-2", "diterima", "3", "")]),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(statuses().await[2], Some(("diinput".to_owned(), None)));
}

both!(siks_ng_results_come_back_from_a_spreadsheet_all_or_nothing);

async fn audit_count(db: &verval_hub::db::Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&db.pool)
        .await
        .expect("audit")
}

async fn stored_decisions(db: &verval_hub::db::Db) -> BTreeMap<String, (String, String)> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT record_id, decision, note FROM musdes_decisions")
            .fetch_all(&db.pool)
            .await
            .expect("decisions");
    rows.into_iter().map(|(id, d, n)| (id, (d, n))).collect()
}

async fn a_village_meeting_reads_its_families_and_records_their_decisions(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "verif-15", "verifikator", "35.13.15", PASSWORD).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    // Each proposes BLT-DD and RTLH-Desa (the village fund); the first PIP too (SIKS-NG). The
    // PKH each already receives would not be proposed again.
    let mut families: Vec<HouseholdRecord> = (0..3).map(|i| family(9_700 + i, VILLAGE)).collect();
    families[0] = corrected(&families[0], BANTUAN_DIUSULKAN, "PIP BLT_DD");
    let elsewhere = family(9_710, OTHER_VILLAGE);
    let mut all = families.clone();
    all.push(elsewhere.clone());
    file_import(&db, &all, "phone-musdes").await;
    let ids: Vec<String> = families.iter().map(|f| f.id.to_string()).collect();
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;

    let (status, page) = get(&web, format!("{base}/admin/musdes")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("data-desa=\"{VILLAGE}\""))
            && page.contains(&format!("data-desa=\"{OTHER_VILLAGE}\""))
    );
    let add = |fields: Vec<(&'static str, &'static str)>| {
        let (web, url) = (web.clone(), format!("{base}/admin/musdes?_t={t}"));
        async move { web.post(&url).form(&fields).send().await.expect("post") }
    };
    let meeting = |date: &'static str, number: &'static str| {
        vec![
            ("kode_desa", VILLAGE),
            ("periode", "Musdesus Oktober 2026"),
            ("nomor_ba", number),
            ("tanggal_musdes", date),
            ("tempat", "Balai Desa"),
            ("pimpinan", "Sutrisno"),
        ]
    };
    let refused = add(meeting("2999-01-01", "")).await;
    assert_eq!(refused.status(), 400);
    let text = refused.text().await.unwrap();
    assert!(
        text.contains("nomor berita acara kosong") && text.contains("di masa depan"),
        "{text}"
    );
    let added = add(meeting("2025-10-14", "140/07/BA/2025")).await;
    assert_eq!(added.status(), 303);
    let at = added.headers()["location"].to_str().unwrap().to_owned();
    let again = add(meeting("2025-10-15", "140/08/BA/2025")).await;
    assert_eq!(again.status(), 400, "one meeting per period and desa");
    let mut kecamatan = meeting("2025-10-15", "140/09/BA/2025");
    kecamatan[0] = ("kode_desa", "35.13.14");
    let answer = add(kecamatan).await;
    assert_eq!(
        answer.status(),
        400,
        "a kecamatan's code would read out all its villages"
    );
    assert!(answer.text().await.unwrap().contains("bukan kode desa"));
    assert_eq!(audit_count(&db, "musdes").await, 1);

    // The by-name list: this desa's families only, by name, no KK number.
    let (status, page) = get(&web, format!("{base}{at}")).await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("<tr data-record=").count(), 3);
    for f in &families {
        assert!(page.contains(f.answers.get(verval_core::fields::NAMA_KEPALA_KELUARGA)));
        assert!(
            !page.contains(f.answers.get(verval_core::fields::NOMOR_KK)),
            "no KK number"
        );
    }
    assert!(
        !page.contains(&elsewhere.id.to_string()),
        "another desa's family is not read"
    );
    assert!(page.contains("data-undecided=\"3\""));

    let decide = |who: reqwest::Client, token: String, fields: Vec<(&'static str, String)>| {
        let url = format!("{base}{at}/keputusan?_t={token}");
        async move { who.post(&url).form(&fields).send().await.expect("post") }
    };
    // As a browser sends the form: each family's id, the version of its decision the page
    // showed (`shown`, by household id), its decision and note.
    let form = |d: [(&'static str, &'static str); 3],
                shown: &BTreeMap<String, String>|
     -> Vec<(&'static str, String)> {
        ids.iter()
            .zip(d)
            .flat_map(|(id, (decision, note))| {
                [
                    ("keluarga", id.clone()),
                    ("versi", shown.get(id).cloned().unwrap_or_default()),
                    ("keputusan_musdes", decision.to_owned()),
                    ("catatan_musdes", note.to_owned()),
                ]
            })
            .collect()
    };
    let decisions = |d: [(&'static str, &'static str); 3]| form(d, &BTreeMap::new());
    // The versions the meeting's page shows now.
    let shown_now = || async {
        let (_, page) = get(&web, format!("{base}{at}")).await;
        page.split("name=\"keluarga\" value=\"")
            .skip(1)
            .map(|rest| {
                let id = rest.split('"').next().unwrap().to_owned();
                let version = rest
                    .split("name=\"versi\" value=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                (id, version.to_owned())
            })
            .collect::<BTreeMap<String, String>>()
    };
    let wrong = decide(
        web.clone(),
        t.clone(),
        decisions([("disetujui", ""), ("setuju", ""), ("", "tanpa keputusan")]),
    )
    .await;
    assert_eq!(wrong.status(), 400);
    let text = wrong.text().await.unwrap();
    assert!(
        text.contains("no. 2: keputusan") && text.contains("no. 3: catatan tanpa keputusan"),
        "{text}"
    );
    let mut foreign = decisions([("disetujui", ""), ("", ""), ("", "")]);
    foreign.extend([
        ("keluarga", elsewhere.id.to_string()),
        ("keputusan_musdes", "disetujui".to_owned()),
        ("catatan_musdes", String::new()),
    ]);
    let answer = decide(web.clone(), t.clone(), foreign).await;
    assert_eq!(answer.status(), 400, "a family of another desa");
    let mut twice = decisions([("disetujui", ""), ("", ""), ("", "")]);
    twice.extend([
        ("keluarga", ids[0].clone()),
        ("keputusan_musdes", "tidak_disetujui".to_owned()),
        ("catatan_musdes", String::new()),
    ]);
    let answer = decide(web.clone(), t.clone(), twice).await;
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("dua kali"));
    assert!(stored_decisions(&db).await.is_empty(), "nothing stored");

    let chosen = decisions([("disetujui", ""), ("tidak_disetujui", "sudah mampu"), ("", "")]);
    assert_eq!(decide(web.clone(), t.clone(), chosen.clone()).await.status(), 303);
    let stored = stored_decisions(&db).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(
        stored[&ids[1]],
        ("tidak_disetujui".to_owned(), "sudah mampu".to_owned())
    );
    assert_eq!(audit_count(&db, "musdes").await, 2);
    assert_eq!(decide(web.clone(), t.clone(), chosen).await.status(), 303);
    assert_eq!(
        audit_count(&db, "musdes").await,
        2,
        "the same decisions again change nothing"
    );
    let (_, page) = get(&web, format!("{base}{at}")).await;
    assert!(
        page.contains("data-agreed=\"1\" data-not-agreed=\"1\" data-postponed=\"0\" data-undecided=\"1\"")
    );

    // The channels' lists: only the agreed family, each with its channel's programmes.
    for (channel, count) in [("siks-ng", 1), ("apbd", 0), ("blt-dd", 1), ("filantropi", 0)] {
        assert!(
            page.contains(&format!("data-channel=\"{channel}\" data-families=\"{count}\"")),
            "{channel}: {count}"
        );
    }
    let kk = families[0].answers.get(verval_core::fields::NOMOR_KK);
    let head = families[0].answers.get(verval_core::fields::NAMA_KEPALA_KELUARGA);
    let book = downloaded(&web, format!("{base}{at}/kanal/siks-ng")).await;
    let (rows, column) = sheet_rows(&book, "usulan");
    assert_eq!(rows.len(), 2 + 1);
    assert_eq!(
        (
            rows[2][column("nomor_kk")].as_str(),
            rows[2][column("nama_kepala_keluarga")].as_str()
        ),
        (kk, head)
    );
    assert_eq!(rows[2][column("program_diusulkan")], "PIP/KIP sekolah");
    assert_eq!(rows[2][column("nomor_ba_musdes")], "140/07/BA/2025");
    let book = downloaded(&web, format!("{base}{at}/kanal/blt-dd")).await;
    let (rows, column) = sheet_rows(&book, "usulan");
    assert_eq!(rows.len(), 2 + 1, "the family not agreed is left out");
    assert!(
        rows[2][column("program_diusulkan")].starts_with("BLT"),
        "{:?}",
        rows[2]
    );
    let nik = rows[2][column("nik_kepala_keluarga")].clone();
    assert_eq!(nik.len(), 16, "whole for the operator: {nik}");
    // The TKPK's viewer gets the list with the numbers masked; both hand-outs audited.
    let (viewer, _) = signed_in(&base, "tkpk", PASSWORD).await;
    let book = downloaded(&viewer, format!("{base}{at}/kanal/blt-dd")).await;
    let (rows, column) = sheet_rows(&book, "usulan");
    let masked = &rows[2][column("nik_kepala_keluarga")];
    assert!(masked.contains('*') && !masked.contains(&nik[4..14]), "{masked}");
    let (status, _) = get(&web, format!("{base}{at}/kanal/bansos")).await;
    assert_eq!(status, 404, "an unknown channel");
    let handed: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_events WHERE action = 'ekspor' ORDER BY seq DESC LIMIT 2",
    )
    .fetch_all(&db.pool)
    .await
    .expect("audit");
    assert!(
        handed[0].contains("\"disamarkan\":true") && handed[0].contains("\"daftar\":\"blt-dd\""),
        "{handed:?}"
    );
    assert!(handed[1].contains("\"nik\":true"), "{handed:?}");

    // The family corrected after the meeting: its decision waits to be taken again before
    // its proposals go on; saved again from the page, it holds for the new version.
    let later = corrected(&families[0], BANTUAN_DIUSULKAN, "PIP 99");
    file_import(&db, std::slice::from_ref(&later), "phone-musdes").await;
    let (_, page) = get(&web, format!("{base}{at}")).await;
    assert!(page.contains(&format!(
        "data-record=\"{}\" data-decision=\"disetujui\" data-changed=\"true\"",
        ids[0]
    )));
    assert!(
        page.contains("data-channel=\"siks-ng\" data-families=\"0\""),
        "held back"
    );
    let again = form(
        [("disetujui", ""), ("tidak_disetujui", "sudah mampu"), ("", "")],
        &shown_now().await,
    );
    assert_eq!(decide(web.clone(), t.clone(), again).await.status(), 303);
    let (_, page) = get(&web, format!("{base}{at}")).await;
    assert!(!page.contains("data-changed"));
    assert!(page.contains("data-channel=\"siks-ng\" data-families=\"1\""));
    assert!(
        page.contains("data-channel=\"blt-dd\" data-families=\"0\""),
        "BLT-DD no longer proposed"
    );
    // A decision taken back: postponed instead, the other cleared.
    // A page opened before those decisions would undo them: refused, nothing changed.
    let stale = decisions([("ditunda", "data belum lengkap"), ("", ""), ("", "")]);
    let answer = decide(web.clone(), t.clone(), stale).await;
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("diubah orang lain"));
    assert_eq!(stored_decisions(&db).await.len(), 2);
    let changed = form(
        [("ditunda", "data belum lengkap"), ("", ""), ("", "")],
        &shown_now().await,
    );
    assert_eq!(decide(web.clone(), t.clone(), changed).await.status(), 303);
    let stored = stored_decisions(&db).await;
    assert_eq!(stored.keys().collect::<Vec<_>>(), vec![&ids[0]]);
    assert_eq!(stored[&ids[0]].0, "ditunda");

    // A family of the desa arriving after the meeting decided is not on its list (frozen at
    // its first decision): it waits for the next meeting, and the page says so.
    let newcomer = family(9_720, VILLAGE);
    file_import(&db, std::slice::from_ref(&newcomer), "phone-musdes").await;
    let (_, page) = get(&web, format!("{base}{at}")).await;
    assert!(page.contains("data-testid=\"musdes-later\" data-families=\"1\""));
    assert!(!page.contains(newcomer.id.as_str()), "not on the meeting's list");

    // Printed and downloaded: the three documents, the names, each hand-out audited.
    let exports = audit_count(&db, "ekspor").await;
    let (status, print) = get(&web, format!("{base}{at}/cetak")).await;
    assert_eq!(status, 200);
    for part in ["berita-acara", "sptjm", "daftar-hadir"] {
        assert!(print.contains(&format!("data-testid=\"{part}\"")), "{part}");
    }
    assert!(print.contains("140/07/BA/2025") && print.contains("1 ditunda"));
    assert!(print.contains(families[2].answers.get(verval_core::fields::NAMA_KEPALA_KELUARGA)));
    let book = downloaded(&web, format!("{base}{at}/daftar.xlsx")).await;
    let (rows, column) = sheet_rows(&book, "musdes");
    assert_eq!(rows.len(), 2 + 3);
    let decided: Vec<&str> = rows[2..]
        .iter()
        .map(|r| r[column("keputusan_musdes")].as_str())
        .collect();
    assert_eq!(
        decided.iter().filter(|d| **d == "Ditunda").count(),
        1,
        "{decided:?}"
    );
    assert_eq!(audit_count(&db, "ekspor").await, exports + 2);

    // Another kecamatan's verifikator does not reach the meeting; the viewer reads, decides nothing.
    let (verif, vt) = signed_in(&base, "verif-15", PASSWORD).await;
    let (status, _) = get(&verif, format!("{base}{at}")).await;
    assert_eq!(status, 404);
    let answer = decide(verif, vt, decisions([("disetujui", ""), ("", ""), ("", "")])).await;
    assert_eq!(answer.status(), 404);
    let (viewer, wt) = signed_in(&base, "tkpk", PASSWORD).await;
    let (status, page) = get(&viewer, format!("{base}{at}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("musdes-decisions") && page.contains("Ditunda"));
    let answer = decide(viewer, wt, decisions([("disetujui", ""), ("", ""), ("", "")])).await;
    assert_eq!(answer.status(), 403);
    assert_eq!(stored_decisions(&db).await.len(), 1);
}

both!(a_village_meeting_reads_its_families_and_records_their_decisions);

async fn a_district_programme_is_added_then_delivered_and_counted(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "tkpk", "viewer", "35.13", PASSWORD).await;
    let household = family(9_800, VILLAGE);
    file_import(&db, std::slice::from_ref(&household), "phone-programmes").await;
    let id = household.id.to_string();
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;
    let add = |who: reqwest::Client, token: String, fields: [(&'static str, &'static str); 3]| {
        let url = format!("{base}/admin/bantuan/program?_t={token}");
        async move { who.post(&url).form(&fields).send().await.expect("post") }
    };
    let settings = || audit_count(&db, "pengaturan");

    let wrong = add(
        web.clone(),
        t.clone(),
        [
            ("kode_program", "PKH"),
            ("nama_program", ""),
            ("sumber_dana_program", "8"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), 400);
    let said = wrong.text().await.unwrap();
    assert!(
        said.contains("kode PKH sudah dipakai")
            && said.contains("nama program")
            && said.contains("sumber dana"),
        "{said}"
    );
    let (viewer, vt) = signed_in(&base, "tkpk", PASSWORD).await;
    let refused = add(
        viewer.clone(),
        vt,
        [
            ("kode_program", "BANTUAN_BUPATI"),
            ("nama_program", "Bantuan Bupati"),
            ("sumber_dana_program", "3"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 403, "the viewer changes no setting");
    assert_eq!(settings().await, 0);
    let added = add(
        web.clone(),
        t.clone(),
        [
            ("kode_program", "bantuan_bupati"),
            ("nama_program", "Bantuan Bupati untuk lansia"),
            ("sumber_dana_program", "3"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    assert_eq!(settings().await, 1);

    // Delivered to the family by its code, its funding the programme's usual one.
    let (_, page) = get(&web, format!("{base}/admin/keluarga/{id}")).await;
    assert!(page.contains("<option value=\"BANTUAN_BUPATI\">Bantuan Bupati untuk lansia</option>"));
    let delivered = web
        .post(format!("{base}/admin/keluarga/{id}/bantuan?_t={t}"))
        .form(&[("program", "BANTUAN_BUPATI"), ("tanggal_salur", "2025-02-03")])
        .send()
        .await
        .expect("post");
    assert_eq!(delivered.status(), 303);
    let funding: String = sqlx::query_scalar("SELECT funding FROM aid_deliveries WHERE record_id = $1")
        .bind(&id)
        .fetch_one(&db.pool)
        .await
        .expect("the delivery");
    assert_eq!(funding, "3");
    // Counted by the recap under its name, on the page and in the workbook.
    let (_, page) = get(&viewer, format!("{base}/admin/bantuan")).await;
    let row = &page[page.find("data-programme=\"BANTUAN_BUPATI\"").expect("counted")..];
    assert!(
        row.starts_with("data-programme=\"BANTUAN_BUPATI\"><td>Bantuan Bupati untuk lansia</td><td>1</td>"),
        "{}",
        &row[..120]
    );
    assert!(
        page.contains("data-testid=\"district-programmes\"") && !page.contains("district-programme-form")
    );
    let book = downloaded(&viewer, format!("{base}/admin/bantuan.xlsx")).await;
    let (rows, column) = sheet_rows(&book, "program");
    let bupati = rows
        .iter()
        .find(|r| r[column("kode")] == "BANTUAN_BUPATI")
        .expect("in the workbook");
    assert_eq!(
        (
            bupati[column("nama")].as_str(),
            bupati[column("keluarga")].as_str()
        ),
        ("Bantuan Bupati untuk lansia", "1")
    );
    // The same code again is refused.
    let again = add(
        web,
        t,
        [
            ("kode_program", "BANTUAN_BUPATI"),
            ("nama_program", "Lagi"),
            ("sumber_dana_program", "3"),
        ],
    )
    .await;
    assert_eq!(again.status(), 400);
    assert_eq!(settings().await, 1);
}

both!(a_district_programme_is_added_then_delivered_and_counted);
