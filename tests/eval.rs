//! `gilgate eval` end to end: parsing, namespaces, repr printing, exceptions and exit codes,
//! with the bundled sample modules.

use gilgate_test_extensions::samples_dir;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn gilgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gilgate"));
    c.env_remove("GILGATE_GIL")
        .env_remove("PYTHON_GIL")
        .env_remove("GILGATE_PATH")
        .env_remove("GILGATE_LOG");
    c
}

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

#[test]
fn arithmetic_through_the_number_protocol() {
    check(
        "mp_ft",
        &[
            "1 + 2 * 3",
            "-0",
            "-2 ** 2",
            "2 ** -1",
            "7 // -2",
            "7 % -2",
            "-7 / 2",
            "1 << 70",
            "~5 & 0xff | 0b1 ^ 0o7",
            "0.1 + 0.2",
            "1e16",
            "2 ** 100",
            "12345678901234567890123 * 3",
        ],
        "7\n0\n-4\n0.5\n-4\n-1\n-3.5\n1180591620717411303424\n254\n0.30000000000000004\n1e+16\n1267650600228229401496703205376\n37037036703703703670369\n",
        0,
        None,
    );
    check(
        "mp_ft",
        &["1 // 0"],
        "",
        1,
        // CPython 3.14's wording (3.11: "integer division or modulo by zero").
        Some("ZeroDivisionError: division by zero"),
    );
    check(
        "mp_ft",
        &["1 + 'a'"],
        "",
        1,
        Some("TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
    );
}

#[test]
fn comparisons_chain_and_short_circuit() {
    check(
        "mp_ft",
        &[
            "1 < 2 < 3",
            "1 < 2 > 3",
            "3 > 2 == nope",
            "1 == 1.0",
            "'a' != 'b'",
            "None is None",
            "1 is not None",
        ],
        "True\nFalse\n",
        1,
        Some("NameError: name 'nope' is not defined"),
    );
    check(
        "mp_ft",
        &[
            "1 < 2 < 3",
            "1 < 2 > 3",
            "1 > 2 < nope",
            "1 == 1.0",
            "None is None",
            "1 is not None",
        ],
        "True\nFalse\nFalse\nTrue\nTrue\nTrue\n",
        0,
        None,
    );
}

#[test]
fn containers_subscripts_and_membership() {
    check(
        "mp_ft",
        &[
            "[1, 'a', None]",
            "{1: [2.5], 'k': (1,)}",
            "b'a\\x00\\xff'",
            "'hello'[1:4]",
            "'hello'[::-1]",
            "(1, 2, 3)[-1]",
            "{'a': 1}['a']",
            "2 in [1, 2]",
            "'x' not in 'abc'",
            "d = {}",
            "d['k'] = 1",
            "d",
        ],
        "[1, 'a', None]\n{1: [2.5], 'k': (1,)}\nb'a\\x00\\xff'\n'ell'\n'olleh'\n3\n1\nTrue\nTrue\n{'k': 1}\n",
        0,
        None,
    );
    check("mp_ft", &["{}['x']"], "", 1, Some("KeyError: 'x'"));
    check(
        "mp_ft",
        &["(1,)[5]"],
        "",
        1,
        Some("IndexError: tuple index out of range"),
    );
}

#[test]
fn floats_complex_and_builtins() {
    // Expected outputs from CPython 3.11 (`python3 -c 'print(repr(EXPR))'`).
    check(
        "mp_ft",
        &[
            "1j",
            "(1+2j)*2",
            "2 ** 0.5",
            "10 ** -2",
            "1/3",
            "-1 % 5",
            "1.5 // 0.5",
            "-7 // 2.0",
            "2 ** 64 // 3",
            "1e300 * 1e10",
            "0.1 * 3",
            "True + True",
            "abs(-2.5)",
            "isinstance(True, int)",
            "None is None is None",
        ],
        "1j\n(2+4j)\n1.4142135623730951\n0.01\n0.3333333333333333\n4\n3.0\n-4.0\n6148914691236517205\ninf\n0.30000000000000004\n2\n2.5\nTrue\nTrue\n",
        0,
        None,
    );
    check(
        "mp_ft",
        &["3 @ 4"],
        "",
        1,
        Some("TypeError: unsupported operand type(s) for @: 'int' and 'int'"),
    );
}

#[test]
fn set_literals() {
    check(
        "mp_ft",
        &["{3}", "{'a', 'a'}", "2 in {1, 2}"],
        "{3}\n{'a'}\nTrue\n",
        0,
        None,
    );
}

/// `property`, `type(name, bases, dict)`, mappingproxy and `__class__`, answered as CPython
/// answers (3.11 for the texts both versions share; 3.13+ names a property after its getter).
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

#[test]
fn property_and_type_errors_carry_cpythons_texts() {
    let x = r#"X = type("X", (), {"q": property(None), "r": property(len)})"#;
    for (exprs, err) in [
        (
            &[x, "X().q"][..],
            "AttributeError: property 'q' of 'X' object has no getter",
        ),
        (
            &[x, "X().q = 1"][..],
            "AttributeError: property 'q' of 'X' object has no setter",
        ),
        (
            &["property(None).__get__(1)"][..],
            "AttributeError: property of 'int' object has no getter",
        ),
        (
            &["property(1, 2, 3, 4, 5)"][..],
            "TypeError: property() takes at most 4 arguments (5 given)",
        ),
        (
            &["property(x=1)"][..],
            "TypeError: 'x' is an invalid keyword argument for property()",
        ),
        (
            &[r#"type("X", 1, {})"#][..],
            "TypeError: type.__new__() argument 2 must be tuple, not int",
        ),
        (
            &[r#"type("X", (), 1)"#][..],
            "TypeError: type.__new__() argument 3 must be dict, not int",
        ),
        (
            &[r#"type(1, (), {})"#][..],
            "TypeError: type.__new__() argument 1 must be str, not int",
        ),
        (
            &[r#"type("X", (bool,), {})"#][..],
            "TypeError: type 'bool' is not an acceptable base type",
        ),
        (
            &[r#"type("X", (), {"__qualname__": 1})"#][..],
            "TypeError: type __qualname__ must be a str, not int",
        ),
        (
            &[r#"type("X", ())"#][..],
            "TypeError: type() takes 1 or 3 arguments",
        ),
        (
            &[r#"type("X", (1,), {})"#][..],
            "TypeError: metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ),
        (&["int.__dict__['zz']"][..], "KeyError: 'zz'"),
        (
            &[r#"type("T", (), {"__slots__": 1})"#][..],
            "TypeError: 'int' object is not iterable",
        ),
        (
            &[r#"type("T", (), {"__slots__": ("a", 1)})"#][..],
            "TypeError: __slots__ items must be strings, not 'int'",
        ),
        (
            &[r#"type("T", (), {"__slots__": ("1a",)})"#][..],
            "TypeError: __slots__ must be identifiers",
        ),
        (
            &[r#"type("T", (), {"__slots__": ("__dict__", "__dict__")})"#][..],
            "TypeError: __dict__ slot disallowed: we already got one",
        ),
        (
            &[r#"type("T", (), {"__slots__": ("a",), "a": 1})"#][..],
            "ValueError: 'a' in __slots__ conflicts with class variable",
        ),
        (
            &[r#"S = type("S", (), {"__slots__": ("a",)})"#, "S().a"][..],
            "AttributeError: 'S' object has no attribute 'a'",
        ),
        (
            &[x, "X().__class__ = 1"][..],
            "TypeError: __class__ must be set to a class, not 'int' object",
        ),
        (
            &[x, "X().__class__ = int"][..],
            "TypeError: __class__ assignment only supported for mutable types or ModuleType subclasses",
        ),
        (
            &["(1).__class__ = bool"][..],
            "TypeError: __class__ assignment only supported for mutable types or ModuleType subclasses",
        ),
        (
            &[x, r#"Z = type("Z", (int,), {})"#, "X().__class__ = Z"][..],
            "TypeError: __class__ assignment: 'Z' object layout differs from 'X'",
        ),
    ] {
        check("mp_ft", exprs, "", 1, Some(err));
    }
}

/// The number and mapping slots are reachable as `__dunder__` methods (slot wrappers), the
/// reflected ones with the operands swapped, with CPython 3.11's answers and argument errors.
#[test]
fn number_and_mapping_slot_wrappers() {
    check(
        "mp_ft",
        &[
            "(7).__divmod__(2)",
            "(7).__rdivmod__(30)",
            "(2).__rsub__(10)",
            "(2).__pow__(10)",
            "(2).__pow__(10, 1000)",
            "(3).__rpow__(2)",
            "(5).__rtruediv__(1)",
            "(7).__floordiv__(2)",
            "(7.5).__mod__(2)",
            "(6).__and__(3)",
            "(6).__ror__(1)",
            "(6).__rxor__(3)",
            "(1).__lshift__(10)",
            "(-5).__abs__()",
            "(5).__invert__()",
            "(2).__radd__(1.5)",
            "d = {1: 2}",
            "d.__setitem__(3, 4)",
            "d.__delitem__(1)",
            "d",
        ],
        "(3, 1)\n(4, 2)\n8\n1024\n24\n8\n0.2\n3\n1.5\n2\n7\n5\n1024\n5\n-6\nNotImplemented\nNone\nNone\n{3: 4}\n",
        0,
        None,
    );
    for (expr, err) in [
        (
            "(2).__pow__()",
            "TypeError:  expected at least 1 argument, got 0",
        ),
        (
            "(2).__rpow__(1, 2, 3)",
            "TypeError:  expected at most 2 arguments, got 3",
        ),
        (
            "{}.__setitem__(1)",
            "TypeError:  expected 2 arguments, got 1",
        ),
        ("{}.__delitem__()", "TypeError: expected 1 argument, got 0"),
        ("(2).__rsub__()", "TypeError: expected 1 argument, got 0"),
        ("{}.__delitem__(1)", "KeyError: 1"),
    ] {
        check("mp_ft", &[expr], "", 1, Some(err));
    }
}

/// `str`'s Python-level methods answer as CPython 3.11 does, errors included.
#[test]
fn str_methods() {
    check(
        "mp_ft",
        &[
            "'AbΣ xΣ'.lower()",
            "'straße'.upper()",
            "'a,b,,c'.split(',')",
            "' a  b '.split()",
            "'a b c'.split(None, True)",
            "'-'.join(['a', 'b'])",
            "'abab'.replace('a', 'X', 1)",
            "'hello'.startswith(('x', 'hel'))",
            "'hello'.endswith('lo', 0, -1)",
            "'hello'.rfind('l')",
            "'hello'.find('l', -2)",
            "'é'.encode('latin-1')",
            "'é'.encode('ascii', 'replace')",
            "'  x \\n'.strip()",
            "'xxaxx'.lstrip('x')",
        ],
        "'abς xς'\n'STRASSE'\n['a', 'b', '', 'c']\n['a', 'b']\n['a', 'b c']\n'a-b'\n'Xbab'\nTrue\nFalse\n3\n3\nb'\\xe9'\nb'?'\n'x'\n'axx'\n",
        0,
        None,
    );
    for (expr, err) in [
        (
            "'-'.join([1])",
            "TypeError: sequence item 0: expected str instance, int found",
        ),
        (
            "'ab'.replace('a')",
            "TypeError: replace expected at least 2 arguments, got 1",
        ),
        (
            "'hello'.startswith((1,))",
            "TypeError: tuple for startswith must only contain str, not int",
        ),
        ("'hello'.index('z')", "ValueError: substring not found"),
        ("'x'.strip(1)", "TypeError: strip arg must be None or str"),
        (
            "'x'.lower(1)",
            "TypeError: str.lower() takes no arguments (1 given)",
        ),
        (
            "'abc'.split(',', 1, 2)",
            "TypeError: split() takes at most 2 arguments (3 given)",
        ),
        (
            "'abab'.replace('a', 'X', 'y')",
            "TypeError: 'str' object cannot be interpreted as an integer",
        ),
    ] {
        check("mp_ft", &[expr], "", 1, Some(err));
    }
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
