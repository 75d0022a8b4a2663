//! Supervision (issue #21): the progress dashboard's numbers against a generated regency
//! (24 kecamatan, 330 villages, 20,000 households), each counted again here from the
//! generator's own lists; the page, its drill-down and its workbook; a reader's region; and
//! visits counted from real batches, kept across a reopen of the hub.

mod support;

use std::collections::BTreeMap;
use support::district::{self, District, DAY_MS};
use support::*;
use verval_core::campaign::link::PrelistLink;
use verval_core::form::default::{ART, FOTO_RUMAH_DEPAN, NAMA_PETUGAS};
use verval_core::region::{RegionCode, KECAMATAN_DEPTH};
use verval_core::supervision::flags::Flag;
use verval_core::sync::api::PROGRESS_PATH;
use verval_core::Timestamp;
use verval_hub::audit::Actor;
use verval_hub::ingest::{ingest, limits, Source};
use verval_hub::staff::Scope;
use verval_hub::supervision::devices;
use verval_hub::supervision::progress::{Progress, Sender, Tally};
use verval_hub::supervision::proof;
use verval_hub::Config;

const PASSWORD: &str = "sandi-uji-kemajuan";

/// A household's head, latitude, accuracy and house photo as `records` keeps them.
type Evidence = (String, Option<i64>, Option<i64>, Option<i64>);

/// A village's counts, from the generator's lists.
fn expected_village(d: &District, village: &str) -> Tally {
    let listed: Vec<&str> = d
        .listed
        .iter()
        .filter(|l| l.village == village && l.in_latest)
        .map(|l| l.prelist_id.as_str())
        .collect();
    let here: Vec<&district::Household> = d.households.iter().filter(|h| h.village == village).collect();
    let target = d
        .targets
        .iter()
        .find(|(v, _)| v == village)
        .map_or(listed.len() as i64, |(_, t)| *t);
    let received = here.len() as i64;
    let in_review = |code: &str| here.iter().filter(|h| h.review == code).count() as i64;
    let not_visited = if listed.is_empty() {
        (target - received).max(0)
    } else {
        listed
            .iter()
            .filter(|id| !d.households.iter().any(|h| h.prelist_id == **id))
            .count() as i64
    };
    Tally {
        target,
        listed: listed.len() as i64,
        not_visited,
        received,
        approved: in_review("disetujui"),
        sent_back: in_review("perlu_perbaikan"),
        rejected: in_review("ditolak"),
        waiting: in_review("diterima") + in_review("tinjau_ulang"),
        conflicts: here.iter().filter(|h| h.conflict).count() as i64,
        doubtful: here
            .iter()
            .filter(|h| {
                d.duplicates
                    .keys()
                    .any(|(a, b)| *a == h.record_id || *b == h.record_id)
            })
            .count() as i64,
        // No phone of the generated regency reported (a report is tested with real phones).
        begun_on_phones: 0,
        finalized_on_phones: 0,
    }
}

fn sum(tallies: impl Iterator<Item = Tally>) -> Tally {
    let mut total = Tally::default();
    for t in tallies {
        total += t;
    }
    total
}

/// The number in the first cell marked `testid` after `marker` in a page.
fn number_after(page: &str, marker: &str, testid: &str) -> i64 {
    let from = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} on the page"));
    let cell = format!("data-testid=\"{testid}\">");
    let at = page[from..].find(&cell).expect("the cell") + from + cell.len();
    page[at..]
        .split('<')
        .next()
        .expect("text")
        .trim()
        .parse()
        .expect("a number")
}

