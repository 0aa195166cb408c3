//! Layouts checked twice against `tests/data/abi-layouts.md` (CPython 3.14t, x86_64):
//! 1. `tests/c/layout/probe.c`, compiled against `include/` with `$CC` (default `cc`), prints
//!    `offsetof`/`sizeof` of every struct the headers declare;
//! 2. the Rust `#[repr(C)]` structs of `gilgate_capi`, measured with `offset_of!`/`size_of`.
//!
//! The document is parsed from its `ptype /o` blocks: `/* offset | size */ type name;`,
//! nested `struct {`/`union {` blocks closed by `} name;` (fields named `outer.inner`),
//! bitfields as `byte: bit`, and `/* total size (bytes): N */` for the outermost struct.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::cc;

mod support;

/// Where a field starts: a byte offset, or a byte and bit for a bitfield.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Byte(u64),
    Bit(u64, u32),
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pos::Byte(b) => write!(f, "{b}"),
            Pos::Bit(b, bit) => write!(f, "{b}:{bit}"),
        }
    }
}

#[derive(Debug, Default)]
struct Layout {
    /// Fields in document order (nested ones as `outer.inner`; union members, which have
    /// no offset in the document, are left out).
    fields: Vec<(String, Pos)>,
    size: Option<u64>,
}

/// An open nested `struct {` / `union {` block.
struct Open {
    pos: Option<Pos>,
    children: Vec<(String, Pos)>,
}

fn layouts_doc() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/abi-layouts.md")
}

/// A field's byte offset and, for a bitfield, its first bit.
type Offset = (u64, Option<u32>);

/// Splits `/* 49: 3 | 4 */ rest` into (offset, bit, rest); `None` offset for union members.
fn split_comment(line: &str) -> Option<(Option<Offset>, &str)> {
    let line = line.trim();
    let body = line.strip_prefix("/*")?;
    let end = body.find("*/")?;
    let (inside, rest) = (&body[..end], body[end + 2..].trim());
    let (left, right) = inside.split_once('|')?;
    // The right side must be a number (the size); that rules out "/* offset | size */".
    right.trim().parse::<u64>().ok()?;
    let left = left.trim();
    if left.is_empty() {
        return Some((None, rest));
    }
    let (byte, bit) = match left.split_once(':') {
        Some((b, bit)) => (b.trim(), Some(bit.trim().parse::<u32>().ok()?)),
        None => (left, None),
    };
    Some((Some((byte.parse::<u64>().ok()?, bit)), rest))
}

/// The declared name in a field declaration (`PyObject *(*m_init)(void);` -> `m_init`,
/// `char ob_sval[1];` -> `ob_sval`, `unsigned int kind : 3;` -> `kind`).
fn declared_name(decl: &str) -> String {
    let decl = decl.trim().trim_end_matches(';');
    if let Some(start) = decl.find("(*") {
        let rest = &decl[start + 2..];
        let end = rest.find(')').expect("function pointer name");
        return rest[..end].trim().to_string();
    }
    let mut d = decl;
    if let Some(i) = d.find('[') {
        d = &d[..i];
    }
    if let Some((before, after)) = d.rsplit_once(':')
        && after.trim().chars().all(|c| c.is_ascii_digit())
    {
        d = before;
    }
    d.trim()
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())
        .expect("field name")
        .to_string()
}

