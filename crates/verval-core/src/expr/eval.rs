//! Evaluating a tree: operators as XPath 1.0 defines them over strings, numbers, booleans
//! and node-sets, with ODK's dates compared and added as numbers of days.

use super::lexer::Op;
use super::parser::{Expr, Path, Step};
use super::value::Value;
use super::{dates, functions, Env, ExprError};

pub fn eval(expr: &Expr, env: &dyn Env) -> Result<Value, ExprError> {
    Ok(match expr {
        Expr::Number(n) => Value::Num(*n),
        Expr::Literal(s) => Value::Str(s.clone()),
        Expr::Ref(name) => env
            .field(name)
            .ok_or_else(|| ExprError::UnknownField(name.clone()))?,
        Expr::Path(path) => path_value(path, env)?,
        Expr::Neg(inner) => Value::Num(-eval(inner, env)?.number()),
        Expr::Call(name, args) => functions::call(name, args, env)?,
        Expr::Binary(op, left, right) => binary(*op, left, right, env)?,
    })
}

fn path_value(path: &Path, env: &dyn Env) -> Result<Value, ExprError> {
    if path.steps == [Step::Current] {
        return Ok(env.current());
    }
    match path.field() {
        Some(name) => env
            .path(name)
            .ok_or_else(|| ExprError::UnknownField(name.to_owned())),
        None => Err(ExprError::Invalid(format!(
            "jalur {path:?} tidak menunjuk isian (the path names no field)"
        ))),
    }
}

fn binary(op: Op, left: &Expr, right: &Expr, env: &dyn Env) -> Result<Value, ExprError> {
    // `and` and `or` read their right side only when it matters.
    match op {
        Op::And => {
            return Ok(Value::Bool(
                eval(left, env)?.boolean() && eval(right, env)?.boolean(),
            ))
        }
        Op::Or => {
            return Ok(Value::Bool(
                eval(left, env)?.boolean() || eval(right, env)?.boolean(),
            ))
        }
        _ => {}
    }
    let (a, b) = (eval(left, env)?, eval(right, env)?);
    let offset = env.utc_offset_minutes();
    Ok(match op {
        Op::Eq => Value::Bool(equal(&a, &b, offset)),
        Op::Ne => Value::Bool(not_equal(&a, &b, offset)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => Value::Bool(relate(op, &a, &b, offset)),
        // A date and a string that reads as one (a date field's answer) count as days.
        Op::Add | Op::Sub => {
            let (x, y) = as_days(&a, &b, offset).unwrap_or((a.number(), b.number()));
            Value::Num(if op == Op::Add { x + y } else { x - y })
        }
        Op::Mul => Value::Num(a.number() * b.number()),
        Op::Div => Value::Num(a.number() / b.number()),
        // Rust's `%` keeps the dividend's sign, as XPath's `mod` does.
        Op::Mod => Value::Num(a.number() % b.number()),
        Op::Union => {
            let mut nodes = a.items(offset);
            nodes.extend(b.items(offset));
            Value::Nodes(nodes)
        }
        Op::And | Op::Or => unreachable!("handled above"),
    })
}

/// A date compared with a string that reads as a date compares as days.
fn as_days(v: &Value, other: &Value, offset: i32) -> Option<(f64, f64)> {
    let days = |v: &Value| match v {
        Value::Date { days, .. } => Some(*days),
        Value::Str(s) => dates::read(s, offset).map(|(d, _)| d),
        _ => None,
    };
    match (v, other) {
        (Value::Date { .. }, _) | (_, Value::Date { .. }) => Some((days(v)?, days(other)?)),
        _ => None,
    }
}

/// Ordered, a string that reads as a date is one: beside another such string, or a number
/// of days (`today() + 1 > '1970-06-03'`).
fn date_strings(a: &Value, b: &Value, offset: i32) -> Option<(f64, f64)> {
    let days = |v: &Value| match v {
        Value::Str(s) => dates::read(s, offset).map(|(d, _)| d),
        Value::Num(n) => Some(*n),
        _ => None,
    };
    let is_date = |v: &Value| matches!(v, Value::Str(s) if dates::read(s, offset).is_some());
    (is_date(a) || is_date(b))
        .then(|| Some((days(a)?, days(b)?)))
        .flatten()
}

/// XPath 1.0's `=` (3.4): node-sets compare node by node; otherwise booleans, then numbers,
/// then strings.
fn equal(a: &Value, b: &Value, offset: i32) -> bool {
    match (a, b) {
        (Value::Nodes(x), Value::Nodes(y)) => x.iter().any(|s| y.contains(s)),
        (Value::Nodes(x), other) | (other, Value::Nodes(x)) => match other {
            Value::Bool(b) => x.is_empty() != *b,
            Value::Num(n) => x.iter().any(|s| super::text_number(s) == *n),
            _ => {
                let text = other.string(offset);
                x.contains(&text)
            }
        },
        _ => {
            if let Some((x, y)) = as_days(a, b, offset) {
                return x == y;
            }
            if matches!(a, Value::Bool(_)) || matches!(b, Value::Bool(_)) {
                a.boolean() == b.boolean()
            } else if matches!(a, Value::Num(_) | Value::Date { .. })
                || matches!(b, Value::Num(_) | Value::Date { .. })
            {
                a.number() == b.number()
            } else {
                a.string(offset) == b.string(offset)
            }
        }
    }
}

/// XPath 1.0's `!=`: for node-sets, whether some pair differs (not the opposite of `=`:
/// an empty node-set is neither equal nor unequal to anything).
fn not_equal(a: &Value, b: &Value, offset: i32) -> bool {
    match (a, b) {
        (Value::Nodes(x), Value::Nodes(y)) => x.iter().any(|s| y.iter().any(|t| s != t)),
        (Value::Nodes(x), other) | (other, Value::Nodes(x)) => match other {
            Value::Bool(b) => x.is_empty() == *b,
            Value::Num(n) => x.iter().any(|s| super::text_number(s) != *n),
            _ => {
                let text = other.string(offset);
                x.iter().any(|s| *s != text)
            }
        },
        _ => !equal(a, b, offset),
    }
}

/// XPath 1.0's `<`, `<=`, `>`, `>=`: as numbers, node by node for node-sets.
fn relate(op: Op, a: &Value, b: &Value, offset: i32) -> bool {
    let holds = |x: f64, y: f64| match op {
        Op::Lt => x < y,
        Op::Le => x <= y,
        Op::Gt => x > y,
        _ => x >= y,
    };
    if let Some((x, y)) = as_days(a, b, offset).or_else(|| date_strings(a, b, offset)) {
        return holds(x, y);
    }
    let numbers = |v: &Value| match v {
        Value::Nodes(nodes) => nodes.iter().map(|s| super::text_number(s)).collect(),
        other => vec![other.number()],
    };
    let (xs, ys) = (numbers(a), numbers(b));
    xs.iter().any(|x| ys.iter().any(|y| holds(*x, *y)))
}
