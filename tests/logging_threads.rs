//! `logging` shared by threads (`gilgate stress --gil off`: only the module's and the handlers'
//! own locks order them): records logged by four threads through one handler are each written
//! whole exactly once, loggers asked for by name from several threads are made once each and
//! linked into one hierarchy, and a level changed while other threads log leaves the
//! `isEnabledFor` cache agreeing with the effective level. Counts and relations only; nothing
//! here asserts a timing. Each run carries `--timeout` as its hang guard.

mod support;

fn stress(setup: &[&str], iterations: u32, expr: &str, then: &str) -> String {
    support::stress_off("logging", setup, iterations, expr, then)
}

/// A stream whose `write` appends the text one character at a time (`list.extend`), so two
/// writes that overlapped would interleave their characters.
const STREAM: &str = "S = type('S', (list,), {'write': list.extend, 'flush': list.__len__})";

#[test]
fn records_from_many_threads_are_each_written_whole_once() {
    assert_eq!(
        stress(
            &[
                STREAM,
                "s = S()",
                "h = StreamHandler(s)",
                "h.setFormatter(Formatter('<%(threadName)s|%(message)s>'))",
                "lg = getLogger('thr')",
                "lg.propagate = False",
                "lg.addHandler(h)",
            ],
            2000,
            "lg.warning('%d-%d', thread_index, iteration)",
            "(len(''.join(s).split('\\n')), len(set(''.join(s).split('\\n'))), \
             ''.join(s).count('<'), ''.join(s).count('>\\n'), ''.join(s).count('|'))"
        ),
        "(8001, 8001, 8000, 8000, 8000)"
    );
}

/// `StreamHandler.emit` writes, then flushes, holding the handler's lock: with a stream whose
/// `flush` appends a marker, every record is followed by its own marker (two emits that
/// overlapped would put two records or two markers side by side).
#[test]
fn each_emit_writes_and_flushes_under_the_handler_lock() {
    assert_eq!(
        stress(
            &[
                "S = type('S', (list,), {'write': list.append})",
                "s = S()",
                "s.flush = __import__('functools').partial(list.append, s, '.')",
                "h = StreamHandler(s)",
                "lg = getLogger('pairs')",
                "lg.propagate = False",
                "lg.addHandler(h)",
            ],
            2000,
            "lg.warning('%d-%d', thread_index, iteration)",
            "(len(s), s[1::2].count('.'), s[0::2].count('.'), len(set(s[0::2])))"
        ),
        "(16000, 8000, 0, 8000)"
    );
}

#[test]
fn loggers_asked_for_by_many_threads_are_made_once_and_linked() {
    assert_eq!(
        stress(
            &["seen = []"],
            2000,
            "seen.append(getLogger('m.{}'.format(iteration % 10)) if thread_index % 2 else \
             getLogger('m.{}.c.d'.format(iteration % 10)))",
            "(len(set(map(id, seen))), \
             list(map(__import__('operator').attrgetter('parent.name'), \
             map(getLogger, map('m.{}.c.d'.format, range(10))))) == \
             list(map('m.{}'.format, range(10))), \
             type(Logger.manager.loggerDict['m.3.c']).__name__, \
             len(getLogger('m').getChildren()))"
        ),
        "(20, True, 'PlaceHolder', 10)"
    );
}

#[test]
fn a_level_changed_while_threads_log_keeps_the_cache_consistent() {
    assert_eq!(
        stress(
            &[
                "out = []",
                "h = type('H', (Handler,), {'emit': staticmethod(out.append)})()",
                "lg = getLogger('lv')",
                "lg.propagate = False",
                "lg.addHandler(h)",
            ],
            2000,
            "lg.setLevel(10 if iteration % 2 else 30) if thread_index == 0 else \
             lg.info('x')",
            "(lg.level, lg.isEnabledFor(20), sorted(lg._cache.items()), \
             len(out) <= 6000, set(map(__import__('operator').attrgetter('levelname'), out)))"
        ),
        "(10, True, [(20, True)], True, {'INFO'})"
    );
}
