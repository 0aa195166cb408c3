/* gilgate: collections.OrderedDict.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_ODICTOBJECT_H
#define Py_ODICTOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif
#define PyODict_Check(op) PyObject_TypeCheck((op), &PyODict_Type)
#define PyODict_CheckExact(op) Py_IS_TYPE((op), &PyODict_Type)
#define PyODict_SIZE(op) PyDict_GET_SIZE(op)
#define PyODict_Size(op) PyDict_Size(op)
#define PyODict_GetItem(od, key) PyDict_GetItem(_PyObject_CAST(od), (key))
#define PyODict_GetItemWithError(od, key) PyDict_GetItemWithError(_PyObject_CAST(od), (key))
#define PyODict_Contains(od, key) PyDict_Contains(_PyObject_CAST(od), (key))
#define PyODict_GetItemString(od, key) PyDict_GetItemString(_PyObject_CAST(od), (key))

PyAPI_DATA(PyTypeObject) PyODictItems_Type;
PyAPI_DATA(PyTypeObject) PyODictIter_Type;
PyAPI_DATA(PyTypeObject) PyODictKeys_Type;
PyAPI_DATA(PyTypeObject) PyODictValues_Type;
PyAPI_FUNC(int) PyODict_DelItem(PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyODict_New(void);
PyAPI_FUNC(int) PyODict_SetItem(PyObject *, PyObject *, PyObject *);
PyAPI_DATA(PyTypeObject) PyODict_Type;

#ifdef __cplusplus
}
#endif
#endif /* !Py_ODICTOBJECT_H */
