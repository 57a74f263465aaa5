/**
 * Linear outputs (what predict, decision_function and the scorers read) on wasm, with
 * JavaScript's bits: each output of each row is summed as margins.ts's loop sums it, from the
 * intercept, adding x_j·w_j for j in order. The lanes of a vector hold the same output of two
 * different rows (the block is staged column by column), so no sum is ever split or reordered:
 * SIMD runs across rows, never across a sum.
 */
import { Fn, I32, V128 } from './asm.js';

/** Rows a staged block holds: the column stride of the staged block, in rows. */
export const MARGIN_BLOCK_ROWS = 64;

/**
 * `margins(xt, w, out, n, d, k)`: out[u·k + c] = w[c][d] + Σ_{j<d} xt[j][u]·w[c][j] for u < n
 * (rounded up to 8; rows past n are computed from whatever the block holds and not read), c < k,
 * each sum in order of j. xt is the block column-major (column j at xt + j·64 doubles), w is
 * k rows of d + 1 doubles (the intercept last), out is row-major, k doubles a row. Eight rows
 * (four f64x2 accumulators) of two outputs a turn: eight sums in flight, each sharing its row
 * loads with the other output; an odd k's last output runs alone.
 *
 * ```wat
 * (func $margins (param $xt $w $out $n $d $k i32)
 *   ;; for each pair of outputs (c, c+1), each group of 8 rows g:
 *   ;;   a[o][v] = splat(w[c+o][d]); for j < d: a[o][v] += xt[j][g+2v .. g+2v+1] · splat(w[c+o][j])
 *   ;;   out[(g + 2v + lane)·k + c + o] = a[o][v][lane]
 * )
 * ```
 */
export function emitMargins(): Fn {
  const f = new Fn(6);
  const [xt, w, out, n, d, k] = [0, 1, 2, 3, 4, 5];
  const kb = f.local(I32), wb = f.local(I32), c = f.local(I32), pw = f.local(I32), po = f.local(I32);
  const g = f.local(I32), px = f.local(I32), pj = f.local(I32), pr = f.local(I32), db = f.local(I32);
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const x = Array.from({ length: 4 }, () => f.local(V128));
  const s = [f.local(V128), f.local(V128)];
  /** Outputs c .. c + q − 1 (weights from pw, results from byte po of row 0) for every group of rows. */
  const outputs = (q: 1 | 2): void => {
    f.i32(0).set(g);
    f.get(xt).set(px);
    f.get(po).set(pr);
    f.loop(); // $groups
    {
      for (let o = 0; o < q; o++) {
        for (let v = 0; v < 4; v++) {
          f.get(pw); if (o > 0) f.get(wb).add();
          f.get(db).add().splat64(0).set(acc[4 * o + v]!);
        }
      }
      f.i32(0).set(pj);
      f.loop(); // $columns: j = pj / 8
      {
        for (let v = 0; v < 4; v++) f.get(px).get(pj).i32(6).shl().add().vload(16 * v).set(x[v]!); // xt + j·64·8
        for (let o = 0; o < q; o++) {
          f.get(pw); if (o > 0) f.get(wb).add();
          f.get(pj).add().splat64(0).set(s[o]!);
        }
        for (let o = 0; o < q; o++) {
          for (let v = 0; v < 4; v++) f.get(acc[4 * o + v]!).get(x[v]!).get(s[o]!).fmul().fadd().set(acc[4 * o + v]!);
        }
        f.inc(pj, 8).get(pj).get(db).ltU().brIf(0);
      }
      f.end();
      // Rows g .. g + 7: lane l of accumulator v is row g + 2v + l.
      for (let v = 0; v < 4; v++) {
        for (const l of [0, 1] as const) {
          for (let o = 0; o < q; o++) f.get(pr).get(acc[4 * o + v]!).lane(l).store64(8 * o);
          f.incBy(pr, kb);
        }
      }
      f.inc(px, 64);
      f.inc(g, 8).get(g).get(n).ltU().brIf(0);
    }
    f.end();
  };
  f.get(n).eqz().if().ret().end();
  f.get(k).i32(3).shl().set(kb);
  f.get(d).i32(3).shl().set(db);
  f.get(db).i32(8).add().set(wb);
  f.get(w).set(pw);
  f.get(out).set(po);
  f.get(k).set(c);
  f.block().loop(); // $pairs
  {
    f.get(c).i32(2).ltU().brIf(1);
    outputs(2);
    f.get(c).i32(2).sub().set(c);
    f.incBy(pw, wb).incBy(pw, wb);
    f.inc(po, 16);
    f.br(0);
  }
  f.end().end();
  f.get(c).if(); // the last output of an odd k
  outputs(1);
  f.end();
  return f;
}

/**
 * `transpose(rows, xt, n, d)`: xt[j][u] = rows[u][j] for u < n, j < d: n rows of d doubles,
 * row-major at byte `rows`, into a block staged column by column at byte `xt` (column j at
 * xt + j·64 doubles) for {@link emitMargins}. A C-order X's rows reach `rows` by memcpy, runs
 * at a time; doing this reshuffle in wasm rather than in a JavaScript loop matters on a thread's
 * first calls, which run that loop unoptimised (see margins.ts).
 *
 * ```wat
 * (func $transpose (param $rows $xt $n $d i32)
 *   (local $pr $px $u $j i32)
 *   (if (i32.eqz (local.get $n)) (then (return)))
 *   (if (i32.eqz (local.get $d)) (then (return)))
 *   (local.set $pr (local.get $rows))
 *   (loop $rows
 *     (local.set $px (i32.add (local.get $xt) (i32.shl (local.get $u) (i32.const 3))))
 *     (local.set $j (local.get $d))
 *     (loop $columns
 *       (f64.store (local.get $px) (f64.load (local.get $pr)))
 *       (local.set $pr (i32.add (local.get $pr) (i32.const 8)))
 *       (local.set $px (i32.add (local.get $px) (i32.const 512)))                ;; 64 rows × 8 bytes
 *       (br_if $columns (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
 *     (local.set $u (i32.add (local.get $u) (i32.const 1)))
 *     (br_if $rows (i32.lt_u (local.get $u) (local.get $n)))))
 * ```
 */
export function emitTranspose(): Fn {
  const f = new Fn(4);
  const [rows, xt, n, d] = [0, 1, 2, 3];
  const pr = f.local(I32), px = f.local(I32), u = f.local(I32), j = f.local(I32);
  f.get(n).eqz().if().ret().end();
  f.get(d).eqz().if().ret().end();
  f.get(rows).set(pr);
  f.loop(); // $rows
  {
    f.get(xt).get(u).i32(3).shl().add().set(px);
    f.get(d).set(j);
    f.loop(); // $columns
    {
      f.get(px).get(pr).load64(0).store64(0);
      f.inc(pr, 8);
      f.inc(px, 8 * MARGIN_BLOCK_ROWS);
      f.get(j).i32(1).sub().tee(j).brIf(0);
    }
    f.end();
    f.inc(u, 1).get(u).get(n).ltU().brIf(0);
  }
  f.end();
  return f;
}
