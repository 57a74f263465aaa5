/**
 * The per-row work of the binary logistic sweep on wasm: from each row's margin s, target t
 * and weight ω, the residual ω·(σ(s) − t), the curvature weight ω·σ(1 − σ) when a Hessian is
 * taken, and the summed loss Σ ω·(log(1 + e^s) − t·s), by logistic-math.ts's formulas with
 * fast-math.ts's exp and log1p, operation for operation (a test holds them bit for bit).
 */
import { F64, Fn, I32, V128 } from './asm.js';
import { EXP_PAIR_VALUES, expPairConstants, loadPairConstants, pushFastExp, pushFastExpPair, pushLog1pUnit, TO_INT } from './fast-math-module.js';
import { LOG_STEPS } from '../fast-math.js';

/**
 * `logit(mg, lab, w, r, cw, texp, tlog, tinv, m, curv) → loss`: rows u < m with margin mg[u]
 * (f64), target lab[u] (i32, 0 or 1) and weight w[u]: r[u] = w·(σ(s) − t); cw[u] = w·p·(1 − p),
 * p = σ(s), when curv ≠ 0; returns Σ_u w·loss_u summed in row order. texp is fastExp's table,
 * tlog and tinv log1pUnit's (log1p(i/256) and 1/(1 + i/256), i ≤ 256).
 *
 * ```wat
 * (func $logit (param $mg $lab $w $r $cw $texp $tlog $tinv $m $curv i32) (result f64)
 *   ;; per row: e = exp(−|s|); g = (s ≥ 0 ? 1 : e)/(1 + e) − t;
 *   ;;   loss += w·((s > 0 ? s : 0) − t·s + log1p(e)); r = w·g; cw = w·(g + t)·(1 − (g + t))
 * )
 * ```
 */
