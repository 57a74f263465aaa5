/**
 * The WebAssembly SIMD (f64x2) functions of memgrid's Gram kernel, emitted with wasm/asm.ts at
 * run time. Each emitter's doc comment carries the function as WAT text, written by hand to
 * mirror the emitted instructions one for one (the binary is what runs; the listing is for
 * reading). wasm/kernel.ts instantiates the module and lays out its memory.
 */
import { emitBinaryScores, emitLogs } from './binary-scores-module.js';
import { F64, Fn, I32, moduleBytes, V128 } from './asm.js';
import { emitExpand, emitExpandMoments } from './expand-module.js';
import { emitSoftmax } from './softmax-module.js';
import { emitLogit } from './logit-module.js';
import { emitTrsv } from './trsv-module.js';
import { emitMargins, emitTranspose } from './margins-module.js';
import { emitReflect, emitTridiagonalStep } from './tridiagonal-module.js';
import { emitGramSingle, emitNarrow } from './single-gram-module.js';

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
 * `affine(z, w, out, n, dp, k)`: out[u·k + c] = Σ_j Z[u][j]·W[c][j] for u < n, c < k: the k
 * linear outputs (margins) of n rows, Z n×dp and W k×dp row-major, dp a multiple of 4. Two f64x2
 * accumulators per dot product, summed across lanes at the end; the code runs two outputs a pass
 * on the same row loads while two remain, the sketch below shows one.
 *
 * ```wat
 * (func $affine (param $z i32) (param $w i32) (param $out i32) (param $n i32) (param $dp i32) (param $k i32)
 *   (local $stride $pz $pw $po $c $jb $u i32) (local $a0 $a1 $s v128)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
 *   (local.set $pz (local.get $z))
 *   (local.set $po (local.get $out))
 *   (local.set $u (local.get $n))
 *   (loop $rows
 *     (local.set $pw (local.get $w))
 *     (local.set $c (local.get $k))
 *     (loop $outputs
 *       (local.set $a0 (v128.const i64x2 0 0))
 *       (local.set $a1 (v128.const i64x2 0 0))
 *       (local.set $jb (i32.const 0))
 *       (loop $columns                                              ;; four columns a turn
 *         (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul
 *           (v128.load (i32.add (local.get $pz) (local.get $jb))) (v128.load (i32.add (local.get $pw) (local.get $jb))))))
 *         (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul
 *           (v128.load offset=16 (i32.add (local.get $pz) (local.get $jb)))
 *           (v128.load offset=16 (i32.add (local.get $pw) (local.get $jb))))))
 *         (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
 *         (br_if $columns (i32.lt_u (local.get $jb) (local.get $stride))))
 *       (local.set $s (f64x2.add (local.get $a0) (local.get $a1)))
 *       (f64.store (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
 *       (local.set $po (i32.add (local.get $po) (i32.const 8)))
 *       (local.set $pw (i32.add (local.get $pw) (local.get $stride)))
 *       (br_if $outputs (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))
 *     (local.set $pz (i32.add (local.get $pz) (local.get $stride)))
 *     (br_if $rows (local.tee $u (i32.sub (local.get $u) (i32.const 1))))))
 * ```
 */
