//! A household's SIKS-NG entry help on its page (issue #24): the values SIKS-NG's usulan
//! screens ask, in their order, each with a copy button, and every field SIKS-NG needs that
//! the family still lacks (`verval_core::aid::siks_ng`). NIK and KK are shown, and copied, only
//! to accounts that may see them.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::bi;
use super::records::{load, shown_answer};
use super::session::Session;
use crate::audit::Actor;
use crate::siks_ng::{self as siks, SiksEntry, SiksError, Stored, STATUSES};
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::aid::siks_ng::{entries, Entry, Screen};
use verval_core::date::Date;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::HouseholdRecord;

/// The copy buttons' script.
pub const SCRIPT: &str = "/admin/salin.js";

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("copy.js"),
    )
}

fn is_identity(field: &str) -> bool {
    DEFAULT_FORM.identity_fields().any(|f| f == field)
}

fn where_label(entry: &Entry) -> String {
    let label = entry.label();
    match &entry.member {
        Some(member) => format!("Anggota {member}: {}", label.id),
        None => label.id.to_owned(),
    }
}

/// What the section shows beside the record: its standing in SIKS-NG, and whether the reader
/// may record it.
pub(super) struct Standing<'a> {
    pub id: &'a str,
    pub stored: Option<Stored>,
    pub may_record: bool,
    pub time_zone: TimeZone,
}

fn status_label(code: &str) -> Markup {
    match STATUSES.iter().find(|(c, _, _)| *c == code) {
        Some((_, id, en)) => bi(id, en),
        None => html! { (code) },
    }
}

fn standing_line(standing: &Standing<'_>) -> Markup {
    html! {
        @match &standing.stored {
            None => p data-testid="siks-status" data-status="belum" { "Status SIKS-NG: " (bi("belum diinput", "not entered")) },
            Some(stored) => {
                @let e = &stored.entry;
                p data-testid="siks-status" data-status=(e.status) {
                    "Status SIKS-NG: " strong { (status_label(&e.status)) }
                    " · diinput " (e.entered_on) " oleh " (e.operator) ", ID usulan " code { (e.usulan_id) }
                    " (revisi " (e.revision) ")"
                    @if let Some(desil) = e.desil { " · desil baru " strong { (desil) } }
                    @if !e.reason.is_empty() { " · alasan: " (e.reason) }
                    br; span.muted { "dicatat " (standing.time_zone.format(stored.updated_at)) " oleh " (stored.updated_by) }
                }
            }
        }
    }
}

fn status_form(standing: &Standing<'_>, ready: bool, today: Date) -> Markup {
    let e = standing
        .stored
        .as_ref()
        .map(|s| s.entry.clone())
        .unwrap_or_default();
    let action = post_action(&format!("/admin/keluarga/{}/siks-ng", standing.id));
    html! {
        form method="post" action=(action) data-testid="siks-form" {
            label for="siks_status" { (bi("Status", "status")) }
            select #siks_status name="status" {
                @for (code, id, en) in STATUSES {
                    option value=(code) selected[e.status == code] { (id) " (" (en) ")" }
                }
            }
            label for="tanggal_input" { (bi("Tanggal diinput (YYYY-MM-DD)", "day entered")) }
            input #tanggal_input name="tanggal_input" type="date" max=(today.to_string())
                value=(if e.entered_on.is_empty() { today.to_string() } else { e.entered_on.clone() });
            label for="operator" { (bi("Operator SIKS-NG", "SIKS-NG operator")) }
            input #operator name="operator" value=(e.operator);
            label for="usulan_id" { (bi("ID usulan di SIKS-NG", "SIKS-NG proposal id")) }
            input #usulan_id name="usulan_id" value=(e.usulan_id);
            label for="desil" { (bi("Desil baru (bila diterima)", "new desil, when accepted")) }
            input #desil name="desil" inputmode="numeric" value=[e.desil];
            label for="alasan" { (bi("Alasan (bila ditolak)", "reason, when refused")) }
            input #alasan name="alasan" value=(e.reason);
            button data-testid="siks-save" disabled[!ready && standing.stored.is_none()] { (bi("Simpan status", "save")) }
            @if !ready { p.muted { (bi("Isian kosong harus dilengkapi dulu sebelum dicatat sudah diinput.", "fill the missing fields before recording the entry")) } }
        }
    }
}

