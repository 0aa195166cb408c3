/* Fixture of capi/tests/sharing.rs: objects shared by threads (issue 9, item 5).
 *
 * `Value` objects poison themselves when deallocated and keep their memory (it is never
 * given back), so a thread that uses one after its last reference went reads the poison
 * instead of crashing at random: every reader checks `magic`. `created` and `freed` count
 * them; a double deallocation shows up as more frees than creations.
 *
 * `Holder` is a heap type with an instance dict (`__dictoffset__`), a weak reference list and
 * an object member `m` (Py_T_OBJECT_EX): the slots the sharing rules protect. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <string.h>

#define ALIVE 0x5a5a5a5aL
#define DEAD 0xdeadL

typedef struct {
    PyObject_HEAD
    long magic;
    long tag;
    PyObject *weakrefs;
    long seq; /* the writer's round, for the type cache test */
} Value;

/* Counted per tag: each test uses its own, as the tests of one binary run at once. */
#define TAGS 16
static long created[TAGS], freed[TAGS];

static void value_dealloc(PyObject *op)
{
    Value *v = (Value *)op;
    if (v->weakrefs != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    if (v->magic != ALIVE) {
        /* a second deallocation: counted heavily, the test compares */
        __atomic_add_fetch(&freed[v->tag], 1000000, __ATOMIC_SEQ_CST);
    }
    v->magic = DEAD;
    __atomic_add_fetch(&freed[v->tag], 1, __ATOMIC_SEQ_CST);
    /* the memory is kept: a late reader sees DEAD */
}

static PyTypeObject ValueType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sharing.Value",
    .tp_basicsize = sizeof(Value),
    .tp_dealloc = value_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_weaklistoffset = offsetof(Value, weakrefs),
};

static int ready(void)
{
    static int done;
    if (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        if (PyType_Ready(&ValueType) < 0) {
            return -1;
        }
        __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    }
    return 0;
}

/* A new Value counted under `tag` (0..15). */
PyObject *gg_value_new(long tag)
{
    Value *v = PyObject_Malloc(sizeof(Value));
    if (v == NULL) {
        return NULL;
    }
    PyObject_Init((PyObject *)v, &ValueType);
    v->magic = ALIVE;
    v->tag = tag & (TAGS - 1);
    v->weakrefs = NULL;
    v->seq = 0;
    __atomic_add_fetch(&created[v->tag], 1, __ATOMIC_SEQ_CST);
    return (PyObject *)v;
}

long gg_created(long tag) { return __atomic_load_n(&created[tag], __ATOMIC_SEQ_CST); }
long gg_freed(long tag) { return __atomic_load_n(&freed[tag], __ATOMIC_SEQ_CST); }

/* 1 when o is a live Value, 0 when it is poisoned (used after its deallocation). */
static int alive(PyObject *o)
{
    return Py_TYPE(o) == &ValueType && __atomic_load_n(&((Value *)o)->magic, __ATOMIC_SEQ_CST) == ALIVE;
}

int gg_init(void) { return ready(); }

/* ---- dicts --------------------------------------------------------------------------------- */

/* n rounds: PyDict_GetItemRef(d, key); returns the number of poisoned values seen, or -1 on
 * an error; *hits counts successful lookups. */
long gg_dict_reader(PyObject *d, PyObject *key, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        PyObject *v;
        int r = PyDict_GetItemRef(d, key, &v);
        if (r < 0) {
            return -1;
        }
        if (r == 1) {
            bad += !alive(v);
            *hits += 1;
            Py_DECREF(v);
        }
    }
    return bad;
}

/* n rounds: replace d[key] with a fresh value (counted under tag), deleting it every third
 * round. */
int gg_dict_writer(PyObject *d, PyObject *key, long n, long tag)
{
    for (long i = 0; i < n; i++) {
        PyObject *v = gg_value_new(tag);
        if (v == NULL || PyDict_SetItem(d, key, v) < 0) {
            return -1;
        }
        Py_DECREF(v);
        if (i % 3 == 2 && PyDict_DelItem(d, key) < 0) {
            PyErr_Clear();
        }
    }
    return 0;
}