fn parse_layouts(text: &str) -> BTreeMap<String, Layout> {
    let mut all: BTreeMap<String, Layout> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut stack: Vec<Open> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix("### ") {
            current = Some(name.trim().to_string());
            all.insert(name.trim().to_string(), Layout::default());
            stack.clear();
            continue;
        }
        let Some(name) = current.clone() else {
            continue;
        };
        if line.contains("total size (bytes):") {
            if stack.is_empty() {
                let n = line
                    .split(':')
                    .nth(1)
                    .and_then(|s| s.trim().trim_end_matches("*/").trim().parse::<u64>().ok())
                    .expect("total size");
                all.get_mut(&name).unwrap().size = Some(n);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('}') {
            let rest = rest.trim();
            if rest.ends_with(';') && !stack.is_empty() {
                let open = stack.pop().unwrap();
                let field = declared_name(rest);
                let mut entries = Vec::new();
                if let Some(pos) = open.pos {
                    entries.push((field.clone(), pos));
                }
                for (child, pos) in open.children {
                    entries.push((format!("{field}.{child}"), pos));
                }
                match stack.last_mut() {
                    Some(outer) => outer.children.extend(entries),
                    None => all.get_mut(&name).unwrap().fields.extend(entries),
                }
            }
            continue;
        }
        let Some((offset, decl)) = split_comment(line) else {
            continue;
        };
        let pos = offset.map(|(byte, bit)| match bit {
            Some(bit) => Pos::Bit(byte, bit),
            None => Pos::Byte(byte),
        });
        if decl.ends_with('{') {
            stack.push(Open {
                pos,
                children: Vec::new(),
            });
            continue;
        }
        if decl.starts_with("type =") || !decl.ends_with(';') {
            continue;
        }
        let Some(pos) = pos else { continue }; // union member: no offset of its own
        let entry = (declared_name(decl), pos);
        match stack.last_mut() {
            Some(open) => open.children.push(entry),
            None => all.get_mut(&name).unwrap().fields.push(entry),
        }
    }
    all
}

fn expected() -> BTreeMap<String, Layout> {
    let text = std::fs::read_to_string(layouts_doc()).expect("read abi-layouts.md");
    let parsed = parse_layouts(&text);
    assert!(
        parsed.len() >= 10,
        "abi-layouts.md: parsed only {} structs",
        parsed.len()
    );
    for (name, layout) in &parsed {
        assert!(
            layout.size.is_some(),
            "abi-layouts.md: no total size for {name}"
        );
        assert!(
            !layout.fields.is_empty(),
            "abi-layouts.md: no fields for {name}"
        );
    }
    parsed
}

#[test]
fn parser_reads_nested_fields_and_bitfields() {
    let doc = expected();
    let ascii = &doc["PyASCIIObject"];
    assert_eq!(ascii.size, Some(56));
    let get = |n: &str| ascii.fields.iter().find(|(f, _)| f == n).map(|(_, p)| *p);
    assert_eq!(get("state"), Some(Pos::Byte(48)));
    assert_eq!(get("state.interned"), Some(Pos::Byte(48)));
    assert_eq!(get("state.kind"), Some(Pos::Bit(49, 0)));
    assert_eq!(get("state.statically_allocated"), Some(Pos::Bit(49, 5)));
    let module_def = &doc["PyModuleDef_Base"];
    assert_eq!(module_def.fields[1], ("m_init".to_string(), Pos::Byte(32)));
    let unicode = &doc["PyUnicodeObject"];
    assert!(
        unicode
            .fields
            .iter()
            .any(|(f, p)| f == "data" && *p == Pos::Byte(72))
    );
    assert!(!unicode.fields.iter().any(|(f, _)| f.starts_with("data.")));
    assert_eq!(doc["PyTypeObject"].size, Some(432));
}

fn build_probe() -> PathBuf {
    cc::executable(
        cc::fixture("layout/probe.c"),
        cc::out_dir("layout").join("gilgate-layout-probe"),
    )
    .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O0"])
    .build()
}

fn parse_pos(s: &str) -> Pos {
    match s.split_once(':') {
        Some((b, bit)) => Pos::Bit(b.parse().unwrap(), bit.parse().unwrap()),
        None => Pos::Byte(s.parse().unwrap_or_else(|_| panic!("bad offset {s:?}"))),
    }
}

#[test]
fn c_headers_match_abi_layouts() {
    let doc = expected();
    let probe = build_probe();
    let output = cc::run(&probe);
    assert!(output.status.success(), "the layout probe failed");
    let stdout = String::from_utf8(output.stdout).expect("probe output is UTF-8");

    let mut measured: BTreeMap<String, Layout> = BTreeMap::new();
    let mut skipped = Vec::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            [name, "skipped"] => skipped.push(name.to_string()),
            [name, "sizeof", n] => {
                measured.entry(name.to_string()).or_default().size = Some(n.parse().unwrap());
            }
            [name, field, pos] => measured
                .entry(name.to_string())
                .or_default()
                .fields
                .push((field.to_string(), parse_pos(pos))),
            _ => panic!("unexpected probe line {line:?}"),
        }
    }

    let mut failures = Vec::new();
    let mut compared = 0usize;
    for (name, want) in &doc {
        if skipped.contains(name) {
            continue;
        }
        let Some(got) = measured.get(name) else {
            failures.push(format!(
                "{name}: neither measured nor listed as skipped by the probe"
            ));
            continue;
        };
        if got.size != want.size {
            failures.push(format!(
                "{name}: sizeof {:?}, document says {:?}",
                got.size, want.size
            ));
        }
        compared += 1;
        for (field, pos) in &want.fields {
            match got.fields.iter().find(|(f, _)| f == field) {
                None => failures.push(format!("{name}.{field}: not printed by the probe")),
                Some((_, p)) if p != pos => {
                    failures.push(format!("{name}.{field}: at {p}, document says {pos}"))
                }
                Some(_) => compared += 1,
            }
        }
        for (field, _) in &got.fields {
            if !want.fields.iter().any(|(f, _)| f == field) {
                failures.push(format!(
                    "{name}.{field}: printed by the probe but not in the document"
                ));
            }
        }
    }
    for name in measured.keys() {
        if !doc.contains_key(name) {
            failures.push(format!(
                "{name}: measured by the probe but not in the document"
            ));
        }
    }
    eprintln!(
        "layout probe: {} structs, {compared} numbers compared; skipped (not declared in include/): {}",
        measured.len(),
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(", ")
        }
    );
    assert!(
        failures.is_empty(),
        "C layout mismatches:\n{}",
        failures.join("\n")
    );
    assert!(
        compared > 100,
        "the C probe compared only {compared} numbers"
    );
}

