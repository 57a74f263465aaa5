/**
 * The `.npy` header: magic, version, header length and a Python-literal dict such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
 * The dict is read by a small tokenizer/parser for the few literal forms numpy writes,
 * never by evaluating it.
 */
import { NpyFormatError, printable } from '../errors.js';
import { descrOf, itemSize, parseDescr, type ByteOrder, type DType } from './dtypes.js';
import { shapeSize, type Order } from './ndarray.js';

/** The six bytes every `.npy` file starts with. */
export const NPY_MAGIC = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** numpy pads the header so the data starts at a multiple of this many bytes. */
export const NPY_ALIGN = 64;
/** numpy's guard against header bombs (`max_header_size`): longer header text is refused. */
export const NPY_MAX_HEADER_SIZE = 10_000;
/** Bytes before the header text: magic + 2 version bytes (+ 2 or 4 length bytes). */
const PREAMBLE_LEN = NPY_MAGIC.length + 2;
/** numpy leaves room to grow the first (C) or last (F) axis in place: pad to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** Nesting deeper than this is never a valid header; stop before the stack does. */
const MAX_DEPTH = 16;

/** What a `.npy` header says about the array that follows it. */
export interface NpyHeader {
  readonly version: readonly [number, number];
  readonly descr: string;
  readonly dtype: DType;
  readonly byteOrder: ByteOrder;
  readonly order: Order;
  readonly shape: readonly number[];
  /** Byte offset of the first element (magic + length field + header text). */
  readonly dataOffset: number;
  /** Bytes of element data the shape needs. */
  readonly dataBytes: number;
}

/** A Python literal as it can appear in a header. */
export type PyValue = string | number | boolean | null | PyValue[] | PyTuple | Map<string, PyValue>;
/** A Python tuple, kept apart from lists because numpy requires `shape` to be a tuple. */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/**
 * How many bytes must be read to know the header length, and the header length field's size.
 * @throws NpyFormatError on a wrong magic or an unknown version.
 */