/* n rounds over the 64 int keys 0..63 of `keys`: PyObject_GetItem(d, key) and
 * PyDict_GetItemRef(d, key); an absent key is legal (KeyError is cleared), any value found
 * must be a live Value. Returns the number of poisoned values seen, or -1 on another error. */
long gg_dict_int_reader(PyObject *d, PyObject *keys, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        PyObject *key = PyTuple_GET_ITEM(keys, (i * 7) & 63);
        PyObject *v = PyObject_GetItem(d, key);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_KeyError)) {
                return -1;
            }
            PyErr_Clear();
        }
        else {
            bad += !alive(v);
            *hits += 1;
            Py_DECREF(v);
        }
        int r = PyDict_GetItemRef(d, key, &v);
        if (r < 0) {
            return -1;
        }
        if (r == 1) {
            bad += !alive(v);
            *hits += 1;
            Py_DECREF(v);
        }
    }
    return bad;
}

/* n rounds of growing d from empty to the 64 keys of `keys` with fresh values (counted under
 * tag; the table resizes as it grows), replacing every other one, deleting a third of them
 * and clearing d at the end of the round. */
int gg_dict_grower(PyObject *d, PyObject *keys, long n, long tag)
{
    for (long i = 0; i < n; i++) {
        for (int k = 0; k < 64; k++) {
            for (int pass = 0; pass < 1 + (k & 1); pass++) {
                PyObject *v = gg_value_new(tag);
                if (v == NULL || PyDict_SetItem(d, PyTuple_GET_ITEM(keys, k), v) < 0) {
                    return -1;
                }
                Py_DECREF(v);
            }
        }
        for (int k = 0; k < 64; k += 3) {
            if (PyDict_DelItem(d, PyTuple_GET_ITEM(keys, k)) < 0) {
                return -1;
            }
        }
        PyDict_Clear(d);
    }
    return 0;
}

/* PyDict_SetDefaultRef(d, key, a fresh value): returns what it returned; *out gets the result
 * (a new reference). */
int gg_setdefault(PyObject *d, PyObject *key, PyObject **out, long tag)
{
    PyObject *v = gg_value_new(tag);
    if (v == NULL) {
        return -1;
    }
    int r = PyDict_SetDefaultRef(d, key, v, out);
    Py_DECREF(v);
    return r;
}

/* ---- attributes ------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    PyObject *dict;
    PyObject *weakrefs;
    PyObject *m;
} Holder;

static void holder_dealloc(PyObject *op)
{
    Holder *h = (Holder *)op;
    PyTypeObject *tp = Py_TYPE(op);
    if (h->weakrefs != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    Py_CLEAR(h->dict);
    Py_CLEAR(h->m);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyMemberDef holder_members[] = {
    {"m", Py_T_OBJECT_EX, offsetof(Holder, m), 0, NULL},
    {"__dictoffset__", Py_T_PYSSIZET, offsetof(Holder, dict), Py_READONLY, NULL},
    {"__weaklistoffset__", Py_T_PYSSIZET, offsetof(Holder, weakrefs), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot holder_slots[] = {
    {Py_tp_dealloc, holder_dealloc},
    {Py_tp_members, holder_members},
    {0, NULL},
};

static PyType_Spec holder_spec = {
    .name = "sharing.Holder",
    .basicsize = sizeof(Holder),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = holder_slots,
};

PyObject *gg_holder_type(void)
{
    return PyType_FromSpec(&holder_spec);
}

PyObject *gg_holder_new(PyObject *type)
{
    return PyObject_CallNoArgs(type);
}

/* The instance dict slot's current value (borrowed, NULL before it exists). */
PyObject *gg_holder_dict_slot(PyObject *o)
{
    return ((Holder *)o)->dict;
}