async fn the_dashboard_counts_what_the_district_holds(backend: Backend) {
    let db = fresh_db(backend).await;
    let now = verval_hub::db::now_ms();
    let d = district::generate(now);
    district::store(&db, &d).await;
    let expected: BTreeMap<&str, Tally> = d
        .villages
        .iter()
        .map(|v| (v.as_str(), expected_village(&d, v)))
        .collect();

    // Every village, every kecamatan, the regency.
    let progress = Progress::load(&db, &Scope::everywhere(), None)
        .await
        .expect("progress");
    assert_eq!(progress.villages.len(), district::VILLAGES);
    for v in &progress.villages {
        assert_eq!(v.tally, expected[v.code.as_str()], "village {}", v.code);
    }
    let areas = progress.by_area(KECAMATAN_DEPTH);
    assert_eq!(areas.len(), district::KECAMATAN);
    for (code, tally) in &areas {
        let want = sum(expected
            .iter()
            .filter(|(v, _)| v.starts_with(&format!("{code}.")))
            .map(|(_, t)| *t));
        assert_eq!(*tally, want, "kecamatan {code}");
    }
    let total = progress.total();
    assert_eq!(total.received, district::HOUSEHOLDS as i64);
    assert_eq!(total, sum(expected.values().copied()));

    // Each enumerator: what they sent, and their shares adding up to their villages' targets.
    let workers = progress.by_worker();
    for e in &d.enumerators {
        let w = workers
            .iter()
            .find(|w| w.sender == Sender::Enrolled(e.id.clone()))
            .unwrap_or_else(|| panic!("{} listed", e.name));
        let theirs: Vec<&district::Household> = d
            .households
            .iter()
            .filter(|h| h.enumerator_id.as_deref() == Some(e.id.as_str()))
            .collect();
        assert_eq!(w.tally.received, theirs.len() as i64, "{}", e.name);
        assert_eq!(
            w.tally.approved,
            theirs.iter().filter(|h| h.review == "disetujui").count() as i64
        );
        assert_eq!(w.villages, e.villages.len(), "{}", e.name);
    }
    let shares: i64 = workers.iter().map(|w| w.tally.target).sum();
    assert_eq!(
        shares, total.target,
        "the shares split every village's target whole"
    );
    for sender in ["Kader 0", "Kader 1", "Kader 2"] {
        let w = workers
            .iter()
            .find(|w| w.sender == Sender::File(sender.to_owned()))
            .expect("a file's sender");
        let sent = d
            .households
            .iter()
            .filter(|h| h.enumerator_id.is_none() && h.file_sender == sender)
            .count();
        assert_eq!(w.tally.received, sent as i64);
    }

    // The phones silent for more than three days: every seventh, nothing else.
    let contacts = devices::contacts(&db, &Scope::everywhere(), None)
        .await
        .expect("contacts");
    assert_eq!(contacts.len(), district::ENUMERATORS);
    let silent: Vec<&str> = contacts
        .iter()
        .filter(|c| c.silent_days(now) > 3)
        .map(|c| c.device.as_str())
        .collect();
    let want: Vec<String> = d
        .enumerators
        .iter()
        .filter(|e| now - e.last_seen > 3 * DAY_MS)
        .map(|e| format!("hp-{}", e.id))
        .collect();
    assert_eq!(silent.len(), want.len());
    assert!(want.iter().all(|w| silent.contains(&w.as_str())), "{silent:?}");

    // Every planted doubtful visit raises its flags, and nothing else is flagged.
    let rules = proof::rules(10);
    let checked = proof::checked(&db, &Scope::everywhere(), None, &rules)
        .await
        .expect("checked");
    let flagged: BTreeMap<String, Vec<Flag>> = checked
        .iter()
        .filter(|c| !c.flags.is_empty())
        .map(|c| (c.record_id.clone(), c.flags.clone()))
        .collect();
    let missed: Vec<_> = d
        .planted
        .iter()
        .filter(|(id, f)| flagged.get(*id) != Some(f))
        .collect();
    let extra: Vec<_> = flagged
        .iter()
        .filter(|(id, f)| d.planted.get(*id) != Some(f))
        .collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "planted but not raised: {missed:?}; raised but not planted: {extra:?}"
    );
    // A village is judged within its kecamatan: the far house is still far.
    let (far_id, _) = d
        .planted
        .iter()
        .find(|(_, f)| f.contains(&Flag::FarFromVillage))
        .expect("planted");
    let far = d
        .households
        .iter()
        .find(|h| &h.record_id == far_id)
        .expect("household");
    let far_village = RegionCode::parse(&far.village).expect("code");
    let in_village = proof::checked(&db, &Scope::everywhere(), Some(&far_village), &rules)
        .await
        .expect("village");
    assert!(in_village.iter().all(|c| c.village == far.village));
    assert_eq!(
        in_village
            .iter()
            .find(|c| &c.record_id == far_id)
            .map(|c| c.flags.clone()),
        Some(vec![Flag::OutsideKecamatan, Flag::FarFromVillage])
    );

    // A supervisor's kecamatan, and nothing outside it even when asked for.
    let fifth = district::kecamatan_code(4);
    let scope = Scope::parse(&fifth).expect("scope");
    let theirs = Progress::load(&db, &scope, None).await.expect("theirs");
    assert!(theirs
        .villages
        .iter()
        .all(|v| v.code.starts_with(&format!("{fifth}."))));
    assert_eq!(theirs.total(), areas[4].1);
    let sixth = RegionCode::parse(&district::kecamatan_code(5)).expect("code");
    let outside = Progress::load(&db, &scope, Some(&sixth)).await.expect("outside");
    assert!(outside.villages.is_empty());

    // The page, its drill-down and its workbook show the same numbers.
    staff_account(&db, "korkab", "operator", "", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, _) = signed_in(&base, "korkab", PASSWORD).await;
    let (status, home) = get(&web, format!("{base}/admin")).await;
    assert_eq!(status, 200);
    for (code, tally) in &areas {
        let row = format!("data-code=\"{code}\"");
        assert_eq!(number_after(&home, &row, "received"), tally.received, "{code}");
        assert_eq!(
            number_after(&home, &row, "not-visited"),
            tally.not_visited,
            "{code}"
        );
    }
    let (_, kecamatan) = get(&web, format!("{base}/admin?wilayah={}", areas[0].0)).await;
    let village = &d.villages[0];
    assert_eq!(
        number_after(&kecamatan, &format!("data-code=\"{village}\""), "received"),
        expected[village.as_str()].received
    );
    let (_, one_village) = get(&web, format!("{base}/admin?wilayah={village}")).await;
    assert_eq!(
        number_after(&one_village, "data-testid=\"village-total\"", "received"),
        expected[village.as_str()].received
    );
    let (_, listed) = get(&web, format!("{base}/admin/keluarga?wilayah={}", areas[0].0)).await;
    assert!(
        listed.contains(&format!(
            "data-testid=\"matching\">{} keluarga",
            areas[0].1.received
        )),
        "the kecamatan's households behind its number"
    );

    let bytes = downloaded(&web, format!("{base}/admin/kemajuan.xlsx")).await;
    let (rows, column) = sheet_rows(&bytes, "kecamatan");
    let (code, received, not_visited) = (
        column("kode_kecamatan"),
        column("diterima"),
        column("belum_dikunjungi"),
    );
    assert_eq!(rows.len() - 2, areas.len());
    for (row, (area, tally)) in rows[2..].iter().zip(&areas) {
        assert_eq!(&row[code], area);
        assert_eq!(row[received], tally.received.to_string());
        assert_eq!(row[not_visited], tally.not_visited.to_string());
    }
    let (villages, _) = sheet_rows(&bytes, "desa");
    assert_eq!(villages.len() - 2, district::VILLAGES);
    let (flag_rows, flag_column) = sheet_rows(&bytes, "bukti_kunjungan");
    let any = flag_column("bertanda");
    let total_flagged: i64 = flag_rows[2..]
        .iter()
        .map(|r| r[any].parse::<i64>().expect("a count"))
        .sum();
    assert_eq!(total_flagged, d.planted.len() as i64);
}
both!(the_dashboard_counts_what_the_district_holds);

