//! The district's staff (issue #19): accounts with a [`Role`] and a region [`Scope`], their
//! passwords (argon2), and their signed-in browsers. The SQL for accounts and sessions lives
//! here, shared by the pages, the sign-in and the command line; every change is audited in
//! its own transaction.

pub mod role;
pub mod scope;

pub use role::{Right, Role};
pub use scope::{mask, Scope};

use crate::audit::{self, Action, Actor, Event};
use crate::db::{now_ms, Db, DbError, Retry};
use crate::secret::{self, SecretError};
use sqlx::Row;

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The account the first start makes, and the old single admin password became.
pub const FIRST_ADMIN: &str = "admin";

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("nama pengguna {0:?} tidak sah: 3–32 huruf kecil, angka, titik, garis bawah atau tanda hubung (username: 3–32 of a-z 0-9 . _ -)")]
    BadUsername(String),
    #[error("nama pengguna {0:?} sudah dipakai (username taken)")]
    Taken(String),
    #[error("akun {0:?} tidak dikenal (unknown account)")]
    NoSuchAccount(String),
    #[error(
        "peran {0:?} tidak dikenal: admin, operator, verifikator, supervisor atau viewer (unknown role)"
    )]
    BadRole(String),
    #[error("peran {0} perlu wilayah, mis. 35.13.14 (this role needs a region)")]
    NeedsRegion(&'static str),
    #[error("peran {0} berlaku untuk seluruh kabupaten; kosongkan wilayah (this role covers the whole district: leave the region empty)")]
    DistrictWide(&'static str),
    #[error("{0}")]
    BadScope(String),
    #[error("nama lengkap wajib diisi (a full name is needed)")]
    NoName,
    #[error("kata sandi minimal {MIN_PASSWORD_CHARS} karakter (password too short)")]
    ShortPassword,
    #[error("admin aktif terakhir tidak dapat dinonaktifkan atau diturunkan (the last active admin cannot be disabled)")]
    LastAdmin,
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for StaffError {
    fn from(e: sqlx::Error) -> StaffError {
        StaffError::Db(DbError::Query(e))
    }
}

impl Retry for StaffError {
    fn worth_retrying(&self) -> bool {
        matches!(self, StaffError::Db(e) if e.worth_retrying())
    }
}

/// One member of staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
    pub must_change_password: bool,
    pub must_choose_username: bool,
    pub disabled: bool,
}

/// A new account, as asked for.
#[derive(Clone, Debug)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub wilayah: &'a str,
}

/// A username as typed, checked and made lower case.
pub fn username(typed: &str) -> Result<String, StaffError> {
    let name = typed.trim().to_lowercase();
    let fits = (3..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if fits {
        Ok(name)
    } else {
        Err(StaffError::BadUsername(typed.trim().to_owned()))
    }
}

/// Hashes a password off the async workers (argon2 is meant to be slow).
pub async fn hash(password: &str) -> Result<String, StaffError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StaffError::ShortPassword);
    }
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || secret::hash_password(&password))
        .await
        .map_err(|e| StaffError::Secret(SecretError::Hash(e.to_string())))?
        .map_err(StaffError::from)
}

/// A one-time password, easy to read out: `KM4T-QX7R-AC`.
fn one_time_password() -> Result<String, StaffError> {
    Ok(secret::display_code(&secret::new_code()?))
}

const COLUMNS: &str =
    "username, name, role, wilayah, must_change_password, must_choose_username, disabled_at";

fn account(row: &sqlx::any::AnyRow) -> Result<Account, StaffError> {
    let role: String = row.try_get(2)?;
    let wilayah: String = row.try_get(3)?;
    Ok(Account {
        username: row.try_get(0)?,
        name: row.try_get(1)?,
        role: Role::parse(&role).ok_or(StaffError::BadRole(role))?,
        scope: Scope::parse(&wilayah).map_err(StaffError::BadScope)?,
        must_change_password: row.try_get::<i64, _>(4)? != 0,
        must_choose_username: row.try_get::<i64, _>(5)? != 0,
        disabled: row.try_get::<Option<i64>, _>(6)?.is_some(),
    })
}

pub async fn find(db: &Db, username: &str) -> Result<Option<Account>, StaffError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM staff WHERE username = $1"))
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(account).transpose()
}

pub async fn list(db: &Db) -> Result<Vec<Account>, StaffError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM staff ORDER BY username"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(account).collect()
}

/// Whether any account exists (the first start makes one when none does).
pub async fn any(db: &Db) -> Result<bool, StaffError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// The stored password of an account that may sign in: not disabled.
pub async fn password_of(db: &Db, username: &str) -> Result<Option<String>, StaffError> {
    let hash =
        sqlx::query_scalar("SELECT password_hash FROM staff WHERE username = $1 AND disabled_at IS NULL")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
    Ok(hash)
}

