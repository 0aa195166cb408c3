/* benchmod: the C API benchmark extension (issue 3). Each function runs one workload n times
 * inside C and returns a checksum that depends only on n, so the same source built against
 * gilgate's include/ and against a real CPython gives comparable timings and equal results.
 *
 *   objects(n)      create and destroy n instances of a small static type (through a type
 *                   call) and n 2-tuples holding it
 *   int_arith(n)    n rounds of int multiply, add, remainder, floor division
 *   float_arith(n)  n rounds of float multiply, add, true division (returns the running sum)
 *   list_ops(n)     append n ints to a list, then index it n times
 *   dict_ops(n)     n dict stores under 1024 int keys, then n lookups
 *   str_build(n)    n formatted pieces, joined 64 at a time, concatenated and encoded
 *   parse_args(n)   n calls of a METH_VARARGS function through PyObject_Call; the callee
 *                   unpacks its tuple with PyArg_ParseTuple
 *   getattr(n)      n PyObject_GetAttr of a member of an instance and n of a module attribute
 *   getitem(n)      n PyObject_GetItem on a dict (int key) and n on a list (int index)
 *   unicode_utf8(n) n PyUnicode_FromStringAndSize of a short ASCII or non-ASCII text, read back
 *                   with PyUnicode_AsUTF8AndSize
 *   long_as(n)      n PyLong_AsLong of ints held in an array (small, one and two digits, negative)
 *   exceptions(n)   n PyErr_SetString(ValueError), PyErr_ExceptionMatches, PyErr_Clear
 *   build_value(n)  n Py_BuildValue("(isd)") tuples, freed
 *   call_fastcall(n) n PyObject_CallOneArg of a METH_FASTCALL C function (returns its argument)
 *   parse_kwargs(n) n calls of a METH_VARARGS | METH_KEYWORDS function through PyObject_Call with a
 *                   keyword dict; the callee uses PyArg_ParseTupleAndKeywords
 *
 * and, for the threads benchmark (scripts/bench-threads.sh), costs that are not workloads:
 *
 *   detach_pairs(n)   n Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS pairs (detach, attach)
 *   section_pairs(n)  n uncontended one-object critical sections on a list (where the headers
 *                     have them; elsewhere n plain loop turns)
 *   handoff_reset()   gives the first turn to caller 0
 *   handoff(n, me)    two threads call this at once with me = 0 and 1; n times each waits
 *                     (detached) for its turn, attaches and passes the turn on, so every turn is
 *                     one hand-off of whatever lock attaching takes
 *
 * Multi-phase init; the module declares it runs without the GIL (where the headers know the
 * slot). It builds unmodified against CPython 3.11's headers too. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    long payload;
} BenchObj;

static PyMemberDef BenchObj_members[] = {
    {"payload", T_LONG, offsetof(BenchObj, payload), READONLY, "the workload's number"},
    {NULL, 0, 0, 0, NULL},
};

static void
BenchObj_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

static PyTypeObject BenchObjType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "benchmod.BenchObj",
    .tp_basicsize = sizeof(BenchObj),
    .tp_itemsize = 0,
    .tp_dealloc = BenchObj_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A tiny object for the create/destroy workload.",
    .tp_members = BenchObj_members,
    .tp_new = PyType_GenericNew,
};

/* Reads the single non-negative count argument. */
static int
read_count(PyObject *arg, Py_ssize_t *n)
{
    *n = PyLong_AsSsize_t(arg);
    if (*n == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (*n < 0) {
        PyErr_SetString(PyExc_ValueError, "n must be >= 0");
        return -1;
    }
    return 0;
}

static PyObject *
bench_objects(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyObject_CallNoArgs((PyObject *)&BenchObjType);
        if (o == NULL) {
            return NULL;
        }
        ((BenchObj *)o)->payload = (long)(i % 1000);
        PyObject *t = PyTuple_New(2);
        if (t == NULL) {
            Py_DECREF(o);
            return NULL;
        }
        PyTuple_SET_ITEM(t, 0, Py_NewRef(o));
        PyTuple_SET_ITEM(t, 1, o);
        sum += ((BenchObj *)PyTuple_GET_ITEM(t, 1))->payload + PyTuple_GET_SIZE(t);
        Py_DECREF(t);
    }
    return PyLong_FromLongLong(sum);
}

