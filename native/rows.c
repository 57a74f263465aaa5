/*
 * memgrid's native row loops: the two passes over a fold's rows that each pool thread runs once
 * per fit and that would otherwise cost every thread a JIT compile of their JavaScript (a
 * logistic search's cold start: V8 compiled these loops 4-8 times a thread, ~60 ms of compiler
 * time per thread on two cores shared with the work itself, for loops that run in ~2 ms).
 *
 * Each computes exactly what its JavaScript twin computes, operation for operation and in the
 * same order (models/kernels/native-rows.ts; a test compares them bit for bit), so results do not
 * depend on whether the addon has these exports. Built with -ffp-contract=off: a fused
 * multiply-add would round differently from JavaScript's separate multiply and add.
 *
 * Exports (registered by register_row_kernels):
 *   columnSums(X, d, rows, count, out)
 *       out[j] += Σ_r X[rows[r]·d + j] over r < count (rows null: row r itself), in row order.
 *   loadRows(dst, dstRow, stride, X, d, rows, first, count, shift, labelsOut, labelsIn, weightsOut, weightsIn)
 *       for u < count, i = rows[first + u] (rows null: first + u): dst row dstRow + u (of `stride`
 *       values) = [X[i] − shift, 1, 0 …], labelsOut[dstRow + u] = ToInt32(labelsIn[i]),
 *       weightsOut[dstRow + u] = weightsIn[i] (weightsIn null: 1).
 * X, dst, shift, out, weightsOut and weightsIn are Float64Arrays; rows and labelsOut Int32Arrays;
 * labelsIn a Float64Array or an Int32Array. Every index is checked before anything is written:
 * a RangeError names the first one out of range.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "napi-helpers.h"
#include "rows.h"

static int get_count(napi_env env, napi_value value, const char* name, int64_t* out) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok || !(d >= 0) || d > 2147483647.0 || d != (double)(int64_t)d) {
    char message[128];
    snprintf(message, sizeof message, "%s must be an integer from 0 to 2^31 - 1", name);
    throw_range(env, message);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

/* Row r of the chosen rows: rows[r], or r itself without a list. */
static inline int64_t row_id(const int32_t* rows, int64_t r) {
  return rows == NULL ? r : (int64_t)rows[r];
}

/* Checks that rows [first, first + count) of the list (or of 0..) name rows below n; 0 after throwing. */
static int check_rows(napi_env env, const Typed* rows, int64_t first, int64_t count, int64_t n) {
  if (rows->present && (uint64_t)(first + count) > rows->length) return throw_range(env, "first + count is past the end of rows"), 0;
  const int32_t* list = rows->present ? (const int32_t*)rows->data : NULL;
  for (int64_t r = first; r < first + count; r++) {
    int64_t i = row_id(list, r);
    if (i < 0 || i >= n) {
      char message[128];
      snprintf(message, sizeof message, "row %lld (at %lld) is outside 0..%lld", (long long)i, (long long)r, (long long)(n - 1));
      throw_range(env, message);
      return 0;
    }
  }
  return 1;
}

/* JavaScript's ToInt32 of a double: truncated, modulo 2^32; NaN and ±Infinity give 0. */
static inline int32_t to_int32(double v) {
  if (!isfinite(v)) return 0;
  double t = fmod(trunc(v), 4294967296.0);
  if (t < 0) t += 4294967296.0;
  return (int32_t)(uint32_t)t;
}

static napi_value column_sums(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 5) return throw_range(env, "columnSums(X, d, rows, count, out) takes 5 arguments");
  Typed X, rows, out;
  int64_t d, count;
  if (!get_typed(env, argv[0], "X", 0, &X) || !want_type(env, &X, napi_float64_array, "X")) return NULL;
  if (!get_count(env, argv[1], "d", &d) || !get_count(env, argv[3], "count", &count)) return NULL;
  if (!get_typed(env, argv[2], "rows", 1, &rows) || !want_type(env, &rows, napi_int32_array, "rows")) return NULL;
  if (!get_typed(env, argv[4], "out", 0, &out) || !want_type(env, &out, napi_float64_array, "out")) return NULL;
  if (d < 1 || (size_t)d > out.length) return throw_range(env, "d must be at least 1 and at most out's length");
  if (!check_rows(env, &rows, 0, count, (int64_t)(X.length / (size_t)d))) return NULL;
  const double* x = (const double*)X.data;
  const int32_t* list = rows.present ? (const int32_t*)rows.data : NULL;
  double* sums = (double*)out.data;
  for (int64_t r = 0; r < count; r++) {
    const double* row = x + row_id(list, r) * d;
    for (int64_t j = 0; j < d; j++) sums[j] += row[j];
  }
  return NULL;
}

