/* gilgate: CPython's settings for macOS universal builds; gilgate hosts Linux x86_64 modules
 * only, so there is nothing here but the file's guard. */
#ifndef PY_MACCONFIG_H
#define PY_MACCONFIG_H
#endif /* !PY_MACCONFIG_H */
