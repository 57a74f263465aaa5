/**
 * The per-row work of the binary logistic sweep on wasm: from each row's margin s, target t
 * and weight ω, the residual ω·(σ(s) − t), the curvature weight ω·σ(1 − σ) when a Hessian is
 * taken, and the summed loss Σ ω·(log(1 + e^s) − t·s), by logistic-math.ts's formulas with
 * fast-math.ts's exp and log1p, operation for operation (a test holds them bit for bit).
 */
import { F64, Fn, I32 } from './asm.js';
import { pushFastExp } from './softmax-module.js';
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
  f.f64(0).set(loss);
  f.i32(0).set(u);
  f.block();
  f.get(m).eqz().brIf(0);
  f.loop(); // $rows
  {
    f.get(u).i32(3).shl().set(ub);
    f.get(mg).get(ub).add().load64(0).set(s);
    f.get(lab).get(u).i32(2).shl().add().load32(0).fromU32().set(t);
    f.get(w).get(ub).add().load64(0).set(wu);
    f.get(s).abs64().neg64().set(x);
    pushFastExp(f, x, texp, { mf, rr, mi });
    f.set(e);
    // g = (s ≥ 0 ? 1/(1 + e) : e/(1 + e)) − t
    f.f64(1).get(e).get(s).f64(0).ge64().select().f64(1).get(e).add64().div64().get(t).sub64().set(g);
    // log1pUnit(e): i = ⌊256e⌋, f = (e − i/256)·inv[i], nodes[i] + f − f²(1/2 − f/3) − f⁴(1/4 − f/5 + f²/6)
    f.get(e).f64(LOG_STEPS).mul64().truncSat().set(li);
    f.get(e).get(li).fromU32().f64(LOG_STEPS).div64().sub64();
    f.get(tinv).get(li).i32(3).shl().add().load64(0).mul64().set(lf);
    f.get(lf).get(lf).mul64().set(f2);
    f.get(tlog).get(li).i32(3).shl().add().load64(0); // nodes[i], added last
    f.get(lf).get(f2).f64(1 / 2).get(lf).f64(1 / 3).mul64().sub64().mul64().sub64();
    f.get(f2).get(f2).mul64().f64(1 / 4).get(lf).f64(1 / 5).mul64().sub64().get(f2).f64(1 / 6).mul64().add64().mul64().sub64();
    f.add64(); // nodes[i] + s
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
    f.inc(u, 1).get(u).get(m).ltU().brIf(0);
  }
  f.end();
  f.end();
  f.get(loss);
  return f;
}
