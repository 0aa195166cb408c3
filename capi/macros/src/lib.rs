//! `#[export]`: how `gilgate-capi` declares an exported C API symbol.
//!
//! On a function, the attribute makes it `#[unsafe(no_mangle)] extern "C"` under its own name
//! and runs its body inside `ffi_guard::guard`, which turns a Rust panic into `SystemError` and
//! the function's error value. The name comes from the identifier, the error value from
//! `data/cpython-signatures.tsv` (read at expansion time, from the crate using the attribute):
//!
//! - `#[export]`: the table's error value: NULL for `pointer` (`None` for a function-pointer
//!   `Option`), the row's integer for `int`, -1 (signed) or `(type)-1` (unsigned) for
//!   `integer:<C type>`, -1.0 for `float:*`, nothing for `void`.
//! - `#[export(err = EXPR)]`: for the functions the table cannot answer: no row (gilgate's
//!   own `_gilgate_*` helpers), an `unknown` signature, or a struct result. Refused where the
//!   table has an exact value, so that value is written once.
//! - `#[export(err = .., guard_name = "PyArg_Parse")]`: a panic is reported under another
//!   name: for the `_gilgate_*` helpers behind the C shim's variadic functions, whose errors
//!   should name the function the extension called.
//! - `#[export(unguarded)]`: no guard. For bodies that cannot panic (constants, field reads,
//!   calls into other exports or the allocator) and the hot entry points whose guard frame
//!   would cost as much as the work.
//! - `#[export(fast = path)]`: `path(args..) -> Option<T>` (an `unsafe fn` over the export's own
//!   arguments) answers the common case before the guard; on `None` the body runs guarded,
//!   out of line (its branch hinted cold), so the fast case needs no frame of its own.
//!
//! The written item is `[pub] [unsafe] fn Name(..) -> T`; the attribute supplies
//! `extern "C"` (an explicit `extern "C"` is accepted too). On a `static` the attribute only
//! adds `#[unsafe(no_mangle)]`. `capi/build.rs` finds the exports by parsing the sources with
//! `syn` and keying on this attribute.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{ToTokens, quote};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, Ident, Item, ItemFn, Pat, ReturnType, Token, Type};

/// One row of `cpython-signatures.tsv`: (`return_kind`, `error_value`).
type Sigs = BTreeMap<String, (String, String)>;

fn signatures() -> Result<&'static Sigs, String> {
    static SIGS: OnceLock<Result<Sigs, String>> = OnceLock::new();
    SIGS.get_or_init(load_signatures)
        .as_ref()
        .map_err(Clone::clone)
}

fn load_signatures() -> Result<Sigs, String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| "#[export]: CARGO_MANIFEST_DIR is not set".to_string())?;
    let path = PathBuf::from(dir).join("data/cpython-signatures.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("#[export]: reading {}: {e}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("#[export]: {} has no `{name}` column", path.display()))
    };
    let (n, k, e) = (col("name")?, col("return_kind")?, col("error_value")?);
    let mut sigs = Sigs::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |i: usize| cells.get(i).copied().unwrap_or("").to_string();
        sigs.insert(cell(n), (cell(k), cell(e)));
    }
    Ok(sigs)
}

