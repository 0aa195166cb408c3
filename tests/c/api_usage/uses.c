/* A module file for `gilgate inspect --api-usage`: it imports one implemented C API function,
 * one name the test picked among gilgate's stubs (STUB_NAME) and one that gilgate does not
 * export at all (MISSING_NAME). Python.h is not included: the names are declared here with a
 * neutral type, since only the file's undefined symbols matter. MODULE names the init hook. */
#define GG_CAT2(a, b) a##b
#define GG_CAT(a, b) GG_CAT2(a, b)

extern char PyList_Append[];
extern char STUB_NAME[];
#ifdef MISSING_NAME
extern char MISSING_NAME[];
#endif

void *gg_used[] = {
    PyList_Append,
    STUB_NAME,
#ifdef MISSING_NAME
    MISSING_NAME,
#endif
};

void *GG_CAT(PyInit_, MODULE)(void) { return 0; }
