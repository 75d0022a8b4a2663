//! Each phone's last contact with the hub, for the phones working in a region: an enrolled
//! phone's last sync (its token's last use, or its last upload, whichever is later), or the
//! last batch file district staff imported from a phone that does not sync. A phone silent
//! for longer than the round's threshold is what a supervisor calls about.

use crate::db::Db;
use crate::households::BindAll;
use crate::staff::Scope;
use sqlx::Row;
use verval_core::region::RegionCode;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// One phone and when the hub last heard from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The enumerator's name (for a file, the name written in it).
    pub enumerator: String,
    /// The phone as its enumerator knows it (its own device id).
    pub device: String,
    /// `sync` for an enrolled phone, `berkas` for batch files imported by hand.
    pub via: &'static str,
    /// Milliseconds since 1970; `None` for a phone enrolled but never heard from since.
    pub last: Option<i64>,
    /// When it was enrolled (the first file, for a phone that does not sync).
    pub since: i64,
}

impl Contact {
    /// Whole days since the last contact (since enrolment for a phone never heard from).
    pub fn silent_days(&self, now: i64) -> i64 {
        (now - self.last.unwrap_or(self.since)).max(0) / DAY_MS
    }
}

/// The phones of enumerators assigned within `scope` and `region` that are not revoked, and
/// the phones whose imported files held households there; the longest silent first.
pub async fn contacts(
    db: &Db,
    scope: &Scope,
    region: Option<&RegionCode>,
) -> Result<Vec<Contact>, sqlx::Error> {
    let (assigned, binds) = scope.condition_within(region, "ev.kode_desa", 1);
    let sql = format!(
        "SELECT e.name, d.device_id, d.enrolled_at, d.last_seen_at, \
           (SELECT MAX(b.received_at) FROM batches b \
             WHERE b.enumerator_id = d.enumerator_id AND b.device_id = d.device_id) \
         FROM devices d JOIN enumerators e ON e.id = d.enumerator_id \
         WHERE d.revoked_at IS NULL AND d.enumerator_id IN \
           (SELECT ev.enumerator_id FROM enumerator_villages ev WHERE {assigned})"
    );
    let mut contacts = Vec::new();
    for r in sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await? {
        let seen: Option<i64> = r.try_get(3)?;
        let uploaded: Option<i64> = r.try_get(4)?;
        contacts.push(Contact {
            enumerator: r.try_get(0)?,
            device: r.try_get(1)?,
            via: "sync",
            last: seen.max(uploaded),
            since: r.try_get(2)?,
        });
    }
    let (held, binds) = scope.condition_within(region, "r.kode_desa", 1);
    let sql = format!(
        "SELECT MAX(b.enumerator), b.device_id, MIN(b.received_at), MAX(b.received_at) FROM batches b \
         WHERE b.via = 'file' AND EXISTS (SELECT 1 FROM record_versions v \
           JOIN records r ON r.record_id = v.record_id WHERE v.batch_id = b.batch_id AND {held}) \
         GROUP BY b.device_id"
    );
    for r in sqlx::query(&sql).bind_all(&binds).fetch_all(&db.pool).await? {
        contacts.push(Contact {
            enumerator: r.try_get(0)?,
            device: r.try_get(1)?,
            via: "berkas",
            last: r.try_get(3)?,
            since: r.try_get(2)?,
        });
    }
    contacts.sort_by_key(|c| (c.last.unwrap_or(c.since), c.enumerator.clone()));
    Ok(contacts)
}
