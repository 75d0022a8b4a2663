//! Duplicate families across households (issue #21): each household's match keys
//! (`verval_core::supervision::duplicates`) are kept in `record_keys`, rewritten with its
//! current version inside the ingest transaction, and every other household sharing a key
//! becomes a pair in `duplicate_pairs`, open until a reviewer decides. A decision sticks:
//! later versions, re-imports and re-derivations update what a decided pair shares and never
//! open it again. "The same family" rejects one household as the other's duplicate through
//! the review loop ([`households::decide_in`]), in the transaction that closes the pair; the
//! rejected household then counts nowhere (progress, the merged export and its recap).

use crate::audit::{self, Action, Actor, Event};
use crate::db::Backend;
use crate::db::{now_ms, Db, DbError};
use crate::households::{self, BindAll, DecideError, Decided};
use crate::many_rows::{insert, lookup, most_binds, rows_per_statement, values};
use crate::staff::Scope;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, HashMap};
use verval_core::region::RegionCode;
use verval_core::review::Decision;
use verval_core::supervision::duplicates::{MatchKey, MatchKind, Resolution};

/// The most other households one household is paired with when it arrives: a key shared
/// by more (a placeholder KK typed in a whole village) says nothing about any one pair, and
/// a hostile batch must not make the hub write pairs by the million.
const MOST_MATCHES: i64 = 200;

/// SQL: the households rejected as another's duplicate, by record id column `column`.
pub fn not_dropped(column: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM duplicate_pairs dp WHERE dp.dropped_id = {column})")
}

/// SQL: a household of the pair `p` was rejected as a duplicate in another pair (that
/// family was settled through the one kept).
fn settled(p: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM duplicate_pairs x \
         WHERE x.dropped_id = {p}.first_id OR x.dropped_id = {p}.second_id)"
    )
}

/// SQL: the pair `p` waits for a reviewer — undecided and not [`settled`].
fn open(p: &str) -> String {
    format!("{p}.decision = '' AND NOT {}", settled(p))
}

/// SQL: 1 when households `a` and `b` (tables of `records`) came from two phones, else 0.
fn two_phones(a: &str, b: &str) -> String {
    format!("CASE WHEN {a}.origin <> '' AND {b}.origin <> '' AND {a}.origin <> {b}.origin THEN 1 ELSE 0 END")
}

/// SQL: 1 when the household `column` is in an open pair, else 0.
pub fn in_open_pair(column: &str) -> String {
    format!(
        "CASE WHEN EXISTS (SELECT 1 FROM duplicate_pairs dp WHERE {} \
         AND (dp.first_id = {column} OR dp.second_id = {column})) THEN 1 ELSE 0 END",
        open("dp")
    )
}

/// Rewrites a household's keys and its pairs: called with its current version written
/// (`first`: its first version, which has neither yet — two statements, not eight, for
/// the common case).
pub(crate) async fn index_in(
    tx: &mut Transaction<'static, Any>,
    record_id: &str,
    keys: &[MatchKey],
    now: i64,
    first: bool,
) -> Result<(), sqlx::Error> {
    if !first {
        forget_keys(tx, record_id).await?;
    }
    insert_keys(tx, record_id, keys).await?;
    pair_in(tx, record_id, keys, now, first).await
}

/// A household stored for the first time, with its match keys (issue #26).
pub(crate) struct NewHousehold<'a> {
    pub record_id: &'a str,
    pub keys: Vec<MatchKey>,
    /// `records.origin`: the phone it came from.
    pub origin: &'a str,
}

