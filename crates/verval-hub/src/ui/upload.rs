//! Batch files handed over by hand (a flash disk, a chat app): uploaded here, verified and
//! stored like a sync, each answered with a receipt file to give back to the enumerator.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::page::{attachment, bi, page};
use crate::audit::{self, Action, Actor, Event};
use crate::ingest::{self, IngestError, Ingested, Source};
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use maud::{html, Markup};
use verval_core::aid::meeting_book::MusdesAnswer;
use verval_core::sync::{Outcome, Receipt};

fn form() -> Markup {
    html! {
        form method="post" action=(post_action("/admin/unggah")) enctype="multipart/form-data" {
            label for="berkas" { (bi("Berkas batch (.zip) dari petugas", "batch files from enumerators")) }
            input id="berkas" name="berkas" type="file" accept=".zip,application/zip" multiple required;
            p { button data-testid="upload-batches" { (bi("Unggah", "upload")) } }
        }
    }
}

pub async fn show() -> Response {
    page("Unggah batch", form())
}

/// One file of an upload: its name and what became of it. `since`: when this upload began;
/// a batch received before it is a repeat, whose receipt (the first one, unchanged) must not
/// read as new families.
fn result_row(name: &str, result: &Result<Ingested, IngestError>, since: i64, zone: TimeZone) -> Markup {
    let meetings = match result {
        Ok(Ingested {
            meetings: Some(answer),
            ..
        }) => meetings_row(answer),
        _ => html! {},
    };
    let result = result.as_ref().map(|ingested| &ingested.receipt);
    html! { (receipt_row(name, result, since, zone)) (meetings) }
}

/// What became of the village meetings a batch carried (issue #24): how many were taken,
/// each refusal with its reason, and the decisions waiting for their household.
fn meetings_row(answer: &MusdesAnswer) -> Markup {
    let taken = answer.meetings.iter().filter(|m| m.state.is_some()).count();
    let refused: Vec<&str> = answer
        .meetings
        .iter()
        .filter(|m| m.state.is_none())
        .map(|m| m.problem.as_str())
        .collect();
    let waiting: usize = answer.meetings.iter().map(|m| m.waiting.len()).sum();
    html! {
        tr data-testid="upload-musdes" data-taken=(taken) data-refused=(refused.len()) {
            td {}
            td class=(if refused.is_empty() { "ok" } else { "bad" }) colspan="2" {
                (bi(
                    &format!("Musyawarah desa: {taken} diterima, {} ditolak", refused.len()),
                    "village meetings taken, refused",
                ))
                @for problem in &refused { br; (problem) }
                @if waiting > 0 {
                    br;
                    (bi(
                        &format!("{waiting} keputusan menunggu data keluarganya sampai di hub"),
                        "decisions wait for their household to reach the hub",
                    ))
                }
                " "
                a href=(super::musdes::PAGE) { (bi("lihat Musdes", "see the meetings")) }
            }
        }
    }
}

fn receipt_row(name: &str, result: Result<&Receipt, &IngestError>, since: i64, zone: TimeZone) -> Markup {
    match result {
        Ok(receipt) if receipt.received_at < since => html! {
            tr data-testid="upload-repeat" {
                td { (name) }
                td class="ok" {
                    (bi(
                        &format!(
                            "Batch ini sudah diterima {} {}: {} keluarga, tidak ada yang berubah.",
                            zone.format(receipt.received_at),
                            zone.code(),
                            receipt.records.len()
                        ),
                        "already received; nothing changed",
                    ))
                }
                td {
                    a href={ "/admin/tanda-terima/" (receipt.batch_id) } data-testid="receipt-link" {
                        (receipt.file_name())
                    }
                }
            }
        },
        Ok(receipt) => {
            let count = |o: Outcome| receipt.records.iter().filter(|r| r.outcome == o).count();
            html! {
                tr data-testid="upload-ok" {
                    td { (name) }
                    td class="ok" {
                        "Diterima: " (receipt.records.len()) " keluarga ("
                        (count(Outcome::Stored)) " baru, "
                        (count(Outcome::AlreadyStored)) " sudah ada, "
                        (count(Outcome::Older)) " versi lama, "
                        (count(Outcome::Conflict)) " konflik"
                        @if count(Outcome::Sealed) > 0 {
                            ", " (count(Outcome::Sealed)) " tersegel: "
                            a href=(super::sealed::PAGE) { "lihat Segel" }
                        }
                        ")"
                    }
                    td {
                        a href={ "/admin/tanda-terima/" (receipt.batch_id) } data-testid="receipt-link" {
                            (receipt.file_name())
                        }
                    }
                }
            }
        }
        Err(e) => html! {
            tr data-testid="upload-refused" {
                td { (name) }
                td class="bad" { "Ditolak: " (e) }
                td {}
            }
        },
    }
}

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> PageResult {
    let limits = ingest::limits(hub.config.max_upload_bytes);
    let since = crate::db::now_ms();
    let mut results = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        PageError::new(
            e.status(),
            format!("Unggahan terputus atau terlalu besar (upload cut off or too large): {e}"),
        )
    })? {
        let name = field.file_name().unwrap_or("(tanpa nama)").to_owned();
        let bytes = field.bytes().await.map_err(|e| {
            PageError::new(
                e.status(),
                format!("Berkas {name} tidak terbaca (file unreadable): {e}"),
            )
        })?;
        if bytes.is_empty() && name.is_empty() {
            continue;
        }
        let keys = hub.keyring.identities();
        let result = ingest::ingest(
            &hub.db,
            &hub.config.name,
            &bytes,
            &limits,
            &Source::File,
            &by,
            &keys,
        )
        .await;
        results.push((name, result));
    }
    if results.is_empty() {
        return Err(PageError::bad_request(
            "Tidak ada berkas yang dipilih (no file chosen).",
        ));
    }
    let body = html! {
        table {
            tr { th { "Berkas" } th { "Hasil" } th { (bi("Tanda terima", "receipt")) } }
            @for (name, result) in &results { (result_row(name, result, since, hub.config.time_zone)) }
        }
        p {
            (bi(
                "Berikan berkas tanda terima kepada petugas; aplikasinya menandai keluarga sebagai diterima kabupaten.",
                "give the receipt file to the enumerator; the app marks the families received",
            ))
        }
        (form())
    };
    Ok(page("Hasil unggah", body))
}

pub async fn receipt_file(State(hub): State<Hub>, by: Actor, Path(batch_id): Path<String>) -> PageResult {
    let stored = ingest::stored_receipt(&hub.db, &batch_id)
        .await
        .map_err(|e| match e {
            IngestError::Db(e) => e.into(),
            other => PageError::internal(other.to_string()),
        })?
        .ok_or_else(|| PageError::not_found("Batch tidak dikenal (unknown batch)."))?;
    // On record before the file leaves.
    let event = Event::new(
        Action::ReceiptDownload,
        serde_json::json!({ "batch_id": stored.receipt.batch_id }),
    );
    audit::record(&hub.db, &by, &event).await?;
    Ok(attachment(
        "application/json",
        &stored.receipt.file_name(),
        stored.text.into_bytes(),
    ))
}
