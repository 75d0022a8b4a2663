//! The audit trail page: every event, filtered by person, action, household and date, and
//! the same selection as a CSV file (whose download is itself an event).

use super::page::{attachment, bi, esc, page, problem};
use crate::audit::{self, Action, Actor, Event, Filter, Stored};
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use verval_core::export::{csv, Table};

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

fn action_label(code: &str) -> String {
    Action::parse(code).map_or_else(|| esc(code), |a| bi(a.label().0, a.label().1))
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

fn form(chosen: &Chosen, zone: TimeZone) -> String {
    let mut actions = String::from("<option value=\"\">(semua)</option>");
    for action in Action::ALL {
        let selected = if action.code() == chosen.aksi {
            " selected"
        } else {
            ""
        };
        actions.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            action.code(),
            esc(action.label().0)
        ));
    }
    let query = serde_urlencoded::to_string(chosen).unwrap_or_default();
    format!(
        "<form method=\"get\" action=\"/admin/audit\">\
         <label for=\"orang\">{}</label><input id=\"orang\" name=\"orang\" value=\"{}\">\
         <label for=\"aksi\">{}</label><select id=\"aksi\" name=\"aksi\">{actions}</select>\
         <label for=\"keluarga\">{}</label><input id=\"keluarga\" name=\"keluarga\" value=\"{}\">\
         <label for=\"dari\">{}</label><input id=\"dari\" name=\"dari\" type=\"date\" value=\"{}\">\
         <label for=\"sampai\">{}</label><input id=\"sampai\" name=\"sampai\" type=\"date\" value=\"{}\">\
         <p><button data-testid=\"audit-filter\">Saring <span class=\"en\">(filter)</span></button> \
         <a href=\"/admin/audit/unduh?{}\" data-testid=\"audit-download\">{}</a></p></form>",
        bi("Orang (akun)", "person, account"),
        esc(&chosen.orang),
        bi("Aksi", "action"),
        bi("Keluarga (ID rekaman)", "household, record id"),
        esc(&chosen.keluarga),
        bi(&format!("Dari tanggal ({})", zone.code()), "from"),
        esc(&chosen.dari),
        bi(&format!("Sampai tanggal ({})", zone.code()), "to"),
        esc(&chosen.sampai),
        esc(&query),
        bi("Unduh CSV", "download CSV"),
    )
}

/// Rows of events as an HTML table: the audit page's and each household page's.
pub fn events_table(
    events: &[Stored],
    households: &std::collections::HashMap<i64, Vec<String>>,
    zone: TimeZone,
) -> String {
    let mut html = format!(
        "<table data-testid=\"audit-events\"><tr><th>No.</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        bi(&format!("Waktu ({})", zone.code()), "time"),
        bi("Orang", "person"),
        bi("Alamat", "address"),
        bi("Aksi", "action"),
        bi("Keluarga", "households"),
        bi("Rincian", "detail"),
    );
    for event in events {
        let ids = households.get(&event.seq).map(Vec::as_slice).unwrap_or_default();
        let shown = if event.households > 0 && event.households <= IDS_SHOWN {
            ids.iter()
                .map(|id| format!("<a href=\"/admin/keluarga/{0}\">{0}</a>", esc(id)))
                .collect::<Vec<_>>()
                .join("<br>")
        } else if event.households > 0 {
            format!("{} keluarga", event.households)
        } else {
            String::new()
        };
        html.push_str(&format!(
            "<tr data-action=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{shown}</td><td>{}</td></tr>",
            esc(&event.action),
            event.seq,
            zone.format(event.at),
            esc(&event.actor),
            esc(&event.address),
            action_label(&event.action),
            esc(&detail_text(&event.detail)),
        ));
    }
    html.push_str("</table>");
    html
}

pub async fn show(State(hub): State<Hub>, Query(chosen): Query<Chosen>) -> Response {
    let zone = hub.config.time_zone;
    let filter = match chosen.filter(zone) {
        Ok(filter) => filter,
        Err(why) => return problem(StatusCode::BAD_REQUEST, &why),
    };
    let found = async {
        let (total, events) = audit::find(&hub.db, &filter, Some(PAGE_ROWS)).await?;
        let households = audit::households_of(&hub.db, &filter).await?;
        Ok::<_, crate::db::DbError>((total, events, households))
    };
    match found.await {
        Ok((total, events, households)) => {
            let more = if total > PAGE_ROWS {
                format!(" (ditampilkan {PAGE_ROWS} terbaru; saring atau unduh CSV untuk semuanya)")
            } else {
                String::new()
            };
            let body = format!(
                "{}<p data-testid=\"audit-matching\">{total} kejadian{more}</p>{}",
                form(&chosen, zone),
                events_table(&events, &households, zone)
            );
            page("Jejak audit", true, &body).into_response()
        }
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The CSV's columns, in order.
const CSV_COLUMNS: [(&str, &str); 10] = [
    ("no", "No."),
    ("waktu_utc", "Waktu (UTC)"),
    ("waktu_lokal", "Waktu lokal"),
    ("zona_waktu", "Zona waktu"),
    ("orang", "Orang"),
    ("alamat", "Alamat"),
    ("aksi", "Aksi"),
    ("jumlah_keluarga", "Jumlah keluarga"),
    ("keluarga", "ID keluarga"),
    ("rincian", "Rincian (JSON)"),
];

pub async fn download(State(hub): State<Hub>, by: Actor, Query(chosen): Query<Chosen>) -> Response {
    let zone = hub.config.time_zone;
    let filter = match chosen.filter(zone) {
        Ok(filter) => filter,
        Err(why) => return problem(StatusCode::BAD_REQUEST, &why),
    };
    let found = async {
        let (_, events) = audit::find(&hub.db, &filter, None).await?;
        let households = audit::households_of(&hub.db, &filter).await?;
        // The download is on record before it leaves, and is not part of itself.
        let event = Event::new(
            Action::AuditDownload,
            serde_json::to_value(&chosen).unwrap_or_default(),
        );
        audit::record(&hub.db, &by, &event).await?;
        Ok::<_, crate::db::DbError>((events, households))
    };
    let (events, mut households) = match found.await {
        Ok(found) => found,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let table = Table {
        name: "jejak_audit",
        header: CSV_COLUMNS.iter().map(|(id, _)| (*id).to_owned()).collect(),
        labels: CSV_COLUMNS.iter().map(|(_, label)| (*label).to_owned()).collect(),
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
    };
    attachment(
        "text/csv; charset=utf-8",
        "jejak-audit.csv",
        csv::write_for_people(&table).into_bytes(),
    )
}
