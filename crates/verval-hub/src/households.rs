//! Households the hub holds, as the district reads and reviews them: counts by village,
//! filtered lists, one household with every version received, the review. Every query takes
//! the reader's region [`Scope`] and filters in SQL, so a count never includes a household
//! the reader may not see. Shared by the district pages (`ui::records`) and anything else
//! that lists households.

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db};
use crate::staff::Scope;
use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Transaction};
use verval_core::form::default::DEFAULT_FORM;
use verval_core::form::rules::family_label;
use verval_core::region::RegionCode;
use verval_core::review::feed::ReviewMessage;
use verval_core::review::{self, Decision, DuplicateOf, FieldNote, ReviewState};

/// One village's households as the reader may see them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct VillageCount {
    pub kode_desa: String,
    pub households: i64,
    pub approved: i64,
    pub conflicts: i64,
}

/// What a list is narrowed to; empty strings leave a column unfiltered.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// A kecamatan, village or any region: the households within it.
    pub region: Option<RegionCode>,
    pub kode_desa: String,
    pub enumerator: String,
    pub status_verifikasi: String,
    pub review: String,
    pub conflicts_only: bool,
    pub duplicates: DuplicateFilter,
    pub search: Search,
}

/// Which households a list shows of those a duplicate pair concerns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DuplicateFilter {
    /// All but those rejected as another's duplicate: the families, each once (what the
    /// dashboard counts).
    #[default]
    Families,
    /// Households in a pair still waiting for a reviewer.
    Doubtful,
    /// Households rejected as another's duplicate.
    Dropped,
    /// Every household.
    All,
}

impl DuplicateFilter {
    /// The list form's value (`ganda=`).
    pub const CHOICES: [(DuplicateFilter, &'static str, &'static str); 4] = [
        (
            DuplicateFilter::Families,
            "",
            "Keluarga (tanpa data ganda yang ditolak)",
        ),
        (DuplicateFilter::Doubtful, "1", "Diduga ganda, belum diputuskan"),
        (DuplicateFilter::Dropped, "ditolak", "Ditolak sebagai data ganda"),
        (DuplicateFilter::All, "semua", "Semua rekaman"),
    ];

    pub fn parse(text: &str) -> Option<DuplicateFilter> {
        Self::CHOICES
            .iter()
            .find(|(_, code, _)| *code == text.trim())
            .map(|(f, _, _)| *f)
    }

    pub fn code(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, code, _)| code)
    }

    fn condition(self) -> Option<String> {
        use crate::supervision::duplicates::{in_open_pair, not_dropped};
        match self {
            DuplicateFilter::Families => Some(not_dropped("records.record_id")),
            DuplicateFilter::Doubtful => Some(format!("{} = 1", in_open_pair("records.record_id"))),
            DuplicateFilter::Dropped => Some(format!("NOT {}", not_dropped("records.record_id"))),
            DuplicateFilter::All => None,
        }
    }
}

/// A search typed by district staff.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Search {
    #[default]
    Nothing,
    /// Part of the head of the family's name, in any case.
    Name(String),
    /// A whole KK number, or a whole NIK of any member of the current version. Only for
    /// readers who may see identity numbers: otherwise the list would answer whether a
    /// number is on record.
    Number(String),
}

impl Search {
    /// What `typed` asks for: 16 digits are a KK or NIK, anything else part of a name.
    pub fn parse(typed: &str) -> Search {
        let typed = typed.trim();
        if typed.is_empty() {
            Search::Nothing
        } else if typed.len() == 16 && typed.bytes().all(|b| b.is_ascii_digit()) {
            Search::Number(typed.to_owned())
        } else {
            Search::Name(typed.to_owned())
        }
    }
}

/// `text` for a `LIKE … ESCAPE '\'` pattern: its own `%`, `_` and `\` match only themselves.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One household in a list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub record_id: String,
    pub nama_kepala_keluarga: String,
    pub nomor_kk: String,
    pub kode_desa: String,
    pub enumerator: String,
    pub status_verifikasi: String,
    pub revision: i64,
    pub review: String,
    pub conflict: i64,
}

/// A list: how many households match in all, and the first rows of them.
#[derive(Clone, Debug)]
pub struct Listing {
    pub matching: i64,
    pub rows: Vec<ListRow>,
}

