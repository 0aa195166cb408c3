//! The syntax tree of `gilgate eval`'s expression language (a subset of Python's expressions).

use std::fmt;

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x` (`PyNumber_Negative`).
    Neg,
    /// `+x` (`PyNumber_Positive`).
    Pos,
    /// `~x` (`PyNumber_Invert`).
    Invert,
    /// `not x` (`PyObject_Not`).
    Not,
}

/// A binary arithmetic operator (`PyNumber_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `@`
    MatMul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `<` (`Py_LT`)
    Lt,
    /// `<=` (`Py_LE`)
    Le,
    /// `==` (`Py_EQ`)
    Eq,
    /// `!=` (`Py_NE`)
    Ne,
    /// `>` (`Py_GT`)
    Gt,
    /// `>=` (`Py_GE`)
    Ge,
    /// `is`
    Is,
    /// `is not`
    IsNot,
    /// `in` (`PySequence_Contains`)
    In,
    /// `not in`
    NotIn,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// An integer literal: its digits (no prefix, no underscores) and radix.
    Int {
        /// The digits, without prefix or underscores.
        digits: String,
        /// 2, 8, 10 or 16.
        radix: u32,
    },
    /// A float literal.
    Float(f64),
    /// An imaginary literal (`2j`): the imaginary part.
    Imag(f64),
    /// A str literal, as code points (lone surrogates are allowed, as in Python).
    Str(Vec<u32>),
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// `None`
    None,
    /// `True`
    True,
    /// `False`
    False,
    /// `...`
    Ellipsis,
    /// A name.
    Name(String),
    /// `value.attr`
    Attr(Box<Expr>, String),
    /// `func(args, name=value)`
    Call {
        /// The callee.
        func: Box<Expr>,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments, in order.
        kwargs: Vec<(String, Expr)>,
    },
    /// `value[index]`
    Subscript(Box<Expr>, Box<Expr>),
    /// `start:stop:step` inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `(a, b)`
    Tuple(Vec<Expr>),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `{k: v}`
    Dict(Vec<(Expr, Expr)>),
    /// `{a, b}`
    Set(Vec<Expr>),
    /// A unary operation.
    Unary(UnaryOp, Box<Expr>),
    /// A binary arithmetic operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a < b <= c`: the first operand and every (operator, operand) pair.
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
    /// `body if test else orelse`
    IfElse {
        /// The value when `test` is true.
        body: Box<Expr>,
        /// The condition.
        test: Box<Expr>,
        /// The value otherwise.
        orelse: Box<Expr>,
    },
}

/// The target of an assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// `name = ...`
    Name(String),
    /// `obj.attr = ...`
    Attr(Expr, String),
    /// `obj[key] = ...`
    Subscript(Expr, Expr),
}

/// One `EXPR` argument: an expression or an assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// An expression whose `repr` is printed.
    Expr(Expr),
    /// An assignment (prints nothing).
    Assign(Target, Expr),
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::MatMul => "@",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

impl CmpOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

impl UnaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
            UnaryOp::Not => "not",
        }
    }
}

fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, head: &str, items: &[T]) -> fmt::Result {
    write!(f, "({head}")?;
    for i in items {
        write!(f, " {i}")?;
    }
    write!(f, ")")
}

/// An S-expression form that shows the tree's structure (used by tests and `GILGATE_LOG`).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Int { digits, radix: 10 } => write!(f, "{digits}"),
            Expr::Int { digits, radix } => write!(f, "{digits}_{radix}"),
            Expr::Float(x) => write!(f, "{x:?}"),
            Expr::Imag(x) => write!(f, "{x:?}j"),
            Expr::Str(cps) => {
                let s: String = cps
                    .iter()
                    .map(|&c| char::from_u32(c).unwrap_or('\u{fffd}'))
                    .collect();
                write!(f, "{s:?}")
            }
            Expr::Bytes(b) => write!(f, "b{:?}", String::from_utf8_lossy(b)),
            Expr::None => write!(f, "None"),
            Expr::True => write!(f, "True"),
            Expr::False => write!(f, "False"),
            Expr::Ellipsis => write!(f, "..."),
            Expr::Name(n) => write!(f, "{n}"),
            Expr::Attr(v, a) => write!(f, "(. {v} {a})"),
            Expr::Call { func, args, kwargs } => {
                write!(f, "(call {func}")?;
                for a in args {
                    write!(f, " {a}")?;
                }
                for (k, v) in kwargs {
                    write!(f, " {k}={v}")?;
                }
                write!(f, ")")
            }
            Expr::Subscript(v, i) => write!(f, "([] {v} {i})"),
            Expr::Slice(a, b, c) => {
                let part = |x: &Option<Box<Expr>>| x.as_ref().map(|e| e.to_string());
                write!(
                    f,
                    "(slice {} {} {})",
                    part(a).unwrap_or_else(|| "_".into()),
                    part(b).unwrap_or_else(|| "_".into()),
                    part(c).unwrap_or_else(|| "_".into())
                )
            }
            Expr::Tuple(items) => list(f, "tuple", items),
            Expr::List(items) => list(f, "list", items),
            Expr::Set(items) => list(f, "set", items),
            Expr::Dict(items) => {
                write!(f, "(dict")?;
                for (k, v) in items {
                    write!(f, " {k}:{v}")?;
                }
                write!(f, ")")
            }
            Expr::Unary(op, v) => write!(f, "({} {v})", op.symbol()),
            Expr::Binary(op, a, b) => write!(f, "({} {a} {b})", op.symbol()),
            Expr::Compare(first, rest) => {
                write!(f, "(cmp {first}")?;
                for (op, e) in rest {
                    write!(f, " {} {e}", op.symbol())?;
                }
                write!(f, ")")
            }
            Expr::And(a, b) => write!(f, "(and {a} {b})"),
            Expr::Or(a, b) => write!(f, "(or {a} {b})"),
            Expr::IfElse { body, test, orelse } => write!(f, "(if {test} {body} {orelse})"),
        }
    }
}

impl fmt::Display for Stmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stmt::Expr(e) => write!(f, "{e}"),
            Stmt::Assign(Target::Name(n), v) => write!(f, "(= {n} {v})"),
            Stmt::Assign(Target::Attr(o, a), v) => write!(f, "(= (. {o} {a}) {v})"),
            Stmt::Assign(Target::Subscript(o, k), v) => write!(f, "(= ([] {o} {k}) {v})"),
        }
    }
}