/* n rounds of getattr(o, name) (absent is fine); returns poisoned values seen, -1 on error. */
long gg_getattr_reader(PyObject *o, const char *name, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttrString(o, name);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
            continue;
        }
        bad += !alive(v);
        *hits += 1;
        Py_DECREF(v);
    }
    return bad;
}

/* n rounds of setattr(o, name, fresh value), deleting it every third round. */
int gg_setattr_writer(PyObject *o, const char *name, long n, long tag)
{
    for (long i = 0; i < n; i++) {
        PyObject *v = gg_value_new(tag);
        if (v == NULL || PyObject_SetAttrString(o, name, v) < 0) {
            return -1;
        }
        Py_DECREF(v);
        if (i % 3 == 2 && PyObject_DelAttrString(o, name) < 0) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
        }
    }
    return 0;
}

/* n rounds of o.__dict__ = {name: fresh value} (the old dict released each time). */
int gg_dict_assigner(PyObject *o, const char *name, long n, long tag)
{
    for (long i = 0; i < n; i++) {
        PyObject *d = PyDict_New();
        PyObject *v = gg_value_new(tag);
        if (d == NULL || v == NULL || PyDict_SetItemString(d, name, v) < 0) {
            return -1;
        }
        Py_DECREF(v);
        int r = PyObject_SetAttrString(o, "__dict__", d);
        Py_DECREF(d);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- the type attribute cache -------------------------------------------------------------- */

/* The writer's last completed step: 2*i after round i set the attribute, 2*i+1 after it
 * deleted it; one counter per test (the tests run at once). */
static long cached_published;
static long class_published;

/* n rounds of getattr(o, name) with an interned name (the type cache's path): returns the
 * reads that were wrong (a freed value, a value older than the step published before the
 * read, or "absent" when no deletion can have been under way or done), -1 on an error. */
static long cached_read(long *published, PyObject *o, PyObject *name, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        long p = __atomic_load_n(published, __ATOMIC_ACQUIRE);
        PyObject *v = PyObject_GetAttr(o, name);
        long q = __atomic_load_n(published, __ATOMIC_ACQUIRE);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
            /* legal after a deletion (odd step), when the writer moved on meanwhile, or
             * while the deletion that follows a round divisible by 3 is under way */
            bad += (p & 1) == 0 && q == p && (p / 2) % 3 != 0;
            continue;
        }
        bad += !alive(v) || 2 * __atomic_load_n(&((Value *)v)->seq, __ATOMIC_SEQ_CST) < p;
        *hits += 1;
        Py_DECREF(v);
    }
    return bad;
}

/* n rounds of setattr(t, name, a value numbered by the round), deleting it every third round;
 * after each step this thread reads the attribute back through o (an instance of t or of a
 * subclass, or a subclass). Returns 0, -1 on an error, -2 when the read-back after a set was
 * not the value just set, -3 when the attribute was still there after its deletion. */
static int cached_write(long *published, PyObject *t, PyObject *o, PyObject *name, long n,
                        long tag)
{
    for (long i = 1; i <= n; i++) {
        PyObject *v = gg_value_new(tag);
        if (v == NULL) {
            return -1;
        }
        ((Value *)v)->seq = i;
        if (PyObject_SetAttr(t, name, v) < 0) {
            Py_DECREF(v);
            return -1;
        }
        __atomic_store_n(published, 2 * i, __ATOMIC_RELEASE);
        PyObject *r = PyObject_GetAttr(o, name);
        Py_DECREF(v);
        if (r == NULL) {
            PyErr_Clear();
            return -2;
        }
        Py_DECREF(r);
        if (r != v) {
            return -2;
        }
        if (i % 3 == 0) {
            if (PyObject_DelAttr(t, name) < 0) {
                return -1;
            }
            __atomic_store_n(published, 2 * i + 1, __ATOMIC_RELEASE);
            r = PyObject_GetAttr(o, name);
            if (r != NULL) {
                Py_DECREF(r);
                return -3;
            }
            PyErr_Clear();
        }
    }
    return 0;
}

