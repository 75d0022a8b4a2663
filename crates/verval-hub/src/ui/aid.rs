//! "Bantuan" (issue #24): the TKPK's aid recap for the reader's region — per kecamatan, then
//! per desa within one — with coverage per programme and per funding source, printable and
//! as a workbook (the counting is `crate::aid`'s; no family is named there); and one family's
//! ledger on its page — received, proposed, still waiting, delivered — with the form that
//! records aid delivered after the round.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::{region, Form, Query};
use super::page::{area_slug, bi, page, workbook};
use super::records::load;
use super::session::Session;
use crate::aid::{recap, AidRecap, Recorded};
use crate::audit::Actor;
use crate::regions::RegionTables;
use crate::staff::Right;
use crate::time_zone::TimeZone;
use crate::Hub;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;
use verval_core::aid::ledger::{Delivery, FamilyAid, Recap};
use verval_core::aid::programmes::{DistrictProgramme, Programmes};
use verval_core::export::{ColumnKind, Table};
use verval_core::form::default::FUNDING;
use verval_core::region::{RegionCode, KECAMATAN_DEPTH};
use verval_core::HouseholdRecord;

pub const PAGE: &str = "/admin/bantuan";
pub const WORKBOOK: &str = "/admin/bantuan.xlsx";

#[derive(Deserialize, Default)]
pub struct Place {
    #[serde(default)]
    pub(super) wilayah: String,
}

/// The counts of a recap row: `(column id, Indonesian heading, English)`, in order.
const COUNTS: [(&str, &str, &str); 5] = [
    ("keluarga", "Keluarga diverifikasi", "verified families"),
    ("miskin_ekstrem", "Miskin ekstrem", "extremely poor"),
    (
        "miskin_ekstrem_tanpa_bantuan",
        "Miskin ekstrem tanpa bantuan apa pun",
        "extremely poor with no aid",
    ),
    (
        "usulan_menunggu",
        "Keluarga dengan usulan yang belum diterima",
        "families with a proposal still waiting",
    ),
    (
        "miskin_ekstrem_menunggu",
        "Miskin ekstrem dengan usulan menunggu",
        "extremely poor, proposal waiting",
    ),
];

fn counts(r: &Recap) -> [u32; 5] {
    [
        r.families,
        r.extreme_poor,
        r.extreme_poor_without_aid,
        r.proposed_waiting,
        r.extreme_poor_waiting,
    ]
}

/// The rows a region's page lists: its kecamatan, or the desa of one kecamatan or desa.
fn rows<'r>(recap: &'r AidRecap, region: Option<&RegionCode>) -> (&'static str, &'r BTreeMap<String, Recap>) {
    match region {
        Some(r) if r.as_str().split('.').count() > KECAMATAN_DEPTH - 1 => ("Desa", &recap.desa),
        _ => ("Kecamatan", &recap.kecamatan),
    }
}

fn funding_label(code: &str) -> String {
    FUNDING
        .iter()
        .find(|c| c.code == code)
        .map_or(code.to_owned(), |c| c.label.id.to_owned())
}

/// The region asked for and its recap, as the reader may see it (the page and its workbook).
async fn load_recap(
    hub: &Hub,
    session: &Session,
    place: &Place,
) -> Result<(Option<RegionCode>, AidRecap), PageError> {
    let region = region(&place.wilayah)?;
    let recap = recap(
        &hub.db,
        region.as_ref(),
        &session.account.scope,
        hub.config.time_zone.today(),
    )
    .await
    .map_err(|e| PageError::internal(e.to_string()))?;
    Ok((region, recap))
}

