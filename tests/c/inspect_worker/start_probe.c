/* start_probe: two modules in one file (start_probe_a, start_probe_b; the test copies the file
 * under both names) whose init writes, on stderr, what its worker process started with: the
 * open descriptors, the blocked signals, the ignored and the caught ones, the environment's names, whether the test's secret
 * value is anywhere on its stack above the init's frame, how many CPUs it may run on, and
 * whether the working folder is $HOME, and the version it presents (Py_Version). The test
 * compares the lines of workers started by fork and by exec. */
#include <Python.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int
by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
report(const char *name)
{
    char line[8192];
    size_t n = 0;
    n += (size_t)snprintf(line + n, sizeof line - n, "start_probe %s: fds", name);
    for (int fd = 0; fd < 1024; fd++) {
        if (fcntl(fd, F_GETFD) != -1) {
            n += (size_t)snprintf(line + n, sizeof line - n, " %d", fd);
        }
    }
    sigset_t mask;
    sigemptyset(&mask);
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    n += (size_t)snprintf(line + n, sizeof line - n, "; blocked");
    for (int sig = 1; sig < 65; sig++) {
        if (sigismember(&mask, sig) == 1) {
            n += (size_t)snprintf(line + n, sizeof line - n, " %d", sig);
        }
    }
    n += (size_t)snprintf(line + n, sizeof line - n, "; ignored");
    for (int sig = 1; sig < 32; sig++) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            n += (size_t)snprintf(line + n, sizeof line - n, " %d", sig);
        }
    }
    n += (size_t)snprintf(line + n, sizeof line - n, "; caught");
    for (int sig = 1; sig < 65; sig++) {
        struct sigaction old;
        if (sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN &&
            old.sa_handler != SIG_DFL) {
            n += (size_t)snprintf(line + n, sizeof line - n, " %d", sig);
        }
    }
    const char *names[512];
    size_t count = 0;
    for (char **e = environ; *e != NULL && count < 512; e++) {
        names[count++] = *e;
    }
    qsort(names, count, sizeof names[0], by_text);
    n += (size_t)snprintf(line + n, sizeof line - n, "; env");
    for (size_t i = 0; i < count && n < sizeof line - 200; i++) {
        size_t len = strcspn(names[i], "=");
        n += (size_t)snprintf(line + n, sizeof line - n, " %.*s", (int)len, names[i]);
    }
    /* The test's secret must not be anywhere between this frame and the top of the stack,
     * where the kernel put the environment block (AT_EXECFN's text is its last string): a
     * fork of the command inherits that block in its copy of the command's stack. */
    const char secret[] = "not for workers";
    const char *top = (const char *)getauxval(AT_EXECFN);
    const char *here = (const char *)&line[0];
    int secret_found = 0;
    if (top != NULL && here < top) {
        size_t span = (size_t)(top - here) + strlen(top);
        const char *hit = memmem(here, span, secret, sizeof secret - 1);
        /* The probe's own copy (in this frame) does not count. */
        while (hit != NULL && (uintptr_t)hit >= (uintptr_t)secret
               && (uintptr_t)hit < (uintptr_t)secret + sizeof secret) {
            size_t off = (size_t)(hit - here) + 1;
            hit = memmem(here + off, span - off, secret, sizeof secret - 1);
        }
        secret_found = hit != NULL;
    }
    cpu_set_t cpus;
    int ncpus = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1;
    n += (size_t)snprintf(line + n, sizeof line - n, "; cpus %d", ncpus);
    n += (size_t)snprintf(line + n, sizeof line - n, "; secret on the stack: %s",
                          secret_found ? "yes" : "no");
    char cwd[4096];
    const char *home = getenv("HOME");
    int at_home = getcwd(cwd, sizeof cwd) != NULL && home != NULL && strcmp(cwd, home) == 0;
    n += (size_t)snprintf(line + n, sizeof line - n, "; cwd is HOME: %s", at_home ? "yes" : "no");
    snprintf(line + n, sizeof line - n, "; Py_Version %08lx\n", Py_Version);
    fputs(line, stderr);
    fflush(stderr);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def_a = {
    PyModuleDef_HEAD_INIT,
    .m_name = "start_probe_a",
    .m_slots = slots,
};

static struct PyModuleDef def_b = {
    PyModuleDef_HEAD_INIT,
    .m_name = "start_probe_b",
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_start_probe_a(void)
{
    report("a");
    return PyModuleDef_Init(&def_a);
}

PyMODINIT_FUNC
PyInit_start_probe_b(void)
{
    report("b");
    return PyModuleDef_Init(&def_b);
}