long gg_cached_reader(PyObject *o, PyObject *name, long n, long *hits)
{
    return cached_read(&cached_published, o, name, n, hits);
}

int gg_cached_writer(PyObject *t, PyObject *o, PyObject *name, long n, long tag)
{
    return cached_write(&cached_published, t, o, name, n, tag);
}

/* The same pair for the test that reads the attribute from a class itself. */
long gg_class_attr_reader(PyObject *o, PyObject *name, long n, long *hits)
{
    return cached_read(&class_published, o, name, n, hits);
}

int gg_class_attr_writer(PyObject *t, PyObject *o, PyObject *name, long n, long tag)
{
    return cached_write(&class_published, t, o, name, n, tag);
}

/* ---- weak references --------------------------------------------------------------------- */

/* PyWeakref_GetRef(w) until it reports the referent dead; returns poisoned referents seen
 * (-1 on error); *hits counts the references obtained. */
long gg_weak_reader(PyObject *w, long *hits)
{
    long bad = 0;
    for (;;) {
        PyObject *o;
        int r = PyWeakref_GetRef(w, &o);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            return bad;
        }
        bad += !alive(o);
        *hits += 1;
        Py_DECREF(o);
    }
}

/* PyUnstable_TryIncRef on a Value that another thread drops: as gg_weak_reader, but the
 * object's memory stays valid by the fixture's rule (kept after deallocation), so the test
 * only needs the try-incref to fail once the count reached zero. */
long gg_tryincref_reader(PyObject *o, long *hits)
{
    long bad = 0;
    while (__atomic_load_n(&((Value *)o)->magic, __ATOMIC_SEQ_CST) == ALIVE) {
        if (PyUnstable_TryIncRef(o)) {
            bad += !alive(o);
            *hits += 1;
            Py_DECREF(o);
        }
    }
    return bad;
}

void gg_enable_tryincref(PyObject *o) { PyUnstable_EnableTryIncRef(o); }

/* ---- iterators ----------------------------------------------------------------------------- */

/* next(it) until exhausted; returns poisoned items seen (-1 on error); *items counts them. */
long gg_iter_drain(PyObject *it, long *items)
{
    long bad = 0;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        if (PyTuple_Check(o)) {
            bad += !alive(PyTuple_GET_ITEM(o, 1));
        }
        else if (Py_TYPE(o) == &ValueType) {
            bad += !alive(o);
        }
        *items += 1;
        Py_DECREF(o);
    }
    return PyErr_Occurred() ? -1 : bad;
}

/* ---- lock-free dict reads (read sections) ---------------------------------------------------- */

/* n rounds of PyDict_GetItemRef(d, key) over 64 str keys "s0".."s63" the reader makes itself
 * (equal to the writer's keys, never the same objects: every hit compares the table's key
 * object by its text). An absent key is legal; a value found must be a live Value whose seq
 * is its key's number. Returns the wrong reads, -1 on an error. */
long gg_dict_str_reader(PyObject *d, long n, long *hits)
{
    PyObject *keys[64];
    for (int k = 0; k < 64; k++) {
        keys[k] = PyUnicode_FromFormat("s%d", k);
        if (keys[k] == NULL) {
            return -1;
        }
    }
    long bad = 0;
    for (long i = 0; i < n; i++) {
        int k = (int)((i * 7) & 63);
        PyObject *v;
        int r = PyDict_GetItemRef(d, keys[k], &v);
        if (r < 0) {
            bad = -1;
            break;
        }
        if (r == 1) {
            bad += !alive(v) || __atomic_load_n(&((Value *)v)->seq, __ATOMIC_SEQ_CST) != k;
            *hits += 1;
            Py_DECREF(v);
        }
    }
    for (int k = 0; k < 64; k++) {
        Py_DECREF(keys[k]);
    }
    return bad;
}

