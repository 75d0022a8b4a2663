//! Giving a village that another enumerator already has (issue #21): the page asks, per
//! such village, whether both take it whole or it is split — by RW or by family — before
//! the enumerator is added; nothing is assigned twice without a word.

use super::error::{database_failed, PageError};
use super::guard::post_action;
use super::page::{bi, page};
use crate::enrol::Holder;
use crate::Hub;
use axum::response::Response;
use maud::{html, Markup};
use std::collections::{BTreeMap, HashMap};
use verval_core::campaign::share::{rw_number, Cut, Share};

/// The form field that says the district answered the question for every held village.
pub const CONFIRMED: &str = "konfirmasi";

/// The choice for village `code`: `bersama`, `rw` or `keluarga`.
fn choice_name(code: &str) -> String {
    format!("bagi_{code}")
}

fn items_name(cut: Cut, code: &str) -> String {
    match cut {
        Cut::Rw => format!("rw_{code}"),
        Cut::Families => format!("keluarga_{code}"),
    }
}

/// The new enumerator's share of each held village, as the confirmation page sent it;
/// `None` when it was not sent yet (ask first).
pub fn shares_from(
    form: &HashMap<String, String>,
    held: &BTreeMap<String, Vec<Holder>>,
) -> Result<Option<BTreeMap<String, Share>>, PageError> {
    if held.is_empty() {
        return Ok(Some(BTreeMap::new()));
    }
    if !form.contains_key(CONFIRMED) {
        return Ok(None);
    }
    let get = |name: &str| form.get(name).map_or("", |v| v.trim());
    let mut shares = BTreeMap::new();
    for village in held.keys() {
        let cut = match get(&choice_name(village)) {
            "bersama" => {
                shares.insert(village.clone(), Share::Whole);
                continue;
            }
            "rw" => Cut::Rw,
            "keluarga" => Cut::Families,
            _ => {
                return Err(PageError::bad_request(format!(
                    "Desa {village}: pilih bersama, bagi per RW, atau bagi per keluarga (choose how to share the village)."
                )))
            }
        };
        let typed = get(&items_name(cut, village));
        let items: Vec<&str> = typed.split([',', '\n', ' ', ';']).collect();
        let share = Share::only(cut, &items)
            .map_err(|why| PageError::bad_request(format!("Desa {village}: {why}.")))?;
        shares.insert(village.clone(), share);
    }
    Ok(Some(shares))
}

/// A village's listed families by RW, to choose a split from: `RW 1 (12 keluarga)`.
pub async fn rw_counts(hub: &Hub, village: &str) -> Result<String, PageError> {
    let families = crate::prelist::families_of(&hub.db, &[village.to_owned()])
        .await
        .map_err(|e| database_failed(&e))?;
    let mut by_rw: BTreeMap<String, usize> = BTreeMap::new();
    for f in &families {
        // Counted as a split compares RWs; a family with none (or not a number) is "-".
        *by_rw
            .entry(rw_number(&f.rw).unwrap_or_else(|| "-".to_owned()))
            .or_default() += 1;
    }
    Ok(by_rw
        .iter()
        .map(|(rw, n)| format!("RW {rw} ({n} keluarga)"))
        .collect::<Vec<_>>()
        .join(", "))
}

fn village_question(code: &str, label: &str, holders: &[Holder], rws: &str) -> Markup {
    let holders: Vec<String> = holders
        .iter()
        .map(|h| format!("{} ({})", h.name, h.share.describe()))
        .collect();
    let choice = choice_name(code);
    let option = |value: &str, id: &str, en: &str| {
        let input_id = format!("{choice}_{value}");
        html! {
            div {
                input type="radio" name=(choice) value=(value) id=(input_id) required;
                label for=(input_id) { (id) " " span.en { (en) } }
            }
        }
    };
    html! {
        fieldset data-testid="held-village" data-code=(code) {
            legend { (label) " sudah ditugaskan ke " (holders.join(", ")) }
            @if !rws.is_empty() { p { "Prelist desa ini: " (rws) } }
            (option("bersama", "Bersama: keduanya mendapat seluruh desa", "both get the whole village"))
            (option("rw", "Bagi per RW: petugas baru mendapat RW di bawah, yang lama sisanya", "split by RW"))
            label for=(items_name(Cut::Rw, code)) { (bi("RW untuk petugas baru (mis. 1, 3)", "RWs for the new enumerator")) }
            input id=(items_name(Cut::Rw, code)) name=(items_name(Cut::Rw, code)) size="30";
            (option("keluarga", "Bagi per keluarga: petugas baru mendapat keluarga di bawah, yang lama sisanya", "split by family"))
            label for=(items_name(Cut::Families, code)) { (bi("ID prelist keluarga untuk petugas baru", "prelist ids for the new enumerator")) }
            textarea id=(items_name(Cut::Families, code)) name=(items_name(Cut::Families, code)) rows="2" cols="40" {}
        }
    }
}

/// The question, with the rest of the form carried along.
pub async fn ask(
    hub: &Hub,
    name: &str,
    villages: &str,
    held: &BTreeMap<String, Vec<Holder>>,
) -> Result<Response, PageError> {
    let mut questions = Vec::new();
    for (code, holders) in held {
        let rws = rw_counts(hub, code).await?;
        questions.push(village_question(
            code,
            &hub.regions.village_label(code),
            holders,
            &rws,
        ));
    }
    let body = html! {
        p data-testid="village-held" {
            (bi(
                "Desa berikut sudah punya petugas. Tentukan pembagiannya agar satu keluarga tidak dikunjungi dua kali.",
                "these villages already have an enumerator: say how to share them so no family is visited twice",
            ))
        }
        form method="post" action=(post_action("/admin/petugas")) {
            input type="hidden" name="nama" value=(name);
            input type="hidden" name="desa" value=(villages);
            input type="hidden" name=(CONFIRMED) value="1";
            @for q in questions { (q) }
            p { button data-testid="confirm-share" { (bi("Tambah petugas dengan pembagian ini", "add the enumerator with these shares")) } }
        }
        p { a href="/admin/petugas" { (bi("Batal", "cancel")) } }
    };
    Ok(page("Desa sudah ditugaskan", body))
}