/// Offsets and sizes of the Rust `#[repr(C)]` structs, named as in the document
/// (a trailing `_` in a Rust field name, as in `type_`, stands for the C keyword;
/// `a.b => "name"` measures a field reached through a nested Rust struct; `as "name"`
/// gives the document's name of a struct that Rust names differently).
type RustLayout = (&'static str, Vec<(String, u64)>, u64);

fn rust_layouts() -> Vec<RustLayout> {
    use gilgate_capi::ffi;
    let mut out: Vec<RustLayout> = Vec::new();
    macro_rules! rust_struct {
        (@name $field:ident) => { stringify!($field).trim_end_matches('_').to_string() };
        (@name $field:ident $doc:literal) => { $doc.to_string() };
        ($out:ident, $module:ident :: $ty:ident $(as $docname:literal)?,
         [$($field:ident $(. $sub:ident)* $(=> $doc:literal)?),* $(,)?]) => {{
            let fields = vec![$(
                (
                    rust_struct!(@name $field $($doc)?),
                    std::mem::offset_of!($module::$ty, $field $(. $sub)*) as u64,
                )
            ),*];
            #[allow(unused_variables)]
            let name = stringify!($ty);
            $(let name = $docname;)?
            $out.push((name, fields, std::mem::size_of::<$module::$ty>() as u64));
        }};
    }
    rust_struct!(
        out,
        ffi::PyObject,
        [
            ob_tid,
            ob_flags,
            ob_mutex,
            ob_gc_bits,
            ob_ref_local,
            ob_ref_shared,
            ob_type
        ]
    );
    rust_struct!(out, ffi::PyVarObject, [ob_base, ob_size]);
    rust_struct!(
        out,
        ffi::PyTypeObject,
        [
            ob_base,
            tp_name,
            tp_basicsize,
            tp_itemsize,
            tp_dealloc,
            tp_vectorcall_offset,
            tp_getattr,
            tp_setattr,
            tp_as_async,
            tp_repr,
            tp_as_number,
            tp_as_sequence,
            tp_as_mapping,
            tp_hash,
            tp_call,
            tp_str,
            tp_getattro,
            tp_setattro,
            tp_as_buffer,
            tp_flags,
            tp_doc,
            tp_traverse,
            tp_clear,
            tp_richcompare,
            tp_weaklistoffset,
            tp_iter,
            tp_iternext,
            tp_methods,
            tp_members,
            tp_getset,
            tp_base,
            tp_dict,
            tp_descr_get,
            tp_descr_set,
            tp_dictoffset,
            tp_init,
            tp_alloc,
            tp_new,
            tp_free,
            tp_is_gc,
            tp_bases,
            tp_mro,
            tp_cache,
            tp_subclasses,
            tp_weaklist,
            tp_del,
            tp_version_tag,
            tp_finalize,
            tp_vectorcall,
            tp_watched,
            tp_versions_used
        ]
    );
    rust_struct!(
        out,
        ffi::PyNumberMethods,
        [
            nb_add,
            nb_subtract,
            nb_multiply,
            nb_remainder,
            nb_divmod,
            nb_power,
            nb_negative,
            nb_positive,
            nb_absolute,
            nb_bool,
            nb_invert,
            nb_lshift,
            nb_rshift,
            nb_and,
            nb_xor,
            nb_or,
            nb_int,
            nb_reserved,
            nb_float,
            nb_inplace_add,
            nb_inplace_subtract,
            nb_inplace_multiply,
            nb_inplace_remainder,
            nb_inplace_power,
            nb_inplace_lshift,
            nb_inplace_rshift,
            nb_inplace_and,
            nb_inplace_xor,
            nb_inplace_or,
            nb_floor_divide,
            nb_true_divide,
            nb_inplace_floor_divide,
            nb_inplace_true_divide,
            nb_index,
            nb_matrix_multiply,
            nb_inplace_matrix_multiply
        ]
    );
    rust_struct!(
        out,
        ffi::PySequenceMethods,
        [
            sq_length,
            sq_concat,
            sq_repeat,
            sq_item,
            was_sq_slice,
            sq_ass_item,
            was_sq_ass_slice,
            sq_contains,
            sq_inplace_concat,
            sq_inplace_repeat
        ]
    );
    rust_struct!(
        out,
        ffi::PyMappingMethods,
        [mp_length, mp_subscript, mp_ass_subscript]
    );
    rust_struct!(
        out,
        ffi::PyAsyncMethods,
        [am_await, am_aiter, am_anext, am_send]
    );
    rust_struct!(out, ffi::PyBufferProcs, [bf_getbuffer, bf_releasebuffer]);
    rust_struct!(
        out,
        ffi::Py_buffer,
        [
            buf, obj, len, itemsize, readonly, ndim, format, shape, strides, suboffsets, internal
        ]
    );
    rust_struct!(out, ffi::PyMutex, [_bits]);
    rust_struct!(out, ffi::PyMethodDef, [ml_name, ml_meth, ml_flags, ml_doc]);
    rust_struct!(
        out,
        ffi::PyCFunctionObject,
        [ob_base, m_ml, m_self, m_module, m_weakreflist, vectorcall]
    );
    rust_struct!(out, ffi::PyCMethodObject, [func, mm_class]);
    rust_struct!(out, ffi::PyMemberDef, [name, type_, offset, flags, doc]);
    rust_struct!(out, ffi::PyGetSetDef, [name, get, set, doc, closure]);
    rust_struct!(
        out,
        ffi::PyModuleDef_Base,
        [ob_base, m_init, m_index, m_copy]
    );
    rust_struct!(
        out,
        ffi::PyModuleDef,
        [
            m_base, m_name, m_doc, m_size, m_methods, m_slots, m_traverse, m_clear, m_free
        ]
    );
    rust_struct!(out, ffi::PyModuleDef_Slot, [slot, value]);
    rust_struct!(out, ffi::PyTupleObject, [ob_base, ob_hash, ob_item]);
    rust_struct!(out, ffi::PyLongObject, [ob_base, long_value]);
    rust_struct!(out, ffi::_PyLongValue, [lv_tag, ob_digit]);
    rust_struct!(out, ffi::PyFloatObject, [ob_base, ob_fval]);
    rust_struct!(
        out,
        ffi::PyDictObject,
        [ob_base, ma_used, _ma_watcher_tag, ma_keys, ma_values]
    );
    rust_struct!(out, ffi::PyASCIIObject, [ob_base, length, hash, state]);
    rust_struct!(out, ffi::PyCompactUnicodeObject, [_base, utf8_length, utf8]);
    rust_struct!(out, ffi::PyUnicodeObject, [_base, data]);
    rust_struct!(out, ffi::PyCriticalSection, [_cs_prev, _cs_mutex]);
    rust_struct!(out, ffi::PyCriticalSection2, [_cs_base, _cs_mutex2]);
    rust_struct!(
        out,
        ffi::PyBaseExceptionObject,
        [
            ob_base,
            dict,
            args,
            notes,
            traceback,
            context,
            cause,
            suppress_context
        ]
    );
    rust_struct!(out, ffi::PyImportErrorObject, [base.ob_base => "ob_base", base.dict => "dict", base.args => "args", base.notes => "notes", base.traceback => "traceback", base.context => "context", base.cause => "cause", base.suppress_context => "suppress_context", msg, name, path, name_from]);
    rust_struct!(out, ffi::PyThreadState as "_ts", [prev, next, interp, eval_breaker, _status, holds_gil, _whence, state, py_recursion_remaining, py_recursion_limit, recursion_headroom, tracing, what_event, current_frame, c_profilefunc, c_tracefunc, c_profileobj, c_traceobj, current_exception, exc_info, dict, gilstate_counter, async_exc, thread_id, native_thread_id, delete_later, critical_section, coroutine_origin_tracking_depth, async_gen_firstiter, async_gen_finalizer, context, context_ver, id, datastack_chunk, datastack_top, datastack_limit, exc_state, current_executor, dict_global_version, threading_local_key, threading_local_sentinel, remote_debugger_support, datastack_cached_chunk]);
    rust_struct!(
        out,
        ffi::PyCodeObject,
        [
            ob_base,
            co_consts,
            co_names,
            co_exceptiontable,
            co_flags,
            co_argcount,
            co_posonlyargcount,
            co_kwonlyargcount,
            co_stacksize,
            co_firstlineno,
            co_nlocalsplus,
            co_framesize,
            co_nlocals,
            co_ncellvars,
            co_nfreevars,
            co_version,
            co_localsplusnames,
            co_localspluskinds,
            co_filename,
            co_name,
            co_qualname,
            co_linetable,
            co_weakreflist,
            co_executors,
            _co_cached,
            _co_instrumentation_version,
            _co_monitoring,
            _co_unique_id,
            _co_firsttraceable,
            co_extra,
            co_tlbc,
            co_code_adaptive
        ]
    );
    rust_struct!(
        out,
        ffi::PyFrameObject,
        [
            ob_base,
            f_back,
            f_frame,
            f_trace,
            f_lineno,
            f_trace_lines,
            f_trace_opcodes,
            f_extra_locals,
            f_locals_cache,
            f_overwritten_fast_locals,
            _f_frame_data
        ]
    );
    rust_struct!(
        out,
        ffi::PyTracebackObject,
        [ob_base, tb_next, tb_frame, tb_lasti, tb_lineno]
    );
    rust_struct!(out, ffi::_PyErr_StackItem, [exc_value, previous_item]);
    out
}

#[test]
fn rust_structs_match_abi_layouts() {
    let doc = expected();
    let mut failures = Vec::new();
    let mut compared = 0usize;
    let structs = rust_layouts();
    for (name, fields, size) in &structs {
        let Some(want) = doc.get(*name) else {
            failures.push(format!("{name}: not in the document"));
            continue;
        };
        if want.size != Some(*size) {
            failures.push(format!(
                "{name}: size_of {size}, document says {:?}",
                want.size
            ));
        }
        compared += 1;
        for (field, offset) in fields {
            match want.fields.iter().find(|(f, _)| f == field) {
                None => failures.push(format!("{name}.{field}: not in the document")),
                Some((_, Pos::Byte(b))) if b == offset => compared += 1,
                Some((_, pos)) => {
                    failures.push(format!("{name}.{field}: at {offset}, document says {pos}"))
                }
            }
        }
        // Every top-level field of the document must be covered.
        for (field, _) in &want.fields {
            if !field.contains('.') && !fields.iter().any(|(f, _)| f == field) {
                failures.push(format!(
                    "{name}.{field}: in the document but not checked in Rust"
                ));
            }
        }
    }
    eprintln!(
        "rust layouts: {} structs, {compared} numbers compared",
        structs.len()
    );
    assert!(
        failures.is_empty(),
        "Rust layout mismatches:\n{}",
        failures.join("\n")
    );
    assert!(
        compared > 50,
        "the Rust check compared only {compared} numbers"
    );
}

/// Compiles `tests/c/layout/inline.c` as `lang` with `flags`, runs it and returns its output.
fn run_inline_probe(lang: cc::Lang, flags: &[&str], tag: &str) -> String {
    let out = cc::executable(
        cc::fixture("layout/inline.c"),
        cc::out_dir("layout").join(format!("gilgate-inline-probe-{tag}")),
    )
    .lang(lang)
    .args(flags)
    .args(["-Wall", "-Wextra", "-Werror", "-O1"])
    .link_args(["-lpthread"])
    .build();
    let run = cc::run(&out);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "inline probe ({tag}) reported failures:\n{stdout}"
    );
    stdout
}

