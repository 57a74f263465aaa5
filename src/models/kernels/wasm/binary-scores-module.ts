/**
 * The binary scores' row sums in wasm: for M binary models' decision values side by side, each
 * model's hits (rows predicted right) and log-loss sum, by search/decision-scores.ts's
 * operations in its order (fastExp's sigmoid, the clip, the renormalised pair, Math.log as
 * ieee-log-module.ts takes it), so both give the same bits (a test holds them so).
 */
import { F64, Fn, I32 } from './asm.js';
import { pushFastExp } from './fast-math-module.js';
import { emitIeeeLog, logScratch } from './ieee-log-module.js';

/** scikit-learn's log_loss clip for float64 probabilities (search/metrics/classification.ts's LOG_LOSS_EPS). */
const EPS = Number.EPSILON;

/**
 * `binaryScores(z, flags, n, M, hits, losses, withLoss, texp)`: for rows r < n (flag i32 1: the
 * row's label is the first class, 2: the second, 0: neither) and models m < M with decision value
 * z[r·M + m]: hits[m] += 1 where z > 0 predicts the second class and the row has it (z ≤ 0, the
 * first); with withLoss ≠ 0, losses[m] −= log(q / ((1 − p) + p)), p = σ(z) clipped to
 * [eps, 1 − eps], q = 1 − p for a row of the first class, else p. texp: fastExp's table.
 */
export function emitBinaryScores(): Fn {
  const f = new Fn(8);
  const [z, flags, n, M, hits, losses, withLoss, texp] = [0, 1, 2, 3, 4, 5, 6, 7];
  const r = f.local(I32), m = f.local(I32), pz = f.local(I32), flag = f.local(I32), isFirst = f.local(I32), isSecond = f.local(I32);
  const at = f.local(I32), mi = f.local(I32);
  const zm = f.local(F64), x = f.local(F64), e = f.local(F64), p = f.local(F64), om = f.local(F64), lg = f.local(F64);
  const mf = f.local(F64), rr = f.local(F64);
  const scratch = logScratch(f);
  f.get(n).eqz().get(M).eqz().or().if().ret().end();
  f.get(z).set(pz);
  f.i32(0).set(r);
  f.loop(); // $rows
  {
    f.get(flags).get(r).i32(2).shl().add().load32(0).set(flag);
    f.get(flag).i32(1).eq().set(isFirst);
    f.get(flag).i32(2).eq().set(isSecond);
    f.i32(0).set(m);
    f.loop(); // $models
    {
      f.get(pz).load64(0).set(zm);
      f.get(m).i32(3).shl().set(at);
      f.get(isSecond).get(isFirst).get(zm).f64(0).gt64().select().if();
      f.get(hits).get(at).add().get(hits).get(at).add().load64(0).f64(1).add64().store64(0);
      f.end();
      f.get(withLoss).if();
      {
        // p = σ(z) as logistic-math.ts's sigmoid: e = fastExp(−|z|), (z ≥ 0 ? 1 : e) / (1 + e)
        f.get(zm).abs64().neg64().set(x);
        pushFastExp(f, x, texp, { mf, rr, mi });
        f.set(e);
        f.f64(1).get(e).get(zm).f64(0).ge64().select().f64(1).get(e).add64().div64().set(p);
        // clipProbability(p, eps): NaN passes through
        f.get(p).f64(EPS).lt64().if();
        f.f64(EPS).set(p);
        f.else();
        f.f64(1 - EPS).get(p).get(p).f64(1 - EPS).gt64().select().set(p);
        f.end();
        f.f64(1).get(p).sub64().set(om);
        f.get(om).get(p).get(isFirst).select().get(om).get(p).add64().div64().set(x);
        emitIeeeLog(f, x, lg, scratch);
        f.get(losses).get(at).add().get(losses).get(at).add().load64(0).get(lg).sub64().store64(0);
      }
      f.end();
      f.inc(pz, 8);
      f.inc(m, 1).get(m).get(M).ltU().brIf(0);
    }
    f.end();
    f.inc(r, 1).get(r).get(n).ltU().brIf(0);
  }
  f.end();
  return f;
}

/** `logs(src, dst, n)`: dst[i] = Math.log(src[i]) for i < n, by {@link emitIeeeLog} (its test reads it). */
export function emitLogs(): Fn {
  const f = new Fn(3);
  const [src, dst, n] = [0, 1, 2];
  const i = f.local(I32), x = f.local(F64), out = f.local(F64);
  const scratch = logScratch(f);
  f.get(n).eqz().if().ret().end();
  f.i32(0).set(i);
  f.loop();
  {
    f.get(src).get(i).i32(3).shl().add().load64(0).set(x);
    emitIeeeLog(f, x, out, scratch);
    f.get(dst).get(i).i32(3).shl().add().get(out).store64(0);
    f.inc(i, 1).get(i).get(n).ltU().brIf(0);
  }
  f.end();
  return f;
}
