//! "Musdes" (issue #24): the village meetings of the reader's region. A meeting's page reads
//! the desa's verified families by name with each one's outcome and recommendation
//! (`verval_core::aid::musdes`), and takes the meeting's decisions; its print is the Berita
//! Acara, the SPTJM and the attendance sheet on A4; its workbook is the same list. Printing
//! and the workbook hand out names and addresses, and are audited as exports.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::page::{self, bi, page};
use super::session::Session;
use crate::audit::Actor;
use crate::musdes::{self, Family, Handout, MeetingList, MusdesError, Stored, Typed};
use crate::staff::Right;
use crate::Hub;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use verval_core::aid::channels::{Channel, IDENTITY_COLUMNS};
use verval_core::aid::musdes::{list_row, list_sheet, Meeting, MeetingField, Tally, DECISIONS, LIST_COLUMNS};
use verval_core::aid::musdes_documents::{self, ATTENDANCE_COLUMNS, NAME_LINE};
use verval_core::date::Date;
use verval_core::export::{ColumnKind, Table};
use verval_core::region::RegionCode;

pub const PAGE: &str = "/admin/musdes";

fn meeting_path(id: i64) -> String {
    format!("{PAGE}/{id}")
}

fn failed(e: MusdesError) -> PageError {
    match e {
        MusdesError::Invalid(message) => PageError::bad_request(message),
        MusdesError::Unknown => PageError::new(
            axum::http::StatusCode::NOT_FOUND,
            MusdesError::Unknown.to_string(),
        ),
        MusdesError::Db(e) => PageError::from(e),
        MusdesError::Export(e) => PageError::internal(e.to_string()),
    }
}

/// A meeting and its list as the reader may see them, with the day the hub's time zone says.
async fn load(hub: &Hub, session: &Session, id: i64) -> Result<(MeetingList, Date), PageError> {
    let today = hub.config.time_zone.today();
    let list = musdes::list(&hub.db, id, &session.account.scope, today)
        .await
        .map_err(failed)?;
    Ok((list, today))
}

/// A sheet of `columns` (`(id, heading)`): the number column counts, every other is text.
fn sheet(name: &'static str, columns: &[(&str, &str)]) -> Table {
    let kinds: Vec<(&str, &str, ColumnKind)> = columns
        .iter()
        .map(|(id, heading)| {
            let kind = match *id {
                "nomor" => ColumnKind::Whole,
                _ => ColumnKind::Text,
            };
            (*id, *heading, kind)
        })
        .collect();
    Table::new(name, &kinds)
}

fn meeting_form(villages: &[(String, i64)], hub: &Hub, today: &str) -> Markup {
    html! {
        h2 { (bi("Catat musyawarah baru", "record a new meeting")) }
        form method="post" action=(post_action(PAGE)) data-testid="musdes-new" {
            label for="kode_desa" { (bi("Desa", "village")) }
            select #kode_desa name="kode_desa" required {
                @for (code, _) in villages { option value=(code) { (hub.regions.area_label(code)) } }
            }
            @for field in MeetingField::ALL {
                label for=(field.name()) { (bi(field.label().id, field.label().en)) }
                @if field.is_date() {
                    input id=(field.name()) name=(field.name()) type="date" max=(today) required[field.required()];
                } @else {
                    input id=(field.name()) name=(field.name()) maxlength="200" required[field.required()];
                }
            }
            p { button data-testid="musdes-add" { (bi("Simpan musyawarah", "save the meeting")) } }
        }
    }
}

pub async fn index(State(hub): State<Hub>, session: Session) -> PageResult {
    let scope = &session.account.scope;
    let villages = musdes::villages_within(&hub.db, scope).await?;
    let meetings = musdes::meetings_within(&hub.db, scope).await?;
    let today = hub.config.time_zone.today().to_string();
    let body = html! {
        p { (bi("Daftar keluarga per desa untuk Musdes/Musdesus, keputusan musyawarah, Berita Acara, SPTJM dan daftar hadir.",
                "each village's by-name list for its meeting, the decisions, the minutes, the statement and the attendance sheet")) }
        table data-testid="musdes-villages" {
            tr { th { "Desa" } th { (bi("Keluarga diverifikasi", "verified families")) } th { (bi("Musyawarah", "meetings")) } }
            @for (code, count) in &villages {
                tr data-desa=(code) {
                    td { (hub.regions.area_label(code)) }
                    td { (count) }
                    td {
                        @for m in meetings.iter().filter(|m| &m.kode_desa == code) {
                            a href=(meeting_path(m.id)) data-testid="musdes-meeting" { (m.meeting.period) " (" (m.meeting.held_on) ")" } " "
                        }
                    }
                }
            }
        }
        @if session.account.role.may(Right::RecordAid) && !villages.is_empty() { (meeting_form(&villages, &hub, &today)) }
    };
    Ok(page("Musyawarah desa", body))
}

