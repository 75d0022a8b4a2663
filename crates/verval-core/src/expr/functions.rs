//! The functions of ODK's XPath (getodk/xforms-spec, "XPath functions") that forms use, and
//! XPath 1.0's core library. Out of scope, refused by name where a form names them:
//! `pulldata`, `instance`, `randomize`, `digest`, `version`, `property` — what reads
//! outside the form.

use super::dates;
use super::parser::Expr;
use super::value::{text_number, Value};
use super::{eval, Env, ExprError};

/// Functions a form may name that this engine refuses, each with why.
pub const OUT_OF_SCOPE: &[&str] = &[
    "pulldata",
    "instance",
    "randomize",
    "random",
    "digest",
    "version",
    "property",
    "uuid",
    "once",
];

/// Every function [`call`] knows (a form naming another is refused when it is imported).
pub const KNOWN: &[&str] = &[
    "true",
    "false",
    "not",
    "boolean",
    "boolean-from-string",
    "if",
    "checklist",
    "weighted-checklist",
    "selected",
    "regex",
    "contains",
    "starts-with",
    "ends-with",
    "string",
    "concat",
    "join",
    "string-length",
    "normalize-space",
    "substr",
    "substring",
    "substring-before",
    "substring-after",
    "translate",
    "coalesce",
    "selected-at",
    "count-selected",
    "jr:choice-name",
    "number",
    "int",
    "round",
    "floor",
    "ceiling",
    "abs",
    "sqrt",
    "exp",
    "exp10",
    "log",
    "log10",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "pow",
    "pi",
    "sum",
    "count",
    "count-non-empty",
    "min",
    "max",
    "position",
    "indexed-repeat",
    "today",
    "now",
    "date",
    "date-time",
    "decimal-date-time",
    "decimal-date",
    "decimal-time",
    "format-date",
    "format-date-time",
];

fn arity(name: &str, args: &[Expr], min: usize, max: usize) -> Result<(), ExprError> {
    if (min..=max).contains(&args.len()) {
        return Ok(());
    }
    let wanted = match (min, max) {
        (a, b) if a == b => a.to_string(),
        (a, usize::MAX) => format!("{a} atau lebih (or more)"),
        (a, b) => format!("{a}–{b}"),
    };
    Err(ExprError::Arity {
        name: name.to_owned(),
        wanted,
        given: args.len(),
    })
}

