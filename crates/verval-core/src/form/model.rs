//! The types the form is made of.

use super::cond::Cond;
use super::scope::Scope;
use crate::ids::FieldId;
use crate::region::RegionLevel;
use crate::text::Text;

/// A whole questionnaire.
#[derive(Debug)]
pub struct Form {
    pub id: &'static str,
    /// Travels with every record filled with this form.
    pub version: &'static str,
    pub sections: &'static [Section],
    /// Checks across questions and rows (spec §1.11) that relevance and requirement cannot
    /// express, run after the question-by-question checks.
    pub rules: &'static [Rule],
    /// The record's region, province first, one region question per level: each answer is
    /// chosen among the places inside the one before it, and a new choice above clears the
    /// answers below that no longer fit. Empty when the form asks no such cascade.
    pub region_cascade: &'static [FieldId],
}

/// A cross-field check: reads the whole record, adds what it finds.
pub type Rule = fn(&super::rules::RuleInput<'_>, &mut Vec<crate::validate::Issue>);

/// One page of the form (A–I in the default form).
#[derive(Debug)]
pub struct Section {
    /// The section letter, also its anchor in the app.
    pub id: &'static str,
    pub title: Text,
    /// The whole section is skipped unless this holds (sections D–G after "moved away").
    pub relevant: Option<Cond>,
    pub items: &'static [SectionItem],
}

#[derive(Debug)]
pub enum SectionItem {
    Question(Question),
    Repeat(Repeat),
}

/// A group of questions asked once per row: members, aid received, electricity meters.
#[derive(Debug)]
pub struct Repeat {
    pub id: FieldId,
    pub label: Text,
    pub min_rows: u16,
    pub max_rows: u16,
    pub relevant: Option<Cond>,
    pub questions: &'static [Question],
    /// Headings that split a long row into blocks, each folded once it is complete (one
    /// open member row was sixteen screens long); none shows the row as one list.
    pub blocks: &'static [Block],
    /// The question whose answer names a row (the member's name), on the row's card and
    /// wherever a row is chosen; `None` names rows by their number alone.
    pub title: Option<FieldId>,
}

/// A run of a repeat's questions under one heading, from `starts_at` to the next block.
#[derive(Debug)]
pub struct Block {
    pub starts_at: FieldId,
    pub label: Text,
}

impl Repeat {
    /// The row's questions in their blocks, in order; one unnamed block when there are none.
    /// A question before the first block's start belongs to no named block. Blocks are
    /// listed in question order (`check_form` says so when they are not).
    pub fn blocks(&self) -> Vec<(Option<&'static Block>, &'static [Question])> {
        let questions = self.questions;
        let start = |b: &Block| questions.iter().position(|q| q.id == b.starts_at);
        let starts: Vec<(usize, &'static Block)> =
            self.blocks.iter().filter_map(|b| Some((start(b)?, b))).collect();
        let mut out = Vec::new();
        let first = starts.first().map_or(questions.len(), |(at, _)| *at);
        if first > 0 {
            out.push((None, &questions[..first]));
        }
        for (i, (at, block)) in starts.iter().enumerate() {
            let end = starts
                .get(i + 1)
                .map_or(questions.len(), |(next, _)| *next)
                .max(*at);
            out.push((Some(*block), &questions[*at..end]));
        }
        out
    }
}

#[derive(Debug)]
pub struct Question {
    /// Also the input's `name` and the export column name: never renamed.
    pub id: FieldId,
    pub label: Text,
    pub hint: Option<Text>,
    pub kind: Kind,
    pub required: Required,
    /// Asked only when this holds; `None` means always. Answers of a question that is not
    /// relevant are kept in the draft but neither validated nor exported.
    pub relevant: Option<Cond>,
    /// The Regsosek 2022 item this question maps to (`r108`), for the `regsosek` export.
    pub regsosek: Option<&'static str>,
    /// Derives the answer from others. For a [`Kind::Calculate`] question that is its only
    /// value; for an input (age) a derived value, when there is one, replaces what was typed
    /// and the input is read-only.
    pub calc: Option<Calc>,
    /// Answers of other questions this one's answer gives, filled on one tap.
    pub offer: Option<Offer>,
    /// Read-only in a record opened from a prelist: the list's id keeps the visit attached
    /// to the family it checks (the spec's "read-only if imported").
    pub locked_when_listed: bool,
}

/// Answers that follow from a question's answer (the birth date and sex a NIK encodes),
/// offered on one tap rather than filled in: the answer they come from may be the mistake.
#[derive(Clone, Copy)]
pub struct Offer {
    /// What the button says.
    pub label: Text,
    /// The answers, in the scope of the question's row, that differ from what is there now;
    /// none when there is nothing to offer.
    pub fills: fn(&Scope<'_>) -> Vec<(FieldId, String)>,
}

impl std::fmt::Debug for Offer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Offer")
    }
}

/// A derivation: the value, or `None` when the inputs it needs are missing.
#[derive(Clone, Copy)]
pub struct Calc {
    pub derive: fn(&Scope<'_>) -> Option<String>,
    /// A prefill only fills an empty answer and leaves the input editable (the funding
    /// source of an aid programme); otherwise the derived value is the answer.
    pub prefill: bool,
}

impl Calc {
    pub const fn new(derive: fn(&Scope<'_>) -> Option<String>) -> Calc {
        Calc {
            derive,
            prefill: false,
        }
    }

    pub const fn prefill(derive: fn(&Scope<'_>) -> Option<String>) -> Calc {
        Calc {
            derive,
            prefill: true,
        }
    }
}

impl std::fmt::Debug for Calc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Calc")
    }
}

/// Whether a relevant question must be answered before finalizing.
#[derive(Debug)]
pub enum Required {
    Yes,
    No,
    /// Required when the condition holds (e.g. the KK number unless the family has no card).
    When(Cond),
}

#[derive(Debug)]
pub enum Kind {
    /// Free text of `min_len..=max_len` characters (after trimming), in a given shape.
    Text {
        min_len: u16,
        max_len: u16,
        format: TextFormat,
    },
    Integer {
        min: i64,
        max: i64,
    },
    /// A decimal number with at most `places` digits after the point, within `min..=max`
    /// in whole units.
    Decimal {
        min: i64,
        max: i64,
        places: u8,
    },
    /// A calendar date; `past_only` refuses dates after today. With `unknown_parts`, day and
    /// month may be `98` ("tidak tahu", Regsosek r406): `1970-98-98`.
    Date {
        past_only: bool,
        unknown_parts: bool,
    },
    SelectOne(&'static [Choice]),
    /// Several codes; an `exclusive` code ("none", "do not know") cannot be combined.
    SelectMultiple {
        choices: &'static [Choice],
        exclusive: &'static [&'static str],
    },
    /// A Kemendagri region code of this level, chosen from the region tables.
    Region(RegionLevel),
    /// Latitude, longitude and accuracy from the device.
    Geopoint,
    Photo,
    /// A drawing made on the screen (the respondent's signature), stored like a photo.
    Drawing,
    /// One row of a repeat (the member who receives an aid), stored as the row's key.
    RowOf(FieldId),
    /// Derived by the question's [`Calc`]; shown, never typed. A code it derives is shown
    /// (and exported beside) its label in `shown_as`; with none, the value is shown as it is
    /// (a count, a ratio).
    Calculate {
        shown_as: &'static [Choice],
    },
    /// Text shown to the enumerator, no answer.
    Note,
}

/// Extra shape rules for text answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    Free,
    /// Letters, spaces and `.'-` (spec §1.2).
    Name,
    /// Only digits, between `min` and `max` of them.
    Digits {
        min: u8,
        max: u8,
    },
    /// A family card number (spec §2.2).
    Kk,
    /// A national identity number (spec §2.1).
    Nik,
}

/// One answer code of a select question. Codes are kept as the official instruments write
/// them (`00`, `98`, gaps included) so exports map 1:1.
#[derive(Debug, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: Text,
}

