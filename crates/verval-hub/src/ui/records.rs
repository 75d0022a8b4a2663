//! Households the hub holds: lists by village, enumerator and status; one household with all
//! its versions, its photos and (from `ui::review`) the district's review of it; choosing
//! the version that counts when two devices disagreed. The queries live in
//! [`crate::households`].

use super::error::{database_failed, PageError, PageResult};
use super::guard::post_action;
use super::input::Form;
use super::input::Query;
use super::page::{bi, page};
use super::session::Session;
use crate::audit::{self, Action, Actor, Event};
use crate::households::{self, DuplicateFilter, ListFilter, ListRow, Search, VillageCount};
use crate::photos::PhotoError;
use crate::regions::RegionTables;
use crate::staff::{mask, Account, Right, Scope};
use crate::Hub;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::export::{tables, Table};
use verval_core::fields::NAMA_KEPALA_KELUARGA;
use verval_core::form::default::{DEFAULT_FORM, KODE_DESA, STATUS_VERIFIKASI};
use verval_core::form::{Kind, Question};
use verval_core::review::ReviewState;
use verval_core::HouseholdRecord;

/// An answer with its label when it is a code: `2 · Ditemukan, data berubah`.
fn answer(field: &str, value: &str) -> String {
    let label = DEFAULT_FORM.question_named(field).and_then(|(_, q)| {
        let labels: Vec<&str> = value
            .split(' ')
            .filter_map(|code| q.choice_label(code).map(|t| t.id))
            .collect();
        (!labels.is_empty()).then(|| labels.join("; "))
    });
    match label {
        Some(label) => format!("{value} · {label}"),
        None => value.to_owned(),
    }
}

fn status_label(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    answer(STATUS_VERIFIKASI.as_str(), code)
}

/// A NIK or KK number as this account may see it: whole, or masked.
pub(super) fn shown_identity(see_identity: bool, number: &str) -> String {
    if see_identity {
        number.to_owned()
    } else {
        mask(number)
    }
}

/// The list's filter as the page's form sends it (the form's field names).
#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    wilayah: String,
    #[serde(default)]
    desa: String,
    #[serde(default)]
    petugas: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    tinjauan: String,
    #[serde(default)]
    konflik: String,
    #[serde(default)]
    ganda: String,
    #[serde(default)]
    cari: String,
}

impl Filter {
    /// The list's filter; a NIK or KK number is searched only for a reader who may see them
    /// (`refused` says when one was typed without that right).
    fn query(&self, see_identity: bool) -> Result<(ListFilter, bool), PageError> {
        let search = Search::parse(&self.cari);
        let refused = matches!(search, Search::Number(_)) && !see_identity;
        let filter = ListFilter {
            region: super::input::region(&self.wilayah)?,
            kode_desa: self.desa.clone(),
            enumerator: self.petugas.clone(),
            status_verifikasi: self.status.clone(),
            review: self.tinjauan.clone(),
            conflicts_only: self.konflik == "1",
            duplicates: DuplicateFilter::parse(&self.ganda).ok_or_else(|| {
                PageError::bad_request(format!(
                    "Pilihan ganda {:?} tidak dikenal (unknown duplicates filter).",
                    self.ganda
                ))
            })?,
            search: if refused { Search::Nothing } else { search },
        };
        Ok((filter, refused))
    }
}

/// A labelled drop-down of a filter, "(semua)" first.
fn select(name: &str, label: &str, current: &str, options: &[(String, String)]) -> Markup {
    html! {
        label for=(name) { (label) }
        select id=(name) name=(name) {
            option value="" { "(semua)" }
            @for (value, text) in options {
                option value=(value) selected[value == current] { (text) }
            }
        }
    }
}

/// The most rows one page lists; the counts above it are always complete.
const PAGE_ROWS: i64 = 500;

pub async fn list(State(hub): State<Hub>, session: Session, Query(filter): Query<Filter>) -> PageResult {
    let scope = &session.account.scope;
    let villages = households::villages(&hub.db, scope).await?;
    let enumerators = households::enumerators(&hub.db, scope).await?;
    let see_identity = session.account.role.may(Right::SeeIdentity);
    let (query, refused) = filter.query(see_identity)?;
    let listing = households::list(&hub.db, scope, &query, PAGE_ROWS).await?;
    let body = html! {
        (villages_table(&villages, &hub.regions))
        (filter_form(&filter, &villages, &enumerators, &hub.regions))
        @if refused {
            p.bad data-testid="search-refused" {
                (bi(
                    "Peran Anda tidak boleh melihat NIK/No. KK, jadi tidak bisa mencari dengan nomor itu; cari dengan nama.",
                    "your role may not see NIK or KK numbers, so it cannot search by them; search by name",
                ))
            }
        }
        p data-testid="matching" {
            (listing.matching) " keluarga"
            @if listing.matching > PAGE_ROWS {
                " (ditampilkan " (PAGE_ROWS) " pertama; saring untuk melihat yang lain)"
            }
        }
        table data-testid="records" {
            tr {
                th { "Kepala keluarga" } th { "No. KK" } th { "Desa" } th { "Petugas" }
                th { "Status verifikasi" } th { "Revisi" } th { "Tinjauan" }
            }
            @for row in &listing.rows { (list_row(row, see_identity, &hub.regions)) }
        }
    };
    Ok(page("Keluarga", body))
}

