/*
 * memgrid's mapping addon: mmap/msync/madvise/mincore with 64-bit sizes and offsets.
 *
 * A mapping is handed to JavaScript as an external ArrayBuffer whose finalizer unmaps it,
 * so no typed array can outlive the memory it views: the mapping goes when the garbage
 * collector drops the last view. Nothing here unmaps eagerly: a typed array taken from the
 * mapping earlier would then read unmapped memory and crash the process (numpy's memmap,
 * too, unmaps only when no array uses the mmap any more).
 *
 * Exports (all sizes and offsets are JavaScript numbers, exact up to 2^53):
 *   map(fd, offset, length, shared[, reuse]) -> ArrayBuffer   offset a multiple of pageSize; with
 *                                                     reuse (private only), one mapping per file,
 *                                                     offset and length for the whole process
 *   sync(buffer, offset, length)                      msync(MS_SYNC) of the covering pages
 *   advise(buffer, offset, length, advice)            madvise of the covering pages (any ArrayBuffer:
 *                                                     MADV_POPULATE_WRITE prefaults wasm memory too)
 *   residentBytes(buffer, from, to) -> number         bytes of [from, to) on resident pages
 *   firstNonFinite(buffer, byteOffset, count, itemBytes) -> number
 *                                                     index of the first NaN or ±Inf among count
 *                                                     float64 (8) or float32 (4) values, or -1
 *   columnSums, loadRows                              row loops over a fold's rows (rows.c)
 *   labelCounts, foldIndices                          a fold split from fold labels (folds.c)
 *   pageSize, MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
 *   MADV_POPULATE_WRITE, MADV_HUGEPAGE (where the system headers define it: Linux)
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "folds.h"
#include "napi-helpers.h"
#include "rows.h"

/* Linux 5.14+ (older kernels answer EINVAL): fault a range's pages in writable in one call. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Pages per mincore call: a fixed vector instead of one byte per page of a whole window. */
#define MINCORE_CHUNK_PAGES 65536

/*
 * A private read-only mapping every thread of the process shares: the same file (device and
 * inode), offset and length map once, however many threads (a search's workers, the thread that
 * opened the array) ask. Each mapping pays its page-table faults on first touch (~0.6 ms per MB
 * on this project's VMs, again for every mapping of the same pages), so sharing pays them once.
 */
typedef struct SharedMap {
  dev_t dev;
  ino_t ino;
  int64_t offset;
  size_t length;
  void* addr;
  int refs;
  struct SharedMap* next;
} SharedMap;

static SharedMap* shared_maps = NULL;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  void* addr;
  size_t length;
  /* The shared entry this view holds a reference to, or NULL for a mapping of its own. */
  SharedMap* shared;
} Mapping;

static size_t page_size(void) {
  return (size_t)sysconf(_SC_PAGESIZE);
}

static napi_value throw_errno(napi_env env, const char* what, int err) {
  char message[256];
  snprintf(message, sizeof message, "%s failed: %s", what, strerror(err));
  char code[32];
  snprintf(code, sizeof code, "E%d", err);
  napi_throw_error(env, code, message);
  return NULL;
}

/* A non-negative integer argument below 2^53 (what a JavaScript number holds exactly). */
static int get_size(napi_env env, napi_value value, const char* name, int64_t* out) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok || !(d >= 0) || d > 9007199254740991.0 || d != (double)(int64_t)d) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a non-negative integer", name);
    throw_range(env, message);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

/*
 * The call's arguments into argv (room for `room`), their count in *argc; 0 after throwing `usage`
 * as a RangeError when fewer than `want` were given.
 */
static int get_args(napi_env env, napi_callback_info info, size_t want, size_t room, napi_value* argv, size_t* argc, const char* usage) {
  *argc = room;
  napi_get_cb_info(env, info, argc, argv, NULL, NULL);
  if (*argc >= want) return 1;
  throw_range(env, usage);
  return 0;
}

