/**
 * Python's `math.log(x, base)` and float `//`, as scikit-learn's successive halving computes
 * its schedule with them. `floor(log(243, 3))` is 4 in Python (glibc's log is correctly
 * rounded; V8's `Math.log(3)` is one ulp low), so the rung count depends on the last bit:
 * this module computes logarithms in double-double precision and rounds once.
 * @example
 * ```ts
 * pyLog(243, 3); // 4.999999999999999, as Python's math.log(243, 3)
 * ```
 */

/** Dekker's splitter for 53-bit doubles: 2**27 + 1. */
const SPLITTER = 134217729;
/** ln 2 as a double-double (hi + lo). */
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
/** Terms of the atanh series: |t| <= 0.172 after reduction, so 0.172**50 is far below 2**-106. */
const ATANH_TERMS = 25;

type DD = readonly [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

function split(a: number): DD {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  return twoSum(s, e + x[1] + y[1]);
}

function mul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return twoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}

function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = add(x, mul([-q1, 0], y));
  const q2 = r[0] / y[0];
  const r2 = add(r, mul([-q2, 0], y));
  return add(twoSum(q1, q2), [r2[0] / y[0], 0]);
}

/** ln(x) for finite x > 0, correctly rounded in all but vanishingly rare cases. */
export function correctLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  // x = m * 2**e with m in [sqrt(1/2), sqrt(2)): scaling by powers of two is exact.
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  while (m >= Math.SQRT2) { m /= 2; e++; }
  while (m < Math.SQRT1_2) { m *= 2; e--; }
  // ln m = 2 atanh(t), t = (m - 1) / (m + 1); m - 1 is exact here (Sterbenz).
  const t = div([m - 1, 0], twoSum(m, 1));
  const t2 = mul(t, t);
  let term: DD = t;
  let sum: DD = t;
  for (let k = 1; k <= ATANH_TERMS; k++) {
    term = mul(term, t2);
    sum = add(sum, div(term, [2 * k + 1, 0]));
  }
  const result = add(mul([e, 0], [LN2_HI, LN2_LO]), mul([2, 0], sum));
  return result[0] + result[1];
}

/**
 * Python's `math.log(x)` or `math.log(x, base)` (the quotient of two rounded logarithms).
 * @example
 * ```ts
 * Math.floor(pyLog(27, 3)); // 3 (27 = 3**3; Python gives 3.0000000000000004)
 * ```
 */
export function pyLog(x: number, base?: number): number {
  return base === undefined ? correctLog(x) : correctLog(x) / correctLog(base);
}

/**
 * Python's `a // b` for numbers: floor division as CPython computes it for floats (exact for
 * integers within 2**53).
 * @example
 * ```ts
 * pyFloorDiv(7, 2);   // 3
 * pyFloorDiv(10, 1.5); // 6
 * ```
 */
export function pyFloorDiv(a: number, b: number): number {
  if (Number.isInteger(a) && Number.isInteger(b)) {
    // a / b may round up onto an integer; step back when the product says so.
    const q = Math.floor(a / b);
    return q * b > a && b > 0 ? q - 1 : q;
  }
  // CPython's float_floor_div: from fmod, adjusted to floor's sign convention.
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b);
  const floorDiv = Math.floor(div);
  return div - floorDiv > 0.5 ? floorDiv + 1 : floorDiv;
}