/// The version of a household that counts now, and the district's review of it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Current {
    pub revision: i64,
    pub sha256: String,
    pub review: String,
    pub review_note: String,
    pub conflict: i64,
    /// The revision the current decision was made on; 0 while nobody has decided.
    pub reviewed_revision: i64,
}

/// One version of a household as received, with the batch it came in.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Version {
    pub revision: i64,
    pub sha256: String,
    pub device_id: String,
    pub file_name: String,
    pub received_at: i64,
    /// The record as the phone sent it (JSON).
    pub body: String,
}

/// Binds a query's text values in order (`$1`, `$2`, … as written).
pub(crate) trait BindAll: Sized {
    fn bind_all(self, values: &[String]) -> Self;
}

impl<'q> BindAll for Query<'q, Any, AnyArguments<'q>> {
    fn bind_all(self, values: &[String]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

impl<'q, O> BindAll for QueryAs<'q, Any, O, AnyArguments<'q>> {
    fn bind_all(self, values: &[String]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

impl<'q, O> BindAll for QueryScalar<'q, Any, O, AnyArguments<'q>> {
    fn bind_all(self, values: &[String]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

/// Households per village within `scope`.
pub async fn villages(db: &Db, scope: &Scope) -> Result<Vec<VillageCount>, sqlx::Error> {
    let (in_scope, binds) = scope.condition("kode_desa", 1);
    let sql = format!(
        // CAST: PostgreSQL sums BIGINTs into NUMERIC.
        "SELECT kode_desa, COUNT(*) AS households, \
           CAST(SUM(CASE WHEN review = 'disetujui' THEN 1 ELSE 0 END) AS BIGINT) AS approved, \
           CAST(SUM(conflict) AS BIGINT) AS conflicts \
         FROM records WHERE {in_scope} GROUP BY kode_desa ORDER BY kode_desa"
    );
    sqlx::query_as(&sql).bind_all(&binds).fetch_all(&db.pool).await
}

/// The enumerators who sent households within `scope`.
pub async fn enumerators(db: &Db, scope: &Scope) -> Result<Vec<String>, sqlx::Error> {
    let (in_scope, binds) = scope.condition("kode_desa", 1);
    let sql = format!("SELECT DISTINCT enumerator FROM records WHERE {in_scope} ORDER BY enumerator");
    sqlx::query_scalar(&sql)
        .bind_all(&binds)
        .fetch_all(&db.pool)
        .await
}

/// Households within `scope` that match `filter`: the count of all, and the first `limit`
/// by village and name.
pub async fn list(db: &Db, scope: &Scope, filter: &ListFilter, limit: i64) -> Result<Listing, sqlx::Error> {
    let (within, mut binds) = scope.condition_within(filter.region.as_ref(), "kode_desa", 1);
    let mut conditions = vec![within];
    for (column, value) in [
        ("kode_desa", &filter.kode_desa),
        ("enumerator", &filter.enumerator),
        ("status_verifikasi", &filter.status_verifikasi),
        ("review", &filter.review),
    ] {
        if !value.is_empty() {
            binds.push(value.clone());
            conditions.push(format!("{column} = ${}", binds.len()));
        }
    }
    if filter.conflicts_only {
        conditions.push("conflict = 1".to_owned());
    }
    conditions.extend(filter.duplicates.condition());
    match &filter.search {
        Search::Nothing => {}
        Search::Name(part) => {
            binds.push(format!("%{}%", like_escaped(&part.to_lowercase())));
            conditions.push(format!(
                "LOWER(nama_kepala_keluarga) LIKE ${} ESCAPE '\\'",
                binds.len()
            ));
        }
        Search::Number(number) => {
            // The KK, or a member's NIK in the version that counts (its match keys).
            binds.push(number.clone());
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM record_keys k WHERE k.record_id = records.record_id \
                   AND k.kind IN ('kk', 'nik') AND k.key = ${})",
                binds.len()
            ));
        }
    }
    let filter_sql = format!("WHERE {}", conditions.join(" AND "));
    let sql = format!(
        "SELECT record_id, nama_kepala_keluarga, nomor_kk, kode_desa, enumerator, \
           status_verifikasi, revision, review, conflict FROM records {filter_sql} \
         ORDER BY kode_desa, nama_kepala_keluarga, record_id LIMIT {limit}"
    );
    let rows = sqlx::query_as(&sql).bind_all(&binds).fetch_all(&db.pool).await?;
    let count_sql = format!("SELECT COUNT(*) FROM records {filter_sql}");
    let matching = sqlx::query_scalar(&count_sql)
        .bind_all(&binds)
        .fetch_one(&db.pool)
        .await?;
    Ok(Listing { matching, rows })
}

