//! Duplicate families on the district pages (issue #21): the pairs of households that may
//! be one family, within the reader's region (`/admin/ganda`), each with what the two share
//! and a form to decide, the pairs already decided, and a household's own pairs on its page.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::{region, Form, Query};
use super::page::{bi, page};
use super::records::shown_identity;
use super::session::Session;
use crate::audit::Actor;
use crate::staff::{Account, Right};
use crate::supervision::duplicates::{self, Pair, PairDecision, ResolveError, Side, Which};
use crate::Hub;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use maud::{html, Markup};
use serde::Deserialize;
use verval_core::review::ReviewState;
use verval_core::supervision::duplicates::{MemberStatus, Resolution};

pub const PAGE: &str = "/admin/ganda";
pub const DECIDE: &str = "/admin/ganda/putuskan";

/// The most pairs one page lists; the count above them is always complete.
const PAGE_ROWS: usize = 200;

#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    wilayah: String,
    /// `diputuskan`: the pairs decided, newest first; else the open ones.
    #[serde(default)]
    status: String,
}

/// The answers the form offers, by the value it sends.
const ANSWERS: [(&str, &str, &str); 6] = [
    (
        "sama_pertama",
        "Keluarga yang sama: simpan yang pertama, tolak yang kedua",
        "same family, keep the first",
    ),
    (
        "sama_kedua",
        "Keluarga yang sama: simpan yang kedua, tolak yang pertama",
        "same family, keep the second",
    ),
    (
        "berbeda",
        "Keluarga berbeda (tidak ditanyakan lagi)",
        "different families, never asked again",
    ),
    (
        "pindah",
        "Keluarga berbeda; seorang anggota pindah",
        "different families; a member moved",
    ),
    (
        "meninggal",
        "Keluarga berbeda; seorang anggota meninggal",
        "different families; a member died",
    ),
    (
        "tercatat_ganda",
        "Keluarga berbeda; seorang anggota tercatat di keduanya",
        "different families; a member listed in both",
    ),
];

fn side_cells(side: &Side, see_identity: bool, hub: &Hub) -> Markup {
    let state = ReviewState::parse(&side.review).map_or(side.review.clone(), |s| s.label().id.to_owned());
    html! {
        @if side.in_scope {
            td { a href={ "/admin/keluarga/" (side.record_id) } { (side.head) } }
            td { (shown_identity(see_identity, &side.kk)) }
        } @else {
            td { (bi("(di luar wilayah Anda)", "outside your region")) }
            td {}
        }
        td { (hub.regions.village_label(&side.kode_desa)) }
        td { (side.enumerator) }
        td { (state) }
    }
}

