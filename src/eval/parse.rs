//! Tokenizer and recursive-descent parser for `gilgate eval` expressions, with Python's
//! operator precedence (lowest first): `x if c else y`, `or`, `and`, `not`, comparisons,
//! `|`, `^`, `&`, shifts, `+ -`, `* @ / // %`, unary `+ - ~`, `**` (right-associative, and
//! binding tighter than a unary operator on its left), then calls, subscripts and attributes.

use super::ast::{BinOp, CmpOp, Expr, Stmt, Target, UnaryOp};
use std::fmt;

/// A syntax error: what is wrong and the character offset where it was noticed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The message (Python's wording where there is one).
    pub message: String,
    /// 0-based character offset in the expression.
    pub offset: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at column {})", self.message, self.offset + 1)
    }
}

impl std::error::Error for SyntaxError {}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(String, u32),
    Float(f64),
    Imag(f64),
    Str(Vec<u32>),
    Bytes(Vec<u8>),
    Name(String),
    Op(&'static str),
    End,
}

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "is", "if", "else", "None", "True", "False", "lambda", "for",
    "yield", "await", "async", "del", "pass", "import", "from", "return", "def", "class", "while",
    "with", "as", "assert", "break", "continue", "elif", "except", "finally", "global", "nonlocal",
    "raise", "try",
];

