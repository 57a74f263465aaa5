/**
 * The Gram products of a Newton sweep's Hessian (binary, or a multinomial sweep's class pairs) in
 * single precision (f32x4: four products an instruction where f64x2 does two), for blocks whose
 * rounding error provably stays inside the budget the solver gives (wasm/kernel.ts,
 * `addWeightedSingle`). Two functions: `narrow` rounds a block's rows and weighted rows to f32 and
 * returns the bound's row sum; `gramSingle` sums the products in f32 over at most
 * {@link SINGLE_GRAM_ROWS} rows and adds them into the f64 G.
 *
 * The bound. For one entry of a block's G, each weighted value w·z is formed in f64 and rounded to
 * f32, each row value rounded to f32 (relative error ≤ u = 2⁻²⁴ each; the f64 product's rounding
 * is smaller still), their product rounded once, and the sum of n ≤ 64 products n − 1 times, so
 * |error| ≤ γ_{n+3}·Σ_u |w_u·z_uj·z_uk| with γ_m = m·u/(1 − m·u) (Higham, Accuracy and Stability
 * of Numerical Algorithms, §3.1). Over the entries, the error matrix's Frobenius norm, which
 * bounds its spectral norm, is at most γ_67·Σ_u |w_u|·‖z_u‖², the sum `narrow` returns times γ_67
 * ({@link SINGLE_GRAM_ERROR}), whatever the data. The block's sums are then added into G in f64,
 * as the double-precision product's are.
 */
import { F64, Fn, I32, V128 } from './asm.js';

/** Rows a single-precision sum runs over before it is added into the f64 G (the bound's n). */
export const SINGLE_GRAM_ROWS = 64;
/** f32's unit roundoff. */
const UNIT_ROUNDOFF = 2 ** -24;
/** γ_67 = 67u/(1 − 67u): a block's rounding error per unit of Σ_u |w_u|·‖z_u‖² (see the module's comment). */
export const SINGLE_GRAM_ERROR = ((SINGLE_GRAM_ROWS + 3) * UNIT_ROUNDOFF) / (1 - (SINGLE_GRAM_ROWS + 3) * UNIT_ROUNDOFF);

/** Byte lanes of i8x16.shuffle that put two demoted pairs (lanes 0-1 of each operand) side by side. */
const LOW_PAIRS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
/** Byte lanes that move f32 lanes 2 and 3 down to 0 and 1 (for promote_low). */
const HIGH_PAIR_DOWN = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * `narrow(z, w, z32, l32, n, dp) → Σ_u |w[u]|·‖Z[u]‖²`: Z32[u][j] = f32(Z[u][j]) and
 * L32[u][j] = f32(w[u]·Z[u][j]) for u < n, j < dp (dp a multiple of 4; rows of dp f64 at z, of
 * dp f32 at z32 and l32), four columns a turn; the returned sum is in f64.
 *
 * ```wat
 * (func $narrow (param $z $w $z32 $l32 $n $dp i32) (result f64)
 *   (local $j i32) (local $s $x0 $x1 $sq v128) (local $total f64)
 *   (if (i32.eqz (local.get $n)) (then (return (f64.const 0))))
 *   (loop $rows
 *     (local.set $s (v128.load64_splat (local.get $w)))                 ;; w[u], twice
 *     (local.set $sq (v128.const i64x2 0 0))
 *     (local.set $j (i32.const 0))
 *     (loop $columns                                                  ;; columns j .. j + 3
 *       (local.set $x0 (v128.load (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3)))))
 *       (local.set $x1 (v128.load offset=16 (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3)))))
 *       (v128.store (i32.add (local.get $z32) (i32.shl (local.get $j) (i32.const 2)))
 *         (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
 *           (f32x4.demote_f64x2_zero (local.get $x0)) (f32x4.demote_f64x2_zero (local.get $x1))))
 *       ;; likewise L32 from (f64x2.mul $x0 $s) and (f64x2.mul $x1 $s)
 *       (local.set $sq (f64x2.add (local.get $sq)
 *         (f64x2.add (f64x2.mul (local.get $x0) (local.get $x0)) (f64x2.mul (local.get $x1) (local.get $x1)))))
 *       (local.set $j (i32.add (local.get $j) (i32.const 4)))
 *       (br_if $columns (i32.lt_u (local.get $j) (local.get $dp))))
 *     (local.set $total (f64.add (local.get $total) (f64.mul (f64.abs (f64.load (local.get $w)))
 *       (f64.add (f64x2.extract_lane 0 (local.get $sq)) (f64x2.extract_lane 1 (local.get $sq))))))
 *     ;; $z += 8·dp, $z32 and $l32 += 4·dp, $w += 8
 *     (br_if $rows (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
 *   (local.get $total))
 * ```
 */
