/* A plain shared library (as pycryptodome loads with ctypes): no module hook at all. */
int gg_plain_add(int a, int b) { return a + b; }
