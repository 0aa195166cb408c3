//! Build script of `gilgate-capi`: compiles the C shim and generates the export surface.
//!
//! 1. Every `c/*.c` file is compiled into the static library `gilgate_shim`, linked whole
//!    (`+whole-archive`) so that none of its exported symbols is dropped by the linker.
//! 2. The surface is every name of `data/cpython-exports.tsv`. Names written by hand are left
//!    alone: a Rust function or static carrying `#[export]` (found by parsing `src/` with
//!    `syn`), a `PyExc_*` of `data/exceptions.tsv` (whose `exception_types!` invocation is
//!    generated here), or a C shim function of `data/shim-exports.tsv`. Every other function
//!    gets a stub that raises `SystemError` and returns the error value of its signature
//!    (`data/cpython-signatures.tsv`), every other data name a generated object.
//! 3. `SURFACE`, the list of every name with its status, is generated for `surface.rs`.
//!
//! Generated files (all in `$OUT_DIR`): `gg_stubs.rs` (function stubs, type objects and object
//! headers), `gg_surface.rs` (the table), `gg_data_blobs.c` (zero-filled data objects),
//! `gg_exceptions.rs` (the exception types).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Data objects whose C type starts with a `PyObject` header but whose listed size comes from a
/// default (GIL) build: the free-threaded header is 16 bytes larger. Type objects are recognised
/// by their size instead (416 + 8 = 424 in a 3.15 GIL build). The other GIL-build rows are arrays
/// of pointers or integers (`_PyOpcode_*`, `_PySlot_names`, `_Py_SpecialMethods`,
/// `_Py_FunctionAttributeOffsets`), a pointer (`PyExc_ImportCycleError`,
/// `_Py_INTERPRETER_TRAMPOLINE_INSTRUCTIONS_PTR`), and keep their size.
const GIL_BUILD_OBJECTS_WITH_HEADER: &[&str] = &[
    "_Py_InitCleanup",
    "_PyInstrumentation_DISABLE",
    "_PyInstrumentation_MISSING",
];

/// Statically allocated objects that are not type objects: (name, symbol of their type).
/// `_Py_TrueStruct`/`_Py_FalseStruct` are `PyLongObject`s and get their value tag.
const SINGLETONS: &[(&str, &str)] = &[
    ("_Py_NoneStruct", "_PyNone_Type"),
    ("_Py_NotImplementedStruct", "_PyNotImplemented_Type"),
    ("_Py_EllipsisObject", "PyEllipsis_Type"),
    ("_Py_TrueStruct", "PyBool_Type"),
    ("_Py_FalseStruct", "PyBool_Type"),
    ("_PyInstrumentation_DISABLE", "PyBaseObject_Type"),
    ("_PyInstrumentation_MISSING", "PyBaseObject_Type"),
];

