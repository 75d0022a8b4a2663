//! The audit trail (issue #19): who looked at, changed, exported or deleted what, and when —
//! what a district must be able to show under UU 27/2022 on personal data protection.
//!
//! Every auditable action writes exactly one event: who (the staff account, `cli`, or the
//! enumerator for a sync), when (UTC), from which address, which [`Action`], a JSON detail
//! (never a NIK, a KK number or a name: ids, counts, the profile and region of an export)
//! and the households it touched. A change and its event are written in one transaction
//! ([`record_in`]); a read that hands out personal data (a household page, an export, an
//! assignment file) is answered only after its event is stored.
//!
//! The tables are append-only: nothing here updates or deletes them, and [`guard`] puts
//! triggers on both that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) to anyone.

use crate::db::{now_ms, Backend, Db, DbError};
use crate::many_rows::{insert, rows_per_statement, values};
use crate::time_zone::TimeZone;
use serde_json::Value;
use sqlx::AnyConnection;
use std::collections::HashMap;
use verval_core::date::Date;

/// What happened. The code is what the table stores and the audit page filters by: keep
/// them stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    /// A batch file uploaded by district staff.
    BatchUpload,
    /// A batch sent by an enrolled phone.
    BatchSync,
    Review,
    ConflictResolved,
    /// Two households that may be one family: a reviewer's decision on the pair.
    DuplicateResolved,
    /// A household's page was opened.
    RecordView,
    Export,
    ReceiptDownload,
    AssignmentDownload,
    /// The district's decisions left for a phone: by sync, or as a review file.
    ReviewDownload,
    AuditDownload,
    EnumeratorAdded,
    EnrolmentCode,
    EnumeratorRevoked,
    PrelistImport,
    /// A district form imported from XLSForm (issue #25).
    FormImport,
    /// A district form's version published to phones with the assignment.
    FormPublish,
    /// A district form's records exported (personal data may be in them).
    FormExport,
    AccountAdded,
    AccountDisabled,
    AccountEnabled,
    /// A one-time password given to an account.
    AccountReset,
    PasswordChanged,
    /// The account made from the old admin password chose its username.
    UsernameChosen,
    /// A signed-in browser signed out by its owner or an admin.
    SessionEnded,
    /// A district setting changed (the time zone).
    Settings,
    Backup,
    Restore,
    /// A sealed batch opened with the district's key: its households stored.
    SealedOpened,
    /// The district's key unlocked on the hub, or locked again.
    KeyUnlocked,
    KeyLocked,
    /// A public key added for phones to seal to, or retired.
    KeyAdded,
    KeyRetired,
    /// A phone's forgotten PIN answered: its data key sealed to the phone's one-time key.
    PinReset,
    /// A phone's backup opened with the district's key and sealed to a new phone's one-time
    /// key (`verval-hub phone-backup reseal`).
    PhoneBackupMoved,
    /// A household's standing in SIKS-NG recorded: entered, accepted or refused.
    SiksNg,
    /// Aid delivered to a household after the round, recorded.
    AidDelivered,
    /// A village meeting (Musdes) recorded, or its decisions on families.
    Musdes,
}

