/**
 * The Householder reduction's O(d²) part of a step as one pass over the upper triangle
 * (wasm/tridiagonal.ts drives it), and the application of its reflectors. The textbook step
 * reads the whole trailing block twice: once for p = A v, once more (and writes it) for the
 * rank-two update A −= v wᵀ + w vᵀ. Here each step's pass applies the previous step's update and
 * accumulates the product for this step's reflector in the same sweep, and reads only the upper
 * triangle: row i's entries right of the diagonal give both p_i (a dot with v) and, by symmetry,
 * their share of p_j for j > i (an axpy into p). A quarter of the memory traffic of the two
 * full-block passes, in one call.
 */
import { F64, Fn, I32, V128 } from './asm.js';

/**
 * `tridiagonalStep(a, vp, wp, v, p, n, stride, start)`: for start ≤ i ≤ j < n (A's upper
 * triangle, row-major rows of `stride` doubles at byte a), first A[i][j] −= vp[i]·wp[j] + wp[i]·vp[j]
 * (the previous step's update; zero vectors for none), then with the updated entries
 * p[i] += Σ_{start ≤ j < n} A[i][j]·v[j], the lower entries read as their mirror images. vp,
 * wp, v and p are d-vectors at byte addresses, indexed like A's rows; p[start..n) must be zero
 * on entry (row i adds to p[j] for every j > i before row j adds its own dot).
 *
 * ```wat
 * (func $tridiagonalStep (param $a $vp $wp $v $p $n $stride $start i32)
 *   (local $rowb $i $ii $pa $ovp $owp $ov $op $len $jb i32) (local $svp $swp $sv $acc $x v128)
 *   (local $vpi $wpi $vi $s $xs f64)
 *   (local.set $rowb (i32.shl (local.get $stride) (i32.const 3)))
 *   (local.set $i (local.get $start))
 *   (block $rows_done (loop $rows
 *     (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
 *     (local.set $ii (i32.shl (local.get $i) (i32.const 3)))
 *     (local.set $pa (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowb))) (local.get $ii)))  ;; &A[i][i]
 *     (local.set $len (i32.shl (i32.sub (i32.sub (local.get $n) (local.get $i)) (i32.const 1)) (i32.const 3)))  ;; bytes right of it
 *     (local.set $ovp (i32.add (i32.add (local.get $vp) (local.get $ii)) (i32.const 8)))  ;; &vp[i+1]; likewise $owp, $ov, $op
 *     (local.set $vpi (f64.load (i32.add (local.get $vp) (local.get $ii))))  ;; likewise $wpi, $vi
 *     ;; the diagonal entry: updated, and its term of p[i]
 *     (local.set $xs (f64.sub (f64.load (local.get $pa))
 *       (f64.add (f64.mul (local.get $vpi) (local.get $wpi)) (f64.mul (local.get $wpi) (local.get $vpi)))))
 *     (f64.store (local.get $pa) (local.get $xs))
 *     (local.set $s (f64.mul (local.get $xs) (local.get $vi)))
 *     (local.set $pa (i32.add (local.get $pa) (i32.const 8)))               ;; &A[i][i+1]
 *     (local.set $svp (f64x2.splat (local.get $vpi)))                      ;; likewise $swp, $sv
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
 *     (local.set $s (f64.add (local.get $s) (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))
 *     (if (i32.lt_u (local.get $jb) (local.get $len)) (then
 *       ;; the odd last entry: the same in scalar, into $s and p
 *     ))
 *     (f64.store (i32.add (local.get $p) (local.get $ii)) (f64.add (f64.load (i32.add (local.get $p) (local.get $ii))) (local.get $s)))
 *     (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *     (br $rows))))
 * ```
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

/**
 * `reflect(vecs, tau, x, d, backward)`: x ← H_k x for k = 0 .. d−3 in turn (Qᵀx), or from d−3
 * down to 0 when `backward` ≠ 0 (Qx), H_k = I − τ_k v_k v_kᵀ with v_k row k of `vecs` (d×d
 * row-major, coordinates k+1..d−1) and τ_k = tau[k]; a reflector with τ = 0 is skipped. The
 * same operations in the same order as the JavaScript loop (kernels/js/tridiagonal.ts,
 * applyReflectorsJs), hence the same bits: its four partial sums s0..s3 are the lanes of two
 * f64x2 sums, its odd last products go to s0, then s = ((s0 + s1) + (s2 + s3))·τ and
 * x_i −= s·v_i entry by entry.
 *
 * ```wat
 * (func $reflect (param $vecs $tau $x $d $backward i32)
 *   (local $k $pv $px $len $jb $count i32) (local $a0 $a1 $sv v128) (local $s0 $t $s f64)
 *   (local.set $count (i32.sub (local.get $d) (i32.const 2)))          ;; reflectors left (none when d < 3)
 *   (local.set $k (select (i32.sub (local.get $d) (i32.const 3)) (i32.const 0) (local.get $backward)))
 *   (block $done (loop $reflectors
 *     (br_if $done (i32.lt_s (local.get $count) (i32.const 1)))
 *     (local.set $t (f64.load (i32.add (local.get $tau) (i32.shl (local.get $k) (i32.const 3)))))
 *     (if (f64.ne (local.get $t) (f64.const 0)) (then
 *       (local.set $pv (&vecs[k][k+1])) (local.set $px (&x[k+1])) (local.set $len (bytes of d − k − 1))
 *       ;; a0 += v[i..i+1]·x[i..i+1], a1 += v[i+2..i+3]·x[i+2..i+3] while four remain; $s0 = lane0 a0, the rest into $s0
 *       ;; $s = (($s0 + lane1 a0) + (lane0 a1 + lane1 a1)) · $t
 *       ;; x[i..i+1] −= splat($s)·v[i..i+1] while two remain, then the odd last in scalar
 *     ))
 *     (local.set $k (i32.add (local.get $k) (select (i32.const -1) (i32.const 1) (local.get $backward))))
 *     (local.set $count (i32.sub (local.get $count) (i32.const 1)))
 *     (br $reflectors))))
 * ```
 */
