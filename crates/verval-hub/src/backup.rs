//! Backup and restore (issue #18, item 5): everything the hub holds, as one zip that either
//! database can be restored from — SQLite to SQLite, PostgreSQL to PostgreSQL, or one to
//! the other when a district outgrows one machine.
//!
//! The zip holds `manifest.json` (format, the schema's migration version, row counts), one
//! `<table>.jsonl` per table (a row a line, its values in [`TABLES`]' column order) and each
//! raw batch as its own entry `batches/<n>.zip` (so no batch is ever held twice in memory).
//! Signed-in browsers (`sessions`) are not kept: after a restore, staff sign in again.
//! A backup is read in one snapshot (a read transaction; `REPEATABLE READ` on PostgreSQL),
//! so it is consistent while phones keep uploading. A restore goes into an empty database,
//! in one transaction: all of it or nothing.

use crate::db::{now_ms, Backend, Db, DbError};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::io::{Read, Seek, Write};
use zip::write::SimpleFileOptions;

pub const FORMAT: &str = "verval-hub-backup";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    OptText,
    OptInt,
    /// A raw batch: its own zip entry.
    Blob,
}

struct Table {
    name: &'static str,
    /// Rows are read in this order, page by page.
    order: &'static str,
    columns: &'static [(&'static str, Kind)],
}

use Kind::*;