impl Choice {
    pub const fn new(code: &'static str, id: &'static str, en: &'static str) -> Choice {
        Choice {
            code,
            label: Text::new(id, en),
        }
    }
}

impl Question {
    /// A question with no hint, always relevant, mapping to no Regsosek item; the form
    /// definitions adjust those with struct update syntax.
    pub const fn new(id: FieldId, label: Text, kind: Kind, required: Required) -> Question {
        Question {
            id,
            label,
            hint: None,
            kind,
            required,
            relevant: None,
            regsosek: None,
            calc: None,
            offer: None,
            locked_when_listed: false,
        }
    }

    /// A derived, read-only value.
    pub const fn calculated(id: FieldId, label: Text, calc: Calc) -> Question {
        Question {
            calc: Some(calc),
            ..Question::new(id, label, Kind::Calculate { shown_as: &[] }, Required::No)
        }
    }

    /// A calculated question whose codes are shown with these labels (a 0/1 flag as
    /// "Ya"/"Tidak").
    pub const fn calculated_as(
        id: FieldId,
        label: Text,
        calc: Calc,
        shown_as: &'static [Choice],
    ) -> Question {
        Question {
            kind: Kind::Calculate { shown_as },
            ..Question::calculated(id, label, calc)
        }
    }

    /// The label of one answer code of a choice question; `None` for other kinds or an
    /// unknown code.
    pub fn choice_label(&self, code: &str) -> Option<Text> {
        let choices = match &self.kind {
            Kind::SelectOne(choices) => *choices,
            Kind::SelectMultiple { choices, .. } => *choices,
            Kind::Calculate { shown_as } => *shown_as,
            _ => return None,
        };
        choices.iter().find(|c| c.code == code).map(|c| c.label)
    }
}