/// Operators, longest first so that the first match is the longest.
const OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":=", "+", "-", "*", "/", "%", "@", "<", ">",
    "&", "|", "^", "~", "(", ")", "[", "]", "{", "}", ",", ":", ".", "=", ";",
];

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        message: message.into(),
        offset,
    })
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn tokens(mut self) -> Result<Vec<(Tok, usize)>, SyntaxError> {
        let mut out = Vec::new();
        loop {
            while let Some(c) = self.peek(0) {
                if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0c' {
                    self.pos += 1;
                } else if c == '\\' && self.peek(1) == Some('\n') {
                    self.pos += 2;
                } else {
                    break;
                }
            }
            let start = self.pos;
            let Some(c) = self.peek(0) else {
                out.push((Tok::End, start));
                return Ok(out);
            };
            if c == '#' {
                self.pos = self.chars.len();
                continue;
            }
            let tok = if c.is_ascii_digit()
                || (c == '.' && self.peek(1).is_some_and(|d| d.is_ascii_digit()))
            {
                self.number()?
            } else if c == '_' || c.is_alphabetic() {
                let mut name = String::new();
                while let Some(d) = self.peek(0).filter(|&d| d == '_' || d.is_alphanumeric()) {
                    name.push(d);
                    self.pos += 1;
                }
                if matches!(self.peek(0), Some('\'' | '"')) && is_string_prefix(&name) {
                    self.string(&name.to_ascii_lowercase())?
                } else {
                    Tok::Name(name)
                }
            } else if c == '\'' || c == '"' {
                self.string("")?
            } else if let Some(op) = OPS.iter().find(|op| {
                op.chars()
                    .enumerate()
                    .all(|(i, oc)| self.peek(i) == Some(oc))
            }) {
                self.pos += op.chars().count();
                Tok::Op(op)
            } else {
                return err(
                    format!("invalid character '{c}' (U+{:04X})", c as u32),
                    start,
                );
            };
            out.push((tok, start));
        }
    }

    fn digits(&mut self, ok: impl Fn(char) -> bool) -> Result<String, SyntaxError> {
        let mut s = String::new();
        while let Some(c) = self.peek(0) {
            if ok(c) {
                s.push(c);
                self.pos += 1;
            } else if c == '_' && self.peek(1).is_some_and(&ok) && !s.is_empty() {
                self.pos += 1;
            } else if c == '_' {
                return err("invalid decimal literal", self.pos);
            } else {
                break;
            }
        }
        Ok(s)
    }

    fn number(&mut self) -> Result<Tok, SyntaxError> {
        let start = self.pos;
        if self.peek(0) == Some('0') {
            let radix = match self.peek(1) {
                Some('x' | 'X') => 16,
                Some('o' | 'O') => 8,
                Some('b' | 'B') => 2,
                _ => 0,
            };
            if radix != 0 {
                self.pos += 2;
                if self.peek(0) == Some('_') {
                    self.pos += 1;
                }
                let d = self.digits(|c| c.is_digit(radix))?;
                let kind = match radix {
                    16 => "hexadecimal",
                    8 => "octal",
                    _ => "binary",
                };
                if d.is_empty() || self.peek(0).is_some_and(|c| c.is_alphanumeric()) {
                    return err(format!("invalid {kind} literal"), start);
                }
                return Ok(Tok::Int(d, radix));
            }
        }
        let int_part = self.digits(|c| c.is_ascii_digit())?;
        let mut text = int_part.clone();
        let mut is_float = false;
        if self.peek(0) == Some('.') {
            is_float = true;
            self.pos += 1;
            text.push('.');
            if self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                text.push_str(&self.digits(|c| c.is_ascii_digit())?);
            }
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = matches!(self.peek(1), Some('+' | '-'));
            let first = self.peek(if sign { 2 } else { 1 });
            if first.is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                text.push('e');
                self.pos += 1;
                if sign {
                    text.push(self.peek(0).expect("sign"));
                    self.pos += 1;
                }
                text.push_str(&self.digits(|c| c.is_ascii_digit())?);
            }
        }
        let value = || {
            let t = if text.starts_with('.') {
                format!("0{text}")
            } else {
                text.clone()
            };
            t.parse::<f64>().map_err(|_| SyntaxError {
                message: "invalid decimal literal".into(),
                offset: start,
            })
        };
        if matches!(self.peek(0), Some('j' | 'J')) {
            self.pos += 1;
            return Ok(Tok::Imag(value()?));
        }
        if self
            .peek(0)
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            return err("invalid decimal literal", start);
        }
        if is_float {
            return Ok(Tok::Float(value()?));
        }
        if int_part.len() > 1 && int_part.starts_with('0') && int_part.chars().any(|c| c != '0') {
            return err(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                start,
            );
        }
        Ok(Tok::Int(int_part, 10))
    }

    fn string(&mut self, prefix: &str) -> Result<Tok, SyntaxError> {
        let start = self.pos - prefix.chars().count();
        if prefix.contains('f') || prefix.contains('t') {
            return err(
                "f-strings and t-strings are not supported by gilgate eval",
                start,
            );
        }
        let raw = prefix.contains('r');
        let bytes = prefix.contains('b');
        let q = self.peek(0).expect("quote");
        let triple = self.peek(1) == Some(q) && self.peek(2) == Some(q);
        self.pos += if triple { 3 } else { 1 };
        let mut cps: Vec<u32> = Vec::new();
        loop {
            let Some(c) = self.peek(0) else {
                return err(
                    if triple {
                        "unterminated triple-quoted string literal"
                    } else {
                        "unterminated string literal"
                    },
                    start,
                );
            };
            if c == q && (!triple || (self.peek(1) == Some(q) && self.peek(2) == Some(q))) {
                self.pos += if triple { 3 } else { 1 };
                break;
            }
            if c == '\n' && !triple {
                return err("unterminated string literal", start);
            }
            if bytes && !c.is_ascii() {
                return err("bytes can only contain ASCII literal characters", self.pos);
            }
            if c != '\\' {
                cps.push(c as u32);
                self.pos += 1;
                continue;
            }
            let Some(e) = self.peek(1) else {
                return err("unterminated string literal", start);
            };
            if raw {
                // A backslash in a raw string stays, and keeps the next character from closing it.
                cps.push('\\' as u32);
                cps.push(e as u32);
                self.pos += 2;
                continue;
            }
            self.pos += 2;
            let simple = match e {
                '\n' => Some(None),
                '\\' => Some(Some(0x5c)),
                '\'' => Some(Some(0x27)),
                '"' => Some(Some(0x22)),
                'a' => Some(Some(7)),
                'b' => Some(Some(8)),
                'f' => Some(Some(12)),
                'n' => Some(Some(10)),
                'r' => Some(Some(13)),
                't' => Some(Some(9)),
                'v' => Some(Some(11)),
                _ => None,
            };
            if let Some(v) = simple {
                cps.extend(v);
                continue;
            }
            let hex = |lx: &mut Lexer, n: usize, what: &str| -> Result<u32, SyntaxError> {
                let mut v = 0u32;
                for _ in 0..n {
                    match lx.peek(0).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            lx.pos += 1;
                        }
                        None => {
                            return err(
                                format!(
                                    "({}) can't decode bytes in position {}-{}: truncated {what} escape",
                                    if bytes {
                                        "value error"
                                    } else {
                                        "unicode error"
                                    },
                                    lx.pos - start,
                                    lx.pos - start + 1
                                ),
                                start,
                            );
                        }
                    }
                }
                Ok(v)
            };
            match e {
                '0'..='7' => {
                    let mut v = e.to_digit(8).expect("octal digit");
                    for _ in 0..2 {
                        match self.peek(0).and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                self.pos += 1;
                            }
                            None => break,
                        }
                    }
                    if bytes {
                        v &= 0xff;
                    }
                    cps.push(v);
                }
                'x' => cps.push(hex(self, 2, "\\xXX")?),
                'u' if !bytes => cps.push(hex(self, 4, "\\uXXXX")?),
                'U' if !bytes => {
                    let v = hex(self, 8, "\\UXXXXXXXX")?;
                    if v > 0x10ffff {
                        return err("(unicode error) illegal Unicode character", start);
                    }
                    cps.push(v);
                }
                'N' if !bytes => {
                    return err("\\N{...} escapes are not supported by gilgate eval", start);
                }
                other => {
                    cps.push('\\' as u32);
                    cps.push(other as u32);
                }
            }
        }
        Ok(if bytes {
            Tok::Bytes(cps.into_iter().map(|c| c as u8).collect())
        } else {
            Tok::Str(cps)
        })
    }
}

