/* memgrid's native fold split (folds.c): registered on the addon's exports by mmap.c's init. */
#ifndef MEMGRID_FOLDS_H
#define MEMGRID_FOLDS_H
#include <node_api.h>

void register_fold_kernels(napi_env env, napi_value exports);

#endif