/// `tp_name` of every type object of the surface: what `type.__name__` shows in CPython
/// (module-qualified where CPython's `tp_name` is).
const TYPE_NAMES: &[(&str, &str)] = &[
    ("PyAsyncGen_Type", "async_generator"),
    ("PyBaseObject_Type", "object"),
    ("PyBool_Type", "bool"),
    ("PyByteArrayIter_Type", "bytearray_iterator"),
    ("PyByteArray_Type", "bytearray"),
    ("PyBytesIter_Type", "bytes_iterator"),
    ("PyBytes_Type", "bytes"),
    ("PyCFunction_Type", "builtin_function_or_method"),
    ("PyCMethod_Type", "builtin_method"),
    ("PyCallIter_Type", "callable_iterator"),
    ("PyCapsule_Type", "PyCapsule"),
    ("PyCell_Type", "cell"),
    ("PyClassMethodDescr_Type", "classmethod_descriptor"),
    ("PyClassMethod_Type", "classmethod"),
    ("PyCode_Type", "code"),
    ("PyComplex_Type", "complex"),
    ("PyContextToken_Type", "_contextvars.Token"),
    ("PyContextVar_Type", "_contextvars.ContextVar"),
    ("PyContext_Type", "_contextvars.Context"),
    ("PyCoro_Type", "coroutine"),
    ("PyDictItems_Type", "dict_items"),
    ("PyDictIterItem_Type", "dict_itemiterator"),
    ("PyDictIterKey_Type", "dict_keyiterator"),
    ("PyDictIterValue_Type", "dict_valueiterator"),
    ("PyDictKeys_Type", "dict_keys"),
    ("PyDictProxy_Type", "mappingproxy"),
    ("PyDictRevIterItem_Type", "dict_reverseitemiterator"),
    ("PyDictRevIterKey_Type", "dict_reversekeyiterator"),
    ("PyDictRevIterValue_Type", "dict_reversevalueiterator"),
    ("PyDictValues_Type", "dict_values"),
    ("PyDict_Type", "dict"),
    ("PyEllipsis_Type", "ellipsis"),
    ("PyEnum_Type", "enumerate"),
    ("PyFilter_Type", "filter"),
    ("PyFloat_Type", "float"),
    ("PyFrameLocalsProxy_Type", "FrameLocalsProxy"),
    ("PyFrame_Type", "frame"),
    ("PyFrozenDict_Type", "frozendict"),
    ("PyFrozenSet_Type", "frozenset"),
    ("PyFunction_Type", "function"),
    ("PyGen_Type", "generator"),
    ("PyGetSetDescr_Type", "getset_descriptor"),
    ("PyInstanceMethod_Type", "instancemethod"),
    ("PyLazyImport_Type", "lazy_import"),
    ("PyListIter_Type", "list_iterator"),
    ("PyListRevIter_Type", "list_reverseiterator"),
    ("PyList_Type", "list"),
    ("PyLongRangeIter_Type", "longrange_iterator"),
    ("PyLong_Type", "int"),
    ("PyMap_Type", "map"),
    ("PyMemberDescr_Type", "member_descriptor"),
    ("PyMemoryView_Type", "memoryview"),
    ("PyMethodDescr_Type", "method_descriptor"),
    ("PyMethod_Type", "method"),
    ("PyModuleDef_Type", "moduledef"),
    ("PyModule_Type", "module"),
    ("PyODictItems_Type", "odict_items"),
    ("PyODictIter_Type", "odict_iterator"),
    ("PyODictKeys_Type", "odict_keys"),
    ("PyODictValues_Type", "odict_values"),
    ("PyODict_Type", "collections.OrderedDict"),
    ("PyPickleBuffer_Type", "pickle.PickleBuffer"),
    ("PyProperty_Type", "property"),
    ("PyRangeIter_Type", "range_iterator"),
    ("PyRange_Type", "range"),
    ("PyReversed_Type", "reversed"),
    ("PySentinel_Type", "sentinel"),
    ("PySeqIter_Type", "iterator"),
    ("PySetIter_Type", "set_iterator"),
    ("PySet_Type", "set"),
    ("PySlice_Type", "slice"),
    ("PyStaticMethod_Type", "staticmethod"),
    ("PyStdPrinter_Type", "stderrprinter"),
    ("PySuper_Type", "super"),
    ("PyTraceBack_Type", "traceback"),
    ("PyTupleIter_Type", "tuple_iterator"),
    ("PyTuple_Type", "tuple"),
    ("PyType_Type", "type"),
    ("PyUnicodeIter_Type", "str_iterator"),
    ("PyUnicode_Type", "str"),
    ("PyWrapperDescr_Type", "wrapper_descriptor"),
    ("PyZip_Type", "zip"),
    ("Py_GenericAliasType", "types.GenericAlias"),
    ("_PyAsyncGenASend_Type", "async_generator_asend"),
    ("_PyExc_IncompleteInputError", "_IncompleteInputError"),
    ("_PyNone_Type", "NoneType"),
    ("_PyNotImplemented_Type", "NotImplementedType"),
    ("_PyUnion_Type", "typing.Union"),
    ("_PyWeakref_CallableProxyType", "weakref.CallableProxyType"),
    ("_PyWeakref_ProxyType", "weakref.ProxyType"),
    ("_PyWeakref_RefType", "weakref.ReferenceType"),
];