#[test]
fn inline_refcounting_and_locks_behave_like_cpython() {
    use cc::Lang::{C, Cxx};
    for (lang, flags, tag) in [
        (
            C,
            &["-std=c11", "-Wpedantic", "-Wredundant-decls"][..],
            "c11",
        ),
        (C, &["-std=c99"][..], "c99"),
        (C, &["-std=c11", "-DGILGATE_TARGET_3_15"][..], "c11-315"),
        (Cxx, &["-x", "c++", "-std=c++17"][..], "cxx"),
        (
            Cxx,
            &["-x", "c++", "-std=c++17", "-DGILGATE_TARGET_3_15"][..],
            "cxx-315",
        ),
    ] {
        let out = run_inline_probe(lang, flags, tag);
        let ok = out.lines().filter(|l| l.starts_with("ok ")).count();
        assert!(!out.contains("FAIL"), "{tag}:\n{out}");
        assert!(
            out.contains("checks done, 0 failed"),
            "{tag}: probe did not finish:\n{out}"
        );
        assert!(ok >= 30, "{tag}: only {ok} checks ran:\n{out}");
    }
}

#[test]
fn limited_api_is_refused_in_the_free_threaded_headers() {
    let src = cc::out_dir("layout").join("limited_api.c");
    std::fs::write(&src, "#include <Python.h>\n").unwrap();
    let output = cc::syntax_check(&src)
        .arg("-DPy_LIMITED_API=0x030e0000")
        .output();
    assert!(
        !output.status.success(),
        "Py_LIMITED_API with Py_GIL_DISABLED must not compile"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("The limited API is not currently supported in the free-threaded build"),
        "unexpected diagnostics:\n{stderr}"
    );
}

