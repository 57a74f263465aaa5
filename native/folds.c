/*
 * memgrid's native fold split: the test and train rows of each fold from a fold label per row
 * (search/splitters.ts's foldsFromLabels). A search computes its folds on the caller's thread
 * before its first task, while its pool threads start on the same two cores; in JavaScript this
 * cold loop (nSplits passes over every row) took ~40 ms of that start, interpreted and then
 * compiled four times over, where C takes ~1 ms.
 *
 * Exports (registered by register_fold_kernels):
 *   labelCounts(labels, counts)                 counts[l] += 1 for each label l with 0 <= l < counts.length
 *                                               (other labels count nowhere, as in JavaScript)
 *   foldIndices(labels, fold, test, train)      rows labelled `fold` into test, the others into train,
 *                                               both ascending; RangeError unless they fill both exactly
 * labels, counts, test and train are Int32Arrays.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <stdint.h>

#include "folds.h"
#include "napi-helpers.h"

/* An Int32Array argument's elements; 0 after throwing a RangeError naming it. */
static int get_int32s(napi_env env, napi_value value, const char* name, int32_t** data, size_t* length) {
  Typed t;
  if (!get_typed(env, value, name, 0, &t) || !want_type(env, &t, napi_int32_array, name)) return 0;
  *data = (int32_t*)t.data;
  *length = t.length;
  return 1;
}

static napi_value label_counts(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t *labels, *counts;
  size_t n, k;
  if (argc < 2) return throw_range(env, "labelCounts(labels, counts) takes 2 arguments");
  if (!get_int32s(env, argv[0], "labels", &labels, &n)) return NULL;
  if (!get_int32s(env, argv[1], "counts", &counts, &k)) return NULL;
  for (size_t i = 0; i < n; i++) {
    uint32_t l = (uint32_t)labels[i]; /* negative labels wrap past k: counted nowhere */
    if (l < k) counts[l]++;
  }
  return NULL;
}

static napi_value fold_indices(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t *labels, *test, *train;
  size_t n, n_test, n_train;
  double fold_value;
  if (argc < 4) return throw_range(env, "foldIndices(labels, fold, test, train) takes 4 arguments");
  if (!get_int32s(env, argv[0], "labels", &labels, &n)) return NULL;
  if (napi_get_value_double(env, argv[1], &fold_value) != napi_ok || fold_value != (double)(int32_t)fold_value) {
    return throw_range(env, "fold must be a 32-bit integer");
  }
  if (!get_int32s(env, argv[2], "test", &test, &n_test)) return NULL;
  if (!get_int32s(env, argv[3], "train", &train, &n_train)) return NULL;
  if (n_test + n_train != n) return throw_range(env, "test and train must hold one index per label between them");
  int32_t fold = (int32_t)fold_value;
  size_t t = 0, r = 0;
  for (size_t i = 0; i < n; i++) {
    if (labels[i] == fold) {
      if (t == n_test) return throw_range(env, "more rows carry the fold's label than test holds");
      test[t++] = (int32_t)i;
    } else {
      if (r == n_train) return throw_range(env, "fewer rows carry the fold's label than test holds");
      train[r++] = (int32_t)i;
    }
  }
  return NULL;
}

void register_fold_kernels(napi_env env, napi_value exports) {
  set_function(env, exports, "labelCounts", label_counts);
  set_function(env, exports, "foldIndices", fold_indices);
}