/* n rounds of filling d with 64 fresh str keys "s0".."s63" (made this round, freed when the
 * dict lets them go) and fresh values numbered by their key (the table grows from empty),
 * replacing every other value, deleting a third of the keys and clearing d at the end. */
int gg_dict_str_grower(PyObject *d, long n, long tag)
{
    for (long i = 0; i < n; i++) {
        for (int k = 0; k < 64; k++) {
            PyObject *key = PyUnicode_FromFormat("s%d", k);
            if (key == NULL) {
                return -1;
            }
            for (int pass = 0; pass < 1 + (k & 1); pass++) {
                PyObject *v = gg_value_new(tag);
                if (v == NULL) {
                    Py_DECREF(key);
                    return -1;
                }
                ((Value *)v)->seq = k;
                int r = PyDict_SetItem(d, key, v);
                Py_DECREF(v);
                if (r < 0) {
                    Py_DECREF(key);
                    return -1;
                }
            }
            Py_DECREF(key);
        }
        for (int k = 0; k < 64; k += 3) {
            PyObject *key = PyUnicode_FromFormat("s%d", k);
            if (key == NULL || PyDict_DelItem(d, key) < 0) {
                Py_XDECREF(key);
                return -1;
            }
            Py_DECREF(key);
        }
        PyDict_Clear(d);
    }
    return 0;
}

/* The module writer's last completed step (as cached_published). */
static long module_published;

/* n rounds of getattr(m, name) (a module attribute: the module's dict, read lock-free): the
 * wrong reads (a freed value, a value older than the step published before the read, "absent"
 * when no deletion can have been under way or done), -1 on an error. */
long gg_module_reader(PyObject *m, PyObject *name, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        long p = __atomic_load_n(&module_published, __ATOMIC_ACQUIRE);
        PyObject *v = PyObject_GetAttr(m, name);
        long q = __atomic_load_n(&module_published, __ATOMIC_ACQUIRE);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
                return -1;
            }
            PyErr_Clear();
            bad += (p & 1) == 0 && q == p && (p / 2) % 3 != 0;
            continue;
        }
        bad += !alive(v) || 2 * __atomic_load_n(&((Value *)v)->seq, __ATOMIC_SEQ_CST) < p;
        *hits += 1;
        Py_DECREF(v);
    }
    return bad;
}

/* n rounds of setattr(m, name, a value numbered by the round), deleting it every third round,
 * and of a filler attribute under a fresh str name (48 of them live at a time, so the module
 * dict's table keeps growing, dropping its holes and letting keys go). Returns 0, -1 on an
 * error, -2 when the read-back after a set was not the value just set. */
int gg_module_writer(PyObject *m, PyObject *name, long n, long tag)
{
    for (long i = 1; i <= n; i++) {
        PyObject *v = gg_value_new(tag);
        if (v == NULL) {
            return -1;
        }
        ((Value *)v)->seq = i;
        if (PyObject_SetAttr(m, name, v) < 0) {
            Py_DECREF(v);
            return -1;
        }
        __atomic_store_n(&module_published, 2 * i, __ATOMIC_RELEASE);
        PyObject *r = PyObject_GetAttr(m, name);
        Py_DECREF(v);
        if (r == NULL) {
            PyErr_Clear();
            return -2;
        }
        Py_DECREF(r);
        if (r != v) {
            return -2;
        }
        PyObject *filler = PyUnicode_FromFormat("filler%ld", i % 64);
        PyObject *fv = gg_value_new(tag);
        if (filler == NULL || fv == NULL || PyObject_SetAttr(m, filler, fv) < 0) {
            return -1;
        }
        Py_DECREF(fv);
        Py_DECREF(filler);
        filler = PyUnicode_FromFormat("filler%ld", (i + 16) % 64);
        if (filler == NULL) {
            return -1;
        }
        if (PyObject_DelAttr(m, filler) < 0) {
            PyErr_Clear();
        }
        Py_DECREF(filler);
        if (i % 3 == 0) {
            if (PyObject_DelAttr(m, name) < 0) {
                return -1;
            }
            __atomic_store_n(&module_published, 2 * i + 1, __ATOMIC_RELEASE);
        }
    }
    return 0;
}

