/**
 * The softmax of a block's margins on wasm: per row the largest margin, e^(z − max) by
 * fast-math.ts's table-driven exp (the same constants, the same operations in the same order,
 * so it gives fastExp's bits), the probabilities, the residuals ω·(p − [c = label]) the
 * gradient multiplies rows by, and the row's loss ω·(log Σ e^(z − max) + max − z_label) by
 * fastLog, summed over the block. Replaces the per-row JavaScript of the softmax sweep
 * (logistic-math.ts's softmaxRow, which the JavaScript backend keeps; the backend test holds
 * the two together).
 */
import { F64, Fn, I32, V128 } from './asm.js';
import { fastExpPairConstants, pushFastExp, pushFastExpPair, pushFastLog } from './fast-math-module.js';

/**
 * `softmax(p, lab, w, r, st, tab, tlog, tinv, m, k) → loss`: for rows u < m of the row-major m×k
 * margins at byte p, with i32 labels at lab, row weights at w (f64), the 32-entry table
 * 2^(j/32) at tab and log1pUnit's tables at tlog and tinv: p[u] becomes the row's
 * probabilities, r[u·k + c] = w[u]·(p[u][c] − [c = lab[u]]), st[3u..3u+2] = (max_c z, z_label,
 * Σ_c e^(z − max)); returns Σ_u w[u]·((fastLog(sum) + max) − z_label), summed in row order.
 *
 * ```wat
 * (func $softmax (param $p $lab $w $r $st $tab $tlog $tinv $m $k i32) (result f64)
 *   ;; per row: $zmax = max_c z_c; $zl = z_label
 *   ;; per class: $x = z_c − $zmax; $mf = nearest($x·32/ln2); $rr = $x − $mf·hi − $mf·lo;
 *   ;;   $e = (x < −708) ? 0 : 2^($mf >> 5) · (tab[$mf & 31] · poly($rr)); z_c = $e; $sum += $e
 *   ;; per class: p_c = z_c · (1/$sum); r_c = w·(p_c − [c = label])
 *   ;; st = ($zmax, $zl, $sum); $loss += w·((fastLog($sum) + $zmax) − $zl)
 * )
 * ```
 */
export function emitSoftmax(): Fn {
  const f = new Fn(10, F64);
  const [p, lab, w, r, st, tab, tlog, tinv, m, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const u = f.local(I32), c = f.local(I32), kb = f.local(I32), pairsb = f.local(I32), rowp = f.local(I32), rowr = f.local(I32);
  const y = f.local(I32), mi = f.local(I32), sb = f.local(I32);
  const zmax = f.local(F64), zl = f.local(F64), x = f.local(F64), mf = f.local(F64), rr = f.local(F64);
  const e = f.local(F64), sum = f.local(F64), inv = f.local(F64), wu = f.local(F64), pc = f.local(F64);
  const log = { ei: f.local(I32), e: f.local(F64), mx: f.local(F64), li: f.local(I32), lf: f.local(F64), f2: f.local(F64) };
  const loss = f.local(F64);
  const vx = f.local(V128), vmf = f.local(V128), vrr = f.local(V128), vmi = f.local(V128), ve = f.local(V128), vmax = f.local(V128);
  /** The classes' loop over byte offsets c: pairs of classes while two remain (`pair`), then the odd last one (`single`). */
  const classes = (pair: () => void, single: () => void): void => {
    f.i32(0).set(c);
    f.block().loop();
    {
      f.get(c).get(pairsb).geU().brIf(1);
      pair();
      f.inc(c, 16).br(0);
    }
    f.end().end();
    f.get(c).get(kb).ltU().if();
    single();
    f.end();
  };
  f.f64(0).set(loss);
  f.get(m).eqz().if().get(loss).ret().end();
  const expConstants = fastExpPairConstants(f, tab);
  f.get(k).i32(3).shl().set(kb);
  f.get(k).i32(-2).and().i32(3).shl().set(pairsb);
  f.get(p).set(rowp);
  f.get(r).set(rowr);
  f.i32(0).set(u);
  f.loop(); // $rows
  {
    f.get(lab).get(u).i32(2).shl().add().load32(0).set(y);
    // The largest margin: max is exact, so any order gives softmaxRow's. pmax is one maxpd where
    // f64x2.max's rules for NaN and signed zeros cost several instructions (4.7 → 3.9 ms a
    // pass over 80,000 × 10 margins); a NaN margin still ends in a NaN loss, by its own exp.
    f.get(rowp).load64(0).splatF().set(vmax);
    classes(() => {
      f.get(vmax).get(rowp).get(c).add().vload(0).pmax().set(vmax);
    }, () => {
      f.get(vmax).get(rowp).get(c).add().load64(0).splatF().pmax().set(vmax);
    });
    f.get(vmax).lane(0).get(vmax).lane(1).max64().set(zmax);
    f.get(rowp).get(y).i32(3).shl().add().load64(0).set(zl);
    // e^(z − max), two classes a turn; the sum adds them one by one, in class order, as softmaxRow does.
    f.f64(0).set(sum);
    classes(() => {
      f.get(rowp).get(c).add().vload(0).get(zmax).splatF().fsub().set(vx);
      pushFastExpPair(f, vx, tab, { mf: vmf, rr: vrr, mi: vmi, e: ve }, expConstants);
      f.set(ve);
      f.get(rowp).get(c).add().get(ve).vstore(0);
      f.get(sum).get(ve).lane(0).add64().get(ve).lane(1).add64().set(sum);
    }, () => {
      f.get(rowp).get(c).add().load64(0).get(zmax).sub64().set(x);
      pushFastExp(f, x, tab, { mf, rr, mi });
      f.set(e);
      f.get(rowp).get(c).add().get(e).store64(0);
      f.get(sum).get(e).add64().set(sum);
    });
    f.f64(1).get(sum).div64().set(inv);
    f.get(w).get(u).i32(3).shl().add().load64(0).set(wu);
    // Probabilities and residuals ω·p; the label's residual is then ω·(p − 1).
    classes(() => {
      f.get(rowp).get(c).add().vload(0).get(inv).splatF().fmul().set(ve);
      f.get(rowp).get(c).add().get(ve).vstore(0);
      f.get(rowr).get(c).add().get(wu).splatF().get(ve).fmul().vstore(0);
    }, () => {
      f.get(rowp).get(c).add().load64(0).get(inv).mul64().set(pc);
      f.get(rowp).get(c).add().get(pc).store64(0);
      f.get(rowr).get(c).add().get(wu).get(pc).mul64().store64(0);
    });
    f.get(rowr).get(y).i32(3).shl().add().get(wu).get(rowp).get(y).i32(3).shl().add().load64(0).f64(1).sub64().mul64().store64(0);
    f.get(st).get(u).i32(24).mul().add().set(sb);
    f.get(sb).get(zmax).store64(0);
    f.get(sb).get(zl).store64(8);
    f.get(sb).get(sum).store64(16);
    // The row's loss as softmaxRow returns it, weighted and added in row order.
    f.get(loss).get(wu);
    pushFastLog(f, sum, tlog, tinv, log);
    f.get(zmax).add64().get(zl).sub64().mul64().add64().set(loss);
    f.incBy(rowp, kb).incBy(rowr, kb);
    f.inc(u, 1).get(u).get(m).ltU().brIf(0);
  }
  f.end();
  f.get(loss);
  return f;
}
