//! `gilgate eval`: a small Python expression language evaluated through the C API.
//!
//! [`parse::parse_stmt`] turns one `EXPR` argument into a [`ast::Stmt`]; an [`Evaluator`]
//! runs it in a namespace holding a module's attributes. Every operation goes through the C
//! API functions an extension would call (`PyNumber_*`, `PyObject_RichCompare`,
//! `PyObject_GetItem`, `PyObject_Call`, ...), so results are exactly what the runtime's types
//! give, and [`Evaluator::repr`] prints them with `PyObject_Repr`.
pub mod ast;
pub mod parse;

use crate::embed::{self, IntoPy, Module, PyErr, PyRef, PyResult};
use crate::ffi::{self, Obj};
use ast::{BinOp, CmpOp, Expr, Stmt, Target, UnaryOp};
use std::collections::HashMap;
use std::ptr::null_mut;
use std::sync::Arc;

/// Evaluates statements in one namespace, optionally a layer over a shared one.
///
/// An `Evaluator` is `Send + Sync`; several threads may evaluate at once, each in its own
/// [`Evaluator::layer`] over one shared namespace (what `gilgate stress` does): a name is
/// looked up in the layer, then the shared namespace, then `builtins`; `name = ...` binds in the
/// layer, while `obj.attr = ...` and `obj[k] = ...` change the (shared) object.
pub struct Evaluator {
    names: HashMap<String, PyRef>,
    base: Option<Arc<Evaluator>>,
    builtins: Option<PyRef>,
}

impl Default for Evaluator {
    fn default() -> Self {
        Evaluator::new()
    }
}

fn owned(p: Obj) -> PyResult<PyRef> {
    // SAFETY: every caller passes the result of a C API function returning a new reference.
    unsafe { PyRef::from_owned_ptr(p) }
}

fn truth(o: &PyRef) -> PyResult<bool> {
    o.is_true()
}

impl Evaluator {
    /// An empty namespace. Names not found in it are looked up in the `builtins` module when
    /// the runtime provides one.
    pub fn new() -> Evaluator {
        let _g = embed::attach();
        let builtins = {
            // SAFETY: a NUL-terminated module name.
            let b = unsafe { ffi::PyImport_ImportModule(c"builtins".as_ptr()) };
            if b.is_null() {
                let _ = PyErr::fetch();
                None
            } else {
                owned(b).ok()
            }
        };
        Evaluator {
            names: HashMap::new(),
            base: None,
            builtins,
        }
    }

    /// An empty layer over `base`: lookups fall through to it, `name = ...` binds here.
    pub fn layer(base: Arc<Evaluator>) -> Evaluator {
        Evaluator {
            names: HashMap::new(),
            builtins: base.builtins.clone(),
            base: Some(base),
        }
    }

    /// A name's value in this layer or the ones below (not `builtins`).
    pub fn get(&self, name: &str) -> Option<&PyRef> {
        let mut at = self;
        loop {
            if let Some(v) = at.names.get(name) {
                return Some(v);
            }
            at = at.base.as_deref()?;
        }
    }

    /// Adds the module's attributes, and the module itself under the last part of its name.
    pub fn add_module(&mut self, m: &Module, with_attributes: bool) -> PyResult<()> {
        if with_attributes {
            for (k, v) in m.attributes()? {
                self.names.insert(k, v);
            }
        }
        let short = m.name().rsplit('.').next().unwrap_or(m.name()).to_string();
        self.names.insert(short, m.object().clone());
        Ok(())
    }

    /// Binds a name.
    pub fn set(&mut self, name: &str, value: PyRef) {
        self.names.insert(name.to_string(), value);
    }

    /// Runs one statement: an expression gives `Some(value)`, an assignment `None`. The
    /// namespace's `__name__` stands in for the globals of a calling frame (classes made by
    /// `type(name, bases, dict)` take their `__module__` from it, as in CPython).
    pub fn exec(&mut self, stmt: &Stmt) -> PyResult<Option<PyRef>> {
        let _g = embed::attach();
        let module = self
            .get("__name__")
            .and_then(|n| n.extract::<String>().ok());
        gilgate_capi::host::with_caller_module(module.as_deref(), || self.exec_stmt(stmt))
    }