static PyObject *
bench_int_arith(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *modulus = PyLong_FromLong(1000003);
    PyObject *three = PyLong_FromLong(3);
    PyObject *acc = PyLong_FromLong(0);
    if (modulus == NULL || three == NULL || acc == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *a = PyLong_FromSsize_t(i);
        if (a == NULL) {
            goto fail;
        }
        PyObject *sq = PyNumber_Multiply(a, a);
        Py_DECREF(a);
        if (sq == NULL) {
            goto fail;
        }
        PyObject *third = PyNumber_FloorDivide(sq, three);
        if (third == NULL) {
            Py_DECREF(sq);
            goto fail;
        }
        PyObject *s = PyNumber_Add(acc, sq);
        Py_DECREF(sq);
        if (s == NULL) {
            Py_DECREF(third);
            goto fail;
        }
        PyObject *s2 = PyNumber_Subtract(s, third);
        Py_DECREF(s);
        Py_DECREF(third);
        if (s2 == NULL) {
            goto fail;
        }
        PyObject *r = PyNumber_Remainder(s2, modulus);
        Py_DECREF(s2);
        if (r == NULL) {
            goto fail;
        }
        Py_SETREF(acc, r);
    }
    Py_DECREF(modulus);
    Py_DECREF(three);
    return acc;
fail:
    Py_XDECREF(modulus);
    Py_XDECREF(three);
    Py_XDECREF(acc);
    return NULL;
}

static PyObject *
bench_float_arith(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *half = PyFloat_FromDouble(0.5);
    PyObject *acc = PyFloat_FromDouble(1.0);
    double total = 0.0;
    if (half == NULL || acc == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyFloat_FromDouble((double)(i % 100) + 0.25);
        if (x == NULL) {
            goto fail;
        }
        PyObject *m = PyNumber_Multiply(acc, half);
        if (m == NULL) {
            Py_DECREF(x);
            goto fail;
        }
        PyObject *q = PyNumber_TrueDivide(x, half);
        Py_DECREF(x);
        if (q == NULL) {
            Py_DECREF(m);
            goto fail;
        }
        PyObject *s = PyNumber_Add(m, q);
        Py_DECREF(m);
        Py_DECREF(q);
        if (s == NULL) {
            goto fail;
        }
        Py_SETREF(acc, s);
        double a = PyFloat_AsDouble(acc);
        if (a == -1.0 && PyErr_Occurred()) {
            goto fail;
        }
        total += a;
    }
    Py_DECREF(half);
    Py_DECREF(acc);
    return PyFloat_FromDouble(total);
fail:
    Py_XDECREF(half);
    Py_XDECREF(acc);
    return NULL;
}

