//! The district's home page (issue #21): how far the round is in the reader's region, per
//! kecamatan, then per village, then per enumerator in a village, against each target and
//! the round's deadline; who is behind; which phones have gone quiet. Each number links to
//! the households behind it. The same numbers download as a workbook for the TKPK meeting,
//! and the page prints without its menus and forms. Counting is `supervision`'s.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::{region, Form, Query};
use super::page::{area_slug, bi, page, workbook};
use super::session::Session;
use crate::audit::Actor;
use crate::regions::RegionTables;
use crate::staff::Right;
use crate::supervision::devices::{self, Contact};
use crate::supervision::progress::{Progress, Sender, Tally};
use crate::supervision::proof::{self, FlagCounts};
use crate::supervision::round::{self, Round};
use crate::supervision::sheet;
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::date::Date;
use verval_core::region::{area_of, RegionCode, KECAMATAN_DEPTH, VILLAGE_DEPTH};
use verval_core::review::{Decision, ReviewState};

pub const PAGE: &str = "/admin";
pub const WORKBOOK: &str = "/admin/kemajuan.xlsx";
pub const ROUND: &str = "/admin/ronde";
pub const TARGETS: &str = "/admin/target";

#[derive(Deserialize, Default)]
pub struct Place {
    #[serde(default)]
    wilayah: String,
}

/// What the page shows: a region's progress, grouped at the level below the region.
struct Dashboard {
    region: Option<RegionCode>,
    progress: Progress,
    contacts: Vec<Contact>,
    /// How many households carry each proof-of-visit flag, per village.
    flags_by_village: Vec<(String, FlagCounts)>,
    round: Round,
    zone: TimeZone,
    today: Date,
    now: i64,
}

impl Dashboard {
    async fn load(hub: &Hub, session: &Session, place: &Place) -> Result<Dashboard, PageError> {
        let region = region(&place.wilayah)?;
        let scope = &session.account.scope;
        let round = round::of(&hub.db).await?;
        let rules = proof::rules(round.visit_minutes);
        // Independent reads, side by side: the flags' is the longest.
        let (progress, contacts, flags_by_village) = tokio::try_join!(
            Progress::load(&hub.db, scope, region.as_ref()),
            devices::contacts(&hub.db, scope, region.as_ref()),
            proof::counted(&hub.db, scope, region.as_ref(), &rules),
        )?;
        let zone = hub.config.time_zone;
        Ok(Dashboard {
            progress,
            contacts,
            flags_by_village,
            round,
            today: zone.today(),
            now: crate::db::now_ms(),
            zone,
            region,
        })
    }

    /// The depth of the region's code: 0 for the whole district.
    fn depth(&self) -> usize {
        self.region.as_ref().map_or(0, |r| r.as_str().split('.').count())
    }

    /// The depth of the areas the page lists: kecamatan, or villages within a kecamatan.
    fn rows_depth(&self) -> usize {
        if self.depth() >= KECAMATAN_DEPTH {
            VILLAGE_DEPTH
        } else {
            KECAMATAN_DEPTH
        }
    }
}

pub async fn show(State(hub): State<Hub>, session: Session, Query(place): Query<Place>) -> PageResult {
    let d = Dashboard::load(&hub, &session, &place).await?;
    let regions = &hub.regions;
    let manages = session.account.role.may(Right::ManageRound);
    let here = d.region.as_ref().map_or(String::new(), |r| r.as_str().to_owned());
    let total = d.progress.total();
    let body = html! {
        (breadcrumb(&d, regions))
        (round_line(&d))
        p data-testid="progress-total" {
            strong { (total.received) } " dari " strong { (total.target) } " keluarga diterima hub ("
            (total.percent()) "%); belum dikunjungi " (total.not_visited) "."
            br; span.en { (total.received) " of " (total.target) " families received; " (total.not_visited) " not yet visited" }
        }
        p data-testid="phones-total" {
            "Di HP petugas (laporan sinkron terakhir): " (total.begun_on_phones) " dimulai, "
            (total.finalized_on_phones) " selesai."
            " " span.en { "on the enumerators' phones at their last sync: begun, finalized (sent or not)" }
        }
        p data-testid="doubtful-total" {
            a href={ (super::duplicates::PAGE) "?wilayah=" (here) } {
                (total.doubtful) " keluarga diduga ganda menunggu keputusan"
            }
            " " span.en { "households that may be one family, waiting for a decision" }
        }
        p.no-print {
            a href={ (WORKBOOK) "?wilayah=" (here) } data-testid="progress-xlsx" { (bi("Unduh XLSX untuk rapat TKPK", "download for the TKPK meeting")) }
            " · " (bi("Cetak halaman ini dengan Ctrl+P: menu dan formulir tidak ikut tercetak.", "print with Ctrl+P"))
        }
        @if d.depth() == VILLAGE_DEPTH {
            (village_table(&d, &here))
        } @else {
            (area_table(&d, regions))
        }
        (super::proof::dashboard_table(&d.flags_by_village, d.rows_depth(), regions))
        (workers_table(&d, &here))
        (phones_table(&d))
        @if manages { (round_forms(&d)) }
    };
    Ok(page("Kemajuan verval", body))
}

