/*
 * The N-API argument helpers every file of memgrid's addon uses (mmap.c, rows.c, folds.c):
 * a RangeError, an export, a typed array argument of one element type. Static inline, so each
 * file gets its own copy from one source.
 */
#ifndef MEMGRID_NAPI_HELPERS_H
#define MEMGRID_NAPI_HELPERS_H
#include <node_api.h>

#include <stdio.h>

/* Throws `message` as a RangeError; returns NULL for the callback to return. */
static inline napi_value throw_range(napi_env env, const char* message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

/* exports[name] = a function calling `cb`. */
static inline void set_function(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

/* A typed array argument's elements, or (present 0) null/undefined where it is optional. */
typedef struct {
  void* data;
  size_t length;
  napi_typedarray_type type;
  int present;
} Typed;

/* The typed array `value` into *out (null/undefined allowed when `optional`); 0 after throwing a RangeError naming it. */
static inline int get_typed(napi_env env, napi_value value, const char* name, int optional, Typed* out) {
  napi_valuetype kind;
  napi_typeof(env, value, &kind);
  out->present = 0;
  if (optional && (kind == napi_null || kind == napi_undefined)) return 1;
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a typed array", name);
    throw_range(env, message);
    return 0;
  }
  napi_get_typedarray_info(env, value, &out->type, &out->length, &out->data, NULL, NULL);
  out->present = 1;
  return 1;
}

/* 1 when `t` is absent or of element type `type`; 0 after throwing a RangeError naming it. */
static inline int want_type(napi_env env, const Typed* t, napi_typedarray_type type, const char* name) {
  if (!t->present || t->type == type) return 1;
  char message[128];
  snprintf(message, sizeof message, "%s has the wrong element type", name);
  throw_range(env, message);
  return 0;
}

#endif
