//! Duplicate families across households (issue #21, part 3): every planted pair of a
//! generated regency found and nothing else; pairs found as real batches arrive, of every
//! kind; the reviewer's decisions through the page, the review loop and the counts, and
//! kept across a re-import and a re-derivation; a reader's region; bad decisions refused.

mod support;

use std::collections::BTreeMap;
use support::district;
use support::*;
use verval_core::fields::{NAMA_KEPALA_KELUARGA, NOMOR_KK};
use verval_core::supervision::duplicates::{MatchKind, MemberStatus, Resolution};
use verval_core::HouseholdRecord;
use verval_hub::audit::Actor;
use verval_hub::db::Db;
use verval_hub::households::{reviews_for_device, Reach};
use verval_hub::staff::Scope;
use verval_hub::supervision::duplicates::{self, PairDecision, ResolveError, Which};
use verval_hub::supervision::progress::Progress;
use verval_hub::Config;

const PASSWORD: &str = "sandi-uji-ganda";

type Found = BTreeMap<(String, String), Vec<MatchKind>>;

async fn open_pairs(db: &Db, scope: &Scope) -> Found {
    duplicates::pairs(db, scope, None, Which::Open)
        .await
        .expect("pairs")
        .into_iter()
        .map(|p| ((p.first.record_id, p.second.record_id), p.kinds))
        .collect()
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

async fn resolve(
    db: &Db,
    scope: &Scope,
    pair: &(String, String),
    resolution: Resolution,
    kept: Option<&str>,
) -> Result<(), ResolveError> {
    let revisions: Vec<i64> =
        sqlx::query_scalar("SELECT revision FROM records WHERE record_id IN ($1, $2) ORDER BY record_id")
            .bind(&pair.0)
            .bind(&pair.1)
            .fetch_all(&db.pool)
            .await
            .expect("revisions");
    let decided = PairDecision {
        first_id: pair.0.clone(),
        second_id: pair.1.clone(),
        resolution,
        kept_id: kept.map(str::to_owned),
        revisions: (revisions[0], revisions[1]),
        note: String::new(),
    };
    duplicates::resolve(db, scope, &decided, &Actor::cli()).await
}

async fn every_planted_duplicate_is_found_and_nothing_else(backend: Backend) {
    let db = fresh_db(backend).await;
    let d = district::generate(verval_hub::db::now_ms());
    district::store(&db, &d).await;
    let everywhere = Scope::everywhere();
    let found = open_pairs(&db, &everywhere).await;
    let missed: Vec<_> = d
        .duplicates
        .iter()
        .filter(|(p, k)| found.get(*p) != Some(k))
        .collect();
    let extra: Vec<_> = found
        .iter()
        .filter(|(p, k)| d.duplicates.get(*p) != Some(k))
        .collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "planted but not found: {missed:?}; found but not planted: {extra:?}"
    );
    for kind in MatchKind::ALL {
        assert!(
            found.values().any(|k| k.contains(&kind)),
            "a planted pair of {kind:?}"
        );
    }

    // The dashboard's count of doubtful households is the planted pairs' households.
    let before = Progress::load(&db, &everywhere, None)
        .await
        .expect("progress")
        .total();
    assert_eq!(before.doubtful, 2 * d.duplicates.len() as i64);
    assert_eq!(before.received, district::HOUSEHOLDS as i64);

    // One of each decision.
    let of = |kinds: &[MatchKind]| {
        d.duplicates
            .iter()
            .find(|(_, k)| k.as_slice() == kinds)
            .map(|(p, _)| p.clone())
            .expect("planted")
    };
    let same = of(&[MatchKind::Prelist, MatchKind::TwoPhones]);
    let moved = of(&[MatchKind::Nik]);
    let different = of(&[MatchKind::Kk]);
    resolve(&db, &everywhere, &same, Resolution::SameFamily, Some(&same.0))
        .await
        .expect("same family");
    resolve(
        &db,
        &everywhere,
        &moved,
        Resolution::Member(MemberStatus::Moved),
        None,
    )
    .await
    .expect("moved");
    resolve(&db, &everywhere, &different, Resolution::DifferentFamilies, None)
        .await
        .expect("different");
    assert!(matches!(
        resolve(
            &db,
            &everywhere,
            &different,
            Resolution::SameFamily,
            Some(&different.0)
        )
        .await,
        Err(ResolveError::AlreadyDecided { .. })
    ));
    let (review, duplicate_of): (String, String) = sqlx::query_as(
        "SELECT c.review, r.duplicate_of FROM records c JOIN reviews r ON r.record_id = c.record_id WHERE c.record_id = $1",
    )
    .bind(&same.1)
    .fetch_one(&db.pool)
    .await
    .expect("the rejected household");
    assert_eq!(
        (review.as_str(), duplicate_of.as_str()),
        ("ditolak", same.0.as_str())
    );

    // Counted once: the rejected household is not a family; the decided pairs wait no more.
    let after = Progress::load(&db, &everywhere, None)
        .await
        .expect("progress")
        .total();
    assert_eq!(after.received, before.received - 1);
    assert_eq!(after.doubtful, before.doubtful - 6);

    // Found again over every key (as when the hub derives older rows anew): the decisions stay.
    let open = duplicates::find_all(&db).await.expect("again");
    assert_eq!(open, d.duplicates.len() as i64 - 3);
    let decided: Vec<(String, Option<Resolution>)> =
        duplicates::pairs(&db, &everywhere, None, Which::Decided)
            .await
            .expect("decided")
            .into_iter()
            .map(|p| (p.first.record_id, p.resolution))
            .collect();
    assert_eq!(decided.len(), 3);
    assert!(decided.contains(&(moved.0.clone(), Some(Resolution::Member(MemberStatus::Moved)))));

    // A supervisor sees the pairs touching their kecamatan, and decides only those wholly in it.
    let nik_pair = d
        .duplicates
        .iter()
        .filter(|(_, k)| k.as_slice() == [MatchKind::Nik])
        .map(|(p, _)| p.clone())
        .find(|p| *p != moved)
        .expect("another NIK pair");
    let village_of = |id: &str| {
        d.households
            .iter()
            .find(|h| h.record_id == id)
            .expect("household")
            .village
            .clone()
    };
    let kecamatan = village_of(&nik_pair.0)[..8].to_owned();
    let scope = Scope::parse(&kecamatan).expect("scope");
    let theirs = duplicates::pairs(&db, &scope, None, Which::Open)
        .await
        .expect("theirs");
    assert!(theirs.iter().all(|p| p.first.in_scope || p.second.in_scope));
    let shown = theirs
        .iter()
        .find(|p| (p.first.record_id.clone(), p.second.record_id.clone()) == nik_pair)
        .expect("the pair reaching into their kecamatan");
    assert!(!shown.decidable(), "the other household is elsewhere");
    assert!(matches!(
        resolve(&db, &scope, &nik_pair, Resolution::DifferentFamilies, None).await,
        Err(ResolveError::OutOfScope)
    ));
    let expected_theirs = d
        .duplicates
        .keys()
        .filter(|(a, b)| {
            [a, b]
                .iter()
                .any(|id| village_of(id).starts_with(&format!("{kecamatan}.")))
        })
        .filter(|p| ![&same, &moved, &different].contains(p))
        .count();
    assert_eq!(theirs.len(), expected_theirs);
}
both!(every_planted_duplicate_is_found_and_nothing_else);

