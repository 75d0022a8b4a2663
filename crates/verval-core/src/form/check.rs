//! Checks a form definition once, when it is built or loaded: every id unique, every answer
//! code unique, every condition naming questions that exist, with codes those questions can
//! have, and never reaching into a repeat's rows from outside it.

use super::cond::Cond;
use super::model::{Form, Kind, Question, Repeat, Required, SectionItem};
use crate::ids::FieldId;
use crate::region::RegionLevel;
use std::collections::{BTreeMap, BTreeSet};

/// Everything wrong with a form definition, each as a sentence naming the question.
pub fn check_form(form: &Form) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut level: BTreeMap<FieldId, Option<FieldId>> = BTreeMap::new();
    let mut questions: BTreeMap<FieldId, &Question> = BTreeMap::new();
    for section in form.sections {
        for item in section.items {
            if let SectionItem::Repeat(r) = item {
                if !seen.insert(r.id) {
                    problems.push(format!("repeat {} appears twice", r.id));
                }
                if r.min_rows > r.max_rows || r.max_rows == 0 {
                    problems.push(format!(
                        "repeat {}: rows {}..={} is not a range",
                        r.id, r.min_rows, r.max_rows
                    ));
                }
                if let Some(title) = r.title {
                    let shown = r
                        .questions
                        .iter()
                        .find(|q| q.id == title)
                        .is_some_and(|q| matches!(q.kind, Kind::Text { .. } | Kind::SelectOne(_)));
                    if !shown {
                        problems.push(format!(
                            "repeat {}: its rows are named by {title}, which is not a text or single-choice question of its rows",
                            r.id
                        ));
                    }
                }
            }
        }
    }
    for (repeat, q) in form.questions() {
        if !seen.insert(q.id) {
            problems.push(format!("question {} appears twice", q.id));
        }
        level.insert(q.id, repeat.map(|r| r.id));
        questions.insert(q.id, q);
        check_kind(q, &mut problems);
        if let Kind::RowOf(target) = q.kind {
            if form.repeat(target).is_none() {
                problems.push(format!(
                    "{}: refers to rows of {target}, which is not a repeat",
                    q.id
                ));
            }
        }
    }
    check_cascade(form, &questions, &level, &mut problems);
    let mut check_cond = |owner: FieldId, owner_repeat: Option<FieldId>, what: &str, cond: &Cond| {
        check_condition(cond, &questions, &level, owner, owner_repeat, what, &mut problems);
    };
    for section in form.sections {
        for item in section.items {
            if let SectionItem::Repeat(Repeat {
                id,
                relevant: Some(cond),
                ..
            }) = item
            {
                check_cond(*id, None, "relevance", cond);
            }
        }
    }
    for section in form.sections {
        if let Some(cond) = &section.relevant {
            check_cond(FieldId::new(section.id), None, "section relevance", cond);
        }
    }
    for (repeat, q) in form.questions() {
        let repeat = repeat.map(|r| r.id);
        if let Some(cond) = &q.relevant {
            check_cond(q.id, repeat, "relevance", cond);
        }
        if let Required::When(cond) = &q.required {
            check_cond(q.id, repeat, "requirement", cond);
        }
    }
    problems
}

/// The region cascade: a region question per level, province first, none in a repeat.
fn check_cascade(
    form: &Form,
    questions: &BTreeMap<FieldId, &Question>,
    level: &BTreeMap<FieldId, Option<FieldId>>,
    problems: &mut Vec<String>,
) {
    const LEVELS: [RegionLevel; 4] = [
        RegionLevel::Province,
        RegionLevel::Regency,
        RegionLevel::District,
        RegionLevel::Village,
    ];
    if form.region_cascade.len() > LEVELS.len() {
        problems.push(format!(
            "the region cascade has {} steps; there are {} region levels",
            form.region_cascade.len(),
            LEVELS.len()
        ));
    }
    for (id, expected) in form.region_cascade.iter().zip(LEVELS) {
        let fits = questions
            .get(id)
            .is_some_and(|q| matches!(q.kind, Kind::Region(l) if l == expected));
        if !fits || level.get(id).is_some_and(Option::is_some) {
            problems.push(format!(
                "region cascade: {id} is not a question of the form choosing a {expected:?} outside the repeats"
            ));
        }
    }
}