/// Whether the household exists within `scope`: outside it, it is not there at all.
pub async fn visible(db: &Db, id: &str, scope: &Scope) -> Result<bool, sqlx::Error> {
    let (in_scope, binds) = scope.condition("kode_desa", 2);
    let sql = format!("SELECT COUNT(*) FROM records WHERE record_id = $1 AND {in_scope}");
    let count: i64 = sqlx::query_scalar(&sql)
        .bind(id)
        .bind_all(&binds)
        .fetch_one(&db.pool)
        .await?;
    Ok(count == 1)
}

/// The version that counts and its review, if the household is within `scope`.
pub async fn current(db: &Db, id: &str, scope: &Scope) -> Result<Option<Current>, sqlx::Error> {
    let (in_scope, binds) = scope.condition("kode_desa", 2);
    let sql = format!(
        "SELECT revision, sha256, review, review_note, conflict, reviewed_revision FROM records \
         WHERE record_id = $1 AND {in_scope}"
    );
    sqlx::query_as(&sql)
        .bind(id)
        .bind_all(&binds)
        .fetch_optional(&db.pool)
        .await
}

/// Every version received of a household, newest revision first. Callers check
/// [`visible`] or [`current`] first.
pub async fn versions(db: &Db, id: &str) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.revision, v.sha256, v.device_id, b.file_name, v.received_at, v.body \
         FROM record_versions v JOIN batches b ON b.batch_id = v.batch_id \
         WHERE v.record_id = $1 ORDER BY v.revision DESC, v.received_at",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// A reviewer's decision on one revision of a household, as the page sends it.
#[derive(Clone, Debug)]
pub struct Decided {
    /// The revision the reviewer had in front of them.
    pub revision: i64,
    pub decision: Decision,
    pub note: String,
    pub field_notes: Vec<FieldNote>,
    /// The other household's record id, when rejected as its duplicate.
    pub duplicate_of: Option<String>,
}

/// Why a decision was not stored.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("Keluarga tidak dikenal (unknown household).")]
    NotThere,
    #[error(
        "Revisi {current} tiba setelah halaman ini dibuka (Anda meninjau revisi {seen}); muat ulang dan tinjau lagi. \
         (A newer revision arrived while you were reviewing; reload and review again.)"
    )]
    Stale { seen: i64, current: i64 },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl crate::db::Retry for DecideError {
    fn worth_retrying(&self) -> bool {
        matches!(self, DecideError::Db(e) if e.worth_retrying())
    }
}

/// Checks a decision for what the phone will need of it: a note when sent back, the other
/// family only when rejected, notes only on fields the form has.
pub fn check_decision(decided: &Decided) -> Result<(), String> {
    review::check_decision(
        decided.decision,
        &decided.note,
        &decided.field_notes,
        decided.duplicate_of.is_some(),
    )
    .map_err(|problem| problem.to_string())?;
    for note in &decided.field_notes {
        let repeat = note.row.as_ref().map(|r| r.repeat.as_str());
        let known = DEFAULT_FORM
            .question_named(&note.field)
            .is_some_and(|(r, _)| r.map(|r| r.id.as_str()) == repeat);
        if !known {
            return Err(format!(
                "Isian {:?} tidak ada di formulir{} (no such field in the form{}).",
                note.field,
                repeat.map_or(String::new(), |r| format!(" untuk baris {r}")),
                repeat.map_or(String::new(), |r| format!(" for a row of {r}")),
            ));
        }
    }
    Ok(())
}