fn villages_table(villages: &[VillageCount], regions: &RegionTables) -> Markup {
    html! {
        h2 { (bi("Per desa", "by village")) }
        table data-testid="villages" {
            tr { th { "Desa" } th { "Keluarga" } th { "Disetujui" } th { "Konflik" } }
            @for v in villages {
                tr {
                    td { a href={ "/admin/keluarga?desa=" (v.kode_desa) } { (regions.village_label(&v.kode_desa)) } }
                    td { (v.households) } td { (v.approved) } td { (v.conflicts) }
                }
            }
        }
    }
}

fn filter_form(
    filter: &Filter,
    villages: &[VillageCount],
    enumerators: &[String],
    regions: &RegionTables,
) -> Markup {
    let village_options: Vec<(String, String)> = villages
        .iter()
        .map(|v| (v.kode_desa.clone(), regions.village_label(&v.kode_desa)))
        .collect();
    let enumerator_options: Vec<(String, String)> =
        enumerators.iter().map(|e| (e.clone(), e.clone())).collect();
    let status_options: Vec<(String, String)> = match DEFAULT_FORM
        .question_named(STATUS_VERIFIKASI.as_str())
        .map(|(_, q)| &q.kind)
    {
        Some(Kind::SelectOne(choices)) => choices
            .iter()
            .map(|c| (c.code.to_owned(), format!("{} · {}", c.code, c.label.id)))
            .collect(),
        _ => Vec::new(),
    };
    let review_options: Vec<(String, String)> = ReviewState::ALL
        .iter()
        .map(|s| (s.code().to_owned(), s.label().id.to_owned()))
        .collect();
    let conflict_options = [("1".to_owned(), "Hanya yang konflik".to_owned())];
    html! {
        form method="get" action="/admin/keluarga" {
            label for="cari" { (bi("Cari nama kepala keluarga, NIK atau No. KK", "search a name, NIK or KK number")) }
            input id="cari" name="cari" type="search" value=(filter.cari) data-testid="search-households";
            label for="wilayah" { (bi("Wilayah (kode kecamatan atau desa)", "region code")) }
            input id="wilayah" name="wilayah" value=(filter.wilayah) placeholder="35.13.14";
            (select("desa", "Desa", &filter.desa, &village_options))
            (select("petugas", "Petugas", &filter.petugas, &enumerator_options))
            (select("status", "Status verifikasi", &filter.status, &status_options))
            (select("tinjauan", "Tinjauan", &filter.tinjauan, &review_options))
            (select("konflik", "Konflik", &filter.konflik, &conflict_options))
            label for="ganda" { (bi("Data ganda", "duplicates")) }
            select id="ganda" name="ganda" {
                @for (_, code, text) in DuplicateFilter::CHOICES {
                    option value=(code) selected[code == filter.ganda.trim()] { (text) }
                }
            }
            p { button data-testid="filter" { (bi("Saring", "filter")) } }
        }
    }
}

fn list_row(row: &ListRow, see_identity: bool, regions: &RegionTables) -> Markup {
    let conflict = row.conflict != 0;
    html! {
        tr class=[conflict.then_some("flag")] {
            td {
                a href={ "/admin/keluarga/" (row.record_id) } { (row.nama_kepala_keluarga) }
                @if conflict { " " strong { "konflik" } }
            }
            td { (shown_identity(see_identity, &row.nomor_kk)) }
            td { (regions.village_label(&row.kode_desa)) }
            td { (row.enumerator) }
            td { (status_label(&row.status_verifikasi)) }
            td { (row.revision) }
            td { (super::review::label(&row.review)) }
        }
    }
}

/// An answer as this account may see it: NIK and KK numbers masked unless `see_identity`,
/// codes with their labels.
pub(super) fn shown_answer(see_identity: bool, field: &str, value: &str) -> String {
    if !see_identity && DEFAULT_FORM.identity_fields().any(|f| f == field) {
        mask(value)
    } else {
        answer(field, value)
    }
}