export function npyPreamble(bytes: Uint8Array, path: string): { version: [number, number]; lengthBytes: number; headerLength: number } {
  if (bytes.length < PREAMBLE_LEN + 2) {
    throw new NpyFormatError(path, `not a .npy file: expected at least ${PREAMBLE_LEN + 2} bytes, found ${bytes.length}`);
  }
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (bytes[i] !== NPY_MAGIC[i]) {
      throw new NpyFormatError(path, `not a .npy file: expected magic \\x93NUMPY, found ${printable(JSON.stringify(latin1(bytes.subarray(0, 6))))}`);
    }
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (minor !== 0 || major < 1 || major > 3) {
    throw new NpyFormatError(path, `unsupported .npy version ${major}.${minor}: expected 1.0, 2.0 or 3.0`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < PREAMBLE_LEN + lengthBytes) {
    throw new NpyFormatError(path, `truncated header: expected ${PREAMBLE_LEN + lengthBytes} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = lengthBytes === 2 ? view.getUint16(PREAMBLE_LEN, true) : view.getUint32(PREAMBLE_LEN, true);
  return { version: [major, 0], lengthBytes, headerLength };
}

/**
 * Parse the header at the start of `bytes` (which must hold at least the whole header).
 * @throws NpyFormatError naming `path` and what was expected vs found.
 * @example
 * ```ts
 * const h = parseNpyHeader(fs.readFileSync('x.npy'), 'x.npy'); // h.dtype, h.shape, h.dataOffset
 * ```
 */
export function parseNpyHeader(bytes: Uint8Array, path: string): NpyHeader {
  const { version, lengthBytes, headerLength } = npyPreamble(bytes, path);
  const start = PREAMBLE_LEN + lengthBytes;
  if (headerLength > NPY_MAX_HEADER_SIZE) {
    throw new NpyFormatError(path, `header is ${headerLength} bytes, more than the ${NPY_MAX_HEADER_SIZE} allowed (numpy's max_header_size)`);
  }
  if (bytes.length < start + headerLength) {
    throw new NpyFormatError(path, `truncated header: expected ${start + headerLength} bytes, found ${bytes.length}`);
  }
  const raw = bytes.subarray(start, start + headerLength);
  const text = version[0] === 3 ? new TextDecoder('utf-8', { fatal: false }).decode(raw) : latin1(raw);
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (e) {
    throw new NpyFormatError(path, `cannot parse header ${printable(JSON.stringify(text.slice(0, 200)))}: ${(e as Error).message}`, { cause: e });
  }
  return { version, ...headerFields(dict, path), dataOffset: start + headerLength };
}

function headerFields(dict: PyValue, path: string): Omit<NpyHeader, 'version' | 'dataOffset'> {
  if (!(dict instanceof Map)) throw new NpyFormatError(path, `header is not a dict: found ${describe(dict)}`);
  const keys = [...dict.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw new NpyFormatError(path, `header keys: expected ['descr', 'fortran_order', 'shape'], found [${keys.map((k) => `'${printable(k)}'`).join(', ')}]`);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new NpyFormatError(path, `unsupported dtype descriptor ${describe(descr!)} (structured dtypes are not supported)`);
  if (typeof fortran !== 'boolean') throw new NpyFormatError(path, `fortran_order: expected True or False, found ${describe(fortran!)}`);
  if (!(shape instanceof PyTuple)) throw new NpyFormatError(path, `shape: expected a tuple of ints, found ${describe(shape!)}`);
  const dims: number[] = [];
  for (const d of shape.items) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new NpyFormatError(path, `shape: expected non-negative integers, found ${describe(shape)}`);
    }
    dims.push(d);
  }
  let parsed: { dtype: DType; byteOrder: ByteOrder };
  try {
    parsed = parseDescr(descr);
  } catch (e) {
    throw new NpyFormatError(path, (e as Error).message, { cause: e });
  }
  const dataBytes = shapeSize(dims) * itemSize(parsed.dtype);
  if (!Number.isSafeInteger(dataBytes)) throw new NpyFormatError(path, `shape ${describe(shape)} is too large to address`);
  return { descr, ...parsed, order: fortran ? 'F' : 'C', shape: dims, dataBytes };
}

/**
 * The header bytes numpy 1.24's `np.save` writes for an array (byte-identical), version 1.0
 * unless the header needs 2.0.
 * @example
 * ```ts
 * const head = encodeNpyHeader({ descr: '<f8', order: 'C', shape: [3, 4] }); // head.length === 128
 * ```
 */
export function encodeNpyHeader(h: { descr: string; order: Order; shape: readonly number[] }): Uint8Array {
  const fortran = h.order === 'F' && !isCContiguous(h.shape);
  const shapeRepr = h.shape.length === 1 ? `(${h.shape[0]},)` : `(${h.shape.join(', ')})`;
  let text = `{'descr': '${h.descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeRepr}, }`;
  if (h.shape.length > 0) {
    const growth = h.shape[fortran ? h.shape.length - 1 : 0]!;
    text += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(growth).length);
  }
  for (const major of [1, 2] as const) {
    const lengthBytes = major === 1 ? 2 : 4;
    const hlen = text.length + 1;
    const padlen = NPY_ALIGN - ((PREAMBLE_LEN + lengthBytes + hlen) % NPY_ALIGN);
    const total = hlen + padlen;
    if (major === 1 && total > 0xffff) continue;
    const out = new Uint8Array(PREAMBLE_LEN + lengthBytes + total);
    out.set(NPY_MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (lengthBytes === 2) view.setUint16(PREAMBLE_LEN, total, true);
    else view.setUint32(PREAMBLE_LEN, total, true);
    const body = text + ' '.repeat(padlen) + '\n';
    for (let i = 0; i < body.length; i++) out[PREAMBLE_LEN + lengthBytes + i] = body.charCodeAt(i);
    return out;
  }
  throw new Error('unreachable: version 2.0 holds any header');
}

/** numpy's header descriptor for a dtype in native (little-endian) order. */
export function nativeDescr(dtype: DType): string {
  return descrOf(dtype, '<');
}

/** True when an array of `shape` has the same layout in C and F order (numpy's c_contiguous flag). */
export function isCContiguous(shape: readonly number[]): boolean {
  if (shape.includes(0)) return true;
  return shape.filter((s) => s > 1).length <= 1;
}

// ---------------------------------------------------------------- literal parser

type Token =
  | { kind: 'punct'; text: '{' | '}' | '(' | ')' | '[' | ']' | ':' | ',' }
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'end' };

/**
 * Parse one Python literal (dict, tuple, list, str, int, True/False/None) and nothing after it.
 * @throws Error with the position of the first unexpected character or token.
 * @example
 * ```ts
 * parsePyLiteral("{'shape': (5,), 'fortran_order': False}"); // Map { 'shape' => PyTuple([5]), ... }
 * ```
 */
export function parsePyLiteral(text: string): PyValue {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isPunct = (t: Token, p: string): boolean => t.kind === 'punct' && t.text === p;

  // Items up to `close`, with Python's trailing-comma rules; returns whether any comma was seen.
  const sequence = (close: string, depth: number): { items: PyValue[]; comma: boolean } => {
    const items: PyValue[] = [];
    let comma = false;
    while (!isPunct(peek(), close)) {
      items.push(value(depth + 1));
      if (isPunct(peek(), ',')) { next(); comma = true; } else break;
    }
    expect(close);
    return { items, comma };
  };
  const expect = (p: string): void => {
    const t = next();
    if (!isPunct(t, p)) throw new Error(`expected '${p}', found ${tokenText(t)}`);
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH}`);
    const t = next();
    if (t.kind === 'str' || t.kind === 'int') return t.value;
    if (t.kind === 'name') {
      if (t.value === 'True') return true;
      if (t.value === 'False') return false;
      if (t.value === 'None') return null;
      throw new Error(`unexpected name ${t.value}`);
    }
    if (isPunct(t, '(')) {
      const { items, comma } = sequence(')', depth);
      // `(5)` is just 5 in Python; only a comma (or `()`) makes a tuple.
      return items.length === 1 && !comma ? items[0]! : new PyTuple(items);
    }
    if (isPunct(t, '[')) return sequence(']', depth).items;
    if (isPunct(t, '{')) return dict(depth);
    throw new Error(`unexpected ${tokenText(t)}`);
  };
  const dict = (depth: number): Map<string, PyValue> => {
    const out = new Map<string, PyValue>();
    while (!isPunct(peek(), '}')) {
      const key = next();
      if (key.kind !== 'str') throw new Error(`dict keys must be strings, found ${tokenText(key)}`);
      expect(':');
      if (out.has(key.value)) throw new Error(`duplicate key '${printable(key.value)}'`);
      out.set(key.value, value(depth + 1));
      if (isPunct(peek(), ',')) next(); else break;
    }
    expect('}');
    return out;
  };

  const result = value(0);
  if (peek().kind !== 'end') throw new Error(`unexpected ${tokenText(peek())} after the literal`);
  return result;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') { i++; continue; }
    if ('{}()[]:,'.includes(c)) { tokens.push({ kind: 'punct', text: c as '{' }); i++; continue; }
    if (c === "'" || c === '"') { i = readString(text, i, tokens); continue; }
    const num = /^-?\d+L?/.exec(text.slice(i, i + 40));
    if (num) {
      // A trailing L is how Python 2 wrote longs in old headers; numpy filters it too.
      const digits = num[0].replace(/L$/, '');
      const value = Number(digits);
      if (!Number.isSafeInteger(value)) throw new Error(`integer ${digits} out of range at ${i}`);
      tokens.push({ kind: 'int', value });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 40));
    if (name) { tokens.push({ kind: 'name', value: name[0] }); i += name[0].length; continue; }
    throw new Error(`unexpected character ${printable(JSON.stringify(c))} at ${i}`);
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

/** Read a quoted string starting at `start`; supports backslash escapes of quotes and backslashes. */
function readString(text: string, start: number, tokens: Token[]): number {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) { tokens.push({ kind: 'str', value }); return i + 1; }
    if (c === '\n') break;
    if (c === '\\' && i + 1 < text.length) { value += text[i + 1]; i += 2; continue; }
    value += c;
    i++;
  }
  throw new Error(`unterminated string starting at ${start}`);
}

function tokenText(t: Token): string {
  switch (t.kind) {
    case 'punct': return `'${t.text}'`;
    case 'str': return `string '${printable(t.value)}'`;
    case 'int': return `integer ${t.value}`;
    case 'name': return t.value;
    case 'end': return 'end of header';
  }
}

function describe(v: PyValue): string {
  if (v instanceof PyTuple) return `(${v.items.map(describe).join(', ')}${v.items.length === 1 ? ',' : ''})`;
  if (v instanceof Map) return 'a dict';
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'string') return `'${printable(v)}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return v === null ? 'None' : String(v);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
