/**
 * JSON with comments (JSONC), as VS Code and tsconfig read it: `// line` and `/* block *\/`
 * comments are allowed outside strings. Experiment configs use them to explain themselves.
 */
import { ValueError } from '../errors.js';

/**
 * `text` with every comment replaced by spaces (newlines kept), so that JSON.parse's error
 * positions still point at the right line and column of the original file.
 * @example
 * ```ts
 * JSON.parse(stripComments('{"a": 1 // one\n}')); // { a: 1 }
 * ```
 */
export function stripComments(text: string): string {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out.push(text.slice(i, end));
      i = end;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out.push(blank(text.slice(i, stop)));
      i = stop;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out.push(blank(text.slice(i, stop)));
      i = stop;
    } else {
      out.push(ch);
      i++;
    }
  }
  return out.join('');
}

/** Index just past the string literal that opens at `start` (or the end of text if unterminated). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else if (ch === '\n') return i; // JSON strings cannot span lines: let JSON.parse report it
    else i++;
  }
  return i;
}

function blank(comment: string): string {
  return comment.replace(/[^\n]/g, ' ');
}

/**
 * Parse JSONC; a syntax error becomes a ValueError naming `file`, the line and the column.
 * @example
 * ```ts
 * parseJsonc('{"a": 1, /* note *\/ "b": 2}', 'config.json'); // { a: 1, b: 2 }
 * ```
 */
export function parseJsonc(text: string, file: string): unknown {
  const stripped = stripComments(text);
  try {
    return JSON.parse(stripped) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const where = at ? `:${lineColumn(stripped, Number(at[1]))}` : '';
    throw new ValueError(`${file}${where}: not valid JSON (${message.replace(/ in JSON at position \d+.*$/s, '')})`);
  }
}

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${line}:${column}`;
}