/* The bytes behind an ArrayBuffer argument; 0 after throwing `message` as a RangeError when it is not one. */
static int get_buffer(napi_env env, napi_value value, const char* message, void** data, size_t* byte_length) {
  if (napi_get_arraybuffer_info(env, value, data, byte_length) == napi_ok) return 1;
  throw_range(env, message);
  return 0;
}

static void unmap_finalizer(napi_env env, void* data, void* hint) {
  (void)env;
  (void)data;
  Mapping* m = (Mapping*)hint;
  if (m->shared == NULL) {
    munmap(m->addr, m->length);
  } else {
    pthread_mutex_lock(&shared_lock);
    SharedMap* s = m->shared;
    if (--s->refs == 0) {
      SharedMap** at = &shared_maps;
      while (*at != s) at = &(*at)->next;
      *at = s->next;
      munmap(s->addr, s->length);
      free(s);
    }
    pthread_mutex_unlock(&shared_lock);
  }
  free(m);
}

/* The shared private mapping of (fd's file, offset, length), made on first use; NULL (errno set) on failure. Takes a reference. */
static SharedMap* shared_map(int fd, int64_t offset, size_t length) {
  struct stat st;
  if (fstat(fd, &st) != 0) return NULL;
  pthread_mutex_lock(&shared_lock);
  SharedMap* s = shared_maps;
  while (s != NULL && !(s->dev == st.st_dev && s->ino == st.st_ino && s->offset == offset && s->length == length)) s = s->next;
  if (s == NULL) {
    void* addr = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)offset);
    s = addr == MAP_FAILED ? NULL : (SharedMap*)malloc(sizeof(SharedMap));
    if (s == NULL) {
      int err = addr == MAP_FAILED ? errno : ENOMEM;
      if (addr != MAP_FAILED) munmap(addr, length);
      pthread_mutex_unlock(&shared_lock);
      errno = err;
      return NULL;
    }
    *s = (SharedMap){ st.st_dev, st.st_ino, offset, length, addr, 0, shared_maps };
    shared_maps = s;
  }
  s->refs++;
  pthread_mutex_unlock(&shared_lock);
  return s;
}

/* Drops a view's hold on its mapping (as the finalizer would) when no ArrayBuffer could be made for it. */
static void release_view(Mapping* m) {
  unmap_finalizer(NULL, NULL, m);
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[5];
  if (!get_args(env, info, 4, 5, argv, &argc, "map(fd, offset, length, shared[, reuse]) takes 4 or 5 arguments")) return NULL;
  int32_t fd;
  int64_t offset, length;
  bool shared, reuse = false;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return throw_range(env, "fd must be a file descriptor");
  if (!get_size(env, argv[1], "offset", &offset) || !get_size(env, argv[2], "length", &length)) return NULL;
  if (napi_get_value_bool(env, argv[3], &shared) != napi_ok) return throw_range(env, "shared must be a boolean");
  if (argc >= 5 && napi_get_value_bool(env, argv[4], &reuse) != napi_ok) return throw_range(env, "reuse must be a boolean");
  if (length == 0) return throw_range(env, "length must be positive");
  if ((size_t)offset % page_size() != 0) return throw_range(env, "offset must be a multiple of the page size");
  if (reuse && shared) return throw_range(env, "only a private mapping can be reused");
  Mapping* m = (Mapping*)malloc(sizeof(Mapping));
  if (m == NULL) return throw_errno(env, "malloc", ENOMEM);
  m->length = (size_t)length;
  m->shared = NULL;
  if (reuse) {
    m->shared = shared_map(fd, offset, (size_t)length);
    if (m->shared == NULL) {
      int err = errno;
      free(m);
      return throw_errno(env, "mmap", err);
    }
    m->addr = m->shared->addr;
  } else {
    /* Always PROT_WRITE: a private ('r', 'c') mapping takes stray writes as copy-on-write pages
       instead of a segfault; only shared mappings need the descriptor opened for writing. */
    m->addr = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, (off_t)offset);
    if (m->addr == MAP_FAILED) {
      int err = errno;
      free(m);
      return throw_errno(env, "mmap", err);
    }
  }
  napi_value result;
  if (napi_create_external_arraybuffer(env, m->addr, (size_t)length, unmap_finalizer, m, &result) != napi_ok) {
    release_view(m);
    return NULL;
  }
  return result;
}