fn check_kind(q: &Question, problems: &mut Vec<String>) {
    let choices = q.kind.choices();
    let mut codes = BTreeSet::new();
    for choice in choices {
        if choice.code.is_empty() || choice.code.contains(char::is_whitespace) {
            problems.push(format!(
                "{}: answer code {:?} is empty or has spaces",
                q.id, choice.code
            ));
        }
        if !codes.insert(choice.code) {
            problems.push(format!("{}: answer code {} appears twice", q.id, choice.code));
        }
        if choice.label.id.is_empty() || choice.label.en.is_empty() {
            problems.push(format!("{}: answer {} lacks a label", q.id, choice.code));
        }
    }
    match &q.kind {
        Kind::SelectOne(list) | Kind::SelectMultiple { choices: list, .. } if list.is_empty() => {
            problems.push(format!("{}: a select question without answers", q.id))
        }
        Kind::SelectMultiple { exclusive, .. } => {
            for code in *exclusive {
                if !codes.contains(code) {
                    problems.push(format!("{}: exclusive code {code} is not an answer", q.id));
                }
            }
        }
        Kind::Integer { min, max } | Kind::Decimal { min, max, .. } if min > max => {
            problems.push(format!("{}: range {min}..={max} is empty", q.id))
        }
        Kind::Calculate { .. } if q.calc.is_none() => {
            problems.push(format!("{}: a calculated question without a calculation", q.id))
        }
        _ => {}
    }
    if q.label.id.is_empty() || q.label.en.is_empty() {
        problems.push(format!("{}: lacks a label", q.id));
    }
}

fn check_condition(
    cond: &Cond,
    questions: &BTreeMap<FieldId, &Question>,
    level: &BTreeMap<FieldId, Option<FieldId>>,
    owner: FieldId,
    owner_repeat: Option<FieldId>,
    what: &str,
    problems: &mut Vec<String>,
) {
    for field in cond.fields() {
        if !questions.contains_key(&field) {
            problems.push(format!(
                "{owner}: {what} reads {field}, which is not a question of the form"
            ));
            continue;
        }
        // A family-level question cannot read a row: which member would it mean?
        if let Some(Some(repeat)) = level.get(&field) {
            if owner_repeat != Some(*repeat) {
                problems.push(format!(
                    "{owner}: {what} reads {field} from inside repeat {repeat}"
                ));
            }
        }
        if field == owner {
            problems.push(format!("{owner}: {what} reads the question itself"));
        }
    }
    check_codes(cond, questions, owner, what, problems);
}