/// Size of a 3.14t `PyTypeObject`.
const TYPE_OBJECT_SIZE: usize = 432;

struct ExportRow {
    name: String,
    is_func: bool,
    data_size: usize,
    from_t_build: bool,
    in_313t: bool,
    in_314: bool,
    in_315: bool,
}

struct SigRow {
    return_kind: String,
    error_value: String,
    does_not_return: bool,
}

fn read_tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("empty TSV").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            header
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    (
                        h.to_string(),
                        cells.get(i).copied().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Hand-written Rust exports: the functions and statics of `path` (inline modules included)
/// that carry `#[export]`. The file is parsed with `syn`, so formatting does not matter; what a
/// `macro_rules!` expansion defines is invisible here and must come from a table build.rs reads
/// (`data/exceptions.tsv`). A bare `#[unsafe(no_mangle)]` item stops the build: it would get a
/// stub as well, and its body no guard. The one file allowed them is `runtime/pymath.rs`, whose
/// names are the C math library's (`exp`, `pow`, ...), defined so that `libm` loads on first
/// use; no C API name is among them, and they are not exported.
fn scan_rust(path: &Path, found: &mut BTreeMap<String, String>) {
    let text = fs::read_to_string(path).unwrap();
    let file = syn::parse_file(&text)
        .unwrap_or_else(|e| panic!("{}: cannot be parsed: {e}", path.display()));
    scan_items(path, &file.items, found);
}

fn scan_items(path: &Path, items: &[syn::Item], found: &mut BTreeMap<String, String>) {
    for item in items {
        let (attrs, ident) = match item {
            syn::Item::Fn(f) => (&f.attrs, &f.sig.ident),
            syn::Item::Static(s) => (&s.attrs, &s.ident),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    scan_items(path, inner, found);
                }
                continue;
            }
            _ => continue,
        };
        let at = format!("{}:{}", path.display(), ident.span().start().line);
        if attrs.iter().any(is_no_mangle) && !path.ends_with("runtime/pymath.rs") {
            panic!(
                "{at}: `{ident}` is exported with #[unsafe(no_mangle)]: write #[export] instead"
            );
        }
        if attrs.iter().any(is_export) {
            record(found, ident.to_string(), at);
        }
    }
}

/// `#[export]` or `#[export(..)]` (any path ending in `export`).
fn is_export(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "export")
}

/// `#[unsafe(no_mangle)]` (or a bare `#[no_mangle]`).
fn is_no_mangle(attr: &syn::Attribute) -> bool {
    match &attr.meta {
        syn::Meta::List(l) => l.path.is_ident("unsafe") && l.tokens.to_string() == "no_mangle",
        syn::Meta::Path(p) => p.is_ident("no_mangle"),
        _ => false,
    }
}

/// Hand-written C exports: the rows of `data/shim-exports.tsv`, each naming the file of `c/`
/// that defines it (`capi/tests/exports.rs` checks the list against what the compiled shim
/// defines, both ways).
fn shim_exports(manifest: &Path, c_files: &[PathBuf], found: &mut BTreeMap<String, String>) {
    let path = manifest.join("data/shim-exports.tsv");
    for (i, row) in read_tsv(&path).into_iter().enumerate() {
        let (name, file) = (&row["name"], &row["file"]);
        let at = format!("{}: row {} ({name})", path.display(), i + 1);
        assert!(
            c_files
                .iter()
                .any(|f| f.file_name().is_some_and(|n| n == file.as_str())),
            "{at}: no file c/{file}"
        );
        assert!(
            ["variadic", "va_list", "does not return", "caller address"]
                .contains(&row["why"].as_str()),
            "{at}: `why` is one of variadic, va_list, does not return, caller address"
        );
        record(found, name.clone(), at);
    }
}