export function emitLogit(): Fn {
  const f = new Fn(10, F64);
  const [mg, lab, w, r, cw, texp, tlog, tinv, m, curv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const u = f.local(I32), ub = f.local(I32), mi = f.local(I32), li = f.local(I32);
  const s = f.local(F64), t = f.local(F64), wu = f.local(F64), x = f.local(F64), mf = f.local(F64), rr = f.local(F64);
  const e = f.local(F64), g = f.local(F64), p = f.local(F64), lf = f.local(F64), f2 = f.local(F64), loss = f.local(F64);
  const v = {
    s: f.local(V128), t: f.local(V128), w: f.local(V128), x: f.local(V128), mf: f.local(V128), rr: f.local(V128), mi: f.local(V128),
    e: f.local(V128), g: f.local(V128), p: f.local(V128), li: f.local(V128), lf: f.local(V128), f2: f.local(V128),
  };
  /** Pushes table[i] for the i32 lanes 0 and 2 of the v128 local `idx` (each lane's low word) as an f64x2. */
  const gather = (table: number, idx: number): void => {
    f.get(table).get(idx).laneI32(0).i32(3).shl().add().load64(0).splatF();
    f.get(table).get(idx).laneI32(2).i32(3).shl().add().load64(0).replaceLane(1);
  };
  /** The v128 local holding `v` in both lanes (loaded before the loop: see fast-math-module.ts's ExpPairConstants). */
  const K = (v: number): number => held.get(v)!;
  /** Rows u and u + 1 in the two lanes: each lane by the one-row operations below, in their order. */
  const rowPair = (): void => {
    f.get(u).i32(3).shl().set(ub);
    f.get(mg).get(ub).add().vload(0).set(v.s);
    f.get(lab).get(u).i32(2).shl().add().load32(0).fromU32().splatF();
    f.get(lab).get(u).i32(2).shl().add().load32(4).fromU32().replaceLane(1).set(v.t);
    f.get(w).get(ub).add().vload(0).set(v.w);
    f.get(v.s).fabs().fneg().set(v.x);
    pushFastExpPair(f, v.x, texp, { mf: v.mf, rr: v.rr, mi: v.mi, e: v.e }, expConstants);
    f.set(v.e);
    f.get(K(1)).get(v.e).get(v.s).vzero().fgeMask().bitselect().get(K(1)).get(v.e).fadd().fdiv().get(v.t).fsub().set(v.g);
    // i = ⌊256e⌋ (e ≥ 0) as an integer-valued f64, and its bits plus TO_INT's for the tables' index
    // (i32 lanes 0 and 2): the same i as a saturating conversion gives, in two instructions for seven.
    f.get(v.e).get(K(LOG_STEPS)).fmul().ftrunc().set(v.lf);
    f.get(v.lf).get(K(TO_INT)).fadd().set(v.li);
    // i/256 as i·(1/256): a power of two, so the same bits as fast-math.ts's division, without a divide.
    f.get(v.e).get(v.lf).get(K(1 / LOG_STEPS)).fmul().fsub();
    gather(tinv, v.li);
    f.fmul().set(v.lf);
    f.get(v.lf).get(v.lf).fmul().set(v.f2);
    gather(tlog, v.li);
    f.get(v.lf).get(v.f2).get(K(1 / 2)).get(v.lf).get(K(1 / 3)).fmul().fsub().fmul().fsub();
    f.get(v.f2).get(v.f2).fmul().get(K(1 / 4)).get(v.lf).get(K(1 / 5)).fmul().fsub().get(v.f2).get(K(1 / 6)).fmul().fadd().fmul().fsub();
    f.fadd().set(v.p); // log1p(e)
    f.get(v.w).get(v.s).vzero().get(v.s).vzero().fgtMask().bitselect().get(v.t).get(v.s).fmul().fsub().get(v.p).fadd().fmul().set(v.p);
    f.get(loss).get(v.p).lane(0).add64().get(v.p).lane(1).add64().set(loss);
    f.get(r).get(ub).add().get(v.w).get(v.g).fmul().vstore(0);
    f.get(curv).if();
    {
      f.get(v.g).get(v.t).fadd().set(v.p);
      f.get(cw).get(ub).add().get(v.w).get(v.p).fmul().get(K(1)).get(v.p).fsub().fmul().vstore(0);
    }
    f.end();
  };
  const row = (): void => {
    f.get(u).i32(3).shl().set(ub);
    f.get(mg).get(ub).add().load64(0).set(s);
    f.get(lab).get(u).i32(2).shl().add().load32(0).fromU32().set(t);
    f.get(w).get(ub).add().load64(0).set(wu);
    f.get(s).abs64().neg64().set(x);
    pushFastExp(f, x, texp, { mf, rr, mi });
    f.set(e);
    // g = (s ≥ 0 ? 1/(1 + e) : e/(1 + e)) − t
    f.f64(1).get(e).get(s).f64(0).ge64().select().f64(1).get(e).add64().div64().get(t).sub64().set(g);
    pushLog1pUnit(f, e, tlog, tinv, { li, lf, f2 });
    // loss += w·(((s > 0 ? s : 0) − t·s) + log1p)
    f.set(p);
    f.get(loss).get(wu).get(s).f64(0).get(s).f64(0).gt64().select().get(t).get(s).mul64().sub64().get(p).add64().mul64().add64().set(loss);
    f.get(r).get(ub).add().get(wu).get(g).mul64().store64(0);
    f.get(curv).if();
    {
      f.get(g).get(t).add64().set(p);
      f.get(cw).get(ub).add().get(wu).get(p).mul64().f64(1).get(p).sub64().mul64().store64(0);
    }
    f.end();
  };
  // One local per distinct constant: the exp pair's 1 and 1/2 serve the log1p pair too.
  const held = loadPairConstants(f, texp, [...EXP_PAIR_VALUES, LOG_STEPS, 1 / LOG_STEPS, TO_INT, 1 / 3, 1 / 4, 1 / 5, 1 / 6]);
  const expConstants = expPairConstants(held);
  f.f64(0).set(loss);
  f.i32(0).set(u);
  f.block().loop(); // $pairs
  {
    f.get(u).i32(2).add().get(m).gtU().brIf(1);
    rowPair();
    f.inc(u, 2).br(0);
  }
  f.end().end();
  f.get(u).get(m).ltU().if(); // the last row of an odd block
  row();
  f.end();
  f.get(loss);
  return f;
}
