/* gilgate: pickle.PickleBuffer.
 * Every function and object declared here is exported by the runtime. */
#ifndef Py_PICKLEBUFOBJECT_H
#define Py_PICKLEBUFOBJECT_H
#ifdef __cplusplus
extern "C" {
#endif
#define PyPickleBuffer_Check(op) Py_IS_TYPE((op), &PyPickleBuffer_Type)

PyAPI_FUNC(PyObject *) PyPickleBuffer_FromObject(PyObject *);
PyAPI_FUNC(const Py_buffer *) PyPickleBuffer_GetBuffer(PyObject *);
PyAPI_FUNC(int) PyPickleBuffer_Release(PyObject *);
PyAPI_DATA(PyTypeObject) PyPickleBuffer_Type;

#ifdef __cplusplus
}
#endif
#endif /* !Py_PICKLEBUFOBJECT_H */
