//! Review files: the district's decisions for a phone that does not sync, handed over like
//! the assignment file (a cable, a memory card, a message) and imported by the app, which
//! refuses a file made for another phone.

use super::error::{PageError, PageResult};
use super::page::{attachment, bi, page};
use super::session::Session;
use crate::audit::{self, Action, Actor, Event};
use crate::households::{self, Reach};
use crate::Hub;
use axum::extract::{Path, State};
use maud::html;
use verval_core::review::feed::ReviewFeed;

pub const PAGE: &str = "/admin/tinjauan-hp";

pub async fn list(State(hub): State<Hub>, session: Session) -> PageResult {
    let phones = households::phones(&hub.db, &session.account.scope).await?;
    let body = html! {
        p {
            (bi(
                "Berkas tinjauan berisi keputusan dan catatan peninjau untuk keluarga yang dikirim dari satu HP. Berikan kepada petugas yang tidak sinkron; aplikasi mengimpornya di halaman Ekspor dan menolak berkas untuk HP lain.",
                "a review file holds the reviewers' decisions and notes on the households one phone sent; give it to an enumerator who does not sync",
            ))
        }
        table data-testid="phones" {
            tr {
                th { (bi("Petugas", "enumerator")) } th { (bi("ID HP", "device id")) }
                th { (bi("Keluarga", "households")) } th { (bi("Perlu perbaikan", "sent back")) } th {}
            }
            @for phone in &phones {
                tr {
                    td { (phone.enumerator) }
                    td { code { (phone.device_id) } }
                    td { (phone.households) }
                    td { (phone.sent_back) }
                    td {
                        a href={ (PAGE) "/" (phone.device_id) } data-testid="review-file" {
                            (bi("Unduh berkas tinjauan", "download review file"))
                        }
                    }
                }
            }
        }
    };
    Ok(page("Tinjauan untuk HP", body))
}

/// Every decision on the phone's households within the reader's region (cursor 0: a file
/// is imported whole; the phone keeps only what is newer than what it has).
pub async fn download(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(device_id): Path<String>,
) -> PageResult {
    let scope = &session.account.scope;
    let phone = households::phones(&hub.db, scope)
        .await?
        .into_iter()
        .find(|p| p.device_id == device_id)
        .ok_or_else(|| PageError::not_found("HP tidak dikenal (unknown phone)."))?;
    let (cursor, reviews) =
        households::reviews_for_device(&hub.db, &device_id, Reach::Scope(scope), 0).await?;
    let households: Vec<String> = reviews.iter().map(|r| r.record_id.clone()).collect();
    let event = Event {
        action: Action::ReviewDownload,
        detail: serde_json::json!({
            "lewat": "berkas",
            "perangkat": device_id,
            "sampai": cursor,
            "keputusan": reviews.len(),
        }),
        households: &households,
    };
    audit::record(&hub.db, &by, &event).await?;
    let feed = ReviewFeed::new(
        hub.config.name.clone(),
        phone.enumerator,
        vec![device_id],
        u64::try_from(cursor).unwrap_or(0),
        reviews,
        crate::sealing::keys::for_phones(&hub.db).await?,
    );
    let bytes = serde_json::to_vec_pretty(&feed).map_err(|e| {
        PageError::internal(format!(
            "Berkas tinjauan gagal dibuat (review file not made): {e}"
        ))
    })?;
    Ok(attachment("application/json", &feed.file_name(), bytes))
}
