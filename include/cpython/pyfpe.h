/* gilgate: floating-point exception protection, gone since Python 3.11: no-ops kept for old
 * sources. */
#ifndef Py_PYFPE_H
#define Py_PYFPE_H
#define PyFPE_START_PROTECT(err_string, leave_stmt)
#define PyFPE_END_PROTECT(v)
#endif /* !Py_PYFPE_H */
