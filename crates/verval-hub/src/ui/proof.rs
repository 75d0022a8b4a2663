//! Proof of visit on the district pages (issue #21): the flagged households of a region
//! (`/admin/bukti`), the map of its visits (`/admin/peta`: an SVG plot in Web Mercator with
//! a scale, coloured by review state, flagged points ringed; map tiles beneath only when the
//! district configured a tile server) and a household's own flags on its page.

use super::error::{PageError, PageResult};
use super::input::{region, Query};
use super::page::{bi, page};
use super::session::Session;
use crate::regions::RegionTables;
use crate::staff::Account;
use crate::supervision::proof::{self, Checked, FlagCounts};
use crate::supervision::round;
use crate::Hub;
use axum::extract::State;
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::region::{RegionCode, KECAMATAN_DEPTH};
use verval_core::review::ReviewState;
use verval_core::supervision::flags::Flag;
use verval_core::supervision::geo::{metres_per_px, world_px, TILE_PX};

pub const LIST: &str = "/admin/bukti";
pub const MAP: &str = "/admin/peta";

/// The most households the list shows; its counts are always complete.
const LIST_ROWS: usize = 500;
/// The plot's size in pixels.
const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 600.0;
const MARGIN: f64 = 24.0;

#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    wilayah: String,
    #[serde(default)]
    tanda: String,
}

async fn load(hub: &Hub, account: &Account, region: Option<&RegionCode>) -> Result<Vec<Checked>, PageError> {
    let round = round::of(&hub.db).await?;
    Ok(proof::checked(
        &hub.db,
        &account.scope,
        region,
        &proof::rules(round.visit_minutes),
    )
    .await?)
}

fn flag_names(flags: &[Flag]) -> String {
    flags.iter().map(|f| f.label().id).collect::<Vec<_>>().join("; ")
}

/// A household's flags, for its page.
pub async fn section(
    hub: &Hub,
    account: &Account,
    record_id: &str,
    village: &str,
) -> Result<Markup, PageError> {
    let Ok(code) = RegionCode::parse(village) else {
        return Ok(html! {});
    };
    let checked = load(hub, account, Some(&code)).await?;
    let flags = checked
        .iter()
        .find(|c| c.record_id == record_id)
        .map(|c| c.flags.clone())
        .unwrap_or_default();
    Ok(html! {
        h2 { (bi("Bukti kunjungan", "proof of visit")) }
        @if flags.is_empty() {
            p.ok data-testid="proof-ok" { (bi("Tidak ada tanda: foto, lokasi dan lama kunjungan wajar.", "nothing flagged")) }
        } @else {
            ul.flag data-testid="proof-flags" {
                @for f in &flags { li data-flag=(f.code()) { (f.label().id) " " span.en { (f.label().en) } } }
            }
            p { a href={ (MAP) "?wilayah=" (village) } { (bi("Lihat di peta desa", "see on the village map")) } }
        }
    })
}

/// The flagged households of a region, optionally of one flag.
pub async fn list(State(hub): State<Hub>, session: Session, Query(choice): Query<Choice>) -> PageResult {
    let region = region(&choice.wilayah)?;
    let only = match choice.tanda.trim() {
        "" => None,
        code => Some(Flag::parse(code).ok_or_else(|| {
            PageError::bad_request(format!("Tanda {code:?} tidak dikenal (unknown flag)."))
        })?),
    };
    let checked = load(&hub, &session.account, region.as_ref()).await?;
    let flagged: Vec<&Checked> = checked
        .iter()
        .filter(|c| match only {
            Some(f) => c.flags.contains(&f),
            None => !c.flags.is_empty(),
        })
        .collect();
    let here = region.as_ref().map_or("", |r| r.as_str());
    let body = html! {
        p {
            a href={ (super::dashboard::PAGE) "?wilayah=" (here) } { (bi("Kembali ke kemajuan", "back to progress")) }
            @if !here.is_empty() { " · " a href={ (MAP) "?wilayah=" (here) } data-testid="to-map" { (bi("Peta kunjungan", "map of visits")) } }
        }
        p data-testid="flagged-count" {
            (flagged.len()) " keluarga bertanda"
            @if let Some(f) = only { ": " (f.label().id) }
            @if flagged.len() > LIST_ROWS { " (ditampilkan " (LIST_ROWS) " pertama)" }
        }
        table data-testid="flagged" {
            tr { th { "Kepala keluarga" } th { "Desa" } th { "Petugas" } th { "Tanda" } }
            @for c in flagged.iter().take(LIST_ROWS) {
                tr data-record=(c.record_id) {
                    td { a href={ "/admin/keluarga/" (c.record_id) } { (c.head) } }
                    td { (hub.regions.village_label(&c.village)) }
                    td { (c.enumerator) }
                    td { (flag_names(&c.flags)) }
                }
            }
        }
    };
    Ok(page("Bukti kunjungan", body))
}

