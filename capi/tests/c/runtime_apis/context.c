/* Context variables (PyContext_*, PyContextVar_*) as CPython 3.14's Python/context.c: copies
 * are isolated, Enter/Exit switch the thread's current context, Set returns a Token that Reset
 * takes back once, each thread has its own current context. The texts are CPython 3.14.10's
 * (the same operations through contextvars, recorded with the reference). */
#include <Python.h>
#include <pthread.h>
#include <string.h>

#include "checks.h"

static int raised(PyObject *type, const char *prefix, const char *suffix)
{
    PyObject *e = PyErr_GetRaisedException();
    if (e == NULL)
        return 0;
    int ok = PyErr_GivenExceptionMatches(e, type);
    if (ok && (prefix != NULL || suffix != NULL)) {
        PyObject *s = PyObject_Str(e);
        const char *t = s ? PyUnicode_AsUTF8(s) : "";
        size_t n = strlen(t);
        ok = s != NULL && (prefix == NULL || strncmp(t, prefix, strlen(prefix)) == 0) &&
             (suffix == NULL ||
              (n >= strlen(suffix) && strcmp(t + n - strlen(suffix), suffix) == 0));
        Py_XDECREF(s);
    }
    Py_DECREF(e);
    return ok;
}

/* the value of `var` in the current context as a C long; -1 absent, -2 error */
static long get(PyObject *var)
{
    PyObject *v = NULL;
    if (PyContextVar_Get(var, NULL, &v) < 0) {
        PyErr_Clear();
        return -2;
    }
    if (v == NULL)
        return -1;
    long r = PyLong_AsLong(v);
    Py_DECREF(v);
    return r;
}