export function emitNarrow(): Fn {
  const f = new Fn(6, F64);
  const [z, w, z32, l32, n, dp] = [0, 1, 2, 3, 4, 5];
  const j = f.local(I32), s = f.local(V128), x0 = f.local(V128), x1 = f.local(V128), sq = f.local(V128), total = f.local(F64);
  f.get(n).eqz().if().f64(0).ret().end();
  f.loop(); // $rows
  {
    f.get(w).splat64(0).set(s);
    f.vzero().set(sq);
    f.i32(0).set(j);
    f.loop(); // $columns
    {
      f.get(z).get(j).i32(3).shl().add().vload(0).set(x0);
      f.get(z).get(j).i32(3).shl().add().vload(16).set(x1);
      f.get(z32).get(j).i32(2).shl().add();
      f.get(x0).demote().get(x1).demote().shuffle(LOW_PAIRS).vstore(0);
      f.get(l32).get(j).i32(2).shl().add();
      f.get(x0).get(s).fmul().demote().get(x1).get(s).fmul().demote().shuffle(LOW_PAIRS).vstore(0);
      f.get(sq).get(x0).get(x0).fmul().get(x1).get(x1).fmul().fadd().fadd().set(sq);
      f.inc(j, 4).get(j).get(dp).ltU().brIf(0);
    }
    f.end();
    f.get(total).get(w).load64(0).abs64().get(sq).lane(0).get(sq).lane(1).add64().mul64().add64().set(total);
    f.get(z).get(dp).i32(3).shl().add().set(z);
    f.get(z32).get(dp).i32(2).shl().add().set(z32);
    f.get(l32).get(dp).i32(2).shl().add().set(l32);
    f.inc(w, 8);
    f.get(n).i32(1).sub().tee(n).brIf(0);
  }
  f.end();
  f.get(total);
  return f;
}

/**
 * `gramSingle(g, l32, z32, n, dp)`: G[j+r][k+c] += Σ_{u<n} L32[u][j+r]·Z32[u][k+c], the sum in
 * f32 and added into the f64 G (dp×dp row-major at byte g), for the tiles with k ≥ j: 4 rows × 8
 * columns while eight columns remain, then 4 × 4 (dp is a multiple of 4). The register blocking of
 * module.ts's `gram`, four lanes a vector: per row two vector loads of Z32, four splats of L32,
 * eight f32x4 multiplies and adds into eight accumulators. Callers keep n ≤ {@link SINGLE_GRAM_ROWS}.
 *
 * ```wat
 * (func $gramSingle (param $g $l $z $n $dp i32)
 *   (local $stride $j $k $pa $pb $u $gr i32) (local $acc0 .. $acc7 $b0 $b1 $s v128)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (local.set $stride (i32.shl (local.get $dp) (i32.const 2)))          ;; bytes per f32 row
 *   (local.set $j (i32.const 0))
 *   (loop $tile_rows
 *     (local.set $k (local.get $j))
 *     (block $wide_done (loop $wide                                    ;; 4 × 8 tiles
 *       (br_if $wide_done (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $dp)))
 *       (local.set $acc0 (v128.const i64x2 0 0))                         ;; likewise $acc1..$acc7
 *       (local.set $pa (i32.add (local.get $l) (i32.shl (local.get $j) (i32.const 2))))
 *       (local.set $pb (i32.add (local.get $z) (i32.shl (local.get $k) (i32.const 2))))
 *       (local.set $u (local.get $n))
 *       (loop $block_rows
 *         (local.set $b0 (v128.load (local.get $pb)))                    ;; Z32[u][k..k+3]
 *         (local.set $b1 (v128.load offset=16 (local.get $pb)))          ;; Z32[u][k+4..k+7]
 *         ;; for r = 0..3:
 *         (local.set $s (v128.load32_splat offset=4r (local.get $pa)))    ;; L32[u][j+r], four times
 *         (local.set $acc2r (f32x4.add (local.get $acc2r) (f32x4.mul (local.get $s) (local.get $b0))))
 *         (local.set $acc2r+1 (f32x4.add (local.get $acc2r+1) (f32x4.mul (local.get $s) (local.get $b1))))
 *         (local.set $pa (i32.add (local.get $pa) (local.get $stride)))
 *         (local.set $pb (i32.add (local.get $pb) (local.get $stride)))
 *         (br_if $block_rows (local.tee $u (i32.sub (local.get $u) (i32.const 1)))))
 *       ;; for r = 0..3, c = 0..1, $gr = &G[j+r][k+4c]:
 *       (v128.store (local.get $gr) (f64x2.add (v128.load (local.get $gr)) (f64x2.promote_low_f32x4 (local.get $acc2r+c))))
 *       (v128.store offset=16 (local.get $gr) (f64x2.add (v128.load offset=16 (local.get $gr))
 *         (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc2r+c) (local.get $acc2r+c)))))
 *       (local.set $k (i32.add (local.get $k) (i32.const 8)))
 *       (br $wide)))
 *     (if (i32.lt_u (local.get $k) (local.get $dp)) (then ...))            ;; a last 4 × 4 tile: $b0, $acc2r only
 *     (local.set $j (i32.add (local.get $j) (i32.const 4)))
 *     (br_if $tile_rows (i32.lt_u (local.get $j) (local.get $dp)))))
 * ```
 */
