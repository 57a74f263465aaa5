/**
 * Solves with a Cholesky factor on wasm, where the Newton solver keeps its factor (NewtonFactor
 * solves several times per factorisation; in JavaScript each solve was a chain of n dependent
 * dot products).
 */
import { F64, Fn, I32, V128 } from './asm.js';
import { emitDot } from './dot-emitter.js';

/**
 * `trsv(a, n, np, b)`: b ← (L Lᵀ)⁻¹ b in place, L the lower factor at byte a (rows of np ≥ n
 * doubles, as `chol` leaves it), b n doubles at byte b. Forward: b_i = (b_i − L[i][0..i)·b[0..i)) /
 * L[i][i], the dot two lanes at a time; backward: x_i = b_i / L[i][i], then b[0..i) −= x_i·L[i][0..i).
 *
 * ```wat
 * (func $trsv (param $a $n $np $b i32)
 *   ;; for i < n: b[i] = (b[i] − dot(L[i], b, i)) / L[i][i]
 *   ;; for i = n − 1 .. 0: x = b[i] / L[i][i]; b[i] = x; b[0..i) −= x·L[i][0..i)
 * )
 * ```
 */
export function emitTrsv(): Fn {
  const f = new Fn(4);
  const [a, n, np, b] = [0, 1, 2, 3];
  const rowb = f.local(I32), i = f.local(I32), ri = f.local(I32), ib = f.local(I32), kb = f.local(I32);
  const acc = f.local(V128), vx = f.local(V128);
  const s = f.local(F64), x = f.local(F64);
  f.get(n).eqz().if().ret().end();
  f.get(np).i32(3).shl().set(rowb);
  f.i32(0).set(i);
  f.loop(); // $forward
  {
    f.get(a).get(i).get(rowb).mul().add().set(ri);
    f.get(i).i32(3).shl().set(ib);
    emitDot(f, ri, b, ib, { acc, at: kb }, s);
    f.get(b).get(ib).add().get(b).get(ib).add().load64(0).get(s).sub64().get(ri).get(ib).add().load64(0).div64().store64(0);
    f.inc(i, 1).get(i).get(n).ltU().brIf(0);
  }
  f.end();
  f.get(n).set(i);
  f.loop(); // $backward, i = n .. 1 for row i − 1
  {
    f.get(i).i32(1).sub().set(i);
    f.get(a).get(i).get(rowb).mul().add().set(ri);
    f.get(i).i32(3).shl().set(ib);
    f.get(b).get(ib).add().load64(0).get(ri).get(ib).add().load64(0).div64().set(x);
    f.get(b).get(ib).add().get(x).store64(0);
    f.get(x).splatF().set(vx);
    f.i32(0).set(kb);
    f.block().loop();
    {
      f.get(kb).i32(16).add().get(ib).gtU().brIf(1);
      f.get(b).get(kb).add().get(b).get(kb).add().vload(0).get(ri).get(kb).add().vload(0).get(vx).fmul().fsub().vstore(0);
      f.inc(kb, 16).br(0);
    }
    f.end().end();
    f.get(kb).get(ib).ltU().if();
    f.get(b).get(kb).add().get(b).get(kb).add().load64(0).get(ri).get(kb).add().load64(0).get(x).mul64().sub64().store64(0);
    f.end();
    f.get(i).brIf(0);
  }
  f.end();
  return f;
}