pub async fn add(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Form(typed): Form<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let typed_value = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let desa = RegionCode::parse(typed_value("kode_desa").trim())
        .map_err(|e| PageError::bad_request(format!("Kode desa salah (bad village code): {e}")))?;
    if !session.account.scope.contains(desa.as_str()) {
        return Err(PageError::bad_request(
            "Desa ini di luar wilayah Anda (this village is outside your region).",
        ));
    }
    let mut meeting = Meeting::default();
    for field in MeetingField::ALL {
        field.set(&mut meeting, typed_value(field.name()));
    }
    let today = hub.config.time_zone.today();
    let id = musdes::add_meeting(&hub.db, &desa, &meeting, &by, today)
        .await
        .map_err(failed)?;
    Ok(Redirect::to(&meeting_path(id)).into_response())
}

fn heading(stored: &Stored, hub: &Hub) -> Markup {
    let m = &stored.meeting;
    html! {
        p data-testid="musdes-heading" {
            strong { (m.period) } " · Desa " (hub.regions.area_label(&stored.kode_desa))
            br; "Nomor Berita Acara " (m.number) " · tanggal " (m.held_on)
            @if !m.place.is_empty() { " · " (m.place) }
            @if !m.chair.is_empty() { " · pimpinan: " (m.chair) }
        }
    }
}

fn tally_line(tally: Tally) -> Markup {
    html! {
        p data-testid="musdes-tally" data-agreed=(tally.agreed) data-not-agreed=(tally.not_agreed)
            data-postponed=(tally.postponed) data-undecided=(tally.undecided) {
            (tally.listed()) " keluarga dibahas: " strong { (tally.agreed) } " disetujui, " (tally.not_agreed)
            " tidak disetujui, " (tally.postponed) " ditunda, " (tally.undecided) " belum diputuskan."
            br; span.en { "families read: agreed, not agreed, postponed, not yet decided" }
        }
    }
}

/// The decision cells of one family: the form's inputs, or the decision as recorded.
fn decision_cells(number: usize, family: &Family, editable: bool) -> Markup {
    let (decision, note) = family.decision_and_note();
    let row = list_row(number, &family.listed, decision, note);
    let changed = html! {
        @if family.changed_since_decided() {
            span.bad data-testid="musdes-changed" {
                br; (bi("Data keluarga berubah sejak diputuskan; simpan lagi untuk memakai keputusan ini.",
                        "changed since decided; save again to keep this decision"))
            }
        }
    };
    if !editable {
        return html! { td { (row[LIST_COLUMNS.len() - 2]) (changed) } td { (row[LIST_COLUMNS.len() - 1]) } };
    }
    html! {
        td {
            input type="hidden" name="keluarga" value=(family.record_id);
            input type="hidden" name="versi" value=(family.decided.as_ref().map_or(String::new(), |d| d.updated_at.to_string()));
            label for={ "keputusan-" (number) } { "Keputusan no. " (number) }
            select id={ "keputusan-" (number) } name="keputusan_musdes" {
                option value="" selected[decision.is_empty()] { "— belum —" }
                @for (code, label) in DECISIONS {
                    option value=(code) selected[decision == code] { (label.id) }
                }
            }
            (changed)
        }
        td {
            label for={ "catatan-" (number) } { "Catatan no. " (number) }
            input id={ "catatan-" (number) } name="catatan_musdes" value=(note) maxlength="200";
        }
    }
}

fn list_table(list: &MeetingList, editable: bool) -> Markup {
    html! {
        // Focusable: on a narrow screen the table scrolls, and a keyboard must reach it.
        table data-testid="musdes-list" tabindex="0" aria-label="Daftar keluarga" {
            tr { @for (_, heading) in LIST_COLUMNS { th { (heading) } } }
            @for (i, family) in list.families.iter().enumerate() {
                @let row = list_row(i + 1, &family.listed, "", "");
                tr data-record=(family.record_id)
                    data-decision=(family.decision_and_note().0)
                    data-changed=[family.changed_since_decided().then_some("true")] {
                    @for cell in &row[..LIST_COLUMNS.len() - 2] { td { (cell) } }
                    (decision_cells(i + 1, family, editable))
                }
            }
        }
    }
}

