/*
 * The binary logistic sweep in native code (logistic-sweep.c), a probe's (pass-floor.c).
 */
#ifndef MEMGRID_LOGISTIC_SWEEP_H
#define MEMGRID_LOGISTIC_SWEEP_H

#include <stddef.h>
#include <stdint.h>

/* The tables of src/models/kernels/fast-math.ts (the probe computes them with libm, which may
 * differ from V8's in the last bit: immaterial to a timing). */
typedef struct {
  double step_powers[32];   /* 2^(j/32) */
  double log_nodes[257];    /* log1p(i/256) */
  double node_inverses[257];/* 1/(1 + i/256) */
} sweep_tables;

/* Rows staged per block: [x - shift, 1] padded with zeros to a multiple of 8 columns. */
#define SWEEP_BLOCK 32

/* Scratch a sweep over d columns needs, in doubles (64-byte aligned by the caller). */
size_t sweep_scratch_doubles(size_t d);

/* The rows a sweep reads: X (row-major, float64 or float32) and which of its rows. */
typedef struct {
  const void* data;
  int is_f32;
  size_t d;           /* columns */
  const int32_t* rows;/* chosen rows, or NULL for rows 0..n-1 */
  size_t n;           /* chosen rows */
  const double* shift;  /* d values or NULL */
  const double* weight; /* by row id, or NULL */
  const double* target; /* by row id, 0 or 1 */
} sweep_rows;

/*
 * Binary log-loss over the chosen rows at coef ([w, b], d + 1 values): returns the summed loss,
 * adds the gradient into grad (d + 1) and, when hess is not NULL, the Hessian's upper triangle into
 * hess ((d + 1) x (d + 1), row-major). scratch: sweep_scratch_doubles(d), 64-byte aligned.
 */
double logistic_sweep(const sweep_rows* in, const sweep_tables* tables, const double* coef,
                      double* grad, double* hess, double* scratch);

#endif