/// One table of a household, with NIK and KK numbers masked unless `see_identity`.
fn render_table(table: &Table, see_identity: bool) -> Markup {
    if table.rows.is_empty() {
        return html! {};
    }
    let shown = |field: &str, value: &str| shown_answer(see_identity, field, value);
    html! {
        h2 { (table.name) }
        @if table.rows.len() == 1 && table.name == "keluarga" {
            table {
                tr { th { "Pertanyaan" } th { "Kolom" } th { "Jawaban" } }
                @for ((label, field), value) in table.labels.iter().zip(&table.header).zip(&table.rows[0]) {
                    tr {
                        td { (label) }
                        td { code { (field) } }
                        td data-field=(field) { (shown(field, value)) }
                    }
                }
            }
        } @else {
            // Wider than a phone: it scrolls in its own box, reachable from the keyboard.
            table tabindex="0" aria-label=(table.name) {
                tr {
                    @for (label, field) in table.labels.iter().zip(&table.header) {
                        th { (label) br; code { (field) } }
                    }
                }
                @for row in &table.rows {
                    tr {
                        @for (field, value) in table.header.iter().zip(row) {
                            td { (shown(field, value)) }
                        }
                    }
                }
            }
        }
    }
}

/// The most events of its history a household's page lists.
const HISTORY_ROWS: i64 = 100;

pub async fn view(State(hub): State<Hub>, session: Session, by: Actor, Path(id): Path<String>) -> PageResult {
    let (heading, body) = view_page(&hub, &id, &session.account).await?;
    // Shown only once the viewing is on record.
    let event = Event {
        action: Action::RecordView,
        detail: serde_json::json!({}),
        households: std::slice::from_ref(&id),
    };
    audit::record(&hub.db, &by, &event).await?;
    Ok(page(&heading, body))
}

/// A household as the pages work with it: its standing, every version, the current one read.
pub(super) struct Loaded {
    pub current: households::Current,
    pub versions: Vec<households::Version>,
    pub record: HouseholdRecord,
}

pub(super) async fn load(hub: &Hub, id: &str, scope: &Scope) -> Result<Loaded, PageError> {
    let Some(current) = households::current(&hub.db, id, scope).await? else {
        return Err(PageError::unknown_household());
    };
    let versions = households::versions(&hub.db, id).await?;
    let body = versions
        .iter()
        .find(|v| v.revision == current.revision && v.sha256 == current.sha256)
        .map(|v| v.body.as_str())
        .ok_or_else(|| {
            PageError::internal(
                "Versi yang berlaku hilang dari riwayat (the current version is missing from the history).",
            )
        })?;
    let record: HouseholdRecord = serde_json::from_str(body).map_err(|e| {
        PageError::internal(format!(
            "Versi yang berlaku tidak terbaca (the current version cannot be read): {e}"
        ))
    })?;
    Ok(Loaded {
        current,
        versions,
        record,
    })
}

