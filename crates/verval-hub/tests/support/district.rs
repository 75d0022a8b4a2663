//! A generated regency for the supervision tests and the dashboard benchmark (issue #21):
//! 24 kecamatan, 330 villages, 60 enumerators each with a phone, a latest prelist per village
//! (and families an earlier list named that the latest left out), 20,000 households — listed
//! families visited and families found in the field, some from imported files, some not found
//! at home — in every review state, a few village targets set by the district, phones gone
//! silent, and planted doubtful visits of every kind (no house photo, no location, a poor one,
//! too short, rushed, far away, on another house's point), each with the flags it must raise,
//! and planted duplicate families of every kind (one prelist family from one phone and from
//! two, a NIK, a KK, a head's name and birth date), each with what the pair shares.
//!
//! The rows are written straight into the hub's tables (one statement per 400 rows), and
//! the generator keeps what it wrote, so a test counts the truth from its own lists. That
//! the ingest fills these columns as written here is tested with real batches elsewhere.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use verval_core::supervision::duplicates::{head_key, MatchKind};
use verval_core::supervision::flags::Flag;
use verval_hub::db::Db;

pub const KECAMATAN: usize = 24;
pub const VILLAGES: usize = 330;
pub const ENUMERATORS: usize = 60;
pub const HOUSEHOLDS: usize = 20_000;
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Clone, Debug)]
pub struct Household {
    pub record_id: String,
    pub village: String,
    /// `None`: from a file district staff imported, sent by `file_sender`.
    pub enumerator_id: Option<String>,
    pub file_sender: String,
    pub review: &'static str,
    pub conflict: bool,
    /// The prelist family visited; empty for a family found in the field.
    pub prelist_id: String,
    /// The house's location in microdegrees and its accuracy (none when not taken).
    pub point: Option<(i64, i64, i64)>,
    pub location_asked: bool,
    pub house_photo: Option<bool>,
    pub started_at: i64,
    pub finalized_at: i64,
    /// The phone (`record_versions.origin`).
    pub origin: String,
    pub kk: String,
    /// The members' NIKs.
    pub niks: Vec<String>,
    pub head_name: String,
    pub head_born: String,
}

impl Household {
    /// Its match keys, as `record_keys` holds them.
    pub fn keys(&self) -> Vec<(MatchKind, String)> {
        let mut keys = Vec::new();
        if !self.prelist_id.is_empty() {
            keys.push((MatchKind::Prelist, self.prelist_id.clone()));
        }
        keys.push((MatchKind::Kk, self.kk.clone()));
        keys.extend(self.niks.iter().map(|n| (MatchKind::Nik, n.clone())));
        keys.extend(head_key(&self.village, &self.head_name, &self.head_born).map(|k| (MatchKind::Head, k)));
        keys.sort();
        keys.dedup();
        keys
    }
}