fn is_string_prefix(p: &str) -> bool {
    matches!(
        p.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf" | "t" | "tr" | "rt"
    )
}

/// Parses one `EXPR` argument: an expression (a bare `a, b` is a tuple) or an assignment.
pub fn parse_stmt(src: &str) -> Result<Stmt, SyntaxError> {
    let toks = Lexer {
        chars: src.chars().collect(),
        pos: 0,
    }
    .tokens()?;
    let mut p = Parser { toks, pos: 0 };
    if p.peek() == &Tok::End {
        return err("invalid syntax (empty expression)", 0);
    }
    let first = p.tuple_or_test()?;
    let stmt = if p.eat_op("=") {
        let at = p.offset();
        let target = match first {
            Expr::Name(n) => Target::Name(n),
            Expr::Attr(o, a) => Target::Attr(*o, a),
            Expr::Subscript(o, k) => Target::Subscript(*o, *k),
            Expr::Tuple(_) | Expr::List(_) => {
                return err("unpacking assignments are not supported by gilgate eval", 0);
            }
            _ => {
                return err(
                    "cannot assign to expression here. Maybe you meant '==' instead of '='?",
                    0,
                );
            }
        };
        if p.peek() == &Tok::End {
            return err("invalid syntax", at);
        }
        let value = p.tuple_or_test()?;
        if p.peek_op("=") {
            return err(
                "chained assignments are not supported by gilgate eval",
                p.offset(),
            );
        }
        Stmt::Assign(target, value)
    } else {
        Stmt::Expr(first)
    };
    if p.peek() != &Tok::End {
        return err("invalid syntax", p.offset());
    }
    Ok(stmt)
}