pub(super) fn section(
    record: &HouseholdRecord,
    see_identity: bool,
    today: Date,
    standing: &Standing<'_>,
) -> Markup {
    let all = entries(record, today);
    let missing: Vec<&Entry> = all.iter().filter(|e| e.is_missing()).collect();
    html! {
        h2 #siks-ng { (bi("Input SIKS-NG", "SIKS-NG entry")) }
        (standing_line(standing))
        @if standing.may_record { (status_form(standing, missing.is_empty(), today)) }
        @if missing.is_empty() {
            p data-testid="siks-ready" {
                (bi("Lengkap: semua isian yang diminta SIKS-NG terisi, siap diinput.", "complete: every field SIKS-NG asks is filled"))
            }
        } @else {
            div.flag data-testid="siks-missing" data-count=(missing.len()) {
                p {
                    (bi(
                        &format!("Belum siap diinput: {} isian yang diminta SIKS-NG masih kosong. Satu isian kosong membuat usulan tidak sah; lengkapi dulu lewat petugas.", missing.len()),
                        "not ready: fields SIKS-NG asks are empty, and one empty field invalidates the proposal",
                    ))
                }
                ul {
                    @for e in &missing {
                        li data-siks-field=(e.field.as_str()) data-member=[e.member.as_deref()] {
                            (e.screen.label().id) " · " (where_label(e))
                        }
                    }
                }
            }
        }
        p.muted { (bi("Urutan mengikuti layar usulan SIKS-NG; tombol Salin menyalin isinya.", "in the order of SIKS-NG's screens; Salin copies a value")) }
        @for screen in Screen::ALL {
            @let rows: Vec<&Entry> = all.iter().filter(|e| e.screen == screen).collect();
            @if !rows.is_empty() {
                h3 { (bi(screen.label().id, screen.label().en)) }
                table data-testid="siks-screen" data-screen=(screen.label().id) {
                    tr { th { "Isian" } th { "Kolom" } th { "Isi" } th {} }
                    @for e in rows {
                        @let shown = shown_answer(see_identity, e.field.as_str(), &e.value);
                        tr data-siks-field=(e.field.as_str()) {
                            td { (where_label(e)) }
                            td { code { (e.field.as_str()) } }
                            @if e.is_missing() {
                                td.bad { (bi("kosong", "missing")) } td {}
                            } @else {
                                td { (shown) }
                                td {
                                    @if see_identity || !is_identity(e.field.as_str()) {
                                        button type="button" data-copy=(shown) data-testid="copy" { "Salin" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        script src=(SCRIPT) {}
    }
}

#[derive(Deserialize)]
pub struct Posted {
    status: String,
    tanggal_input: String,
    operator: String,
    usulan_id: String,
    #[serde(default)]
    desil: String,
    #[serde(default)]
    alasan: String,
}

/// Records a household's standing in SIKS-NG, checked as typed: entered (the current
/// version, refused while anything SIKS-NG asks is missing from it), then its result (kept
/// with the revision entered).
pub async fn record(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(posted): Form<Posted>,
) -> PageResult {
    let loaded = load(&hub, &id, &session.account.scope).await?;
    let today = hub.config.time_zone.today();
    let desil = match posted.desil.trim() {
        "" => None,
        typed => Some(typed.parse::<i64>().map_err(|_| {
            PageError::bad_request("Desil harus angka 1–10 (the desil must be a number 1–10).")
        })?),
    };
    let failed = |e: SiksError| match e {
        SiksError::Db(e) => PageError::from(e),
        other => PageError::bad_request(other.to_string()),
    };
    let status = posted.status.trim().to_owned();
    // Entering keys the current version, which must be complete; a result is SIKS-NG's
    // answer about the revision entered, whatever came to the hub since.
    let revision = match status.as_str() {
        "diinput" => {
            siks::ready(&loaded.record, today).map_err(failed)?;
            loaded.current.revision
        }
        _ => match siks::of(&hub.db, &id).await? {
            Some(stored) => stored.entry.revision,
            None => {
                return Err(PageError::bad_request(
                    "Catat dulu bahwa keluarga ini sudah diinput ke SIKS-NG (record the entry before its result).",
                ))
            }
        },
    };
    let entry = SiksEntry {
        status,
        entered_on: posted.tanggal_input,
        operator: posted.operator,
        usulan_id: posted.usulan_id,
        desil,
        reason: posted.alasan,
        revision,
    };
    siks::check(&entry, today).map_err(failed)?;
    siks::set(&hub.db, &id, &entry, &by).await.map_err(failed)?;
    Ok(Redirect::to(&format!("/admin/keluarga/{id}#siks-ng")).into_response())
}