/// Stores a decision on a household within `scope`: a new entry in its review history, its
/// standing in `records`, and the audit event, in one transaction. Refused when a newer
/// revision arrived after the reviewer opened the page, and for a duplicate outside the
/// reviewer's region.
pub async fn decide(
    db: &Db,
    id: &str,
    scope: &Scope,
    decided: &Decided,
    by: &Actor,
) -> Result<i64, DecideError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        let seq = decide_in(&mut tx, id, scope, decided, by).await?;
        tx.commit().await?;
        Ok(seq)
    })
    .await
}

/// [`decide`] within a transaction the caller commits (a duplicate pair's decision rejects
/// one household of the pair in the same transaction that closes the pair).
pub(crate) async fn decide_in(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    scope: &Scope,
    decided: &Decided,
    by: &Actor,
) -> Result<i64, DecideError> {
    check_decision(decided).map_err(DecideError::Invalid)?;
    if decided.duplicate_of.as_deref() == Some(id) {
        return Err(DecideError::Invalid(
            "Keluarga tidak bisa menjadi ganda dari dirinya sendiri (a household cannot duplicate itself)."
                .to_owned(),
        ));
    }
    let field_notes = serde_json::to_string(&decided.field_notes).unwrap_or_else(|_| "[]".to_owned());
    let event = Event {
        action: Action::Review,
        detail: serde_json::json!({
            "tinjauan": decided.decision.code(),
            "revisi": decided.revision,
            "catatan": decided.note,
            "catatan_isian": decided.field_notes.len(),
            "ganda_dari": decided.duplicate_of,
        }),
        households: &[id.to_owned()],
    };
    let (in_scope, binds) = scope.condition("kode_desa", 2);
    let current_sql = format!("SELECT revision FROM records WHERE record_id = $1 AND {in_scope}");
    let current: Option<i64> = sqlx::query_scalar(&current_sql)
        .bind(id)
        .bind_all(&binds)
        .fetch_optional(&mut **tx)
        .await?;
    match current {
        None => return Err(DecideError::NotThere),
        Some(current) if current != decided.revision => {
            return Err(DecideError::Stale {
                seen: decided.revision,
                current,
            })
        }
        Some(_) => {}
    }
    if let Some(other) = &decided.duplicate_of {
        let found: Option<i64> = sqlx::query_scalar(&current_sql)
            .bind(other)
            .bind_all(&binds)
            .fetch_optional(&mut **tx)
            .await?;
        if found.is_none() {
            return Err(DecideError::Invalid(format!(
                "Keluarga {other:?} tidak dikenal (unknown household named as the duplicate)."
            )));
        }
    }
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM reviews")
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO reviews (seq, record_id, revision, decision, note, field_notes, \
         duplicate_of, reviewer, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(id)
    .bind(decided.revision)
    .bind(decided.decision.code())
    .bind(&decided.note)
    .bind(&field_notes)
    .bind(decided.duplicate_of.clone().unwrap_or_default())
    .bind(&by.name)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE records SET review = $1, review_note = $2, reviewed_revision = $3 WHERE record_id = $4",
    )
    .bind(ReviewState::Decided(decided.decision).code())
    .bind(&decided.note)
    .bind(decided.revision)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    audit::record_in(tx, by, &event).await?;
    Ok(seq)
}

/// One decision in a household's review history, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredReview {
    pub seq: i64,
    pub record_id: String,
    pub revision: i64,
    pub decision: String,
    pub note: String,
    pub field_notes: String,
    pub duplicate_of: String,
    pub reviewer: String,
    pub at: i64,
}

impl StoredReview {
    pub fn field_notes(&self) -> Vec<FieldNote> {
        serde_json::from_str(&self.field_notes).unwrap_or_default()
    }
}

const REVIEW_COLUMNS: &str =
    "r.seq, r.record_id, r.revision, r.decision, r.note, r.field_notes, r.duplicate_of, r.reviewer, r.at";