/// The dashboard's table of flags per area; each count links to its households.
pub fn dashboard_table(
    flags_by_village: &[(String, FlagCounts)],
    depth: usize,
    regions: &RegionTables,
) -> Markup {
    html! {
        h2 { (bi("Bukti kunjungan", "proof of visit")) }
        table data-testid="proof" {
            tr {
                th { "Wilayah" }
                @for f in Flag::ALL { th { (f.label().id) } }
                th { "Keluarga bertanda" }
                th { "Peta" }
            }
            @for (code, counts) in crate::supervision::summed_by_area(flags_by_village.iter().map(|(v, n)| (v.as_str(), *n)), depth) {
                tr data-testid="proof-area" data-code=(code) {
                    td { (regions.area_label(&code)) }
                    @for (f, n) in Flag::ALL.iter().zip(counts.per_flag) {
                        td data-flag=(f.code()) { a href={ (LIST) "?wilayah=" (code) "&tanda=" (f.code()) } { (n) } }
                    }
                    td { a href={ (LIST) "?wilayah=" (code) } data-testid="flagged-any" { (counts.any) } }
                    td { a href={ (MAP) "?wilayah=" (code) } { "peta" } }
                }
            }
        }
    }
}

/// A review state's colour on the map, and its name for the legend.
fn colour(review: &str) -> &'static str {
    match ReviewState::parse(review) {
        Some(ReviewState::Decided(verval_core::review::Decision::Disetujui)) => "#1a7f37",
        Some(ReviewState::Decided(verval_core::review::Decision::PerluPerbaikan)) => "#d97706",
        Some(ReviewState::Decided(verval_core::review::Decision::Ditolak)) => "#b91c1c",
        Some(ReviewState::TinjauUlang) => "#7c3aed",
        _ => "#2563eb",
    }
}

/// A round length for the scale bar: the largest of 1, 2, 5 × 10ⁿ metres within `most`.
fn scale_length(most: f64) -> f64 {
    let mut best = 1.0;
    for exp in 0..7 {
        for step in [1.0, 2.0, 5.0] {
            let length = step * 10f64.powi(exp);
            if length <= most {
                best = length;
            }
        }
    }
    best
}

fn metres_text(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", m / 1000.0)
    } else {
        format!("{m} m")
    }
}

/// The map of a kecamatan's or a village's visits.
pub async fn map(State(hub): State<Hub>, session: Session, Query(choice): Query<Choice>) -> PageResult {
    // A kecamatan's houses make a readable plot; a whole regency's would not.
    let Some(region) = region(&choice.wilayah)?.filter(|r| r.as_str().split('.').count() >= KECAMATAN_DEPTH)
    else {
        return Err(PageError::bad_request(
            "Pilih kecamatan atau desa untuk peta (choose a kecamatan or a village for the map).",
        ));
    };
    let checked = load(&hub, &session.account, Some(&region)).await?;
    let located: Vec<&Checked> = checked.iter().filter(|c| c.evidence.point.is_some()).collect();
    let unlocated = checked.len() - located.len();
    let title = format!(
        "Peta kunjungan · {}",
        hub.regions
            .name(region.as_str())
            .unwrap_or_else(|| region.as_str().to_owned())
    );
    let body = html! {
        p { a href={ (super::dashboard::PAGE) "?wilayah=" (region.as_str()) } { (bi("Kembali ke kemajuan", "back to progress")) } }
        p data-testid="map-summary" {
            (located.len()) " keluarga di peta; " (unlocated) " tanpa titik lokasi."
            " " span.en { (located.len()) " on the map, " (unlocated) " without a location" }
        }
        @if located.is_empty() {
            p { (bi("Belum ada titik lokasi di wilayah ini.", "no locations here yet")) }
        } @else {
            (plot(&located, hub.config.map_tiles.as_ref()))
            (legend())
        }
    };
    Ok(page(&title, body))
}

fn legend() -> Markup {
    let states = [
        ReviewState::Menunggu,
        ReviewState::Decided(verval_core::review::Decision::Disetujui),
        ReviewState::Decided(verval_core::review::Decision::PerluPerbaikan),
        ReviewState::Decided(verval_core::review::Decision::Ditolak),
        ReviewState::TinjauUlang,
    ];
    html! {
        ul data-testid="map-legend" {
            @for s in states {
                li { span style={ "color:" (colour(s.code())) } { "●" } " " (s.label().id) }
            }
            li { span style="color:#111" { "◎" } " " (bi("bertanda: lihat Bukti kunjungan", "flagged")) }
        }
    }
}

