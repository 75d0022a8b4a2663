//! The audit trail page: every event, filtered by person, action, household and date, and
//! the same selection as a CSV file (whose download is itself an event).

use super::error::{PageError, PageResult};
use super::input::Query;
use super::page::{attachment, bi, page};
use crate::audit::{self, Action, Actor, Event, Filter, Stored};
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::State;
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::export::{csv, ColumnKind, Table};

/// The most events one page lists; the count above them is always complete.
const PAGE_ROWS: i64 = 500;
/// A household list longer than this is shown as its count.
const IDS_SHOWN: i64 = 5;

/// The filter form's fields, as sent.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct Chosen {
    #[serde(default)]
    orang: String,
    #[serde(default)]
    aksi: String,
    #[serde(default)]
    keluarga: String,
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
}

fn some(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl Chosen {
    fn filter(&self, time_zone: TimeZone) -> Result<Filter, String> {
        let date = |text: &str, what: &str| match some(text) {
            None => Ok(None),
            Some(text) => audit::parse_date(&text).map(Some).ok_or_else(|| {
                format!("Tanggal {what} {text:?} bukan tanggal TTTT-BB-HH ({what} date is not YYYY-MM-DD).")
            }),
        };
        let action = match some(&self.aksi) {
            None => None,
            Some(code) => Some(
                Action::parse(&code)
                    .ok_or_else(|| format!("Aksi {code:?} tidak dikenal (unknown action)."))?,
            ),
        };
        Ok(Filter {
            actor: some(&self.orang),
            action,
            household: some(&self.keluarga),
            from: date(&self.dari, "dari")?,
            to: date(&self.sampai, "sampai")?,
            time_zone,
        })
    }
}

fn action_label(code: &str) -> Markup {
    match Action::parse(code) {
        Some(action) => bi(action.label().0, action.label().1),
        None => html! { (code) },
    }
}

/// An event's detail as `key: value` lines.
fn detail_text(detail: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(detail) {
        Ok(fields) => fields
            .iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => detail.to_owned(),
    }
}

fn form(chosen: &Chosen, zone: TimeZone) -> Markup {
    let query = serde_urlencoded::to_string(chosen).unwrap_or_default();
    html! {
        form method="get" action="/admin/audit" {
            label for="orang" { (bi("Orang (akun)", "person, account")) }
            input id="orang" name="orang" value=(chosen.orang);
            label for="aksi" { (bi("Aksi", "action")) }
            select id="aksi" name="aksi" {
                option value="" { "(semua)" }
                @for action in Action::ALL {
                    option value=(action.code()) selected[action.code() == chosen.aksi] {
                        (action.label().0)
                    }
                }
            }
            label for="keluarga" { (bi("Keluarga (ID rekaman)", "household, record id")) }
            input id="keluarga" name="keluarga" value=(chosen.keluarga);
            label for="dari" { (bi(&format!("Dari tanggal ({})", zone.code()), "from")) }
            input id="dari" name="dari" type="date" value=(chosen.dari);
            label for="sampai" { (bi(&format!("Sampai tanggal ({})", zone.code()), "to")) }
            input id="sampai" name="sampai" type="date" value=(chosen.sampai);
            p {
                button data-testid="audit-filter" { (bi("Saring", "filter")) }
                " "
                a href={ "/admin/audit/unduh?" (query) } data-testid="audit-download" {
                    (bi("Unduh CSV", "download CSV"))
                }
            }
        }
    }
}

/// The households an event touched: each linked when few, their count when many.
fn households_cell(event: &Stored, ids: &[String]) -> Markup {
    html! {
        @if event.households > 0 && event.households <= IDS_SHOWN {
            @for (i, id) in ids.iter().enumerate() {
                @if i > 0 { br; }
                a href={ "/admin/keluarga/" (id) } { (id) }
            }
        } @else if event.households > 0 {
            (event.households) " keluarga"
        }
    }
}

/// Rows of events as an HTML table: the audit page's and each household page's.
pub fn events_table(
    events: &[Stored],
    households: &std::collections::HashMap<i64, Vec<String>>,
    zone: TimeZone,
) -> Markup {
    html! {
        table data-testid="audit-events" {
            tr {
                th { "No." }
                th { (bi(&format!("Waktu ({})", zone.code()), "time")) }
                th { (bi("Orang", "person")) }
                th { (bi("Alamat", "address")) }
                th { (bi("Aksi", "action")) }
                th { (bi("Keluarga", "households")) }
                th { (bi("Rincian", "detail")) }
            }
            @for event in events {
                tr data-action=(event.action) {
                    td { (event.seq) }
                    td { (zone.format(event.at)) }
                    td { (event.actor) }
                    td { (event.address) }
                    td { (action_label(&event.action)) }
                    td {
                        (households_cell(
                            event,
                            households.get(&event.seq).map(Vec::as_slice).unwrap_or_default(),
                        ))
                    }
                    td { (detail_text(&event.detail)) }
                }
            }
        }
    }
}

pub async fn show(State(hub): State<Hub>, Query(chosen): Query<Chosen>) -> PageResult {
    let zone = hub.config.time_zone;
    let filter = chosen.filter(zone).map_err(PageError::bad_request)?;
    let (total, events) = audit::find(&hub.db, &filter, Some(PAGE_ROWS)).await?;
    let households = audit::households_of(&hub.db, &filter).await?;
    let body = html! {
        (form(&chosen, zone))
        p data-testid="audit-matching" {
            (total) " kejadian"
            @if total > PAGE_ROWS {
                " (ditampilkan " (PAGE_ROWS) " terbaru; saring atau unduh CSV untuk semuanya)"
            }
        }
        (events_table(&events, &households, zone))
    };
    Ok(page("Jejak audit", body))
}

/// The CSV's columns, in order.
const CSV_COLUMNS: [(&str, &str, ColumnKind); 10] = [
    ("no", "No.", ColumnKind::Whole),
    ("waktu_utc", "Waktu (UTC)", ColumnKind::Text),
    ("waktu_lokal", "Waktu lokal", ColumnKind::Text),
    ("zona_waktu", "Zona waktu", ColumnKind::Text),
    ("orang", "Orang", ColumnKind::Text),
    ("alamat", "Alamat", ColumnKind::Text),
    ("aksi", "Aksi", ColumnKind::Text),
    ("jumlah_keluarga", "Jumlah keluarga", ColumnKind::Whole),
    ("keluarga", "ID keluarga", ColumnKind::Text),
    ("rincian", "Rincian (JSON)", ColumnKind::Text),
];

pub async fn download(State(hub): State<Hub>, by: Actor, Query(chosen): Query<Chosen>) -> PageResult {
    let zone = hub.config.time_zone;
    let filter = chosen.filter(zone).map_err(PageError::bad_request)?;
    let (_, events) = audit::find(&hub.db, &filter, None).await?;
    let mut households = audit::households_of(&hub.db, &filter).await?;
    // The download is on record before it leaves, and is not part of itself.
    let event = Event::new(
        Action::AuditDownload,
        serde_json::to_value(&chosen).unwrap_or_default(),
    );
    audit::record(&hub.db, &by, &event).await?;
    let table = Table {
        rows: events
            .into_iter()
            .map(|e| {
                vec![
                    e.seq.to_string(),
                    audit::iso_utc(e.at),
                    zone.format(e.at),
                    zone.code().to_owned(),
                    e.actor,
                    e.address,
                    e.action,
                    e.households.to_string(),
                    households.remove(&e.seq).unwrap_or_default().join(" "),
                    e.detail,
                ]
            })
            .collect(),
        ..Table::new("jejak_audit", &CSV_COLUMNS)
    };
    Ok(attachment(
        "text/csv; charset=utf-8",
        "jejak-audit.csv",
        csv::write_for_people(&table).into_bytes(),
    ))
}