/* out[j] = row[j] − h[j] for j < d: distinct arrays, so the compiler may use vector subtracts (the same bits). */
static void subtract_shift(double* restrict out, const double* restrict row, const double* restrict h, int64_t d) {
  for (int64_t j = 0; j < d; j++) out[j] = row[j] - h[j];
}

static napi_value load_rows(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 13) {
    return throw_range(env, "loadRows(dst, dstRow, stride, X, d, rows, first, count, shift, labelsOut, labelsIn, weightsOut, weightsIn) takes 13 arguments");
  }
  Typed dst, X, rows, shift, labels_out, labels_in, weights_out, weights_in;
  int64_t dst_row, stride, d, first, count;
  if (!get_typed(env, argv[0], "dst", 0, &dst) || !want_type(env, &dst, napi_float64_array, "dst")) return NULL;
  if (!get_count(env, argv[1], "dstRow", &dst_row) || !get_count(env, argv[2], "stride", &stride)) return NULL;
  if (!get_typed(env, argv[3], "X", 0, &X) || !want_type(env, &X, napi_float64_array, "X")) return NULL;
  if (!get_count(env, argv[4], "d", &d)) return NULL;
  if (!get_typed(env, argv[5], "rows", 1, &rows) || !want_type(env, &rows, napi_int32_array, "rows")) return NULL;
  if (!get_count(env, argv[6], "first", &first) || !get_count(env, argv[7], "count", &count)) return NULL;
  if (!get_typed(env, argv[8], "shift", 0, &shift) || !want_type(env, &shift, napi_float64_array, "shift")) return NULL;
  if (!get_typed(env, argv[9], "labelsOut", 0, &labels_out) || !want_type(env, &labels_out, napi_int32_array, "labelsOut")) return NULL;
  if (!get_typed(env, argv[10], "labelsIn", 0, &labels_in)) return NULL;
  if (labels_in.type != napi_float64_array && labels_in.type != napi_int32_array) return throw_range(env, "labelsIn must be a Float64Array or an Int32Array");
  if (!get_typed(env, argv[11], "weightsOut", 0, &weights_out) || !want_type(env, &weights_out, napi_float64_array, "weightsOut")) return NULL;
  if (!get_typed(env, argv[12], "weightsIn", 1, &weights_in) || !want_type(env, &weights_in, napi_float64_array, "weightsIn")) return NULL;
  if (d < 1 || stride < d + 1 || (size_t)d > shift.length) return throw_range(env, "need 1 <= d < stride and d <= shift's length");
  if ((uint64_t)((dst_row + count) * stride) > dst.length || (uint64_t)(dst_row + count) > labels_out.length || (uint64_t)(dst_row + count) > weights_out.length) {
    return throw_range(env, "dstRow + count rows is past the end of dst, labelsOut or weightsOut");
  }
  int64_t n = (int64_t)(X.length / (size_t)d);
  if ((int64_t)labels_in.length < n) n = (int64_t)labels_in.length;
  if (weights_in.present && (int64_t)weights_in.length < n) n = (int64_t)weights_in.length;
  if (!check_rows(env, &rows, first, count, n)) return NULL;

  const double* x = (const double*)X.data;
  const double* restrict h = (const double*)shift.data;
  const int32_t* list = rows.present ? (const int32_t*)rows.data : NULL;
  double* out = (double*)dst.data + dst_row * stride;
  int32_t* lab = (int32_t*)labels_out.data + dst_row;
  double* wt = (double*)weights_out.data + dst_row;
  for (int64_t u = 0; u < count; u++, out += stride) {
    int64_t i = row_id(list, first + u);
    subtract_shift(out, x + i * d, h, d);
    out[d] = 1.0;
    for (int64_t j = d + 1; j < stride; j++) out[j] = 0.0;
    lab[u] = labels_in.type == napi_int32_array ? ((const int32_t*)labels_in.data)[i] : to_int32(((const double*)labels_in.data)[i]);
    wt[u] = weights_in.present ? ((const double*)weights_in.data)[i] : 1.0;
  }
  return NULL;
}

void register_row_kernels(napi_env env, napi_value exports) {
  set_function(env, exports, "columnSums", column_sums);
  set_function(env, exports, "loadRows", load_rows);
}