/// `PyAPI_FUNC(RET) NAME(` and `PyAPI_DATA(TYPE) NAME` declarations in `include/`.
fn header_declarations() -> Vec<(String, &'static str, String, String)> {
    let include = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("include");
    let mut files = Vec::new();
    let mut dirs = vec![include.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read include/") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "h") {
                files.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read header");
        let rel = file.strip_prefix(&include).unwrap().display().to_string();
        for (marker, kind) in [("PyAPI_FUNC(", "func"), ("PyAPI_DATA(", "data")] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(marker) {
                let after = &rest[at + marker.len()..];
                rest = after;
                // The macro definitions themselves (`#define PyAPI_FUNC(RTYPE) ...`).
                if after.starts_with("RTYPE") {
                    continue;
                }
                let mut depth = 1;
                let mut end = 0;
                for (i, c) in after.char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let ty = after[..end].trim().to_string();
                let tail = after[end + 1..].trim_start();
                let tail = tail
                    .strip_prefix("_Py_NO_RETURN")
                    .unwrap_or(tail)
                    .trim_start();
                let tail = tail.strip_prefix('(').unwrap_or(tail); // `void(*PyOS_InputHook)`
                let tail = tail.trim_start_matches('*').trim_start();
                let name: String = tail
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    !name.is_empty(),
                    "{rel}: cannot read the declaration after {marker}{ty})"
                );
                out.push((name, kind, ty, rel.clone()));
            }
        }
    }
    out
}

