/**
 * Reads the `.cpuprofile` files that `node --cpu-prof` writes (one for the main thread, one per
 * worker thread) and says where the JavaScript time went: by part of the pipeline (each sample
 * goes to the nearest frame on its stack that belongs to a known part) and by top self-time
 * frames. ExifTool's own time is not in these profiles: it is the perl processes' CPU, which
 * measure.ts reports.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadProfile {
  file: string;
  /** 'main' or 'worker N'. */
  thread: string;
  /** Sampled time, idle included. */
  totalMs: number;
  idleMs: number;
  byPart: Record<string, number>;
  topFrames: Array<{ frame: string; selfMs: number }>;
}

/** Parts of the pipeline, recognised by the script URL of a frame; the first match wins. */
const PARTS: Array<[string, RegExp]> = [
  ['exif: node side (batching, JSON from ExifTool)', /exiftool-vendored|batch-cluster|\/stages\/exif\./],
  ['fingerprint: CRC-32, MIME, structure checks', /file-type|strtok3|token-types|peek-readable|\/stages\/fingerprint|\/stages\/structure\./],
  ['fingerprint: worker pool messaging', /workerpool/],
  ['DuckDB writes (JS side)', /@duckdb|\/src\/db\/|\/dist\/db\/|\/stages\/sink\./],
  ['sidecar: JSON read, parse, match', /\/takeout\/|\/stages\/sidecar\./],
  ['walk', /\/stages\/walk\./],
  ['pipeline plumbing (run, tally, batch, parallel)', /\/pipelines\/|\/stages\/(batch|parallel)\.|through2/],
];
/** Node's own code: only used when no frame of the stack belongs to a part above. */
const NODE_PARTS: Array<[string, RegExp]> = [
  ['node streams', /^node:internal\/streams|^node:stream/],
  ['node fs', /^node:internal\/fs|^node:fs/],
  ['module loading and startup', /^node:internal\/modules|^node:internal\/main|^node:internal\/bootstrap/],
];
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)']);

function classify(stack: CallFrame[]): string {
  const leaf = stack[0]!;
  if (SPECIAL.has(leaf.functionName)) return leaf.functionName;
  for (const f of stack) for (const [name, re] of PARTS) if (re.test(f.url)) return name;
  for (const f of stack) for (const [name, re] of NODE_PARTS) if (re.test(f.url)) return name;
  return 'other';
}

function frameLabel(f: CallFrame): string {
  const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : 'native';
  return `${f.functionName || '(anonymous)'} ${where}`;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(profile: CpuProfile, file: string, thread: string, top = 12): ThreadProfile {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const part = (id: number): string => {
    let p = partOf.get(id);
    if (p === undefined) {
      const stack: CallFrame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
      p = classify(stack);
      partOf.set(id, p);
    }
    return p;
  };
  const byPart: Record<string, number> = {};
  const self = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's time is the gap to the next one (as DevTools counts it).
    const us = profile.timeDeltas[i + 1] ?? 0;
    totalUs += us;
    const p = part(id);
    if (p === '(idle)') idleUs += us;
    byPart[p] = (byPart[p] ?? 0) + us / 1000;
    const label = frameLabel(byId.get(id)!.callFrame);
    self.set(label, (self.get(label) ?? 0) + us / 1000);
  });
  const topFrames = [...self.entries()]
    .filter(([label]) => !label.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, selfMs]) => ({ frame, selfMs }));
  return { file, thread, totalMs: totalUs / 1000, idleMs: idleUs / 1000, byPart, topFrames };
}

/** Every profile in `dir`: the main thread first, then the workers (Node names them by thread id). */
export async function readProfiles(dir: string): Promise<ThreadProfile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const out: ThreadProfile[] = [];
  for (const f of files) {
    // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile; thread 0 is the main thread.
    const tid = Number(f.split('.')[4]);
    const profile = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as CpuProfile;
    out.push(summariseProfile(profile, f, tid === 0 ? 'main' : `worker ${tid}`));
  }
  return out.sort((a, b) => (a.thread === 'main' ? -1 : b.thread === 'main' ? 1 : a.thread.localeCompare(b.thread)));
}

/** Markdown: busy time by part for the main thread and the workers together, then top frames. */
export function renderProfiles(profiles: ThreadProfile[]): string {
  const lines: string[] = [];
  const workers = profiles.filter((p) => p.thread !== 'main');
  const groups: Array<[string, ThreadProfile[]]> = [
    ['main thread', profiles.filter((p) => p.thread === 'main')],
    [`${workers.length} fingerprint worker thread(s), together`, workers],
  ];
  for (const [title, ps] of groups) {
    if (!ps.length) continue;
    const total = sum(ps.map((p) => p.totalMs));
    const idle = sum(ps.map((p) => p.idleMs));
    const parts: Record<string, number> = {};
    for (const p of ps) for (const [k, v] of Object.entries(p.byPart)) parts[k] = (parts[k] ?? 0) + v;
    lines.push(`**${title}**: ${(total / 1000).toFixed(2)} s sampled, ${((total - idle) / 1000).toFixed(2)} s busy`, '');
    lines.push('| part | ms | % of busy |', '|---|---:|---:|');
    for (const [k, v] of Object.entries(parts).filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1])) {
      lines.push(`| ${k} | ${v.toFixed(0)} | ${((100 * v) / Math.max(1, total - idle)).toFixed(1)} |`);
    }
    lines.push('');
    const frames = new Map<string, number>();
    for (const p of ps) for (const f of p.topFrames) frames.set(f.frame, (frames.get(f.frame) ?? 0) + f.selfMs);
    lines.push('| top self-time frames | ms |', '|---|---:|');
    for (const [f, ms] of [...frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`| \`${f}\` | ${ms.toFixed(0)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
