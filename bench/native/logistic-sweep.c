/*
 * Probe code (not part of memgrid; bench/native/pass-floor.c runs it): the binary logistic sweep
 * (loss, gradient and optionally the Hessian of log-loss over chosen rows) in native code: the
 * same per-row formulas as src/models/kernels/logistic-math.ts and fast-math.ts, on rows staged
 * 32 at a time as [x - shift, 1] padded with zeros to a multiple of 8 columns, so every loop below
 * runs over whole groups of 8 doubles that the compiler turns into vector instructions. Each
 * group keeps its own 8 partial sums (one per lane), added in a fixed order at the end: the
 * compiler never has to reassociate a sum to vectorise it.
 *
 * The question it answers: would a native kernel (AVX-512 with FMA, built with -march=native)
 * make memgrid's binary passes faster than its wasm kernel (f64x2, no FMA)? BENCHMARKS.md has
 * the answer (stop 33): the gradient pass is not once two threads run (both are then bound by
 * reading the rows), the Hessian pass is (2.1-2.4x). Rows are read 8 ahead with a prefetch (2 to
 * 16 measured; a prefetch sped the pass up by up to ~20%).
 */
#include "logistic-sweep.h"

#include <math.h>
#include <string.h>

#define LANES 8
#ifndef PREFETCH_ROWS
#define PREFETCH_ROWS 8
#endif

#define INLINE static inline __attribute__((always_inline))

/* Columns of a staged row: d + 1 rounded up to a multiple of 8. */
static size_t padded(size_t d) { return (d + 1 + LANES - 1) / LANES * LANES; }

size_t sweep_scratch_doubles(size_t d) {
  size_t p = padded(d);
  /* staged rows, scaled rows, coefficients, gradient, Hessian, three per-row values */
  return 2 * SWEEP_BLOCK * p + 2 * p + p * p + 3 * SWEEP_BLOCK;
}

/* e^x for x <= 0 as fast-math.ts's fastExp (table of 32 steps, Taylor to r^6); 0 below -708, as the wasm sweeps give. */
INLINE double exp_nonpositive(double x, const sweep_tables* T) {
  if (!(x > -708.0)) return 0.0;
  const double rounder = 6755399441055744.0;
  const double inv_ln2_32 = 32.0 / 0.6931471805599453;
  double m = x * inv_ln2_32 + rounder - rounder;
  double r = x - m * (6.93147180369123816490e-1 / 32) - m * (1.90821492927058770002e-10 / 32);
  int64_t mi = (int64_t)m;
  double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))));
  union { double d; int64_t i; } two;
  two.i = (int64_t)((mi >> 5) + 1023) << 52;
  return two.d * (T->step_powers[mi & 31] * p);
}

/* log(1 + e) for e in [0, 1] as fast-math.ts's log1pUnit. */
INLINE double log1p_unit(double e, const sweep_tables* T) {
  int i = (int)(e * 256);
  double f = (e - i / 256.0) * T->node_inverses[i];
  double f2 = f * f;
  double s = f - f2 * (1.0 / 2 - f * (1.0 / 3)) - f2 * f2 * (1.0 / 4 - f * (1.0 / 5) + f2 * (1.0 / 6));
  return T->log_nodes[i] + s;
}

/* Copies m chosen rows from `first` into xs as x - shift (columns d.. keep their 1 and zeros),
 * asking for the row PREFETCH_ROWS ahead as it goes. */
INLINE void stage_rows(const sweep_rows* in, size_t first, size_t m, size_t p, double* xs) {
  const size_t d = in->d, width = in->is_f32 ? sizeof(float) : sizeof(double);
  for (size_t u = 0; u < m; u++) {
    const size_t r = first + u;
    if (r + PREFETCH_ROWS < in->n) {
      size_t ahead = in->rows ? (size_t)in->rows[r + PREFETCH_ROWS] : r + PREFETCH_ROWS;
      const char* q = (const char*)in->data + ahead * d * width;
      for (size_t b = 0; b < d * width; b += 64) __builtin_prefetch(q + b);
    }
    const size_t i = in->rows ? (size_t)in->rows[r] : r;
    double* dst = xs + u * p;
    if (in->is_f32) {
      const float* src = (const float*)in->data + i * d;
      for (size_t j = 0; j < d; j++) dst[j] = (double)src[j] - (in->shift ? in->shift[j] : 0.0);
    } else if (in->shift) {
      const double* src = (const double*)in->data + i * d;
      for (size_t j = 0; j < d; j++) dst[j] = src[j] - in->shift[j];
    } else {
      memcpy(dst, (const double*)in->data + i * d, d * sizeof(double));
    }
  }
}

/* Eight doubles as one value: GCC lowers its arithmetic to one AVX-512 register, two AVX2 or four SSE2 ones. */
typedef double v8d __attribute__((vector_size(64), aligned(64)));

/* The group of 8 at p (64-byte aligned: every staged row, w, g and H row starts at a multiple of 8 doubles). */
#define AT(p) (*(v8d*)(p))
#define AT_CONST(p) (*(const v8d*)(p))