static PyObject *
bench_list_ops(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(i * 3);
        if (v == NULL || PyList_Append(list, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(v);
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyList_GetItem(list, (i * 7) % n);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        long long x = PyLong_AsLongLong(v);
        if (x == -1 && PyErr_Occurred()) {
            Py_DECREF(list);
            return NULL;
        }
        sum += x;
    }
    sum += PyList_GET_SIZE(list);
    Py_DECREF(list);
    return PyLong_FromLongLong(sum);
}

static PyObject *
bench_dict_ops(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *k = PyLong_FromSsize_t((i * 31) % 1024);
        PyObject *v = PyLong_FromSsize_t(i);
        int rc = (k == NULL || v == NULL) ? -1 : PyDict_SetItem(d, k, v);
        Py_XDECREF(k);
        Py_XDECREF(v);
        if (rc < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *k = PyLong_FromSsize_t(i % 1024);
        if (k == NULL) {
            Py_DECREF(d);
            return NULL;
        }
        PyObject *v = PyDict_GetItemWithError(d, k); /* borrowed */
        Py_DECREF(k);
        if (v == NULL) {
            if (!PyErr_Occurred()) {
                sum -= 1; /* a missing key (only when n < 1024) */
                continue;
            }
            Py_DECREF(d);
            return NULL;
        }
        sum += PyLong_AsLongLong(v);
    }
    sum += PyDict_Size(d);
    Py_DECREF(d);
    return PyLong_FromLongLong(sum);
}

static PyObject *
bench_str_build(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *parts = PyList_New(0);
    PyObject *tail = PyUnicode_FromString("");
    long long total = 0;
    if (sep == NULL || parts == NULL || tail == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *piece = PyUnicode_FromFormat("item-%d:%s", (int)(i % 1000),
                                               (i & 1) ? "odd" : "even");
        if (piece == NULL || PyList_Append(parts, piece) < 0) {
            Py_XDECREF(piece);
            goto fail;
        }
        Py_DECREF(piece);
        if (PyList_GET_SIZE(parts) == 64 || i == n - 1) {
            PyObject *joined = PyUnicode_Join(sep, parts);
            if (joined == NULL) {
                goto fail;
            }
            PyObject *both = PyUnicode_Concat(tail, joined);
            Py_DECREF(joined);
            if (both == NULL) {
                goto fail;
            }
            Py_ssize_t size;
            const char *utf8 = PyUnicode_AsUTF8AndSize(both, &size);
            if (utf8 == NULL) {
                Py_DECREF(both);
                goto fail;
            }
            total += size + (unsigned char)utf8[size / 2];
            /* keep the last 16 characters as the next round's prefix */
            Py_ssize_t len = PyUnicode_GET_LENGTH(both);
            PyObject *next = PyUnicode_Substring(both, len > 16 ? len - 16 : 0, len);
            Py_DECREF(both);
            if (next == NULL) {
                goto fail;
            }
            Py_SETREF(tail, next);
            Py_SETREF(parts, PyList_New(0));
            if (parts == NULL) {
                goto fail;
            }
        }
    }
    Py_DECREF(sep);
    Py_DECREF(parts);
    Py_DECREF(tail);
    return PyLong_FromLongLong(total);
fail:
    Py_XDECREF(sep);
    Py_XDECREF(parts);
    Py_XDECREF(tail);
    return NULL;
}

/* The callee of parse_args: target(i, d, s[, flag]) -> i + int(d) + len(s) + flag */
static PyObject *
bench_target(PyObject *Py_UNUSED(module), PyObject *args)
{
    int i;
    double d;
    const char *s;
    int flag = 0;
    if (!PyArg_ParseTuple(args, "ids|p:target", &i, &d, &s, &flag)) {
        return NULL;
    }
    return PyLong_FromLongLong((long long)i + (long long)d + (long long)strlen(s) + flag);
}

static PyObject *
bench_parse_args(PyObject *module, PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *target = PyObject_GetAttrString(module, "target");
    PyObject *d = PyFloat_FromDouble(2.5);
    PyObject *s = PyUnicode_FromString("benchmark");
    long long sum = 0;
    if (target == NULL || d == NULL || s == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *iv = PyLong_FromSsize_t(i % 10000);
        if (iv == NULL) {
            goto fail;
        }
        PyObject *args = (i & 1) ? PyTuple_Pack(4, iv, d, s, Py_True)
                                 : PyTuple_Pack(3, iv, d, s);
        Py_DECREF(iv);
        if (args == NULL) {
            goto fail;
        }
        PyObject *r = PyObject_Call(target, args, NULL);
        Py_DECREF(args);
        if (r == NULL) {
            goto fail;
        }
        sum += PyLong_AsLongLong(r);
        Py_DECREF(r);
    }
    Py_DECREF(target);
    Py_DECREF(d);
    Py_DECREF(s);
    return PyLong_FromLongLong(sum);
fail:
    Py_XDECREF(target);
    Py_XDECREF(d);
    Py_XDECREF(s);
    return NULL;
}

static PyObject *
bench_getattr(PyObject *module, PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *obj = PyObject_CallNoArgs((PyObject *)&BenchObjType);
    PyObject *payload = PyUnicode_InternFromString("payload");
    PyObject *typename = PyUnicode_InternFromString("BenchObj");
    long long sum = 0;
    if (obj == NULL || payload == NULL || typename == NULL) {
        goto fail;
    }
    ((BenchObj *)obj)->payload = 7;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttr(obj, payload);
        if (v == NULL) {
            goto fail;
        }
        sum += PyLong_AsLong(v);
        Py_DECREF(v);
        PyObject *t = PyObject_GetAttr(module, typename);
        if (t == NULL) {
            goto fail;
        }
        sum += (t == (PyObject *)&BenchObjType);
        Py_DECREF(t);
    }
    Py_DECREF(obj);
    Py_DECREF(payload);
    Py_DECREF(typename);
    return PyLong_FromLongLong(sum);
fail:
    Py_XDECREF(obj);
    Py_XDECREF(payload);
    Py_XDECREF(typename);
    return NULL;
}