const PRELIST: &str = "DAFTAR KELUARGA P3KE;;;;;\n\
     ID_keluarga_P3KE;kode_kemdagri;alamat;nomor_KK;NIK;nama\n\
     P-A1;3513142001;Krajan 1;3513141203150007;3513140101800001;SLAMET\n";

async fn pairs_are_found_as_batches_arrive_and_decisions_stick(backend: Backend) {
    let (url, db, list) = prelisted(backend, PRELIST).await;
    let addr = start_hub(db.clone(), Config::default()).await;
    let a = enrolled(&db, addr, &[VILLAGE, OTHER_VILLAGE], "hp-a").await;
    let b = enrolled(&db, addr, &[VILLAGE], "hp-b").await;
    let p = &list.families[0];
    let h1 = visiting(
        household(
            1,
            VILLAGE,
            "3513140000000001",
            ("SLAMET RIYADI", "1958-03-12"),
            ["3513140000000011", "3513140000000012"],
        ),
        p,
    );
    // Phone B walked to the same listed family.
    let h2 = visiting(
        household(
            2,
            VILLAGE,
            "3513140000000002",
            ("BUDI", "1960-01-01"),
            ["3513140000000021", "3513140000000022"],
        ),
        p,
    );
    // A member of h1 written in another family too.
    let h3 = household(
        3,
        VILLAGE,
        "3513140000000003",
        ("WATI", "1970-01-01"),
        ["3513140000000031", "3513140000000012"],
    );
    // h1's card number on another household.
    let h4 = household(
        4,
        VILLAGE,
        "3513140000000001",
        ("SUPARNO", "1971-01-01"),
        ["3513140000000041", "3513140000000042"],
    );
    // h1's head again, written otherwise.
    let h5 = household(
        5,
        VILLAGE,
        "3513140000000005",
        ("Slamet  Riyadi.", "1958-03-12"),
        ["3513140000000051", "3513140000000052"],
    );
    // One name and birth date in another village: another man.
    let h6 = household(
        6,
        OTHER_VILLAGE,
        "3513140000000006",
        ("SLAMET RIYADI", "1958-03-12"),
        ["3513140000000061", "3513140000000062"],
    );
    // h2's card number on another household: settled once h2 is found to be h1's duplicate.
    let h7 = household(
        7,
        VILLAGE,
        "3513140000000002",
        ("MARNI", "1980-01-01"),
        ["3513140000000071", "3513140000000072"],
    );
    let from_a = batch(&[h1.clone(), h3.clone(), h4.clone(), h6.clone()], "hp-a").bytes;
    let from_b = batch(&[h2.clone(), h5.clone(), h7.clone()], "hp-b").bytes;
    assert_eq!(upload(addr, Some(&a.token), from_a.clone()).await.status(), 200);
    assert_eq!(upload(addr, Some(&b.token), from_b.clone()).await.status(), 200);
    // h1 corrected: a revision of one household is never its duplicate.
    let h1_again = corrected(
        &h1,
        verval_core::form::default::KETERANGAN_VERIFIKASI,
        "dikoreksi",
    );
    assert_eq!(
        upload(addr, Some(&a.token), batch(&[h1_again], "hp-a").bytes)
            .await
            .status(),
        200
    );

    let id = |r: &HouseholdRecord| r.id.to_string();
    let expected: Found = [
        (
            ordered(&id(&h1), &id(&h2)),
            vec![MatchKind::Prelist, MatchKind::TwoPhones],
        ),
        (ordered(&id(&h1), &id(&h3)), vec![MatchKind::Nik]),
        (ordered(&id(&h1), &id(&h4)), vec![MatchKind::Kk]),
        (ordered(&id(&h1), &id(&h5)), vec![MatchKind::Head]),
        (ordered(&id(&h2), &id(&h7)), vec![MatchKind::Kk]),
    ]
    .into();
    let everywhere = Scope::everywhere();
    assert_eq!(open_pairs(&db, &everywhere).await, expected);

    // The reviewer decides on the page.
    staff_account(&db, "verifikator", "verifikator", "", PASSWORD).await;
    let base = format!("http://{addr}");
    let (web, token) = signed_in(&base, "verifikator", PASSWORD).await;
    let (status, page) = get(&web, format!("{base}/admin/ganda")).await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("data-testid=\"pair\"").count(), 5, "{page}");
    assert!(page.contains("Dikunjungi dari dua HP"), "{page}");
    let revision = |r: &HouseholdRecord| if r.id == h1.id { 2 } else { 1 };
    let decide = |pair: (&HouseholdRecord, &HouseholdRecord), answer: &'static str| {
        let (first, second) = if id(pair.0) < id(pair.1) {
            pair
        } else {
            (pair.1, pair.0)
        };
        let form = vec![
            ("pertama", id(first)),
            ("kedua", id(second)),
            ("revisi_pertama", revision(first).to_string()),
            ("revisi_kedua", revision(second).to_string()),
            ("keputusan", answer.to_owned()),
            ("catatan", String::new()),
            ("kembali", "/admin/ganda?wilayah=".to_owned()),
        ];
        let web = web.clone();
        let url = format!("{base}/admin/ganda/putuskan?_t={token}");
        async move {
            web.post(url)
                .form(&form)
                .send()
                .await
                .expect("decide")
                .status()
                .as_u16()
        }
    };
    // The same family: keep h1, reject h2.
    let keep_h1 = if id(&h1) < id(&h2) {
        "sama_pertama"
    } else {
        "sama_kedua"
    };
    assert_eq!(decide((&h1, &h2), keep_h1).await, 303);
    assert_eq!(decide((&h1, &h3), "pindah").await, 303);
    assert_eq!(decide((&h1, &h4), "berbeda").await, 303);
    assert_eq!(decide((&h1, &h4), "berbeda").await, 409, "decided already");
    assert_eq!(decide((&h1, &h5), "hilang").await, 400, "no such answer");
    assert_eq!(
        decide((&h2, &h7), "berbeda").await,
        409,
        "h2 is settled as h1's duplicate"
    );
    let (status, _) = get(&web, format!("{base}/admin/ganda?status=kadaluarsa")).await;
    assert_eq!(status, 400);
    let stranger = web
        .post(format!("{base}/admin/ganda/putuskan?_t={token}"))
        .form(&[
            ("pertama", "x"),
            ("kedua", "y"),
            ("revisi_pertama", "1"),
            ("revisi_kedua", "1"),
            ("keputusan", "berbeda"),
        ])
        .send()
        .await
        .expect("unknown pair");
    assert_eq!(stranger.status(), 404);
    let remaining = open_pairs(&db, &everywhere).await;
    assert_eq!(
        remaining.keys().collect::<Vec<_>>(),
        [&ordered(&id(&h1), &id(&h5))]
    );

    // Phone B hears that its household was rejected as h1's duplicate, named by its head.
    let (_, feed) = reviews_for_device(&db, "hp-b", Reach::Villages(&[VILLAGE.to_owned()]), 0)
        .await
        .expect("feed");
    let rejected = feed
        .iter()
        .find(|m| m.record_id == id(&h2))
        .expect("h2's decision");
    assert_eq!(rejected.decision.code(), "ditolak");
    assert_eq!(
        rejected.duplicate_of.as_ref().map(|o| o.name.as_str()),
        Some("SLAMET RIYADI (KK 3513140000000001)")
    );

    // Counted once: the progress, the household list and the merged export leave h2 out.
    let progress = Progress::load(&db, &everywhere, None).await.expect("progress");
    let village = progress.village(VILLAGE).expect("village").tally;
    assert_eq!((village.received, village.doubtful), (5, 2));
    let exported = verval_hub::export::current_records(&db, None, &everywhere)
        .await
        .expect("export");
    assert_eq!(exported.len(), 6);
    assert!(exported.iter().all(|r| r.id != h2.id));
    let (_, listed) = get(&web, format!("{base}/admin/keluarga")).await;
    assert!(listed.contains("data-testid=\"matching\">6 keluarga"), "{listed}");
    let (_, dropped) = get(&web, format!("{base}/admin/keluarga?ganda=ditolak")).await;
    assert!(
        dropped.contains("data-testid=\"matching\">1 keluarga"),
        "{dropped}"
    );
    let (_, doubtful) = get(&web, format!("{base}/admin/keluarga?ganda=1")).await;
    assert!(
        doubtful.contains("data-testid=\"matching\">2 keluarga"),
        "{doubtful}"
    );
    let (_, h1_page) = get(&web, format!("{base}/admin/keluarga/{}", id(&h1))).await;
    assert_eq!(
        h1_page.matches("data-testid=\"pair\"").count(),
        4,
        "h1's page names its pairs"
    );

    // A re-import changes nothing; newer versions keep every decision: h4 no longer shares
    // h1's card and shares it again, and the pair stays "different families".
    assert_eq!(upload(addr, Some(&a.token), from_a).await.status(), 200);
    assert_eq!(upload(addr, Some(&b.token), from_b).await.status(), 200);
    let h4_new_card = corrected(&h4, NOMOR_KK, "3513140000000044");
    assert_eq!(
        upload(
            addr,
            Some(&a.token),
            batch(std::slice::from_ref(&h4_new_card), "hp-a").bytes
        )
        .await
        .status(),
        200
    );
    let h4_card_back = corrected(&h4_new_card, NOMOR_KK, "3513140000000001");
    assert_eq!(
        upload(addr, Some(&a.token), batch(&[h4_card_back], "hp-a").bytes)
            .await
            .status(),
        200
    );
    let decided = |db: Db| async move {
        let mut rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT first_id, second_id, decision, member_status FROM duplicate_pairs ORDER BY first_id, second_id",
        )
        .fetch_all(&db.pool)
        .await
        .expect("pairs");
        rows.sort();
        rows
    };
    let kept = decided(db.clone()).await;
    assert_eq!(kept.iter().filter(|r| r.2.is_empty()).count(), 2, "{kept:?}");
    assert!(kept.iter().any(|r| r.2 == "berbeda"));
    assert!(kept
        .iter()
        .any(|r| (r.2.as_str(), r.3.as_str()) == ("anggota", "pindah")));
    assert!(kept.iter().any(|r| r.2 == "sama"));
    // h5 corrected to a head of its own: its open pair goes.
    let h5_own = corrected(&h5, NAMA_KEPALA_KELUARGA, "SLAMET HARIADI");
    assert_eq!(
        upload(addr, Some(&b.token), batch(&[h5_own], "hp-b").bytes)
            .await
            .status(),
        200
    );
    assert!(open_pairs(&db, &everywhere).await.is_empty());

    // Derived again when the hub opens (as after an upgrade): the same pairs, the same decisions.
    let before = decided(db.clone()).await;
    sqlx::query("UPDATE records SET derived = 0")
        .execute(&db.pool)
        .await
        .expect("forget");
    sqlx::query("DELETE FROM record_keys")
        .execute(&db.pool)
        .await
        .expect("forget keys");
    let reopened = Db::open(&url).await.expect("reopen");
    assert_eq!(decided(reopened.clone()).await, before);
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_keys")
        .fetch_one(&reopened.pool)
        .await
        .expect("keys");
    assert!(keys >= 6 * 3, "every household's keys derived again: {keys}");

    // Outside the region: a supervisor of another kecamatan sees no pair and decides none.
    staff_account(&db, "pengawas", "supervisor", "35.13.15", PASSWORD).await;
    let (other, _) = signed_in(&base, "pengawas", PASSWORD).await;
    let (_, theirs) = get(&other, format!("{base}/admin/ganda?status=diputuskan")).await;
    assert!(
        theirs.contains("data-testid=\"pair-count\">0 pasangan"),
        "{theirs}"
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'ganda_diputuskan'")
            .fetch_one(&db.pool)
            .await
            .expect("audit");
    assert_eq!(audit, 3);
}
both!(pairs_are_found_as_batches_arrive_and_decisions_stick);