/// Every decision on a household, oldest first. Callers check [`visible`] first.
pub async fn reviews(db: &Db, id: &str) -> Result<Vec<StoredReview>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r WHERE r.record_id = $1 ORDER BY r.seq"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// Which of a phone's households a feed may carry.
pub enum Reach<'a> {
    /// A synced phone: its enumerator's villages at enrolment.
    Villages(&'a [String]),
    /// A review file made by district staff: their region.
    Scope(&'a Scope),
}

/// The decisions a phone is to receive: those after `since` (its cursor) on households of
/// which a version came from `device_id`, within `reach`, with the cursor to ask from next. The cursor is read first and the
/// decisions up to it: a decision's number is taken as MAX + 1 inside its transaction, so
/// every number up to the largest one visible is already committed and none is skipped.
pub async fn reviews_for_device(
    db: &Db,
    device_id: &str,
    reach: Reach<'_>,
    since: i64,
) -> Result<(i64, Vec<ReviewMessage>), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let cursor: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM reviews")
        .fetch_one(&mut *tx)
        .await?;
    let (in_villages, binds) = match reach {
        Reach::Scope(scope) => scope.condition("c.kode_desa", 4),
        Reach::Villages([]) => ("1 = 0".to_owned(), Vec::new()),
        Reach::Villages(villages) => {
            let marks: Vec<String> = (4..4 + villages.len()).map(|n| format!("${n}")).collect();
            (
                format!("c.kode_desa IN ({})", marks.join(", ")),
                villages.to_vec(),
            )
        }
    };
    let sql = format!(
        "SELECT {REVIEW_COLUMNS}, COALESCE(d.nama_kepala_keluarga, '') AS duplicate_name, \
           COALESCE(d.nomor_kk, '') AS duplicate_kk \
         FROM reviews r JOIN records c ON c.record_id = r.record_id \
         LEFT JOIN records d ON d.record_id = r.duplicate_of \
         WHERE r.seq > $1 AND r.seq <= $2 AND {in_villages} AND r.record_id IN \
           (SELECT v.record_id FROM record_versions v WHERE v.device_id = $3) \
         ORDER BY r.seq"
    );
    let rows: Vec<FeedRow> = sqlx::query_as(&sql)
        .bind(since)
        .bind(cursor)
        .bind(device_id)
        .bind_all(&binds)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let messages = rows.into_iter().filter_map(FeedRow::message).collect();
    Ok((cursor, messages))
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    #[sqlx(flatten)]
    review: StoredReview,
    duplicate_name: String,
    duplicate_kk: String,
}

impl FeedRow {
    /// The decision as the phone reads it; `None` for a row no phone could use (a code this
    /// hub never writes), which is left out rather than failing the whole feed.
    fn message(self) -> Option<ReviewMessage> {
        let r = self.review;
        let fields = r.field_notes();
        Some(ReviewMessage {
            seq: u64::try_from(r.seq).ok()?,
            revision: u32::try_from(r.revision).ok()?,
            decision: Decision::parse(&r.decision)?,
            // Named as the enumerator knows a family: its head and card number, as the
            // phone's own duplicate hints name it.
            duplicate_of: (!r.duplicate_of.is_empty()).then(|| DuplicateOf {
                record_id: r.duplicate_of,
                name: family_label(&self.duplicate_name, &self.duplicate_kk),
            }),
            record_id: r.record_id,
            note: r.note,
            fields,
            reviewer: r.reviewer,
            at: r.at,
        })
    }
}

/// The phones whose households the hub holds: their id, the enumerator named in their
/// latest batch, how many households, how many of those are sent back and not corrected.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PhoneSummary {
    pub device_id: String,
    pub enumerator: String,
    pub households: i64,
    pub sent_back: i64,
}

/// Every phone with households within `scope`, for handing out review files.
pub async fn phones(db: &Db, scope: &Scope) -> Result<Vec<PhoneSummary>, sqlx::Error> {
    let (in_scope, binds) = scope.condition("c.kode_desa", 2);
    let sql = format!(
        "SELECT v.device_id, MAX(c.enumerator) AS enumerator, COUNT(DISTINCT c.record_id) AS households, \
           COUNT(DISTINCT CASE WHEN c.review = $1 THEN c.record_id END) AS sent_back \
         FROM record_versions v JOIN records c ON c.record_id = v.record_id \
         WHERE {in_scope} GROUP BY v.device_id ORDER BY MAX(c.enumerator), v.device_id"
    );
    sqlx::query_as(&sql)
        .bind(ReviewState::Decided(Decision::PerluPerbaikan).code())
        .bind_all(&binds)
        .fetch_all(&db.pool)
        .await
}
