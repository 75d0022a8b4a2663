//! The village meeting (Musdes / Musdesus, issue #24): a desa's verified families read out by
//! name with each one's outcome and recommendation, and the meeting's decision on each. What
//! a meeting is (its period, number, day), what it may decide, and the by-name list's rows
//! and columns live here, shared by the hub's page, its print and its workbook.
//!
//! The list names families and their addresses, the way a Musdes reads them; it carries no
//! NIK and no KK number, which the meeting does not need.

use super::ledger::FamilyAid;
use super::programmes::Programmes;
use crate::date::Date;
use crate::fields::{ALAMAT, NAMA_KEPALA_KELUARGA};
use crate::form::asked::family_answer;
use crate::form::default::{
    ALASAN_USULAN, DEFAULT_FORM, REKOMENDASI, RT, RW, STATUS_KESEJAHTERAAN_USULAN, STATUS_VERIFIKASI,
};
use crate::form::scope::Scope;
use crate::form::validate::parse_date;
use crate::ids::FieldId;
use crate::record::HouseholdRecord;
use crate::text::Text;

/// What a meeting may decide on a family: `(code, label)`. The codes are stored and exported.
pub const DECISIONS: [(&str, Text); 3] = [
    (AGREED, Text::new("Disetujui", "agreed")),
    ("tidak_disetujui", Text::new("Tidak disetujui", "not agreed")),
    ("ditunda", Text::new("Ditunda", "postponed")),
];
/// The decision that lets a family's proposals go on to the aid channels.
pub const AGREED: &str = "disetujui";

pub fn decision_label(code: &str) -> Option<Text> {
    DECISIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// Longest free text on a meeting or a decision's note.
const MAX_TEXT: usize = 200;

/// A meeting of one desa, as district staff or the village's enumerator record it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// The round it belongs to, as the district names it: "Musdesus Oktober 2026".
    pub period: String,
    /// The Berita Acara's number.
    pub number: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub place: String,
    /// Who led it (usually the Kepala Desa), for the signature block.
    pub chair: String,
}

/// A meeting's details as the forms ask them, the hub's page and the phone's alike: each
/// one's input name (and id), label and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingField {
    Period,
    Number,
    HeldOn,
    Place,
    Chair,
}

impl MeetingField {
    pub const ALL: [MeetingField; 5] = [
        MeetingField::Period,
        MeetingField::Number,
        MeetingField::HeldOn,
        MeetingField::Place,
        MeetingField::Chair,
    ];

    /// The input's name and id.
    pub fn name(self) -> &'static str {
        match self {
            MeetingField::Period => "periode",
            MeetingField::Number => "nomor_ba",
            MeetingField::HeldOn => "tanggal_musdes",
            MeetingField::Place => "tempat",
            MeetingField::Chair => "pimpinan",
        }
    }

    pub fn label(self) -> Text {
        match self {
            MeetingField::Period => Text::new(
                "Periode (mis. Musdesus Oktober 2026)",
                "Period (e.g. Musdesus Oktober 2026)",
            ),
            MeetingField::Number => Text::new("Nomor Berita Acara", "Minutes number"),
            MeetingField::HeldOn => Text::new("Tanggal musyawarah", "Day held"),
            MeetingField::Place => Text::new("Tempat", "Place"),
            MeetingField::Chair => Text::new("Pimpinan musyawarah (Kepala Desa)", "Chair (village head)"),
        }
    }

    /// A day (`YYYY-MM-DD`), asked with a date input.
    pub fn is_date(self) -> bool {
        self == MeetingField::HeldOn
    }

    pub fn required(self) -> bool {
        matches!(
            self,
            MeetingField::Period | MeetingField::Number | MeetingField::HeldOn
        )
    }

    pub fn of(self, m: &Meeting) -> &str {
        match self {
            MeetingField::Period => &m.period,
            MeetingField::Number => &m.number,
            MeetingField::HeldOn => &m.held_on,
            MeetingField::Place => &m.place,
            MeetingField::Chair => &m.chair,
        }
    }

    pub fn set(self, m: &mut Meeting, value: String) {
        let field = match self {
            MeetingField::Period => &mut m.period,
            MeetingField::Number => &mut m.number,
            MeetingField::HeldOn => &mut m.held_on,
            MeetingField::Place => &mut m.place,
            MeetingField::Chair => &mut m.chair,
        };
        *field = value;
    }
}

fn text_problem(name: &str, text: &str, required: bool) -> Option<String> {
    if required && text.trim().is_empty() {
        return Some(format!("{name} kosong (empty)"));
    }
    (text.chars().count() > MAX_TEXT || text.chars().any(char::is_control)).then(|| {
        format!("{name}: terlalu panjang atau berisi karakter kendali (too long or has control characters)")
    })
}

impl Meeting {
    /// Every problem with the meeting as typed; empty when it may be stored.
    pub fn problems(&self, today: Date) -> Vec<String> {
        let mut problems: Vec<String> = [
            ("periode", &self.period, true),
            ("nomor berita acara", &self.number, true),
            ("tempat", &self.place, false),
            ("pimpinan rapat", &self.chair, false),
        ]
        .into_iter()
        .filter_map(|(name, text, required)| text_problem(name, text, required))
        .collect();
        match parse_date(self.held_on.trim()) {
            None => problems.push(
                "tanggal musyawarah harus YYYY-MM-DD (the meeting's day must be YYYY-MM-DD)".to_owned(),
            ),
            Some(day) if day > today => problems
                .push("tanggal musyawarah di masa depan (the meeting's day is in the future)".to_owned()),
            Some(_) => {}
        }
        problems
    }
}