/// What [`index_in`] does for one household, for all of a batch's new households at once:
/// their keys in multi-row statements, every household sharing one of them asked for by value,
/// their pairs written together. A pair of two of these households is found once, by the later
/// one in the batch, as storing them one by one finds it; each finds at most [`MOST_MATCHES`].
pub(crate) async fn index_new(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    new: &[NewHousehold<'_>],
    now: i64,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(&str, &MatchKey)> = new
        .iter()
        .flat_map(|h| h.keys.iter().map(move |k| (h.record_id, k)))
        .collect();
    for chunk in rows.chunks(rows_per_statement(backend, 3)) {
        let sql = values(
            backend,
            "INSERT INTO record_keys (record_id, kind, key)",
            "($1, $2, $3)",
            chunk.len(),
            3,
        );
        let mut query = insert(&sql);
        for (record_id, key) in chunk {
            query = query
                .bind(*record_id)
                .bind(key.kind.code())
                .bind(key.key.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    // Which new households hold each key, by their place in the batch.
    let place: HashMap<&str, usize> = new.iter().enumerate().map(|(i, h)| (h.record_id, i)).collect();
    let mut holders: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, h) in new.iter().enumerate() {
        for key in &h.keys {
            let places = holders.entry((key.kind.code(), key.key.as_str())).or_default();
            if places.last() != Some(&i) {
                places.push(i);
            }
        }
    }
    // Asked for kind by kind, the keys as one IN list: an index range each, where a long OR
    // of (kind, key) pairs was planned as a scan by PostgreSQL.
    let mut by_kind: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (kind, key) in holders.keys() {
        by_kind.entry(kind).or_default().push(key);
    }
    let mut matched = vec![0i64; new.len()];
    let mut found: BTreeMap<(String, String), Vec<MatchKind>> = BTreeMap::new();
    for (kind, keys) in &by_kind {
        let mut lookups: Vec<&[&str]> = keys.chunks(most_binds(backend) - 2).collect();
        while let Some(chunk) = lookups.pop() {
            // Bounded like one household's lookup: a key a whole village shares returns no
            // more than each household could use.
            let holding: usize = chunk.iter().map(|key| holders[&(*kind, *key)].len()).sum();
            let most = MOST_MATCHES
                .saturating_mul(holding as i64)
                .saturating_add(holding as i64);
            let rows = sharing(tx, backend, kind, chunk, most).await?;
            // The bound was reached: one busy key (a placeholder card) may have taken the
            // rows of the others, so each key is asked for on its own.
            if rows.len() as i64 >= most && chunk.len() > 1 {
                lookups.extend(chunk.chunks(1));
                continue;
            }
            for row in rows {
                let other: String = row.try_get(0)?;
                let key: String = row.try_get(1)?;
                let other_origin: String = row.try_get(2)?;
                let Some(places) = holders.get(&(*kind, key.as_str())) else {
                    continue;
                };
                // Another new household counts for those after it only.
                let other_place = place.get(other.as_str()).copied();
                for &i in places {
                    let me = &new[i];
                    if other_place.is_some_and(|j| j >= i) || matched[i] >= MOST_MATCHES {
                        continue;
                    }
                    matched[i] += 1;
                    let two_phones =
                        !me.origin.is_empty() && !other_origin.is_empty() && me.origin != other_origin;
                    add_match(&mut found, ordered(me.record_id, &other), kind, two_phones);
                }
            }
        }
    }
    let pairs: Vec<((String, String), String)> = found
        .into_iter()
        .map(|(pair, kinds)| (pair, MatchKind::join(&kinds)))
        .collect();
    for chunk in pairs.chunks(rows_per_statement(backend, 4)) {
        let sql = format!(
            "{} ON CONFLICT (first_id, second_id) DO UPDATE SET kinds = excluded.kinds",
            values(backend, PAIR_INSERT, PAIR_VALUES, chunk.len(), 4)
        );
        let mut query = insert(&sql);
        for ((first, second), kinds) in chunk {
            query = query
                .bind(first.as_str())
                .bind(second.as_str())
                .bind(kinds.as_str())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The households holding any of `keys` of `kind` (record id, key, origin), at most `most`.
async fn sharing(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    kind: &str,
    keys: &[&str],
    most: i64,
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let marks: Vec<String> = (0..keys.len()).map(|i| format!("${}", 2 + i)).collect();
    let sql = format!(
        "SELECT o.record_id, o.key, r.origin FROM record_keys o \
         JOIN records r ON r.record_id = o.record_id \
         WHERE o.kind = $1 AND o.key IN ({}) LIMIT ${}",
        marks.join(", "),
        2 + keys.len()
    );
    let sql = crate::many_rows::for_backend(backend, sql);
    let mut query = lookup(backend, &sql).bind(kind);
    for key in keys {
        query = query.bind(*key);
    }
    query.bind(most).fetch_all(&mut **tx).await
}

/// A new pair, open: [`PAIR_VALUES`] binds its two households, what they share and when.
const PAIR_INSERT: &str = "INSERT INTO duplicate_pairs (first_id, second_id, kinds, found_at, decision, \
    member_status, kept_id, dropped_id, note, decided_by, decided_at)";
const PAIR_VALUES: &str = "($1, $2, $3, $4, '', '', '', '', '', '', 0)";

/// Rewrites a household's keys, leaving its pairs as they are.
pub(crate) async fn replace_keys(
    tx: &mut Transaction<'static, Any>,
    record_id: &str,
    keys: &[MatchKey],
) -> Result<(), sqlx::Error> {
    forget_keys(tx, record_id).await?;
    insert_keys(tx, record_id, keys).await
}

async fn forget_keys(tx: &mut Transaction<'static, Any>, record_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM record_keys WHERE record_id = $1")
        .bind(record_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every key in one statement (a household has a handful).
async fn insert_keys(
    tx: &mut Transaction<'static, Any>,
    record_id: &str,
    keys: &[MatchKey],
) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..keys.len())
        .map(|i| format!("($1, ${}, ${})", 2 + 2 * i, 3 + 2 * i))
        .collect();
    let sql = format!(
        "INSERT INTO record_keys (record_id, kind, key) VALUES {}",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(record_id);
    for key in keys {
        query = query.bind(key.kind.code()).bind(&key.key);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Pairs a household with every other sharing one of its `keys`. The keys are asked for by
/// value (each an indexed lookup), not by joining the household's own rows: PostgreSQL
/// planned that join as a scan of every key, once per household stored.
async fn pair_in(
    tx: &mut Transaction<'static, Any>,
    record_id: &str,
    keys: &[MatchKey],
    now: i64,
    first: bool,
) -> Result<(), sqlx::Error> {
    let rows = if keys.is_empty() {
        Vec::new()
    } else {
        let any_key: Vec<String> = (0..keys.len())
            .map(|i| format!("(o.kind = ${} AND o.key = ${})", 3 + 2 * i, 4 + 2 * i))
            .collect();
        let sql = format!(
            "SELECT o.record_id, o.kind, {} \
             FROM record_keys o JOIN records r ON r.record_id = o.record_id \
             JOIN records me ON me.record_id = $1 \
             WHERE o.record_id <> $1 AND ({}) LIMIT $2",
            two_phones("r", "me"),
            any_key.join(" OR ")
        );
        let mut query = sqlx::query(&sql).bind(record_id).bind(MOST_MATCHES);
        for key in keys {
            query = query.bind(key.kind.code()).bind(&key.key);
        }
        query.fetch_all(&mut **tx).await?
    };
    let mut found: BTreeMap<(String, String), Vec<MatchKind>> = BTreeMap::new();
    for row in &rows {
        let other: String = row.try_get(0)?;
        let pair = ordered(record_id, &other);
        add_match(
            &mut found,
            pair,
            &row.try_get::<String, _>(1)?,
            row.try_get::<i64, _>(2)? != 0,
        );
    }
    // Open pairs this version no longer matches go (asked of the keys themselves, not of the
    // matches read above, which stop at MOST_MATCHES); decided ones stay as decided.
    if !first {
        sqlx::query(&format!(
        "DELETE FROM duplicate_pairs WHERE decision = '' AND (first_id = $1 OR second_id = $1) AND NOT {}",
        still_shared("duplicate_pairs.first_id", "duplicate_pairs.second_id")
    ))
        .bind(record_id)
        .execute(&mut **tx)
        .await?;
    }
    for (pair, kinds) in &found {
        keep_pair(tx, pair, kinds, now).await?;
    }
    Ok(())
}

/// SQL: the two households still share a key.
fn still_shared(first: &str, second: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM record_keys a JOIN record_keys b ON b.kind = a.kind AND b.key = a.key \
         WHERE a.record_id = {first} AND b.record_id = {second})"
    )
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

fn add_match(
    found: &mut BTreeMap<(String, String), Vec<MatchKind>>,
    pair: (String, String),
    kind: &str,
    two_phones: bool,
) {
    let Some(kind) = MatchKind::parse(kind) else {
        return;
    };
    let kinds = found.entry(pair).or_default();
    kinds.push(kind);
    if kind == MatchKind::Prelist && two_phones {
        kinds.push(MatchKind::TwoPhones);
    }
}

/// Stores a pair found sharing `kinds`: a new one open, a known one with what it shares now.
async fn keep_pair(
    tx: &mut Transaction<'static, Any>,
    (first, second): &(String, String),
    kinds: &[MatchKind],
    now: i64,
) -> Result<(), sqlx::Error> {
    let kinds = MatchKind::join(kinds);
    let updated = sqlx::query("UPDATE duplicate_pairs SET kinds = $1 WHERE first_id = $2 AND second_id = $3")
        .bind(&kinds)
        .bind(first)
        .bind(second)
        .execute(&mut **tx)
        .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(&format!("{PAIR_INSERT} VALUES {PAIR_VALUES}"))
            .bind(first)
            .bind(second)
            .bind(&kinds)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Finds every pair over all households' keys at once: after keys were derived again for
/// older rows (`derived::derive_older`), where pairing household by household would cost a
/// query each. Open pairs no key supports any more are removed; decided pairs stay.
/// Returns the number of pairs open afterwards.
pub async fn find_all(db: &Db) -> Result<i64, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT a.record_id, b.record_id, a.kind, {} \
         FROM record_keys a JOIN record_keys b ON b.kind = a.kind AND b.key = a.key AND b.record_id > a.record_id \
         JOIN records ra ON ra.record_id = a.record_id JOIN records rb ON rb.record_id = b.record_id",
        two_phones("ra", "rb")
    ))
    .fetch_all(&db.pool)
    .await
    .map_err(DbError::Query)?;
    let mut found: BTreeMap<(String, String), Vec<MatchKind>> = BTreeMap::new();
    for row in &rows {
        let pair = (row.try_get(0)?, row.try_get(1)?);
        add_match(
            &mut found,
            pair,
            &row.try_get::<String, _>(2)?,
            row.try_get::<i64, _>(3)? != 0,
        );
    }
    let now = now_ms();
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query(&format!(
            "DELETE FROM duplicate_pairs WHERE decision = '' AND NOT {}",
            still_shared("duplicate_pairs.first_id", "duplicate_pairs.second_id")
        ))
        .execute(&mut *tx)
        .await?;
        for (pair, kinds) in &found {
            keep_pair(&mut tx, pair, kinds, now).await?;
        }
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM duplicate_pairs WHERE decision = ''")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(open)
    })
    .await
    .map_err(DbError::Query)
}

/// One household of a pair, as the review page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub record_id: String,
    pub kode_desa: String,
    pub head: String,
    pub kk: String,
    pub enumerator: String,
    pub review: String,
    pub revision: i64,
    pub prelist_id: String,
    /// Within the reader's region: only then are its name and numbers shown.
    pub in_scope: bool,
}

/// A pair of households that may be one family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub first: Side,
    pub second: Side,
    pub kinds: Vec<MatchKind>,
    pub found_at: i64,
    /// `None` while open.
    pub resolution: Option<Resolution>,
    pub kept_id: String,
    pub note: String,
    pub decided_by: String,
    pub decided_at: i64,
    /// One household was rejected as a duplicate in a pair of its own: nothing to decide here.
    pub settled: bool,
}

impl Pair {
    /// Waits for a reviewer, and both households are the reader's to decide on.
    pub fn decidable(&self) -> bool {
        self.resolution.is_none() && !self.settled && self.first.in_scope && self.second.in_scope
    }
}

/// Which pairs a page lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Open,
    Decided,
}

const SIDE: &str = "kode_desa, nama_kepala_keluarga, nomor_kk, enumerator, review, revision, prelist_id";

fn pair_sql(condition: &str) -> String {
    let side = |t: &str| {
        SIDE.split(", ")
            .map(|c| format!("{t}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "SELECT p.first_id, p.second_id, p.kinds, p.found_at, p.decision, p.member_status, p.kept_id, \
           p.note, p.decided_by, p.decided_at, {a}, {b}, \
           CASE WHEN {settled} THEN 1 ELSE 0 END \
         FROM duplicate_pairs p JOIN records a ON a.record_id = p.first_id \
         JOIN records b ON b.record_id = p.second_id WHERE {condition}",
        a = side("a"),
        b = side("b"),
        settled = settled("p"),
    )
}

fn pair_of(row: &sqlx::any::AnyRow, scope: &Scope) -> Result<Pair, sqlx::Error> {
    let side = |id: String, at: usize| -> Result<Side, sqlx::Error> {
        let kode_desa: String = row.try_get(at)?;
        Ok(Side {
            record_id: id,
            in_scope: scope.contains(&kode_desa),
            kode_desa,
            head: row.try_get(at + 1)?,
            kk: row.try_get(at + 2)?,
            enumerator: row.try_get(at + 3)?,
            review: row.try_get(at + 4)?,
            revision: row.try_get(at + 5)?,
            prelist_id: row.try_get(at + 6)?,
        })
    };
    let decision: String = row.try_get(4)?;
    let member: String = row.try_get(5)?;
    Ok(Pair {
        first: side(row.try_get(0)?, 10)?,
        second: side(row.try_get(1)?, 17)?,
        kinds: MatchKind::split(&row.try_get::<String, _>(2)?),
        found_at: row.try_get(3)?,
        resolution: Resolution::parse(&decision, &member),
        kept_id: row.try_get(6)?,
        note: row.try_get(7)?,
        decided_by: row.try_get(8)?,
        decided_at: row.try_get(9)?,
        settled: row.try_get::<i64, _>(24)? != 0,
    })
}

/// The pairs with at least one household both in the reader's `scope` and in `region`
/// (a page's choice), by the first household's village.
pub async fn pairs(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
    which: Which,
) -> Result<Vec<Pair>, sqlx::Error> {
    let (in_a, mut binds) = scope.condition_within(region, "a.kode_desa", 1);
    let (in_b, more) = scope.condition_within(region, "b.kode_desa", 1 + binds.len());
    binds.extend(more);
    let state = match which {
        Which::Open => open("p"),
        Which::Decided => "p.decision <> ''".to_owned(),
    };
    let order = match which {
        Which::Open => "a.kode_desa, p.first_id, p.second_id",
        Which::Decided => "p.decided_at DESC, p.first_id, p.second_id",
    };
    let sql = format!(
        "{} ORDER BY {order}",
        pair_sql(&format!("{state} AND (({in_a}) OR ({in_b}))"))
    );
    let rows = sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    rows.iter().map(|row| pair_of(row, scope)).collect()
}

/// Every pair a household is in, open or decided, for its page (the reader may see it).
pub async fn pairs_of(db: &Db, record_id: &str, scope: &Scope) -> Result<Vec<Pair>, sqlx::Error> {
    let sql = format!(
        "{} ORDER BY p.found_at, p.first_id, p.second_id",
        pair_sql("(p.first_id = $1 OR p.second_id = $1)")
    );
    let rows = sqlx::query(&sql).bind(record_id).fetch_all(&db.pool).await?;
    rows.iter().map(|row| pair_of(row, scope)).collect()
}

/// A reviewer's decision on a pair, as the page sends it.
#[derive(Clone, Debug)]
pub struct PairDecision {
    pub first_id: String,
    pub second_id: String,
    pub resolution: Resolution,
    /// For [`Resolution::SameFamily`]: the household kept (the other is rejected).
    pub kept_id: Option<String>,
    /// The revisions of the two households the reviewer had in front of them.
    pub revisions: (i64, i64),
    pub note: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("Pasangan keluarga ini tidak ada (no such pair).")]
    NotThere,
    #[error("Pasangan ini sudah diputuskan oleh {by} (this pair was already decided).")]
    AlreadyDecided { by: String },
    #[error("Salah satu keluarga sudah ditolak sebagai data ganda keluarga lain (one household was already rejected as another's duplicate).")]
    Settled,
    #[error("Salah satu keluarga di luar wilayah Anda: dinas kabupaten yang memutuskan (one household is outside your region).")]
    OutOfScope,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Decide(#[from] DecideError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl crate::db::Retry for ResolveError {
    fn worth_retrying(&self) -> bool {
        match self {
            ResolveError::Db(e) => e.worth_retrying(),
            ResolveError::Decide(e) => e.worth_retrying(),
            _ => false,
        }
    }
}

/// Stores a decision on an open pair whose two households are both within `scope`; for
/// "the same family" the other household is rejected as the kept one's duplicate, in the
/// same transaction, and the phone that sent it hears so through the review feed.
pub async fn resolve(db: &Db, scope: &Scope, decided: &PairDecision, by: &Actor) -> Result<(), ResolveError> {
    let (first, second) = (&decided.first_id, &decided.second_id);
    let dropped = match (decided.resolution, decided.kept_id.as_deref()) {
        (Resolution::SameFamily, Some(kept)) if kept == first => Some((second, decided.revisions.1, first)),
        (Resolution::SameFamily, Some(kept)) if kept == second => Some((first, decided.revisions.0, second)),
        (Resolution::SameFamily, _) => {
            return Err(ResolveError::Invalid(
                "Pilih keluarga yang disimpan (choose which household is kept).".to_owned(),
            ))
        }
        _ => None,
    };
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let row = sqlx::query(&pair_sql("p.first_id = $1 AND p.second_id = $2"))
            .bind(first)
            .bind(second)
            .fetch_optional(&mut *tx)
            .await?;
        let pair = match row {
            Some(row) => pair_of(&row, scope)?,
            None => return Err(ResolveError::NotThere),
        };
        if pair.resolution.is_some() {
            return Err(ResolveError::AlreadyDecided { by: pair.decided_by });
        }
        if pair.settled {
            return Err(ResolveError::Settled);
        }
        if !pair.decidable() {
            return Err(ResolveError::OutOfScope);
        }
        if let Some((dropped, revision, kept)) = dropped {
            let note = match decided.note.trim() {
                "" => {
                    "Data ganda: keluarga ini sudah tercatat (a duplicate: this family is already recorded)."
                        .to_owned()
                }
                note => note.to_owned(),
            };
            let rejected = Decided {
                revision,
                decision: Decision::Ditolak,
                note,
                field_notes: Vec::new(),
                duplicate_of: Some(kept.clone()),
            };
            households::decide_in(&mut tx, dropped, scope, &rejected, by).await?;
        }
        let (kept, dropped) = match dropped {
            Some((dropped, _, kept)) => (kept.as_str(), dropped.as_str()),
            None => ("", ""),
        };
        let member = match decided.resolution {
            Resolution::Member(status) => status.code(),
            _ => "",
        };
        sqlx::query(
            "UPDATE duplicate_pairs SET decision = $1, member_status = $2, kept_id = $3, dropped_id = $4, \
             note = $5, decided_by = $6, decided_at = $7 WHERE first_id = $8 AND second_id = $9",
        )
        .bind(decided.resolution.code())
        .bind(member)
        .bind(kept)
        .bind(dropped)
        .bind(decided.note.trim())
        .bind(&by.name)
        .bind(now_ms())
        .bind(first)
        .bind(second)
        .execute(&mut *tx)
        .await?;
        let event = Event {
            action: Action::DuplicateResolved,
            detail: serde_json::json!({
                "keputusan": decided.resolution.code(),
                "status_anggota": member,
                "disimpan": kept,
                "ditolak": dropped,
                "cocok": MatchKind::join(&pair.kinds),
            }),
            households: &[first.clone(), second.clone()],
        };
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