/* The mapping behind `value` and the page-aligned span covering [offset, offset + length). */
static int covering_span(napi_env env, napi_value value, napi_value off_v, napi_value len_v, char** start, size_t* span) {
  void* data;
  size_t byte_length;
  if (!get_buffer(env, value, "buffer must be an ArrayBuffer", &data, &byte_length)) return 0;
  int64_t offset, length;
  if (!get_size(env, off_v, "offset", &offset) || !get_size(env, len_v, "length", &length)) return 0;
  if ((uint64_t)offset + (uint64_t)length > byte_length) {
    throw_range(env, "offset + length is past the end of the mapping");
    return 0;
  }
  size_t page = page_size();
  size_t first = (size_t)offset - (size_t)offset % page;
  *start = (char*)data + first;
  *span = (size_t)offset + (size_t)length - first;
  return 1;
}

static napi_value sync_range(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[3];
  if (!get_args(env, info, 3, 3, argv, &argc, "sync(buffer, offset, length) takes 3 arguments")) return NULL;
  char* start;
  size_t span;
  if (!covering_span(env, argv[0], argv[1], argv[2], &start, &span)) return NULL;
  if (span > 0 && msync(start, span, MS_SYNC) != 0) return throw_errno(env, "msync", errno);
  return NULL;
}

static napi_value advise_range(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[4];
  if (!get_args(env, info, 4, 4, argv, &argc, "advise(buffer, offset, length, advice) takes 4 arguments")) return NULL;
  char* start;
  size_t span;
  int32_t advice;
  if (!covering_span(env, argv[0], argv[1], argv[2], &start, &span)) return NULL;
  if (napi_get_value_int32(env, argv[3], &advice) != napi_ok) return throw_range(env, "advice must be one of the MADV_ constants");
  if (span > 0 && madvise(start, span, advice) != 0) return throw_errno(env, "madvise", errno);
  return NULL;
}

static napi_value resident_bytes(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[3];
  if (!get_args(env, info, 3, 3, argv, &argc, "residentBytes(buffer, from, to) takes 3 arguments")) return NULL;
  void* data;
  size_t byte_length;
  if (!get_buffer(env, argv[0], "buffer must be an ArrayBuffer returned by map()", &data, &byte_length)) return NULL;
  int64_t from, to;
  if (!get_size(env, argv[1], "from", &from) || !get_size(env, argv[2], "to", &to)) return NULL;
  if (to < from || (uint64_t)to > byte_length) return throw_range(env, "from..to must lie inside the mapping");
  size_t page = page_size();
  unsigned char vec[MINCORE_CHUNK_PAGES];
  uint64_t total = 0;
  size_t first_page = (size_t)from / page;
  size_t end_page = ((size_t)to + page - 1) / page;
  for (size_t p = first_page; p < end_page; p += MINCORE_CHUNK_PAGES) {
    size_t n = end_page - p < MINCORE_CHUNK_PAGES ? end_page - p : MINCORE_CHUNK_PAGES;
    if (mincore((char*)data + p * page, n * page, (void*)vec) != 0) return throw_errno(env, "mincore", errno);
    for (size_t k = 0; k < n; k++) {
      if (!(vec[k] & 1)) continue;
      /* Only the part of the page inside [from, to): the first and last pages may be partial. */
      size_t lo = (p + k) * page, hi = lo + page;
      if (lo < (size_t)from) lo = (size_t)from;
      if (hi > (size_t)to) hi = (size_t)to;
      total += hi - lo;
    }
  }
  napi_value result;
  napi_create_double(env, (double)total, &result);
  return result;
}