/// The account made from the old single admin password, while it has not chosen a
/// username: an empty username at the sign-in means this one.
pub async fn unnamed_admin(db: &Db) -> Result<Option<String>, StaffError> {
    let name = sqlx::query_scalar(
        "SELECT username FROM staff WHERE must_choose_username = 1 AND disabled_at IS NULL",
    )
    .fetch_optional(&db.pool)
    .await?;
    Ok(name)
}

/// Adds an account. With `password` (the command line's first admin) it is the account's
/// password; without, a one-time password is made, returned to be shown once, and must be
/// changed at the first sign-in.
pub async fn add(
    db: &Db,
    new: &NewAccount<'_>,
    password: Option<&str>,
    by: &Actor,
) -> Result<(Account, Option<String>), StaffError> {
    let username = username(new.username)?;
    let name = new.name.trim();
    if name.is_empty() {
        return Err(StaffError::NoName);
    }
    let role = Role::parse(new.role).ok_or_else(|| StaffError::BadRole(new.role.trim().to_owned()))?;
    let scope = Scope::parse(new.wilayah).map_err(StaffError::BadScope)?;
    if role.needs_region() && scope.is_everywhere() {
        return Err(StaffError::NeedsRegion(role.code()));
    }
    if !role.takes_region() && !scope.is_everywhere() {
        return Err(StaffError::DistrictWide(role.code()));
    }
    let (password, one_time) = match password {
        Some(p) => (p.to_owned(), None),
        None => {
            let p = one_time_password()?;
            (p.clone(), Some(p))
        }
    };
    let hash = hash(&password).await?;
    let event = Event::new(
        Action::AccountAdded,
        serde_json::json!({ "akun": username, "peran": role.code(), "wilayah": scope.to_text() }),
    );
    let added = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let taken: Option<String> = sqlx::query_scalar("SELECT username FROM staff WHERE username = $1")
                .bind(&username)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO staff (username, name, role, wilayah, password_hash, must_change_password, \
                 must_choose_username, disabled_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7)",
            )
            .bind(&username)
            .bind(name)
            .bind(role.code())
            .bind(scope.to_text())
            .bind(&hash)
            .bind(i64::from(one_time.is_some()))
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        })
        .await?;
    if !added {
        return Err(StaffError::Taken(username));
    }
    let account = Account {
        username,
        name: name.to_owned(),
        role,
        scope,
        must_change_password: one_time.is_some(),
        must_choose_username: false,
        disabled: false,
    };
    Ok((account, one_time))
}

/// How many admins could still sign in if `except` could not.
async fn other_active_admins(tx: &mut sqlx::AnyConnection, except: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND disabled_at IS NULL AND username <> $1",
    )
    .bind(except)
    .fetch_one(&mut *tx)
    .await
}

/// Disables an account and ends its sessions at once, or enables it again. The last active
/// admin cannot be disabled: the hub would have no one to manage it.
pub async fn set_disabled(db: &Db, username: &str, disabled: bool, by: &Actor) -> Result<(), StaffError> {
    let account = find(db, username)
        .await?
        .ok_or_else(|| StaffError::NoSuchAccount(username.to_owned()))?;
    let action = if disabled {
        Action::AccountDisabled
    } else {
        Action::AccountEnabled
    };
    let event = Event::new(action, serde_json::json!({ "akun": username }));
    let done = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            if disabled && account.role == Role::Admin && other_active_admins(&mut tx, username).await? == 0 {
                return Ok(false);
            }
            sqlx::query("UPDATE staff SET disabled_at = $1 WHERE username = $2")
                .bind(disabled.then(now_ms))
                .bind(username)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE username = $1")
                    .bind(username)
                    .execute(&mut *tx)
                    .await?;
            }
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        })
        .await?;
    if done {
        Ok(())
    } else {
        Err(StaffError::LastAdmin)
    }
}

/// Gives an account a one-time password (returned, to be shown once), to be changed at the
/// next sign-in; its sessions end.
pub async fn reset(db: &Db, username: &str, by: &Actor) -> Result<String, StaffError> {
    find(db, username)
        .await?
        .ok_or_else(|| StaffError::NoSuchAccount(username.to_owned()))?;
    let password = one_time_password()?;
    let hash = hash(&password).await?;
    let event = Event::new(Action::AccountReset, serde_json::json!({ "akun": username }));
    store_password(db, username, &hash, true, None, by, &event).await?;
    Ok(password)
}

/// Sets an account's own new password. Every other session of the account ends; `keep` (the
/// token hash of the session that changed it) stays signed in.
pub async fn change_password(
    db: &Db,
    username: &str,
    password: &str,
    keep: Option<&str>,
    by: &Actor,
) -> Result<(), StaffError> {
    let hash = hash(password).await?;
    let event = Event::new(Action::PasswordChanged, serde_json::json!({ "akun": username }));
    store_password(db, username, &hash, false, keep, by, &event).await
}

