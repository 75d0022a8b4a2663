//! The engine against cases of our own, table-driven: what XLSForm forms write. The
//! external suite (getodk/web-forms) runs in `tests/web_forms_xpath.rs`.

use super::*;
use std::collections::BTreeMap;

/// Fields by name, a fixed clock (2026-12-06 09:30 WIB) and the regex crate.
struct Form {
    fields: BTreeMap<&'static str, Value>,
    current: Value,
}

impl Env for Form {
    fn field(&self, name: &str) -> Option<Value> {
        self.fields.get(name).cloned()
    }
    fn current(&self) -> Value {
        self.current.clone()
    }
    fn position(&self) -> Option<f64> {
        Some(2.0)
    }
    fn indexed(&self, field: &str, index: usize) -> Option<Value> {
        match self.fields.get(field)? {
            Value::Nodes(nodes) => nodes.get(index - 1).cloned().map(Value::Str),
            other => (index == 1).then(|| other.clone()),
        }
    }
    fn choice_label(&self, field: &str, value: &str) -> Option<String> {
        (field == "jk" && value == "1").then(|| "Laki-laki".to_owned())
    }
    fn now_ms(&self) -> i64 {
        // 2026-12-06T02:30:00Z
        1_796_524_200_000
    }
    fn utc_offset_minutes(&self) -> i32 {
        420
    }
    fn regex(&self, text: &str, pattern: &str) -> Result<bool, String> {
        regex::Regex::new(pattern)
            .map(|r| r.is_match(text))
            .map_err(|e| e.to_string())
    }
}

fn form() -> Form {
    let s = |v: &str| Value::Str(v.to_owned());
    Form {
        fields: BTreeMap::from([
            ("umur", s("34")),
            ("nama", s("Siti Aminah")),
            ("kosong", s("")),
            ("bantuan", s("pkh bpnt pip")),
            ("jk", s("1")),
            ("lahir", s("1992-03-15")),
            (
                "penghasilan",
                Value::Nodes(vec!["1500000".into(), "750000".into(), "".into()]),
            ),
        ]),
        current: s("3513140101700001"),
    }
}

fn text(expr: &str) -> String {
    let env = form();
    evaluate(expr, &env)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .string(env.utc_offset_minutes())
}