function emitAffine(): Fn {
  const f = new Fn(6);
  const [z, w, out, n, dp, k] = [0, 1, 2, 3, 4, 5];
  const stride = f.local(I32), pz = f.local(I32), pw = f.local(I32), po = f.local(I32);
  const c = f.local(I32), jb = f.local(I32), u = f.local(I32);
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)], sum = f.local(V128), v0 = f.local(V128), v1 = f.local(V128);
  /** Margins of row pz for `q` classes from pw on (q = 2: two more sums in flight on the same row loads). */
  const outputs = (q: 1 | 2): void => {
    for (let i = 0; i < 2 * q; i++) f.vzero().set(acc[i]!);
    f.i32(0).set(jb);
    f.loop(); // $columns
    {
      f.get(pz).get(jb).add().vload(0).set(v0);
      f.get(pz).get(jb).add().vload(16).set(v1);
      for (let i = 0; i < q; i++) {
        const pwi = (): void => { f.get(pw); if (i > 0) f.get(stride).add(); f.get(jb).add(); };
        f.get(acc[2 * i]!).get(v0); pwi(); f.vload(0).fmul().fadd().set(acc[2 * i]!);
        f.get(acc[2 * i + 1]!).get(v1); pwi(); f.vload(16).fmul().fadd().set(acc[2 * i + 1]!);
      }
      f.inc(jb, 32).get(jb).get(stride).ltU().brIf(0);
    }
    f.end();
    for (let i = 0; i < q; i++) {
      f.get(acc[2 * i]!).get(acc[2 * i + 1]!).fadd().set(sum);
      f.get(po).get(sum).lane(0).get(sum).lane(1).add64().store64(8 * i);
    }
    f.inc(po, 8 * q);
    for (let i = 0; i < q; i++) f.incBy(pw, stride);
  };
  f.get(n).eqz().if().ret().end();
  f.get(dp).i32(3).shl().set(stride);
  f.get(z).set(pz);
  f.get(out).set(po);
  f.get(n).set(u);
  f.loop(); // $rows
  {
    f.get(w).set(pw);
    f.get(k).set(c);
    f.block().loop(); // $pairs: two classes a pass while two remain
    {
      f.get(c).i32(2).ltU().brIf(1);
      outputs(2);
      f.get(c).i32(2).sub().set(c);
      f.br(0);
    }
    f.end().end();
    f.get(c).if(); // the last class of an odd k
    outputs(1);
    f.end();
    f.incBy(pz, stride);
    f.get(u).i32(1).sub().tee(u).brIf(0);
  }
  f.end();
  return f;
}

/**
 * `rank(z, r, g, n, dp, k)`: G[c][j] += Σ_{u<n} R[u·k + c]·Z[u][j] for c < k: the k gradient
 * rows of a block of n rows with per-row residuals R (n×k), Z n×dp and G k×dp row-major, dp a
 * multiple of 4. Each column's sum runs over the n rows in order; the code keeps eight columns
 * (four accumulators) of an output, or of two outputs on the same row loads, side by side, so
 * that four to eight chains of additions are in flight instead of two (one chain waits on each
 * addition: 64 rows × 33 columns 0.53 → 0.29 µs, × 129 1.6 → 1.1 µs, 10 outputs × 33 2.9 → 2.1 µs),
 * then four columns; the sketch below shows one output, four columns.
 *
 * ```wat
 * (func $rank (param $z i32) (param $r i32) (param $g i32) (param $n i32) (param $dp i32) (param $k i32)
 *   (local $stride $kb $c $jb $pz $pr $pg $u i32) (local $a0 $a1 $s v128)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (local.set $stride (i32.shl (local.get $dp) (i32.const 3)))
 *   (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
 *   (local.set $c (i32.const 0))
 *   (local.set $pg (local.get $g))
 *   (loop $outputs
 *     (local.set $jb (i32.const 0))
 *     (loop $columns
 *       (local.set $a0 (v128.load (i32.add (local.get $pg) (local.get $jb))))
 *       (local.set $a1 (v128.load offset=16 (i32.add (local.get $pg) (local.get $jb))))
 *       (local.set $pz (i32.add (local.get $z) (local.get $jb)))
 *       (local.set $pr (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3))))
 *       (local.set $u (local.get $n))
 *       (loop $rows
 *         (local.set $s (v128.load64_splat (local.get $pr)))                 ;; R[u][c], twice
 *         (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $s) (v128.load (local.get $pz)))))
 *         (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $s) (v128.load offset=16 (local.get $pz)))))
 *         (local.set $pz (i32.add (local.get $pz) (local.get $stride)))
 *         (local.set $pr (i32.add (local.get $pr) (local.get $kb)))
 *         (br_if $rows (local.tee $u (i32.sub (local.get $u) (i32.const 1)))))
 *       (v128.store (i32.add (local.get $pg) (local.get $jb)) (local.get $a0))
 *       (v128.store offset=16 (i32.add (local.get $pg) (local.get $jb)) (local.get $a1))
 *       (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
 *       (br_if $columns (i32.lt_u (local.get $jb) (local.get $stride))))
 *     (local.set $pg (i32.add (local.get $pg) (local.get $stride)))
 *     (local.set $c (i32.add (local.get $c) (i32.const 1)))
 *     (br_if $outputs (i32.lt_u (local.get $c) (local.get $k)))))
 * ```
 */
