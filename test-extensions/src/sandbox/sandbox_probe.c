/* Hostile inits for the inspection sandbox (issue 11). One source, built once per attempt
 * with -DGG_NAME=<module> and -DGG_ATTEMPT=<n>; each module declares Py_MOD_GIL_NOT_USED and
 * its init first tries one thing an untrusted wheel must not do while it is inspected:
 *
 *   1 sbx_write   create gilgate_was_here.txt beside its own folder (outside the worker's
 *                 private temporary folder), after writing one into $HOME
 *   2 sbx_socket  open a TCP socket and connect to 127.0.0.1:<port>, the port read from the
 *                 file `sbx_port` beside the module (the test listens there)
 *   3 sbx_exec    execve /bin/sh, which would create exec_ran beside its folder
 *   4 sbx_fork    fork 64 children in a loop
 *   5 sbx_alloc   allocate 256 MiB blocks until 64 GiB (untouched, so no memory is used)
 *   6 sbx_home    read secret.txt from $HOME and from ../home/ beside its folder
 *   7 sbx_thread  (allowed) start a thread and join it: the init succeeds
 *
 * When the attempt fails the init raises OSError (MemoryError for the allocation) naming the
 * attempt and strerror(errno); when it succeeds (no sandbox) the init raises RuntimeError
 * saying what it did, so a report always shows which happened. Paths in messages are
 * relative to the module's folder, so reports stay stable. */
#include <Python.h> /* first: it defines _GNU_SOURCE (dladdr), as CPython's pyconfig.h does */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define GG_STR2(x) #x
#define GG_STR(x) GG_STR2(x)
#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)
#define NAME GG_STR(GG_NAME)

/* The folder holding this module file (no trailing slash). */
static void own_dir(char *out, size_t size)
{
    Dl_info info;
    out[0] = '\0';
    if (dladdr((void *)own_dir, &info) && info.dli_fname != NULL) {
        snprintf(out, size, "%s", info.dli_fname);
        char *slash = strrchr(out, '/');
        if (slash != NULL) {
            *slash = '\0';
        } else {
            snprintf(out, size, ".");
        }
    }
}

__attribute__((unused)) static int fail(const char *what)
{
    PyErr_Format(PyExc_OSError, "%s: %s: %s", NAME, what, strerror(errno));
    return -1;
}

__attribute__((unused)) static int did(const char *what)
{
    PyErr_Format(PyExc_RuntimeError, "%s: %s", NAME, what);
    return -1;
}

static int thread_ran;

__attribute__((unused)) static void *thread_body(void *arg)
{
    (void)arg;
    thread_ran = 1;
    return &thread_ran;
}

static int attempt(void)
{
    char dir[4096], path[4300];
    own_dir(dir, sizeof dir);
    (void)path;
#if GG_ATTEMPT == 1
    const char *home = getenv("HOME");
    if (home != NULL) {
        snprintf(path, sizeof path, "%s/gilgate_was_here.txt", home);
        FILE *h = fopen(path, "w");
        if (h != NULL) {
            fputs("written during inspection\n", h);
            fclose(h);
        }
    }
    snprintf(path, sizeof path, "%s/../gilgate_was_here.txt", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return fail("cannot write ../gilgate_was_here.txt");
    }
    fputs("written during inspection\n", f);
    fclose(f);
    return did("wrote ../gilgate_was_here.txt");
#elif GG_ATTEMPT == 2
    int port = 9;
    snprintf(path, sizeof path, "%s/sbx_port", dir);
    FILE *pf = fopen(path, "r");
    if (pf != NULL) {
        if (fscanf(pf, "%d", &port) != 1) {
            port = 9;
        }
        fclose(pf);
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        return fail("socket(AF_INET, SOCK_STREAM)");
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(s);
        errno = e;
        return fail("connect to 127.0.0.1");
    }
    close(s);
    return did("connected to 127.0.0.1");
#elif GG_ATTEMPT == 3
    snprintf(path, sizeof path, "echo ran > '%s/../exec_ran'", dir);
    char *argv[] = {"sh", "-c", path, NULL};
    char *envp[] = {NULL};
    execve("/bin/sh", argv, envp);
    return fail("execve /bin/sh");
#elif GG_ATTEMPT == 4
    for (int i = 0; i < 64; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            _exit(0);
        }
        if (pid < 0) {
            return fail("fork");
        }
        waitpid(pid, NULL, 0);
    }
    return did("forked 64 children");
#elif GG_ATTEMPT == 5
    enum { BLOCK = 256 << 20, BLOCKS = 256 };
    static void *blocks[BLOCKS];
    int n = 0;
    while (n < BLOCKS) {
        void *p = malloc(BLOCK);
        if (p == NULL) {
            break;
        }
        blocks[n++] = p;
    }
    for (int i = 0; i < n; i++) {
        free(blocks[i]);
    }
    if (n < BLOCKS) {
        PyErr_Format(PyExc_MemoryError, "%s: allocation failed after %d MiB", NAME,
                     n * (BLOCK >> 20));
        return -1;
    }
    return did("allocated 64 GiB");
#elif GG_ATTEMPT == 6
    char secret[256];
    const char *home = getenv("HOME");
    snprintf(path, sizeof path, "%s/secret.txt", home != NULL ? home : "/nonexistent");
    int fd = open(path, O_RDONLY);
    const char *which = "$HOME/secret.txt";
    if (fd < 0) {
        snprintf(path, sizeof path, "%s/../home/secret.txt", dir);
        fd = open(path, O_RDONLY);
        which = "../home/secret.txt";
    }
    if (fd < 0) {
        return fail("cannot read $HOME/secret.txt nor ../home/secret.txt");
    }
    ssize_t got = read(fd, secret, sizeof secret - 1);
    close(fd);
    secret[got > 0 ? got : 0] = '\0';
    PyErr_Format(PyExc_RuntimeError, "%s: read %s: %s", NAME, which, secret);
    return -1;
#elif GG_ATTEMPT == 7
    pthread_t t;
    int rc = pthread_create(&t, NULL, thread_body, NULL);
    if (rc != 0) {
        errno = rc;
        return fail("pthread_create");
    }
    void *result = NULL;
    pthread_join(t, &result);
    if (result != (void *)&thread_ran) {
        return did("the thread did not run");
    }
    return 0;
#else
#error "GG_ATTEMPT must be 1 to 7"
#endif
}

static PyModuleDef_Slot probe_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef probe_def = {
    PyModuleDef_HEAD_INIT, NAME, "an init the inspection sandbox must contain", 0, NULL,
    probe_slots, NULL, NULL, NULL,
};

PyMODINIT_FUNC GG_CAT(PyInit_, GG_NAME)(void)
{
    if (attempt() < 0) {
        return NULL;
    }
    return PyModuleDef_Init(&probe_def);
}
