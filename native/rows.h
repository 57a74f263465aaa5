/* memgrid's native row loops (rows.c): registered on the addon's exports by mmap.c's init. */
#ifndef MEMGRID_ROWS_H
#define MEMGRID_ROWS_H
#include <node_api.h>

void register_row_kernels(napi_env env, napi_value exports);

#endif