async fn store_password(
    db: &Db,
    username: &str,
    hash: &str,
    one_time: bool,
    keep: Option<&str>,
    by: &Actor,
    event: &Event<'_>,
) -> Result<(), StaffError> {
    let changed = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE staff SET password_hash = $1, must_change_password = $2 WHERE username = $3",
            )
            .bind(hash)
            .bind(i64::from(one_time))
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query("DELETE FROM sessions WHERE username = $1 AND token_hash <> $2")
                .bind(username)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            audit::record_in(&mut tx, by, event).await?;
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(changed)
        })
        .await?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StaffError::NoSuchAccount(username.to_owned()))
    }
}

/// The account made from the old admin password chooses its username; its sessions follow.
pub async fn choose_username(db: &Db, old: &str, typed: &str, by: &Actor) -> Result<String, StaffError> {
    let new = username(typed)?;
    let event = Event::new(
        Action::UsernameChosen,
        serde_json::json!({ "akun_lama": old, "akun": new }),
    );
    let done = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            if new != old {
                let taken: Option<String> =
                    sqlx::query_scalar("SELECT username FROM staff WHERE username = $1")
                        .bind(&new)
                        .fetch_optional(&mut *tx)
                        .await?;
                if taken.is_some() {
                    return Ok(false);
                }
            }
            sqlx::query("UPDATE staff SET username = $1, must_choose_username = 0 WHERE username = $2")
                .bind(&new)
                .bind(old)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE sessions SET username = $1 WHERE username = $2")
                .bind(&new)
                .bind(old)
                .execute(&mut *tx)
                .await?;
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        })
        .await?;
    if done {
        Ok(new)
    } else {
        Err(StaffError::Taken(new))
    }
}

/// A signed-in browser, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: String,
    pub username: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub address: String,
}

/// The live sessions: of one account, or of everyone.
pub async fn sessions(db: &Db, of: Option<&str>) -> Result<Vec<SessionInfo>, StaffError> {
    let rows: Vec<(String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT id, username, created_at, expires_at, address FROM sessions \
         WHERE expires_at > $1 AND ($2 = '' OR username = $2) ORDER BY username, created_at DESC",
    )
    .bind(now_ms())
    .bind(of.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, created_at, expires_at, address)| SessionInfo {
            id,
            username,
            created_at,
            expires_at,
            address,
        })
        .collect())
}

/// Ends one session; `of` limits it to that account's own. Whether one ended.
pub async fn end_session(db: &Db, id: &str, of: Option<&str>, by: &Actor) -> Result<bool, StaffError> {
    let event = Event::new(Action::SessionEnded, serde_json::json!({ "sesi": id }));
    let ended = db
        .write(|| async {
            let mut tx = db.pool.begin().await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE id = $1 AND ($2 = '' OR username = $2)")
                .bind(id)
                .bind(of.unwrap_or(""))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if ended == 0 {
                return Ok(false);
            }
            audit::record_in(&mut tx, by, &event).await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        })
        .await?;
    Ok(ended)
}

/// The account a live session's token hash belongs to; `None` for a token the hub does not
/// know, an expired session, or one made before accounts had names.
pub async fn session_account(db: &Db, token_hash: &str) -> Result<Option<String>, StaffError> {
    let row: Option<(Option<String>, i64)> =
        sqlx::query_as("SELECT username, expires_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(username, expires)| username.filter(|_| expires > now_ms())))
}

/// A new signed-in browser: its token's hash, lasting `lasts_ms`, with the sign-in on
/// record in the same transaction. Expired sessions are cleared on the way.
pub async fn start_session(
    db: &Db,
    token_hash: &str,
    id: &str,
    username: &str,
    lasts_ms: i64,
    by: &Actor,
) -> Result<(), StaffError> {
    let now = now_ms();
    let event = Event::new(Action::SignIn, serde_json::json!({ "akun": username }));
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, expires_at, id, username, created_at, address) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(now + lasts_ms)
        .bind(id)
        .bind(username)
        .bind(now)
        .bind(&by.address)
        .execute(&mut *tx)
        .await?;
        audit::record_in(&mut tx, by, &event).await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

/// Signs a browser out: its session ends, on record.
pub async fn sign_out(db: &Db, token_hash: &str, by: &Actor) -> Result<(), StaffError> {
    db.write(|| async {
        let mut tx = db.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        audit::record_in(&mut tx, by, &Event::new(Action::SignOut, serde_json::json!({}))).await?;
        tx.commit().await
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_plain_and_lower_case() {
        assert_eq!(username(" Siti.Aminah ").expect("ok"), "siti.aminah");
        for bad in ["ab", "siti aminah", "siti@dinsos", "<script>", &"a".repeat(33)] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }
}