static PyObject *
bench_getitem(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *d = PyDict_New();
    PyObject *list = PyList_New(0);
    PyObject *keys[64] = {NULL};
    long long sum = 0;
    if (d == NULL || list == NULL) {
        goto fail;
    }
    for (int k = 0; k < 64; k++) {
        keys[k] = PyLong_FromLong(k);
        if (keys[k] == NULL || PyDict_SetItem(d, keys[k], keys[k]) < 0
            || PyList_Append(list, keys[k]) < 0) {
            goto fail;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *k = keys[(i * 7) & 63];
        PyObject *v = PyObject_GetItem(d, k);
        if (v == NULL) {
            goto fail;
        }
        PyObject *w = PyObject_GetItem(list, v);
        Py_DECREF(v);
        if (w == NULL) {
            goto fail;
        }
        sum += (w == k);
        Py_DECREF(w);
    }
    for (int k = 0; k < 64; k++) {
        Py_DECREF(keys[k]);
    }
    Py_DECREF(d);
    Py_DECREF(list);
    return PyLong_FromLongLong(sum);
fail:
    for (int k = 0; k < 64; k++) {
        Py_XDECREF(keys[k]);
    }
    Py_XDECREF(d);
    Py_XDECREF(list);
    return NULL;
}

static PyObject *
bench_unicode_utf8(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    static const char ascii[] = "key_0123456789";
    static const char latin[] = "caf\xc3\xa9-cr\xc3\xa8me";
    long long total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const char *src = (i & 3) ? ascii : latin;
        Py_ssize_t len = (i & 3) ? (Py_ssize_t)(sizeof ascii - 1) - (i & 3)
                                 : (Py_ssize_t)(sizeof latin - 1);
        PyObject *u = PyUnicode_FromStringAndSize(src, len);
        if (u == NULL) {
            return NULL;
        }
        Py_ssize_t size;
        const char *utf8 = PyUnicode_AsUTF8AndSize(u, &size);
        if (utf8 == NULL) {
            Py_DECREF(u);
            return NULL;
        }
        total += size + (unsigned char)utf8[size - 1] + PyUnicode_GET_LENGTH(u);
        Py_DECREF(u);
    }
    return PyLong_FromLongLong(total);
}

static PyObject *
bench_long_as(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *ints[64] = {NULL};
    long long sum = 0;
    for (int k = 0; k < 64; k++) {
        /* small ints, one 30-bit digit, two digits, negatives */
        long v = (k % 4 == 0)   ? k
                 : (k % 4 == 1) ? 1000003L * k
                 : (k % 4 == 2) ? 3000000000L + k
                                : -17L * k;
        ints[k] = PyLong_FromLong(v);
        if (ints[k] == NULL) {
            goto fail;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        long v = PyLong_AsLong(ints[i & 63]);
        if (v == -1 && PyErr_Occurred()) {
            goto fail;
        }
        sum += v;
    }
    for (int k = 0; k < 64; k++) {
        Py_DECREF(ints[k]);
    }
    return PyLong_FromLongLong(sum);
fail:
    for (int k = 0; k < 64; k++) {
        Py_XDECREF(ints[k]);
    }
    return NULL;
}

static PyObject *
bench_exceptions(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    long long caught = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyErr_SetString(PyExc_ValueError, "bad value");
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            caught++;
        }
        PyErr_Clear();
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLongLong(caught);
}