/// A decision as typed: what is wrong with it, if anything.
pub fn decision_problem(decision: &str, note: &str) -> Option<String> {
    if !decision.is_empty() && decision_label(decision).is_none() {
        // Quoted only when it looks like a code: a number sent in its place (a NIK typed in
        // the wrong column) goes into no message, page or command output.
        let looks_like_code =
            decision.len() <= 32 && decision.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        return Some(match looks_like_code {
            true => format!("keputusan {decision:?} tidak dikenal (unknown decision)"),
            false => "keputusan tidak dikenal (unknown decision)".to_owned(),
        });
    }
    if decision.is_empty() && !note.trim().is_empty() {
        return Some("catatan tanpa keputusan (a note without a decision)".to_owned());
    }
    text_problem("catatan", note, false)
}

/// One family as the meeting reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub head: String,
    pub address: String,
    pub rt: String,
    pub rw: String,
    /// The visit's outcome (section C), in words.
    pub outcome: String,
    /// The proposed welfare status (section H), in words.
    pub welfare: String,
    pub recommendation: String,
    /// Programme codes proposed.
    pub proposed: Vec<String>,
    pub justification: String,
}

impl Listed {
    /// What the meeting reads of a verified record: only what the form asked of it.
    pub fn of(record: &HouseholdRecord, today: Date) -> Listed {
        let family = Scope::family(record, today);
        let asked = |field: FieldId| family_answer(&DEFAULT_FORM, field, &family).unwrap_or_default();
        let worded = |field: FieldId| {
            let code = asked(field);
            DEFAULT_FORM
                .question(field)
                .and_then(|q| q.choice_label(code.trim()))
                .map_or(code.trim().to_owned(), |label| label.id.to_owned())
        };
        let typed = |field: FieldId| record.answers.get(field).trim().to_owned();
        Listed {
            head: typed(NAMA_KEPALA_KELUARGA),
            address: typed(ALAMAT),
            rt: typed(RT),
            rw: typed(RW),
            outcome: worded(STATUS_VERIFIKASI),
            welfare: worded(STATUS_KESEJAHTERAAN_USULAN),
            recommendation: worded(REKOMENDASI),
            proposed: FamilyAid::of(record, Vec::new(), today).proposed,
            justification: asked(ALASAN_USULAN).trim().to_owned(),
        }
    }

    /// The programmes proposed, in words.
    pub fn proposed_words(&self) -> String {
        programme_names(&self.proposed)
    }
}

/// Programme codes in words, as a list reads them: `PKH, BLT_DD` → their names.
pub fn programme_names(codes: &[String]) -> String {
    let known = Programmes::default();
    codes
        .iter()
        .map(|code| known.label(code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The by-name list's columns, `(id, heading)`, in order: the page, the print and the
/// workbook all show these.
pub const LIST_COLUMNS: [(&str, &str); 11] = [
    ("nomor", "No"),
    ("nama_kepala_keluarga", "Nama kepala keluarga"),
    ("alamat", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("status_verifikasi", "Hasil verifikasi"),
    ("status_kesejahteraan_usulan", "Usulan status kesejahteraan"),
    ("rekomendasi", "Rekomendasi"),
    ("bantuan_diusulkan", "Bantuan diusulkan"),
    ("keputusan_musdes", "Keputusan musyawarah"),
    ("catatan_musdes", "Catatan"),
];

/// One row of the list, in [`LIST_COLUMNS`]' order.
pub fn list_row(number: usize, listed: &Listed, decision: &str, note: &str) -> Vec<String> {
    vec![
        number.to_string(),
        listed.head.clone(),
        listed.address.clone(),
        listed.rt.clone(),
        listed.rw.clone(),
        listed.outcome.clone(),
        listed.welfare.clone(),
        listed.recommendation.clone(),
        listed.proposed_words(),
        decision_label(decision).map_or(String::new(), |l| l.id.to_owned()),
        note.trim().to_owned(),
    ]
}

/// The by-name list as a workbook's sheet `musdes` ([`LIST_COLUMNS`], the number counted,
/// the rest text): the hub's download and the phone's are this one sheet.
pub fn list_sheet(rows: Vec<Vec<String>>) -> crate::export::Table {
    use crate::export::ColumnKind;
    let columns: Vec<(&str, &str, ColumnKind)> = LIST_COLUMNS
        .iter()
        .map(|(id, heading)| {
            let kind = if *id == "nomor" {
                ColumnKind::Whole
            } else {
                ColumnKind::Text
            };
            (*id, *heading, kind)
        })
        .collect();
    let mut table = crate::export::Table::new("musdes", &columns);
    table.rows = rows;
    table
}

/// How many families a meeting decided each way; `undecided` are on the list without one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub agreed: usize,
    pub not_agreed: usize,
    pub postponed: usize,
    pub undecided: usize,
}

impl Tally {
    pub fn of<'a>(decisions: impl IntoIterator<Item = &'a str>) -> Tally {
        let mut tally = Tally::default();
        for d in decisions {
            match d {
                AGREED => tally.agreed += 1,
                "tidak_disetujui" => tally.not_agreed += 1,
                "ditunda" => tally.postponed += 1,
                _ => tally.undecided += 1,
            }
        }
        tally
    }

    pub fn listed(&self) -> usize {
        self.agreed + self.not_agreed + self.postponed + self.undecided
    }
}
