//! A phone's backup moved to a new phone on the district pages (issue #23,
//! `/admin/segel/cadangan-hp`): staff upload the old phone's backup file with the new
//! phone's restore key (sent in writing) and the code under it (read out by the enumerator
//! over the telephone), and download the same backup sealed to that phone alone. The code
//! is what makes a key forwarded by someone else useless: it must match the key typed.
//! Nothing of the backup is kept on the hub; the move is audited (`sealing::phone_backup`).

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::page::{attachment, bi, page};
use crate::audit::Actor;
use crate::sealing::phone_backup::{audit_move, check_code, new_phone_key, reseal_for, MoveError};
use crate::Hub;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use maud::html;
use verval_core::seal::Recipient;
use verval_core::vault::backup::BackupError;

pub const PAGE: &str = "/admin/segel/cadangan-hp";
/// The form's fields (also the names tests and the docs use).
const FILE_FIELD: &str = "cadangan";
const KEY_FIELD: &str = "kunci_hp";
const CODE_FIELD: &str = "kode";

pub async fn show(State(hub): State<Hub>) -> PageResult {
    let unlocked = hub.keyring.is_unlocked();
    let body = html! {
        p {
            (bi(
                "Untuk HP baru atau petugas pengganti: petugas menekan \"Siapkan kunci pemulihan\" di HP baru (halaman Kirim dan ekspor) dan mengirim kunci age1… itu bersama berkas cadangan HP lama. Telepon petugas itu sendiri di nomor yang dikenal kantor dan minta ia membacakan kode di bawah kuncinya. Hub membuka cadangan di memori saja, menyegelnya ulang untuk HP baru itu saja, dan tidak menyimpannya.",
                "for a new phone or a replacement enumerator: the new phone's restore key and the old phone's backup arrive in writing; telephone the enumerator on a number the office knows and have them read out the code under the key; the hub opens the backup in memory only, seals it again to that phone alone and keeps nothing",
            ))
        }
        @if !unlocked {
            (super::sealed::key_locked("backup-move-locked"))
        }
        // The key and its code come before the file: the hub checks them before it reads a
        // file that may be hundreds of megabytes.
        form method="post" action=(post_action(PAGE)) enctype="multipart/form-data" data-testid="backup-move" {
            label for=(KEY_FIELD) { (bi("Kunci pemulihan HP baru (age1…)", "the new phone's restore key")) }
            textarea id=(KEY_FIELD) name=(KEY_FIELD) rows="2" autocomplete="off" required {}
            label for=(CODE_FIELD) { (bi("Kode di bawah kunci itu, dibacakan petugas lewat telepon", "the code under that key, read out by the enumerator over the telephone")) }
            input id=(CODE_FIELD) name=(CODE_FIELD) autocomplete="off" required;
            label for=(FILE_FIELD) { (bi("Berkas cadangan HP lama (verval-cadangan-….age)", "the old phone's backup file")) }
            input id=(FILE_FIELD) name=(FILE_FIELD) type="file" accept=".age" required;
            button data-testid="move-backup" disabled[!unlocked] {
                (bi("Segel ulang untuk HP baru dan unduh", "seal again for the new phone and download"))
            }
        }
    };
    Ok(page("Cadangan HP ke HP baru", body))
}

/// What the form sent.
#[derive(Default)]
struct Sent {
    file_name: String,
    file: Bytes,
    key: String,
    code: String,
}

/// The new phone's key, checked against the code read out.
fn checked_key(sent: &Sent) -> Result<Recipient, PageError> {
    let to = new_phone_key(&sent.key).map_err(page_error)?;
    check_code(&to, &sent.code).map_err(page_error)?;
    Ok(to)
}

/// Reads the form; with the district key locked, or the key and code (sent first by the
/// page) wrong, the file is refused before it is read.
async fn read_form(multipart: &mut Multipart, unlocked: bool) -> Result<(Sent, Recipient), PageError> {
    let cut = |e: axum::extract::multipart::MultipartError| {
        PageError::new(e.status(), format!("Unggahan terputus (upload cut off): {e}"))
    };
    let mut sent = Sent::default();
    while let Some(field) = multipart.next_field().await.map_err(cut)? {
        match field.name() {
            Some(FILE_FIELD) => {
                if !unlocked {
                    return Err(page_error(MoveError::Locked));
                }
                if !sent.key.is_empty() {
                    checked_key(&sent)?;
                }
                sent.file_name = field.file_name().unwrap_or_default().to_owned();
                sent.file = field.bytes().await.map_err(cut)?;
            }
            Some(KEY_FIELD) => sent.key = field.text().await.map_err(cut)?,
            Some(CODE_FIELD) => sent.code = field.text().await.map_err(cut)?,
            _ => {}
        }
    }
    let to = checked_key(&sent)?;
    if sent.file.is_empty() {
        return Err(PageError::bad_request(
            "Tidak ada berkas cadangan yang dipilih (no backup file chosen).",
        ));
    }
    Ok((sent, to))
}

/// The answer's name: the backup's own (letters, digits, dot, dash and underscore only)
/// after "untuk-hp-baru-", so staff see which backup it is.
fn answer_name(uploaded: &str) -> String {
    let own: String = uploaded
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(80)
        .collect();
    let own = if own.ends_with(".age") {
        own
    } else {
        "verval-cadangan.age".to_owned()
    };
    format!("untuk-hp-baru-{own}")
}

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> PageResult {
    let (sent, to) = read_form(&mut multipart, hub.keyring.is_unlocked()).await?;
    let district = hub.keyring.identities();
    let file = sent.file;
    let (answer, summary) = crate::heavy::run(move || reseal_for(&file, &district, &to))
        .await
        .map_err(|crate::heavy::Busy| {
            PageError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Server sedang sibuk membaca berkas lain; coba lagi sebentar lagi (busy reading another file).",
            )
        })?
        .map_err(page_error)?;
    // Audited before it leaves: a move that could not be recorded is not handed out.
    audit_move(&hub.db, &by, &summary, &to)
        .await
        .map_err(page_error)?;
    Ok(attachment(
        "application/octet-stream",
        &answer_name(&sent.file_name),
        answer,
    ))
}

fn page_error(e: MoveError) -> PageError {
    match e {
        MoveError::Db(e) => PageError::from(e),
        MoveError::Random(_) => PageError::internal(e.to_string()),
        MoveError::Locked => PageError::new(StatusCode::CONFLICT, e.to_string()),
        MoveError::Backup(BackupError::TooLarge(_)) => {
            PageError::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())
        }
        MoveError::Backup(_) => PageError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        MoveError::NotAKey(_) | MoveError::WrongCode => PageError::bad_request(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::answer_name;

    #[test]
    fn the_answer_is_named_after_the_backup_and_nothing_else_gets_into_the_name() {
        assert_eq!(
            answer_name("verval-cadangan-0c0c0c0c-20261206-1100.age"),
            "untuk-hp-baru-verval-cadangan-0c0c0c0c-20261206-1100.age"
        );
        assert_eq!(answer_name("../../etc/\"x\".age"), "untuk-hp-baru-....etcx.age");
        assert_eq!(answer_name("foto.jpg"), "untuk-hp-baru-verval-cadangan.age");
        assert_eq!(answer_name(""), "untuk-hp-baru-verval-cadangan.age");
    }
}