/// Where the page is: the district, a kecamatan, a village — each a link up.
fn breadcrumb(d: &Dashboard, regions: &RegionTables) -> Markup {
    let mut trail = Vec::new();
    if let Some(region) = &d.region {
        let code = region.as_str();
        for depth in KECAMATAN_DEPTH..=code.split('.').count() {
            trail.push(area_of(code, depth).to_owned());
        }
    }
    html! {
        nav.no-print aria-label="Wilayah" data-testid="breadcrumb" {
            a href=(PAGE) { (bi("Semua wilayah", "whole region")) }
            @for code in &trail {
                " › " a href={ (PAGE) "?wilayah=" (code) } { (regions.area_label(code)) }
            }
        }
    }
}

fn round_line(d: &Dashboard) -> Markup {
    let r = &d.round;
    html! {
        p data-testid="round" {
            @match (r.start, r.deadline) {
                (Some(start), Some(deadline)) => {
                    "Ronde " (start) " sampai batas waktu " strong { (deadline) } "; hari ini " (d.today) "."
                    @if d.today > deadline { " " strong.bad { "Batas waktu sudah lewat." } }
                    " " span.en { "round from " (start) " to " (deadline) "; the rows highlighted are behind an even pace" }
                }
                _ => { (bi("Tanggal mulai dan batas waktu ronde belum diatur, jadi jadwal tidak dihitung.", "set the round's start and deadline to see who is behind")) }
            }
        }
    }
}

/// The header shared by the count tables.
fn count_headers(first: &str, not_visited: bool) -> Markup {
    html! {
        tr {
            th { (first) } th { "Target" } th { "Dimulai di HP" } th { "Selesai di HP" } th { "Diterima" } th { "%" }
            @if not_visited { th { "Belum dikunjungi" } }
            th { "Disetujui" } th { "Dikembalikan" } th { "Ditolak" } th { "Menunggu tinjauan" }
            th { "Konflik" } th { "Diduga ganda" } th { "Seharusnya hari ini" } th { "Perlu per hari" }
        }
    }
}

/// A row's counts, each linking to the households it counts (`list` is the list's filter).
fn count_cells(d: &Dashboard, tally: &Tally, list: &str, not_visited: bool) -> Markup {
    let pace = d.round.pace(tally.target, tally.received, d.today);
    let review = |state: ReviewState| format!("/admin/keluarga?{list}&tinjauan={}", state.code());
    let waiting = format!("/admin/keluarga?{list}&tinjauan={}", ReviewState::Menunggu.code());
    html! {
        td { (tally.target) }
        td data-testid="begun-on-phones" { (tally.begun_on_phones) }
        td data-testid="finalized-on-phones" { (tally.finalized_on_phones) }
        td { a href={ "/admin/keluarga?" (list) } data-testid="received" { (tally.received) } }
        td { (tally.percent()) }
        @if not_visited { td data-testid="not-visited" { (tally.not_visited) } }
        td { a href=(review(ReviewState::Decided(Decision::Disetujui))) { (tally.approved) } }
        td { a href=(review(ReviewState::Decided(Decision::PerluPerbaikan))) { (tally.sent_back) } }
        td { a href=(review(ReviewState::Decided(Decision::Ditolak))) { (tally.rejected) } }
        td { a href=(waiting) { (tally.waiting) } }
        td { a href={ "/admin/keluarga?" (list) "&konflik=1" } { (tally.conflicts) } }
        td { a href={ "/admin/keluarga?" (list) "&ganda=1" } data-testid="doubtful" { (tally.doubtful) } }
        td { @if let Some(p) = pace { (p.expected) @if p.behind { " " strong.bad { "tertinggal" } } } }
        td { @if let Some(n) = pace.and_then(|p| p.per_day) { (n) } }
    }
}