function emitRank(): Fn {
  const f = new Fn(6);
  const [z, r, g, n, dp, k] = [0, 1, 2, 3, 4, 5];
  const stride = f.local(I32), kb = f.local(I32), c = f.local(I32), jb = f.local(I32);
  const pz = f.local(I32), pr = f.local(I32), pg = f.local(I32), u = f.local(I32);
  const acc = Array.from({ length: 8 }, () => f.local(V128)), s = f.local(V128), t = f.local(V128);
  const v = Array.from({ length: 4 }, () => f.local(V128));
  /**
   * The sums of `vecs` column pairs from jb on, for `q` classes from c on, over every row: each
   * column's sum still runs over the rows in order (the same bits as one column at a time), but
   * q·vecs chains of additions go side by side instead of two: one chain waits on each addition.
   */
  const chunk = (q: 1 | 2, vecs: 2 | 4): void => {
    const at = (i: number): void => { f.get(pg); if (i > 0) f.get(stride).add(); f.get(jb).add(); };
    for (let i = 0; i < q; i++) for (let x = 0; x < vecs; x++) { at(i); f.vload(16 * x).set(acc[vecs * i + x]!); }
    f.get(z).get(jb).add().set(pz);
    f.get(r).get(c).i32(3).shl().add().set(pr);
    f.get(n).set(u);
    f.loop(); // $rows
    {
      for (let x = 0; x < vecs; x++) f.get(pz).vload(16 * x).set(v[x]!);
      f.get(pr).splat64(0).set(s);
      if (q === 2) f.get(pr).splat64(8).set(t);
      for (let i = 0; i < q; i++) {
        const w = i === 0 ? s : t;
        for (let x = 0; x < vecs; x++) f.get(acc[vecs * i + x]!).get(w).get(v[x]!).fmul().fadd().set(acc[vecs * i + x]!);
      }
      f.incBy(pz, stride).incBy(pr, kb);
      f.get(u).i32(1).sub().tee(u).brIf(0);
    }
    f.end();
    for (let i = 0; i < q; i++) for (let x = 0; x < vecs; x++) { at(i); f.get(acc[vecs * i + x]!).vstore(16 * x); }
  };
  /** Gradient rows of `q` classes from c on (q = 2: the second class's sums share the row loads): eight columns a turn, then four. */
  const classes = (q: 1 | 2): void => {
    f.i32(0).set(jb);
    f.block().loop(); // $columns, eight at a time
    {
      f.get(jb).i32(64).add().get(stride).gtU().brIf(1);
      chunk(q, 4);
      f.inc(jb, 64).br(0);
    }
    f.end().end();
    f.get(jb).get(stride).ltU().if(); // four columns left (dp is a multiple of four)
    chunk(q, 2);
    f.end();
    for (let i = 0; i < q; i++) f.incBy(pg, stride);
    f.inc(c, q);
  };
  f.get(n).eqz().if().ret().end();
  f.get(dp).i32(3).shl().set(stride);
  f.get(k).i32(3).shl().set(kb);
  f.i32(0).set(c);
  f.get(g).set(pg);
  f.block().loop(); // $pairs: two classes a pass while two remain
  {
    f.get(c).i32(2).add().get(k).gtU().brIf(1);
    classes(2);
    f.br(0);
  }
  f.end().end();
  f.get(c).get(k).ltU().if(); // the last class of an odd k
  classes(1);
  f.end();
  return f;
}

