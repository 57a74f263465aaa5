/**
 * The logistic sweeps' block loads on wasm: rows copied raw into a stage (one memcpy per run of
 * consecutive rows, in JavaScript) become the block's rows [x − shift, 1] here.
 */
import { F64, Fn, I32, V128 } from './asm.js';

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

/**
 * `expandMoments(q, z, h, m, d, dp, w, wt, xs, xt)`: the ridge Gram pass's block load. Rows
 * u < m of the staged raw rows at byte q (m×d, as memcpy left them) become the block's rows
 * x − h at byte z (stride dp, no constant column), and each row adds its moments in row order:
 * xs[j] += w[u]·v and xt[j] += v·wt[u] for v = x[u][j] − h[j], w the rows' weights and wt their
 * weights times targets. The same operations as rows.ts's loadRowMoments, two columns a lane
 * pair, so the sums agree bit for bit.
 *
 * ```wat
 * (func $expandMoments (param $q $z $h $m $d $dp $w $wt $xs $xt i32)
 *   ;; for u < m: for j < d: v = q[u][j] − h[j]; z[u][j] = v; xs[j] += w[u]·v; xt[j] += v·wt[u]
 * )
 * ```
 */
export function emitExpandMoments(): Fn {
  const f = new Fn(10);
  const [q, z, h, m, d, dp, w, wt, xs, xt] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const pq = f.local(I32), pz = f.local(I32), jb = f.local(I32), rowb = f.local(I32), strideb = f.local(I32), u = f.local(I32);
  const pairsb = f.local(I32), pw = f.local(I32), pwt = f.local(I32);
  const sw = f.local(V128), swt = f.local(V128), v = f.local(V128), s = f.local(F64);
  f.get(m).eqz().if().ret().end();
  f.get(d).i32(3).shl().set(rowb);
  f.get(d).i32(-2).and().i32(3).shl().set(pairsb);
  f.get(dp).i32(3).shl().set(strideb);
  f.get(q).set(pq);
  f.get(z).set(pz);
  f.get(w).set(pw);
  f.get(wt).set(pwt);
  f.get(m).set(u);
  f.loop(); // $rows
  {
    f.get(pw).splat64(0).set(sw);
    f.get(pwt).splat64(0).set(swt);
    f.i32(0).set(jb);
    f.block().loop(); // $pairs
    {
      f.get(jb).get(pairsb).geU().brIf(1);
      f.get(pq).get(jb).add().vload(0).get(h).get(jb).add().vload(0).fsub().set(v);
      f.get(pz).get(jb).add().get(v).vstore(0);
      f.get(xs).get(jb).add().get(xs).get(jb).add().vload(0).get(sw).get(v).fmul().fadd().vstore(0);
      f.get(xt).get(jb).add().get(xt).get(jb).add().vload(0).get(v).get(swt).fmul().fadd().vstore(0);
      f.inc(jb, 16).br(0);
    }
    f.end().end();
    f.get(jb).get(rowb).ltU().if(); // an odd d: the last column
    {
      f.get(pq).get(jb).add().load64(0).get(h).get(jb).add().load64(0).sub64().set(s);
      f.get(pz).get(jb).add().get(s).store64(0);
      f.get(xs).get(jb).add().get(xs).get(jb).add().load64(0).get(pw).load64(0).get(s).mul64().add64().store64(0);
      f.get(xt).get(jb).add().get(xt).get(jb).add().load64(0).get(s).get(pwt).load64(0).mul64().add64().store64(0);
    }
    f.end();
    f.incBy(pq, rowb).incBy(pz, strideb).inc(pw, 8).inc(pwt, 8);
    f.get(u).i32(1).sub().tee(u).brIf(0);
  }
  f.end();
  return f;
}