export function emitGramSingle(): Fn {
  const f = new Fn(5);
  const [g, l, z, n, dp] = [0, 1, 2, 3, 4];
  const stride = f.local(I32), j = f.local(I32), k = f.local(I32), pa = f.local(I32), pb = f.local(I32), u = f.local(I32), gr = f.local(I32);
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const b0 = f.local(V128), b1 = f.local(V128), s = f.local(V128);
  /** One tile of rows j..j+3 and columns k..k+7 (`wide`) or k..k+3. */
  const tile = (wide: boolean): void => {
    const vecs = wide ? 2 : 1;
    for (let r = 0; r < 4; r++) for (let c = 0; c < vecs; c++) f.vzero().set(acc[2 * r + c]!);
    f.get(l).get(j).i32(2).shl().add().set(pa);
    f.get(z).get(k).i32(2).shl().add().set(pb);
    f.get(n).set(u);
    f.loop(); // $block_rows (n ≥ 1)
    {
      f.get(pb).vload(0).set(b0);
      if (wide) f.get(pb).vload(16).set(b1);
      for (let r = 0; r < 4; r++) {
        f.get(pa).splat32(4 * r).set(s);
        f.get(acc[2 * r]!).get(s).get(b0).f32mul().f32add().set(acc[2 * r]!);
        if (wide) f.get(acc[2 * r + 1]!).get(s).get(b1).f32mul().f32add().set(acc[2 * r + 1]!);
      }
      f.incBy(pa, stride).incBy(pb, stride);
      f.get(u).i32(1).sub().tee(u).brIf(0);
    }
    f.end();
    for (let r = 0; r < 4; r++) {
      f.get(g).get(j).i32(r).add().get(dp).mul().get(k).add().i32(3).shl().add().set(gr);
      for (let c = 0; c < vecs; c++) {
        const a = acc[2 * r + c]!;
        f.get(gr).get(gr).vload(32 * c).get(a).promoteLow().fadd().vstore(32 * c);
        f.get(gr).get(gr).vload(32 * c + 16).get(a).get(a).shuffle(HIGH_PAIR_DOWN).promoteLow().fadd().vstore(32 * c + 16);
      }
    }
  };
  f.get(n).eqz().if().ret().end();
  f.get(dp).i32(2).shl().set(stride);
  f.i32(0).set(j);
  f.loop(); // $tile_rows
  {
    f.get(j).set(k);
    f.block().loop(); // $wide: 4 × 8 tiles while eight columns remain
    {
      f.get(k).i32(8).add().get(dp).gtU().brIf(1);
      tile(true);
      f.inc(k, 8).br(0);
    }
    f.end().end();
    f.get(k).get(dp).ltU().if(); // four columns left
    tile(false);
    f.end();
    f.inc(j, 4).get(j).get(dp).ltU().brIf(0);
  }
  f.end();
  return f;
}
