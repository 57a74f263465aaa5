/**
 * The WebAssembly SIMD (f64x2) functions of memgrid's Gram kernel, emitted with wasm/asm.ts at
 * run time. Each emitter's doc comment carries the function as WAT text, written by hand to
 * mirror the emitted instructions one for one (the binary is what runs; the listing is for
 * reading). wasm/kernel.ts instantiates the module and lays out its memory.
 */
import { Fn, I32, moduleBytes, V128 } from './asm.js';

/**
 * `gram(g, l, z, n, dp, full)`: for 4×4 tiles (j, k) with k ≥ j (every k when full ≠ 0),
 * G[j+r][k+c] += Σ_{u<n} L[u][j+r] · Z[u][k+c]. G is dp×dp row-major at byte g; L and Z are
 * n×dp row-major at bytes l and z; dp is a multiple of 4. L = Z gives G += ZᵀZ.
 *
 * A register-blocked GEMM micro-kernel: a 4×4 tile of G (eight f64x2 accumulators) stays in
 * registers over all n rows; per row two vector loads of Z (columns k..k+3), four splat loads
 * of L (columns j..j+3), eight f64x2 multiplies and eight adds. Accumulators start at 0 and
 * are added to G after the block, so each entry's rounding chain is n/B + B long, not n.
 *
 * ```wat
 * (func $gram (param $g i32) (param $l i32) (param $z i32) (param $n i32) (param $dp i32) (param $full i32)
 *   (local $stride $j $k $pa $pb $u $gr0 $gr1 $gr2 $gr3 i32)
 *   (local $acc0 $acc1 $acc2 $acc3 $acc4 $acc5 $acc6 $acc7 $b0 $b1 $s v128)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))          ;; bytes per row
 *   (local.set $j (i32.const 0))
 *   (loop $tile_rows
 *     (local.set $k (if (result i32) (local.get $full) (then (i32.const 0)) (else (local.get $j))))
 *     (loop $tile_cols
 *       ;; $gr0 = &G[j][k]; $gr1..$gr3 = the next three rows of the tile
 *       (local.set $gr0 (i32.add (local.get $g)
 *         (i32.shl (i32.add (i32.mul (local.get $j) (local.get $dp)) (local.get $k)) (i32.const 3))))
 *       (local.set $gr1 (i32.add (local.get $gr0) (local.get $stride)))  ;; likewise $gr2, $gr3
 *       (local.set $acc0 (v128.const i64x2 0 0))                         ;; likewise $acc1..$acc7
 *       (local.set $pa (i32.add (local.get $l) (i32.shl (local.get $j) (i32.const 3))))
 *       (local.set $pb (i32.add (local.get $z) (i32.shl (local.get $k) (i32.const 3))))
 *       (local.set $u (local.get $n))
 *       (loop $block_rows
 *         (local.set $b0 (v128.load (local.get $pb)))                    ;; Z[u][k..k+1]
 *         (local.set $b1 (v128.load offset=16 (local.get $pb)))          ;; Z[u][k+2..k+3]
 *         ;; for r = 0..3 (offset = 8r):
 *         (local.set $s (v128.load64_splat offset=0 (local.get $pa)))    ;; L[u][j+r], twice
 *         (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $s) (local.get $b0))))
 *         (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $s) (local.get $b1))))
 *         ;; ... $acc2r, $acc2r+1 for r = 1..3
 *         (local.set $pa (i32.add (local.get $pa) (local.get $stride)))
 *         (local.set $pb (i32.add (local.get $pb) (local.get $stride)))
 *         (br_if $block_rows (local.tee $u (i32.sub (local.get $u) (i32.const 1)))))
 *       ;; for r = 0..3, c = 0..1: G[j+r][k+2c..k+2c+1] += $acc(2r+c)
 *       (v128.store offset=0 (local.get $gr0)
 *         (f64x2.add (v128.load offset=0 (local.get $gr0)) (local.get $acc0)))
 *       (local.set $k (i32.add (local.get $k) (i32.const 4)))
 *       (br_if $tile_cols (i32.lt_u (local.get $k) (local.get $dp))))
 *     (local.set $j (i32.add (local.get $j) (i32.const 4)))
 *     (br_if $tile_rows (i32.lt_u (local.get $j) (local.get $dp)))))
 * ```
 */