impl Action {
    pub const ALL: [Action; 41] = [
        Action::SignIn,
        Action::SignInFailed,
        Action::SignOut,
        Action::BatchUpload,
        Action::BatchSync,
        Action::Review,
        Action::ConflictResolved,
        Action::DuplicateResolved,
        Action::RecordView,
        Action::Export,
        Action::ReceiptDownload,
        Action::AssignmentDownload,
        Action::ReviewDownload,
        Action::AuditDownload,
        Action::EnumeratorAdded,
        Action::EnrolmentCode,
        Action::EnumeratorRevoked,
        Action::PrelistImport,
        Action::FormImport,
        Action::FormPublish,
        Action::FormExport,
        Action::AccountAdded,
        Action::AccountDisabled,
        Action::AccountEnabled,
        Action::AccountReset,
        Action::PasswordChanged,
        Action::UsernameChosen,
        Action::SessionEnded,
        Action::Settings,
        Action::Backup,
        Action::Restore,
        Action::SealedOpened,
        Action::KeyUnlocked,
        Action::KeyLocked,
        Action::KeyAdded,
        Action::KeyRetired,
        Action::PinReset,
        Action::PhoneBackupMoved,
        Action::SiksNg,
        Action::AidDelivered,
        Action::Musdes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::SignIn => "masuk",
            Action::SignInFailed => "masuk_gagal",
            Action::SignOut => "keluar",
            Action::BatchUpload => "unggah_batch",
            Action::BatchSync => "sinkron_batch",
            Action::Review => "tinjauan",
            Action::ConflictResolved => "konflik_diputuskan",
            Action::DuplicateResolved => "ganda_diputuskan",
            Action::RecordView => "lihat_keluarga",
            Action::Export => "ekspor",
            Action::ReceiptDownload => "unduh_tanda_terima",
            Action::AssignmentDownload => "unduh_penugasan",
            Action::ReviewDownload => "unduh_tinjauan",
            Action::AuditDownload => "unduh_jejak_audit",
            Action::EnumeratorAdded => "petugas_ditambah",
            Action::EnrolmentCode => "kode_pendaftaran",
            Action::EnumeratorRevoked => "petugas_dicabut",
            Action::PrelistImport => "impor_prelist",
            Action::FormImport => "impor_formulir",
            Action::FormPublish => "terbitkan_formulir",
            Action::FormExport => "ekspor_formulir",
            Action::AccountAdded => "akun_ditambah",
            Action::AccountDisabled => "akun_dinonaktifkan",
            Action::AccountEnabled => "akun_diaktifkan",
            Action::AccountReset => "akun_direset",
            Action::PasswordChanged => "kata_sandi_diganti",
            Action::UsernameChosen => "nama_pengguna_dipilih",
            Action::SessionEnded => "sesi_diakhiri",
            Action::Settings => "pengaturan",
            Action::Backup => "cadangan",
            Action::Restore => "pemulihan",
            Action::SealedOpened => "segel_dibuka",
            Action::KeyUnlocked => "kunci_dibuka",
            Action::KeyLocked => "kunci_dikunci",
            Action::KeyAdded => "kunci_ditambah",
            Action::KeyRetired => "kunci_dipensiunkan",
            Action::PinReset => "pin_dipulihkan",
            Action::PhoneBackupMoved => "cadangan_hp_dipindah",
            Action::SiksNg => "status_siks_ng",
            Action::AidDelivered => "bantuan_tersalur",
            Action::Musdes => "musdes",
        }
    }

    /// Indonesian, then English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Action::SignIn => ("Masuk", "signed in"),
            Action::SignInFailed => ("Gagal masuk", "sign-in refused"),
            Action::SignOut => ("Keluar", "signed out"),
            Action::BatchUpload => ("Unggah batch", "batch uploaded"),
            Action::BatchSync => ("Sinkron dari HP", "batch synced from a phone"),
            Action::Review => ("Tinjauan", "review"),
            Action::ConflictResolved => ("Konflik diputuskan", "conflict resolved"),
            Action::DuplicateResolved => ("Keluarga ganda diputuskan", "duplicate pair decided"),
            Action::RecordView => ("Melihat keluarga", "household viewed"),
            Action::Export => ("Ekspor", "export"),
            Action::ReceiptDownload => ("Unduh tanda terima", "receipt downloaded"),
            Action::AssignmentDownload => ("Unduh berkas penugasan", "assignment file downloaded"),
            Action::ReviewDownload => ("Tinjauan dikirim ke HP", "reviews sent to a phone"),
            Action::AuditDownload => ("Unduh jejak audit", "audit trail downloaded"),
            Action::EnumeratorAdded => ("Petugas ditambah", "enumerator added"),
            Action::EnrolmentCode => ("Kode pendaftaran dibuat", "enrolment code made"),
            Action::EnumeratorRevoked => ("Petugas dicabut", "enumerator revoked"),
            Action::PrelistImport => ("Impor prelist", "prelist imported"),
            Action::FormImport => ("Impor formulir", "form imported"),
            Action::FormPublish => ("Formulir diterbitkan ke HP", "form published to phones"),
            Action::FormExport => ("Ekspor data formulir", "form records exported"),
            Action::AccountAdded => ("Akun ditambah", "account added"),
            Action::AccountDisabled => ("Akun dinonaktifkan", "account disabled"),
            Action::AccountEnabled => ("Akun diaktifkan", "account enabled"),
            Action::AccountReset => ("Kata sandi sekali pakai dibuat", "one-time password given"),
            Action::PasswordChanged => ("Kata sandi diganti", "password changed"),
            Action::UsernameChosen => ("Nama pengguna dipilih", "username chosen"),
            Action::SessionEnded => ("Sesi diakhiri", "session ended"),
            Action::Settings => ("Pengaturan diubah", "setting changed"),
            Action::Backup => ("Cadangan dibuat", "backup made"),
            Action::Restore => ("Cadangan dipulihkan", "backup restored"),
            Action::SealedOpened => ("Batch tersegel dibuka", "sealed batch opened"),
            Action::KeyUnlocked => ("Kunci dinas dibuka di hub", "district key unlocked on the hub"),
            Action::KeyLocked => ("Kunci dinas dikunci kembali", "district key locked again"),
            Action::KeyAdded => ("Kunci publik ditambah", "public key added"),
            Action::KeyRetired => ("Kunci publik dipensiunkan", "public key retired"),
            Action::PinReset => ("PIN HP dipulihkan", "a phone's forgotten PIN answered"),
            Action::PhoneBackupMoved => (
                "Cadangan HP dipindah ke HP baru",
                "a phone's backup moved to a new phone",
            ),
            Action::SiksNg => ("Status SIKS-NG dicatat", "SIKS-NG standing recorded"),
            Action::AidDelivered => ("Bantuan tersalur dicatat", "aid delivered recorded"),
            Action::Musdes => ("Musyawarah desa dicatat", "village meeting recorded"),
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Who acted, and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub address: String,
}

