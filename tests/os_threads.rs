//! `os` shared by threads (`gilgate stress --gil off`): `environ` written and read from every
//! thread stays one consistent mapping and stays in step with the process environment
//! (`reload_environ()` reads it back), and the path, stat and directory functions answer right
//! while other threads call them. Counts and final states only; nothing here asserts a timing.
//! Each run carries `--timeout` as its hang guard.

mod support;

fn stress(setup: &[&str], iterations: u32, expr: &str, then: &str) -> String {
    support::stress_off("os", setup, iterations, expr, then)
}

#[test]
fn environ_written_by_every_thread_reads_back_and_reaches_the_process() {
    assert_eq!(
        stress(
            &["ok = []"],
            3000,
            "environ.__setitem__('GG_OS_T' + str(thread_index), str(iteration)) \
             or ok.append(environ['GG_OS_T' + str(thread_index)] == str(iteration) \
             and getenv('GG_OS_T' + str(thread_index)) == str(iteration))",
            "(ok.count(True), reload_environ(), \
             list(map(environ.pop, ['GG_OS_T0', 'GG_OS_T1', 'GG_OS_T2', 'GG_OS_T3'])))"
        ),
        "(12000, None, ['2999', '2999', '2999', '2999'])"
    );
}

#[test]
fn one_key_set_and_deleted_by_racing_threads_ends_in_step_with_the_process() {
    assert_eq!(
        stress(
            &[],
            3000,
            "environ.pop('GG_OS_S', None) if thread_index == 1 else \
             environ.__setitem__('GG_OS_S', str(thread_index))",
            "environ.get('GG_OS_S') == (reload_environ() or environ.get('GG_OS_S'))"
        ),
        "True"
    );
}

#[test]
fn path_functions_answer_right_on_every_thread() {
    assert_eq!(
        stress(
            &["ok = []"],
            5000,
            "ok.append(path.normpath(path.join('/a', str(iteration), '..', 'b')) == '/a/b' \
             and path.splitext('f' + str(thread_index) + '.txt') == ('f' + str(thread_index), '.txt') \
             and path.relpath('/x/y/' + str(iteration), '/x') == 'y/' + str(iteration) \
             and fsdecode(fsencode('é' + str(iteration))) == 'é' + str(iteration))",
            "ok.count(True)"
        ),
        "20000"
    );
}

#[test]
fn stat_listdir_and_scandir_share_a_directory() {
    assert_eq!(
        stress(
            &[
                "d = '/tmp/gilgate-os-threads-' + str(getpid())",
                "makedirs(d + '/sub', exist_ok=True)",
                "close(open(d + '/a', O_CREAT | O_WRONLY, 0o644))",
                "close(open(d + '/b', O_CREAT | O_WRONLY, 0o644))",
                "ok = []",
            ],
            2000,
            "ok.append(sorted(listdir(d)) == ['a', 'b', 'sub'] \
             and len(list(scandir(d))) == 3 \
             and path.isdir(d + '/sub') and stat(d + '/a').st_size == 0 \
             and list(walk(d))[1][0] == d + '/sub')",
            "(ok.count(True), unlink(d + '/a'), unlink(d + '/b'), removedirs(d + '/sub'), path.exists(d))"
        ),
        "(8000, None, None, None, False)"
    );
}
