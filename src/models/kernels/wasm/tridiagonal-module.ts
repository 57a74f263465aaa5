/**
 * The Householder reduction's O(d²) part of a step as one pass over the lower triangle
 * (wasm/tridiagonal.ts drives it). The textbook step reads the whole trailing block twice: once
 * for p = A v, once more (and writes it) for the rank-two update A −= v wᵀ + w vᵀ. Here each
 * step's pass applies the previous step's update and accumulates the product for this step's
 * reflector in the same sweep, and reads only the lower triangle: row i's entries left of the
 * diagonal give both p_i (a dot with v) and, by symmetry, their share of p_j for j < i (an
 * axpy into p). A quarter of the memory traffic of the two full-block passes, in one call.
 */
import { F64, Fn, I32, V128 } from './asm.js';

/**
 * `tridiagonalStep(a, vp, wp, v, p, n, stride, start)`: for start ≤ j ≤ i < n (A's lower
 * triangle, row-major rows of `stride` doubles at byte a), first A[i][j] −= vp[i]·wp[j] + wp[i]·vp[j]
 * (the previous step's update; zero vectors for none), then with the updated entries
 * p[i] = Σ_{start ≤ j < n} A[i][j]·v[j], the upper entries read as their mirror images. vp,
 * wp, v and p are d-vectors at byte addresses, indexed like A's rows; p needs no clearing.
 *
 * ```wat
 * (func $tridiagonalStep (param $a $vp $wp $v $p $n $stride $start i32)
 *   (local $rowb $i $ii $pa $ovp $owp $ov $op $len $jb i32) (local $svp $swp $sv $acc $x v128)
 *   (local $vpi $wpi $vi $s $xs f64)
 *   (local.set $rowb (i32.shl (local.get $stride) (i32.const 3)))
 *   (local.set $ovp (i32.add (local.get $vp) (i32.shl (local.get $start) (i32.const 3))))  ;; likewise $owp, $ov, $op
 *   (local.set $i (local.get $start))
 *   (block $rows_done (loop $rows
 *     (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
 *     (local.set $ii (i32.shl (local.get $i) (i32.const 3)))
 *     (local.set $pa (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowb)))
 *       (i32.shl (local.get $start) (i32.const 3))))                     ;; &A[i][start]
 *     (local.set $len (i32.shl (i32.sub (local.get $i) (local.get $start)) (i32.const 3)))  ;; bytes left of the diagonal
 *     (local.set $vpi (f64.load (i32.add (local.get $vp) (local.get $ii))))  ;; likewise $wpi, $vi
 *     (local.set $svp (f64x2.splat (local.get $vpi)))                     ;; likewise $swp, $sv
 *     (local.set $acc (v128.const i64x2 0 0))
 *     (local.set $jb (i32.const 0))
 *     (block $cols_done (loop $cols
 *       (br_if $cols_done (i32.gt_u (i32.add (local.get $jb) (i32.const 16)) (local.get $len)))
 *       (local.set $x (f64x2.sub (v128.load (i32.add (local.get $pa) (local.get $jb)))
 *         (f64x2.add (f64x2.mul (local.get $svp) (v128.load (i32.add (local.get $owp) (local.get $jb))))
 *                    (f64x2.mul (local.get $swp) (v128.load (i32.add (local.get $ovp) (local.get $jb)))))))
 *       (v128.store (i32.add (local.get $pa) (local.get $jb)) (local.get $x))
 *       (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $ov) (local.get $jb))))))
 *       (v128.store (i32.add (local.get $op) (local.get $jb))
 *         (f64x2.add (v128.load (i32.add (local.get $op) (local.get $jb))) (f64x2.mul (local.get $sv) (local.get $x))))
 *       (local.set $jb (i32.add (local.get $jb) (i32.const 16)))
 *       (br $cols)))
 *     (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
 *     (if (i32.lt_u (local.get $jb) (local.get $len)) (then
 *       ;; the odd last entry left of the diagonal: the same in scalar, then $jb += 8
 *     ))
 *     ;; the diagonal entry (at $len): updated, then p[i] = $s + A[i][i]·v[i]
 *     (local.set $xs (f64.sub (f64.load (i32.add (local.get $pa) (local.get $len)))
 *       (f64.add (f64.mul (local.get $vpi) (local.get $wpi)) (f64.mul (local.get $wpi) (local.get $vpi)))))
 *     (f64.store (i32.add (local.get $pa) (local.get $len)) (local.get $xs))
 *     (f64.store (i32.add (local.get $p) (local.get $ii)) (f64.add (local.get $s) (f64.mul (local.get $xs) (local.get $vi))))
 *     (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *     (br $rows))))
 * ```
 * p[i] is written (not added to) at row i: rows above it only add to p[j] for j left of their diagonal.
 */