/// Parses an expression alone (no assignment).
pub fn parse_expr(src: &str) -> Result<Expr, SyntaxError> {
    match parse_stmt(src)? {
        Stmt::Expr(e) => Ok(e),
        Stmt::Assign(..) => err("invalid syntax (an assignment, not an expression)", 0),
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn peek_at(&self, k: usize) -> &Tok {
        &self.toks[(self.pos + k).min(self.toks.len() - 1)].0
    }

    fn offset(&self) -> usize {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn peek_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn peek_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.peek_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.peek_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str, open: Option<(&str, usize)>) -> Result<(), SyntaxError> {
        if self.eat_op(op) {
            return Ok(());
        }
        match (open, self.peek()) {
            (Some((o, at)), Tok::End) => err(format!("'{o}' was never closed"), at),
            _ => err("invalid syntax", self.offset()),
        }
    }

    /// `test (',' test)* [',']`: a tuple when there is a comma.
    fn tuple_or_test(&mut self) -> Result<Expr, SyntaxError> {
        let first = self.test()?;
        if !self.peek_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_expr_end() {
                break;
            }
            items.push(self.test()?);
        }
        Ok(Expr::Tuple(items))
    }

    fn at_expr_end(&self) -> bool {
        matches!(self.peek(), Tok::End) || [")", "]", "}", "="].iter().any(|o| self.peek_op(o))
    }

    fn test(&mut self) -> Result<Expr, SyntaxError> {
        if self.peek_kw("lambda") {
            return err("lambda is not supported by gilgate eval", self.offset());
        }
        let body = self.or_test()?;
        if self.eat_kw("if") {
            let test = self.or_test()?;
            if !self.eat_kw("else") {
                return err("expected 'else' after 'if' expression", self.offset());
            }
            let orelse = self.test()?;
            return Ok(Expr::IfElse {
                body: Box::new(body),
                test: Box::new(test),
                orelse: Box::new(orelse),
            });
        }
        Ok(body)
    }

    fn or_test(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.and_test()?;
        while self.eat_kw("or") {
            e = Expr::Or(Box::new(e), Box::new(self.and_test()?));
        }
        Ok(e)
    }

    fn and_test(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.not_test()?;
        while self.eat_kw("and") {
            e = Expr::And(Box::new(e), Box::new(self.not_test()?));
        }
        Ok(e)
    }

    fn not_test(&mut self) -> Result<Expr, SyntaxError> {
        if self.eat_kw("not") {
            return Ok(Expr::Unary(UnaryOp::Not, Box::new(self.not_test()?)));
        }
        self.comparison()
    }

    fn comp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::Ne,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "is" => {
                if matches!(self.peek_at(1), Tok::Name(m) if m == "not") {
                    self.bump();
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                }
            }
            Tok::Name(n) if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") => {
                self.bump();
                CmpOp::NotIn
            }
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        let first = self.binary(0)?;
        let mut rest = Vec::new();
        while let Some(op) = self.comp_op() {
            rest.push((op, self.binary(0)?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Compare(Box::new(first), rest)
        })
    }

    /// Binary operator levels from `|` (0) to `* @ / // %` (5), all left-associative.
    fn binary(&mut self, level: usize) -> Result<Expr, SyntaxError> {
        if level > 5 {
            return self.factor();
        }
        let mut e = self.binary(level + 1)?;
        loop {
            let op = match (level, self.peek()) {
                (0, Tok::Op("|")) => BinOp::BitOr,
                (1, Tok::Op("^")) => BinOp::BitXor,
                (2, Tok::Op("&")) => BinOp::BitAnd,
                (3, Tok::Op("<<")) => BinOp::LShift,
                (3, Tok::Op(">>")) => BinOp::RShift,
                (4, Tok::Op("+")) => BinOp::Add,
                (4, Tok::Op("-")) => BinOp::Sub,
                (5, Tok::Op("*")) => BinOp::Mul,
                (5, Tok::Op("@")) => BinOp::MatMul,
                (5, Tok::Op("/")) => BinOp::Div,
                (5, Tok::Op("//")) => BinOp::FloorDiv,
                (5, Tok::Op("%")) => BinOp::Mod,
                _ => return Ok(e),
            };
            self.bump();
            let rhs = self.binary(level + 1)?;
            e = Expr::Binary(op, Box::new(e), Box::new(rhs));
        }
    }

    fn factor(&mut self) -> Result<Expr, SyntaxError> {
        let op = match self.peek() {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        self.bump();
        Ok(Expr::Unary(op, Box::new(self.factor()?)))
    }

    fn power(&mut self) -> Result<Expr, SyntaxError> {
        let base = self.primary()?;
        if self.eat_op("**") {
            let exp = self.factor()?;
            return Ok(Expr::Binary(BinOp::Pow, Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.atom()?;
        loop {
            if self.eat_op(".") {
                match self.bump() {
                    Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => {
                        e = Expr::Attr(Box::new(e), n)
                    }
                    _ => return err("invalid syntax", self.toks[self.pos - 1].1),
                }
            } else if self.peek_op("(") {
                let at = self.offset();
                self.bump();
                e = self.call(e, at)?;
            } else if self.peek_op("[") {
                let at = self.offset();
                self.bump();
                let index = self.subscript()?;
                self.expect_op("]", Some(("[", at)))?;
                e = Expr::Subscript(Box::new(e), Box::new(index));
            } else {
                return Ok(e);
            }
        }
    }

    fn call(&mut self, func: Expr, open: usize) -> Result<Expr, SyntaxError> {
        let mut args = Vec::new();
        let mut kwargs: Vec<(String, Expr)> = Vec::new();
        while !self.peek_op(")") {
            if self.peek_op("*") || self.peek_op("**") {
                return err(
                    "argument unpacking (*args, **kwargs) is not supported by gilgate eval",
                    self.offset(),
                );
            }
            let is_kw = matches!(self.peek(), Tok::Name(n) if !KEYWORDS.contains(&n.as_str()))
                && matches!(self.peek_at(1), Tok::Op("="));
            if is_kw {
                let at = self.offset();
                let Tok::Name(name) = self.bump() else {
                    unreachable!("checked above")
                };
                self.bump();
                if kwargs.iter().any(|(k, _)| *k == name) {
                    return err(format!("keyword argument repeated: {name}"), at);
                }
                kwargs.push((name, self.test()?));
            } else {
                let at = self.offset();
                let a = self.test()?;
                if !kwargs.is_empty() {
                    return err("positional argument follows keyword argument", at);
                }
                args.push(a);
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")", Some(("(", open)))?;
        Ok(Expr::Call {
            func: Box::new(func),
            args,
            kwargs,
        })
    }

    /// The inside of `[...]`: one index or slice, or several making a tuple.
    fn subscript(&mut self) -> Result<Expr, SyntaxError> {
        let first = self.slice_item()?;
        if !self.peek_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.peek_op("]") {
                break;
            }
            items.push(self.slice_item()?);
        }
        Ok(Expr::Tuple(items))
    }

    fn slice_item(&mut self) -> Result<Expr, SyntaxError> {
        let part = |p: &mut Parser| -> Result<Option<Box<Expr>>, SyntaxError> {
            if p.peek_op(":") || p.peek_op("]") || p.peek_op(",") {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.test()?)))
            }
        };
        let start = part(self)?;
        if !self.eat_op(":") {
            return match start {
                Some(e) => Ok(*e),
                None => err("invalid syntax", self.offset()),
            };
        }
        let stop = part(self)?;
        let step = if self.eat_op(":") { part(self)? } else { None };
        Ok(Expr::Slice(start, stop, step))
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.offset();
        match self.bump() {
            Tok::Int(d, r) => Ok(Expr::Int {
                digits: d,
                radix: r,
            }),
            Tok::Float(x) => Ok(Expr::Float(x)),
            Tok::Imag(x) => Ok(Expr::Imag(x)),
            Tok::Str(mut s) => {
                loop {
                    match self.peek() {
                        Tok::Str(more) => {
                            s.extend_from_slice(more);
                            self.bump();
                        }
                        Tok::Bytes(_) => {
                            return err("cannot mix bytes and nonbytes literals", self.offset());
                        }
                        _ => break,
                    }
                }
                Ok(Expr::Str(s))
            }
            Tok::Bytes(mut b) => {
                loop {
                    match self.peek() {
                        Tok::Bytes(more) => {
                            b.extend_from_slice(more);
                            self.bump();
                        }
                        Tok::Str(_) => {
                            return err("cannot mix bytes and nonbytes literals", self.offset());
                        }
                        _ => break,
                    }
                }
                Ok(Expr::Bytes(b))
            }
            Tok::Name(n) => match n.as_str() {
                "None" => Ok(Expr::None),
                "True" => Ok(Expr::True),
                "False" => Ok(Expr::False),
                k if KEYWORDS.contains(&k) => err("invalid syntax", at),
                _ => Ok(Expr::Name(n)),
            },
            Tok::Op("...") => Ok(Expr::Ellipsis),
            Tok::Op("(") => {
                if self.eat_op(")") {
                    return Ok(Expr::Tuple(Vec::new()));
                }
                let first = self.test()?;
                if self.eat_op(")") {
                    return Ok(first);
                }
                if !self.peek_op(",") {
                    return self.expect_op(")", Some(("(", at))).map(|_| first);
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.peek_op(")") {
                        break;
                    }
                    items.push(self.test()?);
                }
                self.expect_op(")", Some(("(", at)))?;
                Ok(Expr::Tuple(items))
            }
            Tok::Op("[") => {
                let items = self.items("]", at)?;
                Ok(Expr::List(items))
            }
            Tok::Op("{") => {
                if self.eat_op("}") {
                    return Ok(Expr::Dict(Vec::new()));
                }
                let first = self.test()?;
                if self.eat_op(":") {
                    let mut pairs = vec![(first, self.test()?)];
                    while self.eat_op(",") {
                        if self.peek_op("}") {
                            break;
                        }
                        let k = self.test()?;
                        if !self.eat_op(":") {
                            return err("':' expected after dictionary key", self.offset());
                        }
                        pairs.push((k, self.test()?));
                    }
                    self.expect_op("}", Some(("{", at)))?;
                    return Ok(Expr::Dict(pairs));
                }
                let mut items = vec![first];
                if self.eat_op(",") {
                    items.extend(self.items("}", at)?);
                } else {
                    self.expect_op("}", Some(("{", at)))?;
                }
                Ok(Expr::Set(items))
            }
            Tok::End => err("invalid syntax (unexpected end of expression)", at),
            _ => err("invalid syntax", at),
        }
    }

    /// `test (',' test)* [','] CLOSE`
    fn items(&mut self, close: &str, open_at: usize) -> Result<Vec<Expr>, SyntaxError> {
        let mut items = Vec::new();
        while !self.peek_op(close) {
            items.push(self.test()?);
            if !self.eat_op(",") {
                break;
            }
        }
        let open = if close == "]" { "[" } else { "{" };
        self.expect_op(close, Some((open, open_at)))?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse_stmt(s)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .to_string()
    }

    fn bad(s: &str) -> SyntaxError {
        parse_stmt(s).expect_err(s)
    }

    #[test]
    fn arithmetic_precedence_and_associativity() {
        assert_eq!(p("1 + 2 * 3"), "(+ 1 (* 2 3))");
        assert_eq!(p("1 - 2 - 3"), "(- (- 1 2) 3)");
        assert_eq!(p("2 ** 3 ** 2"), "(** 2 (** 3 2))");
        assert_eq!(p("-2 ** 2"), "(- (** 2 2))");
        assert_eq!(p("2 ** -1"), "(** 2 (- 1))");
        assert_eq!(
            p("a * b // c % d @ e / f"),
            "(/ (@ (% (// (* a b) c) d) e) f)"
        );
        assert_eq!(p("1 << 2 + 3"), "(<< 1 (+ 2 3))");
        assert_eq!(p("a | b ^ c & d << 1"), "(| a (^ b (& c (<< d 1))))");
        assert_eq!(p("~x + -y"), "(+ (~ x) (- y))");
        assert_eq!(p("- - 1"), "(- (- 1))");
        assert_eq!(p("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    }

    #[test]
    fn boolean_and_comparison_precedence() {
        assert_eq!(p("a or b and c"), "(or a (and b c))");
        assert_eq!(p("a and b or c"), "(or (and a b) c)");
        assert_eq!(p("not a == b"), "(not (cmp a == b))");
        assert_eq!(p("not a and not b"), "(and (not a) (not b))");
        assert_eq!(p("a < b <= c"), "(cmp a < b <= c)");
        assert_eq!(p("a | b == c & d"), "(cmp (| a b) == (& c d))");
        assert_eq!(p("x is not None"), "(cmp x is not None)");
        assert_eq!(p("x not in y in z"), "(cmp x not in y in z)");
        assert_eq!(p("a if b else c if d else e"), "(if b a (if d c e))");
        assert_eq!(p("a or b if c else d"), "(if c (or a b) d)");
        assert_eq!(p("1 + 2 > 2 and 3"), "(and (cmp (+ 1 2) > 2) 3)");
    }

    #[test]
    fn primaries() {
        assert_eq!(p("m.f(1, x=2).y[0]"), "([] (. (call (. m f) 1 x=2) y) 0)");
        assert_eq!(p("f()"), "(call f)");
        assert_eq!(p("f(a,)"), "(call f a)");
        assert_eq!(p("a[1:2]"), "([] a (slice 1 2 _))");
        assert_eq!(p("a[::-1]"), "([] a (slice _ _ (- 1)))");
        assert_eq!(p("a[:]"), "([] a (slice _ _ _))");
        assert_eq!(p("a[1, 2:]"), "([] a (tuple 1 (slice 2 _ _)))");
        assert_eq!(p("a[1,]"), "([] a (tuple 1))");
        assert_eq!(p("-a.b ** 2"), "(- (** (. a b) 2))");
        assert_eq!(p("f(x=1)(2)"), "(call (call f x=1) 2)");
    }

    #[test]
    fn literals() {
        assert_eq!(p("12345678901234567890123"), "12345678901234567890123");
        assert_eq!(p("0xFF_ff"), "FFff_16");
        assert_eq!(p("0o17"), "17_8");
        assert_eq!(p("0b1_01"), "101_2");
        assert_eq!(p("1_000"), "1000");
        assert_eq!(p("000"), "000");
        assert_eq!(p("1.5"), "1.5");
        assert_eq!(p(".5"), "0.5");
        assert_eq!(p("1e3"), "1000.0");
        assert_eq!(p("1.e-2"), "0.01");
        assert_eq!(p("2j"), "2.0j");
        assert_eq!(p("None, True, False, ..."), "(tuple None True False ...)");
        assert_eq!(p("()"), "(tuple)");
        assert_eq!(p("(1,)"), "(tuple 1)");
        assert_eq!(p("(1)"), "1");
        assert_eq!(p("[]"), "(list)");
        assert_eq!(p("[1, 2,]"), "(list 1 2)");
        assert_eq!(p("{}"), "(dict)");
        assert_eq!(p("{1: 'a', 'b': 2}"), "(dict 1:\"a\" \"b\":2)");
        assert_eq!(p("{1}"), "(set 1)");
        assert_eq!(p("{1, 2,}"), "(set 1 2)");
        assert_eq!(p("1, 2"), "(tuple 1 2)");
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            parse_expr(r#"'a\n\'b\x41\u00e9\101'"#).unwrap(),
            Expr::Str("a\n'bAéA".chars().map(|c| c as u32).collect())
        );
        assert_eq!(parse_expr(r#""a" 'b'"#).unwrap(), Expr::Str(vec![97, 98]));
        assert_eq!(parse_expr(r"r'\n'").unwrap(), Expr::Str(vec![92, 110]));
        assert_eq!(parse_expr(r"'\q'").unwrap(), Expr::Str(vec![92, 113]));
        assert_eq!(parse_expr(r"'\ud800'").unwrap(), Expr::Str(vec![0xd800]));
        assert_eq!(
            parse_expr(r"b'\x00\xff\u'").unwrap(),
            Expr::Bytes(vec![0, 255, 92, 117])
        );
        assert_eq!(parse_expr(r"rb'\x'").unwrap(), Expr::Bytes(vec![92, 120]));
        assert_eq!(
            parse_expr("'''a'b'''").unwrap(),
            Expr::Str(vec![97, 39, 98])
        );
        assert_eq!(parse_expr("'é'").unwrap(), Expr::Str(vec![0xe9]));
        assert!(bad("'abc").message.contains("unterminated string"));
        assert!(bad("b'é'").message.contains("ASCII"));
        assert!(bad("'a' b'b'").message.contains("mix bytes"));
        assert!(bad("f'x'").message.contains("f-strings"));
        assert!(bad(r"'\x4'").message.contains("truncated"));
    }

    #[test]
    fn assignments() {
        assert_eq!(p("x = 1 + 2"), "(= x (+ 1 2))");
        assert_eq!(p("c.value = 3"), "(= (. c value) 3)");
        assert_eq!(p("d['k'] = 1, 2"), "(= ([] d \"k\") (tuple 1 2))");
        assert_eq!(p("f(a=1)"), "(call f a=1)");
        assert_eq!(p("x == 1"), "(cmp x == 1)");
        assert!(bad("f() = 1").message.contains("cannot assign"));
        assert!(bad("x =").message.contains("invalid syntax"));
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            bad("1 +").message,
            "invalid syntax (unexpected end of expression)"
        );
        assert_eq!(bad("(1, 2").message, "'(' was never closed");
        assert_eq!(bad("f(1").message, "'(' was never closed");
        assert_eq!(bad("1 2").offset, 2);
        assert!(bad("012").message.starts_with("leading zeros"));
        assert!(bad("0x").message.contains("hexadecimal"));
        assert!(bad("1abc").message.contains("decimal literal"));
        assert_eq!(
            bad("f(a=1, 2)").message,
            "positional argument follows keyword argument"
        );
        assert_eq!(bad("f(a=1, a=2)").message, "keyword argument repeated: a");
        assert!(bad("lambda: 1").message.contains("lambda"));
        assert!(bad("x.if").message.contains("invalid syntax"));
        assert!(bad("$").message.contains("invalid character"));
        assert!(bad("").message.contains("empty"));
        assert!(bad("a if b").message.contains("else"));
        assert!(bad("{1: 2, 3}").message.contains("':' expected"));
    }
}