static PyObject *
bench_build_value(PyObject *Py_UNUSED(module), PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = Py_BuildValue("(isd)", (int)(i % 1000), (i & 1) ? "odd" : "even", 0.5);
        if (t == NULL) {
            return NULL;
        }
        sum += PyTuple_GET_SIZE(t) + PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(t, 1));
        Py_DECREF(t);
    }
    return PyLong_FromLongLong(sum);
}

/* The callee of call_fastcall: fast_target(x) -> x */
static PyObject *
bench_fast_target(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1) {
        PyErr_SetString(PyExc_TypeError, "fast_target() takes exactly one argument");
        return NULL;
    }
    return Py_NewRef(args[0]);
}

static PyObject *
bench_call_fastcall(PyObject *module, PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *target = PyObject_GetAttrString(module, "fast_target");
    if (target == NULL) {
        return NULL;
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyObject_CallOneArg(target, arg);
        if (r == NULL) {
            Py_DECREF(target);
            return NULL;
        }
        sum += (r == arg);
        Py_DECREF(r);
    }
    Py_DECREF(target);
    return PyLong_FromLongLong(sum);
}

/* The callee of parse_kwargs: kw_target(a, b=0, *, scale=1.0, name=None) */
static PyObject *
bench_kw_target(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", "scale", "name", NULL};
    long a;
    long b = 0;
    double scale = 1.0;
    const char *name = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "l|l$dz:kw_target", kwlist, &a, &b, &scale,
                                     &name)) {
        return NULL;
    }
    return PyLong_FromLongLong((long long)((a + b) * scale) + (name ? (long long)strlen(name) : 0));
}

static PyObject *
bench_parse_kwargs(PyObject *module, PyObject *arg)
{
    Py_ssize_t n;
    if (read_count(arg, &n) < 0) {
        return NULL;
    }
    PyObject *target = PyObject_GetAttrString(module, "kw_target");
    PyObject *kwargs = Py_BuildValue("{s:d,s:s}", "scale", 2.0, "name", "bench");
    PyObject *b = PyLong_FromLong(5);
    long long sum = 0;
    if (target == NULL || kwargs == NULL || b == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *iv = PyLong_FromSsize_t(i % 10000);
        if (iv == NULL) {
            goto fail;
        }
        PyObject *args = (i & 1) ? PyTuple_Pack(2, iv, b) : PyTuple_Pack(1, iv);
        Py_DECREF(iv);
        if (args == NULL) {
            goto fail;
        }
        PyObject *r = PyObject_Call(target, args, kwargs);
        Py_DECREF(args);
        if (r == NULL) {
            goto fail;
        }
        sum += PyLong_AsLongLong(r);
        Py_DECREF(r);
    }
    Py_DECREF(target);
    Py_DECREF(kwargs);
    Py_DECREF(b);
    return PyLong_FromLongLong(sum);
fail:
    Py_XDECREF(target);
    Py_XDECREF(kwargs);
    Py_XDECREF(b);
    return NULL;
}

static PyObject *
bench_detach_pairs(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long long n = PyLong_AsLongLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    for (long long i = 0; i < n; i++) {
        Py_BEGIN_ALLOW_THREADS
        Py_END_ALLOW_THREADS
    }
    return PyLong_FromLongLong(n);
}

static PyObject *
bench_section_pairs(PyObject *Py_UNUSED(module), PyObject *arg)
{
    long long n = PyLong_AsLongLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *target = PyList_New(0);
    if (target == NULL) {
        return NULL;
    }
    long long done = 0;
    for (long long i = 0; i < n; i++) {
#ifdef Py_BEGIN_CRITICAL_SECTION
        Py_BEGIN_CRITICAL_SECTION(target);
        done++;
        Py_END_CRITICAL_SECTION();
#else
        done++;
#endif
    }
    Py_DECREF(target);
    return PyLong_FromLongLong(done);
}

/* Whose turn it is in handoff(): 0 or 1. */
static int handoff_turn;

static PyObject *
bench_handoff_reset(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(unused))
{
    __atomic_store_n(&handoff_turn, 0, __ATOMIC_SEQ_CST);
    Py_RETURN_NONE;
}