/// The instance layouts a row of `data/exceptions.tsv` may name (`Kind` in
/// `objects/exceptions.rs`).
const EXCEPTION_LAYOUTS: &[&str] = &[
    "Base",
    "Key",
    "Group",
    "SystemExit",
    "StopIteration",
    "Attribute",
    "Name",
    "Import",
    "Os",
    "Syntax",
    "Unicode",
];

/// `data/exceptions.tsv` -> the `exception_types!` invocation `objects/exceptions.rs`
/// includes; records every `PyExc_*` name it defines.
fn gen_exceptions(manifest: &Path, found: &mut BTreeMap<String, String>) -> String {
    let path = manifest.join("data/exceptions.tsv");
    let mut types = String::new();
    let mut aliases = String::new();
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for (i, row) in read_tsv(&path).into_iter().enumerate() {
        let (name, base, size, layout) = (&row["name"], &row["base"], &row["size"], &row["layout"]);
        let at = format!("{}: row {} ({name})", path.display(), i + 1);
        let ok_ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
        assert!(ok_ident(name), "{at}: bad name");
        assert!(
            base == "object" || defined.contains(base.as_str()),
            "{at}: base `{base}` is not a type of an earlier row"
        );
        if layout == "alias" {
            writeln!(aliases, "        PyExc_{name} = EXC_{base};").unwrap();
        } else {
            assert!(
                EXCEPTION_LAYOUTS.contains(&layout.as_str()),
                "{at}: unknown layout `{layout}`"
            );
            let size: usize = size
                .parse()
                .unwrap_or_else(|_| panic!("{at}: bad size `{size}`"));
            assert!(size >= 88, "{at}: smaller than PyBaseExceptionObject");
            let base = if base == "object" {
                "&raw mut crate::object::PyBaseObject_Type".to_string()
            } else {
                format!("&raw mut EXC_{base}")
            };
            writeln!(
                types,
                "        {name:?} c{name:?} EXC_{name} PyExc_{name} ({base}) {size} {layout};"
            )
            .unwrap();
            defined.insert(name.clone());
        }
        record(found, format!("PyExc_{name}"), at);
    }
    format!(
        "// Generated by capi/build.rs from data/exceptions.tsv.\nexception_types! {{\n    types {{\n{types}    }}\n    aliases {{\n{aliases}    }}\n}}\n"
    )
}

fn record(found: &mut BTreeMap<String, String>, name: String, at: String) {
    if let Some(prev) = found.get(&name) {
        panic!("`{name}` is defined by hand twice: {prev} and {at} (the link would fail)");
    }
    found.insert(name, at);
}