fn check_codes(
    cond: &Cond,
    questions: &BTreeMap<FieldId, &Question>,
    owner: FieldId,
    what: &str,
    problems: &mut Vec<String>,
) {
    match cond {
        Cond::Is(field, codes) => {
            if let Some(q) = questions.get(field) {
                let known = q.kind.choices();
                if !known.is_empty() {
                    for code in *codes {
                        if !known.iter().any(|c| c.code == *code) {
                            problems.push(format!(
                                "{owner}: {what} expects {field} = {code}, which is not one of its answers"
                            ));
                        }
                    }
                }
            }
        }
        Cond::Has(field, code) => match questions.get(field).map(|q| &q.kind) {
            Some(Kind::SelectMultiple { choices, .. }) if choices.iter().any(|c| c.code == *code) => {}
            Some(_) => problems.push(format!(
                "{owner}: {what} expects {field} to include {code}, which it cannot"
            )),
            None => {}
        },
        Cond::AtLeast(field, _) | Cond::Below(field, _) => {
            if let Some(q) = questions.get(field) {
                if !matches!(q.kind, Kind::Integer { .. }) {
                    problems.push(format!(
                        "{owner}: {what} compares {field}, which is not a whole number"
                    ));
                }
            }
        }
        Cond::Answered(_) => {}
        Cond::Not(inner) => check_codes(inner, questions, owner, what, problems),
        Cond::All(list) | Cond::Any(list) => list
            .iter()
            .for_each(|c| check_codes(c, questions, owner, what, problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::model::{Choice, Section, TextFormat};
    use crate::text::Text;

    const A: FieldId = FieldId::new("a");
    const B: FieldId = FieldId::new("b");
    const ROW: FieldId = FieldId::new("row_field");
    const YES_NO: &[Choice] = &[Choice::new("1", "Ya", "Yes"), Choice::new("2", "Tidak", "No")];

    const fn q(id: FieldId, kind: Kind, relevant: Option<Cond>) -> Question {
        Question {
            relevant,
            ..Question::new(id, Text::new("Label", "Label"), kind, Required::No)
        }
    }

    fn problems(items: &'static [SectionItem]) -> Vec<String> {
        problems_with_cascade(items, &[])
    }

    fn problems_with_cascade(
        items: &'static [SectionItem],
        region_cascade: &'static [FieldId],
    ) -> Vec<String> {
        let sections: &'static [Section] = Box::leak(Box::new([Section {
            id: "A",
            title: Text::new("A", "A"),
            relevant: Some(Cond::Is(FieldId::new("ghost"), &["1"])).filter(|_| items.is_empty()),
            items,
        }]));
        check_form(&Form {
            id: "test",
            version: "1",
            sections,
            rules: &[],
            region_cascade,
        })
    }

    #[test]
    fn a_sound_form_has_no_problem() {
        static ITEMS: [SectionItem; 2] = [
            SectionItem::Question(q(A, Kind::SelectOne(YES_NO), None)),
            SectionItem::Question(q(
                B,
                Kind::Text {
                    min_len: 0,
                    max_len: 10,
                    format: TextFormat::Free,
                },
                Some(Cond::Is(A, &["1"])),
            )),
        ];
        assert_eq!(problems(&ITEMS), Vec::<String>::new());
    }

    #[test]
    fn a_section_condition_is_checked_too() {
        assert_eq!(
            problems(&[]),
            ["A: section relevance reads ghost, which is not a question of the form"]
        );
    }

    #[test]
    fn a_region_cascade_goes_down_the_levels_outside_the_repeats() {
        const PROV: FieldId = FieldId::new("prov");
        const KAB: FieldId = FieldId::new("kab");
        const DESA: FieldId = FieldId::new("desa");
        static ROWS: [Question; 1] = [q(DESA, Kind::Region(RegionLevel::District), None)];
        static ITEMS: [SectionItem; 3] = [
            SectionItem::Question(q(PROV, Kind::Region(RegionLevel::Province), None)),
            SectionItem::Question(q(KAB, Kind::Region(RegionLevel::Regency), None)),
            SectionItem::Repeat(Repeat {
                id: FieldId::new("rows"),
                label: Text::new("R", "R"),
                min_rows: 0,
                max_rows: 1,
                relevant: None,
                questions: &ROWS,
                blocks: &[],
                title: None,
            }),
        ];
        assert_eq!(problems_with_cascade(&ITEMS, &[PROV, KAB]), Vec::<String>::new());
        assert_eq!(
            problems_with_cascade(&ITEMS, &[KAB, PROV]),
            [
                "region cascade: kab is not a question of the form choosing a Province outside the repeats",
                "region cascade: prov is not a question of the form choosing a Regency outside the repeats",
            ]
        );
        assert_eq!(
            problems_with_cascade(&ITEMS, &[PROV, KAB, DESA]),
            ["region cascade: desa is not a question of the form choosing a District outside the repeats"]
        );
    }

    #[test]
    fn every_kind_of_mistake_is_named() {
        static ROWS: [Question; 1] = [q(ROW, Kind::Integer { min: 0, max: 9 }, None)];
        static ITEMS: [SectionItem; 8] = [
            SectionItem::Question(q(A, Kind::SelectOne(YES_NO), Some(Cond::Is(A, &["1"])))),
            SectionItem::Question(q(B, Kind::SelectOne(YES_NO), Some(Cond::Is(A, &["3"])))),
            SectionItem::Question(q(B, Kind::Integer { min: 5, max: 1 }, Some(Cond::AtLeast(A, 1)))),
            SectionItem::Question(q(
                FieldId::new("c"),
                Kind::SelectOne(&[]),
                Some(Cond::Answered(FieldId::new("nowhere"))),
            )),
            SectionItem::Question(q(FieldId::new("d"), Kind::Note, Some(Cond::AtLeast(ROW, 1)))),
            SectionItem::Question(q(FieldId::new("e"), Kind::Calculate { shown_as: &[] }, None)),
            SectionItem::Question(q(FieldId::new("f"), Kind::RowOf(FieldId::new("a")), None)),
            SectionItem::Repeat(Repeat {
                id: FieldId::new("rows"),
                label: Text::new("R", "R"),
                min_rows: 3,
                max_rows: 1,
                relevant: None,
                questions: &ROWS,
                blocks: &[],
                title: Some(A),
            }),
        ];
        let found = problems(&ITEMS);
        let expected = [
            "repeat rows: rows 3..=1 is not a range",
            "repeat rows: its rows are named by a, which is not a text or single-choice question of its rows",
            "question b appears twice",
            "b: range 5..=1 is empty",
            "c: a select question without answers",
            "a: relevance reads the question itself",
            "b: relevance expects a = 3, which is not one of its answers",
            "b: relevance compares a, which is not a whole number",
            "c: relevance reads nowhere, which is not a question of the form",
            "d: relevance reads row_field from inside repeat rows",
            "e: a calculated question without a calculation",
            "f: refers to rows of a, which is not a repeat",
        ];
        for e in expected {
            assert!(found.iter().any(|f| f == e), "missing {e:?} in {found:#?}");
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }
}
