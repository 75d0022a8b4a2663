//! Sealed batches on the district pages (issue #22, `/admin/segel`): whether the district's
//! key is unlocked, the form to unlock it (admins), the batches waiting for it with their
//! households — id, village and status only, all that is known before opening — the batches
//! quarantined with their reason, and the public keys phones seal to, with a QR that hands
//! them to a phone without a hub.

use super::app_link::{app_url, qr_svg, NO_QR};
use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::{bi, page};
use super::session::Session;
use crate::audit::{self, Action, Actor, Event};
use crate::sealing::keyring::UnlockError;
use crate::sealing::{keys, open, store};
use crate::staff::Right;
use crate::Hub;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;
use verval_core::seal::published::link_fragment;

pub const PAGE: &str = "/admin/segel";

/// Said on a page whose action needs the district's key while it is locked.
pub fn key_locked(test_id: &str) -> maud::Markup {
    html! {
        p class="bad" data-testid=(test_id) {
            (bi("Kunci dinas terkunci: buka dulu di halaman Segel.", "the district key is locked: unlock it on the Segel page first"))
            " " a href=(PAGE) { "Segel" }
        }
    }
}
pub const UNLOCK: &str = "/admin/segel/buka";
pub const LOCK: &str = "/admin/segel/kunci";

pub async fn show(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
) -> PageResult {
    let account = &session.account;
    // The keys phones get, as a QR for a phone without a hub: its camera opens the app with
    // the keys in the address (never sent to a server), and the app offers them.
    let published = keys::for_phones(&hub.db).await?;
    let key_link = (!published.is_empty()).then(|| {
        let path = format!("/ekspor.html#{}", link_fragment(&published));
        app_url(hub.config.public_url.as_ref(), peer, &headers, &path)
    });
    let (batches, households) = store::not_opened(&hub.db, &account.scope).await?;
    let district_keys = keys::all(&hub.db).await?;
    let waiting = batches.iter().filter(|b| b.state == store::WAITING).count();
    let quarantined = batches.iter().filter(|b| b.state == store::QUARANTINED).count();
    let active = district_keys.iter().filter(|k| k.retired_at.is_none()).count();
    let zone = hub.config.time_zone;
    let body = html! {
        p {
            (bi(
                "HP menyegel setiap batch untuk kunci publik dinas: siapa pun yang mendapat berkasnya tidak dapat membacanya. Hub menyimpannya tersegel dan membukanya dengan kunci rahasia dinas.",
                "phones seal every batch to the district's public keys; the hub keeps it sealed and opens it with the district's private key",
            ))
        }
        h2 { (bi("Kunci dinas", "district key")) }
        @if hub.keyring.is_unlocked() {
            p data-testid="key-state" data-state="terbuka" {
                (bi("Terbuka: batch tersegel dibuka begitu tiba.", "unlocked: sealed batches are opened as they arrive"))
            }
            @if account.role.may(Right::ManageKeys) {
                form method="post" action=(post_action(LOCK)) {
                    button data-testid="lock-key" { (bi("Kunci kembali", "lock again")) }
                }
            }
        } @else {
            p data-testid="key-state" data-state="terkunci" {
                (bi("Terkunci: batch tersegel menunggu.", "locked: sealed batches wait"))
            }
            @if !hub.keyring.has_key_file() {
                p { (bi("Hub ini dijalankan tanpa berkas kunci (serve --key-file).", "this hub was started without a key file")) }
            } @else if account.role.may(Right::ManageKeys) {
                form method="post" action=(post_action(UNLOCK)) data-testid="unlock-form" {
                    label for="kata_sandi" { (bi("Kata sandi berkas kunci", "key file passphrase")) }
                    input id="kata_sandi" name="kata_sandi" type="password" autocomplete="off" required;
                    button data-testid="unlock-key" { (bi("Buka kunci dan buka batch tersegel", "unlock and open sealed batches")) }
                    p { (bi("Kata sandi tidak disimpan; kunci hanya diingat sampai hub dijalankan ulang.", "the passphrase is not kept; the key is held until the hub restarts")) }
                }
            }
        }
        @if account.role.may(Right::ManageKeys) {
            p {
                a href=(super::pin_reset::PAGE) data-testid="pin-reset-link" {
                    (bi("Petugas lupa PIN HP", "an enumerator forgot the phone's PIN"))
                }
            }
            p {
                a href=(super::phone_backup::PAGE) data-testid="backup-move-link" {
                    (bi("Pindahkan cadangan HP ke HP baru", "move a phone's backup to a new phone"))
                }
            }
        }
        h2 { (bi("Batch tersegel", "sealed batches")) }
        p data-testid="sealed-count" data-waiting=(waiting) data-quarantined=(quarantined) {
            (waiting) " menunggu kunci · " (quarantined) " dikarantina"
        }
        @if !batches.is_empty() {
            table {
                tr { th { "Berkas" } th { "Petugas" } th { "Keluarga" } th { "Diterima" } th { "Keadaan" } }
                @for b in &batches {
                    tr data-testid="sealed-batch" data-batch=(b.batch_id) data-state=(b.state) {
                        td { (b.file_name) }
                        td { (if b.enumerator.is_empty() { "(berkas)" } else { b.enumerator.as_str() }) }
                        td { (b.record_count) }
                        td { (zone.format(b.received_at)) }
                        td {
                            @if b.state == store::QUARANTINED {
                                strong { "Karantina" } ": " (b.reason)
                            } @else {
                                "Tersegel"
                                @if !b.reason.is_empty() { ": " (b.reason) }
                            }
                        }
                    }
                }
            }
        }
        @if !households.is_empty() {
            h3 { (bi("Keluarga yang masih tersegel", "households still sealed")) }
            table {
                tr { th { "Id rekaman" } th { "Revisi" } th { "Desa" } th { "Status" } }
                @for h in &households {
                    tr data-testid="sealed-household" data-record=(h.record_id) {
                        td { code { (h.record_id) } }
                        td { (h.revision) }
                        td { (hub.regions.village_label(&h.kode_desa)) }
                        td { "tersegel (" (h.status) ")" }
                    }
                }
            }
        }
        h2 { (bi("Kunci publik untuk HP", "public keys for phones")) }
        @if active < keys::AT_LEAST {
            p data-testid="keys-missing" {
                (bi(
                    &format!("Baru {active} kunci aktif: HP menerima kunci setelah ada sedikitnya {} (kunci dinas dan kunci cadangan kantor lain). Tambahkan dengan verval-hub key add.", keys::AT_LEAST),
                    "phones get keys once there are at least two active ones",
                ))
            }
        }
        table {
            tr { th { "Nama" } th { "Sidik jari" } th { "Kunci publik" } th { "Keadaan" } }
            @for k in &district_keys {
                tr data-testid="district-key" {
                    td { (k.label) }
                    td { code { (k.fingerprint) } }
                    td { code { (k.recipient) } }
                    td { (if k.retired_at.is_some() { "dipensiunkan" } else { "aktif" }) }
                }
            }
        }
        @match &key_link {
            Some(Ok(link)) => {
                h3 { (bi("QR kunci untuk HP tanpa hub", "key QR for phones without a hub")) }
                p {
                    (bi(
                        "Pindai dengan kamera HP petugas: aplikasi menerima kunci dan menampilkan sidik jarinya untuk dicocokkan dengan tabel di atas.",
                        "scan with the enumerator's phone camera: the app takes the keys and shows their fingerprints to compare with the table above",
                    ))
                }
                div data-testid="keys-qr" { (qr_svg(link)) }
                p { code data-testid="keys-address" { (link) } }
            }
            Some(Err(_)) => { p class="bad" data-testid="no-qr" { (bi(NO_QR.0, NO_QR.1)) } }
            None => {}
        }
    };
    Ok(page("Batch tersegel", body))
}