/// A C type spelled canonically: integer keyword order and `int` after size words do not
/// matter (`long unsigned int` == `unsigned long`), nor does spacing around `*`.
fn canonical_type(ty: &str) -> String {
    let spaced = ty.replace('*', " * ");
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    let sized = words
        .iter()
        .any(|w| matches!(*w, "long" | "short" | "unsigned" | "signed"));
    if sized {
        words.retain(|w| *w != "int");
    }
    let stars = words.iter().filter(|w| **w == "*").count();
    let mut base: Vec<&str> = words.into_iter().filter(|w| *w != "*").collect();
    base.sort_unstable();
    format!("{}{}", base.join(" "), "*".repeat(stars))
}

#[test]
fn header_declarations_match_the_export_list() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let exports = std::fs::read_to_string(data.join("cpython-exports.tsv")).expect("exports list");
    let kinds: BTreeMap<&str, &str> = exports
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?))
        })
        .collect();
    let signatures =
        std::fs::read_to_string(data.join("cpython-signatures.tsv")).expect("signature list");
    let returns: BTreeMap<&str, &str> = signatures
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((*f.first()?, *f.get(3)?))
        })
        .collect();

    let decls = header_declarations();
    assert!(
        decls.len() > 500,
        "found only {} declarations in include/",
        decls.len()
    );
    let mut failures = Vec::new();
    let mut typed = 0;
    for (name, kind, ty, file) in &decls {
        match kinds.get(name.as_str()) {
            None => failures.push(format!(
                "{file}: {name} is declared but CPython does not export it"
            )),
            Some(k) if k != kind => failures.push(format!(
                "{file}: {name} is declared as {kind}, CPython exports {k}"
            )),
            Some(_) => {}
        }
        if *kind == "func"
            && let Some(want) = returns.get(name.as_str()).filter(|w| !w.is_empty())
        {
            typed += 1;
            if canonical_type(want) != canonical_type(ty) {
                failures.push(format!(
                    "{file}: {name} returns `{ty}`, CPython's returns `{want}`"
                ));
            }
        }
    }
    eprintln!(
        "{} declarations in include/, {typed} return types compared",
        decls.len()
    );
    assert!(
        failures.is_empty(),
        "header declarations:\n{}",
        failures.join("\n")
    );
    assert!(typed > 500, "compared only {typed} return types");
}

