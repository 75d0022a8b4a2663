//! The cross-field rules of the default form (spec §1.11 and the rule columns of §1.2–1.9):
//! what relevance and requirement cannot say. Rules 3, 4, 5 and 8 of §1.11 (conditional
//! fields, pregnancy, caregiver, age windows) are the questions' relevance and requirement,
//! and rule 2 holds by construction (`jumlah_art` is calculated).

use super::a_identity::{JUMLAH_ART, PRELIST_DESIL, PRELIST_ID, PRELIST_SOURCE, REGION_CASCADE};
use super::b_visit::{TANGGAL_KUNJUNGAN, TANGGAL_PEMERIKSAAN};
use super::c_outcome::{NOT_VISITABLE, STATUS_VERIFIKASI};
use super::d_members::*;
use super::e_housing::{
    BAHAN_BAKAR_MASAK, DAYA_LISTRIK, DAYA_TERPASANG, LUAS_LANTAI, LUAS_LANTAI_PER_KAPITA, SUMBER_PENERANGAN,
};
use super::f_assets::{ASET_MOBIL, ASET_TABUNG_GAS, ELECTRIC_ASSETS};
use super::g_aid::{
    BANTUAN, BULAN_TERAKHIR, INDIVIDUAL_PROGRAMMES, MENERIMA_BANTUAN, PENERIMA_ART, PROGRAM, TAHUN_TERAKHIR,
};
use super::h_decision::{BANTUAN_DIUSULKAN, PROPOSE_NEW, REKOMENDASI};
use crate::fields::NOMOR_KK;
use crate::form::cond::Values;
use crate::form::model::Rule;
use crate::form::rules::RuleInput;
use crate::form::scope::Scope;
use crate::form::validate::{parse_date, parse_partial_date};
use crate::nik::{check_nik, NikSex};
use crate::record::Row;
use crate::region::{check_cascade, CascadeProblem};
use crate::validate::{Issue, IssueKind, RowRef};

pub(super) static RULES: [Rule; 11] = [
    region_cascade,
    heads_and_spouses,
    member_niks,
    family_card_elsewhere,
    member_ages,
    outcome_and_prelist,
    visit_dates,
    gas_and_electricity,
    housing_plausibility,
    aid_rows,
    proposals,
];

/// Sections D–G are asked (the family was found, moved within the village, or is new).
fn visited(family: &Scope<'_>) -> bool {
    !NOT_VISITABLE.holds(family)
}

/// Members living with the family, with their row reference.
fn living<'a>(family: &Scope<'a>) -> impl Iterator<Item = (RowRef, &'a Row)> {
    family.rows(ART).iter().enumerate().filter_map(|(index, row)| {
        LIVING_CODES
            .contains(&row.answers.get(STATUS_KEBERADAAN_ART))
            .then_some((row_ref(ART, row, index), row))
    })
}

fn row_ref(repeat: crate::ids::FieldId, row: &Row, index: usize) -> RowRef {
    RowRef {
        repeat,
        key: row.key,
        position: index + 1,
    }
}

fn relation(row: &Row) -> &str {
    row.answers.get(HUBUNGAN_KK)
}

/// The programme of an aid row, and its beneficiary when it is for one person.
fn aid_identity(row: &Row) -> (&str, &str) {
    let programme = row.answers.get(PROGRAM);
    let person = if INDIVIDUAL_PROGRAMMES.contains(&programme) {
        row.answers.get(PENERIMA_ART)
    } else {
        ""
    };
    (programme, person)
}

fn age(row: &Row) -> Option<i64> {
    row.answers.get(UMUR).trim().parse().ok()
}

/// Each of province, regency, district and village lies inside the one above it.
fn region_cascade(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let answers = REGION_CASCADE.map(|f| input.record.answers.get(f).trim());
    for problem in check_cascade(answers) {
        if let CascadeProblem::OutsideParent(level) = problem {
            out.push(Issue::error(
                REGION_CASCADE[level as usize],
                IssueKind::OutsideParentRegion,
            ));
        }
    }
}

