//! `gilgate eval` end to end: parsing, namespaces, repr printing, exceptions and exit codes,
//! with the bundled sample modules.

mod expect;
mod support;

use gilgate_test_extensions::samples_dir;
use std::io::Write as _;
use std::process::{Output, Stdio};
use support::gilgate;

fn eval(module: &str, exprs: &[&str]) -> Output {
    gilgate()
        .arg("eval")
        .arg("--path")
        .arg(samples_dir())
        .arg(module)
        .args(exprs)
        .output()
        .expect("run gilgate")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn last_stderr_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

/// Runs and checks stdout and the exit code; on exit 1 also the last stderr line.
fn check(module: &str, exprs: &[&str], out: &str, code: i32, err: Option<&str>) {
    let o = eval(module, exprs);
    assert_eq!(
        (stdout(&o).as_str(), o.status.code()),
        (out, Some(code)),
        "{exprs:?}: stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    if let Some(e) = err {
        assert_eq!(last_stderr_line(&o), e, "{exprs:?}");
    }
}

#[test]
fn literals_names_and_attributes() {
    check(
        "mp_ft",
        &[
            "12",
            "1.5",
            "'it''s'",
            "\"a\\n\\t'\"",
            "None",
            "True",
            "False",
            "...",
            "mp_ft.__name__",
            "__name__",
            "()",
            "{}",
        ],
        "12\n1.5\n'its'\n\"a\\n\\t'\"\nNone\nTrue\nFalse\nEllipsis\n'mp_ft'\n'mp_ft'\n()\n{}\n",
        0,
        None,
    );
}

#[test]
fn assignments_print_nothing_and_bind_names() {
    check(
        "mp_ft",
        &[
            "x = 'v'",
            "x",
            "mp_ft.extra = x",
            "mp_ft.extra",
            "y = mp_ft",
            "y.__name__",
        ],
        "'v'\n'v'\n'mp_ft'\n",
        0,
        None,
    );
}

#[test]
fn boolean_operators_return_operands() {
    check(
        "mp_ft",
        &[
            "0 or 'x'",
            "'' and nope",
            "'a' and 'b'",
            "not ''",
            "not 'a'",
            "'y' if 0 else 'n'",
            "'y' if 'z' else nope",
        ],
        "'x'\n''\n'b'\nTrue\nFalse\n'n'\n'y'\n",
        0,
        None,
    );
}

#[test]
fn exceptions_stop_evaluation_and_exit_1() {
    check(
        "mp_ft",
        &["'before'", "nope", "'after'"],
        "'before'\n",
        1,
        Some("NameError: name 'nope' is not defined"),
    );
    check(
        "mp_ft",
        &["mp_ft.missing"],
        "",
        1,
        Some("AttributeError: module 'mp_ft' has no attribute 'missing'"),
    );
}

#[test]
fn syntax_errors_exit_1_before_anything_runs() {
    let o = eval("mp_ft", &["'runs?'", "1 +"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        last_stderr_line(&o).starts_with("SyntaxError: invalid syntax"),
        "{}",
        last_stderr_line(&o)
    );
    let o = eval("mp_ft", &["f(a=1, 2)"]);
    assert_eq!(
        last_stderr_line(&o),
        "SyntaxError: positional argument follows keyword argument (at column 8)"
    );
}

#[test]
fn module_errors_exit_2_and_usage_errors_64() {
    let o = eval("no_such_module", &["1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        last_stderr_line(&o),
        "gilgate: no_such_module: error: ModuleNotFoundError: No module named 'no_such_module'"
    );
    let o = eval("init_raises", &["1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = gilgate()
        .args(["eval", "--gil", "sometimes", "mp_ft", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(64));
    let o = gilgate().args(["eval", "mp_ft"]).output().unwrap();
    assert_eq!(o.status.code(), Some(64));
}

#[test]
fn path_and_extra_modules_and_lock_policy() {
    // A path to the .so, GILGATE_PATH, -m, and the lock warning of an undeclared module.
    let so = gilgate_test_extensions::sample("mp_ft");
    let o = gilgate()
        .arg("eval")
        .arg(&so)
        .args(["-m", "mp_noslot", "mp_ft.__name__", "mp_noslot.__name__"])
        .env("GILGATE_PATH", samples_dir())
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "'mp_ft'\n'mp_noslot'\n", "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("RuntimeWarning: The global interpreter lock (GIL) has been enabled to load module 'mp_noslot'"),
        "{o:?}"
    );
    let o = gilgate()
        .args(["eval", "--gil", "error", "--path"])
        .arg(samples_dir())
        .args(["mp_noslot", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(last_stderr_line(&o).contains("lock policy is 'error'"));
}

#[test]
fn interactive_prompt_reads_lines_and_goes_on_after_errors() {
    let mut child = gilgate()
        .args(["eval", "-i", "--path"])
        .arg(samples_dir())
        .arg("mp_ft")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"x = 'five'\nx\n1 +\n\nnope\nmp_ft.__name__\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "'five'\n'mp_ft'\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("SyntaxError: invalid syntax"), "{err}");
    assert!(
        err.contains("NameError: name 'nope' is not defined"),
        "{err}"
    );
}

/// `property`, `type(name, bases, dict)`, mappingproxy and `__class__`, answered as CPython
/// 3.14 answers (`__basicsize__` is 3.14t's, which a GIL build cannot show).
#[test]
fn properties_three_argument_type_and_mappingproxy() {
    check(
        "mp_ft",
        &[
            r#"X = type("X", (), {"p": property(len), "q": property(None), "n": 5, "__module__": "m"})"#,
            "X",
            "list(X.__dict__)",
            "type(X.__dict__)",
            "type(X.__dict__['p'])",
            "X.n",
            "x = X()",
            "x.a = [1]",
            "x.a",
            "x.__dict__",
            "type(x) is X",
            "x.__class__ is X",
            "(1).__class__",
            "int.__class__",
            r#"type("Y", (X,), {"__qualname__": "A.Y", "__module__": "m"})"#,
            "p = property(len, None, None, 'doc')",
            "(p.fget, p.fset, p.fdel, p.__doc__)",
            "p.setter(abs).fset",
            "p.getter(abs).__doc__",
            "p.__get__(None, X) is p",
            "X.p is X.__dict__['p']",
            "len(X.__dict__)",
            "'n' in X.__dict__",
            "X.__dict__.get('zz', 7)",
            r#"type("Z", (), {"a": 1, "__module__": "m"}).__dict__"#,
            r#"W = type("W", (), {"__module__": "m"})"#,
            "x.__class__ = W",
            "(type(x), x.a)",
            r#"type("V", (), {})"#,
            r#"S = type("S", (), {"__slots__": ("b", "a", "__x"), "__module__": "m"})"#,
            "list(S.__dict__)",
            "s = S()",
            "s.a = [2]",
            // 56: 3.14t's 32-byte object header and three slots
            "(s.a, S.__basicsize__, S.__dictoffset__, S.__weakrefoffset__)",
        ],
        "<class 'm.X'>\n\
         ['p', 'q', 'n', '__module__', '__dict__', '__weakref__', '__doc__']\n\
         <class 'mappingproxy'>\n<class 'property'>\n\
         5\n[1]\n{'a': [1]}\nTrue\nTrue\n<class 'int'>\n<class 'type'>\n<class 'm.A.Y'>\n\
         (<built-in function len>, None, None, 'doc')\n<built-in function abs>\n'doc'\nTrue\nTrue\n7\nTrue\n7\n\
         mappingproxy({'a': 1, '__module__': 'm', '__dict__': <attribute '__dict__' of 'Z' objects>, '__weakref__': <attribute '__weakref__' of 'Z' objects>, '__doc__': None})\n\
         (<class 'm.W'>, [1])\n<class 'mp_ft.V'>\n\
         ['__slots__', '__module__', '_S__x', 'a', 'b', '__doc__']\n\
         ([2], 56, 0, 0)\n",
        0,
        None,
    );
}

/// Reprs and error texts of the number, sequence, mapping and str protocols, `property`,
/// `type()`, slot wrappers and builtins through `eval`, against CPython 3.14's answers
/// recorded in `tests/data/eval-texts.json` (`scripts/record-expectations.sh eval`: each case
/// run by CPython in a namespace named after the module, which none of them otherwise uses).
#[test]
fn cpython_texts_and_reprs_from_the_recorded_data() {
    let r = expect::load("eval-texts.json");
    assert!(
        !r.cases.is_empty(),
        "tests/data/eval-texts.json has no cases"
    );
    let failures: Vec<String> = r
        .cases
        .iter()
        .filter_map(|c| expect::compare(c, &eval(&c.module, &c.exprs())))
        .collect();
    expect::assert_agrees(&failures, r.cases.len(), &r.cpython);
}

/// The import machinery sets `__spec__` before exec (CPython's `_init_module_attrs`), for
/// multi-phase and single-phase modules alike: pybind11's exec reads `__spec__.name`.
#[test]
fn loaded_modules_have_a_spec() {
    check(
        "mp_ft",
        &[
            "mp_ft.__spec__.name",
            "mp_ft.__spec__.origin == mp_ft.__file__",
        ],
        "'mp_ft'\nTrue\n",
        0,
        None,
    );
    check(
        "sp_setgil",
        &["sp_setgil.__spec__.name"],
        "'sp_setgil'\n",
        0,
        None,
    );
}