/// The household's page: its heading (the head of the family's name, which every reader of
/// households may see) and its body.
async fn view_page(hub: &Hub, id: &str, account: &Account) -> Result<(String, Markup), PageError> {
    let Loaded {
        current,
        versions,
        record,
    } = load(hub, id, &account.scope).await?;
    let conflict = current.conflict != 0;
    // Who received, reviewed, viewed and exported this household (this viewing is added
    // once the page is on its way).
    let mine = audit::Filter {
        household: Some(id.to_owned()),
        time_zone: hub.config.time_zone,
        ..Default::default()
    };
    let (total, events) = audit::find(&hub.db, &mine, Some(HISTORY_ROWS)).await?;
    let reviews = households::reviews(&hub.db, id).await?;
    let time_zone = hub.config.time_zone;
    let may_resolve = account.role.may(Right::ResolveConflicts);
    let see_identity = account.role.may(Right::SeeIdentity);
    let heading = match record.answers.get(NAMA_KEPALA_KELUARGA).trim() {
        "" => "Keluarga (nama kepala keluarga belum diisi)".to_owned(),
        name => format!("Keluarga {name}"),
    };
    let proof = super::proof::section(hub, account, id, record.answers.get(KODE_DESA)).await?;
    let pairs = super::duplicates::section(hub, account, id).await?;
    let ledger = super::aid::Ledger {
        id,
        programmes: crate::aid::district_programmes(&hub.db).await?,
        recorded: crate::aid::deliveries(&hub.db, id).await?,
        may_record: account.role.may(Right::RecordAid),
        time_zone,
    };
    let siks = super::siks_ng::Standing {
        id,
        stored: crate::siks_ng::of(&hub.db, id).await?,
        may_record: account.role.may(Right::RecordAid),
        time_zone,
    };
    let body = html! {
        @if conflict {
            p.flag data-testid="conflict" {
                (bi(
                    "Konflik: keluarga ini dikirim dari lebih dari satu perangkat dengan isi berbeda. Periksa versinya dan pilih yang berlaku.",
                    "conflict: versions from more than one device; choose the one that counts",
                ))
            }
        }
        (super::review::section(id, &current, &versions, &record, &reviews, account, time_zone))
        (pairs)
        (proof)
        h2 { (bi("Versi", "versions")) }
        table data-testid="versions" {
            tr { th { "Revisi" } th { "Perangkat" } th { "Batch" } th { "Diterima" } th {} }
            @for v in &versions {
                tr {
                    td { (v.revision) } td { (v.device_id) } td { (v.file_name) }
                    td { (time_zone.format(v.received_at)) }
                    td {
                        @if v.revision == current.revision && v.sha256 == current.sha256 {
                            strong { "berlaku" }
                        } @else if conflict && may_resolve {
                            form method="post" action=(post_action(&format!("/admin/keluarga/{id}/versi"))) {
                                input type="hidden" name="revision" value=(v.revision);
                                input type="hidden" name="sha256" value=(v.sha256);
                                button data-testid="choose-version" { "Jadikan berlaku" }
                            }
                        }
                    }
                }
            }
        }
        (super::aid::family_section(&record, &ledger))
        (super::siks_ng::section(&record, see_identity, time_zone.today(), &siks))
        (photos_section(id, &record, see_identity))
        @for table in tables(&DEFAULT_FORM, std::slice::from_ref(&record), time_zone.today()) {
            (render_table(&table, see_identity))
        }
        h2 #riwayat { (bi("Riwayat", "history")) }
        p {
            (bi(
                &format!("{total} kejadian; {} terbaru di bawah.", events.len()),
                "events on record for this household, newest first",
            ))
        }
        (super::audit::events_table(&events, &Default::default(), time_zone))
    };
    Ok((heading, body))
}

/// The household's photos and signature as the enumerator took them (those this account
/// may see).
fn photos_section(id: &str, record: &HouseholdRecord, see_identity: bool) -> Markup {
    let taken: Vec<&Question> = crate::photos::questions(see_identity)
        .filter(|q| !record.answers.get(q.id).is_empty())
        .collect();
    if taken.is_empty() {
        return html! {};
    }
    html! {
        h2 #foto { (bi("Foto", "photos")) }
        div data-testid="photos" {
            @for q in taken {
                figure style="display:inline-block;margin:.3rem" {
                    img src={ "/admin/keluarga/" (id) "/foto/" (q.id.as_str()) } alt=(q.label.id)
                        width="240" loading="lazy";
                    figcaption { (q.label.id) }
                }
            }
        }
    }
}

/// One photo of the household's current version, from its stored batch; never cached.
pub async fn photo(
    State(hub): State<Hub>,
    session: Session,
    Path((id, field)): Path<(String, String)>,
) -> PageResult {
    let see_identity = session.account.role.may(Right::SeeIdentity);
    let question = DEFAULT_FORM
        .question_named(&field)
        .map(|(_, q)| q)
        .filter(|q| crate::photos::shown(q, see_identity))
        .ok_or_else(|| PageError::not_found("Foto tidak ada (no such photo)."))?;
    let photo = crate::photos::current_photo(&hub.db, &id, &session.account.scope, question)
        .await
        .map_err(|e| match e {
            PhotoError::NotThere | PhotoError::Pruned => PageError::not_found(e.to_string()),
            PhotoError::Busy => PageError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            PhotoError::Unreadable(_) => PageError::internal(e.to_string()),
            PhotoError::Db(e) => e.into(),
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        photo.bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Choice {
    revision: i64,
    sha256: String,
}

/// Resolves a conflict: the chosen version becomes current and the flag is cleared. Every
/// version stays in the history.
pub async fn choose_version(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(choice): Form<Choice>,
) -> PageResult {
    if !households::visible(&hub.db, &id, &session.account.scope).await? {
        return Err(PageError::unknown_household());
    }
    let chosen = crate::ingest::choose_current(&hub.db, &id, choice.revision, &choice.sha256, &by)
        .await
        .map_err(|e| database_failed(&e))?;
    if !chosen {
        return Err(PageError::not_found("Versi tidak dikenal (unknown version)."));
    }
    Ok(Redirect::to(&format!("/admin/keluarga/{id}")).into_response())
}
