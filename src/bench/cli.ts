#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [--write] [--reps N] [--trees a,b] [--profile]` (after npm run build).
 *
 * Makes (once) the libraries in `.bench/`, reads each into the page cache, then runs over each
 * tree, interleaved and repeated: `shoebox run takeout --sequential`, `shoebox run takeout`, and
 * the exiftool CLI alone, each watched by measure.ts (wall time, peak RSS of the whole process
 * tree, CPU by process). Prints the design's summary table with medians, the CPU split, and the
 * issue's targets. `--write` puts them into BENCHMARKS.md between its markers, with the machine,
 * the date and the command; `--profile` also runs the parallel engine under `node --cpu-prof`
 * once per tree and summarises the profiles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, type Measurement } from './measure.js';
import { readProfiles, renderProfiles } from './profile.js';
import { readSavedRun, renderReport, type SavedRun } from './report.js';
import { MODES, type Mode, type TreeResult } from './table.js';
import { ensureTree, warmTree, type Tree, type TreeSpec } from './trees.js';
import { replaceSection } from './write.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BENCH_DIR = path.join(REPO, '.bench');
const SHOEBOX = path.join(REPO, 'bin', 'shoebox');
const EXIFTOOL = path.join(REPO, 'node_modules', 'exiftool-vendored.pl', 'bin', 'exiftool');
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');
const SIDECAR_ONLY = ['--set', 'pipelines.takeout.stages=[sidecar]'];

const USAGE = `usage: npm run bench -- [--quick] [--write] [--reps N] [--trees NAME,...] [--profile]
       npm run bench -- --from .bench/results-DATE.json [--write]

  --quick      small trees, one repetition: a smoke run of the harness
  --write      rewrite the generated sections of BENCHMARKS.md with this run
  --reps N     repetitions of each mode per tree (default 3; --quick: 1); the table shows medians
  --trees a,b  only these trees (names as in the table); corpus-10000 (~20 min) runs only when named
  --profile    also run the parallel engine under node --cpu-prof once per tree and summarise
  --from FILE  print (and with --write, write) a saved run again instead of running`;

function trees(quick: boolean): TreeSpec[] {
  const corpus: TreeSpec[] = existsSync(CORPUS)
    ? [{ name: 'corpus', source: { corpus: CORPUS }, pipeline: 'takeout', exiftool: true }]
    : [];
  // The corpus's real mix of formats (86% of its files are not plain JPEGs) at library scale.
  const corpusLibraries: TreeSpec[] = existsSync(CORPUS)
    ? [
        { name: 'corpus-1000', source: { corpus: CORPUS, files: 1000 }, pipeline: 'takeout', exiftool: true },
        { name: 'corpus-10000', source: { corpus: CORPUS, files: 10_000 }, pipeline: 'takeout', exiftool: true, optIn: true },
      ]
    : [];
  if (quick) {
    return [
      ...corpus,
      { name: 'library-200', source: { library: { files: 200, parts: 2 } }, pipeline: 'takeout', exiftool: true, role: 'small' },
      { name: 'tiny-5000', source: { library: { files: 5000, parts: 3, tiny: true } }, pipeline: 'sidecar-only', exiftool: false, role: 'metadata' },
    ];
  }
  return [
    ...corpus,
    ...corpusLibraries,
    { name: 'library-1000', source: { library: { files: 1000, parts: 2 } }, pipeline: 'takeout', exiftool: true, role: 'small' },
    { name: 'library-10000', source: { library: { files: 10_000, parts: 3 } }, pipeline: 'takeout', exiftool: true, role: 'large' },
    { name: 'tiny-100000', source: { library: { files: 100_000, parts: 3, tiny: true } }, pipeline: 'sidecar-only', exiftool: false, role: 'metadata' },
  ];
}

const log = (line: string) => process.stderr.write(line + '\n');

/** The V8 flags bin/shoebox execs node with, read from its shell line. */
function launcherFlags(): string[] {
  const line = /exec node ((?:--\S+ )+)"\$0"/.exec(readFileSync(SHOEBOX, 'utf8'));
  if (!line) throw new Error(`${SHOEBOX}: no "exec node --flags \"$0\"" line to take the V8 flags from`);
  return line[1]!.trim().split(' ');
}