/// Every data symbol the headers declare has the size CPython's export list gives
/// (measured by the C compiler: `sizeof` of the declared object).
#[test]
fn declared_data_objects_have_cpythons_sizes() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let include = manifest.parent().unwrap().join("include");
    let exports =
        std::fs::read_to_string(manifest.join("data/cpython-exports.tsv")).expect("exports list");
    // name -> (size, 3.15 only?)
    let mut sizes: BTreeMap<String, (u64, bool)> = BTreeMap::new();
    for line in exports.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.get(1) == Some(&"data")
            && let Ok(size) = f[2].parse::<u64>()
        {
            let only_315 = f.get(5) == Some(&"no") && f.get(6) == Some(&"yes");
            sizes.insert(f[0].to_string(), (size, only_315));
        }
    }
    let decls = header_declarations();
    let headers_text: String = decls
        .iter()
        .map(|(.., file)| file.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|f| std::fs::read_to_string(include.join(f)).expect("read header"))
        .collect();
    let declared: Vec<String> = decls
        .into_iter()
        .filter(|(_, kind, ty, _)| *kind == "data" && !ty.contains('('))
        .map(|(name, ..)| name)
        // An array of unknown size (`char NAME[]`) has no sizeof.
        .filter(|name| !headers_text.contains(&format!("{name}[]")))
        .collect();
    let mut source = String::from(
        "#include <Python.h>\n#include \"datetime.h\"\n#include \"frameobject.h\"\n\
         #include <stdio.h>\nint main(void)\n{\n",
    );
    let mut measured = 0;
    for name in &declared {
        let Some((_, only_315)) = sizes.get(name) else {
            continue;
        };
        if *only_315 {
            source.push_str("#ifdef GILGATE_TARGET_3_15\n");
        }
        source.push_str(&format!("    printf(\"{name} %zu\\n\", sizeof({name}));\n"));
        if *only_315 {
            source.push_str("#endif\n");
        }
        measured += 1;
    }
    source.push_str("    return 0;\n}\n");
    assert!(
        measured > 100,
        "only {measured} declared data symbols have a size in the export list"
    );

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let c_file = dir.join("gilgate-data-sizes.c");
    std::fs::write(&c_file, source).expect("write data-size probe");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (tag, flags) in [("314", &[][..]), ("315", &["-DGILGATE_TARGET_3_15"][..])] {
        let exe = dir.join(format!("gilgate-data-sizes-{tag}"));
        cc::executable(&c_file, &exe)
            .args(flags)
            .args(["-w", "-std=gnu11"])
            .build();
        // The probe references the objects only through sizeof, so it links and runs.
        let run = cc::run(&exe);
        for line in String::from_utf8_lossy(&run.stdout).lines() {
            let (name, size) = line.split_once(' ').expect("NAME SIZE");
            let size: u64 = size.parse().expect("size");
            let (want, only_315) = sizes[name];
            // 3.15's type objects are 8 bytes larger; include/ declares the 3.14t layout.
            if tag == "315" && !only_315 {
                continue;
            }
            compared += 1;
            if size != want {
                failures.push(format!(
                    "{name}: sizeof {size}, CPython's object is {want} bytes"
                ));
            }
        }
    }
    eprintln!("data symbols: {compared} sizes compared");
    assert!(
        failures.is_empty(),
        "data symbol sizes:\n{}",
        failures.join("\n")
    );
    assert!(
        compared >= measured,
        "compared {compared} of {measured} data symbols"
    );
}