/// Rule 1: exactly one head of family and at most one spouse among the members living here.
fn heads_and_spouses(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !visited(&family) || family.rows(ART).is_empty() {
        return;
    }
    let with = |code: &str| -> Vec<RowRef> {
        living(&family)
            .filter(|(_, r)| r.answers.get(HUBUNGAN_KK) == code)
            .map(|(at, _)| at)
            .collect()
    };
    let heads = with("1");
    match heads.len() {
        1 => {}
        0 => out.push(Issue::error(HUBUNGAN_KK, IssueKind::HeadCount { found: 0 })),
        found => out.extend(
            heads
                .iter()
                .map(|at| Issue::error(HUBUNGAN_KK, IssueKind::HeadCount { found }).in_row(Some(*at))),
        ),
    }
    let spouses = with("2");
    if spouses.len() > 1 {
        let found = spouses.len();
        out.extend(
            spouses
                .iter()
                .map(|at| Issue::error(HUBUNGAN_KK, IssueKind::SpouseCount { found }).in_row(Some(*at))),
        );
    }
}

/// Rules 9 and 10: a NIK twice in the family (error, on both rows), a NIK in another family
/// on this device (warning, naming it), and sex or birth date unlike what the NIK encodes.
fn member_niks(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    let rows = family.rows(ART);
    let nik_of = |row: &Row| row.answers.get(NIK).trim().to_owned();
    for (index, row) in rows.iter().enumerate() {
        let nik = nik_of(row);
        if nik.is_empty() || row.answers.get(NIK_TIDAK_ADA) == "1" {
            continue;
        }
        let at = Some(row_ref(ART, row, index));
        for (other_index, other) in rows.iter().enumerate() {
            if other_index != index && nik_of(other) == nik {
                out.push(
                    Issue::error(
                        NIK,
                        IssueKind::DuplicateNikInFamily {
                            member: other_index + 1,
                        },
                    )
                    .in_row(at),
                );
            }
        }
        for name in input.others.with_nik(&nik, &input.record.id) {
            out.push(Issue::warning(NIK, IssueKind::NikInOtherFamily { family: name }).in_row(at));
        }
        let member_lives_here = LIVING_CODES.contains(&row.answers.get(STATUS_KEBERADAAN_ART));
        let Some(facts) = check_nik(&nik, input.today).0.filter(|_| member_lives_here) else {
            continue;
        };
        let sex = match facts.sex {
            NikSex::Male => "1",
            NikSex::Female => "2",
        };
        let entered_sex = row.answers.get(JENIS_KELAMIN);
        if !entered_sex.is_empty() && entered_sex != sex {
            out.push(Issue::warning(JENIS_KELAMIN, IssueKind::NikSexMismatch).in_row(at));
        }
        if let Some(birth) = parse_partial_date(row.answers.get(TANGGAL_LAHIR).trim()) {
            let nik_birth = facts.birth_date;
            let differs = birth.year != nik_birth.year
                || birth.month.is_some_and(|m| m != nik_birth.month)
                || birth.day.is_some_and(|d| d != nik_birth.day);
            if differs {
                out.push(Issue::warning(TANGGAL_LAHIR, IssueKind::NikBirthDateMismatch).in_row(at));
            }
        }
    }
}

/// Rule 10: the family card number in another family on this device.
fn family_card_elsewhere(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let kk = input.record.answers.get(NOMOR_KK).trim();
    if kk.is_empty() {
        return;
    }
    for name in input.others.with_kk(kk, &input.record.id) {
        out.push(Issue::warning(
            NOMOR_KK,
            IssueKind::KkInOtherFamily { family: name },
        ));
    }
}