fn pair_markup(n: usize, pair: &Pair, account: &Account, hub: &Hub, back: &str) -> Markup {
    let see_identity = account.role.may(Right::SeeIdentity);
    let kinds: Vec<&str> = pair.kinds.iter().map(|k| k.label().id).collect();
    html! {
        section.pair data-testid="pair" data-first=(pair.first.record_id) data-second=(pair.second.record_id)
            data-kinds=(pair.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")) {
            h3 { (bi(&format!("Pasangan {}: {}", n + 1, kinds.join("; ")), "what the two households share")) }
            table {
                tr { th {} th { "Kepala keluarga" } th { "No. KK" } th { "Desa" } th { "Petugas" } th { "Tinjauan" } }
                tr { th { "Pertama" } (side_cells(&pair.first, see_identity, hub)) }
                tr { th { "Kedua" } (side_cells(&pair.second, see_identity, hub)) }
            }
            @if let Some(resolution) = pair.resolution {
                p data-testid="pair-decision" data-decision=(resolution.code()) {
                    (resolution.label().id) " — " (pair.decided_by)
                    @if !pair.kept_id.is_empty() {
                        "; disimpan: " (if pair.kept_id == pair.first.record_id { "pertama" } else { "kedua" })
                    }
                    @if !pair.note.is_empty() { ". " (pair.note) }
                }
            } @else if pair.decidable() && account.role.may(Right::Review) {
                form method="post" action=(post_action(DECIDE)) data-testid="pair-form" {
                    input type="hidden" name="pertama" value=(pair.first.record_id);
                    input type="hidden" name="kedua" value=(pair.second.record_id);
                    input type="hidden" name="revisi_pertama" value=(pair.first.revision);
                    input type="hidden" name="revisi_kedua" value=(pair.second.revision);
                    input type="hidden" name="kembali" value=(back);
                    fieldset {
                        legend { (bi("Keputusan", "decision")) }
                        @for (value, id, en) in ANSWERS {
                            div {
                                input type="radio" name="keputusan" value=(value) id={ "keputusan_" (n) "_" (value) } required;
                                label for={ "keputusan_" (n) "_" (value) } { (id) " " span.en { (en) } }
                            }
                        }
                    }
                    label for={ "catatan_" (n) } { (bi("Catatan (untuk petugas bila ditolak)", "note, sent to the enumerator when rejected")) }
                    input id={ "catatan_" (n) } name="catatan" size="60";
                    p { button data-testid="decide-pair" { (bi("Simpan keputusan", "save the decision")) } }
                }
            } @else if pair.settled {
                p { (bi("Salah satu keluarga sudah ditolak sebagai data ganda di pasangan lain.", "one household was already rejected as a duplicate in another pair")) }
            } @else if !pair.decidable() {
                p { (bi("Satu keluarga di luar wilayah Anda: dinas kabupaten yang memutuskan.", "one household is outside your region: the regency decides")) }
            }
        }
    }
}

/// The pairs of a region: open ones to decide, or those decided.
pub async fn list(State(hub): State<Hub>, session: Session, Query(choice): Query<Choice>) -> PageResult {
    let region = region(&choice.wilayah)?;
    let which = match choice.status.trim() {
        "" => Which::Open,
        "diputuskan" => Which::Decided,
        other => {
            return Err(PageError::bad_request(format!(
                "Status {other:?} tidak dikenal (unknown status)."
            )))
        }
    };
    let account = &session.account;
    let pairs = duplicates::pairs(&hub.db, &account.scope, region.as_ref(), which).await?;
    let here = region.as_ref().map_or("", |r| r.as_str());
    let back = format!("{PAGE}?wilayah={here}");
    let body = html! {
        p {
            a href={ (super::dashboard::PAGE) "?wilayah=" (here) } { (bi("Kembali ke kemajuan", "back to progress")) }
            " · "
            @if which == Which::Open {
                a href={ (PAGE) "?status=diputuskan&wilayah=" (here) } data-testid="to-decided" { (bi("Yang sudah diputuskan", "decided pairs")) }
            } @else {
                a href={ (PAGE) "?wilayah=" (here) } { (bi("Yang belum diputuskan", "open pairs")) }
            }
        }
        p {
            (bi(
                "Hub membandingkan setiap kiriman dengan semua keluarga: satu keluarga prelist, NIK, nomor KK, atau nama dan tanggal lahir kepala keluarga di satu desa yang sama.",
                "each batch is compared with every household: one prelist family, a NIK, a KK number, or the head's name and birth date in one village",
            ))
        }
        form method="get" action=(PAGE) {
            label for="wilayah" { (bi("Wilayah (kode kecamatan atau desa)", "region code")) }
            input id="wilayah" name="wilayah" value=(here) placeholder="35.13.14";
            input type="hidden" name="status" value=(choice.status.trim());
            button { (bi("Tampilkan", "show")) }
        }
        p data-testid="pair-count" {
            (pairs.len()) " pasangan " (if which == Which::Open { "belum diputuskan" } else { "sudah diputuskan" })
            @if pairs.len() > PAGE_ROWS { " (ditampilkan " (PAGE_ROWS) " pertama)" }
        }
        h2 { (bi("Pasangan", "pairs")) }
        @for (n, pair) in pairs.iter().take(PAGE_ROWS).enumerate() {
            (pair_markup(n, pair, account, &hub, &back))
        }
    };
    Ok(page("Keluarga ganda", body))
}

