//! Conditions over answers: relevance ("asked only if …") and conditional requirement.

use crate::ids::FieldId;

/// A condition on answers, written as data. Numbers compare as integers; an answer that is
/// empty or not a number satisfies no comparison, so a question that depends on an unanswered
/// one stays hidden until that answer arrives.
#[derive(Debug)]
pub enum Cond {
    /// The field has an answer.
    Answered(FieldId),
    /// The single answer is one of these codes (or texts).
    Is(FieldId, &'static [&'static str]),
    /// A select-multiple answer includes this code.
    Has(FieldId, &'static str),
    /// The answer is a whole number ≥ the bound.
    AtLeast(FieldId, i64),
    /// The answer is a whole number < the bound.
    Below(FieldId, i64),
    Not(&'static Cond),
    All(&'static [Cond]),
    Any(&'static [Cond]),
}

/// Where a condition reads answers: a family's answers, or a row's with the family's behind it.
pub trait Values {
    /// The answer to `field` as stored (`""` when unanswered). Select-multiple answers are
    /// their codes separated by spaces.
    fn value(&self, field: FieldId) -> &str;
}

impl Cond {
    pub fn holds(&self, values: &dyn Values) -> bool {
        let number = |field: FieldId| values.value(field).trim().parse::<i64>().ok();
        match self {
            Cond::Answered(field) => !values.value(*field).trim().is_empty(),
            Cond::Is(field, codes) => {
                let value = values.value(*field).trim();
                !value.is_empty() && codes.contains(&value)
            }
            Cond::Has(field, code) => values.value(*field).split_whitespace().any(|c| c == *code),
            Cond::AtLeast(field, bound) => number(*field).is_some_and(|n| n >= *bound),
            Cond::Below(field, bound) => number(*field).is_some_and(|n| n < *bound),
            Cond::Not(inner) => !inner.holds(values),
            Cond::All(all) => all.iter().all(|c| c.holds(values)),
            Cond::Any(any) => any.iter().any(|c| c.holds(values)),
        }
    }

    /// Every field the condition reads.
    pub fn fields(&self) -> Vec<FieldId> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<FieldId>) {
        match self {
            Cond::Answered(f)
            | Cond::Is(f, _)
            | Cond::Has(f, _)
            | Cond::AtLeast(f, _)
            | Cond::Below(f, _) => out.push(*f),
            Cond::Not(inner) => inner.collect(out),
            Cond::All(list) | Cond::Any(list) => list.iter().for_each(|c| c.collect(out)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Answers for tests: `answers(&[("umur", "7")])`.
    pub struct Map(pub BTreeMap<&'static str, &'static str>);

    impl Values for Map {
        fn value(&self, field: FieldId) -> &str {
            self.0.get(field.as_str()).copied().unwrap_or("")
        }
    }

    pub fn answers(pairs: &[(&'static str, &'static str)]) -> Map {
        Map(pairs.iter().copied().collect())
    }

    const UMUR: FieldId = FieldId::new("umur");
    const JK: FieldId = FieldId::new("jenis_kelamin");
    const KAWIN: FieldId = FieldId::new("status_kawin");
    const KARTU: FieldId = FieldId::new("kartu_identitas");

    /// The pregnancy question's relevance (spec §1.5): a woman aged 10–54, ever married.
    const HAMIL: Cond = Cond::All(&[
        Cond::Is(JK, &["2"]),
        Cond::AtLeast(UMUR, 10),
        Cond::Below(UMUR, 55),
        Cond::Is(KAWIN, &["2", "3", "4"]),
    ]);

    #[test]
    fn comparisons_need_an_answer() {
        let none = answers(&[]);
        for cond in [
            Cond::Is(JK, &["2"]),
            Cond::AtLeast(UMUR, 0),
            Cond::Below(UMUR, 200),
            Cond::Has(KARTU, "1"),
            Cond::Answered(UMUR),
        ] {
            assert!(!cond.holds(&none), "{cond:?}");
        }
        assert!(Cond::Not(&Cond::Answered(UMUR)).holds(&none));
        assert!(
            !Cond::AtLeast(UMUR, 0).holds(&answers(&[("umur", "tujuh")])),
            "not a number"
        );
        assert!(
            !Cond::Answered(UMUR).holds(&answers(&[("umur", "  ")])),
            "blank is unanswered"
        );
    }

    #[test]
    fn the_pregnancy_rule() {
        let cases = [
            (
                &[("jenis_kelamin", "2"), ("umur", "30"), ("status_kawin", "2")][..],
                true,
            ),
            (
                &[("jenis_kelamin", "2"), ("umur", "10"), ("status_kawin", "4")][..],
                true,
            ),
            (
                &[("jenis_kelamin", "2"), ("umur", "54"), ("status_kawin", "3")][..],
                true,
            ),
            (
                &[("jenis_kelamin", "2"), ("umur", "55"), ("status_kawin", "2")][..],
                false,
            ),
            (
                &[("jenis_kelamin", "2"), ("umur", "9"), ("status_kawin", "2")][..],
                false,
            ),
            (
                &[("jenis_kelamin", "2"), ("umur", "30"), ("status_kawin", "1")][..],
                false,
            ),
            (
                &[("jenis_kelamin", "1"), ("umur", "30"), ("status_kawin", "2")][..],
                false,
            ),
            (&[("jenis_kelamin", "2"), ("status_kawin", "2")][..], false),
        ];
        for (pairs, expected) in cases {
            assert_eq!(HAMIL.holds(&answers(pairs)), expected, "{pairs:?}");
        }
    }

    #[test]
    fn select_multiple_and_any() {
        let a = answers(&[("kartu_identitas", "1 4"), ("umur", "17")]);
        assert!(Cond::Has(KARTU, "4").holds(&a));
        assert!(!Cond::Has(KARTU, "2").holds(&a));
        assert!(Cond::Any(&[Cond::Has(KARTU, "2"), Cond::AtLeast(UMUR, 17)]).holds(&a));
        assert!(!Cond::Any(&[]).holds(&a));
        assert!(Cond::All(&[]).holds(&a));
    }

    #[test]
    fn fields_lists_what_a_condition_reads() {
        assert_eq!(HAMIL.fields(), [JK, UMUR, UMUR, KAWIN]);
        assert_eq!(Cond::Not(&Cond::Has(KARTU, "1")).fields(), [KARTU]);
    }
}