#[derive(Deserialize)]
pub struct Unlock {
    #[serde(default)]
    kata_sandi: String,
}

/// Unlocks the key with its passphrase, then opens every waiting sealed batch.
pub async fn unlock(State(hub): State<Hub>, by: Actor, Form(input): Form<Unlock>) -> PageResult {
    let count = hub.keyring.unlock(&input.kata_sandi).await.map_err(|e| match e {
        UnlockError::Key(verval_core::seal::SealError::WrongPassphrase) => {
            PageError::bad_request("Kata sandi salah (wrong passphrase).")
        }
        other => PageError::bad_request(other.to_string()),
    })?;
    let event = Event {
        action: Action::KeyUnlocked,
        detail: serde_json::json!({ "kunci": count }),
        households: &[],
    };
    audit::record(&hub.db, &by, &event).await?;
    // Stored batches were within a limit when they came; a file imported by hand may be as
    // large as the import allows.
    let limits = verval_core::export::Limits::default();
    open::open_waiting(&hub.db, &hub.config.name, &hub.keyring.identities(), &limits, &by)
        .await
        .map_err(|e| PageError::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    Ok(Redirect::to(PAGE).into_response())
}

/// Forgets the key.
pub async fn lock(State(hub): State<Hub>, by: Actor) -> PageResult {
    hub.keyring.lock();
    let event = Event {
        action: Action::KeyLocked,
        detail: serde_json::json!({}),
        households: &[],
    };
    audit::record(&hub.db, &by, &event).await?;
    Ok(Redirect::to(PAGE).into_response())
}