/* Lane sums of a group of 8 in a fixed order. */
INLINE double lane_sum(v8d a) {
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* z[u] = xs_u . w for m staged rows, four rows at a time sharing each load of w. */
INLINE void margins(const double* xs, size_t m, size_t p, const double* w, double* z) {
  size_t u = 0;
  for (; u + 4 <= m; u += 4) {
    v8d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    const double *x0 = xs + u * p, *x1 = x0 + p, *x2 = x1 + p, *x3 = x2 + p;
    for (size_t j = 0; j < p; j += LANES) {
      const v8d wj = AT_CONST(w + j);
      a0 += AT_CONST(x0 + j) * wj;
      a1 += AT_CONST(x1 + j) * wj;
      a2 += AT_CONST(x2 + j) * wj;
      a3 += AT_CONST(x3 + j) * wj;
    }
    z[u] = lane_sum(a0);
    z[u + 1] = lane_sum(a1);
    z[u + 2] = lane_sum(a2);
    z[u + 3] = lane_sum(a3);
  }
  for (; u < m; u++) {
    v8d a = {0};
    const double* x = xs + u * p;
    for (size_t j = 0; j < p; j += LANES) a += AT_CONST(x + j) * AT_CONST(w + j);
    z[u] = lane_sum(a);
  }
}

/* acc += sum_u c[u] * xs_u over m staged rows (a gradient), two groups of 8 at a time. */
INLINE void add_weighted_rows(const double* xs, size_t m, size_t p, const double* c, double* acc) {
  size_t j = 0;
  for (; j + 2 * LANES <= p; j += 2 * LANES) {
    v8d a = AT(acc + j), b = AT(acc + j + LANES);
    for (size_t u = 0; u < m; u++) {
      const double* x = xs + u * p + j;
      a += c[u] * AT_CONST(x);
      b += c[u] * AT_CONST(x + LANES);
    }
    AT(acc + j) = a;
    AT(acc + j + LANES) = b;
  }
  for (; j < p; j += LANES) {
    v8d a = AT(acc + j);
    for (size_t u = 0; u < m; u++) a += c[u] * AT_CONST(xs + u * p + j);
    AT(acc + j) = a;
  }
}

/*
 * H += sum_u vx_u xs_u^T over m staged rows, for H's rows i < D and, in each, the groups of 8 from
 * the one holding the diagonal on (entries left of the diagonal in that group are summed too and
 * never read): four rows of H at a time, each load of a staged row serving all four.
 */
INLINE void add_hessian_block(const double* xs, const double* vx, size_t m, size_t p, size_t D, double* H) {
  for (size_t i = 0; i < D; i += 4) {
    for (size_t j = i / LANES * LANES; j < p; j += LANES) {
      double *h0 = H + i * p + j, *h1 = h0 + p, *h2 = h1 + p, *h3 = h2 + p;
      v8d a0 = AT(h0), a1 = AT(h1), a2 = AT(h2), a3 = AT(h3);
      for (size_t u = 0; u < m; u++) {
        const v8d x = AT_CONST(xs + u * p + j);
        const double* v = vx + u * p + i;
        a0 += v[0] * x;
        a1 += v[1] * x;
        a2 += v[2] * x;
        a3 += v[3] * x;
      }
      AT(h0) = a0; AT(h1) = a1; AT(h2) = a2; AT(h3) = a3;
    }
  }
}

double logistic_sweep(const sweep_rows* in, const sweep_tables* T, const double* coef,
                      double* grad, double* hess, double* scratch) {
  const size_t d = in->d, D = d + 1, p = padded(d);
  double* xs = scratch;
  double* vx = xs + SWEEP_BLOCK * p;
  double* w = vx + SWEEP_BLOCK * p;
  double* g = w + p;
  double* H = g + p;
  double* z = H + p * p;
  double* res = z + SWEEP_BLOCK;
  double* curv = res + SWEEP_BLOCK;
  memset(xs, 0, 2 * SWEEP_BLOCK * p * sizeof(double));
  for (size_t u = 0; u < SWEEP_BLOCK; u++) xs[u * p + d] = 1.0;
  memset(w, 0, p * sizeof(double));
  memcpy(w, coef, D * sizeof(double));
  memset(g, 0, p * sizeof(double));
  if (hess) memset(H, 0, p * p * sizeof(double));
  double loss = 0;
  for (size_t first = 0; first < in->n; first += SWEEP_BLOCK) {
    const size_t m = in->n - first < SWEEP_BLOCK ? in->n - first : SWEEP_BLOCK;
    stage_rows(in, first, m, p, xs);
    margins(xs, m, p, w, z);
    for (size_t u = 0; u < m; u++) {
      const size_t i = in->rows ? (size_t)in->rows[first + u] : first + u;
      const double s = z[u], t = in->target[i], om = in->weight ? in->weight[i] : 1.0;
      const double e = exp_nonpositive(-fabs(s), T);
      const double r = (s >= 0 ? 1 / (1 + e) : e / (1 + e)) - t;
      loss += om * ((s > 0 ? s : 0) - t * s + log1p_unit(e, T));
      const double prob = r + t;
      res[u] = om * r;
      curv[u] = om * prob * (1 - prob);
    }
    add_weighted_rows(xs, m, p, res, g);
    if (hess) {
      for (size_t u = 0; u < m; u++) for (size_t j = 0; j < p; j++) vx[u * p + j] = curv[u] * xs[u * p + j];
      add_hessian_block(xs, vx, m, p, D, H);
    }
  }
  for (size_t j = 0; j < D; j++) grad[j] += g[j];
  if (hess) for (size_t i = 0; i < D; i++) for (size_t j = i; j < D; j++) hess[i * D + j] += H[i * p + j];
  return loss;
}