/**
 * `chol(a, n, np) → ok`: the lower Cholesky factor of the symmetric n×n matrix at byte a (rows of
 * np ≥ n doubles), in place, by dot products of rows (left-looking): L[j][j] = √(A[j][j] − Σ_k
 * L[j][k]²), then L[i][j] = (A[i][j] − Σ_k L[i][k]·L[j][k]) / L[j][j] for i > j, four rows i at
 * a time so each load of row j serves four sums (then two, then one for what remains; the sketch
 * below shows pairs). Returns 0, early, when a pivot is not positive (A is
 * not positive definite), else 1. The upper triangle is left as it was.
 *
 * ```wat
 * (func $chol (param $a i32) (param $n i32) (param $np i32) (result i32)
 *   (local $rowb $j $jb $rj $ri $ri2 $i $kb i32) (local $acc1 $acc2 $vj v128) (local $s $l $t1 $t2 f64)
 *   (local.set $rowb (i32.shl (local.get $np) (i32.const 3)))
 *   (local.set $j (i32.const 0))
 *   (loop $columns
 *     (local.set $rj (i32.add (local.get $a) (i32.mul (local.get $j) (local.get $rowb))))
 *     (local.set $jb (i32.shl (local.get $j) (i32.const 3)))
 *     ;; $s = L[j][0..j)·L[j][0..j), as $dot below computes it with $ri = $rj and no second row
 *     (local.set $s (f64.sub (f64.load (i32.add (local.get $rj) (local.get $jb))) (local.get $s)))
 *     (if (i32.eqz (f64.gt (local.get $s) (f64.const 0))) (then (return (i32.const 0))))
 *     (local.set $l (f64.sqrt (local.get $s)))
 *     (f64.store (i32.add (local.get $rj) (local.get $jb)) (local.get $l))
 *     (local.set $i (i32.add (local.get $j) (i32.const 1)))
 *     (block $pairs_done (loop $pairs                                ;; rows i, i + 1
 *       (br_if $pairs_done (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
 *       (local.set $ri (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowb))))
 *       (local.set $ri2 (i32.add (local.get $ri) (local.get $rowb)))
 *       ;; $dot: $t1 = L[i][0..j)·L[j][0..j), $t2 likewise for row i + 1
 *       (local.set $acc1 (v128.const i64x2 0 0)) (local.set $acc2 (v128.const i64x2 0 0))
 *       (local.set $kb (i32.const 0))
 *       (block $dot_done (loop $dot
 *         (br_if $dot_done (i32.gt_u (i32.add (local.get $kb) (i32.const 16)) (local.get $jb)))
 *         (local.set $vj (v128.load (i32.add (local.get $rj) (local.get $kb))))
 *         (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (v128.load (i32.add (local.get $ri) (local.get $kb))) (local.get $vj))))
 *         (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (v128.load (i32.add (local.get $ri2) (local.get $kb))) (local.get $vj))))
 *         (local.set $kb (i32.add (local.get $kb) (i32.const 16)))
 *         (br $dot)))
 *       (local.set $t1 (f64.add (f64x2.extract_lane 0 (local.get $acc1)) (f64x2.extract_lane 1 (local.get $acc1))))
 *       (local.set $t2 (f64.add (f64x2.extract_lane 0 (local.get $acc2)) (f64x2.extract_lane 1 (local.get $acc2))))
 *       (if (i32.lt_u (local.get $kb) (local.get $jb)) (then                ;; an odd j: the last product
 *         (local.set $t1 (f64.add (local.get $t1) (f64.mul (f64.load (i32.add (local.get $ri) (local.get $kb))) (f64.load (i32.add (local.get $rj) (local.get $kb))))))
 *         (local.set $t2 (f64.add (local.get $t2) (f64.mul (f64.load (i32.add (local.get $ri2) (local.get $kb))) (f64.load (i32.add (local.get $rj) (local.get $kb))))))))
 *       (f64.store (i32.add (local.get $ri) (local.get $jb))
 *         (f64.div (f64.sub (f64.load (i32.add (local.get $ri) (local.get $jb))) (local.get $t1)) (local.get $l)))
 *       (f64.store (i32.add (local.get $ri2) (local.get $jb))
 *         (f64.div (f64.sub (f64.load (i32.add (local.get $ri2) (local.get $jb))) (local.get $t2)) (local.get $l)))
 *       (local.set $i (i32.add (local.get $i) (i32.const 2)))
 *       (br $pairs)))
 *     ;; the last row when an odd number remain: the same with one row
 *     (local.set $j (i32.add (local.get $j) (i32.const 1)))
 *     (br_if $columns (i32.lt_u (local.get $j) (local.get $n))))
 *   (i32.const 1))
 * ```
 */
