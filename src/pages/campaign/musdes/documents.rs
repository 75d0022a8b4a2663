//! The village meeting's three documents on the phone — the Berita Acara with the by-name
//! list, the SPTJM and the attendance sheet, worded by the core (`aid::musdes_documents`) as
//! the hub's — shown only in print.

use super::{list_rows, Family};
use leptos::prelude::*;
use verval_core::aid::meeting_book::VillageMeeting;
use verval_core::aid::musdes::{Tally, DECISIONS, LIST_COLUMNS};
use verval_core::aid::musdes_documents::{documents, ATTENDANCE_COLUMNS, NAME_LINE};

/// Prints the meeting's documents alone (the page's print style shows them while marked).
pub(super) fn print_documents() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let _ = body.class_list().add_1("printing-musdes");
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
    let _ = body.class_list().remove_1("printing-musdes");
}

/// The three documents, shown only in print.
#[component]
pub(super) fn MeetingDocuments(
    meeting: VillageMeeting,
    families: Vec<Family>,
    village_name: String,
) -> impl IntoView {
    let decided = |f: &Family| meeting.decision(&f.record_id).cloned().unwrap_or_default();
    let tally = Tally::of(families.iter().map(|f| {
        let d = decided(f);
        DECISIONS
            .iter()
            .find(|(c, _)| *c == d.decision)
            .map_or("", |(c, _)| *c)
    }));
    let rows = list_rows(&meeting, &families);
    let sheets = documents(&meeting.meeting, &village_name, &tally);
    view! {
        <div class="musdes-documents" data-testid="musdes-documents">
            {sheets.into_iter().map(|sheet| {
                let rows = rows.clone();
                view! {
                    <section class="sheet" data-testid=sheet.id>
                        <h2>{sheet.title}</h2>
                        {sheet.lead.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                        {sheet.with_list.then(|| view! {
                            <table class="recap-table">
                                <thead><tr>{LIST_COLUMNS.iter().map(|(_, h)| view! { <th>{*h}</th> }).collect_view()}</tr></thead>
                                <tbody>{rows.into_iter().map(|row| view! {
                                    <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                                }).collect_view()}</tbody>
                            </table>
                        })}
                        {(!sheet.points.is_empty()).then(|| view! {
                            <ol>{sheet.points.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ol>
                        })}
                        {sheet.closing.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                        {(!sheet.signatures.is_empty()).then(|| view! {
                            <div class="recap-signatures">
                                {sheet.signatures.into_iter().map(|(role, name)| view! {
                                    <p>{role}<br/><br/><br/>{if name.is_empty() { NAME_LINE.to_owned() } else { name }}</p>
                                }).collect_view()}
                            </div>
                        })}
                        {(!sheet.footnote.is_empty()).then(|| view! { <p class="muted">{sheet.footnote}</p> })}
                        {(sheet.attendance_rows > 0).then(|| view! {
                            <table class="recap-table attendance">
                                <thead><tr>{ATTENDANCE_COLUMNS.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}</tr></thead>
                                <tbody>{(1..=sheet.attendance_rows).map(|n| view! {
                                    <tr><td>{n}</td><td></td><td></td><td></td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