pub async fn show(State(hub): State<Hub>, session: Session, Query(place): Query<Place>) -> PageResult {
    let (region, recap) = load_recap(&hub, &session, &place).await?;
    let district = crate::aid::district_programmes(&hub.db).await?;
    let known = Programmes::new(&district);
    let here = region.as_ref().map_or(String::new(), |r| r.as_str().to_owned());
    let total = &recap.total;
    let (level, by_area) = rows(&recap, region.as_ref());
    let body = html! {
        p data-testid="aid-total" data-families=(total.families) data-extreme-poor=(total.extreme_poor)
            data-without-aid=(total.extreme_poor_without_aid) data-waiting=(total.proposed_waiting) {
            strong { (total.extreme_poor_without_aid) } " dari " strong { (total.extreme_poor) }
            " keluarga miskin ekstrem belum menerima bantuan apa pun; " (total.proposed_waiting)
            " keluarga masih menunggu bantuan yang diusulkan (dari " (total.families) " keluarga diverifikasi)."
            br; span.en { "extremely poor families with no aid at all, of all extremely poor; families whose proposed aid has not come; of all verified" }
        }
        p.no-print {
            a href={ (WORKBOOK) "?wilayah=" (here) } data-testid="aid-xlsx" { (bi("Unduh XLSX untuk rapat TKPK", "download for the TKPK meeting")) }
            " · " (bi("Cetak halaman ini dengan Ctrl+P.", "print with Ctrl+P"))
        }
        (area_table(level, by_area, &hub.regions))
        (unserved_list(&recap, region.as_ref(), &hub.regions, known))
        h2 { (bi("Cakupan per program", "coverage per programme")) }
        table data-testid="aid-programmes" {
            tr { th { "Program" } th { "Keluarga penerima" } }
            @for (code, n) in &total.by_programme {
                tr data-programme=(code) { td { (known.label(code)) } td { (n) } }
            }
        }
        h2 { (bi("Cakupan per sumber dana", "coverage per funding source")) }
        table data-testid="aid-funding" {
            tr { th { "Sumber dana" } th { "Keluarga penerima" } }
            @for (code, n) in &total.by_funding {
                tr data-funding=(code) { td { (funding_label(code)) } td { (n) } }
            }
        }
        p.muted {
            (bi("Dihitung dari versi terakhir setiap keluarga: bantuan yang sudah diterima (bagian G) dan yang diusulkan (bagian H).",
                "counted from each household's current version: aid received (section G) and proposed (section H)"))
        }
        @if session.account.role.may(Right::RecordAid) { (super::siks_results::section(&here)) }
        (district_section(&district, session.account.role.may(Right::ManageRound)))
    };
    Ok(page("Bantuan keluarga miskin ekstrem", body))
}

/// Who the extremely poor families with no aid are: by name within a desa (the head's name,
/// which every reader of households may see), by count per desa above it.
fn unserved_list(
    recap: &AidRecap,
    region: Option<&RegionCode>,
    regions: &RegionTables,
    known: Programmes<'_>,
) -> Markup {
    let in_desa = region.is_some_and(|r| r.as_str().split('.').count() > KECAMATAN_DEPTH);
    html! {
        h2 #tanpa-bantuan { (bi("Keluarga miskin ekstrem yang belum menerima bantuan apa pun", "extremely poor families with no aid at all")) }
        @if recap.without_aid.is_empty() {
            p data-testid="unserved-none" { (bi("Tidak ada.", "none")) }
        } @else if in_desa {
            table data-testid="unserved" {
                tr { th { "Kepala keluarga" } th { (bi("Usulan yang masih menunggu", "proposals still waiting")) } }
                @for u in &recap.without_aid {
                    tr data-record=(u.record_id) {
                        td { a href={ "/admin/keluarga/" (u.record_id) } { (u.head) } }
                        td {
                            @if u.waiting.is_empty() { span.bad { (bi("belum diusulkan", "nothing proposed")) } }
                            @for (i, p) in u.waiting.iter().enumerate() { @if i > 0 { ", " } (known.label(p)) }
                        }
                    }
                }
            }
        } @else {
            p.muted { (bi("Pilih desa di tabel atas untuk melihat nama keluarganya.", "choose a village above to see the families' names")) }
            ul data-testid="unserved-by-desa" {
                @for (desa, count) in count_by_desa(&recap.without_aid) {
                    li { a href={ (PAGE) "?wilayah=" (desa) "#tanpa-bantuan" } { (regions.area_label(desa)) } ": " (count) " keluarga" }
                }
            }
        }
    }
}

fn count_by_desa(unserved: &[crate::aid::Unserved]) -> BTreeMap<&str, usize> {
    let mut by = BTreeMap::new();
    for u in unserved {
        *by.entry(u.kode_desa.as_str()).or_default() += 1;
    }
    by
}

fn area_table(level: &str, by_area: &BTreeMap<String, Recap>, regions: &RegionTables) -> Markup {
    html! {
        table data-testid="aid-areas" {
            tr { th { (level) } @for (_, id, en) in COUNTS { th { (id) " " span.en { "(" (en) ")" } } } }
            @for (code, r) in by_area {
                tr data-area=(code) {
                    td { a href={ (PAGE) "?wilayah=" (code) } { (regions.area_label(code)) } }
                    @for n in counts(r) { td { (n) } }
                }
            }
        }
    }
}