#[test]
fn expressions_of_real_forms_evaluate_as_odk_does() {
    let cases: &[(&str, &str)] = &[
        // References, arithmetic and comparison.
        ("${umur} + 1", "35"),
        ("${umur} >= 17 and ${umur} < 60", "true"),
        ("${umur} > '9'", "true"),
        ("${kosong} = ''", "true"),
        ("${kosong} + 1", "NaN"),
        ("10 div 4", "2.5"),
        ("-7 mod 3", "-1"),
        ("1 div 0", "Infinity"),
        ("0.1 + 0.2", "0.30000000000000004"),
        ("string-length(.) = 16", "true"),
        ("regex(., '^[0-9]{16}$')", "true"),
        ("regex(${nama}, '^[0-9]+$')", "false"),
        // Selects.
        ("selected(${bantuan}, 'pip')", "true"),
        ("selected(${bantuan}, 'pi')", "false"),
        ("count-selected(${bantuan})", "3"),
        ("selected-at(${bantuan}, 1)", "bpnt"),
        ("selected-at(${bantuan}, 9)", ""),
        ("jr:choice-name(${jk}, '${jk}')", "Laki-laki"),
        // Strings.
        ("concat(${nama}, ' (', ${umur}, ')')", "Siti Aminah (34)"),
        ("substr(${nama}, 0, 4)", "Siti"),
        ("substr(${nama}, 5)", "Aminah"),
        ("substring(${nama}, 1.5, 2.6)", "iti"),
        ("coalesce(${kosong}, 'tidak ada')", "tidak ada"),
        ("coalesce(${nama}, 'tidak ada')", "Siti Aminah"),
        ("starts-with(${nama}, 'Siti')", "true"),
        ("ends-with(${nama}, 'nah')", "true"),
        ("normalize-space('  a   b ')", "a b"),
        ("translate('abc', 'abc', 'AB')", "AB"),
        ("if(${umur} > 17, 'dewasa', 'anak')", "dewasa"),
        ("not(${kosong})", "true"),
        // Numbers.
        ("int(-3.7)", "-3"),
        ("round(2.5)", "3"),
        ("round(-2.5)", "-3"),
        ("substring('12345', 1.5, 2.6)", "234"),
        ("substr('kabupaten', -3)", "ten"),
        ("checklist(1, 2, ${umur} > 17, ${kosong} != '')", "true"),
        ("weighted-checklist(3, -1, ${umur} > 17, 2, true(), 1)", "true"),
        ("coalesce(number(${kosong}), 0)", "0"),
        ("10 mod3", "1"),
        ("'2026-12-05' < today()", "true"),
        ("'10' < '9'", "false"),
        ("round(3.14159, 2)", "3.14"),
        ("round(-1.005, 1)", "-1"),
        ("round(0.49999999999999994)", "0"),
        ("round(3.1, 400)", "3.1"),
        ("${penghasilan} != 750000", "true"),
        ("${penghasilan} != 'x'", "true"),
        ("today() - ${lahir} > 365 * 34", "true"),
        ("pow(2, 10)", "1024"),
        ("number('  12.5 ')", "12.5"),
        ("number('1e3')", "NaN"),
        ("abs(-4)", "4"),
        ("max(3, 9, 4)", "9"),
        ("min(3, 'x')", "NaN"),
        // Repeats seen from outside: node-sets.
        ("sum(${penghasilan})", "NaN"),
        ("count(${penghasilan})", "3"),
        ("count-non-empty(${penghasilan})", "2"),
        ("join(', ', ${penghasilan})", "1500000, 750000, "),
        ("${penghasilan} = 750000", "true"),
        ("${penghasilan} > 1000000", "true"),
        ("indexed-repeat(${penghasilan}, ${penghasilan}, 2)", "750000"),
        ("position(..)", "2"),
        // Dates, in WIB.
        ("today()", "2026-12-06"),
        ("now()", "2026-12-06T09:30:00.000+07:00"),
        ("date('2026-12-06') = today()", "true"),
        ("today() - date(${lahir}) > 365 * 34", "true"),
        (
            "int((decimal-date-time(today()) - decimal-date-time(${lahir})) div 365.25)",
            "34",
        ),
        ("format-date(${lahir}, '%e %b %Y')", "15 Mar 1992"),
        ("format-date(${lahir}, '%Y-%m-%d %a')", "1992-03-15 Sun"),
        ("format-date-time(now(), '%H:%M')", "09:30"),
        ("date(0)", "1970-01-01"),
        ("number(date('1970-01-11'))", "10"),
        ("decimal-date-time('1970-01-02T06:00:00Z')", "1.25"),
        ("date('not a date')", ""),
        ("boolean-from-string('1')", "true"),
        ("boolean-from-string('yes')", "false"),
    ];
    let mut failures = Vec::new();
    for (expr, want) in cases {
        let got = text(expr);
        if got != *want {
            failures.push(format!("{expr}: {got:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn what_does_not_read_is_named() {
    let env = form();
    let cases: &[(&str, &str)] = &[
        ("1 +", "ekspresi berakhir terlalu cepat (the expression does not read: the expression ends too soon)"),
        ("(1 + 2", "seharusnya ')' di akhir (the expression does not read: expected ')' at the end)"),
        ("(1 2)", "seharusnya ')', tertulis angka 2 (the expression does not read: expected ')', found the number 2)"),
        ("'open", "not closed"),
        ("${tidak_ada} + 1", "(unknown field): tidak_ada"),
        ("nope(1)", "(unknown function): nope()"),
        ("not(1, 2)", "not() takes 1 arguments, given 2"),
        ("pulldata('x', 'y', 'z', 'w')", "reads outside the form"),
        ("/data//x", "'//'"),
        ("/data/x[1]", "predicates"),
        ("regex(., '(')", "regex"),
        ("1 # 2", "karakter '#' tidak dikenal (the expression does not read: unexpected character '#')"),
        ("", "empty"),
        ("${}", "rujukan ${} kosong (the expression does not read: an empty ${} reference)"),
    ];
    for (expr, why) in cases {
        match evaluate(expr, &env) {
            Ok(v) => panic!("{expr} evaluated to {v:?}"),
            Err(e) => assert!(e.to_string().contains(why), "{expr}: {e}"),
        }
    }
    // Nesting deep enough to exhaust a stack is refused.
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(evaluate(&deep, &env).is_err());
    let negatives = format!("{}1", "-".repeat(5000));
    assert!(evaluate(&negatives, &env).is_err());
    let chain = vec!["1"; 5000].join("+");
    assert!(evaluate(&chain, &env)
        .unwrap_err()
        .to_string()
        .contains("more than 500"));
    // A form's long chain of nested ifs reads.
    let mut nested = "'lain'".to_owned();
    for i in 0..60 {
        nested = format!("if(${{umur}} = {i}, '{i}', {nested})");
    }
    assert_eq!(text(&nested), "34");
    // Days beyond any calendar are no date, not an overflow.
    assert_eq!(text("format-date(1000000000000.5, '%Y')"), "");
    assert_eq!(text("date(1000000000000)"), "");
}

#[test]
fn every_function_the_engine_lists_is_one_it_evaluates() {
    let env = form();
    for name in KNOWN_FUNCTIONS {
        // Arguments wrong or right, a known function never answers "unknown".
        let outcome = evaluate(&format!("{name}('2026-12-06', 1, 1)"), &env);
        assert!(
            !matches!(outcome, Err(ExprError::UnknownFunction(_))),
            "{name}: {outcome:?}"
        );
    }
    for name in OUT_OF_SCOPE_FUNCTIONS {
        let outcome = evaluate(&format!("{name}('x')"), &env);
        assert!(
            matches!(&outcome, Err(ExprError::Invalid(why)) if why.contains("outside the form")),
            "{name}: {outcome:?}"
        );
    }
    let parsed = parse("if(selected(${a}, 'x'), /data/b + 1, ../c)").unwrap();
    assert_eq!(parsed.fields(), ["a", "b", "c"]);
    assert_eq!(parsed.functions(), ["if", "selected"]);
}