impl Form {
    /// The questions that hold a NIK or a KK number: personal data shown in full only to
    /// whom the role allows, masked for others.
    /// The stored photos and drawings a record's answers name, by key (`foto-<uuid>`): what
    /// a batch or a phone's backup carries with the record. Only questions outside repeats
    /// take photos.
    pub fn photo_keys<'a>(
        &'a self,
        answers: &'a crate::record::Answers,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.questions()
            .filter(|(repeat, q)| repeat.is_none() && matches!(q.kind, Kind::Photo | Kind::Drawing))
            .map(move |(_, q)| answers.get(q.id))
            .filter(|key| !key.is_empty())
    }

    pub fn identity_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.questions()
            .filter(|(_, q)| {
                matches!(
                    q.kind,
                    Kind::Text {
                        format: TextFormat::Nik | TextFormat::Kk,
                        ..
                    }
                )
            })
            .map(|(_, q)| q.id.as_str())
    }

    /// Every question of the form, with the repeat it belongs to, in form order.
    /// The photos and drawings of a record: each question with the key its answer holds
    /// (the image itself is stored apart, under that key). Photos are family questions.
    pub fn photo_answers<'r>(
        &'r self,
        record: &'r crate::record::HouseholdRecord,
    ) -> impl Iterator<Item = (&'static Question, &'r str)> + 'r {
        self.photo_questions()
            .map(|q| (q, record.answers.get(q.id)))
            .filter(|(_, key)| !key.is_empty())
    }

    /// The family questions answered with a photo or a drawing.
    pub fn photo_questions(&self) -> impl Iterator<Item = &'static Question> + '_ {
        self.questions()
            .filter(|(repeat, q)| repeat.is_none() && matches!(q.kind, Kind::Photo | Kind::Drawing))
            .map(|(_, q)| q)
    }

    pub fn questions(&self) -> impl Iterator<Item = (Option<&'static Repeat>, &'static Question)> + '_ {
        let sections: &'static [Section] = self.sections;
        sections.iter().flat_map(|section| {
            section
                .items
                .iter()
                .flat_map(|item| -> Box<dyn Iterator<Item = _>> {
                    match item {
                        SectionItem::Question(q) => Box::new(std::iter::once((None, q))),
                        SectionItem::Repeat(r) => Box::new(r.questions.iter().map(move |q| (Some(r), q))),
                    }
                })
        })
    }

    pub fn question(&self, id: FieldId) -> Option<&'static Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    /// The question whose id is `name` (as text arrives: a form post, a review note), with
    /// the repeat it belongs to.
    pub fn question_named(&self, name: &str) -> Option<(Option<&'static Repeat>, &'static Question)> {
        self.questions().find(|(_, q)| q.id.as_str() == name)
    }

    /// The repeat with this id.
    pub fn repeat(&self, id: FieldId) -> Option<&'static Repeat> {
        self.repeat_named(id.as_str())
    }

    /// The index of the section a field or repeat is in.
    pub fn section_of(&self, field: FieldId) -> Option<usize> {
        self.sections.iter().position(|s| {
            s.items.iter().any(|item| match item {
                SectionItem::Question(q) => q.id == field,
                SectionItem::Repeat(r) => r.id == field || r.questions.iter().any(|q| q.id == field),
            })
        })
    }

    /// The repeat whose id is `name`.
    pub fn repeat_named(&self, name: &str) -> Option<&'static Repeat> {
        let sections: &'static [Section] = self.sections;
        sections.iter().flat_map(|s| s.items).find_map(|item| match item {
            SectionItem::Repeat(r) if r.id.as_str() == name => Some(r),
            _ => None,
        })
    }

    pub fn section(&self, id: &str) -> Option<&'static Section> {
        let sections: &'static [Section] = self.sections;
        sections.iter().find(|s| s.id == id)
    }
}

impl Kind {
    /// The answer codes of a select question.
    pub fn choices(&self) -> &'static [Choice] {
        match self {
            Kind::SelectOne(choices) | Kind::SelectMultiple { choices, .. } => choices,
            _ => &[],
        }
    }
}