/// Every table the hub keeps, parents before the tables that refer to them. A test checks
/// this list against the migrated schema, so a new column cannot be left out of backups.
const TABLES: &[Table] = &[
    Table {
        name: "settings",
        order: "key",
        columns: &[("key", Text), ("value", Text)],
    },
    Table {
        name: "enumerators",
        order: "id",
        columns: &[("id", Text), ("name", Text), ("created_at", Int)],
    },
    Table {
        name: "enumerator_villages",
        order: "enumerator_id, kode_desa",
        columns: &[
            ("enumerator_id", Text),
            ("kode_desa", Text),
            ("village_share", Text),
        ],
    },
    Table {
        name: "enrolment_codes",
        order: "code_hash",
        columns: &[
            ("code_hash", Text),
            ("enumerator_id", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("used_at", OptInt),
        ],
    },
    Table {
        name: "devices",
        order: "token_hash",
        columns: &[
            ("token_hash", Text),
            ("enumerator_id", Text),
            ("device_id", Text),
            ("enrolled_at", Int),
            ("revoked_at", OptInt),
            ("device_key", OptText),
            ("last_seen_at", OptInt),
        ],
    },
    Table {
        name: "batches",
        order: "batch_id",
        columns: &[
            ("batch_id", Text),
            ("sha256", Text),
            ("file_name", Text),
            ("via", Text),
            ("enumerator_id", OptText),
            ("enumerator", Text),
            ("device_id", Text),
            ("record_count", Int),
            ("received_at", Int),
            ("receipt", Text),
            ("bytes", Blob),
            ("pruned_at", OptInt),
        ],
    },
    Table {
        name: "record_versions",
        order: "record_id, revision, sha256",
        columns: &[
            ("record_id", Text),
            ("revision", Int),
            ("sha256", Text),
            ("batch_id", Text),
            ("device_id", Text),
            ("body", Text),
            ("received_at", Int),
            ("origin", OptText),
        ],
    },
    Table {
        name: "records",
        order: "record_id",
        columns: &[
            ("record_id", Text),
            ("revision", Int),
            ("sha256", Text),
            ("kode_desa", Text),
            ("enumerator", Text),
            ("nama_kepala_keluarga", Text),
            ("nomor_kk", Text),
            ("status_verifikasi", Text),
            ("conflict", Int),
            ("review", Text),
            ("review_note", Text),
            ("updated_at", Int),
            ("enumerator_id", OptText),
            ("reviewed_revision", Int),
            ("prelist_id", Text),
            ("lat_e6", OptInt),
            ("lon_e6", OptInt),
            ("accuracy_m", OptInt),
            ("location_asked", Int),
            ("house_photo", OptInt),
            ("started_at", Int),
            ("finalized_at", Int),
            ("origin", Text),
            ("derived", Int),
        ],
    },
    Table {
        name: "reviews",
        order: "seq",
        columns: &[
            ("seq", Int),
            ("record_id", Text),
            ("revision", Int),
            ("decision", Text),
            ("note", Text),
            ("field_notes", Text),
            ("duplicate_of", Text),
            ("reviewer", Text),
            ("at", Int),
        ],
    },
    Table {
        name: "record_keys",
        order: "record_id, kind, key",
        columns: &[("record_id", Text), ("kind", Text), ("key", Text)],
    },
    Table {
        name: "duplicate_pairs",
        order: "first_id, second_id",
        columns: &[
            ("first_id", Text),
            ("second_id", Text),
            ("kinds", Text),
            ("found_at", Int),
            ("decision", Text),
            ("member_status", Text),
            ("kept_id", Text),
            ("dropped_id", Text),
            ("note", Text),
            ("decided_by", Text),
            ("decided_at", Int),
        ],
    },
    Table {
        name: "phone_progress",
        order: "device_key, kode_desa",
        columns: &[
            ("device_key", Text),
            ("kode_desa", Text),
            ("begun", Int),
            ("finalized", Int),
            ("reported_at", Int),
        ],
    },
    Table {
        name: "prelist_families",
        order: "prelist_id",
        columns: &[
            ("prelist_id", Text),
            ("kode_desa", Text),
            ("nomor_kk", Text),
            ("body", Text),
            ("source", Text),
            ("imported_at", Int),
            ("updated_at", Int),
            ("in_latest", Int),
        ],
    },
    Table {
        name: "village_targets",
        order: "kode_desa",
        columns: &[
            ("kode_desa", Text),
            ("target", Int),
            ("set_by", Text),
            ("set_at", Int),
        ],
    },
    Table {
        name: "staff",
        order: "username",
        columns: &[
            ("username", Text),
            ("name", Text),
            ("role", Text),
            ("wilayah", Text),
            ("password_hash", Text),
            ("must_change_password", Int),
            ("must_choose_username", Int),
            ("disabled_at", OptInt),
            ("created_at", Int),
        ],
    },
    Table {
        name: "audit_events",
        order: "seq",
        columns: &[
            ("seq", Int),
            ("at", Int),
            ("actor", Text),
            ("address", Text),
            ("action", Text),
            ("detail", Text),
            ("households", Int),
        ],
    },
    Table {
        name: "audit_households",
        order: "seq, record_id",
        columns: &[("seq", Int), ("record_id", Text)],
    },
    Table {
        name: "district_keys",
        order: "recipient",
        columns: &[
            ("recipient", Text),
            ("fingerprint", Text),
            ("label", Text),
            ("added_at", Int),
            ("retired_at", OptInt),
        ],
    },
    Table {
        name: "sealed_batches",
        order: "batch_id",
        columns: &[
            ("batch_id", Text),
            ("sha256", Text),
            ("file_name", Text),
            ("via", Text),
            ("enumerator_id", OptText),
            ("enumerator", Text),
            ("origin", Text),
            ("device_id", Text),
            ("record_count", Int),
            ("received_at", Int),
            ("receipt", Text),
            ("bytes", Blob),
            ("state", Text),
            ("reason", Text),
            ("opened_at", OptInt),
        ],
    },
    Table {
        name: "sealed_records",
        order: "batch_id, record_id",
        columns: &[
            ("batch_id", Text),
            ("record_id", Text),
            ("revision", Int),
            ("kode_desa", Text),
            ("status", Text),
        ],
    },
    Table {
        name: "device_escrows",
        order: "device_key, key_id",
        columns: &[
            ("device_key", Text),
            ("key_id", Text),
            ("enumerator_id", Text),
            ("escrow", Text),
            ("district_keys", Text),
            ("received_at", Int),
        ],
    },
    Table {
        name: "pin_resets",
        order: "device_key",
        columns: &[
            ("device_key", Text),
            ("key_id", Text),
            ("enumerator_id", Text),
            ("one_time", Text),
            ("fingerprint", Text),
            ("requested_at", Int),
            ("answer", OptText),
            ("answered_by", OptText),
            ("answered_at", OptInt),
        ],
    },
    Table {
        name: "siks_entries",
        order: "record_id",
        columns: &[
            ("record_id", Text),
            ("status", Text),
            ("entered_on", Text),
            ("operator", Text),
            ("usulan_id", Text),
            ("desil", OptInt),
            ("reason", Text),
            ("revision", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    },
    Table {
        name: "aid_deliveries",
        order: "record_id, seq",
        columns: &[
            ("record_id", Text),
            ("seq", Int),
            ("programme", Text),
            ("funding", Text),
            ("delivered_on", Text),
            ("note", Text),
            ("recorded_at", Int),
            ("recorded_by", Text),
        ],
    },
    Table {
        name: "aid_programmes",
        order: "code",
        columns: &[
            ("code", Text),
            ("label", Text),
            ("funding", Text),
            ("added_at", Int),
            ("added_by", Text),
        ],
    },
    Table {
        name: "musdes_meetings",
        order: "meeting_id",
        columns: &[
            ("meeting_id", Int),
            ("kode_desa", Text),
            ("period", Text),
            ("number", Text),
            ("held_on", Text),
            ("place", Text),
            ("chair", Text),
            ("created_at", Int),
            ("created_by", Text),
        ],
    },
    Table {
        name: "musdes_decisions",
        order: "meeting_id, record_id",
        columns: &[
            ("meeting_id", Int),
            ("record_id", Text),
            ("decision", Text),
            ("note", Text),
            ("revision", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    },
    Table {
        name: "musdes_listed",
        order: "meeting_id, record_id",
        columns: &[("meeting_id", Int), ("record_id", Text)],
    },
    Table {
        name: "forms",
        order: "form_id, version",
        columns: &[
            ("form_id", Text),
            ("version", Text),
            ("title", Text),
            ("definition", Text),
            ("imported_at", Int),
            ("imported_by", Text),
            ("published_at", OptInt),
            ("published_by", OptText),
        ],
    },
    Table {
        name: "form_records",
        order: "record_id",
        columns: &[
            ("record_id", Text),
            ("form_id", Text),
            ("form_version", Text),
            ("revision", Int),
            ("sha256", Text),
            ("kode_desa", Text),
            ("enumerator_id", OptText),
            ("enumerator", Text),
            ("origin", Text),
            ("conflict", Int),
            ("updated_at", Int),
        ],
    },
];

/// Tables a backup leaves out on purpose.
const NOT_KEPT: &[&str] = &["sessions", "_sqlx_migrations"];

/// Rows read at a time (batches: a few, each may be megabytes).
const PAGE: i64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("berkas cadangan tidak bisa ditulis atau dibaca (backup file I/O): {0}")]
    Io(String),
    #[error("bukan berkas cadangan Verval yang utuh (not a whole Verval backup): {0}")]
    NotABackup(String),
    #[error("cadangan dari skema versi {found}, hub ini skema versi {expected}: pulihkan dengan versi hub yang membuatnya, lalu perbarui (backup of schema {found}, this hub is {expected})")]
    OtherSchema { found: i64, expected: i64 },
    #[error("basis data tujuan tidak kosong (tabel {0} berisi data): pulihkan hanya ke basis data baru (the target database is not empty)")]
    NotEmpty(String),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> BackupError {
        BackupError::Db(DbError::Query(e))
    }
}

impl crate::db::Retry for BackupError {
    fn worth_retrying(&self) -> bool {
        matches!(self, BackupError::Db(e) if e.worth_retrying())
    }
}

fn io(e: impl std::fmt::Display) -> BackupError {
    BackupError::Io(e.to_string())
}

/// The schema version this hub migrates to (its newest migration).
pub fn schema_version() -> i64 {
    crate::db::MIGRATOR
        .migrations
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// What a backup holds, as its manifest says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Rows per table, in [`TABLES`] order.
    pub rows: Vec<(String, u64)>,
}

/// Writes everything the hub holds to `out`.
pub async fn backup<W: Write + Seek>(db: &Db, out: W) -> Result<Summary, BackupError> {
    let mut zip = zip::ZipWriter::new(out);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    // Raw batches are zips already.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut tx = db.pool.begin().await?;
    if db.backend == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *tx)
            .await?;
    }
    let mut rows = Vec::new();
    let mut blobs = 0u64;
    for table in TABLES {
        let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
        let select = format!(
            "SELECT {} FROM {} ORDER BY {} LIMIT $1 OFFSET $2",
            names.join(", "),
            table.name,
            table.order
        );
        // A table of plain values is written as it is read; the batches' lines wait (they
        // are small) while each raw batch goes into its own entry.
        let has_blobs = table.columns.iter().any(|(_, kind)| *kind == Blob);
        let entry = format!("{}.jsonl", table.name);
        if !has_blobs {
            zip.start_file(entry.as_str(), deflated).map_err(io)?;
        }
        let mut waiting = Vec::new();
        let mut count = 0u64;
        let mut offset = 0i64;
        loop {
            let page: Vec<AnyRow> = sqlx::query(&select)
                .bind(PAGE)
                .bind(offset)
                .fetch_all(&mut *tx)
                .await?;
            for row in &page {
                let mut values = Vec::with_capacity(table.columns.len());
                for (i, (_, kind)) in table.columns.iter().enumerate() {
                    values.push(match kind {
                        Text => Value::from(row.try_get::<String, _>(i)?),
                        Int => Value::from(row.try_get::<i64, _>(i)?),
                        OptText => row
                            .try_get::<Option<String>, _>(i)?
                            .map_or(Value::Null, Value::from),
                        OptInt => row.try_get::<Option<i64>, _>(i)?.map_or(Value::Null, Value::from),
                        Blob => {
                            blobs += 1;
                            let blob = format!("batches/{blobs}.zip");
                            zip.start_file(blob.as_str(), stored).map_err(io)?;
                            zip.write_all(&row.try_get::<Vec<u8>, _>(i)?).map_err(io)?;
                            Value::from(blob)
                        }
                    });
                }
                let line = Value::Array(values).to_string() + "\n";
                if has_blobs {
                    waiting.push(line);
                } else {
                    zip.write_all(line.as_bytes()).map_err(io)?;
                }
                count += 1;
            }
            if (page.len() as i64) < PAGE {
                break;
            }
            offset += PAGE;
        }
        if has_blobs {
            zip.start_file(entry.as_str(), deflated).map_err(io)?;
            for line in &waiting {
                zip.write_all(line.as_bytes()).map_err(io)?;
            }
        }
        rows.push((table.name.to_owned(), count));
    }
    tx.commit().await?;
    let manifest = serde_json::json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version(),
        "created_at": now_ms(),
        "rows": rows.iter().map(|(t, n)| (t.clone(), Value::from(*n))).collect::<serde_json::Map<_, _>>(),
    });
    zip.start_file("manifest.json", deflated).map_err(io)?;
    zip.write_all(manifest.to_string().as_bytes()).map_err(io)?;
    zip.finish().map_err(io)?;
    Ok(Summary { rows })
}