fn behind(d: &Dashboard, tally: &Tally) -> bool {
    d.round
        .pace(tally.target, tally.received, d.today)
        .is_some_and(|p| p.behind)
}

/// The region's kecamatan (or, within a kecamatan, its villages), each a link down.
fn area_table(d: &Dashboard, regions: &RegionTables) -> Markup {
    let depth = d.rows_depth();
    let heading = if depth == KECAMATAN_DEPTH {
        bi("Per kecamatan", "by kecamatan")
    } else {
        bi("Per desa", "by village")
    };
    html! {
        h2 { (heading) }
        table data-testid="areas" {
            (count_headers("Wilayah", true))
            @for (code, tally) in d.progress.by_area(depth) {
                tr.flag[behind(d, &tally)] data-testid="area" data-code=(code) {
                    td { a href={ (PAGE) "?wilayah=" (code) } { (regions.area_label(&code)) } }
                    (count_cells(d, &tally, &format!("wilayah={code}"), true))
                }
            }
        }
    }
}

/// One village: its own counts, then each enumerator's part.
fn village_table(d: &Dashboard, here: &str) -> Markup {
    let Some(village) = d.progress.village(here) else {
        return html! { p data-testid="no-progress" { (bi("Belum ada target, prelist, petugas atau keluarga di desa ini.", "nothing in this village yet")) } };
    };
    html! {
        h2 { (bi("Petugas di desa ini", "enumerators in this village")) }
        @if village.target_set { p { (bi("Target desa ini diatur oleh kabupaten.", "the district set this village's target")) } }
        table data-testid="village-workers" {
            (count_headers("Petugas", false))
            tr data-testid="village-total" {
                th { "Desa (semua)" }
                (count_cells(d, &village.tally, &format!("desa={here}"), false))
            }
            @for w in &village.workers {
                tr.flag[w.assigned && behind(d, &w.tally)] data-testid="worker" {
                    td {
                        (w.name)
                        @if !w.assigned { br; span.en { (sender_note(&w.sender)) } }
                    }
                    (count_cells(d, &w.tally, &format!("desa={here}&petugas={}", urlencode(&w.name)), false))
                }
            }
        }
    }
}

fn sender_note(sender: &Sender) -> &'static str {
    match sender {
        Sender::Enrolled(_) => "tidak ditugaskan di desa ini (not assigned here)",
        Sender::File(_) => "dari berkas yang diunggah (from an uploaded file)",
    }
}

/// Every enumerator working in the region: their share of its targets and what came in.
fn workers_table(d: &Dashboard, here: &str) -> Markup {
    let workers = d.progress.by_worker();
    let within = if here.is_empty() {
        String::new()
    } else {
        format!("wilayah={here}&")
    };
    html! {
        h2 { (bi("Per petugas", "by enumerator")) }
        p.en { "Target: their share of their villages' targets (split evenly where several are assigned)." }
        table data-testid="workers" {
            (count_headers("Petugas (desa)", false))
            @for w in &workers {
                tr.flag[behind(d, &w.tally)] data-testid="worker-total" {
                    td { (w.name) " (" (w.villages) ")" }
                    (count_cells(d, &w.tally, &format!("{within}petugas={}", urlencode(&w.name)), false))
                }
            }
        }
    }
}

/// Each phone's last contact, the longest silent first; silent too long highlighted.
fn phones_table(d: &Dashboard) -> Markup {
    html! {
        h2 { (bi("HP petugas", "phones")) }
        p { (bi(&format!("Disorot: tidak ada kabar lebih dari {} hari.", d.round.silent_days), "highlighted: silent longer than that")) }
        table data-testid="phones" {
            tr { th { "Petugas" } th { "Perangkat" } th { "Lewat" } th { "Kontak terakhir" } th { "Hari tanpa kabar" } }
            @for c in &d.contacts {
                @let silent = c.silent_days(d.now);
                tr.flag[silent > d.round.silent_days] data-testid="phone" data-silent=(silent > d.round.silent_days) {
                    td { (c.enumerator) } td { (c.device) } td { (c.via) }
                    td { @match c.last { Some(ms) => { (d.zone.format(ms)) } None => { "belum pernah" } } }
                    td { (silent) }
                }
            }
        }
    }
}