export function emitReflect(): Fn {
  const f = new Fn(5);
  const [vecs, tau, x, d, backward] = [0, 1, 2, 3, 4];
  const k = f.local(I32), pv = f.local(I32), px = f.local(I32), len = f.local(I32), jb = f.local(I32), count = f.local(I32);
  const a0 = f.local(V128), a1 = f.local(V128), sv = f.local(V128);
  const s0 = f.local(F64), t = f.local(F64), s = f.local(F64);
  // Count the reflectors instead of testing k's sign: max(d − 2, 0) of them.
  f.get(d).i32(2).sub().set(count);
  f.get(d).i32(3).sub().i32(0).get(backward).select().set(k);
  f.block().loop(); // $reflectors
  {
    f.get(count).i32(1).ltS().brIf(1);
    f.get(tau).get(k).i32(3).shl().add().load64(0).set(t);
    f.get(t).f64(0).ne64().if();
    {
      f.get(vecs).get(k).get(d).mul().get(k).add().i32(1).add().i32(3).shl().add().set(pv);
      f.get(x).get(k).i32(1).add().i32(3).shl().add().set(px);
      f.get(d).get(k).sub().i32(1).sub().i32(3).shl().set(len);
      f.vzero().set(a0);
      f.vzero().set(a1);
      f.i32(0).set(jb);
      f.block().loop(); // four at a time
      {
        f.get(jb).i32(32).add().get(len).gtU().brIf(1);
        f.get(a0).get(pv).get(jb).add().vload(0).get(px).get(jb).add().vload(0).fmul().fadd().set(a0);
        f.get(a1).get(pv).get(jb).add().vload(16).get(px).get(jb).add().vload(16).fmul().fadd().set(a1);
        f.inc(jb, 32).br(0);
      }
      f.end().end();
      f.get(a0).lane(0).set(s0);
      f.block().loop(); // the rest, into s0
      {
        f.get(jb).get(len).geU().brIf(1);
        f.get(s0).get(pv).get(jb).add().load64(0).get(px).get(jb).add().load64(0).mul64().add64().set(s0);
        f.inc(jb, 8).br(0);
      }
      f.end().end();
      f.get(s0).get(a0).lane(1).add64().get(a1).lane(0).get(a1).lane(1).add64().add64().get(t).mul64().set(s);
      f.get(s).splatF().set(sv);
      f.i32(0).set(jb);
      f.block().loop(); // x −= s·v, two at a time
      {
        f.get(jb).i32(16).add().get(len).gtU().brIf(1);
        f.get(px).get(jb).add();
        f.get(px).get(jb).add().vload(0).get(sv).get(pv).get(jb).add().vload(0).fmul().fsub().vstore(0);
        f.inc(jb, 16).br(0);
      }
      f.end().end();
      f.get(jb).get(len).ltU().if();
      {
        f.get(px).get(jb).add();
        f.get(px).get(jb).add().load64(0).get(s).get(pv).get(jb).add().load64(0).mul64().sub64().store64(0);
      }
      f.end();
    }
    f.end();
    f.get(k).i32(-1).i32(1).get(backward).select().add().set(k);
    f.get(count).i32(1).sub().set(count);
    f.br(0);
  }
  f.end().end();
  return f;
}
