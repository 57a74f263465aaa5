/** vega-lite spec → standalone SVG, rendered in Node (vega's headless 'none' renderer needs no canvas). */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { VlSpec } from './specs.js';

/**
 * Compile `spec` with vega-lite and render it to an SVG document string.
 * @example
 * ```ts
 * const svg = await renderSvg(learningCurveSpec(sizes, train, test, 'r2'));
 * ```
 */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  // Data is always inline: a loader that refuses every URL keeps rendering offline and safe.
  const loader = vega.loader({ mode: 'file' });
  loader.load = () => Promise.reject(new Error('memgrid plots embed their data; external data is not loaded'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