pub fn call(name: &str, args: &[Expr], env: &dyn Env) -> Result<Value, ExprError> {
    let offset = env.utc_offset_minutes();
    let value = |i: usize| eval(&args[i], env);
    let text = |i: usize| -> Result<String, ExprError> { Ok(value(i)?.string(offset)) };
    let num = |i: usize| -> Result<f64, ExprError> { Ok(value(i)?.number()) };
    // The context value when an argument is left out (`string()`, `string-length()`, …).
    let text_or_current = |i: usize| -> Result<String, ExprError> {
        match args.get(i) {
            Some(_) => text(i),
            None => Ok(env.current().string(offset)),
        }
    };
    let n = |name: &str, min: usize, max: usize| arity(name, args, min, max);
    Ok(match name {
        // Booleans.
        "true" => n(name, 0, 0).map(|()| Value::Bool(true))?,
        "false" => n(name, 0, 0).map(|()| Value::Bool(false))?,
        "not" => {
            n(name, 1, 1)?;
            Value::Bool(!value(0)?.boolean())
        }
        "boolean" => {
            n(name, 1, 1)?;
            Value::Bool(value(0)?.boolean())
        }
        "boolean-from-string" => {
            n(name, 1, 1)?;
            let s = text(0)?;
            Value::Bool(s == "true" || s == "1")
        }
        "if" => {
            n(name, 3, 3)?;
            match value(0)?.boolean() {
                true => value(1)?,
                false => value(2)?,
            }
        }
        "checklist" => {
            n(name, 2, usize::MAX)?;
            let (min, max) = (num(0)?, num(1)?);
            let mut yes = 0.0;
            for arg in &args[2..] {
                yes += f64::from(u8::from(eval(arg, env)?.boolean()));
            }
            Value::Bool((min < 0.0 || yes >= min) && (max < 0.0 || yes <= max))
        }
        "weighted-checklist" => {
            n(name, 2, usize::MAX)?;
            if !args.len().is_multiple_of(2) {
                return Err(ExprError::Invalid(
                    "weighted-checklist() memerlukan pasangan nilai dan bobot (needs value and weight pairs)"
                        .to_owned(),
                ));
            }
            let (min, max) = (num(0)?, num(1)?);
            let mut sum = 0.0;
            for pair in args[2..].chunks(2) {
                if eval(&pair[0], env)?.boolean() {
                    sum += eval(&pair[1], env)?.number();
                }
            }
            Value::Bool((min < 0.0 || sum >= min) && (max < 0.0 || sum <= max))
        }
        "selected" => {
            n(name, 2, 2)?;
            let wanted = text(1)?;
            let wanted = wanted.trim();
            Value::Bool(text(0)?.split_whitespace().any(|code| code == wanted))
        }
        "regex" => {
            n(name, 2, 2)?;
            let (subject, pattern) = (text(0)?, text(1)?);
            Value::Bool(env.regex(&subject, &pattern).map_err(ExprError::Invalid)?)
        }
        "contains" => {
            n(name, 2, 2)?;
            Value::Bool(text(0)?.contains(&text(1)?))
        }
        "starts-with" => {
            n(name, 2, 2)?;
            Value::Bool(text(0)?.starts_with(&text(1)?))
        }
        "ends-with" => {
            n(name, 2, 2)?;
            Value::Bool(text(0)?.ends_with(&text(1)?))
        }

        // Strings.
        "string" => {
            n(name, 0, 1)?;
            Value::Str(text_or_current(0)?)
        }
        "concat" => {
            let mut out = String::new();
            for arg in args {
                // Like JavaRosa, a node-set argument gives every node's value.
                for item in eval(arg, env)?.items(offset) {
                    out.push_str(&item);
                }
            }
            Value::Str(out)
        }
        "join" => {
            n(name, 1, usize::MAX)?;
            let separator = text(0)?;
            let mut items = Vec::new();
            for arg in &args[1..] {
                items.extend(eval(arg, env)?.items(offset));
            }
            Value::Str(items.join(&separator))
        }
        "string-length" => {
            n(name, 0, 1)?;
            Value::Num(text_or_current(0)?.chars().count() as f64)
        }
        "normalize-space" => {
            n(name, 0, 1)?;
            Value::Str(
                text_or_current(0)?
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        "substr" => {
            n(name, 2, 3)?;
            let chars: Vec<char> = text(0)?.chars().collect();
            let len = chars.len() as f64;
            let start = num(1)?;
            let end = if args.len() == 3 { num(2)? } else { len };
            // A negative position counts from the end (JavaScript's `slice`, as ODK).
            let clamp = |x: f64| {
                let x = if x < 0.0 { len + x } else { x };
                if x.is_nan() {
                    0
                } else {
                    x.clamp(0.0, len) as usize
                }
            };
            let (start, end) = (clamp(start), clamp(end));
            Value::Str(if start < end {
                chars[start..end].iter().collect()
            } else {
                String::new()
            })
        }
        "substring" => {
            n(name, 2, 3)?;
            Value::Str(substring(
                &text(0)?,
                num(1)?,
                if args.len() == 3 { Some(num(2)?) } else { None },
            ))
        }
        "substring-before" => {
            n(name, 2, 2)?;
            let (s, sep) = (text(0)?, text(1)?);
            Value::Str(s.find(&sep).map(|at| s[..at].to_owned()).unwrap_or_default())
        }
        "substring-after" => {
            n(name, 2, 2)?;
            let (s, sep) = (text(0)?, text(1)?);
            Value::Str(
                s.find(&sep)
                    .map(|at| s[at + sep.len()..].to_owned())
                    .unwrap_or_default(),
            )
        }
        "translate" => {
            n(name, 3, 3)?;
            let (s, from, to) = (text(0)?, text(1)?, text(2)?);
            let (from, to): (Vec<char>, Vec<char>) = (from.chars().collect(), to.chars().collect());
            Value::Str(
                s.chars()
                    .filter_map(|c| match from.iter().position(|f| *f == c) {
                        Some(at) => to.get(at).copied(),
                        None => Some(c),
                    })
                    .collect(),
            )
        }
        "coalesce" => {
            n(name, 2, 2)?;
            let first = value(0)?;
            let empty = match &first {
                Value::Num(n) => n.is_nan(),
                other => other.string(offset).is_empty(),
            };
            match empty {
                true => value(1)?,
                false => first,
            }
        }
        "selected-at" => {
            n(name, 2, 2)?;
            let s = text(0)?;
            let at = num(1)?;
            let item = (at >= 0.0 && at.fract() == 0.0)
                .then(|| s.split_whitespace().nth(at as usize))
                .flatten();
            Value::Str(item.unwrap_or_default().to_owned())
        }
        "count-selected" => {
            n(name, 1, 1)?;
            Value::Num(text(0)?.split_whitespace().count() as f64)
        }
        "jr:choice-name" => {
            n(name, 2, 2)?;
            let (choice, field) = (text(0)?, text(1)?);
            let field = field.trim().trim_start_matches("${").trim_end_matches('}');
            let field = field.rsplit('/').next().unwrap_or(field);
            Value::Str(env.choice_label(field, &choice).unwrap_or_default())
        }

        // Numbers.
        "number" => {
            n(name, 0, 1)?;
            match args.first() {
                Some(_) => Value::Num(value(0)?.number()),
                None => Value::Num(env.current().number()),
            }
        }
        "int" => {
            n(name, 1, 1)?;
            Value::Num(num(0)?.trunc())
        }
        "round" => {
            n(name, 1, 2)?;
            let x = num(0)?;
            let digits = if args.len() == 2 { num(1)? } else { 0.0 };
            Value::Num(round(x, digits))
        }
        "floor" => one(name, args, env, f64::floor)?,
        "ceiling" => one(name, args, env, f64::ceil)?,
        "abs" => one(name, args, env, f64::abs)?,
        "sqrt" => one(name, args, env, f64::sqrt)?,
        "exp" => one(name, args, env, f64::exp)?,
        "exp10" => one(name, args, env, |x| 10f64.powf(x))?,
        "log" => one(name, args, env, f64::ln)?,
        "log10" => one(name, args, env, f64::log10)?,
        "sin" => one(name, args, env, f64::sin)?,
        "cos" => one(name, args, env, f64::cos)?,
        "tan" => one(name, args, env, f64::tan)?,
        "asin" => one(name, args, env, f64::asin)?,
        "acos" => one(name, args, env, f64::acos)?,
        "atan" => one(name, args, env, f64::atan)?,
        "atan2" => {
            n(name, 2, 2)?;
            Value::Num(num(0)?.atan2(num(1)?))
        }
        "pow" => {
            n(name, 2, 2)?;
            Value::Num(num(0)?.powf(num(1)?))
        }
        "pi" => n(name, 0, 0).map(|()| Value::Num(std::f64::consts::PI))?,
        "sum" => {
            n(name, 1, 1)?;
            Value::Num(value(0)?.items(offset).iter().map(|s| text_number(s)).sum())
        }
        "count" => {
            n(name, 1, 1)?;
            Value::Num(match value(0)? {
                Value::Nodes(nodes) => nodes.len() as f64,
                _ => 1.0,
            })
        }
        "count-non-empty" => {
            n(name, 1, 1)?;
            Value::Num(value(0)?.items(offset).iter().filter(|s| !s.is_empty()).count() as f64)
        }
        "min" | "max" => {
            n(name, 1, usize::MAX)?;
            let mut numbers = Vec::new();
            for arg in args {
                numbers.extend(eval(arg, env)?.items(offset).iter().map(|s| text_number(s)));
            }
            if numbers.is_empty() || numbers.iter().any(|x| x.is_nan()) {
                Value::Num(f64::NAN)
            } else if name == "min" {
                Value::Num(numbers.into_iter().fold(f64::INFINITY, f64::min))
            } else {
                Value::Num(numbers.into_iter().fold(f64::NEG_INFINITY, f64::max))
            }
        }
        "position" => {
            n(name, 0, 1)?;
            Value::Num(env.position().ok_or_else(|| {
                ExprError::Invalid("position() di luar ulangan (position() outside a repeat)".to_owned())
            })?)
        }
        "indexed-repeat" => {
            n(name, 3, 3)?;
            let field = field_name(&args[0]).ok_or_else(|| {
                ExprError::Invalid("indexed-repeat() memerlukan ${isian} (needs a ${field})".to_owned())
            })?;
            let index = num(2)?;
            if index < 1.0 || index.fract() != 0.0 {
                Value::Str(String::new())
            } else {
                env.indexed(field, index as usize)
                    .unwrap_or(Value::Str(String::new()))
            }
        }

        // Dates.
        "today" => {
            n(name, 0, 0)?;
            let local_ms = env.now_ms() + i64::from(offset) * 60_000;
            Value::Date {
                days: local_ms.div_euclid(86_400_000) as f64,
                time: false,
            }
        }
        "now" => {
            n(name, 0, 0)?;
            Value::Date {
                days: env.now_ms() as f64 / 86_400_000.0,
                time: true,
            }
        }
        "date" | "date-time" => {
            n(name, 1, 1)?;
            to_date(value(0)?, offset)
        }
        "decimal-date-time" | "decimal-date" => {
            n(name, 1, 1)?;
            match to_date(value(0)?, offset) {
                Value::Date { days, .. } => Value::Num(days),
                other => Value::Num(other.number()),
            }
        }
        "decimal-time" => {
            n(name, 1, 1)?;
            let t = text(0)?;
            // A time of day (`hh:mm:ss.sss±hh:mm`) as a fraction of a day.
            match dates::read(&format!("1970-01-01T{t}"), offset) {
                Some((days, _)) if t.contains(['+', '-', 'Z']) => {
                    // The clock as the time zone shows it, to the millisecond.
                    let p = dates::Parts::of(days, true, offset);
                    let ms = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.ms;
                    Value::Num(f64::from(ms) / 86_400_000.0)
                }
                _ => Value::Num(f64::NAN),
            }
        }
        "format-date" | "format-date-time" => {
            n(name, 2, 2)?;
            let pattern = text(1)?;
            match to_date(value(0)?, offset) {
                Value::Date { days, time } => Value::Str(dates::format(days, time, &pattern, offset)),
                _ => Value::Str(String::new()),
            }
        }

        other if OUT_OF_SCOPE.contains(&other) => {
            return Err(ExprError::Invalid(format!(
                "fungsi {other}() tidak didukung formulir Verval (not supported: it reads outside the form)"
            )))
        }
        other => return Err(ExprError::UnknownFunction(other.to_owned())),
    })
}

fn one(name: &str, args: &[Expr], env: &dyn Env, f: impl Fn(f64) -> f64) -> Result<Value, ExprError> {
    arity(name, args, 1, 1)?;
    Ok(Value::Num(f(eval(&args[0], env)?.number())))
}

/// The field an argument names: `${field}` or a path ending in it.
fn field_name(arg: &Expr) -> Option<&str> {
    match arg {
        Expr::Ref(name) => Some(name),
        Expr::Path(path) => path.field(),
        _ => None,
    }
}

/// A value as a date: a date stays, a string reads as `YYYY-MM-DD[Thh:mm…]`, a number is
/// days since 1970-01-01; what does not read is an empty string (ODK's invalid date).
fn to_date(v: Value, offset: i32) -> Value {
    match v {
        Value::Date { .. } => v,
        Value::Num(days) if dates::in_range(days) => Value::Date {
            days,
            time: days.fract() != 0.0,
        },
        Value::Bool(_) | Value::Num(_) => Value::Str(String::new()),
        other => {
            let text = other.string(offset);
            match dates::read(&text, offset) {
                Some((days, time)) => Value::Date { days, time },
                None => match text_number(&text) {
                    days if dates::in_range(days) => Value::Date {
                        days,
                        time: days.fract() != 0.0,
                    },
                    _ => Value::Str(String::new()),
                },
            }
        }
    }
}

/// ODK's `round(x, digits)`: half away from zero (`round(-1.5)` is -2, where XPath 1.0
/// says -1).
fn round(x: f64, digits: f64) -> f64 {
    if !x.is_finite() || digits.is_nan() {
        return if digits.is_nan() { f64::NAN } else { x };
    }
    let factor = 10f64.powi(digits.trunc().clamp(-400.0, 400.0) as i32);
    if !factor.is_finite() {
        return x;
    }
    if factor == 0.0 {
        return 0.0;
    }
    // `f64::round` is half away from zero, exactly (no `+ 0.5` error near 0.5).
    (x * factor).round() / factor
}

/// XPath 1.0's `substring(s, start, length)`: 1-based, with its rounding rules.
fn substring(s: &str, start: f64, length: Option<f64>) -> String {
    // XPath 1.0's rounding: half towards +∞.
    let half_up = |x: f64| (x + 0.5).floor();
    let first = half_up(start);
    let last = match length {
        Some(len) => first + half_up(len),
        None => f64::INFINITY,
    };
    s.chars()
        .enumerate()
        .filter(|(i, _)| {
            let position = (*i + 1) as f64;
            position >= first && position < last
        })
        .map(|(_, c)| c)
        .collect()
}