function emitCholesky(): Fn {
  const f = new Fn(3, I32);
  const [a, n, np] = [0, 1, 2];
  const rowb = f.local(I32), j = f.local(I32), jb = f.local(I32), rj = f.local(I32), i = f.local(I32), kb = f.local(I32);
  const rows = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)], vj = f.local(V128);
  const s = f.local(F64), l = f.local(F64);
  const t = [f.local(F64), f.local(F64), f.local(F64), f.local(F64)];
  /** outs[r] = Σ_{k<j} row(ps[r])[k]·row(rj)[k] for up to four rows, each summed in k order; leaves nothing on the stack. */
  const dot = (ps: readonly number[], outs: readonly number[]): void => {
    ps.forEach((_, r) => f.vzero().set(acc[r]!));
    f.i32(0).set(kb);
    f.block().loop();
    {
      f.get(kb).i32(16).add().get(jb).gtU().brIf(1);
      f.get(rj).get(kb).add().vload(0).set(vj);
      ps.forEach((p, r) => f.get(acc[r]!).get(p).get(kb).add().vload(0).get(vj).fmul().fadd().set(acc[r]!));
      f.inc(kb, 16).br(0);
    }
    f.end().end();
    outs.forEach((out, r) => f.get(acc[r]!).lane(0).get(acc[r]!).lane(1).add64().set(out));
    f.get(kb).get(jb).ltU().if();
    {
      ps.forEach((p, r) => {
        const out = outs[r]!;
        f.get(out).get(p).get(kb).add().load64(0).get(rj).get(kb).add().load64(0).mul64().add64().set(out);
      });
    }
    f.end();
  };
  /** A[row][j] = (A[row][j] − t) / l */
  const finish = (row: number, tv: number): void => {
    f.get(row).get(jb).add().get(row).get(jb).add().load64(0).get(tv).sub64().get(l).div64().store64(0);
  };
  /** Rows i .. i + q − 1 below the pivot, while q of them remain: q sums in flight share each load of row j. */
  const rowsBelow = (q: number): void => {
    const ps = rows.slice(0, q);
    f.block().loop();
    {
      f.get(i).i32(q - 1).add().get(n).geU().brIf(1);
      f.get(a).get(i).get(rowb).mul().add().set(ps[0]!);
      for (let r = 1; r < q; r++) f.get(ps[r - 1]!).get(rowb).add().set(ps[r]!);
      dot(ps, t.slice(0, q));
      ps.forEach((p, r) => finish(p, t[r]!));
      f.inc(i, q).br(0);
    }
    f.end().end();
  };
  f.get(np).i32(3).shl().set(rowb);
  f.i32(0).set(j);
  f.loop(); // $columns
  {
    f.get(a).get(j).get(rowb).mul().add().set(rj);
    f.get(j).i32(3).shl().set(jb);
    dot([rj], [s]);
    f.get(rj).get(jb).add().load64(0).get(s).sub64().set(s);
    f.get(s).f64(0).gt64().eqz().if().i32(0).ret().end();
    f.get(s).sqrt64().set(l);
    f.get(rj).get(jb).add().get(l).store64(0);
    f.get(j).i32(1).add().set(i);
    rowsBelow(4);
    rowsBelow(2);
    rowsBelow(1);
    f.inc(j, 1).get(j).get(n).ltU().brIf(0);
  }
  f.end();
  f.i32(1);
  return f;
}

/**
 * The kernel module's bytes: imports `env.mem`, exports `gram`, `scale`, `affine`, `rank`, `chol` and the
 * other modules' functions listed below (softmax, expand, logit, trsv, expandMoments, margins, transpose, tridiagonalStep, reflect,
 * narrow, gramSingle, binaryScores, logs).
 * @example
 * ```ts
 * new WebAssembly.Module(gramModuleBytes());
 * ```
 */
export function gramModuleBytes(): Uint8Array {
  return moduleBytes([
    ['gram', emitGram()], ['scale', emitScale()], ['affine', emitAffine()], ['rank', emitRank()], ['chol', emitCholesky()],
    ['softmax', emitSoftmax()], ['expand', emitExpand()],
    ['logit', emitLogit()], ['trsv', emitTrsv()], ['expandMoments', emitExpandMoments()], ['margins', emitMargins()],
    ['transpose', emitTranspose()], ['tridiagonalStep', emitTridiagonalStep()], ['reflect', emitReflect()],
    ['narrow', emitNarrow()], ['gramSingle', emitGramSingle()], ['binaryScores', emitBinaryScores()], ['logs', emitLogs()],
  ]);
}
