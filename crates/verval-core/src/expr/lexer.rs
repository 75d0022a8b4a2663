//! Splitting an expression into tokens, with XPath 1.0's rule for names that are also
//! operators (`and`, `or`, `div`, `mod`) and for `*`: after an operand they are operators,
//! elsewhere a name or a node test.

use super::ExprError;

#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Number(f64),
    Literal(String),
    /// A name: a function, a path step, or `prefix:local` (`jr:choice-name`).
    Name(String),
    /// `${field}`: XLSForm's reference to a field by name.
    Ref(String),
    Op(Op),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Slash,
    DoubleSlash,
    Dot,
    DotDot,
    At,
    Star,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Union,
}

/// The tokens of `src`, in order; the first character that starts no token is an error.
pub fn tokens(src: &str) -> Result<Vec<Token>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // After an operand, `*` and the operator names are operators (XPath 1.0, 3.7).
        let after_operand = out.last().is_some_and(ends_operand);
        let token =
            match c {
                '(' => Token::LParen,
                ')' => Token::RParen,
                '[' => Token::LBracket,
                ']' => Token::RBracket,
                ',' => Token::Comma,
                '@' => Token::At,
                '|' => Token::Op(Op::Union),
                '+' => Token::Op(Op::Add),
                '-' => Token::Op(Op::Sub),
                '=' => Token::Op(Op::Eq),
                '*' if after_operand => Token::Op(Op::Mul),
                '*' => Token::Star,
                '!' if chars.get(i + 1) == Some(&'=') => {
                    i += 1;
                    Token::Op(Op::Ne)
                }
                '<' | '>' => {
                    let equal = chars.get(i + 1) == Some(&'=');
                    if equal {
                        i += 1;
                    }
                    Token::Op(match (c, equal) {
                        ('<', false) => Op::Lt,
                        ('<', true) => Op::Le,
                        ('>', false) => Op::Gt,
                        _ => Op::Ge,
                    })
                }
                '/' if chars.get(i + 1) == Some(&'/') => {
                    i += 1;
                    Token::DoubleSlash
                }
                '/' => Token::Slash,
                '"' | '\'' => {
                    let end = chars[i + 1..].iter().position(|&q| q == c).ok_or_else(|| {
                        ExprError::syntax(src, "teks tidak ditutup", "a string is not closed")
                    })?;
                    let text: String = chars[i + 1..i + 1 + end].iter().collect();
                    i += end + 1;
                    Token::Literal(text)
                }
                '$' if chars.get(i + 1) == Some(&'{') => {
                    let end = chars[i + 2..].iter().position(|&q| q == '}').ok_or_else(|| {
                        ExprError::syntax(
                            src,
                            "rujukan ${…} tidak ditutup",
                            "a ${…} reference is not closed",
                        )
                    })?;
                    let name: String = chars[i + 2..i + 2 + end].iter().collect();
                    if name.trim().is_empty() {
                        return Err(ExprError::syntax(
                            src,
                            "rujukan ${} kosong",
                            "an empty ${} reference",
                        ));
                    }
                    i += end + 2;
                    Token::Ref(name.trim().to_owned())
                }
                '.' if chars.get(i + 1) == Some(&'.') => {
                    i += 1;
                    Token::DotDot
                }
                '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => Token::Dot,
                c if c.is_ascii_digit() || c == '.' => {
                    let start = i;
                    while i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    if c != '.' && chars.get(i + 1) == Some(&'.') {
                        i += 1;
                        while i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    let text: String = chars[start..=i].iter().collect();
                    Token::Number(text.parse().map_err(|_| {
                        ExprError::syntax(src, "angka tidak terbaca", "a number does not read")
                    })?)
                }
                c if is_name_start(c) => {
                    let start = i;
                    while i + 1 < chars.len() && is_name_char(chars[i + 1]) {
                        i += 1;
                    }
                    // `prefix:local`, not `name::axis`.
                    if chars.get(i + 1) == Some(&':') && chars.get(i + 2).is_some_and(|&c| is_name_start(c)) {
                        i += 2;
                        while i + 1 < chars.len() && is_name_char(chars[i + 1]) {
                            i += 1;
                        }
                    }
                    let mut name: String = chars[start..=i].iter().collect();
                    // `1mod1`, `1 div1`: after an operand, an operator name glued to a number is
                    // the operator, then the number (as web-forms and JavaRosa read them).
                    if after_operand {
                        if let Some(op) = ["and", "or", "div", "mod"].into_iter().find(|op| {
                            name.strip_prefix(op)
                                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                        }) {
                            i = start + op.len() - 1;
                            name = op.to_owned();
                        }
                    }
                    match (after_operand, name.as_str()) {
                        (true, "and") => Token::Op(Op::And),
                        (true, "or") => Token::Op(Op::Or),
                        (true, "div") => Token::Op(Op::Div),
                        (true, "mod") => Token::Op(Op::Mod),
                        _ => Token::Name(name),
                    }
                }
                other => {
                    return Err(ExprError::syntax(
                        src,
                        &format!("karakter {other:?} tidak dikenal"),
                        &format!("unexpected character {other:?}"),
                    ));
                }
            };
        out.push(token);
        i += 1;
    }
    Ok(out)
}

/// Whether a token ends an operand, so that what follows is an operator.
fn ends_operand(token: &Token) -> bool {
    matches!(
        token,
        Token::Number(_)
            | Token::Literal(_)
            | Token::Name(_)
            | Token::Ref(_)
            | Token::RParen
            | Token::RBracket
            | Token::Dot
            | Token::DotDot
            | Token::Star
    )
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}