static int set(PyObject *var, long x)
{
    PyObject *v = PyLong_FromLong(x);
    PyObject *tok = PyContextVar_Set(var, v);
    Py_DECREF(v);
    if (tok == NULL) {
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(tok);
    return 1;
}

static int starts(PyObject *o, const char *prefix)
{
    if (o == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *r = PyObject_Repr(o);
    Py_DECREF(o);
    int ok = r != NULL && strncmp(PyUnicode_AsUTF8(r), prefix, strlen(prefix)) == 0;
    Py_XDECREF(r);
    if (r == NULL)
        PyErr_Clear();
    return ok;
}

static PyObject *g_var;
static long g_seen_in_thread, g_after_set_in_thread;

static void *thread_body(void *arg)
{
    (void)arg;
    PyGILState_STATE st = PyGILState_Ensure();
    g_seen_in_thread = get(g_var);
    set(g_var, 99);
    g_after_set_in_thread = get(g_var);
    PyGILState_Release(st);
    return NULL;
}

int gg_context_checks(char *out, size_t cap)
{
    gg_begin(out, cap);
    PyObject *one = PyLong_FromLong(1);
    PyObject *five = PyLong_FromLong(5);

    PyObject *v = PyContextVar_New("v", NULL);
    PyObject *w = PyContextVar_New("w", five);
    CHECK(v != NULL && PyContextVar_CheckExact(v) && Py_TYPE(v) == &PyContextVar_Type);
    CHECK(starts(Py_NewRef(v), "<ContextVar name='v' at 0x"));
    CHECK(starts(Py_NewRef(w), "<ContextVar name='w' default=5 at 0x"));
    CHECK(starts(PyObject_GetAttrString(v, "name"), "'v'"));

    /* Get: the value, else the given default, else the variable's, else NULL */
    CHECK(get(v) == -1);
    CHECK(get(w) == 5);
    PyObject *val = NULL;
    CHECK(PyContextVar_Get(v, one, &val) == 0 && val == one);
    Py_XDECREF(val);
    CHECK(PyContextVar_Get(w, one, &val) == 0 && val == one);
    Py_XDECREF(val);
    PyObject *r = PyObject_CallMethod(v, "get", NULL);
    CHECK(r == NULL && raised(PyExc_LookupError, "<ContextVar name='v' at 0x", ">"));

    /* Set and Reset */
    PyObject *tok = PyContextVar_Set(v, one);
    CHECK(tok != NULL && PyContextToken_CheckExact(tok) && get(v) == 1);
    CHECK(starts(PyObject_GetAttrString(tok, "old_value"), "<Token.MISSING>"));
    CHECK(starts(Py_NewRef(tok), "<Token var=<ContextVar name='v' at 0x"));
    PyObject *tvar = PyObject_GetAttrString(tok, "var");
    CHECK(tvar == v);
    Py_XDECREF(tvar);
    CHECK(PyContextVar_Reset(w, tok) == -1 &&
          raised(PyExc_ValueError, "<Token var=<ContextVar name='v'", "was created by a different ContextVar"));
    CHECK(PyContextVar_Reset(v, tok) == 0 && get(v) == -1);
    CHECK(PyContextVar_Reset(v, tok) == -1 &&
          raised(PyExc_RuntimeError, "<Token used var=<ContextVar name='v'", "has already been used once"));
    Py_XDECREF(tok);
    CHECK(set(v, 1) && get(v) == 1);
    tok = PyContextVar_Set(v, five);
    CHECK(starts(PyObject_GetAttrString(tok, "old_value"), "1"));
    CHECK(PyContextVar_Reset(v, tok) == 0 && get(v) == 1);
    Py_XDECREF(tok);

    /* a copy is isolated: changes on either side stay there */
    PyObject *c = PyContext_CopyCurrent();
    CHECK(c != NULL && PyContext_CheckExact(c) && Py_TYPE(c) == &PyContext_Type);
    CHECK(set(v, 2) && get(v) == 2);
    CHECK(PyContext_Enter(c) == 0 && get(v) == 1);
    tok = PyContextVar_Set(v, five);
    CHECK(tok != NULL && get(v) == 5);
    CHECK(PyContext_Enter(c) == -1 &&
          raised(PyExc_RuntimeError, "cannot enter context: <_contextvars.Context object at 0x",
                 "> is already entered"));
    CHECK(PyContext_Exit(c) == 0 && get(v) == 2);
    /* a token of another context */
    CHECK(PyContextVar_Reset(v, tok) == -1 &&
          raised(PyExc_ValueError, "<Token var=", "was created in a different Context"));
    CHECK(PyContext_Exit(c) == -1 &&
          raised(PyExc_RuntimeError, "cannot exit context: <_contextvars.Context object at 0x",
                 "> has not been entered"));
    CHECK(PyContext_Enter(c) == 0 && get(v) == 5);
    CHECK(PyContextVar_Reset(v, tok) == 0 && get(v) == 1);
    CHECK(PyContext_Exit(c) == 0);
    Py_XDECREF(tok);

    /* exits in order only */
    PyObject *c1 = PyContext_New();
    PyObject *c2 = PyContext_Copy(c);
    CHECK(c1 != NULL && c2 != NULL && PyContext_Enter(c1) == 0 && get(v) == -1);
    CHECK(PyContext_Enter(c2) == 0 && get(v) == 1);
    CHECK(PyContext_Exit(c1) == -1 &&
          raised(PyExc_RuntimeError,
                 "cannot exit context: thread state references a different context object", NULL));
    CHECK(PyContext_Exit(c2) == 0 && PyContext_Exit(c1) == 0 && get(v) == 2);

    /* Context.run and the mapping */
    PyObject *getter = PyObject_GetAttrString(v, "get");
    r = PyObject_CallMethod(c, "run", "O", getter);
    CHECK(r != NULL && PyLong_AsLong(r) == 1);
    Py_XDECREF(r);
    r = PyObject_GetItem(c, v);
    CHECK(r != NULL && PyLong_AsLong(r) == 1);
    Py_XDECREF(r);
    CHECK(PyObject_GetItem(c1, v) == NULL && raised(PyExc_KeyError, NULL, NULL));
    CHECK(PySequence_Contains(c, v) == 1 && PySequence_Contains(c1, v) == 0);
    CHECK(PySequence_Contains(c, one) == -1 &&
          raised(PyExc_TypeError, "a ContextVar key was expected, got 1", NULL));
    CHECK(PyObject_Length(c) == 1 && PyObject_Length(c1) == 0);
    CHECK(PyObject_Hash(c) == -1 &&
          raised(PyExc_TypeError, "unhashable type: '_contextvars.Context'", NULL));
    Py_DECREF(getter);

    /* wrong objects */
    CHECK(PyContext_Copy(one) == NULL &&
          raised(PyExc_TypeError, "an instance of Context was expected", NULL));
    CHECK(PyContext_Enter(one) == -1 &&
          raised(PyExc_TypeError, "an instance of Context was expected", NULL));
    CHECK(PyContextVar_Get(one, NULL, &val) == -1 &&
          raised(PyExc_TypeError, "an instance of ContextVar was expected", NULL));
    CHECK(PyContextVar_Set(one, one) == NULL &&
          raised(PyExc_TypeError, "an instance of ContextVar was expected", NULL));
    CHECK(PyContextVar_Reset(v, one) == -1 &&
          raised(PyExc_TypeError, "an instance of Token was expected", NULL));
    r = PyObject_CallMethod(v, "reset", "O", one);
    CHECK(r == NULL && raised(PyExc_TypeError, "expected an instance of Token, got 1", NULL));

    /* each thread has its own current context */
    g_var = v;
    pthread_t th;
    int started;
    Py_BEGIN_ALLOW_THREADS
    started = pthread_create(&th, NULL, thread_body, NULL) == 0;
    if (started)
        pthread_join(th, NULL);
    Py_END_ALLOW_THREADS
    CHECK(started && g_seen_in_thread == -1 && g_after_set_in_thread == 99);
    CHECK(get(v) == 2);

    Py_DECREF(c2);
    Py_DECREF(c1);
    Py_DECREF(c);
    Py_DECREF(w);
    Py_DECREF(v);
    Py_DECREF(five);
    Py_DECREF(one);
    return g_failed;
}