pub async fn show(State(hub): State<Hub>, session: Session, Path(id): Path<i64>) -> PageResult {
    let (list, today) = load(&hub, &session, id).await?;
    let editable = session.account.role.may(Right::RecordAid);
    let body = html! {
        (heading(&list.stored, &hub))
        (tally_line(list.tally()))
        @if list.later > 0 {
            p.flag data-testid="musdes-later" data-families=(list.later) {
                (list.later) " keluarga desa ini tiba setelah musyawarah memutuskan; daftarnya tidak berubah, catat mereka di musyawarah berikutnya."
                br; span.en { "families that arrived after the meeting decided: its list stays as read; record them at the next meeting" }
            }
        }
        p.no-print {
            a href={ (meeting_path(id)) "/cetak" } data-testid="musdes-print" { (bi("Cetak Berita Acara, SPTJM dan daftar hadir", "print the minutes, statement and attendance sheet")) }
            " · "
            a href={ (meeting_path(id)) "/daftar.xlsx" } data-testid="musdes-xlsx" { (bi("Unduh daftar (XLSX)", "download the list")) }
        }
        (channels_section(&list, today))
        @if list.families.is_empty() {
            p { (bi("Belum ada keluarga terverifikasi di desa ini.", "no verified family in this village yet")) }
        } @else if editable {
            form method="post" action=(post_action(&format!("{}/keputusan", meeting_path(id)))) data-testid="musdes-decisions" {
                (list_table(&list, true))
                p { button data-testid="musdes-save" { (bi("Simpan keputusan", "save the decisions")) } }
            }
        } @else {
            (list_table(&list, false))
        }
    };
    Ok(page("Musyawarah desa", body))
}

/// The decisions form: for each family, its id, then its decision and note, in page order.
pub async fn decide(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed: Vec<Typed> = Vec::new();
    for (name, value) in fields {
        match (name.as_str(), typed.last_mut()) {
            ("keluarga", _) => typed.push(Typed {
                record_id: value,
                ..Typed::default()
            }),
            ("versi", Some(last)) => last.shown = value.parse().ok(),
            ("keputusan_musdes", Some(last)) => last.decision = value,
            ("catatan_musdes", Some(last)) => last.note = value,
            _ => {}
        }
    }
    let today = hub.config.time_zone.today();
    musdes::decide(&hub.db, id, &typed, &session.account.scope, &by, today)
        .await
        .map_err(failed)?;
    Ok(Redirect::to(&meeting_path(id)).into_response())
}

/// The signature blocks under a document: `(role, name)`.
fn signatures(blocks: &[(String, String)]) -> Markup {
    html! {
        div.signatures {
            @for (role, name) in blocks {
                div.sign { p { (role) } p.line { (if name.is_empty() { NAME_LINE } else { name }) } }
            }
        }
    }
}

/// The meeting's three documents (`verval_core::aid::musdes_documents`), one A4 sheet after
/// another.
fn documents(list: &MeetingList, hub: &Hub) -> Markup {
    let desa = hub.regions.area_label(&list.stored.kode_desa);
    let sheets = musdes_documents::documents(&list.stored.meeting, &desa, &list.tally());
    html! {
        @for sheet in &sheets {
            section.sheet data-testid=(sheet.id) {
                h2 { (sheet.title) }
                @for line in &sheet.lead { p { (line) } }
                @if sheet.with_list { (list_table(list, false)) }
                @if !sheet.points.is_empty() { ol { @for point in &sheet.points { li { (point) } } } }
                @for line in &sheet.closing { p { (line) } }
                @if !sheet.signatures.is_empty() { (signatures(&sheet.signatures)) }
                @if !sheet.footnote.is_empty() { p.muted { (sheet.footnote) } }
                @if sheet.attendance_rows > 0 {
                    table.attendance tabindex="0" aria-label="Daftar hadir" {
                        tr { @for heading in ATTENDANCE_COLUMNS { th { (heading) } } }
                        @for n in 1..=sheet.attendance_rows { tr { td { (n) } td {} td {} td {} } }
                    }
                }
            }
        }
    }
}