impl Actor {
    /// Someone at the server's command line.
    pub fn cli() -> Actor {
        Actor {
            name: "cli".to_owned(),
            address: "lokal".to_owned(),
        }
    }
}

/// One thing that happened.
#[derive(Debug)]
pub struct Event<'a> {
    pub action: Action,
    /// What, as a JSON object: ids, counts, choices. Never a NIK, a KK number or a name.
    pub detail: Value,
    /// The households it touched.
    pub households: &'a [String],
}

impl Event<'_> {
    pub fn new(action: Action, detail: Value) -> Event<'static> {
        Event {
            action,
            detail,
            households: &[],
        }
    }
}

/// Writes `event` inside the caller's transaction, so that a change and its event are
/// stored together or not at all.
pub async fn record_in(tx: &mut AnyConnection, actor: &Actor, event: &Event<'_>) -> Result<(), sqlx::Error> {
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events")
        .fetch_one(&mut *tx)
        .await?;
    let count = i64::try_from(event.households.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO audit_events (seq, at, actor, address, action, detail, households) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(seq)
    .bind(now_ms())
    .bind(&actor.name)
    .bind(&actor.address)
    .bind(event.action.code())
    .bind(event.detail.to_string())
    .bind(count)
    .execute(&mut *tx)
    .await?;
    let mut ids: Vec<&String> = event.households.iter().collect();
    ids.sort();
    ids.dedup();
    // The event's number bound with each id: placeholders in order, which SQLite binds
    // without looking each up by name (a batch names hundreds of households).
    let backend = match tx.backend_name() {
        "PostgreSQL" => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    for chunk in ids.chunks(rows_per_statement(backend, 2)) {
        let sql = values(
            backend,
            "INSERT INTO audit_households (seq, record_id)",
            "($1, $2)",
            chunk.len(),
            2,
        );
        let mut query = insert(&sql);
        for id in chunk {
            query = query.bind(seq).bind(id.as_str());
        }
        query.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Writes `event` in a transaction of its own.
pub async fn record(db: &Db, actor: &Actor, event: &Event<'_>) -> Result<(), DbError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        record_in(&mut tx, actor, event).await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

/// The triggers that keep both tables append-only, made (if missing) every time the
/// database is opened; each database in its own dialect.
pub async fn guard(db: &Db) -> Result<(), DbError> {
    let statements: Vec<String> = match db.backend {
        Backend::Sqlite => ["audit_events", "audit_households"]
            .iter()
            .flat_map(|table| {
                ["UPDATE", "DELETE"].map(|op| {
                    format!(
                        "CREATE TRIGGER IF NOT EXISTS {table}_no_{} BEFORE {op} ON {table} \
                         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: {op} refused'); END",
                        op.to_lowercase()
                    )
                })
            })
            .collect(),
        Backend::Postgres => {
            let mut statements = vec![
                "CREATE OR REPLACE FUNCTION verval_audit_append_only() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN \
                 RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP; \
                 END $$"
                    .to_owned(),
            ];
            for table in ["audit_events", "audit_households"] {
                statements.push(format!(
                    "CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION verval_audit_append_only()"
                ));
                statements.push(format!(
                    "CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION verval_audit_append_only()"
                ));
            }
            statements
        }
    };
    for statement in statements {
        sqlx::query(&statement).execute(&db.pool).await?;
    }
    Ok(())
}

/// Which events to list. Dates are calendar days on the district's clock (`time_zone`),
/// both ends included.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<Action>,
    pub household: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub time_zone: TimeZone,
}

/// One stored event.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub detail: String,
    pub households: i64,
}

enum Bind {
    Text(String),
    Int(i64),
}

/// `WHERE …` over `audit_events e` for `filter`, and the values it binds in order.
fn where_clause(filter: &Filter) -> (String, Vec<Bind>) {
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    let mut add = |condition: &str, bind: Bind| {
        binds.push(bind);
        conditions.push(condition.replace('?', &format!("${}", binds.len())));
    };
    if let Some(actor) = &filter.actor {
        add("e.actor = ?", Bind::Text(actor.clone()));
    }
    if let Some(action) = filter.action {
        add("e.action = ?", Bind::Text(action.code().to_owned()));
    }
    if let Some(household) = &filter.household {
        add(
            "e.seq IN (SELECT h.seq FROM audit_households h WHERE h.record_id = ?)",
            Bind::Text(household.clone()),
        );
    }
    if let Some(from) = filter.from {
        add("e.at >= ?", Bind::Int(filter.time_zone.day_start_ms(from)));
    }
    if let Some(to) = filter.to {
        let next = Date::from_days_since_epoch(to.days_since_epoch() + 1);
        add("e.at < ?", Bind::Int(filter.time_zone.day_start_ms(next)));
    }
    if conditions.is_empty() {
        (String::new(), binds)
    } else {
        (format!("WHERE {}", conditions.join(" AND ")), binds)
    }
}

type AnyQueryAs<'q, T> = sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>;

fn bind_all<'q, T>(mut query: AnyQueryAs<'q, T>, binds: &'q [Bind]) -> AnyQueryAs<'q, T> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text.as_str()),
            Bind::Int(n) => query.bind(*n),
        };
    }
    query
}