/// The attribute's arguments.
#[derive(Default)]
struct Args {
    err: Option<Expr>,
    unguarded: bool,
    fast: Option<syn::Path>,
    guard_name: Option<syn::LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut args = Args::default();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            match key.to_string().as_str() {
                "err" => {
                    input.parse::<Token![=]>()?;
                    args.err = Some(input.parse()?);
                }
                "unguarded" => args.unguarded = true,
                "guard_name" => {
                    input.parse::<Token![=]>()?;
                    args.guard_name = Some(input.parse()?);
                }
                "fast" => {
                    input.parse::<Token![=]>()?;
                    args.fast = Some(input.parse()?);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "#[export]: unknown argument `{other}` (expected `err = ..`, `unguarded`, `fast = path` or `guard_name = \"..\"`)"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        if args.unguarded
            && (args.err.is_some() || args.fast.is_some() || args.guard_name.is_some())
        {
            return Err(input.error("#[export(unguarded)] takes no other argument"));
        }
        Ok(args)
    }
}

#[proc_macro_attribute]
pub fn export(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(attr as Args);
    let item = syn::parse_macro_input!(item as Item);
    let sigs = match signatures() {
        Ok(s) => s,
        Err(e) => {
            return syn::Error::new(Span::call_site(), e)
                .to_compile_error()
                .into();
        }
    };
    match expand(args, item, sigs) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(args: Args, item: Item, sigs: &Sigs) -> syn::Result<TokenStream2> {
    match item {
        Item::Static(s) => {
            if args.err.is_some()
                || args.unguarded
                || args.fast.is_some()
                || args.guard_name.is_some()
            {
                return Err(syn::Error::new(
                    s.ident.span(),
                    "#[export] on a static takes no argument",
                ));
            }
            Ok(quote! { #[unsafe(no_mangle)] #s })
        }
        Item::Fn(f) => expand_fn(args, f, sigs),
        other => Err(syn::Error::new(
            other.span(),
            "#[export] goes on a function or a static",
        )),
    }
}

/// Whether the C type of an `integer:<C type>` return kind is unsigned.
fn unsigned_c_type(c: &str) -> bool {
    c.contains("unsigned") || c.starts_with("uint") || matches!(c, "size_t" | "Py_UCS4")
}

/// The last path segment of a type (`c_int` for `std::ffi::c_int`), if it is a path.
fn type_name(t: &Type) -> Option<String> {
    match t {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Paren(p) => type_name(&p.elem),
        Type::Group(g) => type_name(&g.elem),
        _ => None,
    }
}

/// The error value the table gives `name`, as an expression of return type `ret`.
fn table_err(
    sigs: &Sigs,
    name: &str,
    ret: Option<&Type>,
    span: Span,
) -> syn::Result<Option<TokenStream2>> {
    let Some((kind, value)) = sigs.get(name) else {
        return Ok(None);
    };
    let kind = kind.as_str();
    let mismatch = |what: &str| {
        syn::Error::new(
            span,
            format!(
                "#[export]: `{name}` returns {what} in cpython-signatures.tsv (return kind `{kind}`), not `{}`",
                ret.map_or("()".to_string(), |t| t.to_token_stream().to_string())
            ),
        )
    };
    let tn = ret.and_then(type_name);
    Ok(Some(match (kind, ret) {
        ("void", None) => quote!(()),
        ("void", Some(_)) => return Err(mismatch("nothing")),
        (_, None) if kind != "unknown" => return Err(mismatch("a value")),
        ("pointer", Some(Type::Ptr(p))) => {
            if p.mutability.is_some() {
                quote!(::core::ptr::null_mut())
            } else {
                quote!(::core::ptr::null())
            }
        }
        ("pointer", Some(_)) if tn.as_deref() == Some("Option") => quote!(None),
        ("pointer", Some(_)) => return Ok(None),
        ("int", Some(_)) => {
            // An `int` whose Rust type is an enum or alias (`PyGILState_STATE`) gets `err`.
            if !matches!(tn.as_deref(), Some("c_int" | "i32")) {
                return Ok(None);
            }
            match value.parse::<i64>() {
                Ok(v) => int_lit(v),
                Err(_) => return Ok(None),
            }
        }
        (k, Some(t)) if k.starts_with("integer:") => {
            // A pointer-typed Rust result (`uintptr_t` as `*mut c_void`) gets `err`.
            if !matches!(t, Type::Path(_)) {
                return Ok(None);
            }
            match value.parse::<i64>() {
                Ok(-1) if unsigned_c_type(&k["integer:".len()..]) => quote!(<#t>::MAX),
                Ok(v) => int_lit(v),
                Err(_) => return Ok(None),
            }
        }
        (k, Some(_)) if k.starts_with("float:") => {
            if tn.as_deref() != Some("f64") {
                return Err(mismatch("a double"));
            }
            quote!(-1.0)
        }
        _ => return Ok(None),
    }))
}

/// An integer literal (negative ones as a negated literal).
fn int_lit(v: i64) -> TokenStream2 {
    let lit = proc_macro2::Literal::i64_unsuffixed(v.abs());
    if v < 0 { quote!(-#lit) } else { quote!(#lit) }
}

fn expand_fn(args: Args, f: ItemFn, sigs: &Sigs) -> syn::Result<TokenStream2> {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = f;
    if let Some(abi) = &sig.abi {
        let name = abi.name.as_ref().map(|n| n.value());
        if name.as_deref() != Some("C") {
            return Err(syn::Error::new(
                abi.span(),
                "#[export]: an export has the C ABI (write no ABI or `extern \"C\"`)",
            ));
        }
    }
    if !sig.generics.params.is_empty() || sig.variadic.is_some() || sig.asyncness.is_some() {
        return Err(syn::Error::new(
            sig.span(),
            "#[export]: an export is a plain, non-generic, non-variadic function",
        ));
    }
    let ident = &sig.ident;
    let name = ident.to_string();
    let unsafety = &sig.unsafety;
    let inputs = &sig.inputs;
    let output = &sig.output;
    let ret: Option<&Type> = match output {
        ReturnType::Default => None,
        ReturnType::Type(_, t) => Some(t),
    };
    let head = quote! {
        #(#attrs)*
        #[unsafe(no_mangle)]
        #vis #unsafety extern "C" fn #ident(#inputs) #output
    };
    if args.unguarded {
        return Ok(quote! { #head #block });
    }
    let err = match (&args.err, table_err(sigs, &name, ret, ident.span())?) {
        (Some(_), Some(table)) => {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "#[export]: cpython-signatures.tsv gives `{name}` the error value `{table}`: drop `err = ..` (or fix the table)"
                ),
            ));
        }
        (Some(e), None) => e.to_token_stream(),
        (None, Some(t)) => t,
        (None, None) => {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "#[export]: cpython-signatures.tsv gives no exact error value for `{name}`: write `#[export(err = ..)]`"
                ),
            ));
        }
    };
    let closure_ret = ret.map(|t| quote!(-> #t));
    let reported = args
        .guard_name
        .as_ref()
        .map_or(name.clone(), syn::LitStr::value);
    let guarded = quote! {
        crate::runtime::ffi_guard::guard(#reported, #err, || #closure_ret #block)
    };
    let Some(fast) = &args.fast else {
        return Ok(quote! { #head { #guarded } });
    };
    // The fast form: try `fast`, then the guarded body in an out-of-line function.
    let mut names = Vec::new();
    for arg in inputs {
        match arg {
            FnArg::Typed(t) => match &*t.pat {
                Pat::Ident(p) => names.push(p.ident.clone()),
                other => {
                    return Err(syn::Error::new(
                        other.span(),
                        "#[export(fast = ..)]: name every argument",
                    ));
                }
            },
            FnArg::Receiver(r) => {
                return Err(syn::Error::new(r.span(), "#[export]: no `self`"));
            }
        }
    }
    let call_guarded = if unsafety.is_some() {
        // SAFETY (of the emitted block): the export's own arguments, under its contract.
        quote!(unsafe { guarded(#(#names),*) })
    } else {
        quote!(guarded(#(#names),*))
    };
    Ok(quote! {
        #head {
            // SAFETY: the fast path takes the export's own arguments, under its contract.
            if let Some(r) = unsafe { #fast(#(#names),*) } {
                return r;
            }
            // The guarded body is the uncommon case: a layout hint only (in `PyLong_AsLong` LLVM
            // still places the call inline; what removed that path's jumps was `compact2`'s shape).
            ::std::hint::cold_path();
            // `extern "C"`: the guard catches every panic, and saying so (an `extern "C"` fn
            // cannot unwind) lets the fast case's caller end in a tail call with no frame.
            #[inline(never)]
            #unsafety extern "C" fn guarded(#inputs) #output {
                #guarded
            }
            #call_guarded
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sigs() -> Sigs {
        [
            ("PyList_Size", "integer:Py_ssize_t", "-1"),
            ("PyLong_AsUnsignedLong", "integer:long unsigned int", "-1"),
            ("PyUnicode_Find", "integer:Py_ssize_t", "-2"),
            ("PyObject_IsTrue", "int", "-1"),
            ("PyCallable_Check", "int", "0"),
            ("PyArg_Parse", "int", "0 (check the docs)"),
            ("PyList_New", "pointer", "NULL"),
            ("PyFloat_AsDouble", "float:double", "-1.0"),
            ("Py_IncRef", "void", "none"),
        ]
        .into_iter()
        .map(|(n, k, e)| (n.to_string(), (k.to_string(), e.to_string())))
        .collect()
    }

    /// The expansion of `#[export(attr)] item`, as text without spaces, or the error message.
    fn expand_str(attr: &str, item: &str) -> Result<String, String> {
        let args: Args = syn::parse_str(attr).map_err(|e| e.to_string())?;
        let item: Item = syn::parse_str(item).map_err(|e| e.to_string())?;
        expand(args, item, &sigs())
            .map(|t| t.to_string().replace(' ', ""))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_error_value_comes_from_the_table() {
        let cases = [
            ("PyList_Size", "isize", "guard(\"PyList_Size\",-1,"),
            (
                "PyLong_AsUnsignedLong",
                "c_ulong",
                "guard(\"PyLong_AsUnsignedLong\",<c_ulong>::MAX,",
            ),
            ("PyUnicode_Find", "isize", ",-2,"),
            ("PyObject_IsTrue", "c_int", ",-1,"),
            ("PyCallable_Check", "c_int", ",0,"),
            ("PyList_New", "*mut PyObject", ",::core::ptr::null_mut(),"),
            ("PyFloat_AsDouble", "f64", ",-1.0,"),
        ];
        for (name, ret, want) in cases {
            let out = expand_str("", &format!("pub unsafe fn {name}() -> {ret} {{ 0 }}")).unwrap();
            assert!(out.contains(want), "{name}: {out}");
            assert!(
                out.contains("#[unsafe(no_mangle)]pubunsafeextern\"C\"fn"),
                "{out}"
            );
        }
        let out = expand_str("", "pub unsafe fn Py_IncRef(op: *mut PyObject) {}").unwrap();
        assert!(out.contains("guard(\"Py_IncRef\",(),||{})"), "{out}");
    }

    #[test]
    fn err_is_refused_where_the_table_is_exact_and_required_where_it_is_not() {
        let e = expand_str("err = 0", "pub unsafe fn PyList_Size() -> isize { 0 }").unwrap_err();
        assert!(e.contains("drop `err = ..`"), "{e}");
        let e = expand_str("", "pub unsafe fn PyArg_Parse() -> c_int { 0 }").unwrap_err();
        assert!(e.contains("write `#[export(err = ..)]`"), "{e}");
        let e = expand_str("", "pub unsafe fn _gilgate_helper() -> c_int { 0 }").unwrap_err();
        assert!(e.contains("no exact error value"), "{e}");
        let out = expand_str("err = 0", "pub unsafe fn PyArg_Parse() -> c_int { 0 }").unwrap();
        assert!(out.contains("guard(\"PyArg_Parse\",0,"), "{out}");
        let out = expand_str(
            "err = 0, guard_name = \"PyArg_Parse\"",
            "pub unsafe fn _gilgate_parse() -> c_int { 0 }",
        )
        .unwrap();
        assert!(out.contains("guard(\"PyArg_Parse\",0,"), "{out}");
    }

    #[test]
    fn the_return_type_must_agree_with_the_table() {
        let e = expand_str("", "pub unsafe fn Py_IncRef() -> c_int { 0 }").unwrap_err();
        assert!(e.contains("returns nothing"), "{e}");
        let e = expand_str("", "pub unsafe fn PyList_New() {}").unwrap_err();
        assert!(e.contains("returns a value"), "{e}");
        let e = expand_str("", "pub unsafe fn PyFloat_AsDouble() -> f32 { 0.0 }").unwrap_err();
        assert!(e.contains("returns a double"), "{e}");
    }

    #[test]
    fn unguarded_fast_and_statics() {
        let out = expand_str("unguarded", "pub fn PyList_Size() -> isize { 0 }").unwrap();
        assert!(!out.contains("guard("), "{out}");
        assert!(
            out.starts_with("#[unsafe(no_mangle)]pubextern\"C\"fnPyList_Size"),
            "{out}"
        );
        let out = expand_str(
            "fast = quick",
            "pub unsafe fn PyList_Size(op: *mut PyObject) -> isize { 0 }",
        )
        .unwrap();
        assert!(
            out.contains("ifletSome(r)=unsafe{quick(op)}{returnr;}"),
            "{out}"
        );
        assert!(
            out.contains("#[inline(never)]unsafeextern\"C\"fnguarded(op:*mutPyObject)->isize"),
            "{out}"
        );
        let out = expand_str("", "pub static mut PyExc_X: *mut PyObject = 0 as _;").unwrap();
        assert!(
            out.starts_with("#[unsafe(no_mangle)]pubstaticmutPyExc_X"),
            "{out}"
        );
        let e = expand_str("err = 1", "pub static X: i32 = 0;").unwrap_err();
        assert!(e.contains("takes no argument"), "{e}");
        let e = expand_str("unguarded, err = 1", "pub fn PyList_Size() -> isize { 0 }");
        assert!(e.unwrap_err().contains("takes no other argument"));
    }
}
