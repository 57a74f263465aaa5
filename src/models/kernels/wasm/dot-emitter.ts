/**
 * The dot product the wasm kernels emit wherever one row meets one vector (the
 * triangular solve's forward rows): two lanes a load, the lanes summed, then the odd last product.
 */
import type { Fn } from './asm.js';

/**
 * Emits out = Σ_{k < bytes/8} x[k]·y[k] for byte addresses in the i32 locals x and y and the byte
 * length in the i32 local `bytes`; `acc` (v128) and `at` (i32) are scratch locals, `out` an f64
 * local. Leaves nothing on the stack.
 */
export function emitDot(f: Fn, x: number, y: number, bytes: number, scratch: { acc: number; at: number }, out: number): void {
  const { acc, at } = scratch;
  f.vzero().set(acc);
  f.i32(0).set(at);
  f.block().loop();
  {
    f.get(at).i32(16).add().get(bytes).gtU().brIf(1);
    f.get(acc).get(x).get(at).add().vload(0).get(y).get(at).add().vload(0).fmul().fadd().set(acc);
    f.inc(at, 16).br(0);
  }
  f.end().end();
  f.get(acc).lane(0).get(acc).lane(1).add64().set(out);
  f.get(at).get(bytes).ltU().if();
  f.get(out).get(x).get(at).add().load64(0).get(y).get(at).add().load64(0).mul64().add64().set(out);
  f.end();
}