/// The events `filter` picks, newest first: how many in all, and at most `limit` of them.
pub async fn find(db: &Db, filter: &Filter, limit: Option<i64>) -> Result<(i64, Vec<Stored>), DbError> {
    let (filter_sql, binds) = where_clause(filter);
    let limit_sql = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let rows_sql = format!(
        "SELECT e.seq, e.at, e.actor, e.address, e.action, e.detail, e.households \
         FROM audit_events e {filter_sql} ORDER BY e.seq DESC{limit_sql}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM audit_events e {filter_sql}");
    let (total,): (i64,) = bind_all(sqlx::query_as(&count_sql), &binds)
        .fetch_one(&db.pool)
        .await?;
    let rows = bind_all(sqlx::query_as::<_, Stored>(&rows_sql), &binds)
        .fetch_all(&db.pool)
        .await?;
    Ok((total, rows))
}

/// The households each event `filter` picks touched, by event.
pub async fn households_of(db: &Db, filter: &Filter) -> Result<HashMap<i64, Vec<String>>, DbError> {
    let (filter_sql, binds) = where_clause(filter);
    let sql = format!(
        "SELECT h.seq, h.record_id FROM audit_households h \
         WHERE h.seq IN (SELECT e.seq FROM audit_events e {filter_sql}) ORDER BY h.seq, h.record_id"
    );
    let pairs: Vec<(i64, String)> = bind_all(sqlx::query_as(&sql), &binds).fetch_all(&db.pool).await?;
    let mut by_event: HashMap<i64, Vec<String>> = HashMap::new();
    for (seq, id) in pairs {
        by_event.entry(seq).or_default().push(id);
    }
    Ok(by_event)
}

/// `2026-12-03T10:05:09Z`: a time in the trail, as UTC.
pub fn iso_utc(ms: i64) -> String {
    let day = Date::from_days_since_epoch(ms.div_euclid(86_400_000));
    let second = ms.rem_euclid(86_400_000) / 1000;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

/// A `YYYY-MM-DD` date from a filter form.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_code_and_reads_back() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.code()), Some(action));
        }
        let mut codes: Vec<&str> = Action::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
    }

    #[test]
    fn dates_and_times_read_and_write() {
        assert_eq!(parse_date("2026-12-03"), Date::new(2026, 12, 3));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("kemarin"), None);
        assert_eq!(iso_utc(1_796_230_800_000 + 3_723_000), "2026-12-02T18:02:03Z");
    }
}
