/**
 * Probe (not a test): self time per function of a V8 `.cpuprofile` (from `node --cpu-prof`, one
 * file per thread), optionally within a window of milliseconds from the profile's start, and
 * optionally in bins, the heaviest memgrid call chains of each bin: where a thread's time went,
 * and when.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/task-timeline.js .cache/bench/full/lb
 *   node dist/bench/cpu-profile-summary.js /tmp/prof/CPU...cpuprofile [--from MS] [--to MS] [--top N] [--bin MS]
 *
 * `--top`: how many functions (default 25), or how many chains per bin with `--bin` (default 3).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One sample: when (ms from the start), how long it stands for (ms), and its node. */
interface Sample {
  readonly at: number;
  readonly ms: number;
  readonly node: number;
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').slice(-2).join('/');
  return `${functionName || '(anonymous)'}${file === '' ? '' : ` ${file}:${lineNumber + 1}`}`;
}

/** The samples between `from` and `to` ms. A sample's time is the delta to the next one. */
function samplesOf(profile: CpuProfile, from: number, to: number): Sample[] {
  const out: Sample[] = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    const at = (t - profile.startTime) / 1000;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (at >= from && at <= to) out.push({ at, ms, node: profile.samples[i]! });
  }
  return out;
}

/** Milliseconds per key, heaviest first, the first `top`. */
function heaviest(totals: Map<string, number>, top: number): [string, number][] {
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** The sampled function and the memgrid frames above it (ours: the url names dist or the worker bundle). */
function chainOf(node: number, byId: Map<number, ProfileNode>, parentOf: Map<number, number>, depth: number): string {
  const names = [nameOf(byId.get(node)!)];
  for (let id = parentOf.get(node); id !== undefined && names.length < depth; id = parentOf.get(id)) {
    const frame = byId.get(id)!;
    if (/dist\/(src|bench|worker)/.test(frame.callFrame.url)) names.push(nameOf(frame));
  }
  return names.join(' < ');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string', default: '0' }, to: { type: 'string', default: 'Infinity' },
      top: { type: 'string' }, bin: { type: 'string' },
    },
  });
  if (positionals[0] === undefined) throw new Error('usage: cpu-profile-summary FILE.cpuprofile [--from MS] [--to MS] [--top N] [--bin MS]');
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const samples = samplesOf(profile, Number(values.from), Number(values.to));
  const top = Number(values.top ?? (values.bin === undefined ? 25 : 3));
  if (values.bin === undefined) {
    const self = new Map<string, number>();
    for (const s of samples) {
      const name = nameOf(byId.get(s.node)!);
      self.set(name, (self.get(name) ?? 0) + s.ms);
    }
    console.log(`${samples.reduce((sum, s) => sum + s.ms, 0).toFixed(1)} ms sampled`);
    for (const [name, ms] of heaviest(self, top)) console.log(`${ms.toFixed(1).padStart(9)}  ${name}`);
    return;
  }
  const bin = Number(values.bin);
  const bins = new Map<number, Map<string, number>>();
  for (const s of samples) {
    const start = Math.floor(s.at / bin) * bin;
    const chains = bins.get(start) ?? new Map<string, number>();
    const chain = chainOf(s.node, byId, parentOf, 4);
    chains.set(chain, (chains.get(chain) ?? 0) + s.ms);
    bins.set(start, chains);
  }
  for (const [start, chains] of [...bins].sort((a, b) => a[0] - b[0])) {
    console.log(`${start} ms`);
    for (const [chain, ms] of heaviest(chains, top)) console.log(`${ms.toFixed(1).padStart(9)}  ${chain}`);
  }
}

main();
