/**
 * One bench run as a document: what ran where (`RunMeta`), the tables of table.ts, and the
 * profile summaries. A run is saved as `.bench/results-<date>.json` in this shape, so
 * `npm run bench -- --from FILE [--write]` can print (and write) it again without running.
 */
import { readFile } from 'node:fs/promises';
import { checkTargets, renderCpu, renderSummary, renderTargets, type TreeResult } from './table.js';

export interface RunMeta {
  /** ISO date the run started. */
  started: string;
  command: string;
  reps: number;
  machine: string;
  loadBefore: string;
  loadAfter: string;
  revision: string;
}

export interface SavedRun {
  format: 2;
  meta: RunMeta;
  results: TreeResult[];
  /** Markdown, one per profiled tree. */
  profiles: string[];
}

export function renderReport(meta: RunMeta, results: TreeResult[]): string {
  return [
    `Run ${meta.started.slice(0, 16).replace('T', ' ')} UTC with \`${meta.command}\`: ${meta.reps} repetition(s) of each mode per tree, ` +
      'interleaved (sequential, parallel, exiftool, sequential, …); times are medians, peak memory is the largest of the repetitions.',
    '',
    `Machine: ${meta.machine}. Load average (1, 5, 15 min) before: ${meta.loadBefore}; after: ${meta.loadAfter}. Code: ${meta.revision}.`,
    '',
    renderSummary(results),
    '',
    '- sequential: `bin/shoebox run takeout --sequential`; parallel: `bin/shoebox run takeout` (defaults of pipelines.yaml); ' +
      'exiftool CLI: `exiftool -r -json -fast -n --ext json TREE` (stdout to /dev/null). Each shoebox run writes a fresh DuckDB file in `.bench/db/`.',
    '- `(sidecar only)`: `--set pipelines.takeout.stages=[sidecar]`, the metadata-bound case (walk, sidecar matching, DuckDB); no exiftool CLI to compare with.',
    '- peak: the largest sum of VmRSS over the whole process tree (node with its worker threads, each ExifTool perl process and, where ' +
      'shoebox needs one, the small perl guard in front of it), sampled every 50 ms; MB = 10^6 bytes.',
    '',
    '**CPU time** (median run; from /proc, user + system):',
    '',
    renderCpu(results),
    '',
    '**Targets**',
    '',
    renderTargets(checkTargets(results)),
    '',
  ].join('\n');
}

export async function readSavedRun(file: string): Promise<SavedRun> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<SavedRun>;
  if (saved.format !== 2 || !saved.meta || !Array.isArray(saved.results)) {
    throw new Error(`${file} is not a saved bench run (format 2)`);
  }
  return { format: 2, meta: saved.meta, results: saved.results, profiles: saved.profiles ?? [] };
}