/* ---- member descriptors read without a reference ------------------------------------------ */

/* `Pair` has two long members; the writer's fresh descriptors name either field `pm`. */
typedef struct {
    PyObject_HEAD
    long a;
    long b;
} Pair;

static PyMemberDef pair_members[] = {
    {"a", Py_T_LONG, offsetof(Pair, a), 0, NULL},
    {"b", Py_T_LONG, offsetof(Pair, b), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyMemberDef pair_swapped[] = {
    {"pm", Py_T_LONG, offsetof(Pair, a), Py_READONLY, NULL},
    {"pm", Py_T_LONG, offsetof(Pair, b), Py_READONLY, NULL},
};

static PyType_Slot pair_slots[] = {
    {Py_tp_members, pair_members},
    {0, NULL},
};

static PyType_Spec pair_spec = {
    .name = "sharing.Pair",
    .basicsize = sizeof(Pair),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = pair_slots,
};

PyObject *gg_pair_type(void)
{
    return PyType_FromSpec(&pair_spec);
}

/* An instance of `type` (Pair or a subclass) holding a and b. */
PyObject *gg_pair_new(PyObject *type, long a, long b)
{
    PyObject *o = PyObject_CallNoArgs(type);
    if (o != NULL) {
        ((Pair *)o)->a = a;
        ((Pair *)o)->b = b;
    }
    return o;
}

/* n rounds of getattr(o, name) (absent is fine); returns the reads that gave anything but the
 * int a or b, or raised anything but AttributeError (each cleared); *hits counts a and b. */
long gg_pair_reader(PyObject *o, PyObject *name, long a, long b, long n, long *hits)
{
    long bad = 0;
    for (long i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttr(o, name);
        if (v == NULL) {
            bad += !PyErr_ExceptionMatches(PyExc_AttributeError);
            PyErr_Clear();
            continue;
        }
        long x = PyLong_CheckExact(v) ? PyLong_AsLong(v) : -1;
        if (x == a || x == b) {
            *hits += 1;
        } else {
            bad += 1;
            PyErr_Clear();
        }
        Py_DECREF(v);
    }
    return bad;
}

/* Junk sizes: bytes objects whose blocks cover the size classes a descriptor may have. */
#define JUNK_KINDS 6

/* n rounds: t.name = a fresh member descriptor of t (field a, then b), the old one released at
 * once; deleted every third round. Right after each release bytes objects full of 0xAB take
 * the freed memory until the next round, so a reader still using a released descriptor reads
 * junk. */
int gg_pair_writer(PyObject *t, PyObject *name, long n)
{
    PyObject *junk[JUNK_KINDS] = {NULL};
    for (long i = 0; i < n; i++) {
        for (int k = 0; k < JUNK_KINDS; k++) {
            Py_CLEAR(junk[k]);
        }
        PyObject *d = PyDescr_NewMember((PyTypeObject *)t, &pair_swapped[i & 1]);
        if (d == NULL) {
            return -1;
        }
        int r = PyObject_SetAttr(t, name, d);
        Py_DECREF(d);
        if (r < 0) {
            return -1;
        }
        if (i % 3 == 2 && PyObject_DelAttr(t, name) < 0) {
            return -1;
        }
        for (int k = 0; k < JUNK_KINDS; k++) {
            Py_ssize_t len = 15 + 16 * k;
            junk[k] = PyBytes_FromStringAndSize(NULL, len);
            if (junk[k] == NULL) {
                return -1;
            }
            memset(PyBytes_AS_STRING(junk[k]), 0xAB, (size_t)len);
        }
    }
    for (int k = 0; k < JUNK_KINDS; k++) {
        Py_CLEAR(junk[k]);
    }
    return 0;
}
