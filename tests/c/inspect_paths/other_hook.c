/* A library exporting a module hook, but one for another name than its file's. */
void *PyInit_other(void) { return 0; }