    fn exec_stmt(&mut self, stmt: &Stmt) -> PyResult<Option<PyRef>> {
        match stmt {
            Stmt::Expr(e) => self.eval(e).map(Some),
            Stmt::Assign(target, value) => {
                let v = self.eval(value)?;
                match target {
                    Target::Name(n) => {
                        self.names.insert(n.clone(), v);
                    }
                    Target::Attr(o, a) => self.eval(o)?.setattr(a, v)?,
                    Target::Subscript(o, k) => {
                        let obj = self.eval(o)?;
                        let key = self.eval(k)?;
                        obj.set_item(key, v)?;
                    }
                }
                Ok(None)
            }
        }
    }

    /// `repr(value)` through `PyObject_Repr`.
    pub fn repr(value: &PyRef) -> PyResult<String> {
        value.repr()
    }

    fn lookup(&self, name: &str) -> PyResult<PyRef> {
        if let Some(v) = self.get(name) {
            return Ok(v.clone());
        }
        if let Some(b) = &self.builtins
            && let Ok(v) = b.getattr(name)
        {
            return Ok(v);
        }
        Err(PyErr::new(
            "NameError",
            format!("name '{name}' is not defined"),
        ))
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, e: &Expr) -> PyResult<PyRef> {
        let _g = embed::attach();
        self.eval_attached(e)
    }

    fn eval_attached(&mut self, e: &Expr) -> PyResult<PyRef> {
        match e {
            Expr::Int { digits, radix } => embed::int_from_digits(digits, *radix),
            Expr::Float(x) => x.into_py(),
            // PyComplex_FromDoubles returns a new reference or NULL.
            Expr::Imag(x) => owned(ffi::PyComplex_FromDoubles(0.0, *x)),
            Expr::Str(cps) => embed::str_from_code_points(cps),
            Expr::Bytes(b) => b.as_slice().into_py(),
            Expr::None => Ok(PyRef::none()),
            Expr::True => true.into_py(),
            Expr::False => false.into_py(),
            // SAFETY: the static Ellipsis object lives for the whole process.
            Expr::Ellipsis => unsafe { PyRef::from_borrowed_ptr(&raw mut ffi::_Py_EllipsisObject) },
            Expr::Name(n) => self.lookup(n),
            Expr::Attr(o, a) => self.eval(o)?.getattr(a),
            Expr::Call { func, args, kwargs } => {
                let f = self.eval(func)?;
                let mut a = Vec::with_capacity(args.len());
                for x in args {
                    a.push(self.eval(x)?);
                }
                let a = embed::tuple(a)?;
                let kw = if kwargs.is_empty() {
                    None
                } else {
                    let mut pairs = Vec::with_capacity(kwargs.len());
                    for (k, v) in kwargs {
                        pairs.push((k.as_str(), self.eval(v)?));
                    }
                    Some(embed::dict_from_pairs(pairs)?)
                };
                let kwp = kw.as_ref().map_or(null_mut(), PyRef::as_ptr);
                // SAFETY: callable, tuple and (optional) dict are live.
                let r = owned(unsafe { ffi::PyObject_Call(f.as_ptr(), a.as_ptr(), kwp) });
                // The return of a driver's call is a safe point (lock hand-off).
                gilgate_capi::host::safe_point();
                r
            }
            Expr::Subscript(o, i) => {
                let obj = self.eval(o)?;
                let key = self.eval(i)?;
                obj.get_item(key)
            }
            Expr::Slice(a, b, c) => {
                let mut part = |x: &Option<Box<Expr>>| -> PyResult<Option<PyRef>> {
                    x.as_ref().map(|e| self.eval(e)).transpose()
                };
                let (a, b, c) = (part(a)?, part(b)?, part(c)?);
                let p = |x: &Option<PyRef>| x.as_ref().map_or(null_mut(), PyRef::as_ptr);
                // SAFETY: each part is NULL (omitted) or live.
                owned(unsafe { ffi::PySlice_New(p(&a), p(&b), p(&c)) })
            }
            Expr::Tuple(items) => {
                let v = self.eval_all(items)?;
                embed::tuple(v)
            }
            Expr::List(items) => {
                let v = self.eval_all(items)?;
                embed::list(v)
            }
            Expr::Set(items) => {
                let v = self.eval_all(items)?;
                embed::set(v)
            }
            Expr::Dict(pairs) => {
                let mut v = Vec::with_capacity(pairs.len());
                for (k, x) in pairs {
                    let k = self.eval(k)?;
                    v.push((k, self.eval(x)?));
                }
                embed::dict_from_pairs(v)
            }
            Expr::Unary(op, x) => {
                let v = self.eval(x)?;
                let p = v.as_ptr();
                // SAFETY: `p` is live for each call; each returns a new reference or NULL.
                unsafe {
                    match op {
                        UnaryOp::Neg => owned(ffi::PyNumber_Negative(p)),
                        UnaryOp::Pos => owned(ffi::PyNumber_Positive(p)),
                        UnaryOp::Invert => owned(ffi::PyNumber_Invert(p)),
                        UnaryOp::Not => match ffi::PyObject_Not(p) {
                            r if r < 0 => Err(PyErr::fetch()),
                            r => (r == 1).into_py(),
                        },
                    }
                }
            }
            Expr::Binary(op, a, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                binary(*op, &a, &b)
            }
            Expr::Compare(first, rest) => {
                let mut left = self.eval(first)?;
                let mut result = None;
                for (i, (op, e)) in rest.iter().enumerate() {
                    let right = self.eval(e)?;
                    let r = compare(*op, &left, &right)?;
                    if i + 1 < rest.len() && !truth(&r)? {
                        return Ok(r);
                    }
                    result = Some(r);
                    left = right;
                }
                Ok(result.expect("a comparison has at least one operator"))
            }
            Expr::And(a, b) => {
                let l = self.eval(a)?;
                if truth(&l)? { self.eval(b) } else { Ok(l) }
            }
            Expr::Or(a, b) => {
                let l = self.eval(a)?;
                if truth(&l)? { Ok(l) } else { self.eval(b) }
            }
            Expr::IfElse { body, test, orelse } => {
                let t = self.eval(test)?;
                if truth(&t)? {
                    self.eval(body)
                } else {
                    self.eval(orelse)
                }
            }
        }
    }

