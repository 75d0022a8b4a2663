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
        return Err(ExprError::syntax(src, "the expression is empty"));
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
        Some(t) => Err(parser.error(&format!("unexpected {}", describe(t)))),
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

    fn error(&self, why: &str) -> ExprError {
        ExprError::syntax(self.src, why)
    }

    fn expect(&mut self, want: &Token, what: &str) -> Result<(), ExprError> {
        match self.next() {
            Some(t) if t == *want => Ok(()),
            Some(t) => Err(self.error(&format!("expected {what}, found {}", describe(&t)))),
            None => Err(self.error(&format!("expected {what} at the end"))),
        }
    }

    /// Counts one more operator or call against [`MAX_NODES`].
    fn node(&mut self) -> Result<(), ExprError> {
        self.nodes += 1;
        match self.nodes > MAX_NODES {
            true => Err(self.error(&format!("more than {MAX_NODES} operators and calls"))),
            false => Ok(()),
        }
    }

    /// One more level of parentheses or call against [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        match self.depth > MAX_DEPTH {
            true => Err(self.error("nested too deeply")),
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
                                return Err(self.error(&format!(
                                    "expected ',' or ')' in {name}(), found {}",
                                    describe(&t)
                                )))
                            }
                            None => return Err(self.error(&format!("{name}( is not closed"))),
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
            Some(t) => Err(self.error(&format!("unexpected {}", describe(&t)))),
            None => Err(self.error("the expression ends too soon")),
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
            Some(Token::DoubleSlash) => {
                return Err(self.error("'//' (any descendant) is not supported in forms"))
            }
            _ => {}
        }
        loop {
            let step = match self.next() {
                Some(Token::Name(name)) => Step::Name(name),
                Some(Token::Dot) => Step::Current,
                Some(Token::DotDot) => Step::Parent,
                Some(Token::Star) => Step::Any,
                Some(t) => return Err(self.error(&format!("expected a path step, found {}", describe(&t)))),
                None => return Err(self.error("a path ends with '/'")),
            };
            path.steps.push(step);
            if self.peek() == Some(&Token::LBracket) {
                return Err(self.error("predicates ([…]) are not supported in forms"));
            }
            match self.peek() {
                Some(Token::Slash) => self.at += 1,
                Some(Token::DoubleSlash) => {
                    return Err(self.error("'//' (any descendant) is not supported in forms"))
                }
                _ => return Ok(path),
            }
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Number(n) => format!("the number {n}"),
        Token::Literal(s) => format!("the string {s:?}"),
        Token::Name(n) => format!("the name {n:?}"),
        Token::Ref(n) => format!("${{{n}}}"),
        Token::Op(op) => format!("the operator {op:?}"),
        Token::LParen => "'('".to_owned(),
        Token::RParen => "')'".to_owned(),
        Token::LBracket => "'['".to_owned(),
        Token::RBracket => "']'".to_owned(),
        Token::Comma => "','".to_owned(),
        Token::Slash => "'/'".to_owned(),
        Token::DoubleSlash => "'//'".to_owned(),
        Token::Dot => "'.'".to_owned(),
        Token::DotDot => "'..'".to_owned(),
        Token::At => "'@'".to_owned(),
        Token::Star => "'*'".to_owned(),
    }
}