pub async fn print(State(hub): State<Hub>, session: Session, by: Actor, Path(id): Path<i64>) -> PageResult {
    let (list, _) = load(&hub, &session, id).await?;
    audit_list(&hub, &by, &list, "cetak").await?;
    let body = html! {
        p.no-print { (bi("Cetak dengan Ctrl+P (kertas A4). Setiap dokumen mulai di halaman baru.", "print with Ctrl+P on A4; each document starts on a new page")) }
        (documents(&list, &hub))
    };
    Ok(page("Dokumen musyawarah desa", body))
}

pub async fn workbook(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (list, _) = load(&hub, &session, id).await?;
    let rows = list
        .families
        .iter()
        .enumerate()
        .map(|(i, family)| {
            let (decision, note) = family.decision_and_note();
            list_row(i + 1, &family.listed, decision, note)
        })
        .collect();
    let table = list_sheet(rows);
    let file = format!("musdes-{}-{}.xlsx", list.stored.kode_desa.replace('.', ""), id);
    let response = page::workbook(&[&table], &hub.regions, &file)?;
    audit_list(&hub, &by, &list, "xlsx").await?;
    Ok(response)
}

/// The by-name list (no NIK, no KK) handed out as `format`.
async fn audit_list(hub: &Hub, by: &Actor, list: &MeetingList, format: &str) -> Result<(), PageError> {
    let households: Vec<String> = list.families.iter().map(|f| f.record_id.clone()).collect();
    let handout = Handout {
        list: "daftar",
        format,
        identity: false,
        masked: false,
    };
    Ok(musdes::audit_handout(&hub.db, by, &list.stored, &handout, &households).await?)
}

fn channel_path(id: i64, channel: Channel) -> String {
    format!("{}/kanal/{}", meeting_path(id), channel.code())
}

/// Each channel's list, with how many families the meeting agreed for it.
fn channels_section(list: &MeetingList, today: Date) -> Markup {
    html! {
        h2 { (bi("Daftar per kanal bantuan", "lists per aid channel")) }
        p.muted { (bi("Hanya keluarga yang disetujui musyawarah, dengan program yang diusulkan lewat kanal itu dan belum diterima.",
                      "only families the meeting agreed, with the programmes proposed through that channel and not received yet")) }
        @let unrouted = list.unrouted(today);
        @if unrouted > 0 {
            p.flag data-testid="musdes-unrouted" data-families=(unrouted) {
                (bi(&format!("{unrouted} keluarga yang disetujui menunggu program \"Lainnya\", yang tidak masuk daftar kanal mana pun: tindak lanjuti langsung."),
                    "agreed families wait for an \"other\" programme, on no channel's list: follow them up directly"))
            }
        }
        ul.no-print data-testid="musdes-channels" {
            @for channel in Channel::ALL {
                @let count = list.channel(channel, today).len();
                li data-channel=(channel.code()) data-families=(count) {
                    a href=(channel_path(list.stored.id, channel)) { (channel.label().id) } " — " (count) " keluarga"
                    " " span.en { "(" (channel.label().en) ")" }
                }
            }
        }
    }
}

/// A channel's list as a workbook: NIK and KK whole only for accounts that may see them.
pub async fn channel_list(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path((id, code)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let channel = Channel::parse(&code).ok_or_else(|| {
        PageError::new(
            axum::http::StatusCode::NOT_FOUND,
            format!("Kanal {code:?} tidak dikenal (unknown channel)."),
        )
    })?;
    let (list, today) = load(&hub, &session, id).await?;
    let see_identity = session.account.role.may(Right::SeeIdentity);
    let columns = channel.columns();
    let mut table = sheet("usulan", columns);
    let rows = list.channel(channel, today);
    for (_, row) in &rows {
        let shown = columns
            .iter()
            .zip(row)
            .map(
                |((id, _), value)| match IDENTITY_COLUMNS.contains(id) && !see_identity {
                    true => crate::staff::mask(value),
                    false => value.clone(),
                },
            )
            .collect();
        table.rows.push(shown);
    }
    let file = format!(
        "{}-{}-{}.xlsx",
        channel.code(),
        list.stored.kode_desa.replace('.', ""),
        id
    );
    let response = page::workbook(&[&table], &hub.regions, &file)?;
    let carries = columns.iter().any(|(id, _)| IDENTITY_COLUMNS.contains(id));
    let handout = Handout {
        list: channel.code(),
        format: "xlsx",
        identity: carries && see_identity,
        masked: carries && !see_identity,
    };
    let households: Vec<String> = rows.into_iter().map(|(id, _)| id).collect();
    musdes::audit_handout(&hub.db, &by, &list.stored, &handout, &households).await?;
    Ok(response)
}
