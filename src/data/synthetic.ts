/**
 * Seeded synthetic datasets in the spirit of scikit-learn's `make_regression` and
 * `make_classification`. Deterministic per seed (seedrandom's Alea generator, Gaussians by
 * Box-Muller in its polar form); not bit-equal to scikit-learn's.
 */
import seedrandom from 'seedrandom';
import { ValueError } from '../errors.js';
import { ndarray, type NdArray } from './ndarray.js';

/** Options of {@link makeRegression}; defaults are scikit-learn's. */
export interface MakeRegressionOptions {
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Features that carry signal (the first ones); default min(10, nFeatures). */
  readonly nInformative?: number;
  /** Standard deviation of Gaussian noise added to y; default 0. */
  readonly noise?: number;
  /** Intercept of the linear model; default 0. */
  readonly bias?: number;
  readonly seed: number | string;
}

/** Options of {@link makeClassification}; defaults are scikit-learn's. */
export interface MakeClassificationOptions {
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Features whose class means differ (the first ones); default min(2, nFeatures). */
  readonly nInformative?: number;
  /** Default 2; at most 2^nInformative (one hypercube vertex per class). */
  readonly nClasses?: number;
  /** Half the distance between class means along each informative axis; default 1. */
  readonly classSep?: number;
  readonly seed: number | string;
}

/**
 * Fills `out` with standard normal draws by the polar form of Box-Muller (Marsaglia): no
 * trigonometry, one log and one sqrt per pair, both values of each pair used.
 */
function fillNormal(out: Float64Array, random: () => number): void {
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * random() - 1;
      v = 2 * random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    out[i] = u * m;
    if (i + 1 < n) out[i + 1] = v * m;
  }
}

/**
 * A linear regression problem: X ~ N(0, 1) (C order), y = X[:, :nInformative]·coef + bias + noise·N(0, 1),
 * with coef ~ 100·U(0, 1) on the informative features and 0 elsewhere.
 * @example
 * ```ts
 * const { X, y, coef } = makeRegression({ nSamples: 1000, nFeatures: 20, noise: 1, seed: 0 });
 * ```
 */
export function makeRegression(options: MakeRegressionOptions): { X: NdArray<'float64'>; y: NdArray<'float64'>; coef: Float64Array } {
  const { nSamples, nFeatures } = checkSizes('makeRegression', options);
  const nInformative = options.nInformative ?? Math.min(10, nFeatures);
  checkCount('makeRegression', 'nInformative', nInformative, 0, nFeatures);
  const noise = options.noise ?? 0;
  const bias = options.bias ?? 0;
  if (!Number.isFinite(noise) || noise < 0) throw new ValueError(`makeRegression: options.noise must be a non-negative number, found ${noise}`);
  if (!Number.isFinite(bias)) throw new ValueError(`makeRegression: options.bias must be a finite number, found ${bias}`);
  const random = seedrandom.alea(String(options.seed));
  const X = new Float64Array(nSamples * nFeatures);
  fillNormal(X, random);
  const coef = new Float64Array(nFeatures);
  for (let j = 0; j < nInformative; j++) coef[j] = 100 * random();
  const y = new Float64Array(nSamples);
  if (noise > 0) fillNormal(y, random);
  for (let i = 0; i < nSamples; i++) {
    const row = i * nFeatures;
    let s = bias + noise * y[i]!;
    for (let j = 0; j < nInformative; j++) s += X[row + j]! * coef[j]!;
    y[i] = s;
  }
  return { X: ndarray('float64', [nSamples, nFeatures], X), y: ndarray('float64', [nSamples], y), coef };
}

/**
 * A classification problem: classes of (nearly) equal size in shuffled order, each a Gaussian
 * blob around its own vertex of the hypercube [-classSep, classSep]^nInformative; the other
 * features are N(0, 1) noise. y holds int64 labels 0..nClasses-1, numpy's default integer dtype.
 * @example
 * ```ts
 * const { X, y } = makeClassification({ nSamples: 1000, nFeatures: 20, nClasses: 3, nInformative: 4, seed: 0 });
 * ```
 */
export function makeClassification(options: MakeClassificationOptions): { X: NdArray<'float64'>; y: NdArray<'int64'> } {
  const { nSamples, nFeatures } = checkSizes('makeClassification', options);
  const nInformative = options.nInformative ?? Math.min(2, nFeatures);
  checkCount('makeClassification', 'nInformative', nInformative, 1, nFeatures);
  const nClasses = options.nClasses ?? 2;
  checkCount('makeClassification', 'nClasses', nClasses, 2, 2 ** Math.min(nInformative, 30));
  const classSep = options.classSep ?? 1;
  if (!Number.isFinite(classSep) || classSep < 0) throw new ValueError(`makeClassification: options.classSep must be a non-negative number, found ${classSep}`);
  const random = seedrandom.alea(String(options.seed));
  const centroids = hypercubeVertices(nClasses, nInformative, classSep, random);
  const labels = shuffledLabels(nSamples, nClasses, random);
  const X = new Float64Array(nSamples * nFeatures);
  fillNormal(X, random);
  const y = new BigInt64Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    const k = labels[i]!;
    const row = i * nFeatures;
    const c = k * nInformative;
    for (let j = 0; j < nInformative; j++) X[row + j] = X[row + j]! + centroids[c + j]!;
    y[i] = BigInt(k);
  }
  return { X: ndarray('float64', [nSamples, nFeatures], X), y: ndarray('int64', [nSamples], y) };
}

/** `count` distinct random vertices of the hypercube, row-major (count x dims). */
function hypercubeVertices(count: number, dims: number, sep: number, random: () => number): Float64Array {
  const out = new Float64Array(count * dims);
  const seen = new Set<string>();
  for (let k = 0; k < count;) {
    let key = '';
    for (let j = 0; j < dims; j++) {
      const bit = random() < 0.5 ? 0 : 1;
      key += bit;
      out[k * dims + j] = bit ? sep : -sep;
    }
    if (!seen.has(key)) { seen.add(key); k++; }
  }
  return out;
}

/** Labels 0..k-1 repeated as evenly as possible, then Fisher-Yates shuffled. */
function shuffledLabels(n: number, k: number, random: () => number): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i % k;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = labels[i]!;
    labels[i] = labels[j]!;
    labels[j] = t;
  }
  return labels;
}

function checkSizes(fn: string, o: { nSamples: number; nFeatures: number; seed: number | string }): { nSamples: number; nFeatures: number } {
  checkCount(fn, 'nSamples', o.nSamples, 1, 2 ** 31 - 1);
  checkCount(fn, 'nFeatures', o.nFeatures, 1, 2 ** 31 - 1);
  if (typeof o.seed !== 'number' && typeof o.seed !== 'string') throw new ValueError(`${fn}: options.seed must be a number or string, found ${typeof o.seed}`);
  return { nSamples: o.nSamples, nFeatures: o.nFeatures };
}

function checkCount(fn: string, name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValueError(`${fn}: options.${name} must be an integer in [${min}, ${max}], found ${value}`);
  }
}
