//! The district's review of one household (issue #20), on its page: where it stands, what
//! changed since the reviewed revision, the decision form with notes on single fields and
//! member rows, and every decision so far; and the form's handler.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::bi;
use super::records::{load, shown_answer};
use super::session::Session;
use crate::audit::Actor;
use crate::households::{self, DecideError, Decided};
use crate::staff::{Account, Right};
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use std::collections::HashMap;
use verval_core::form::default::DEFAULT_FORM;
use verval_core::review::{diff, Decision, FieldNote, ReviewState, RowRef};
use verval_core::HouseholdRecord;

/// A review state by its stored code, in both languages.
pub(super) fn label(code: &str) -> Markup {
    match ReviewState::parse(code) {
        Some(state) => bi(state.label().id, state.label().en),
        None => html! { (code) },
    }
}

/// Where the household stands, the changes since its reviewed revision, the form (for those
/// who review) and the history.
pub(super) fn section(
    id: &str,
    current: &households::Current,
    versions: &[households::Version],
    record: &HouseholdRecord,
    reviews: &[households::StoredReview],
    account: &Account,
    time_zone: TimeZone,
) -> Markup {
    let see_identity = account.role.may(Right::SeeIdentity);
    html! {
        p data-testid="review-shown" {
            (bi("Tinjauan", "review")) ": " (label(&current.review))
            @if current.reviewed_revision > 0 {
                " · " (bi(&format!("diputuskan pada revisi {}", current.reviewed_revision), "decided on revision"))
            }
        }
        (changes_since_review(versions, current, record, see_identity))
        @if account.role.may(Right::Review) {
            (review_form(id, current, record))
        }
        (review_history(reviews, time_zone))
    }
}

/// How many notes on single fields one decision can carry from the page.
const FIELD_NOTE_SLOTS: usize = 3;

/// The rows a note can point at: every row of every repeat in the household, in order.
fn row_choices(record: &HouseholdRecord) -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), "Keluarga (household)".to_owned())];
    for (repeat, rows) in record.repeats.iter() {
        for (place, row) in rows.iter().enumerate() {
            let name = row
                .answers
                .iter()
                .find(|(f, _)| *f == "nama")
                .map_or("", |(_, v)| v);
            choices.push((
                format!("{repeat}:{}", row.key),
                format!("{repeat} {} · {name}", place + 1),
            ));
        }
    }
    choices
}

fn review_form(id: &str, current: &households::Current, record: &HouseholdRecord) -> Markup {
    let fields: Vec<(&str, &str)> = DEFAULT_FORM
        .questions()
        .map(|(_, q)| (q.id.as_str(), q.label.id))
        .collect();
    let rows = row_choices(record);
    html! {
        form method="post" action=(post_action(&format!("/admin/keluarga/{id}/tinjauan"))) data-testid="review-form" {
            input type="hidden" name="revision" value=(current.revision);
            label for="review" { (bi("Keputusan", "decision")) }
            select #review name="review" {
                @for decision in Decision::ALL {
                    option value=(decision.code()) selected[current.review == decision.code()] {
                        (decision.label().id)
                    }
                }
            }
            label for="note" { (bi("Catatan untuk petugas", "note for the enumerator")) }
            textarea #note name="note" rows="2" cols="50" {}
            fieldset {
                legend { (bi("Catatan per isian (boleh kosong)", "notes on single fields, optional")) }
                @for slot in 1..=FIELD_NOTE_SLOTS {
                    label for={ "isian_" (slot) } { (bi(&format!("Isian {slot}"), "field")) }
                    select id={ "isian_" (slot) } name={ "isian_" (slot) } {
                        option value="" { "—" }
                        @for (field, label) in &fields {
                            option value=(field) { (field) " · " (label) }
                        }
                    }
                    label for={ "baris_" (slot) } { (bi(&format!("Baris {slot}"), "row")) }
                    select id={ "baris_" (slot) } name={ "baris_" (slot) } {
                        @for (value, label) in &rows {
                            option value=(value) { (label) }
                        }
                    }
                    label for={ "catatan_" (slot) } { (bi(&format!("Catatan isian {slot}"), "note on the field")) }
                    input id={ "catatan_" (slot) } name={ "catatan_" (slot) } size="50";
                }
            }
            label for="ganda" { (bi("Ganda dari keluarga (ID rekaman; hanya jika Ditolak)", "duplicate of household, record id; only when rejected")) }
            input #ganda name="ganda" size="40";
            p { button data-testid="save-review" { (bi("Simpan tinjauan", "save review")) } }
        }
    }
}

/// Every decision on the household, oldest first: the conversation with the enumerator.
fn review_history(reviews: &[households::StoredReview], zone: TimeZone) -> Markup {
    if reviews.is_empty() {
        return html! {};
    }
    html! {
        h2 #tinjauan { (bi("Riwayat tinjauan", "review history")) }
        table data-testid="review-history" {
            tr {
                th { "No." } th { (bi(&format!("Waktu ({})", zone.code()), "time")) }
                th { (bi("Peninjau", "reviewer")) } th { "Revisi" } th { (bi("Keputusan", "decision")) }
                th { (bi("Catatan", "note")) }
            }
            @for r in reviews {
                tr data-decision=(r.decision) {
                    td { (r.seq) }
                    td { (zone.format(r.at)) }
                    td { @if r.reviewer.is_empty() { "(tidak tercatat)" } @else { (r.reviewer) } }
                    td { (r.revision) }
                    td { (label(&r.decision)) }
                    td {
                        (r.note)
                        @if !r.duplicate_of.is_empty() {
                            br; "Ganda dari " a href={ "/admin/keluarga/" (r.duplicate_of) } { (r.duplicate_of) }
                        }
                        @for note in r.field_notes() {
                            br; code { (field_place(&note)) } ": " (note.note)
                        }
                    }
                }
            }
        }
    }
}

