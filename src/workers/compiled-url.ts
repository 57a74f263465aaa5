/**
 * Worker threads load plain JavaScript. When memgrid runs from its TypeScript sources (under
 * vitest, say), a module URL next to the caller ends in `.ts`; point it at the compiled twin
 * in `dist/` instead, which `npm test` builds first.
 */

/**
 * The URL of the compiled JavaScript module `spec` resolved against `base` (an `import.meta.url`).
 * @example
 * ```ts
 * const entry = compiledModuleUrl('./thread-entry.js', import.meta.url);
 * ```
 */
export function compiledModuleUrl(spec: string, base: string): string {
  const url = new URL(spec, base);
  if (!base.endsWith('.ts')) return url.href;
  const at = url.pathname.lastIndexOf('/src/');
  if (at >= 0) url.pathname = `${url.pathname.slice(0, at)}/dist${url.pathname.slice(at)}`;
  return url.href;
}