/// Rust return type and error value of an `integer:<C type>` return kind.
fn integer_kind(c_type: &str) -> (&'static str, &'static str) {
    match c_type {
        "Py_ssize_t" | "Py_hash_t" => ("isize", "-1"),
        "long int" | "long long int" | "int64_t" => ("i64", "-1"),
        "int" | "PyImport_LazyImportsMode" => ("::std::ffi::c_int", "-1"),
        // Unsigned results: the C API documents `(type)-1` as the error value.
        "long unsigned int" | "long long unsigned int" | "uint64_t" => ("u64", "u64::MAX"),
        "size_t" | "uintptr_t" => ("usize", "usize::MAX"),
        "unsigned int" | "uint32_t" | "Py_UCS4" => ("u32", "u32::MAX"),
        other => panic!("integer return type `{other}` has no mapping in build.rs"),
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for dir in ["c", "src", "data"] {
        println!("cargo:rerun-if-changed={}", manifest.join(dir).display());
    }
    // Test binaries of this crate load extension modules: export our symbols.
    println!("cargo:rustc-link-arg=-rdynamic");

    // --- the lists ---
    let exports: Vec<ExportRow> = read_tsv(&manifest.join("data/cpython-exports.tsv"))
        .into_iter()
        .map(|r| ExportRow {
            name: r["name"].clone(),
            is_func: r["kind"] == "func",
            data_size: r["data_size"].parse().unwrap_or(0),
            from_t_build: r["data_size_from"] == "t build",
            in_313t: r["cpython_313t"] == "yes",
            in_314: r["cpython_314"] == "yes",
            in_315: r["cpython_315"] == "yes",
        })
        .collect();
    // Names exported only by free-threaded builds (3.14t declares them for export only under
    // Py_GIL_DISABLED: scripts/record-exports-314t.sh). Each must be a row of the surface.
    let free_threaded_only: BTreeSet<String> =
        read_tsv(&manifest.join("data/cpython314t-only.tsv"))
            .into_iter()
            .map(|r| r["name"].clone())
            .collect();
    for name in &free_threaded_only {
        assert!(
            exports.iter().any(|r| &r.name == name),
            "`{name}` (data/cpython314t-only.tsv) has no row in data/cpython-exports.tsv"
        );
    }
    let sigs: BTreeMap<String, SigRow> = read_tsv(&manifest.join("data/cpython-signatures.tsv"))
        .into_iter()
        .map(|r| {
            (
                r["name"].clone(),
                SigRow {
                    return_kind: r["return_kind"].clone(),
                    error_value: r["error_value"].clone(),
                    does_not_return: r["does_not_return"] == "yes",
                },
            )
        })
        .collect();

    // --- hand-written exports ---
    let mut rust_files = Vec::new();
    rust_sources(&manifest.join("src"), &mut rust_files);
    let mut hand: BTreeMap<String, String> = BTreeMap::new();
    for f in &rust_files {
        scan_rust(f, &mut hand);
    }
    let mut c_files: Vec<PathBuf> = fs::read_dir(manifest.join("c"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "c"))
                .collect()
        })
        .unwrap_or_default();
    c_files.sort();
    shim_exports(&manifest, &c_files, &mut hand);

    // --- the exception types, from their table ---
    let exceptions = gen_exceptions(&manifest, &mut hand);
    fs::write(out_dir.join("gg_exceptions.rs"), exceptions).unwrap();

    // --- generation ---
    let type_names: BTreeMap<&str, &str> = TYPE_NAMES.iter().copied().collect();
    let singletons: BTreeMap<&str, &str> = SINGLETONS.iter().copied().collect();
    let mut rs = String::new();
    let mut blobs = String::new();
    let mut table = String::new();
    let mut referenced_types: BTreeSet<String> = BTreeSet::new();
    blobs.push_str(
        "/* Generated by capi/build.rs: zero-filled data objects of the export surface. */\n",
    );
    rs.push_str("// Generated by capi/build.rs: stubs and data objects of the export surface.\n");

    for row in &exports {
        let name = &row.name;
        let is_hand = hand.contains_key(name);
        let status;
        if row.is_func {
            let sig = sigs
                .get(name)
                .unwrap_or_else(|| panic!("`{name}` has no row in cpython-signatures.tsv"));
            if sig.does_not_return && !is_hand {
                panic!(
                    "`{name}` never returns: it must be written by hand (capi/c/fatal.c), not stubbed"
                );
            }
            if is_hand {
                status = "Real";
            } else {
                status = if sig.return_kind == "unknown" {
                    "StubUnknownSignature"
                } else {
                    "Stub"
                };
                gen_stub(&mut rs, name, sig);
            }
        } else if is_hand {
            status = "Real";
        } else {
            status = "GeneratedData";
            gen_data(
                &mut rs,
                &mut blobs,
                row,
                &type_names,
                &singletons,
                &mut referenced_types,
            );
        }
        let ft_only = free_threaded_only.contains(name);
        writeln!(
            table,
            "    SurfaceEntry {{ name: {name:?}, kind: Kind::{}, status: Status::{status}, size: {}, in_313t: {}, in_314: {}, in_315: {}, free_threaded_only: {ft_only} }},",
            if row.is_func { "Func" } else { "Data" },
            t_build_size(row),
            row.in_313t,
            row.in_314,
            row.in_315,
        )
        .unwrap();
    }
    // Hand-written names outside the lists are fine (helpers); record none of them in SURFACE.

    if !referenced_types.is_empty() {
        rs.push_str(
            "\n/// The type objects generated code points at, by symbol, wherever they are defined.\nmod gg_types {\n    use crate::object::PyTypeObject;\n    unsafe extern \"C\" {\n",
        );
        for t in &referenced_types {
            writeln!(rs, "        pub static mut {t}: PyTypeObject;").unwrap();
        }
        rs.push_str("    }\n}\n");
    }

    fs::write(out_dir.join("gg_stubs.rs"), rs).unwrap();
    fs::write(out_dir.join("gg_data_blobs.c"), blobs).unwrap();
    fs::write(
        out_dir.join("gg_surface.rs"),
        format!(
            "// Generated by capi/build.rs.\npub static SURFACE: &[SurfaceEntry] = &[\n{table}];\n"
        ),
    )
    .unwrap();

    // --- the C shim, linked whole ---
    let mut build = cc::Build::new();
    build
        .cargo_metadata(false)
        .warnings(true)
        .flag_if_supported("-fvisibility=default");
    build.include(manifest.join("c"));
    let include = manifest.join("../include");
    if include.is_dir() {
        build.include(include);
    }
    for f in &c_files {
        build.file(f);
    }
    build.file(out_dir.join("gg_data_blobs.c"));
    build.compile("gilgate_shim");
    // For capi/tests/exports.rs, which compares data/shim-exports.tsv with the library's symbols.
    println!(
        "cargo:rustc-env=GILGATE_SHIM_LIB={}",
        out_dir.join("libgilgate_shim.a").display()
    );
    println!("cargo:rustc-link-search=native={}", out_dir.display());
    println!("cargo:rustc-link-lib=static:+whole-archive=gilgate_shim");
}