const PRELIST: &str = "DAFTAR KELUARGA P3KE;;;;;\n\
     ID_keluarga_P3KE;kode_kemdagri;alamat;nomor_KK;NIK;nama\n\
     P-A1;3513142001;Krajan 1;3513141203150007;3513140101800001;SLAMET\n\
     P-A2;3513142001;Krajan 2;3513141203150017;3513140101800011;BUDI\n\
     P-A3;3513142001;Krajan 3;3513141203150027;3513140101800021;WATI\n";

async fn visits_are_counted_from_real_batches_and_kept_across_a_reopen(backend: Backend) {
    let (url, db, list) = prelisted(backend, PRELIST).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let device = enrolled(&db, addr, &[VILLAGE], "hp-siti").await;

    // One listed family visited, one family found in the field; then a file from a kader.
    let mut visit = family(1, VILLAGE);
    visit.prelist = Some(PrelistLink {
        family: list.families[0].clone(),
        member_rows: vec![visit.repeats.rows(ART)[0].key],
    });
    // The family found in the field has no photo of its house.
    let mut found = family(2, VILLAGE);
    found.start_correction(Timestamp(1_795_600_000_001));
    found.set_answer(FOTO_RUMAH_DEPAN, "", Timestamp(1_795_600_000_001));
    found.finalize(Timestamp(1_795_600_000_002));
    let found_id = found.id.to_string();
    assert_eq!(
        upload(addr, Some(&device.token), batch(&[visit, found], "hp-siti").bytes)
            .await
            .status(),
        200
    );
    let mut by_file = family(3, VILLAGE);
    by_file.start_correction(Timestamp(1_795_600_000_001));
    by_file.set_answer(NAMA_PETUGAS, "Kader Mawar", Timestamp(1_795_600_000_001));
    by_file.finalize(Timestamp(1_795_600_000_002));
    ingest(
        &db,
        "uji",
        &batch(&[by_file], "hp-kader").bytes,
        &limits(64 << 20),
        &Source::File,
        &Actor::cli(),
        &[],
    )
    .await
    .expect("file");

    let village = |p: &Progress| p.village(VILLAGE).expect("the village").clone();
    let seen = village(
        &Progress::load(&db, &Scope::everywhere(), None)
            .await
            .expect("progress"),
    );
    assert_eq!(
        (seen.tally.target, seen.tally.received, seen.tally.not_visited),
        (3, 3, 2)
    );
    let names: Vec<(&str, bool, i64)> = seen
        .workers
        .iter()
        .map(|w| (w.name.as_str(), w.assigned, w.tally.received))
        .collect();
    assert_eq!(names, [("Kader Mawar", false, 1), ("Siti Aminah", true, 2)]);

    // The phone says what it holds: begun and finalized, sent or not.
    let report = |body: serde_json::Value| {
        let token = device.token.clone();
        async move {
            client()
                .post(format!("http://{addr}{PROGRESS_PATH}"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("report")
                .status()
                .as_u16()
        }
    };
    let on_phone = |begun: u32, finalized: u32| serde_json::json!({ "villages": [{ "kode_desa": VILLAGE, "begun": begun, "finalized": finalized }] });
    assert_eq!(report(on_phone(5, 3)).await, 204);
    assert_eq!(report(on_phone(2, 3)).await, 400, "more finalized than begun");
    assert_eq!(
        report(
            serde_json::json!({ "villages": [{ "kode_desa": "35.13.15.2001", "begun": 1, "finalized": 0 }] })
        )
        .await,
        403,
        "not the phone's village"
    );
    assert_eq!(
        report(serde_json::json!({ "desa": [] })).await,
        400,
        "not a report"
    );
    let reported = village(
        &Progress::load(&db, &Scope::everywhere(), None)
            .await
            .expect("progress"),
    );
    assert_eq!(
        (reported.tally.begun_on_phones, reported.tally.finalized_on_phones),
        (5, 3)
    );
    let siti = reported
        .workers
        .iter()
        .find(|w| w.name == "Siti Aminah")
        .expect("Siti");
    assert_eq!(
        (siti.tally.begun_on_phones, siti.tally.finalized_on_phones),
        (5, 3)
    );
    // A later report replaces the earlier one.
    assert_eq!(report(on_phone(6, 6)).await, 204);
    let again = village(
        &Progress::load(&db, &Scope::everywhere(), None)
            .await
            .expect("progress"),
    );
    assert_eq!(
        (again.tally.begun_on_phones, again.tally.finalized_on_phones),
        (6, 6)
    );
    let seen = again;
    let contacts = devices::contacts(&db, &Scope::everywhere(), None)
        .await
        .expect("contacts");
    let vias: Vec<(&str, &str)> = contacts.iter().map(|c| (c.device.as_str(), c.via)).collect();
    assert!(
        vias.contains(&("hp-siti", "sync")) && vias.contains(&("hp-kader", "berkas")),
        "{vias:?}"
    );

    // The proof of visit each household shows, read from its record at ingest.
    let evidence = |db: verval_hub::db::Db| async move {
        let rows: Vec<Evidence> = sqlx::query_as(
            "SELECT nama_kepala_keluarga, lat_e6, accuracy_m, house_photo FROM records ORDER BY record_id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("evidence");
        rows
    };
    let stored = evidence(db.clone()).await;
    assert!(
        stored
            .iter()
            .all(|(_, lat, accuracy, _)| *lat == Some(-7_754_300) && *accuracy == Some(12)),
        "{stored:?}"
    );
    let photos: Vec<Option<i64>> = stored.iter().map(|r| r.3).collect();
    assert_eq!(photos.iter().filter(|p| **p == Some(0)).count(), 1, "{photos:?}");
    assert_eq!(photos.iter().filter(|p| **p == Some(1)).count(), 2, "{photos:?}");

    // The household's page shows its flags.
    staff_account(&db, "verifikator", "verifikator", "", PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, _) = signed_in(&base, "verifikator", PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/keluarga/{found_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-flag=\"tanpa_foto_rumah\""), "{page}");

    // Households stored before the columns existed get them when the hub opens.
    sqlx::query("UPDATE records SET prelist_id = '', lat_e6 = NULL, house_photo = NULL, derived = 0")
        .execute(&db.pool)
        .await
        .expect("forget");
    let forgotten = village(
        &Progress::load(&db, &Scope::everywhere(), None)
            .await
            .expect("progress"),
    );
    assert_eq!(forgotten.tally.not_visited, 3);
    let reopened = verval_hub::db::Db::open(&url).await.expect("reopen");
    let again = village(
        &Progress::load(&reopened, &Scope::everywhere(), None)
            .await
            .expect("progress"),
    );
    assert_eq!(evidence(reopened.clone()).await, stored);
    assert_eq!(again.tally, seen.tally);
}
both!(visits_are_counted_from_real_batches_and_kept_across_a_reopen);

async fn the_round_and_targets_are_set_on_the_page_and_checked_first(backend: Backend) {
    let db = fresh_db(backend).await;
    let list = verval_hub::prelist::read_file("daftar.csv", PRELIST.as_bytes()).expect("prelist");
    verval_hub::prelist::import(&db, "daftar.csv", &list, &Actor::cli())
        .await
        .expect("import");
    staff_account(&db, "operator", "operator", "", PASSWORD).await;
    staff_account(&db, "pemantau", "viewer", "35.13", PASSWORD).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let base = format!("http://{addr}");
    let (web, t) = signed_in(&base, "operator", PASSWORD).await;

    // A deadline already passed: every family should be in, none is; the village is behind.
    let set = web
        .post(format!("{base}/admin/ronde?_t={t}"))
        .form(&[
            ("mulai", "2026-01-01"),
            ("batas", "2026-02-01"),
            ("hari_diam", "5"),
        ])
        .send()
        .await
        .expect("round");
    assert_eq!(set.status(), 303);
    let (_, home) = get(&web, format!("{base}/admin?wilayah=35.13.14")).await;
    assert!(home.contains("Batas waktu sudah lewat"), "{home}");
    assert!(
        home.contains("class=\"flag\" data-testid=\"area\" data-code=\"35.13.14.2001\""),
        "behind, highlighted"
    );
    assert!(home.contains("value=\"2026-02-01\""));

    // A bad line is refused whole, naming the line; nothing changes.
    let refused = web
        .post(format!("{base}/admin/target?_t={t}"))
        .form(&[("target", "35.13.14.2001 10\n35.13.14.2002 sepuluh")])
        .send()
        .await
        .expect("targets");
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.expect("body").contains("Baris 2"));
    assert_eq!(count(&db, "village_targets").await, 0);
    let backwards = web
        .post(format!("{base}/admin/ronde?_t={t}"))
        .form(&[("mulai", "2026-03-01"), ("batas", "2026-02-01")])
        .send()
        .await
        .expect("round");
    assert_eq!(backwards.status(), 400);
    assert_eq!(
        db.setting("round_deadline").await.expect("setting").as_deref(),
        Some("2026-02-01")
    );

    // A set target replaces the prelist's count; "-" goes back to it.
    let set = web
        .post(format!("{base}/admin/target?_t={t}"))
        .form(&[("target", "35.13.14.2001\t120")])
        .send()
        .await
        .expect("targets");
    assert_eq!(set.status(), 303);
    let target = |p: Progress| p.village(VILLAGE).expect("village").tally.target;
    assert_eq!(
        target(Progress::load(&db, &Scope::everywhere(), None).await.expect("p")),
        120
    );
    web.post(format!("{base}/admin/target?_t={t}"))
        .form(&[("target", "35.13.14.2001 -")])
        .send()
        .await
        .expect("targets");
    assert_eq!(
        target(Progress::load(&db, &Scope::everywhere(), None).await.expect("p")),
        3
    );

    // A viewer reads the page but is not offered, nor allowed, the round's settings.
    let (viewer, vt) = signed_in(&base, "pemantau", PASSWORD).await;
    let (_, page) = get(&viewer, format!("{base}/admin")).await;
    assert!(page.contains("data-testid=\"progress-total\"") && !page.contains("save-round"));
    let answer = viewer
        .post(format!("{base}/admin/ronde?_t={vt}"))
        .form(&[("mulai", ""), ("batas", "")])
        .send()
        .await
        .expect("round");
    assert_eq!(answer.status(), 403);
}
both!(the_round_and_targets_are_set_on_the_page_and_checked_first);

async fn the_map_draws_tiles_only_from_the_districts_tile_server(backend: Backend) {
    let db = fresh_db(backend).await;
    staff_account(&db, "korcam", "supervisor", "35.13.14", PASSWORD).await;
    let tiles = "https://peta.probolinggokab.go.id/osm/{z}/{x}/{y}.png";
    let config = Config {
        map_tiles: Some(verval_hub::MapTiles::parse(tiles).expect("tiles")),
        ..Config::default()
    };
    let addr = start_hub(db.clone(), config).await;
    let device = enrolled(&db, addr, &[VILLAGE], "hp-siti").await;
    let visits = [family(1, VILLAGE), family(2, VILLAGE)];
    assert_eq!(
        upload(addr, Some(&device.token), batch(&visits, "hp-siti").bytes)
            .await
            .status(),
        200
    );
    let base = format!("http://{addr}");
    let (web, _) = signed_in(&base, "korcam", PASSWORD).await;
    let answer = web
        .get(format!("{base}/admin/peta?wilayah={VILLAGE}"))
        .send()
        .await
        .expect("map");
    let policy = answer.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        policy.contains("img-src 'self' data: https://peta.probolinggokab.go.id;"),
        "{policy}"
    );
    let map = answer.text().await.expect("page");
    assert_eq!(map.matches("data-testid=\"map-point\"").count(), 2);
    assert!(
        map.contains("<image href=\"https://peta.probolinggokab.go.id/osm/19/"),
        "{map}"
    );
    // A kecamatan outside the supervisor's region shows nothing of it.
    let (_, elsewhere) = get(&web, format!("{base}/admin/peta?wilayah=35.13.15")).await;
    assert_eq!(elsewhere.matches("data-testid=\"map-point\"").count(), 0);
    let (status, _) = get(&web, format!("{base}/admin/peta")).await;
    assert_eq!(status, 400, "a map needs a region");
    let (status, _) = get(&web, format!("{base}/admin/peta?wilayah=35.13")).await;
    assert_eq!(
        status, 400,
        "a kecamatan at most: a regency's houses are no readable plot"
    );
}
both!(the_map_draws_tiles_only_from_the_districts_tile_server);
