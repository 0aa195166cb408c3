/* gilgate: module objects, module definitions and module slots. */
#ifndef Py_MODULEOBJECT_H
#define Py_MODULEOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif

PyAPI_DATA(PyTypeObject) PyModule_Type;

#define PyModule_Check(op) PyObject_TypeCheck((op), &PyModule_Type)
#define PyModule_CheckExact(op) Py_IS_TYPE((op), &PyModule_Type)

PyAPI_FUNC(PyObject *) PyModule_NewObject(PyObject *name);
PyAPI_FUNC(PyObject *) PyModule_New(const char *name);
PyAPI_FUNC(PyObject *) PyModule_GetDict(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetNameObject(PyObject *module);
PyAPI_FUNC(const char *) PyModule_GetName(PyObject *module);
Py_DEPRECATED(3.2) PyAPI_FUNC(const char *) PyModule_GetFilename(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetFilenameObject(PyObject *module);
PyAPI_FUNC(PyModuleDef *) PyModule_GetDef(PyObject *module);
PyAPI_FUNC(void *) PyModule_GetState(PyObject *module);
PyAPI_FUNC(PyObject *) PyModuleDef_Init(PyModuleDef *def);

PyAPI_DATA(PyTypeObject) PyModuleDef_Type;

typedef struct PyModuleDef_Base {
    PyObject_HEAD
    PyObject *(*m_init)(void);  /* set by single-phase modules' caching only */
    Py_ssize_t m_index;         /* assigned by PyModuleDef_Init */
    PyObject *m_copy;           /* cached copy of a single-phase module's dict */
} PyModuleDef_Base;

#define PyModuleDef_HEAD_INIT       \
    {                               \
        PyObject_HEAD_INIT(_Py_NULL) \
        _Py_NULL, /* m_init */      \
        0,        /* m_index */     \
        _Py_NULL, /* m_copy */      \
    }

struct PyModuleDef_Slot {
    int slot;
    void *value;
};

/* Module slot IDs. 3.13 and 3.14 use 1..4; 3.15 moved them into the shared
 * PySlot ID space (84..), while still accepting 1..4 in a PyModuleDef. */
#ifdef GILGATE_TARGET_3_15
#  define Py_mod_create 84
#  define Py_mod_exec 85
#  define Py_mod_multiple_interpreters 86
#  define Py_mod_gil 87
#  define Py_slot_subslots 92
#  define Py_mod_slots 94
#  define Py_mod_name 100
#  define Py_mod_doc 101
#  define Py_mod_state_size 102
#  define Py_mod_methods 103
#  define Py_mod_state_traverse 104
#  define Py_mod_state_clear 105
#  define Py_mod_state_free 106
#  define Py_mod_abi 109
#  define Py_mod_token 110
#  define _Py_slot_COUNT 111
#else
#  define Py_mod_create 1
#  define Py_mod_exec 2
#  define Py_mod_multiple_interpreters 3
#  define Py_mod_gil 4
#  define _Py_mod_LAST_SLOT 4
#endif

#define Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED ((void *)0)
#define Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED ((void *)1)
#define Py_MOD_PER_INTERPRETER_GIL_SUPPORTED ((void *)2)

#define Py_MOD_GIL_USED ((void *)0)
#define Py_MOD_GIL_NOT_USED ((void *)1)

#if !defined(Py_LIMITED_API) && defined(Py_GIL_DISABLED)
/* Declare that a (single-phase) module does not need the GIL. */
PyAPI_FUNC(int) PyUnstable_Module_SetGIL(PyObject *module, void *gil);
#endif

struct PyModuleDef {
    PyModuleDef_Base m_base;
    const char *m_name;
    const char *m_doc;
    Py_ssize_t m_size;
    PyMethodDef *m_methods;
    PyModuleDef_Slot *m_slots;
    traverseproc m_traverse;
    inquiry m_clear;
    freefunc m_free;
};

#ifdef GILGATE_TARGET_3_15
PyAPI_FUNC(PyObject *) PyModule_FromSlotsAndSpec(const PySlot *slots, PyObject *spec);
PyAPI_FUNC(int) PyModule_Exec(PyObject *module);
PyAPI_FUNC(int) PyModule_GetStateSize(PyObject *module, Py_ssize_t *result);
PyAPI_FUNC(int) PyModule_GetToken(PyObject *module, void **result);
#endif

#ifdef __cplusplus
}
#endif
#endif /* Py_MODULEOBJECT_H */
