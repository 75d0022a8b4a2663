//! The answer of a choice question as stored: one code, or several separated by spaces
//! (as ODK stores a `select_multiple`). Both kinds of form tick and read answers here.

/// Whether `code` is among the answers `value` holds (several, space-separated, when
/// `multiple`).
pub fn is_chosen(value: &str, code: &str, multiple: bool) -> bool {
    match multiple {
        true => value.split_whitespace().any(|c| c == code),
        false => value == code,
    }
}

/// The answers `current` holds once `code` is ticked (`on`) or unticked. Choosing one of
/// `exclusive` ("none", "do not know") clears the rest, and choosing anything else clears
/// it. Stored in `order` (the form's), so one set of answers has one spelling; an answer
/// no longer offered (a choice filter narrowed) is kept, after them.
pub fn ticked(current: &str, code: &str, on: bool, exclusive: &[&str], order: &[&str]) -> String {
    let mut chosen: Vec<&str> = current.split_whitespace().filter(|c| *c != code).collect();
    if on {
        if exclusive.contains(&code) {
            chosen.clear();
        } else {
            chosen.retain(|c| !exclusive.contains(c));
        }
        chosen.push(code);
    }
    let offered = order.iter().copied().filter(|c| chosen.contains(c));
    let others = chosen.iter().copied().filter(|c| !order.contains(c));
    offered.chain(others).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{is_chosen, ticked};

    #[test]
    fn ticked_answers_keep_the_forms_order_and_the_exclusive_rule() {
        let order = ["1", "2", "3", "99"];
        assert_eq!(ticked("3", "1", true, &["99"], &order), "1 3");
        assert_eq!(ticked("1 3", "3", false, &["99"], &order), "1");
        assert_eq!(ticked("1 3", "99", true, &["99"], &order), "99");
        assert_eq!(ticked("99", "2", true, &["99"], &order), "2");
        // An answer a choice filter no longer offers is kept, after the offered ones.
        assert_eq!(ticked("7", "2", true, &[], &order), "2 7");
    }

    #[test]
    fn a_code_is_chosen_whole_never_as_part_of_another() {
        assert!(is_chosen("1 12", "12", true));
        assert!(!is_chosen("12", "1", true));
        assert!(!is_chosen("1 2", "1", false));
        assert!(is_chosen("1", "1", false));
    }
}