export function emitTridiagonalStep(): Fn {
  const f = new Fn(8);
  const [a, vp, wp, v, p, n, stride, start] = [0, 1, 2, 3, 4, 5, 6, 7];
  const rowb = f.local(I32), i = f.local(I32), ii = f.local(I32), pa = f.local(I32);
  const ovp = f.local(I32), owp = f.local(I32), ov = f.local(I32), op = f.local(I32), len = f.local(I32), jb = f.local(I32);
  const svp = f.local(V128), swp = f.local(V128), sv = f.local(V128), acc = f.local(V128), x = f.local(V128);
  const vpi = f.local(F64), wpi = f.local(F64), vi = f.local(F64), s = f.local(F64), xs = f.local(F64);
  f.get(stride).i32(3).shl().set(rowb);
  f.get(start).set(i);
  f.block().loop(); // $rows
  {
    f.get(i).get(n).geU().brIf(1);
    f.get(i).i32(3).shl().set(ii);
    f.get(a).get(i).get(rowb).mul().add().get(ii).add().set(pa);
    f.get(n).get(i).sub().i32(1).sub().i32(3).shl().set(len);
    for (const [vector, at] of [[vp, ovp], [wp, owp], [v, ov], [p, op]] as const) f.get(vector).get(ii).add().i32(8).add().set(at);
    f.get(vp).get(ii).add().load64(0).set(vpi);
    f.get(wp).get(ii).add().load64(0).set(wpi);
    f.get(v).get(ii).add().load64(0).set(vi);
    // The diagonal entry: updated, and its term of p[i].
    f.get(pa).load64(0);
    f.get(vpi).get(wpi).mul64().get(wpi).get(vpi).mul64().add64().sub64().set(xs);
    f.get(pa).get(xs).store64(0);
    f.get(xs).get(vi).mul64().set(s);
    f.get(pa).i32(8).add().set(pa);
    f.get(vpi).splatF().set(svp);
    f.get(wpi).splatF().set(swp);
    f.get(vi).splatF().set(sv);
    f.vzero().set(acc);
    f.i32(0).set(jb);
    f.block().loop(); // $cols
    {
      f.get(jb).i32(16).add().get(len).gtU().brIf(1);
      f.get(pa).get(jb).add().vload(0);
      f.get(svp).get(owp).get(jb).add().vload(0).fmul();
      f.get(swp).get(ovp).get(jb).add().vload(0).fmul();
      f.fadd().fsub().set(x);
      f.get(pa).get(jb).add().get(x).vstore(0);
      f.get(acc).get(x).get(ov).get(jb).add().vload(0).fmul().fadd().set(acc);
      f.get(op).get(jb).add();
      f.get(op).get(jb).add().vload(0).get(sv).get(x).fmul().fadd().vstore(0);
      f.inc(jb, 16).br(0);
    }
    f.end().end();
    f.get(s).get(acc).lane(0).get(acc).lane(1).add64().add64().set(s);
    f.get(jb).get(len).ltU().if();
    {
      f.get(pa).get(jb).add().load64(0);
      f.get(vpi).get(owp).get(jb).add().load64(0).mul64();
      f.get(wpi).get(ovp).get(jb).add().load64(0).mul64();
      f.add64().sub64().set(xs);
      f.get(pa).get(jb).add().get(xs).store64(0);
      f.get(s).get(xs).get(ov).get(jb).add().load64(0).mul64().add64().set(s);
      f.get(op).get(jb).add();
      f.get(op).get(jb).add().load64(0).get(vi).get(xs).mul64().add64().store64(0);
    }
    f.end();
    f.get(p).get(ii).add();
    f.get(p).get(ii).add().load64(0).get(s).add64().store64(0);
    f.inc(i, 1).br(0);
  }
  f.end().end();
  return f;
}