    fn eval_all(&mut self, items: &[Expr]) -> PyResult<Vec<PyRef>> {
        items.iter().map(|e| self.eval(e)).collect()
    }
}

fn binary(op: BinOp, a: &PyRef, b: &PyRef) -> PyResult<PyRef> {
    let (a, b) = (a.as_ptr(), b.as_ptr());
    // SAFETY: both operands are live; each function returns a new reference or NULL.
    owned(unsafe {
        match op {
            BinOp::Add => ffi::PyNumber_Add(a, b),
            BinOp::Sub => ffi::PyNumber_Subtract(a, b),
            BinOp::Mul => ffi::PyNumber_Multiply(a, b),
            BinOp::MatMul => ffi::PyNumber_MatrixMultiply(a, b),
            BinOp::Div => ffi::PyNumber_TrueDivide(a, b),
            BinOp::FloorDiv => ffi::PyNumber_FloorDivide(a, b),
            BinOp::Mod => ffi::PyNumber_Remainder(a, b),
            BinOp::Pow => ffi::PyNumber_Power(a, b, &raw mut ffi::_Py_NoneStruct),
            BinOp::LShift => ffi::PyNumber_Lshift(a, b),
            BinOp::RShift => ffi::PyNumber_Rshift(a, b),
            BinOp::BitAnd => ffi::PyNumber_And(a, b),
            BinOp::BitOr => ffi::PyNumber_Or(a, b),
            BinOp::BitXor => ffi::PyNumber_Xor(a, b),
        }
    })
}

fn compare(op: CmpOp, a: &PyRef, b: &PyRef) -> PyResult<PyRef> {
    let rich = |o| {
        // SAFETY: both operands are live.
        owned(unsafe { ffi::PyObject_RichCompare(a.as_ptr(), b.as_ptr(), o) })
    };
    let contains = || {
        // SAFETY: both operands are live; `b` is the container.
        let r = unsafe { ffi::PySequence_Contains(b.as_ptr(), a.as_ptr()) };
        if r < 0 {
            Err(PyErr::fetch())
        } else {
            Ok(r == 1)
        }
    };
    match op {
        CmpOp::Lt => rich(ffi::Py_LT),
        CmpOp::Le => rich(ffi::Py_LE),
        CmpOp::Eq => rich(ffi::Py_EQ),
        CmpOp::Ne => rich(ffi::Py_NE),
        CmpOp::Gt => rich(ffi::Py_GT),
        CmpOp::Ge => rich(ffi::Py_GE),
        CmpOp::Is => a.is(b).into_py(),
        CmpOp::IsNot => (!a.is(b)).into_py(),
        CmpOp::In => contains()?.into_py(),
        CmpOp::NotIn => (!contains()?).into_py(),
    }
}