function commandFor(tree: Tree, mode: Mode, db: string, nodeArgs: string[] = []): string[] {
  if (mode === 'exiftool') return [EXIFTOOL, '-r', '-json', '-fast', '-n', '--ext', 'json', tree.dir];
  return [
    // run as a user runs it: the launcher starts node with its V8 flags; with extra node flags
    // (--cpu-prof, which NODE_OPTIONS refuses), node is started here with the launcher's flags
    ...(nodeArgs.length ? [process.execPath, ...launcherFlags(), ...nodeArgs] : []),
    SHOEBOX,
    'run',
    'takeout',
    '--root',
    tree.dir,
    '--db',
    db,
    ...(mode === 'sequential' ? ['--sequential'] : []),
    ...(tree.spec.pipeline === 'sidecar-only' ? SIDECAR_ONLY : []),
    '--then=',
    '--json',
    '--no-progress',
  ];
}

async function removeDb(db: string): Promise<void> {
  await rm(db, { force: true });
  await rm(`${db}.wal`, { force: true });
}

/** One measured run, checked: a run that failed or saw another number of files stops the bench. */
async function runOnce(tree: Tree, mode: Mode, nodeArgs: string[] = []): Promise<Measurement> {
  const db = path.join(BENCH_DIR, 'db', `${tree.spec.name}.${mode}.duckdb`);
  await removeDb(db);
  const m = await measure(commandFor(tree, mode, db, nodeArgs), { cwd: REPO, stdout: mode === 'exiftool' ? 'discard' : 'capture' });
  await removeDb(db);
  if (mode === 'exiftool') {
    // exiftool exits 1 when some file could not be read (the corpus has broken files on purpose)
    const read = Number(/(\d+) image files read/.exec(m.stderr)?.[1] ?? 0);
    const failed = Number(/(\d+) files could not be read/.exec(m.stderr)?.[1] ?? 0);
    if (m.exitCode === null || m.exitCode > 1 || read + failed !== tree.media) {
      throw new Error(`exiftool over ${tree.dir}: exit ${m.exitCode}, ${read} read + ${failed} failed of ${tree.media}\n${m.stderr.slice(-2000)}`);
    }
    return m;
  }
  if (m.exitCode !== 0) throw new Error(`${m.argv.join(' ')}: exit ${m.exitCode}\n${m.stderr.slice(-2000)}`);
  const summary = JSON.parse(m.stdout) as { files: number; status: string };
  if (summary.files !== tree.media || summary.status !== 'completed') {
    throw new Error(`${mode} run over ${tree.dir}: ${summary.files} files (${summary.status}), expected ${tree.media}`);
  }
  return m;
}

const fmt = (m: Measurement) => `${(m.wallMs / 1000).toFixed(2)} s, peak ${(m.peakRssBytes / 1e6).toFixed(0)} MB`;

async function profileTree(tree: Tree): Promise<string> {
  const dir = path.join(BENCH_DIR, 'profiles', tree.spec.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`${tree.spec.name}: parallel run under node --cpu-prof ...`);
  const m = await runOnce(tree, 'parallel', ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const profiles = await readProfiles(dir);
  const node = m.cpuMsByName.node ?? 0;
  const perl = (m.cpuMsByName.perl ?? 0) + (m.cpuMsByName.exiftool ?? 0);
  const total = Object.values(m.cpuMsByName).reduce((a, b) => a + b, 0);
  const pct = (v: number) => `${((100 * v) / Math.max(1, total)).toFixed(0)}%`;
  return [
    `### ${tree.spec.name}: parallel run under \`node --cpu-prof\` (${(m.wallMs / 1000).toFixed(2)} s wall, profiler on)`,
    '',
    `CPU of the process tree: ${(total / 1000).toFixed(2)} s = ExifTool (perl) ${(perl / 1000).toFixed(2)} s (${pct(perl)}) + ` +
      `node main thread ${(m.mainThreadCpuMs / 1000).toFixed(2)} s (${pct(m.mainThreadCpuMs)}) + ` +
      `node's other threads (fingerprint workers, libuv pool: file reads and DuckDB queries, GC) ${((node - m.mainThreadCpuMs) / 1000).toFixed(2)} s (${pct(node - m.mainThreadCpuMs)}).`,
    '',
    renderProfiles(profiles),
    `Profiles: \`${path.relative(REPO, dir)}/\` (open in Chrome DevTools or speedscope).`,
    '',
  ].join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => `${c.model.trim()}${c.speed ? ` @ ${c.speed} MHz` : ''}`))].join(', ');
  return `${cpus.length} × ${models}; ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM; Node ${process.version}; ${os.type()} ${os.release()}`;
}