static PyObject *
bench_handoff(PyObject *Py_UNUSED(module), PyObject *args)
{
    long long n;
    int me;
    if (!PyArg_ParseTuple(args, "Li:handoff", &n, &me)) {
        return NULL;
    }
    if (me != 0 && me != 1) {
        PyErr_SetString(PyExc_ValueError, "handoff: me must be 0 or 1");
        return NULL;
    }
    for (long long i = 0; i < n; i++) {
        Py_BEGIN_ALLOW_THREADS
        while (__atomic_load_n(&handoff_turn, __ATOMIC_ACQUIRE) != me) {
        }
        Py_END_ALLOW_THREADS
        __atomic_store_n(&handoff_turn, 1 - me, __ATOMIC_RELEASE);
    }
    return PyLong_FromLongLong(n);
}

static PyMethodDef bench_methods[] = {
    {"objects", bench_objects, METH_O, "objects(n): create and destroy n objects"},
    {"int_arith", bench_int_arith, METH_O, "int_arith(n): n rounds of int arithmetic"},
    {"float_arith", bench_float_arith, METH_O, "float_arith(n): n rounds of float arithmetic"},
    {"list_ops", bench_list_ops, METH_O, "list_ops(n): n appends then n indexings"},
    {"dict_ops", bench_dict_ops, METH_O, "dict_ops(n): n stores then n lookups"},
    {"str_build", bench_str_build, METH_O, "str_build(n): build and join n pieces"},
    {"parse_args", bench_parse_args, METH_O, "parse_args(n): n PyArg_ParseTuple calls"},
    {"target", bench_target, METH_VARARGS, "target(i, d, s[, flag]): the parse_args callee"},
    {"getattr", bench_getattr, METH_O, "getattr(n): n instance and n module attribute lookups"},
    {"getitem", bench_getitem, METH_O, "getitem(n): n dict and n list PyObject_GetItem"},
    {"unicode_utf8", bench_unicode_utf8, METH_O, "unicode_utf8(n): n str from and to UTF-8"},
    {"long_as", bench_long_as, METH_O, "long_as(n): n PyLong_AsLong"},
    {"exceptions", bench_exceptions, METH_O, "exceptions(n): n exceptions set and cleared"},
    {"build_value", bench_build_value, METH_O, "build_value(n): n Py_BuildValue tuples"},
    {"call_fastcall", bench_call_fastcall, METH_O, "call_fastcall(n): n METH_FASTCALL calls"},
    {"fast_target", _PyCFunction_CAST(bench_fast_target), METH_FASTCALL,
     "fast_target(x): the call_fastcall callee"},
    {"parse_kwargs", bench_parse_kwargs, METH_O,
     "parse_kwargs(n): n PyArg_ParseTupleAndKeywords calls"},
    {"kw_target", _PyCFunction_CAST(bench_kw_target), METH_VARARGS | METH_KEYWORDS,
     "kw_target(a, b=0, *, scale=1.0, name=None): the parse_kwargs callee"},
    {"detach_pairs", bench_detach_pairs, METH_O, "detach_pairs(n): n detach/attach pairs"},
    {"section_pairs", bench_section_pairs, METH_O, "section_pairs(n): n critical sections"},
    {"handoff_reset", bench_handoff_reset, METH_NOARGS, "handoff_reset(): turn to caller 0"},
    {"handoff", bench_handoff, METH_VARARGS, "handoff(n, me): n turns of a two-thread relay"},
    {NULL, NULL, 0, NULL},
};

static int
bench_exec(PyObject *module)
{
    if (PyType_Ready(&BenchObjType) < 0) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "BenchObj", (PyObject *)&BenchObjType);
}

static PyModuleDef_Slot bench_slots[] = {
    {Py_mod_exec, bench_exec},
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef bench_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "benchmod",
    .m_doc = "C API benchmark workloads",
    .m_size = 0,
    .m_methods = bench_methods,
    .m_slots = bench_slots,
};

PyMODINIT_FUNC
PyInit_benchmod(void)
{
    return PyModuleDef_Init(&bench_module);
}