fn round_forms(d: &Dashboard) -> Markup {
    let date = |day: Option<Date>| day.map(|d| d.to_string()).unwrap_or_default();
    html! {
        section.no-print {
            h2 { (bi("Jadwal ronde", "the round")) }
            form method="post" action=(post_action(ROUND)) {
                label for="mulai" { (bi("Tanggal mulai", "start")) }
                input id="mulai" name="mulai" type="date" value=(date(d.round.start));
                label for="batas" { (bi("Batas waktu", "deadline")) }
                input id="batas" name="batas" type="date" value=(date(d.round.deadline));
                label for="hari_diam" { (bi("Sorot HP tanpa kabar lebih dari (hari)", "highlight phones silent for more than, days")) }
                input id="hari_diam" name="hari_diam" type="number" min="1" max="365" value=(d.round.silent_days);
                label for="menit_kunjungan" { (bi("Tandai kunjungan yang lebih singkat dari (menit)", "flag visits shorter than, minutes")) }
                input id="menit_kunjungan" name="menit_kunjungan" type="number" min="0" max="240" value=(d.round.visit_minutes);
                p { button data-testid="save-round" { (bi("Simpan jadwal", "save")) } }
            }
            h2 { (bi("Target per desa", "village targets")) }
            form method="post" action=(post_action(TARGETS)) {
                label for="target" {
                    (bi("Satu desa per baris: kode desa lalu jumlah keluarga (\"-\" kembali ke jumlah prelist)", "a village per line: its code, then the number of families; - to count its prelist again"))
                }
                textarea id="target" name="target" rows="4" cols="40" placeholder="35.13.14.2001 120" {}
                p { button data-testid="save-targets" { (bi("Simpan target", "save")) } }
            }
        }
    }
}

/// A name as a query value.
fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|pair| pair[1..].to_owned())
        .unwrap_or_default()
}

pub async fn download(
    State(hub): State<Hub>,
    session: Session,
    Query(place): Query<Place>,
) -> Result<Response, PageError> {
    let d = Dashboard::load(&hub, &session, &place).await?;
    let tables = sheet::tables(
        &d.progress,
        &d.flags_by_village,
        &d.round,
        d.today,
        &d.contacts,
        d.zone,
        d.now,
    );
    // As the merged export names its files: `kemajuan-3513-20261204.xlsx`.
    let name = format!(
        "kemajuan-{}-{}.xlsx",
        area_slug(d.region.as_ref()),
        d.today.to_string().replace('-', "")
    );
    workbook(&tables.iter().collect::<Vec<_>>(), &hub.regions, &name)
}

#[derive(Deserialize)]
pub struct RoundInput {
    #[serde(default)]
    mulai: String,
    #[serde(default)]
    batas: String,
    #[serde(default)]
    hari_diam: String,
    #[serde(default)]
    menit_kunjungan: String,
}

pub async fn set_round(State(hub): State<Hub>, by: Actor, Form(input): Form<RoundInput>) -> PageResult {
    let round = round::parse(
        &input.mulai,
        &input.batas,
        &input.hari_diam,
        &input.menit_kunjungan,
    )
    .map_err(PageError::bad_request)?;
    round::set(&hub.db, &round, &by).await.map_err(round_failed)?;
    Ok(Redirect::to(PAGE).into_response())
}

#[derive(Deserialize)]
pub struct TargetsInput {
    #[serde(default)]
    target: String,
}

pub async fn set_targets(State(hub): State<Hub>, by: Actor, Form(input): Form<TargetsInput>) -> PageResult {
    let lines = round::parse_targets(&input.target).map_err(PageError::bad_request)?;
    let codes: Vec<String> = lines.iter().map(|(c, _)| c.as_str().to_owned()).collect();
    if let Some(why) = hub.regions.refuse_unknown(&codes) {
        return Err(PageError::bad_request(why));
    }
    round::set_targets(&hub.db, &lines, &by)
        .await
        .map_err(round_failed)?;
    Ok(Redirect::to(PAGE).into_response())
}

fn round_failed(e: crate::db::DbError) -> PageError {
    e.into()
}