/// Restores a backup into `db`, which must be empty (its schema made by [`Db::open`]).
pub async fn restore<R: Read + Seek>(db: &Db, input: R) -> Result<Summary, BackupError> {
    let mut zip = zip::ZipArchive::new(input).map_err(|e| BackupError::NotABackup(e.to_string()))?;
    let manifest: Value = serde_json::from_slice(&read_entry(&mut zip, "manifest.json")?)
        .map_err(|e| BackupError::NotABackup(format!("manifest.json: {e}")))?;
    if manifest["format"] != FORMAT || manifest["format_version"] != FORMAT_VERSION {
        return Err(BackupError::NotABackup(format!(
            "manifest.json names {} version {}",
            manifest["format"], manifest["format_version"]
        )));
    }
    let found = manifest["schema_version"].as_i64().unwrap_or(-1);
    if found != schema_version() {
        return Err(BackupError::OtherSchema {
            found,
            expected: schema_version(),
        });
    }
    for table in TABLES.iter().map(|t| t.name).chain(["sessions"]) {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&db.pool)
            .await?;
        if rows > 0 {
            return Err(BackupError::NotEmpty(table.to_owned()));
        }
    }
    // Every table read and checked once before anything is written, a line at a time; then
    // read again, a line at a time, into the one transaction.
    let mut summary = Summary { rows: Vec::new() };
    for table in TABLES {
        let mut count = 0u64;
        for_each_row(&mut zip, table, |_| {
            count += 1;
            Ok(())
        })?;
        let declared = manifest["rows"][table.name].as_u64();
        if declared != Some(count) {
            return Err(BackupError::NotABackup(format!(
                "{}.jsonl holds {count} rows, manifest.json says {declared:?}",
                table.name
            )));
        }
        summary.rows.push((table.name.to_owned(), count));
    }
    let zip = tokio::sync::Mutex::new(zip);
    db.write(|| insert_all(db, &zip)).await?;
    Ok(summary)
}