impl Household {
    /// The visit's evidence before `visit_evidence` gives it: located and photographed.
    fn unvisited() -> Household {
        Household {
            record_id: String::new(),
            village: String::new(),
            enumerator_id: None,
            file_sender: String::new(),
            review: REVIEWS[0],
            conflict: false,
            prelist_id: String::new(),
            point: None,
            location_asked: true,
            house_photo: Some(true),
            started_at: 0,
            finalized_at: 0,
            origin: String::new(),
            kk: String::new(),
            niks: Vec::new(),
            head_name: String::new(),
            head_born: String::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Listed {
    pub prelist_id: String,
    pub village: String,
    pub in_latest: bool,
}

#[derive(Clone, Debug)]
pub struct Enumerator {
    pub id: String,
    pub name: String,
    pub villages: Vec<String>,
    /// When their phone was last heard from, ms since 1970.
    pub last_seen: i64,
}

#[derive(Clone, Debug)]
pub struct District {
    pub villages: Vec<String>,
    pub enumerators: Vec<Enumerator>,
    pub listed: Vec<Listed>,
    pub households: Vec<Household>,
    /// Targets set by the district, by village.
    pub targets: Vec<(String, i64)>,
    /// The time the phones' contacts are measured against.
    pub now: i64,
    /// The doubtful visits planted, by record id, with the flags each must raise.
    pub planted: BTreeMap<String, Vec<Flag>>,
    /// The duplicate pairs planted (smaller record id first), with what each pair shares.
    pub duplicates: BTreeMap<(String, String), Vec<MatchKind>>,
}

const REVIEWS: [&str; 5] = [
    "diterima",
    "disetujui",
    "perlu_perbaikan",
    "ditolak",
    "tinjau_ulang",
];

pub fn kecamatan_code(k: usize) -> String {
    format!("35.13.{:02}", k + 1)
}

/// Generates the regency; the same every time.
pub fn generate(now: i64) -> District {
    let mut villages = Vec::new();
    for k in 0..KECAMATAN {
        // 330 = 24 × 13 + 18: the first 18 kecamatan have 14 villages.
        let count = 13 + usize::from(k < 18);
        for v in 0..count {
            villages.push(format!("{}.{}", kecamatan_code(k), 2001 + v));
        }
    }
    assert_eq!(villages.len(), VILLAGES);
    let mut enumerators: Vec<Enumerator> = (0..ENUMERATORS)
        .map(|e| Enumerator {
            id: format!("enum-{e:02}"),
            name: format!("Petugas {e:02}"),
            villages: Vec::new(),
            // Every seventh phone has been silent for ten days; the others spoke today.
            last_seen: if e % 7 == 0 {
                now - 10 * DAY_MS
            } else {
                now - (e as i64) * 60_000
            },
        })
        .collect();
    for (i, village) in villages.iter().enumerate() {
        enumerators[i % ENUMERATORS].villages.push(village.clone());
        // Every eleventh village is shared with a second enumerator.
        if i % 11 == 0 {
            enumerators[(i + 1) % ENUMERATORS].villages.push(village.clone());
        }
    }
    let mut listed = Vec::new();
    let mut households = Vec::new();
    let mut targets = Vec::new();
    for (i, village) in villages.iter().enumerate() {
        let assigned: Vec<&Enumerator> = enumerators
            .iter()
            .filter(|e| e.villages.contains(village))
            .collect();
        let no_prelist = i % 97 == 5;
        let count = if no_prelist { 0 } else { 55 + (i * 7) % 20 };
        for j in 0..count {
            listed.push(Listed {
                prelist_id: format!("P3KE-{i:03}-{j:03}"),
                village: village.clone(),
                // Every 40th family was left out of the latest list.
                in_latest: (i + j) % 40 != 3,
            });
        }
        if no_prelist || i % 53 == 7 {
            targets.push((village.clone(), 40 + (i as i64 % 30)));
        }
        // Visited: all but the last few listed families; then some found in the field.
        let visited = count.saturating_sub(i % 9 + 2);
        let found = i % 4;
        for n in 0..visited + found {
            let h = households.len();
            let file = h % 50 == 17;
            households.push(Household {
                record_id: format!("rec-{h:05}"),
                village: village.clone(),
                enumerator_id: (!file).then(|| assigned[h % assigned.len()].id.clone()),
                file_sender: if file {
                    format!("Kader {}", i % 3)
                } else {
                    String::new()
                },
                review: REVIEWS[(h * 13 + i) % REVIEWS.len()],
                conflict: h % 97 == 0,
                prelist_id: if n < visited {
                    format!("P3KE-{i:03}-{n:03}")
                } else {
                    String::new()
                },
                ..Household::unvisited()
            });
        }
    }
    // Exactly HOUSEHOLDS: the last ones dropped, or more found in the field round the villages.
    households.truncate(HOUSEHOLDS);
    let mut i = 0;
    while households.len() < HOUSEHOLDS {
        let village = villages[i % VILLAGES].clone();
        let owner = enumerators
            .iter()
            .find(|e| e.villages.contains(&village))
            .expect("assigned")
            .id
            .clone();
        let h = households.len();
        households.push(Household {
            record_id: format!("rec-{h:05}"),
            village,
            enumerator_id: Some(owner),
            file_sender: String::new(),
            review: REVIEWS[h % REVIEWS.len()],
            conflict: false,
            prelist_id: String::new(),
            ..Household::unvisited()
        });
        i += 7;
    }
    let planted = visit_evidence(&villages, &mut households, now);
    let duplicates = plant_duplicates(&mut households);
    District {
        villages,
        enumerators,
        listed,
        households,
        targets,
        now,
        planted,
        duplicates,
    }
}

/// Every household's own card, members and head; then pairs that share a prelist family
/// (from one phone and from two), a NIK, a KK, a head (name and birth date in one village),
/// a KK and a head at once — and, sharing nothing that counts, one name and birth date in
/// two villages. Returns the pairs that must be found.
fn plant_duplicates(households: &mut [Household]) -> BTreeMap<(String, String), Vec<MatchKind>> {
    for (h, x) in households.iter_mut().enumerate() {
        x.kk = format!("3513{h:012}");
        x.niks = vec![format!("35{:014}", 2 * h), format!("35{:014}", 2 * h + 1)];
        x.head_name = format!("KEPALA {}", x.record_id);
        x.head_born = format!("19{:02}-0{}-1{}", 40 + h % 50, 1 + h % 9, h % 10);
    }
    let mut used: BTreeSet<usize> = BTreeSet::new();
    let mut pairs = BTreeMap::new();
    // Neighbours `a` and `a + 1` (or `a` and one far off), starting at `from`, where `fits`.
    let mut pick = |households: &[Household],
                    from: usize,
                    near: bool,
                    fits: &dyn Fn(&Household, &Household) -> bool| {
        let found = (from..households.len() - 5000)
            .step_by(53)
            .map(|a| (a, if near { a + 1 } else { a + 4999 }))
            .find(|&(a, b)| !used.contains(&a) && !used.contains(&b) && fits(&households[a], &households[b]))
            .expect("a pair to plant");
        used.extend([found.0, found.1]);
        found
    };
    let same_village = |a: &Household, b: &Household| a.village == b.village;
    let planted = |households: &[Household],
                   (a, b): (usize, usize),
                   kinds: Vec<MatchKind>,
                   pairs: &mut BTreeMap<_, _>| {
        let (x, y) = (households[a].record_id.clone(), households[b].record_id.clone());
        pairs.insert(if x < y { (x, y) } else { (y, x) }, kinds);
    };
    for n in 0..5 {
        let p = pick(households, 100 + n * 900, true, &|a, b| {
            same_village(a, b) && a.origin == b.origin && !a.prelist_id.is_empty() && !b.prelist_id.is_empty()
        });
        households[p.1].prelist_id = households[p.0].prelist_id.clone();
        planted(households, p, vec![MatchKind::Prelist], &mut pairs);
    }
    for n in 0..5 {
        let p = pick(households, 200 + n * 900, true, &|a, b| {
            same_village(a, b) && a.origin != b.origin && !a.prelist_id.is_empty() && !b.prelist_id.is_empty()
        });
        households[p.1].prelist_id = households[p.0].prelist_id.clone();
        planted(
            households,
            p,
            vec![MatchKind::Prelist, MatchKind::TwoPhones],
            &mut pairs,
        );
    }
    for n in 0..5 {
        // A member in two families of two kecamatan (moved, and listed in both).
        let p = pick(households, 300 + n * 900, false, &|a, b| {
            a.village[..8] != b.village[..8]
        });
        households[p.1].niks[1] = households[p.0].niks[0].clone();
        planted(households, p, vec![MatchKind::Nik], &mut pairs);
    }
    for n in 0..5 {
        let p = pick(households, 400 + n * 900, false, &|_, _| true);
        households[p.1].kk = households[p.0].kk.clone();
        planted(households, p, vec![MatchKind::Kk], &mut pairs);
    }
    for n in 0..5 {
        let p = pick(households, 500 + n * 900, true, &same_village);
        households[p.1].head_name = households[p.0].head_name.clone();
        households[p.1].head_born = households[p.0].head_born.clone();
        planted(households, p, vec![MatchKind::Head], &mut pairs);
    }
    let p = pick(households, 600, true, &same_village);
    households[p.1].kk = households[p.0].kk.clone();
    households[p.1].head_name = households[p.0].head_name.clone();
    households[p.1].head_born = households[p.0].head_born.clone();
    planted(households, p, vec![MatchKind::Kk, MatchKind::Head], &mut pairs);
    for n in 0..3 {
        // One name and birth date in two villages: two people, no pair.
        let p = pick(households, 700 + n * 900, true, &|a, b| a.village != b.village);
        households[p.1].head_name = households[p.0].head_name.clone();
        households[p.1].head_born = households[p.0].head_born.clone();
    }
    pairs
}

/// Where a village's houses lie: kecamatan in a grid 0.06° apart, villages 0.004° (lat) and
/// 0.003° (lon) apart within them, so no two villages' houses can share a point.
fn village_centre(villages: &[String], village: &str) -> (i64, i64) {
    let at = villages
        .iter()
        .position(|v| v == village)
        .expect("a generated village");
    let kecamatan: usize = village[6..8].parse::<usize>().expect("kecamatan") - 1;
    let first = villages
        .iter()
        .position(|v| v[..8] == village[..8])
        .expect("its kecamatan");
    let v = (at - first) as i64;
    let lat = -7_700_000 - 60_000 * (kecamatan / 6) as i64 - 4_000 * v;
    let lon = 113_100_000 + 60_000 * (kecamatan % 6) as i64 + 3_000 * v;
    (lat, lon)
}

/// Gives every household its proof of visit, then plants the doubtful ones; returns them with
/// the flags each must raise.
fn visit_evidence(
    villages: &[String],
    households: &mut [Household],
    now: i64,
) -> BTreeMap<String, Vec<Flag>> {
    const MINUTE: i64 = 60_000;
    let mut per_phone: BTreeMap<String, i64> = BTreeMap::new();
    for (h, x) in households.iter_mut().enumerate() {
        x.origin = match &x.enumerator_id {
            Some(id) => format!("dev-{id}"),
            None => format!("file:{}", x.file_sender),
        };
        // A phone's visits 40 minutes apart, each lasting 30 to 59 minutes.
        let n = per_phone.entry(x.origin.clone()).or_insert(0);
        x.finalized_at = now - 30 * 24 * 60 * MINUTE + *n * 40 * MINUTE;
        *n += 1;
        x.started_at = x.finalized_at - (30 + (h as i64 % 30)) * MINUTE;
        // Every 29th family was not found at home: neither located nor photographed.
        if h % 29 == 0 {
            x.location_asked = false;
            x.house_photo = None;
            continue;
        }
        let (lat, lon) = village_centre(villages, &x.village);
        // Unique within a village: h mod 1999 and 37h mod 3001 repeat together only after
        // 1999 × 3001 households.
        let h = h as i64;
        x.point = Some((lat + (37 * h) % 3001 - 1500, lon + h % 1999 - 999, 5 + h % 26));
    }

    let mut planted: BTreeMap<String, Vec<Flag>> = BTreeMap::new();
    // Ten of each kind, far apart in the list and never a family not found at home.
    let mut free = (0..households.len()).filter(|h| h % 29 != 0 && h % 29 != 1 && h % 29 != 28);
    // Each kind starts 37 places after the last: no two planted households are neighbours.
    let mut take = |n: usize| -> Vec<usize> { (&mut free).step_by(37).skip(1).take(n).collect() };
    for h in take(10) {
        households[h].house_photo = Some(false);
        planted.insert(households[h].record_id.clone(), vec![Flag::NoHousePhoto]);
    }
    for h in take(10) {
        households[h].point = None;
        planted.insert(households[h].record_id.clone(), vec![Flag::NoLocation]);
    }
    for h in take(10) {
        if let Some(p) = households[h].point.as_mut() {
            p.2 = 80;
        }
        planted.insert(households[h].record_id.clone(), vec![Flag::Inaccurate]);
    }
    for h in take(10) {
        households[h].started_at = households[h].finalized_at - 5 * MINUTE;
        planted.insert(households[h].record_id.clone(), vec![Flag::ShortVisit]);
    }
    for h in take(10) {
        // 22 km east of the village: outside its kecamatan, far from its neighbours.
        if let Some(p) = households[h].point.as_mut() {
            p.1 += 200_000;
        }
        planted.insert(
            households[h].record_id.clone(),
            vec![Flag::OutsideKecamatan, Flag::FarFromVillage],
        );
    }
    for h in take(10) {
        // On the point of the house before it in the same village.
        let before = h - 1;
        assert_eq!(households[before].village, households[h].village, "neighbours");
        households[h].point = households[before].point;
        for x in [h, before] {
            planted.insert(households[x].record_id.clone(), vec![Flag::SamePoint]);
        }
    }
    // Three runs of three visits one phone finalized three minutes apart, a year from now.
    for (run, h) in take(3).into_iter().enumerate() {
        let phone = households[h].origin.clone();
        let mine: Vec<usize> = (h..households.len())
            .filter(|&x| {
                households[x].origin == phone
                    && households[x].location_asked
                    && !planted.contains_key(&households[x].record_id)
            })
            .take(3)
            .collect();
        for (j, &x) in mine.iter().enumerate() {
            households[x].finalized_at =
                now + 365 * 24 * 60 * MINUTE + run as i64 * 24 * 60 * MINUTE + j as i64 * 3 * MINUTE;
            households[x].started_at = households[x].finalized_at - 30 * MINUTE;
            planted.insert(households[x].record_id.clone(), vec![Flag::Rushed]);
        }
    }
    planted
}

/// Writes `rows` (already SQL literals) into `table` 400 at a time.
async fn insert(db: &Db, table: &str, columns: &str, rows: Vec<String>) {
    for chunk in rows.chunks(400) {
        let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(", "));
        sqlx::query(&sql)
            .execute(&db.pool)
            .await
            .expect("insert generated rows");
    }
}

/// Writes the district into an empty hub database.
pub async fn store(db: &Db, d: &District) {
    let names = |id: &str| {
        d.enumerators
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    };
    insert(
        db,
        "enumerators",
        "id, name, created_at",
        d.enumerators
            .iter()
            .map(|e| format!("('{}', '{}', 0)", e.id, e.name))
            .collect(),
    )
    .await;
    insert(
        db,
        "enumerator_villages",
        "enumerator_id, kode_desa",
        d.enumerators
            .iter()
            .flat_map(|e| e.villages.iter().map(move |v| format!("('{}', '{v}')", e.id)))
            .collect(),
    )
    .await;
    insert(
        db,
        "devices",
        "token_hash, enumerator_id, device_id, enrolled_at, device_key, last_seen_at",
        d.enumerators
            .iter()
            .map(|e| {
                format!(
                    "('token-{0}', '{0}', 'hp-{0}', 0, 'dev-{0}', {1})",
                    e.id, e.last_seen
                )
            })
            .collect(),
    )
    .await;
    insert(
        db,
        "prelist_families",
        "prelist_id, kode_desa, nomor_kk, body, source, imported_at, updated_at, in_latest",
        d.listed
            .iter()
            .map(|l| {
                format!(
                    "('{}', '{}', '', '{{}}', 'p3ke.xlsx', 0, 0, {})",
                    l.prelist_id,
                    l.village,
                    i64::from(l.in_latest)
                )
            })
            .collect(),
    )
    .await;
    insert(
        db,
        "village_targets",
        "kode_desa, target, set_by, set_at",
        d.targets
            .iter()
            .map(|(v, t)| format!("('{v}', {t}, 'admin', 0)"))
            .collect(),
    )
    .await;
    insert(
        db,
        "records",
        "record_id, revision, sha256, kode_desa, enumerator, nama_kepala_keluarga, nomor_kk, \
         status_verifikasi, conflict, review, review_note, updated_at, enumerator_id, reviewed_revision, prelist_id, \
         lat_e6, lon_e6, accuracy_m, location_asked, house_photo, started_at, finalized_at, origin, derived",
        d.households
            .iter()
            .map(|h| {
                let (id, name) = match &h.enumerator_id {
                    Some(id) => (format!("'{id}'"), names(id)),
                    None => ("NULL".to_owned(), h.file_sender.clone()),
                };
                let or_null = |v: Option<i64>| v.map_or("NULL".to_owned(), |v| v.to_string());
                format!(
                    "('{}', 1, 'x', '{}', '{name}', '{}', '{}', '1', {}, '{}', '', 0, {id}, 0, '{}', \
                     {}, {}, {}, {}, {}, {}, {}, '{}', {})",
                    h.record_id,
                    h.village,
                    h.head_name,
                    h.kk,
                    i64::from(h.conflict),
                    h.review,
                    h.prelist_id,
                    or_null(h.point.map(|p| p.0)),
                    or_null(h.point.map(|p| p.1)),
                    or_null(h.point.map(|p| p.2)),
                    i64::from(h.location_asked),
                    or_null(h.house_photo.map(i64::from)),
                    h.started_at,
                    h.finalized_at,
                    h.origin,
                    verval_hub::supervision::derived::VERSION,
                )
            })
            .collect(),
    )
    .await;
    insert(
        db,
        "record_keys",
        "record_id, kind, key",
        d.households
            .iter()
            .flat_map(|h| {
                h.keys()
                    .into_iter()
                    .map(move |(kind, key)| format!("('{}', '{}', '{key}')", h.record_id, kind.code()))
            })
            .collect(),
    )
    .await;
    // As if each household had arrived in a batch: the hub pairs them.
    verval_hub::supervision::duplicates::find_all(db)
        .await
        .expect("pairs found");
}