/// Where a field note points: `nik` or `nik · anggota 3`.
fn field_place(note: &FieldNote) -> String {
    match &note.row {
        Some(row) => format!("{} · {} {}", note.field, row.repeat, row.position),
        None => note.field.clone(),
    }
}

/// What changed between the revision the last decision was made on and the current one.
fn changes_since_review(
    versions: &[households::Version],
    current: &households::Current,
    record: &HouseholdRecord,
    see_identity: bool,
) -> Markup {
    if current.reviewed_revision == 0 || current.reviewed_revision >= current.revision {
        return html! {};
    }
    let reviewed = versions
        .iter()
        .find(|v| v.revision == current.reviewed_revision)
        .and_then(|v| serde_json::from_str::<HouseholdRecord>(&v.body).ok());
    let Some(reviewed) = reviewed else {
        return html! {};
    };
    let shown = |field: &str, value: &str| shown_answer(see_identity, field, value);
    html! {
        h2 #perubahan {
            (bi(
                &format!("Perubahan sejak revisi {} yang ditinjau", current.reviewed_revision),
                "changes since the reviewed revision",
            ))
        }
        table data-testid="changes" {
            tr { th { "Isian" } th { "Baris" } th { "Sebelum" } th { "Sesudah" } }
            @for change in diff::changes(&reviewed, record) {
                tr data-field=(change.field) {
                    td { code { (change.field) } }
                    td { @if let Some(row) = &change.row { (row.repeat) " " (row.position) } }
                    td { (shown(&change.field, &change.before)) }
                    td { (shown(&change.field, &change.after)) }
                }
            }
        }
    }
}

/// The review form as sent: the decision and note, up to [`FIELD_NOTE_SLOTS`] field notes
/// (`isian_N`, `baris_N`, `catatan_N`), and the duplicate.
fn decided_from(form: &HashMap<String, String>, record: &HouseholdRecord) -> Result<Decided, PageError> {
    let get = |name: &str| form.get(name).map_or("", |v| v.trim());
    let decision = Decision::parse(get("review")).ok_or_else(|| {
        PageError::bad_request(format!(
            "Keputusan {:?} tidak dikenal (unknown decision).",
            get("review")
        ))
    })?;
    let revision: i64 = get("revision").parse().map_err(|_| {
        PageError::bad_request("Revisi yang ditinjau tidak ada (the reviewed revision is missing).")
    })?;
    let mut field_notes = Vec::new();
    for slot in 1..=FIELD_NOTE_SLOTS {
        let (field, row, note) = (
            get(&format!("isian_{slot}")),
            get(&format!("baris_{slot}")),
            get(&format!("catatan_{slot}")),
        );
        if field.is_empty() && note.is_empty() {
            continue;
        }
        if field.is_empty() || note.is_empty() {
            return Err(PageError::bad_request(format!(
                "Catatan isian {slot}: pilih isiannya dan tulis catatannya (choose the field and write the note)."
            )));
        }
        let row = if row.is_empty() {
            None
        } else {
            Some(row_ref(record, row).ok_or_else(|| {
                PageError::bad_request(format!("Baris {row:?} tidak ada di keluarga ini (no such row)."))
            })?)
        };
        field_notes.push(FieldNote {
            field: field.to_owned(),
            row,
            note: note.to_owned(),
        });
    }
    let duplicate_of = Some(get("ganda")).filter(|g| !g.is_empty()).map(str::to_owned);
    Ok(Decided {
        revision,
        decision,
        note: get("note").to_owned(),
        field_notes,
        duplicate_of,
    })
}

/// `anggota:3` as a reference to the row with key 3 of `anggota`, with its place now.
fn row_ref(record: &HouseholdRecord, text: &str) -> Option<RowRef> {
    let (repeat, key) = text.split_once(':')?;
    let key: u32 = key.parse().ok()?;
    let (repeat, rows) = record.repeats.iter().find(|(r, _)| *r == repeat)?;
    let place = rows.iter().position(|r| r.key == key)?;
    Some(RowRef {
        repeat: repeat.to_owned(),
        key,
        position: u32::try_from(place + 1).ok()?,
    })
}

pub async fn decide(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let scope = &session.account.scope;
    let record = load(&hub, &id, scope).await?.record;
    let decided = decided_from(&form, &record)?;
    match households::decide(&hub.db, &id, scope, &decided, &by).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/keluarga/{id}")).into_response()),
        Err(DecideError::NotThere) => Err(PageError::unknown_household()),
        Err(e @ DecideError::Stale { .. }) => Err(PageError::new(StatusCode::CONFLICT, e.to_string())),
        Err(DecideError::Invalid(why)) => Err(PageError::bad_request(why)),
        Err(DecideError::Db(e)) => Err(e.into()),
    }
}
