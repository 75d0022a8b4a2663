//! Batch files handed over by hand (a flash disk, a chat app): uploaded here, verified and
//! stored like a sync, each answered with a receipt file to give back to the enumerator.

use super::guard::post_action;
use super::page::{attachment, bi, esc, page, problem};
use crate::audit::{self, Action, Actor, Event};
use crate::ingest::{self, Source};
use crate::Hub;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use verval_core::sync::{parse_receipt, Outcome};

fn form() -> String {
    format!(
        "<form method=\"post\" action=\"{action}\" enctype=\"multipart/form-data\">\
         <label for=\"berkas\">{}</label>\
         <input id=\"berkas\" name=\"berkas\" type=\"file\" accept=\".zip,application/zip\" multiple required>\
         <p><button data-testid=\"upload-batches\">Unggah <span class=\"en\">(upload)</span></button></p></form>",
        bi("Berkas batch (.zip) dari petugas", "batch files from enumerators"),
        action = post_action("/admin/unggah"),
    )
}

pub async fn show() -> Response {
    page("Unggah batch", true, &form()).into_response()
}

pub async fn receive(State(hub): State<Hub>, by: Actor, mut multipart: Multipart) -> Response {
    let limits = ingest::limits(hub.config.max_upload_bytes);
    let mut rows = String::new();
    let mut any = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return problem(
                    e.status(),
                    &format!("Unggahan terputus atau terlalu besar (upload cut off or too large): {e}"),
                )
            }
        };
        let name = field.file_name().unwrap_or("(tanpa nama)").to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                return problem(
                    e.status(),
                    &format!("Berkas {name} tidak terbaca (file unreadable): {e}"),
                )
            }
        };
        if bytes.is_empty() && name.is_empty() {
            continue;
        }
        any = true;
        let result = ingest::ingest(&hub.db, &hub.config.name, &bytes, &limits, &Source::File, &by).await;
        rows.push_str(&match result {
            Ok(receipt) => {
                let count = |o: Outcome| receipt.records.iter().filter(|r| r.outcome == o).count();
                format!(
                    "<tr data-testid=\"upload-ok\"><td>{}</td><td class=\"ok\">Diterima: {} keluarga \
                     ({} baru, {} sudah ada, {} versi lama, {} konflik)</td>\
                     <td><a href=\"/admin/tanda-terima/{}\" data-testid=\"receipt-link\">{}</a></td></tr>",
                    esc(&name),
                    receipt.records.len(),
                    count(Outcome::Stored),
                    count(Outcome::AlreadyStored),
                    count(Outcome::Older),
                    count(Outcome::Conflict),
                    esc(&receipt.batch_id),
                    esc(&receipt.file_name()),
                )
            }
            Err(e) => format!(
                "<tr data-testid=\"upload-refused\"><td>{}</td><td class=\"bad\">Ditolak: {}</td><td></td></tr>",
                esc(&name),
                esc(&e.to_string())
            ),
        });
    }
    if !any {
        return problem(
            StatusCode::BAD_REQUEST,
            "Tidak ada berkas yang dipilih (no file chosen).",
        );
    }
    let body = format!(
        "<table><tr><th>Berkas</th><th>Hasil</th><th>{}</th></tr>{rows}</table>\
         <p>{}</p>{}",
        bi("Tanda terima", "receipt"),
        bi(
            "Berikan berkas tanda terima kepada petugas; aplikasinya menandai keluarga sebagai diterima kabupaten.",
            "give the receipt file to the enumerator; the app marks the families received"
        ),
        form()
    );
    page("Hasil unggah", true, &body).into_response()
}

pub async fn receipt_file(State(hub): State<Hub>, by: Actor, Path(batch_id): Path<String>) -> Response {
    let stored: Result<Option<String>, _> =
        sqlx::query_scalar("SELECT receipt FROM batches WHERE batch_id = $1")
            .bind(&batch_id)
            .fetch_optional(&hub.db.pool)
            .await;
    match stored {
        Ok(Some(text)) => match parse_receipt(text.as_bytes()) {
            Ok(receipt) => {
                let event = Event::new(
                    Action::ReceiptDownload,
                    serde_json::json!({ "batch_id": receipt.batch_id }),
                );
                match audit::record(&hub.db, &by, &event).await {
                    Ok(()) => attachment("application/json", &receipt.file_name(), text.into_bytes()),
                    Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
                }
            }
            Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        },
        Ok(None) => problem(StatusCode::NOT_FOUND, "Batch tidak dikenal (unknown batch)."),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
