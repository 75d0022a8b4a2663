//! Forgotten PINs on the district pages (issue #23, `/admin/segel/pin`): the phones that asked
//! for their data key back, and the form that answers one. Staff telephone the enumerator,
//! hear the code the phone shows and type it; the hub, with the district's key unlocked,
//! seals the phone's data key to the phone's one-time key (`sealing::escrow`). A phone with no
//! hub sends its request in writing instead (it carries the phone's escrow); staff paste it,
//! type the code heard over the telephone, and send the answer shown back to be pasted.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::{bi, page};
use crate::audit::Actor;
use crate::sealing::escrow::{self, EscrowError};
use crate::Hub;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use maud::html;
use serde::Deserialize;

pub const PAGE: &str = "/admin/segel/pin";
/// A request sent in writing by a phone with no hub.
pub const WRITTEN: &str = "/admin/segel/pin/tertulis";

pub async fn show(State(hub): State<Hub>) -> PageResult {
    let waiting = escrow::waiting(&hub.db).await.map_err(page_error)?;
    let unlocked = hub.keyring.is_unlocked();
    let zone = hub.config.time_zone;
    let body = html! {
        p {
            (bi(
                "Petugas yang lupa PIN membuka \"Lupa PIN\" di HP-nya: HP menampilkan kode. Telepon petugas itu sendiri, minta ia membacakan kodenya, lalu ketik di sini. Hub menyegel kunci data HP untuk HP itu saja; tidak ada data keluarga yang keluar.",
                "an enumerator who forgot the PIN opens \"Lupa PIN\" on the phone, which shows a code: call the enumerator, have them read it out, type it here",
            ))
        }
        @if !unlocked {
            (super::sealed::key_locked("pin-reset-locked"))
        }
        @if waiting.is_empty() {
            p data-testid="no-pin-resets" { (bi("Tidak ada permintaan.", "no requests")) }
        }
        h2 { (bi("HP tanpa server kabupaten", "a phone with no district server")) }
        form method="post" action=(post_action(WRITTEN)) data-testid="written-pin-reset" {
            p {
                (bi(
                    "HP yang tidak terdaftar di hub menampilkan permintaan tertulis (verval-lupa-pin-1.…) untuk dikirim petugas, mis. lewat WhatsApp. Tempel di sini, telepon petugas itu sendiri dan ketik kode yang ia bacakan.",
                    "a phone not enrolled with the hub shows a written request for the enumerator to send; paste it, telephone the enumerator and type the code they read out",
                ))
            }
            label for="permintaan" { (bi("Permintaan tertulis dari HP", "the phone's written request")) }
            textarea id="permintaan" name="permintaan" rows="4" autocomplete="off" required {}
            label for="kode-tertulis" { (bi("Kode di layar HP, dibacakan petugas", "the code on the phone, read out by the enumerator")) }
            input id="kode-tertulis" name="kode" autocomplete="off" required;
            button data-testid="answer-written-pin-reset" disabled[!unlocked] {
                (bi("Buat jawaban untuk HP ini", "make the answer for this phone"))
            }
        }
        h2 { (bi("HP yang terdaftar", "enrolled phones")) }
        @for w in &waiting {
            form method="post" action=(post_action(PAGE)) data-testid="pin-reset" data-device=(w.device_key) {
                h3 { (w.enumerator) " (" (w.enumerator_id) ")" }
                p { (bi("Diminta", "asked")) ": " (zone.format(w.requested_at)) " · " (bi("perangkat", "device")) " " code { (w.device_key) } }
                input type="hidden" name="perangkat" value=(w.device_key);
                @let id = format!("kode-{}", w.device_key);
                label for=(id) { (bi("Kode di layar HP, dibacakan petugas", "the code on the phone, read out by the enumerator")) }
                input id=(id) name="kode" autocomplete="off" required;
                button data-testid="answer-pin-reset" disabled[!unlocked] {
                    (bi("Kirim kunci ke HP ini", "send the key to this phone"))
                }
            }
        }
    };
    Ok(page("Lupa PIN HP", body))
}

#[derive(Deserialize)]
pub struct Answer {
    #[serde(default)]
    perangkat: String,
    #[serde(default)]
    kode: String,
}

/// Answers one request: the code must be the one the phone shows.
pub async fn answer(State(hub): State<Hub>, by: Actor, Form(input): Form<Answer>) -> PageResult {
    escrow::answer(
        &hub.db,
        &input.perangkat,
        &input.kode,
        &hub.keyring.identities(),
        &by,
    )
    .await
    .map_err(page_error)?;
    Ok(Redirect::to(PAGE).into_response())
}

#[derive(Deserialize)]
pub struct Written {
    #[serde(default)]
    permintaan: String,
    #[serde(default)]
    kode: String,
}

/// Answers a request sent in writing: the answer is shown for staff to send back.
pub async fn answer_written(State(hub): State<Hub>, by: Actor, Form(input): Form<Written>) -> PageResult {
    let answer = escrow::answer_written(
        &hub.db,
        &input.permintaan,
        &input.kode,
        &hub.keyring.identities(),
        &by,
    )
    .await
    .map_err(page_error)?;
    let body = html! {
        script src=(super::siks_ng::SCRIPT) defer {}
        p {
            (bi(
                "Kirim jawaban ini ke petugas (mis. lewat WhatsApp). Di HP, petugas menempelkannya di \"Lupa PIN\" dan membuat PIN baru. Jawaban hanya terbuka di HP yang membuat permintaan.",
                "send this answer to the enumerator, who pastes it under \"Lupa PIN\" and sets a new PIN; it opens only on the phone that asked",
            ))
        }
        label for="jawaban" { (bi("Jawaban untuk HP", "the answer for the phone")) }
        textarea id="jawaban" name="jawaban" rows="6" readonly data-testid="written-answer" { (answer) }
        button type="button" data-copy=(answer) data-testid="copy" { "Salin" }
        p { a href=(PAGE) { (bi("Kembali", "back")) } }
    };
    Ok(page("Jawaban lupa PIN", body).into_response())
}

fn page_error(e: EscrowError) -> PageError {
    match e {
        EscrowError::Db(e) => PageError::from(e),
        EscrowError::Random(_) => PageError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        EscrowError::Locked => PageError::new(StatusCode::CONFLICT, e.to_string()),
        EscrowError::Revoked => PageError::forbidden(e.to_string()),
        other => PageError::bad_request(other.to_string()),
    }
}