fn gen_stub(rs: &mut String, name: &str, sig: &SigRow) {
    let kind = sig.return_kind.as_str();
    let (ret, body): (String, String) = if kind == "void" {
        writeln!(
            rs,
            "#[unsafe(no_mangle)]\npub extern \"C\" fn {name}() {{\n    stub_void({name:?});\n}}"
        )
        .unwrap();
        return;
    } else if kind == "pointer" {
        (
            "*mut ::std::ffi::c_void".into(),
            "::std::ptr::null_mut()".into(),
        )
    } else if kind == "int" {
        let err = if sig.error_value.starts_with('0') {
            "0"
        } else {
            "-1"
        };
        ("::std::ffi::c_int".into(), err.into())
    } else if let Some(t) = kind.strip_prefix("integer:") {
        let (ty, err) = integer_kind(t);
        (ty.into(), err.into())
    } else if kind.starts_with("float:") {
        ("f64".into(), "-1.0".into())
    } else if kind == "struct:PyStatus" {
        (
            "PyStatusRepr".into(),
            format!(
                "PyStatusRepr::not_implemented(c{name:?}, c\"gilgate: {name} is not implemented\")"
            ),
        )
    } else if kind == "struct:Py_complex" {
        (
            "PyComplexRepr".into(),
            "PyComplexRepr { real: -1.0, imag: 0.0 }".into(),
        )
    } else if kind == "unknown" {
        // Signature unknown: best effort, a pointer-sized zero in the integer return register.
        ("usize".into(), "0".into())
    } else {
        panic!("`{name}`: return kind `{kind}` has no stub rule in build.rs");
    };
    writeln!(rs, "#[unsafe(no_mangle)]\npub extern \"C\" fn {name}() -> {ret} {{\n    stub({name:?}, {body})\n}}").unwrap();
}

