/*
 * gilgate C shim: C API functions that need their caller's address.
 *
 * PyGILState_Ensure passes its return address to the runtime: under `--gil module` a call
 * made from the code of a module that did not declare free-threading support (a thread the
 * module started, calling back in) takes the per-module lock until the matching
 * PyGILState_Release. Rust has no stable way to read its caller's address; C has
 * __builtin_return_address.
 */
#include "gg_api.h"

extern int _gilgate_gilstate_ensure(void *caller);

GG_API int PyGILState_Ensure(void)
{
    return _gilgate_gilstate_ensure(__builtin_return_address(0));
}
