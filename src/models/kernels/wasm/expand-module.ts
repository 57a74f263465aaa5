/**
 * The logistic sweeps' block loads on wasm: rows copied raw into a stage (one memcpy per run of
 * consecutive rows, in JavaScript) become the block's rows [x − shift, 1] here.
 */
import { Fn, I32 } from './asm.js';

/**
 * `expand(q, z, h, m, draw, dp)`: rows u < m of the staged raw rows at byte q (m×draw,
 * row-major, as memcpy left them) become the block's rows [x − h, 1] at byte z (stride dp, the
 * constant 1 at column draw), h the draw shift values. The logistic sweeps copy runs of
 * consecutive rows into the stage with one memcpy each and leave the per-value work to this.
 *
 * ```wat
 * (func $expand (param $q $z $h $m $draw $dp i32)
 *   ;; for u < m: for j < draw: z[u][j] = q[u][j] − h[j]; z[u][draw] = 1
 * )
 * ```
 */
export function emitExpand(): Fn {
  const f = new Fn(6);
  const [q, z, h, m, draw, dp] = [0, 1, 2, 3, 4, 5];
  const pq = f.local(I32), pz = f.local(I32), jb = f.local(I32), rowb = f.local(I32), strideb = f.local(I32), u = f.local(I32);
  const pairsb = f.local(I32);
  f.get(m).eqz().if().ret().end();
  f.get(draw).i32(3).shl().set(rowb);
  f.get(draw).i32(-2).and().i32(3).shl().set(pairsb); // bytes of the even part of a row: two values a load
  f.get(dp).i32(3).shl().set(strideb);
  f.get(q).set(pq);
  f.get(z).set(pz);
  f.get(m).set(u);
  f.loop(); // $rows
  {
    f.i32(0).set(jb);
    f.block().loop(); // $pairs
    {
      f.get(jb).get(pairsb).geU().brIf(1);
      f.get(pz).get(jb).add().get(pq).get(jb).add().vload(0).get(h).get(jb).add().vload(0).fsub().vstore(0);
      f.inc(jb, 16).br(0);
    }
    f.end().end();
    f.get(jb).get(rowb).ltU().if(); // an odd draw: the last value
    f.get(pz).get(jb).add().get(pq).get(jb).add().load64(0).get(h).get(jb).add().load64(0).sub64().store64(0);
    f.end();
    f.get(pz).get(rowb).add().f64(1).store64(0);
    f.incBy(pq, rowb).incBy(pz, strideb);
    f.get(u).i32(1).sub().tee(u).brIf(0);
  }
  f.end();
  return f;
}
