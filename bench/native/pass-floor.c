/*
 * Probe (not a test): one binary logistic pass in native code (logistic-sweep.c beside it) on
 * random rows of a given shape, to compare with memgrid's wasm pass on the same shape
 * (bench/pass-probe.ts). Rows: every row not a multiple of 5 (fold 0's 4/5; `contiguous`: the
 * first 4/5 instead), target 0/1; X stored as float64, or float32 read into float64 arithmetic.
 *
 *   gcc -O3 -march=native -o /tmp/pass-floor bench/native/pass-floor.c bench/native/logistic-sweep.c -lm
 *   /tmp/pass-floor ROWS COLS [f64|f32] [contiguous]     (two at once: run it twice with &)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "logistic-sweep.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median_ms(int count, const sweep_rows* in, const sweep_tables* T, const double* coef,
                        double* grad, double* hess, double* scratch) {
  double times[64];
  for (int k = 0; k < count; k++) {
    double t0 = now_ms();
    logistic_sweep(in, T, coef, grad, hess, scratch);
    times[k] = now_ms() - t0;
  }
  qsort(times, count, sizeof(double), by_value);
  return times[count / 2];
}

int main(int argc, char** argv) {
  if (argc < 3) { fprintf(stderr, "usage: pass-floor ROWS COLS [f64|f32] [contiguous]\n"); return 2; }
  size_t N = (size_t)atol(argv[1]), d = (size_t)atol(argv[2]);
  int f32 = argc > 3 && strcmp(argv[3], "f32") == 0;
  sweep_tables T;
  for (int j = 0; j < 32; j++) T.step_powers[j] = pow(2, j / 32.0);
  for (int i = 0; i <= 256; i++) { T.log_nodes[i] = log1p(i / 256.0); T.node_inverses[i] = 1 / (1 + i / 256.0); }
  void* X = malloc(N * d * (f32 ? 4 : 8));
  srand(1);
  for (size_t i = 0; i < N * d; i++) {
    double v = rand() / (double)RAND_MAX - 0.5;
    if (f32) ((float*)X)[i] = (float)v; else ((double*)X)[i] = v;
  }
  int32_t* rows = malloc(N * sizeof(int32_t));
  size_t n = 0;
  for (size_t i = 0; i < N; i++) if (i % 5 != 0) rows[n++] = (int32_t)i;
  double* target = malloc(N * sizeof(double));
  for (size_t i = 0; i < N; i++) target[i] = rand() % 2;
  double *shift = calloc(d, 8), *coef = malloc((d + 1) * 8), *grad = calloc(d + 1, 8), *hess = calloc((d + 1) * (d + 1), 8);
  for (size_t j = 0; j <= d; j++) coef[j] = 0.01 * ((int)(j % 7) - 3);
  double* scratch = aligned_alloc(64, (sweep_scratch_doubles(d) * 8 + 63) / 64 * 64);
  int contiguous = argc > 4 && strcmp(argv[4], "contiguous") == 0;
  sweep_rows in = { X, f32, d, contiguous ? NULL : rows, n, shift, NULL, target };
  logistic_sweep(&in, &T, coef, grad, NULL, scratch);
  double gms = median_ms(41, &in, &T, coef, grad, NULL, scratch);
  double hms = median_ms(9, &in, &T, coef, grad, hess, scratch);
  double bytes = (double)n * d * (f32 ? 4 : 8);
  printf("%zu x %zu rows %s: gradient pass %.2f ms (%.1f GB/s), Hessian pass %.2f ms\n", n, d, f32 ? "float32" : "float64", gms, bytes / gms / 1e6, hms);
  return 0;
}