/// The zoom at which every point fits the plot. Web Mercator keeps north above south and
/// west left of east, so the box of the points in degrees is the box on the map.
fn fitting_zoom(points: &[(f64, f64)]) -> u8 {
    let (south, north, west, east) = bounds(points);
    let mut zoom = 19u8;
    while zoom > 0 {
        let (w, h) = span(&[world_px((south, west), zoom), world_px((north, east), zoom)]);
        if w <= WIDTH - 2.0 * MARGIN && h <= HEIGHT - 2.0 * MARGIN {
            break;
        }
        zoom -= 1;
    }
    zoom
}

fn span(px: &[(f64, f64)]) -> (f64, f64) {
    let (min_x, max_x, min_y, max_y) = bounds(px);
    (max_x - min_x, max_y - min_y)
}

fn bounds(px: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    px.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), (x, y)| (a.min(*x), b.max(*x), c.min(*y), d.max(*y)),
    )
}

/// The SVG: tiles (when configured), the points, the scale bar.
fn plot(located: &[&Checked], tiles: Option<&crate::MapTiles>) -> Markup {
    let degrees: Vec<(f64, f64)> = located
        .iter()
        .filter_map(|c| c.evidence.point.map(|p| p.degrees()))
        .collect();
    let zoom = fitting_zoom(&degrees);
    let px: Vec<(f64, f64)> = degrees.iter().map(|p| world_px(*p, zoom)).collect();
    let (min_x, max_x, min_y, max_y) = bounds(&px);
    // The plot's top-left corner in world pixels, the points centred.
    let left = (min_x + max_x) / 2.0 - WIDTH / 2.0;
    let top = (min_y + max_y) / 2.0 - HEIGHT / 2.0;
    let middle_lat = degrees.iter().map(|p| p.0).sum::<f64>() / degrees.len() as f64;
    let per_px = metres_per_px(middle_lat, zoom);
    let length = scale_length(per_px * WIDTH / 4.0);
    let bar = length / per_px;
    let tile_images: Vec<(String, f64, f64)> = match tiles {
        None => Vec::new(),
        Some(t) => {
            let first = ((left / TILE_PX).floor() as i64, (top / TILE_PX).floor() as i64);
            let last = (
                ((left + WIDTH) / TILE_PX).floor() as i64,
                ((top + HEIGHT) / TILE_PX).floor() as i64,
            );
            let mut images = Vec::new();
            for x in first.0..=last.0 {
                for y in first.1..=last.1 {
                    images.push((
                        t.url(zoom, x, y),
                        x as f64 * TILE_PX - left,
                        y as f64 * TILE_PX - top,
                    ));
                }
            }
            images
        }
    };
    html! {
        svg data-testid="map" data-zoom=(zoom) viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } width=(WIDTH) height=(HEIGHT)
            role="group" aria-label="Peta titik kunjungan" style="max-width:100%;height:auto;background:#eef2ee;border:1px solid #c9cfcb" {
            @for (href, x, y) in &tile_images {
                image href=(href) x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(TILE_PX) height=(TILE_PX) {}
            }
            @for (c, (x, y)) in located.iter().zip(&px) {
                a href={ "/admin/keluarga/" (c.record_id) } {
                    circle data-testid="map-point" data-record=(c.record_id) data-flagged=(!c.flags.is_empty())
                        cx=(format!("{:.1}", x - left)) cy=(format!("{:.1}", y - top))
                        r=(if c.flags.is_empty() { "5" } else { "7" }) fill=(colour(&c.review))
                        stroke=(if c.flags.is_empty() { "#fff" } else { "#111" })
                        stroke-width=(if c.flags.is_empty() { "1" } else { "3" }) {
                        title { (c.head) @if !c.flags.is_empty() { " — " (flag_names(&c.flags)) } }
                    }
                }
            }
            g data-testid="map-scale" {
                line x1="16" y1=(HEIGHT - 16.0) x2=(format!("{:.1}", 16.0 + bar)) y2=(HEIGHT - 16.0) stroke="#111" stroke-width="3" {}
                text x="16" y=(HEIGHT - 22.0) font-size="13" { (metres_text(length)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_is_a_round_length() {
        assert_eq!(scale_length(730.0), 500.0);
        assert_eq!(scale_length(1999.0), 1000.0);
        assert_eq!(scale_length(25_000.0), 20_000.0);
        assert_eq!(metres_text(2000.0), "2 km");
        assert_eq!(metres_text(500.0), "500 m");
    }
}