/// Whether a data row is a type object (432 bytes in a t build, 424 in a 3.15 GIL build).
fn is_type_object(row: &ExportRow) -> bool {
    (row.from_t_build && row.data_size == TYPE_OBJECT_SIZE)
        || (!row.from_t_build && row.data_size == TYPE_OBJECT_SIZE - 8)
}

/// The size of a data object in a free-threaded build: the listed size, plus 16 bytes for an
/// object (type objects included) whose size was measured in a GIL build. 0 for functions.
fn t_build_size(row: &ExportRow) -> usize {
    if row.is_func {
        0
    } else if !row.from_t_build
        && (is_type_object(row) || GIL_BUILD_OBJECTS_WITH_HEADER.contains(&row.name.as_str()))
    {
        row.data_size + 16
    } else {
        row.data_size
    }
}

fn gen_data(
    rs: &mut String,
    blobs: &mut String,
    row: &ExportRow,
    type_names: &BTreeMap<&str, &str>,
    singletons: &BTreeMap<&str, &str>,
    referenced: &mut BTreeSet<String>,
) {
    let name = row.name.as_str();
    let is_type = is_type_object(row);
    let t_size = t_build_size(row);
    if is_type {
        let tp_name = type_names.get(name).unwrap_or_else(|| {
            panic!("type object `{name}` has no tp_name in build.rs's TYPE_NAMES")
        });
        referenced.insert("PyType_Type".into());
        let base = if name == "PyBaseObject_Type" {
            "::std::ptr::null_mut()".to_string()
        } else {
            referenced.insert("PyBaseObject_Type".into());
            "&raw mut gg_types::PyBaseObject_Type".to_string()
        };
        let value = format!(
            "PyTypeObject {{\n        tp_base: {base},\n        ..PyTypeObject::new_static(&raw mut gg_types::PyType_Type, c{tp_name:?}, 32, 0, GENERATED_TYPE_FLAGS)\n    }}"
        );
        if t_size == TYPE_OBJECT_SIZE {
            writeln!(
                rs,
                "#[unsafe(no_mangle)]\npub static mut {name}: PyTypeObject = {value};"
            )
            .unwrap();
        } else {
            let extra = t_size - TYPE_OBJECT_SIZE;
            writeln!(
                rs,
                "#[unsafe(no_mangle)]\npub static mut {name}: WithTail<PyTypeObject, {extra}> = WithTail {{ head: {value}, tail: [0; {extra}] }};"
            )
            .unwrap();
        }
    } else if let Some(ty) = singletons.get(name) {
        referenced.insert(ty.to_string());
        let header = format!("PyObject::static_immortal(&raw mut gg_types::{ty})");
        match name {
            "_Py_TrueStruct" | "_Py_FalseStruct" => {
                // `PyLongObject`: header, `lv_tag` (digit count << 3 | sign; sign 1 = zero), digit.
                let (tag, digit) = if name == "_Py_TrueStruct" {
                    (1 << 3, 1)
                } else {
                    (1, 0)
                };
                writeln!(
                    rs,
                    "#[unsafe(no_mangle)]\npub static mut {name}: StaticLong = StaticLong {{ ob_base: {header}, lv_tag: {tag}, ob_digit: [{digit}] }};"
                )
                .unwrap();
            }
            _ => {
                assert_eq!(t_size, 32, "`{name}`: a bare object is one 32-byte header");
                writeln!(
                    rs,
                    "#[unsafe(no_mangle)]\npub static mut {name}: PyObject = {header};"
                )
                .unwrap();
            }
        }
    } else {
        writeln!(
            blobs,
            "__attribute__((aligned(16), visibility(\"default\"))) unsigned char {name}[{t_size}];"
        )
        .unwrap();
    }
}
