/**
 * numpy's legacy `RandomState`, bit for bit: the MT19937 generator seeded from an integer as
 * numpy seeds it, and the draws scikit-learn and scipy make from it (`random_sample`,
 * `uniform`, `randint` with numpy's masked rejection, `shuffle`, `permutation`, `choice`).
 * With the same integer seed, every splitter and sampler built on it draws exactly what
 * scikit-learn 1.2 draws for that `random_state`.
 * @example
 * ```ts
 * const rng = new RandomState(0);
 * rng.randomSample();   // 0.5488135039273248, as np.random.RandomState(0).random_sample()
 * rng.permutation(5);   // Int32Array [2, 0, 1, 3, 4]... whatever numpy gives for the state
 * ```
 */
import { ValueError } from '../errors.js';
import { describe } from './option-checks.js';

const STATE_LEN = 624;
const SHIFT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
/** numpy refuses integer seeds outside [0, 2**32 - 1]. */
export const MAX_SEED = 0xffffffff;
const TWO_32 = 4294967296;

/**
 * Throws unless `value` is a seed numpy's `RandomState` accepts as an integer; returns it.
 * `name` is the option or key named in the message.
 */
export function checkNumpySeed(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    throw new ValueError(`${name} must be an integer between 0 and 2**32 - 1 (numpy's random_state), found ${describe(value)}`);
  }
  return value;
}

/** The smallest all-ones bit mask >= `max` (max < 2**32). */
function mask32(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

/**
 * numpy's `RandomState(seed)` for an integer seed. Every method consumes the generator
 * exactly as numpy's method of the same name.
 * @example
 * ```ts
 * new RandomState(42).randint(0, 10); // 6, as np.random.RandomState(42).randint(10)
 * ```
 */
export class RandomState {
  private readonly key = new Uint32Array(STATE_LEN);
  private pos = STATE_LEN;

  constructor(seed: number) {
    let s = checkNumpySeed('seed', seed) >>> 0;
    // numpy's mt19937_seed (Matsumoto and Nishimura's init_genrand).
    for (let i = 0; i < STATE_LEN; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
  }

  private refill(): void {
    const k = this.key;
    let i = 0;
    for (; i < STATE_LEN - SHIFT_M; i++) {
      const y = (k[i]! & UPPER_MASK) | (k[i + 1]! & LOWER_MASK);
      k[i] = k[i + SHIFT_M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < STATE_LEN - 1; i++) {
      const y = (k[i]! & UPPER_MASK) | (k[i + 1]! & LOWER_MASK);
      k[i] = k[i + SHIFT_M - STATE_LEN]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (k[STATE_LEN - 1]! & UPPER_MASK) | (k[0]! & LOWER_MASK);
    k[STATE_LEN - 1] = k[SHIFT_M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }

  /** The next 32 random bits, as an unsigned integer (numpy's `next_uint32`). */
  nextUint32(): number {
    if (this.pos === STATE_LEN) this.refill();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) from 53 random bits (`random_sample()`). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `uniform(low, high)`: low + (high - low) * random_sample(). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.randomSample();
  }

  /**
   * A uniform integer in [0, max], max < 2**53: numpy's masked rejection (draw, mask to the
   * smallest covering power of two, retry while above max), 32-bit draws while max fits in
   * 32 bits and 64-bit draws (high word first) above.
   */
  private bounded(max: number): number {
    if (max === 0) return 0;
    if (max <= MAX_SEED) {
      const mask = mask32(max);
      let value: number;
      do value = (this.nextUint32() & mask) >>> 0;
      while (value > max);
      return value;
    }
    const maxHi = Math.floor(max / TWO_32);
    const maskHi = mask32(maxHi);
    for (;;) {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      const value = hi * TWO_32 + lo;
      if (value <= max) return value;
    }
  }

  /**
   * `randint(low, high)`: an integer in [low, high), or `randint(high)` in [0, high) as numpy
   * reads one argument. The range must stay below 2**53.
   */
  randint(low: number, high?: number): number {
    const [lo, hi] = high === undefined ? [0, low] : [low, high];
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo || !Number.isSafeInteger(hi - lo)) {
      throw new ValueError(`randint: need integers low < high within 2**53, found low=${describe(lo)}, high=${describe(hi)}`);
    }
    return lo + this.bounded(hi - lo - 1);
  }

  /** Shuffles `values` in place: numpy's legacy Fisher-Yates, last position first. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.bounded(i);
      const t = values[i]!;
      values[i] = values[j]!;
      values[j] = t;
    }
    return values;
  }

  /**
   * `permutation(n)`: 0..n-1 shuffled; `permutation(values)`: a shuffled copy of `values`.
   */
  permutation(n: number | Int32Array): Int32Array {
    if (typeof n !== 'number') return this.shuffle(Int32Array.from(n));
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * `choice(n, size, replace=False)` without probabilities: the first `size` entries of
   * `permutation(n)` (numpy's legacy path draws the whole permutation).
   */
  choiceWithoutReplacement(n: number, size: number): Int32Array {
    return this.permutation(n).subarray(0, size);
  }
}