/// A household's pairs, for its page.
pub async fn section(hub: &Hub, account: &Account, record_id: &str) -> Result<Markup, PageError> {
    let pairs = duplicates::pairs_of(&hub.db, record_id, &account.scope).await?;
    if pairs.is_empty() {
        return Ok(html! {});
    }
    let back = format!("/admin/keluarga/{record_id}");
    Ok(html! {
        h2 #ganda { (bi("Diduga ganda", "possible duplicates")) }
        div data-testid="household-pairs" {
            @for (n, pair) in pairs.iter().enumerate() { (pair_markup(n, pair, account, hub, &back)) }
        }
    })
}

#[derive(Deserialize)]
pub struct Decision {
    pertama: String,
    kedua: String,
    revisi_pertama: i64,
    revisi_kedua: i64,
    #[serde(default)]
    keputusan: String,
    #[serde(default)]
    catatan: String,
    #[serde(default)]
    kembali: String,
}

impl Decision {
    fn read(&self) -> Result<PairDecision, PageError> {
        let (resolution, kept) = match self.keputusan.trim() {
            "sama_pertama" => (Resolution::SameFamily, Some(self.pertama.clone())),
            "sama_kedua" => (Resolution::SameFamily, Some(self.kedua.clone())),
            "berbeda" => (Resolution::DifferentFamilies, None),
            code => match MemberStatus::parse(code) {
                Some(status) => (Resolution::Member(status), None),
                None => {
                    return Err(PageError::bad_request(
                        "Pilih keputusan untuk pasangan ini (choose a decision for this pair).",
                    ))
                }
            },
        };
        Ok(PairDecision {
            first_id: self.pertama.clone(),
            second_id: self.kedua.clone(),
            resolution,
            kept_id: kept,
            revisions: (self.revisi_pertama, self.revisi_kedua),
            note: self.catatan.clone(),
        })
    }

    /// Where to go afterwards: back to the list or the household page it came from, never
    /// elsewhere.
    fn back(&self) -> &str {
        let back = self.kembali.trim();
        let household = back
            .strip_prefix("/admin/keluarga/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        let list = back
            .strip_prefix(PAGE)
            .and_then(|q| q.strip_prefix("?wilayah="))
            .is_some_and(|code| code.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        if household || list {
            back
        } else {
            PAGE
        }
    }
}

pub async fn decide(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Form(form): Form<Decision>,
) -> PageResult {
    let decided = form.read()?;
    match duplicates::resolve(&hub.db, &session.account.scope, &decided, &by).await {
        Ok(()) => Ok(Redirect::to(form.back()).into_response()),
        Err(ResolveError::NotThere) => Err(PageError::new(
            StatusCode::NOT_FOUND,
            ResolveError::NotThere.to_string(),
        )),
        Err(
            e @ (ResolveError::AlreadyDecided { .. }
            | ResolveError::Settled
            | ResolveError::Decide(crate::households::DecideError::Stale { .. })),
        ) => Err(PageError::new(StatusCode::CONFLICT, e.to_string())),
        Err(e @ ResolveError::OutOfScope) => Err(PageError::new(StatusCode::FORBIDDEN, e.to_string())),
        Err(
            ResolveError::Invalid(why) | ResolveError::Decide(crate::households::DecideError::Invalid(why)),
        ) => Err(PageError::bad_request(why)),
        Err(ResolveError::Decide(crate::households::DecideError::NotThere)) => {
            Err(PageError::unknown_household())
        }
        Err(ResolveError::Decide(crate::households::DecideError::Db(e)) | ResolveError::Db(e)) => {
            Err(e.into())
        }
    }
}