/// Rule 11 and the member table's warnings: ages that do not fit the family or the answers.
fn member_ages(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !visited(&family) {
        return;
    }
    let members: Vec<(RowRef, &Row)> = living(&family).collect();
    let oldest_parent = members
        .iter()
        .filter(|(_, r)| matches!(relation(r), "1" | "2"))
        .filter_map(|(_, r)| age(r))
        .min();
    for (at, row) in &members {
        let at = Some(*at);
        let Some(years) = age(row) else { continue };
        match relation(row) {
            "1" if years < 15 => out.push(Issue::warning(UMUR, IssueKind::HeadTooYoung).in_row(at)),
            "2" if years < 15 => out.push(Issue::warning(UMUR, IssueKind::SpouseTooYoung).in_row(at)),
            "3" if oldest_parent.is_some_and(|parent| years > parent) => {
                out.push(Issue::warning(UMUR, IssueKind::ChildOlderThanParent).in_row(at))
            }
            _ => {}
        }
        let birth = parse_partial_date(row.answers.get(TANGGAL_LAHIR).trim());
        if let Some(birth) = birth.filter(|b| !b.is_complete()) {
            let by_year = i64::from(input.today.year) - i64::from(birth.year);
            if years < by_year - 1 || years > by_year {
                out.push(Issue::warning(UMUR, IssueKind::AgeDoesNotFitBirthYear).in_row(at));
            }
        }
        let marital = row.answers.get(STATUS_KAWIN);
        if years < 10 && !marital.is_empty() && marital != "1" {
            out.push(Issue::warning(STATUS_KAWIN, IssueKind::MarriedUnderTen).in_row(at));
        }
        let has_ktp = row
            .answers
            .get(KARTU_IDENTITAS)
            .split_whitespace()
            .any(|c| c == "4");
        if has_ktp && years < 17 && marital == "1" {
            out.push(Issue::warning(KARTU_IDENTITAS, IssueKind::KtpTooYoung).in_row(at));
        }
    }
}

/// Status 10 (new family) only without a prelist id, 1–9 only with one.
fn outcome_and_prelist(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    let status = family.value(STATUS_VERIFIKASI).trim();
    let from_prelist = !family.value(PRELIST_ID).trim().is_empty();
    match status {
        "" => {}
        "10" if from_prelist => out.push(Issue::error(STATUS_VERIFIKASI, IssueKind::NewFamilyFromPrelist)),
        "10" => {}
        _ if !from_prelist => out.push(Issue::error(STATUS_VERIFIKASI, IssueKind::ListedWithoutPrelist)),
        _ => {}
    }
    // Recommendation 4 only for new families or ones not already on P3KE or DTKS/DTSEN.
    if family.is(REKOMENDASI, &[PROPOSE_NEW]) && status != "10" && family.is(PRELIST_SOURCE, &["1", "2"]) {
        out.push(Issue::error(REKOMENDASI, IssueKind::ProposeNewForListed));
    }
}

/// The supervisor checks on or after the visit.
fn visit_dates(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    let visit = parse_date(family.value(TANGGAL_KUNJUNGAN).trim());
    let check = parse_date(family.value(TANGGAL_PEMERIKSAAN).trim());
    if let (Some(visit), Some(check)) = (visit, check) {
        if check < visit {
            out.push(Issue::error(TANGGAL_PEMERIKSAAN, IssueKind::CheckBeforeVisit));
        }
    }
}

/// Rules 6 and 7: gas cylinders go with 5.5/12 kg LPG, electric appliances with electricity.
fn gas_and_electricity(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !visited(&family) {
        return;
    }
    let cylinders = family.number(ASET_TABUNG_GAS);
    let fuel = family.value(BAHAN_BAKAR_MASAK).trim();
    let big_lpg = family.is(BAHAN_BAKAR_MASAK, &["2", "3"]);
    if cylinders.is_some_and(|n| n > 0) && !fuel.is_empty() && !big_lpg {
        out.push(Issue::error(ASET_TABUNG_GAS, IssueKind::CylinderWithoutLpg));
    }
    if big_lpg && cylinders == Some(0) {
        out.push(Issue::error(ASET_TABUNG_GAS, IssueKind::LpgWithoutCylinder));
    }
    if family.is(SUMBER_PENERANGAN, &[super::e_housing::NOT_ELECTRIC]) {
        for asset in ELECTRIC_ASSETS {
            if family.number(asset).is_some_and(|n| n > 0) {
                out.push(Issue::error(asset, IssueKind::ApplianceWithoutElectricity));
            }
        }
    }
}