/** The commit measured, and whether files differed from it. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length;
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ` with ${dirty} modified file(s)` : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function main(argv: string[]): Promise<number> {
  let v: { quick: boolean; write: boolean; reps?: string; trees?: string; profile: boolean; from?: string; help: boolean };
  try {
    v = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        reps: { type: 'string' },
        trees: { type: 'string' },
        profile: { type: 'boolean', default: false },
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values as typeof v;
  } catch (err) {
    log(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (v.from) {
    await publish(await readSavedRun(v.from), v.write);
    return 0;
  }
  const reps = v.reps === undefined ? (v.quick ? 1 : 3) : Number(v.reps);
  if (!Number.isInteger(reps) || reps < 1) {
    log(`--reps must be an integer >= 1, got "${v.reps}"`);
    return 1;
  }
  if (!existsSync(path.join(REPO, 'dist', 'cli.js'))) {
    log('shoebox is not built: run npm run build first');
    return 1;
  }
  let specs = trees(v.quick);
  if (v.trees) {
    const wanted = v.trees.split(',').map((t) => t.trim());
    const unknown = wanted.filter((w) => !specs.some((s) => s.name === w));
    if (unknown.length) {
      log(`unknown tree(s): ${unknown.join(', ')}; known: ${specs.map((s) => s.name).join(', ')}`);
      return 1;
    }
    specs = specs.filter((s) => wanted.includes(s.name));
  } else specs = specs.filter((s) => !s.optIn);
  if (!existsSync(CORPUS)) log(`${CORPUS} not found: no corpus tree`);

  await mkdir(path.join(BENCH_DIR, 'db'), { recursive: true });
  const started = new Date();
  const loadBefore = load();
  const results: TreeResult[] = [];
  const ready: Tree[] = [];
  for (const spec of specs) ready.push(await ensureTree(BENCH_DIR, spec, log));

  // Warm-up, not measured: node's modules, DuckDB's library and perl's ExifTool modules in cache.
  log('warm-up run ...');
  await runOnce(ready[0]!, 'parallel');
  await measure([EXIFTOOL, '-ver'], { stdout: 'discard' });

  for (const tree of ready) {
    const bytes = await warmTree(tree.dir);
    log(`${tree.spec.name}: ${tree.media} media files; ${(bytes / 1e6).toFixed(1)} MB read into the page cache`);
    const modes = MODES.filter((m) => m !== 'exiftool' || tree.spec.exiftool);
    const result: TreeResult = { tree, runs: { sequential: [], parallel: [], exiftool: [] } };
    for (let rep = 1; rep <= reps; rep++) {
      for (const mode of modes) {
        const m = await runOnce(tree, mode);
        result.runs[mode].push(m);
        log(`  ${tree.spec.name} ${rep}/${reps} ${mode.padEnd(10)} ${fmt(m)} (load ${load()})`);
      }
    }
    results.push(result);
  }

  const profiles: string[] = [];
  const raw = path.join(BENCH_DIR, `results-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  // the measurements are saved before the profiles, which can fail on their own
  await writeFile(raw, JSON.stringify({ format: 2, meta: { started: started.toISOString(), command: 'partial: measurements only' }, results, profiles }, null, 1));
  if (v.profile) {
    for (const tree of ready) {
      try {
        profiles.push(await profileTree(tree));
      } catch (err) {
        log(`${tree.spec.name}: profile failed, the table is written without it: ${(err as Error).message}`);
      }
    }
  }

  const saved: SavedRun = {
    format: 2,
    meta: {
      started: started.toISOString(),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      reps,
      machine: machine(),
      loadBefore,
      loadAfter: load(),
      revision: revision(),
    },
    results,
    profiles,
  };
  await writeFile(raw, JSON.stringify(saved, null, 1));
  log(`raw results: ${path.relative(REPO, raw)}`);
  await publish(saved, v.write);
  return 0;
}

/** Prints a run, and with `write` puts it into BENCHMARKS.md between its markers. */
async function publish(saved: SavedRun, write: boolean): Promise<void> {
  const report = renderReport(saved.meta, saved.results);
  process.stdout.write('\n' + report + '\n' + saved.profiles.join('\n'));
  if (!write) return;
  const file = path.join(REPO, 'BENCHMARKS.md');
  let text = await readFile(file, 'utf8').catch(() => '');
  text = replaceSection(text, 'results', report);
  if (saved.profiles.length) text = replaceSection(text, 'profile', saved.profiles.join('\n'));
  await writeFile(file, text);
  log(`wrote ${path.relative(REPO, file)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      log(`bench: ${(err as Error).stack ?? String(err)}`);
      process.exitCode = 2;
    },
  );
}