/// Calls `each` with every row of `table` in the backup, checked for its shape.
fn for_each_row<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    table: &Table,
    mut each: impl FnMut(Vec<Value>) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let name = format!("{}.jsonl", table.name);
    let entry = zip
        .by_name(&name)
        .map_err(|e| BackupError::NotABackup(format!("{name}: {e}")))?;
    for (i, line) in std::io::BufRead::lines(std::io::BufReader::new(entry)).enumerate() {
        let bad =
            |why: &dyn std::fmt::Display| BackupError::NotABackup(format!("{name} line {}: {why}", i + 1));
        let line = line.map_err(|e| bad(&e))?;
        let values: Vec<Value> = serde_json::from_str(&line).map_err(|e| bad(&e))?;
        if values.len() != table.columns.len() {
            return Err(bad(&"wrong number of values"));
        }
        each(values)?;
    }
    Ok(())
}

async fn insert_all<R: Read + Seek>(
    db: &Db,
    zip: &tokio::sync::Mutex<zip::ZipArchive<R>>,
) -> Result<(), BackupError> {
    let mut zip = zip.lock().await;
    let mut tx = db.pool.begin().await?;
    for table in TABLES {
        let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let insert = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            names.join(", "),
            marks.join(", ")
        );
        // A table's rows stream from its entry into the inserts; only the batches' lines
        // (small: the raw batches are entries of their own, read as each row needs one)
        // are read whole first, since the zip reader opens one entry at a time.
        if table.columns.iter().any(|(_, kind)| *kind == Blob) {
            let mut rows = Vec::new();
            for_each_row(&mut zip, table, |values| {
                rows.push(values);
                Ok(())
            })?;
            for values in rows {
                let query = bind_row(sqlx::query(&insert), table, &values, &mut |entry| {
                    read_entry(&mut zip, entry)
                })?;
                query.execute(&mut *tx).await?;
            }
        } else {
            let name = format!("{}.jsonl", table.name);
            let entry = zip
                .by_name(&name)
                .map_err(|e| BackupError::NotABackup(format!("{name}: {e}")))?;
            for line in std::io::BufRead::lines(std::io::BufReader::new(entry)) {
                let line = line.map_err(io)?;
                let values: Vec<Value> = serde_json::from_str(&line)
                    .map_err(|e| BackupError::NotABackup(format!("{name}: {e}")))?;
                let query = bind_row(sqlx::query(&insert), table, &values, &mut |_| {
                    Err(BackupError::NotABackup(format!(
                        "{name}: a raw batch where none belongs"
                    )))
                })?;
                query.execute(&mut *tx).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a row's values to `query` in [`TABLES`]' column order, each checked for its kind;
/// `blob` reads a raw batch's entry.
fn bind_row<'q>(
    mut query: Query<'q>,
    table: &Table,
    values: &[Value],
    blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, BackupError>,
) -> Result<Query<'q>, BackupError> {
    for ((name, kind), value) in table.columns.iter().zip(values) {
        let bad = || {
            BackupError::NotABackup(format!(
                "{}.{name}: {value} is not what the column holds",
                table.name
            ))
        };
        query = match kind {
            Text => query.bind(value.as_str().ok_or_else(bad)?.to_owned()),
            Int => query.bind(value.as_i64().ok_or_else(bad)?),
            OptText => query.bind(match value {
                Value::Null => None,
                v => Some(v.as_str().ok_or_else(bad)?.to_owned()),
            }),
            OptInt => query.bind(match value {
                Value::Null => None,
                v => Some(v.as_i64().ok_or_else(bad)?),
            }),
            Blob => query.bind(blob(value.as_str().ok_or_else(bad)?)?),
        };
    }
    Ok(query)
}

fn read_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Vec<u8>, BackupError> {
    let mut entry = zip
        .by_name(name)
        .map_err(|e| BackupError::NotABackup(format!("{name}: {e}")))?;
    let mut bytes = Vec::new();
    entry
        .read_to_end(&mut bytes)
        .map_err(|e| BackupError::NotABackup(format!("{name}: {e}")))?;
    Ok(bytes)
}

/// The tables of the migrated schema that a backup leaves out on purpose.
pub fn not_kept() -> &'static [&'static str] {
    NOT_KEPT
}

/// The tables and columns a backup keeps, for the test that holds them to the schema.
pub fn kept() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES
        .iter()
        .map(|t| (t.name, t.columns.iter().map(|(n, _)| *n).collect()))
        .collect()
}