/*
 * Index of the first NaN or ±Infinity among `count` floats of `item` bytes (8 or 4) at `data`, or -1.
 * A value is not finite when all its exponent bits are set: adding one to the exponent field
 * then carries into the sign bit. OR-ing those sums over a block asks that of every value at
 * once, with integer operations the compiler vectorises; only a block whose OR has the bit set
 * is looked at value by value.
 */
#define FINITE_BLOCK 4096
/* first_non_finite64 over uint64_t, first_non_finite32 over uint32_t: one body for both widths. */
#define DEFINE_FIRST_NON_FINITE(name, T, EXP, ONE, SIGN)                   \
  static int64_t name(const T* v, int64_t count) {                         \
    for (int64_t from = 0; from < count; from += FINITE_BLOCK) {           \
      int64_t to = from + FINITE_BLOCK < count ? from + FINITE_BLOCK : count; \
      T acc = 0;                                                           \
      for (int64_t i = from; i < to; i++) acc |= (T)((v[i] & (EXP)) + (ONE)); \
      if (!(acc & (SIGN))) continue;                                       \
      for (int64_t i = from; i < to; i++) if ((v[i] & (EXP)) == (EXP)) return i; \
    }                                                                      \
    return -1;                                                             \
  }
DEFINE_FIRST_NON_FINITE(first_non_finite64, uint64_t, 0x7FF0000000000000ULL, 0x0010000000000000ULL, 0x8000000000000000ULL)
DEFINE_FIRST_NON_FINITE(first_non_finite32, uint32_t, 0x7F800000U, 0x00800000U, 0x80000000U)

static napi_value first_non_finite(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[4];
  if (!get_args(env, info, 4, 4, argv, &argc, "firstNonFinite(buffer, byteOffset, count, itemBytes) takes 4 arguments")) return NULL;
  void* data;
  size_t byte_length;
  if (!get_buffer(env, argv[0], "buffer must be an ArrayBuffer", &data, &byte_length)) return NULL;
  int64_t offset, count, item;
  if (!get_size(env, argv[1], "byteOffset", &offset) || !get_size(env, argv[2], "count", &count) || !get_size(env, argv[3], "itemBytes", &item)) return NULL;
  if (item != 8 && item != 4) return throw_range(env, "itemBytes must be 8 or 4");
  if (offset % item != 0) return throw_range(env, "byteOffset must be a multiple of itemBytes");
  if ((uint64_t)offset + (uint64_t)count * (uint64_t)item > byte_length) return throw_range(env, "byteOffset + count values is past the end of the buffer");
  const char* at = (const char*)data + offset;
  int64_t found = item == 8 ? first_non_finite64((const uint64_t*)at, count) : first_non_finite32((const uint32_t*)at, count);
  napi_value result;
  napi_create_double(env, (double)found, &result);
  return result;
}

static void set_int(napi_env env, napi_value exports, const char* name, int64_t value) {
  napi_value v;
  napi_create_double(env, (double)value, &v);
  napi_set_named_property(env, exports, name, v);
}

static napi_value init(napi_env env, napi_value exports) {
  set_function(env, exports, "map", map_file);
  set_function(env, exports, "sync", sync_range);
  set_function(env, exports, "advise", advise_range);
  set_function(env, exports, "residentBytes", resident_bytes);
  set_function(env, exports, "firstNonFinite", first_non_finite);
  register_row_kernels(env, exports);
  register_fold_kernels(env, exports);
  set_int(env, exports, "pageSize", (int64_t)page_size());
  set_int(env, exports, "MADV_NORMAL", MADV_NORMAL);
  set_int(env, exports, "MADV_RANDOM", MADV_RANDOM);
  set_int(env, exports, "MADV_SEQUENTIAL", MADV_SEQUENTIAL);
  set_int(env, exports, "MADV_WILLNEED", MADV_WILLNEED);
  set_int(env, exports, "MADV_DONTNEED", MADV_DONTNEED);
  set_int(env, exports, "MADV_POPULATE_WRITE", MADV_POPULATE_WRITE);
#ifdef MADV_HUGEPAGE
  set_int(env, exports, "MADV_HUGEPAGE", MADV_HUGEPAGE);
#endif
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