/// Rule 12: floor area per person out of the plausible range; a poorest-decile family with
/// a car or a big electricity connection.
fn housing_plausibility(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !visited(&family) {
        return;
    }
    let per_person = family.value(LUAS_LANTAI_PER_KAPITA).trim().parse::<f64>().ok();
    if family.number(JUMLAH_ART).is_some_and(|n| n > 0)
        && per_person.is_some_and(|m2| !(2.0..=100.0).contains(&m2))
    {
        out.push(Issue::warning(LUAS_LANTAI, IssueKind::UnusualFloorPerPerson));
    }
    if !family.is(PRELIST_DESIL, &["1", "2"]) {
        return;
    }
    if family.number(ASET_MOBIL).is_some_and(|n| n > 0) {
        out.push(Issue::warning(ASET_MOBIL, IssueKind::AffluentForDecile));
    }
    let meters = if family.is(SUMBER_PENERANGAN, &["1"]) {
        family.rows(DAYA_LISTRIK)
    } else {
        &[]
    };
    for (index, meter) in meters.iter().enumerate() {
        if matches!(meter.answers.get(DAYA_TERPASANG), "4" | "5") {
            let at = Some(row_ref(DAYA_LISTRIK, meter, index));
            out.push(Issue::warning(DAYA_TERPASANG, IssueKind::AffluentForDecile).in_row(at));
        }
    }
}

/// Aid rows: a programme once (once per member for individual ones); last received not
/// after the visit (error) and within the 12 months before it (warning).
fn aid_rows(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !visited(&family) || !family.is(MENERIMA_BANTUAN, &["1"]) {
        return;
    }
    let rows = family.rows(BANTUAN);
    let visit = parse_date(family.value(TANGGAL_KUNJUNGAN).trim()).unwrap_or(input.today);
    for (index, row) in rows.iter().enumerate() {
        let at = Some(row_ref(BANTUAN, row, index));
        let this = aid_identity(row);
        if !this.0.is_empty() && rows[..index].iter().any(|earlier| aid_identity(earlier) == this) {
            out.push(Issue::error(PROGRAM, IssueKind::DuplicateProgramme).in_row(at));
        }
        let Ok(year) = row.answers.get(TAHUN_TERAKHIR).trim().parse::<i32>() else {
            continue;
        };
        let month = row
            .answers
            .get(BULAN_TERAKHIR)
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|m| (1..=12).contains(m));
        let visit_month = visit.year * 12 + i32::from(visit.month);
        let after = match month {
            Some(m) => year * 12 + m > visit_month,
            None => year > visit.year,
        };
        // With the month unknown, "within a year" holds if any month of that year could be.
        let older = match month {
            Some(m) => visit_month - (year * 12 + m) > 12,
            None => year < visit.year - 1,
        };
        if after {
            out.push(Issue::error(BULAN_TERAKHIR, IssueKind::AidAfterVisit).in_row(at));
        } else if older {
            out.push(Issue::warning(BULAN_TERAKHIR, IssueKind::AidOlderThanYear).in_row(at));
        }
    }
}

/// A proposed programme the family already receives (warning).
fn proposals(input: &RuleInput<'_>, out: &mut Vec<Issue>) {
    let family = input.family();
    if !family.is(REKOMENDASI, &["1", "2", PROPOSE_NEW])
        || !family.is(MENERIMA_BANTUAN, &["1"])
        || !visited(&family)
    {
        return;
    }
    let received: Vec<&str> = family
        .rows(BANTUAN)
        .iter()
        .map(|r| r.answers.get(PROGRAM))
        .collect();
    for code in family.value(BANTUAN_DIUSULKAN).split_whitespace() {
        if received.contains(&code) {
            out.push(Issue::warning(
                BANTUAN_DIUSULKAN,
                IssueKind::ProposedAlreadyReceived {
                    programme: code.to_owned(),
                },
            ));
        }
    }
}