function emitGram(): Fn {
  const f = new Fn(6);
  const [g, l, z, n, dp, full] = [0, 1, 2, 3, 4, 5];
  const stride = f.local(I32), j = f.local(I32), k = f.local(I32), pa = f.local(I32);
  const pb = f.local(I32), u = f.local(I32);
  const gr = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const acc: number[] = [];
  for (let i = 0; i < 8; i++) acc.push(f.local(V128));
  const b0 = f.local(V128), b1 = f.local(V128), s = f.local(V128);

  f.get(n).eqz().if().ret().end();
  f.get(dp).i32(3).shl().set(stride);
  f.i32(0).set(j);
  f.loop(); // $tile_rows
  {
    f.get(full).ifI32().i32(0).else().get(j).end().set(k);
    f.loop(); // $tile_cols
    {
      f.get(g).get(j).get(dp).mul().get(k).add().i32(3).shl().add().set(gr[0]!);
      for (let r = 1; r < 4; r++) f.get(gr[r - 1]!).get(stride).add().set(gr[r]!);
      for (let i = 0; i < 8; i++) f.vzero().set(acc[i]!);
      f.get(l).get(j).i32(3).shl().add().set(pa);
      f.get(z).get(k).i32(3).shl().add().set(pb);
      f.get(n).set(u);
      f.loop(); // $block_rows (n ≥ 1)
      {
        f.get(pb).vload(0).set(b0);
        f.get(pb).vload(16).set(b1);
        for (let r = 0; r < 4; r++) {
          f.get(pa).splat64(8 * r).set(s);
          f.get(acc[2 * r]!).get(s).get(b0).fmul().fadd().set(acc[2 * r]!);
          f.get(acc[2 * r + 1]!).get(s).get(b1).fmul().fadd().set(acc[2 * r + 1]!);
        }
        f.incBy(pa, stride).incBy(pb, stride);
        f.get(u).i32(1).sub().tee(u).brIf(0);
      }
      f.end();
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 2; c++) {
          f.get(gr[r]!).get(gr[r]!).vload(16 * c).get(acc[2 * r + c]!).fadd().vstore(16 * c);
        }
      }
      f.inc(k, 4).get(k).get(dp).ltU().brIf(0);
    }
    f.end();
    f.inc(j, 4).get(j).get(dp).ltU().brIf(0);
  }
  f.end();
  return f;
}

/**
 * `scale(l, z, w, n, dp)`: L[u][·] = w[u] · Z[u][·] for u < n (dp even), two columns at a time:
 * the weighted rows the Newton sweeps' Hessian `gram(G, L, Z, …)` multiplies.
 *
 * ```wat
 * (func $scale (param $l i32) (param $z i32) (param $w i32) (param $n i32) (param $dp i32)
 *   (local $end i32) (local $s v128)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (loop $rows
 *     (local.set $s (v128.load64_splat (local.get $w)))                  ;; w[u], twice
 *     (local.set $end (i32.add (local.get $z) (i32.shl (local.get $dp) (i32.const 3))))
 *     (loop $cols
 *       (v128.store (local.get $l) (f64x2.mul (v128.load (local.get $z)) (local.get $s)))
 *       (local.set $l (i32.add (local.get $l) (i32.const 16)))
 *       (local.set $z (i32.add (local.get $z) (i32.const 16)))
 *       (br_if $cols (i32.lt_u (local.get $z) (local.get $end))))
 *     (local.set $w (i32.add (local.get $w) (i32.const 8)))
 *     (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
 * ```
 */
function emitScale(): Fn {
  const f = new Fn(5);
  const [l, z, w, n, dp] = [0, 1, 2, 3, 4];
  const end = f.local(I32), s = f.local(V128);
  f.get(n).eqz().if().ret().end();
  f.loop(); // $rows
  {
    f.get(w).splat64(0).set(s);
    f.get(z).get(dp).i32(3).shl().add().set(end);
    f.loop(); // $cols
    {
      f.get(l).get(z).vload(0).get(s).fmul().vstore(0);
      f.inc(l, 16).inc(z, 16);
      f.get(z).get(end).ltU().brIf(0);
    }
    f.end();
    f.inc(w, 8);
    f.get(n).i32(1).sub().tee(n).brIf(0);
  }
  f.end();
  return f;
}

/**
 * The Gram module's bytes: imports `env.mem`, exports `gram` and `scale`.
 * @example
 * ```ts
 * new WebAssembly.Module(gramModuleBytes());
 * ```
 */
export function gramModuleBytes(): Uint8Array {
  return moduleBytes([['gram', emitGram()], ['scale', emitScale()]]);
}