/// The same numbers as sheets: the areas, the programmes, the funding sources.
fn tables(recap: &AidRecap, known: Programmes<'_>) -> Vec<Table> {
    let area_sheet =
        |name: &'static str, column: &'static str, label: &'static str, by: &BTreeMap<String, Recap>| {
            let mut columns = vec![(column, label, ColumnKind::Region)];
            columns.extend(
                COUNTS
                    .iter()
                    .map(|(id, heading, _)| (*id, *heading, ColumnKind::Whole)),
            );
            let mut table = Table::new(name, &columns);
            for (code, r) in by {
                let mut row = vec![code.clone()];
                row.extend(counts(r).iter().map(u32::to_string));
                table.rows.push(row);
            }
            table
        };
    let coverage = |name: &'static str, label: &dyn Fn(&str) -> String, by: &BTreeMap<String, u32>| {
        let mut table = Table::new(
            name,
            &[
                ("kode", "Kode", ColumnKind::Text),
                ("nama", "Nama", ColumnKind::Text),
                ("keluarga", "Keluarga penerima", ColumnKind::Whole),
            ],
        );
        for (code, n) in by {
            table.rows.push(vec![code.clone(), label(code), n.to_string()]);
        }
        table
    };
    vec![
        area_sheet("kecamatan", "kode_kecamatan", "Kecamatan", &recap.kecamatan),
        area_sheet("desa", "kode_desa", "Desa", &recap.desa),
        coverage("program", &|code| known.label(code), &recap.total.by_programme),
        coverage("sumber_dana", &funding_label, &recap.total.by_funding),
    ]
}

pub async fn download(
    State(hub): State<Hub>,
    session: Session,
    Query(place): Query<Place>,
) -> Result<Response, PageError> {
    let (region, recap) = load_recap(&hub, &session, &place).await?;
    let district = crate::aid::district_programmes(&hub.db).await?;
    let tables = tables(&recap, Programmes::new(&district));
    let sheets: Vec<&Table> = tables.iter().collect();
    workbook(
        &sheets,
        &hub.regions,
        &format!("bantuan-{}.xlsx", area_slug(region.as_ref())),
    )
}

/// What a family's ledger section needs beside its record.
pub(super) struct Ledger<'a> {
    pub id: &'a str,
    /// The programmes the district added, beside the form's.
    pub programmes: Vec<DistrictProgramme>,
    pub recorded: Vec<Recorded>,
    pub may_record: bool,
    pub time_zone: TimeZone,
}

fn aid_list(aid: &[(String, String)], known: Programmes<'_>) -> Markup {
    html! {
        @if aid.is_empty() { (bi("tidak ada", "none")) }
        @for (i, (programme, funding)) in aid.iter().enumerate() {
            @if i > 0 { ", " }
            (known.label(programme)) " (" (funding_label(funding)) ")"
        }
    }
}

