//! The expression tree, parsed by precedence climbing in XPath 1.0's order: `or`, `and`,
//! equality, relational, additive, multiplicative, unary minus, union, paths.

use super::lexer::{tokens, Op, Token};
use super::ExprError;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Literal(String),
    /// `${field}`.
    Ref(String),
    Path(Path),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

/// A location path as forms use it: `/data/group/field`, `.`, `..`, `../field`.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub absolute: bool,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Name(String),
    Current,
    Parent,
    /// `*`: any child.
    Any,
}

impl Path {
    /// The field a path names: its last named step (`/data/group/field` is `field`).
    pub fn field(&self) -> Option<&str> {
        match self.steps.last() {
            Some(Step::Name(name)) => Some(name),
            _ => None,
        }
    }
}

impl Expr {
    /// Every `${field}` and every field a path names (its last step), in order.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| match e {
            Expr::Ref(name) => out.push(name.as_str()),
            Expr::Path(path) => out.extend(path.field()),
            _ => {}
        });
        out
    }

    /// The fields read in the expression's own row: every field but those named as the
    /// first argument of `indexed-repeat()`, which reads the row its index names — unless
    /// that index is `position(..)`, the expression's own row.
    pub fn fields_in_row(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk_in_row(&mut out);
        out
    }

    fn walk_in_row<'e>(&'e self, out: &mut Vec<&'e str>) {
        match self {
            Expr::Ref(name) => out.push(name),
            Expr::Path(path) => out.extend(path.field()),
            Expr::Neg(inner) => inner.walk_in_row(out),
            Expr::Binary(_, left, right) => {
                left.walk_in_row(out);
                right.walk_in_row(out);
            }
            Expr::Call(name, args) => {
                let own_row = |index: &Expr| {
                    matches!(index, Expr::Call(f, of) if f == "position"
                        && matches!(of.as_slice(), [Expr::Path(p)] if p.steps == [Step::Parent] && !p.absolute))
                };
                let skip = usize::from(name == "indexed-repeat" && !args.get(2).is_some_and(own_row));
                args.iter().skip(skip).for_each(|a| a.walk_in_row(out));
            }
            Expr::Number(_) | Expr::Literal(_) => {}
        }
    }

    /// Every `${field}` only, in order (a choice filter's bare names are not fields).
    pub fn refs(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Ref(name) = e {
                out.push(name.as_str());
            }
        });
        out
    }

    /// Every function called, in order.
    pub fn functions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Call(name, _) = e {
                out.push(name.as_str());
            }
        });
        out
    }

    fn walk<'e>(&'e self, visit: &mut dyn FnMut(&'e Expr)) {
        visit(self);
        match self {
            Expr::Neg(inner) => inner.walk(visit),
            Expr::Binary(_, left, right) => {
                left.walk(visit);
                right.walk(visit);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.walk(visit)),
            Expr::Number(_) | Expr::Literal(_) | Expr::Ref(_) | Expr::Path(_) => {}
        }
    }
}

pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let tokens = tokens(src)?;
    if tokens.is_empty() {
        return Err(ExprError::syntax(
            src,
            "ekspresi kosong",
            "the expression is empty",
        ));
    }
    let mut parser = Parser {
        src,
        tokens,
        at: 0,
        depth: 0,
        nodes: 0,
    };
    let expr = parser.binary(0)?;
    match parser.peek() {
        None => Ok(expr),
        Some(t) => {
            let (id, en) = describe(t);
            Err(parser.error(&format!("{id} tidak pada tempatnya"), &format!("unexpected {en}")))
        }
    }
}

/// Parentheses and calls nested deeper than this are refused, not followed until the stack
/// runs out (a form's longest `if(…, if(…))` chains nest a few dozen).
const MAX_DEPTH: usize = 100;
/// Operators and calls in one expression, at most: every part of the tree is walked by
/// recursion (evaluating, listing its fields, dropping it), so a chain of thousands of
/// `+` is refused as a whole instead of overflowing a stack.
const MAX_NODES: usize = 500;

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
    nodes: usize,
}

/// Binary operators from the loosest; each level's operators.
const LEVELS: [&[Op]; 6] = [
    &[Op::Or],
    &[Op::And],
    &[Op::Eq, Op::Ne],
    &[Op::Lt, Op::Le, Op::Gt, Op::Ge],
    &[Op::Add, Op::Sub],
    &[Op::Mul, Op::Div, Op::Mod],
];

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn error(&self, id: &str, en: &str) -> ExprError {
        ExprError::syntax(self.src, id, en)
    }

    fn expect(&mut self, want: &Token, what: &str) -> Result<(), ExprError> {
        match self.next() {
            Some(t) if t == *want => Ok(()),
            Some(t) => {
                let (id, en) = describe(&t);
                Err(self.error(
                    &format!("seharusnya {what}, tertulis {id}"),
                    &format!("expected {what}, found {en}"),
                ))
            }
            None => Err(self.error(
                &format!("seharusnya {what} di akhir"),
                &format!("expected {what} at the end"),
            )),
        }
    }

    /// Counts one more operator or call against [`MAX_NODES`].
    fn node(&mut self) -> Result<(), ExprError> {
        self.nodes += 1;
        match self.nodes > MAX_NODES {
            true => Err(self.error(
                &format!("lebih dari {MAX_NODES} operator dan fungsi"),
                &format!("more than {MAX_NODES} operators and calls"),
            )),
            false => Ok(()),
        }
    }

    /// One more level of parentheses or call against [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        match self.depth > MAX_DEPTH {
            true => Err(self.error("kurung bersarang terlalu dalam", "nested too deeply")),
            false => Ok(()),
        }
    }

    fn binary(&mut self, level: usize) -> Result<Expr, ExprError> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(Token::Op(op)) = self.peek() {
            let op = *op;
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.at += 1;
            self.node()?;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek() == Some(&Token::Op(Op::Sub)) {
            self.at += 1;
            self.node()?;
            let inner = self.unary()?;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        let mut left = self.path_expr()?;
        while self.peek() == Some(&Token::Op(Op::Union)) {
            self.at += 1;
            self.node()?;
            let right = self.path_expr()?;
            left = Expr::Binary(Op::Union, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn path_expr(&mut self) -> Result<Expr, ExprError> {
        match self.peek().cloned() {
            Some(Token::Number(n)) => {
                self.at += 1;
                Ok(Expr::Number(n))
            }
            Some(Token::Literal(s)) => {
                self.at += 1;
                Ok(Expr::Literal(s))
            }
            Some(Token::Ref(name)) => {
                self.at += 1;
                Ok(Expr::Ref(name))
            }
            Some(Token::LParen) => {
                self.at += 1;
                self.deeper()?;
                let inner = self.binary(0)?;
                self.expect(&Token::RParen, "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            Some(Token::Name(name)) if self.tokens.get(self.at + 1) == Some(&Token::LParen) => {
                self.at += 2;
                self.node()?;
                self.deeper()?;
                let mut args = Vec::new();
                if self.peek() != Some(&Token::RParen) {
                    loop {
                        args.push(self.binary(0)?);
                        match self.next() {
                            Some(Token::Comma) => continue,
                            Some(Token::RParen) => break,
                            Some(t) => {
                                let (id, en) = describe(&t);
                                return Err(self.error(
                                    &format!("seharusnya ',' atau ')' di {name}(), tertulis {id}"),
                                    &format!("expected ',' or ')' in {name}(), found {en}"),
                                ));
                            }
                            None => {
                                return Err(self.error(
                                    &format!("{name}( tidak ditutup"),
                                    &format!("{name}( is not closed"),
                                ))
                            }
                        }
                    }
                } else {
                    self.at += 1;
                }
                self.depth -= 1;
                Ok(Expr::Call(name, args))
            }
            Some(
                Token::Slash | Token::DoubleSlash | Token::Dot | Token::DotDot | Token::Name(_) | Token::Star,
            ) => self.path().map(Expr::Path),
            Some(t) => {
                let (id, en) = describe(&t);
                Err(self.error(&format!("{id} tidak pada tempatnya"), &format!("unexpected {en}")))
            }
            None => Err(self.error("ekspresi berakhir terlalu cepat", "the expression ends too soon")),
        }
    }

    fn path(&mut self) -> Result<Path, ExprError> {
        let mut path = Path {
            absolute: false,
            steps: Vec::new(),
        };
        match self.peek() {
            Some(Token::Slash) => {
                self.at += 1;
                path.absolute = true;
                if !matches!(
                    self.peek(),
                    Some(Token::Name(_) | Token::Star | Token::Dot | Token::DotDot)
                ) {
                    return Ok(path);
                }
            }
            Some(Token::DoubleSlash) => return Err(self.error(ANY_DESCENDANT.0, ANY_DESCENDANT.1)),
            _ => {}
        }
        loop {
            let step = match self.next() {
                Some(Token::Name(name)) => Step::Name(name),
                Some(Token::Dot) => Step::Current,
                Some(Token::DotDot) => Step::Parent,
                Some(Token::Star) => Step::Any,
                Some(t) => {
                    let (id, en) = describe(&t);
                    return Err(self.error(
                        &format!("seharusnya langkah jalur, tertulis {id}"),
                        &format!("expected a path step, found {en}"),
                    ));
                }
                None => return Err(self.error("jalur berakhir dengan '/'", "a path ends with '/'")),
            };
            path.steps.push(step);
            if self.peek() == Some(&Token::LBracket) {
                return Err(self.error(
                    "predikat ([…]) tidak didukung di formulir",
                    "predicates ([…]) are not supported in forms",
                ));
            }
            match self.peek() {
                Some(Token::Slash) => self.at += 1,
                Some(Token::DoubleSlash) => return Err(self.error(ANY_DESCENDANT.0, ANY_DESCENDANT.1)),
                _ => return Ok(path),
            }
        }
    }
}

/// A token as a message names it, in Indonesian and in English.
fn describe(token: &Token) -> (String, String) {
    let both = |text: &str| (text.to_owned(), text.to_owned());
    match token {
        Token::Number(n) => (format!("angka {n}"), format!("the number {n}")),
        Token::Literal(s) => (format!("teks {s:?}"), format!("the string {s:?}")),
        Token::Name(n) => (format!("nama {n:?}"), format!("the name {n:?}")),
        Token::Ref(n) => both(&format!("${{{n}}}")),
        Token::Op(op) => (format!("operator {op:?}"), format!("the operator {op:?}")),
        Token::LParen => both("'('"),
        Token::RParen => both("')'"),
        Token::LBracket => both("'['"),
        Token::RBracket => both("']'"),
        Token::Comma => both("','"),
        Token::Slash => both("'/'"),
        Token::DoubleSlash => both("'//'"),
        Token::Dot => both("'.'"),
        Token::DotDot => both("'..'"),
        Token::At => both("'@'"),
        Token::Star => both("'*'"),
    }
}

/// `//` reads the whole document in XPath; a form's expressions name their fields.
const ANY_DESCENDANT: (&str, &str) = (
    "'//' (semua turunan) tidak didukung di formulir",
    "'//' (any descendant) is not supported in forms",
);