/// One family's aid: what it said it receives, what was proposed and still waits, and what
/// was delivered since; the form for `Right::RecordAid`.
pub(super) fn family_section(record: &HouseholdRecord, ledger: &Ledger<'_>) -> Markup {
    let delivered: Vec<Delivery> = ledger.recorded.iter().map(|r| r.delivery.clone()).collect();
    let family = FamilyAid::of(record, delivered, ledger.time_zone.today());
    let received: Vec<(String, String)> = family
        .received
        .iter()
        .map(|a| (a.programme.clone(), a.funding.clone()))
        .collect();
    let waiting = family.waiting();
    let action = post_action(&format!("/admin/keluarga/{}/bantuan", ledger.id));
    let known = Programmes::new(&ledger.programmes);
    html! {
        h2 #bantuan { (bi("Bantuan keluarga", "the family's aid")) }
        dl data-testid="family-aid" data-without-aid=(family.without_aid()) data-waiting=(waiting.len()) {
            dt { (bi("Diterima saat verval (bagian G)", "received at the visit")) } dd { (aid_list(&received, known)) }
            dt { (bi("Diusulkan (bagian H)", "proposed")) }
            dd { @for (i, p) in family.proposed.iter().enumerate() { @if i > 0 { ", " } (known.label(p)) } }
            dt { (bi("Usulan yang belum diterima", "proposed, not received yet")) }
            dd data-testid="aid-waiting" { @if waiting.is_empty() { (bi("tidak ada", "none")) } @for (i, p) in waiting.iter().enumerate() { @if i > 0 { ", " } (known.label(p)) } }
        }
        h3 { (bi("Bantuan tersalur setelah verval", "aid delivered since")) }
        @if ledger.recorded.is_empty() {
            p.muted data-testid="no-deliveries" { (bi("Belum ada yang dicatat.", "none recorded")) }
        } @else {
            table data-testid="deliveries" {
                tr { th { "Tanggal" } th { "Program" } th { "Sumber dana" } th { "Catatan" } th { "Dicatat" } }
                @for r in &ledger.recorded {
                    tr data-programme=(r.delivery.aid.programme) {
                        td { (r.delivery.date) } td { (known.label(&r.delivery.aid.programme)) }
                        td { (funding_label(&r.delivery.aid.funding)) } td { (r.note) }
                        td { (ledger.time_zone.format(r.recorded_at)) " · " (r.recorded_by) }
                    }
                }
            }
        }
        @if ledger.may_record {
            form method="post" action=(action) data-testid="delivery-form" {
                label for="program" { (bi("Program", "programme")) }
                select #program name="program" {
                    @for (code, label) in known.all() { option value=(code) { (label) } }
                }
                label for="sumber_dana" { (bi("Sumber dana (kosong: sumber yang biasa)", "funding source; empty: the usual one")) }
                select #sumber_dana name="sumber_dana" {
                    option value="" { "—" }
                    @for c in FUNDING { option value=(c.code) { (c.label.id) } }
                }
                label for="tanggal_salur" { (bi("Tanggal tersalur (YYYY-MM-DD)", "day delivered")) }
                input #tanggal_salur name="tanggal_salur" type="date";
                label for="catatan_salur" { (bi("Catatan", "note")) }
                input #catatan_salur name="catatan_salur";
                button data-testid="record-delivery" { (bi("Catat bantuan tersalur", "record the delivery")) }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct Delivered {
    program: String,
    #[serde(default)]
    sumber_dana: String,
    tanggal_salur: String,
    #[serde(default)]
    catatan_salur: String,
}

/// Records aid delivered to a household after the round.
pub async fn deliver(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(posted): Form<Delivered>,
) -> PageResult {
    // The household must be the reader's to see.
    load(&hub, &id, &session.account.scope).await?;
    let today = hub.config.time_zone.today();
    let district = crate::aid::district_programmes(&hub.db).await?;
    let delivery = Delivery::read(
        &posted.program,
        &posted.sumber_dana,
        &posted.tanggal_salur,
        &posted.catatan_salur,
        Programmes::new(&district),
        today,
    )
    .map_err(PageError::bad_request)?;
    crate::aid::add_delivery(&hub.db, &id, &delivery, &posted.catatan_salur, &by).await?;
    Ok(Redirect::to(&format!("/admin/keluarga/{id}#bantuan")).into_response())
}

pub const PROGRAMMES_PAGE: &str = "/admin/bantuan/program";

/// The programmes the district added, and the form to add one (for `Right::ManageRound`).
fn district_section(district: &[DistrictProgramme], may_add: bool) -> Markup {
    html! {
        h2 #program-daerah { (bi("Program bantuan daerah", "the district's own programmes")) }
        p.muted { (bi("Program di luar daftar formulir (misalnya bantuan bupati, zakat desa), untuk mencatat bantuan tersalur; rekap menghitungnya.",
                      "programmes beyond the form's list, for aid delivered; the recap counts them")) }
        @if district.is_empty() {
            p data-testid="district-programmes-none" { (bi("Belum ada.", "none yet")) }
        } @else {
            table data-testid="district-programmes" {
                tr { th { "Kode" } th { "Nama" } th { "Sumber dana" } }
                @for p in district { tr data-programme=(p.code) { td { code { (p.code) } } td { (p.label) } td { (funding_label(&p.funding)) } } }
            }
        }
        @if may_add {
            form method="post" action=(post_action(PROGRAMMES_PAGE)) data-testid="district-programme-form" {
                label for="kode_program" { (bi("Kode (huruf besar, angka, _)", "code")) }
                input #kode_program name="kode_program" required maxlength="24";
                label for="nama_program" { (bi("Nama program", "name")) }
                input #nama_program name="nama_program" required maxlength="100";
                label for="sumber_dana_program" { (bi("Sumber dana", "funding source")) }
                select #sumber_dana_program name="sumber_dana_program" {
                    @for c in FUNDING { option value=(c.code) { (c.label.id) } }
                }
                button data-testid="add-district-programme" { (bi("Tambah program", "add the programme")) }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct NewProgramme {
    kode_program: String,
    nama_program: String,
    sumber_dana_program: String,
}

/// Adds a programme to the district's list.
pub async fn add_programme(
    State(hub): State<Hub>,
    by: Actor,
    Form(posted): Form<NewProgramme>,
) -> PageResult {
    let district = crate::aid::district_programmes(&hub.db).await?;
    let programme = DistrictProgramme::read(
        &posted.kode_program,
        &posted.nama_program,
        &posted.sumber_dana_program,
        &district,
    )
    .map_err(PageError::bad_request)?;
    crate::aid::add_programme(&hub.db, &programme, &by).await?;
    Ok(Redirect::to(&format!("{PAGE}#program-daerah")).into_response())
}
