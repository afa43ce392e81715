import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { constants as osConstants } from 'node:os';
import { ShoeboxError, exitCodeFor } from './errors.js';
import { loadConfig } from './pipelines/config.js';
import { didYouMean } from './pipelines/suggest.js';
import { formatIssue, type Config, type PipelineSpec, type SinkKind } from './pipelines/spec.js';
import { RESULT_FORMATS, type ResultFormat } from './db/result-format.js';
import type { ThenResult } from './pipelines/then.js';

// Commands load what they need when they run: `shoebox --help` should not start DuckDB and
// ExifTool's modules first.
const lazy = {
  run: () => import('./pipelines/run.js'),
  summary: () => import('./pipelines/summary.js'),
  query: () => import('./db/query.js'),
  export: () => import('./db/export.js'),
  then: () => import('./pipelines/then.js'),
  report: () => import('./report/index.js'),
};

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  usage: string;
  description: string;
  examples: string[];
  options: Options;
  help: Record<string, string>;
  /** Whether words other than options are taken (a pipeline and roots, a query); else they are an error. */
  positionals?: boolean;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

const configOptions: Options = {
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
};
const configHelp = {
  '--config FILE': 'pipelines file (default: ./pipelines.yaml, else the one shipped with shoebox)',
  '--set key.path=value': 'override any key of the pipelines file, e.g. --set defaults.batch.size=1000',
};

const commands: Record<string, Command> = {
  run: {
    usage: 'shoebox run <pipeline> [ROOT...] [options]',
    positionals: true,
    description: 'Scan one or more roots with a named pipeline and write the rows to its sink.',
    examples: [
      'shoebox run takeout --root ~/Takeout --db photos.duckdb',
      'shoebox run takeout --root "/mnt/export/Takeout" --root "/mnt/export/Takeout 2" --then duplicates',
      'shoebox run takeout --root ~/exports --sink parquet --out media.parquet',
    ],
    options: {
      root: { type: 'string', multiple: true },
      db: { type: 'string' },
      sink: { type: 'string' },
      out: { type: 'string' },
      io: { type: 'string' },
      cpu: { type: 'string' },
      batch: { type: 'string' },
      sequential: { type: 'boolean' },
      full: { type: 'boolean' },
      then: { type: 'string' },
      param: { type: 'string', multiple: true },
      'no-progress': { type: 'boolean' },
      json: { type: 'boolean' },
      ...configOptions,
    },
    help: {
      '--root DIR': 'a folder to scan; repeat for the parts of a split export (replaces the pipeline roots); ROOT... after the pipeline name means the same',
      '--db FILE': 'DuckDB database to write (default shoebox.duckdb, or the pipeline sink path)',
      '--sink duckdb|parquet|csv|jsonl': 'swap the pipeline sink; use with --out',
      '--out PATH': 'output file for the parquet, csv and jsonl sinks',
      '--io N': 'files read at once (default from pipelines.yaml: 16)',
      '--cpu M': 'worker threads and ExifTool processes (default: cores)',
      '--batch B': 'rows per database write (default 5000)',
      '--sequential': 'one file at a time on one thread: the baseline the parallel engine is measured against',
      '--full': 'read every directory again, even those unchanged since the last run into this database',
      '--then Q[,Q]': 'named queries (or SQL) to run on the fresh data after the scan',
      '--param name=value': 'a value for a $name parameter of a --then query',
      '--no-progress': 'no progress bar on stderr',
      '--json': 'print the run summary as JSON',
      ...configHelp,
    },
    run: cmdRun,
  },
  list: {
    usage: 'shoebox list [--config FILE]',
    description: 'List the named pipelines and queries, one line each.',
    examples: ['shoebox list'],
    options: { ...configOptions },
    help: { ...configHelp },
    run: cmdList,
  },
  validate: {
    usage: 'shoebox validate [--config FILE]',
    description: 'Check the pipelines file; print every problem as FILE:LINE:COL and exit 1 if any.',
    examples: ['shoebox validate', 'shoebox validate --config my-pipelines.yaml'],
    options: { ...configOptions },
    help: { ...configHelp },
    run: cmdValidate,
  },
  query: {
    usage: 'shoebox query <NAME|SQL> [--db FILE] [--table media] [--format table|csv|json|jsonl|markdown] [--out PATH] [--param name=value]...',
    positionals: true,
    description: 'Run a named query from pipelines.yaml, or any SQL, on a database.',
    examples: [
      'shoebox query per-year --format markdown',
      'shoebox query year --param year=2019',
      "shoebox query \"SELECT make, count(*) FROM media GROUP BY make\" --db photos.duckdb",
    ],
    options: {
      db: { type: 'string' },
      table: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      param: { type: 'string', multiple: true },
      ...configOptions,
    },
    help: {
      '--db FILE': 'database to read (default shoebox.duckdb)',
      '--table NAME': "the media table, when a pipeline's sink named it otherwise (table:): the query's `media` reads it",
      '--format F': 'table (default), csv, json, jsonl (an object a line) or markdown',
      '--out PATH': 'write the result to a file instead of stdout; its extension names the format (none or .txt, .csv, .json, .jsonl or .ndjson, .md or .markdown), any other needs --format',
      '--param name=value': 'bind $name in the SQL (always bound, never pasted into it)',
      ...configHelp,
    },
    run: cmdQuery,
  },
  export: {
    usage: 'shoebox export --to PATH.(parquet|csv|jsonl) [--db FILE] [--table media] [--partition-by COL]',
    description: 'Write a table of an existing database to Parquet, CSV or JSON lines.',
    examples: ['shoebox export --to media.parquet', 'shoebox export --to by-year --partition-by year --db photos.duckdb'],
    options: {
      to: { type: 'string' },
      db: { type: 'string' },
      table: { type: 'string' },
      'partition-by': { type: 'string' },
    },
    help: {
      '--to PATH': 'output file; the format comes from the extension',
      '--db FILE': 'database to read (default shoebox.duckdb)',
      '--table T': 'table to export (default media)',
      '--partition-by COL': 'Hive-style folders by a column (e.g. year): --to is then a folder, Parquet unless it ends in .csv',
    },
    run: cmdExport,
  },
  report: {
    usage: 'shoebox report [--db FILE] [--table media] [--out report.html]',
    description: 'Write a self-contained HTML report of a database: counts, files per month, cameras, places, duplicates, problems.',
    examples: ['shoebox report', 'shoebox report --db photos.duckdb --out ~/photos-report.html'],
    options: {
      db: { type: 'string' },
      table: { type: 'string' },
      out: { type: 'string' },
    },
    help: {
      '--db FILE': 'database to read (default shoebox.duckdb)',
      '--table NAME': "the media table (default media; a pipeline's sink may name it otherwise with table:)",
      '--out PATH': 'HTML file to write (default report.html); it loads nothing from the network',
    },
    run: cmdReport,
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp());
    return name ? 0 : 1;
  }
  if (name === '--version') {
    process.stdout.write('shoebox 0.1.0\n');
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`shoebox: unknown command "${name}"${didYouMean(name, Object.keys(commands))}\n\n${globalHelp()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(name, cmd));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
    if (!cmd.positionals && positionals.length) {
      throw new ShoeboxError('SHOEBOX_USAGE', `${name} takes no argument "${positionals[0]}" (usage: ${cmd.usage})`);
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    if (err instanceof ShoeboxError) {
      process.stderr.write(`shoebox: ${err.message} [${err.code}]\n`);
      return exitCodeFor(err.code);
    }
    if ((err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? rest.find((a) => a.startsWith('-')) ?? '';
      const known = Object.keys(cmd.options ?? {}).map((o) => `--${o}`);
      const hint = didYouMean(option.split('=')[0]!, known);
      process.stderr.write(`shoebox ${name}: unknown option ${option}${hint.startsWith(' (did') ? hint : ''}\nRun "shoebox ${name} --help" for the options.\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`shoebox ${name}: ${(err as Error).message}\nRun "shoebox ${name} --help" for the options.\n`);
      return 1;
    }
    process.stderr.write(`shoebox: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

function globalHelp(): string {
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(9)} ${c.description}`);
  return [
    'shoebox: scan a media library (first of all a Google Photos Takeout) into DuckDB or Parquet.',
    '',
    'Commands:',
    ...lines,
    '',
    'Examples:',
    '  shoebox run takeout --root ~/Takeout',
    '  shoebox query per-year --format markdown',
    '',
    'Run "shoebox <command> --help" for its options.',
    '',
  ].join('\n');
}

function commandHelp(name: string, cmd: Command): string {
  const width = Math.max(...Object.keys(cmd.help).map((k) => k.length));
  return [
    `Usage: ${cmd.usage}`,
    '',
    cmd.description,
    '',
    ...(Object.keys(cmd.help).length ? ['Options:', ...Object.entries(cmd.help).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ''] : []),
    'Examples:',
    ...cmd.examples.map((e) => `  ${e}`),
    '',
  ].join('\n').replace(/^Usage: shoebox/, `Usage: shoebox`) + (name ? '' : '');
}

/** FILE:LINE:COL of a top-level key of the pipelines file, for messages about what it lacks. */
async function placeOf(file: string, key: string): Promise<string> {
  try {
    const { LineCounter, parseDocument, isMap } = await import('yaml');
    const lines = new LineCounter();
    const doc = parseDocument(await readFile(file, 'utf8'), { lineCounter: lines });
    const pair = isMap(doc.contents) ? doc.contents.items.find((p) => String((p.key as { value?: unknown })?.value) === key) : undefined;
    const offset = (pair?.key as { range?: [number] } | undefined)?.range?.[0];
    if (offset === undefined) return `${file}:1:1`;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  } catch {
    return file;
  }
}

async function config(values: Record<string, unknown>): Promise<Config> {
  const result = await loadConfig({ file: values.config as string | undefined, set: values.set as string[] | undefined });
  if (!result.ok) {
    const msg = result.issues.map(formatIssue).join('\n');
    throw new ShoeboxError('SHOEBOX_CONFIG_INVALID', `the pipelines file has ${result.issues.length} problem(s):\n${msg}`);
  }
  return result.config;
}

function positiveInt(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ShoeboxError('SHOEBOX_USAGE', `${flag} must be an integer >= 1, got "${String(v)}"`);
  return n;
}

function params(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of (list as string[] | undefined) ?? []) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new ShoeboxError('SHOEBOX_USAGE', `--param takes name=value, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

const SINKS: SinkKind[] = ['duckdb', 'parquet', 'csv', 'jsonl'];

/** Applies the command line to a pipeline from the file: roots, sink, concurrency, batch. */
export function applyRunFlags(spec: PipelineSpec, v: Record<string, unknown>): PipelineSpec {
  const out: PipelineSpec = structuredClone(spec);
  const roots = v.root as string[] | undefined;
  if (roots?.length) out.source.walk.roots = roots;
  const sinkKind = v.sink as string | undefined;
  if (sinkKind !== undefined) {
    if (!SINKS.includes(sinkKind as SinkKind)) throw new ShoeboxError('SHOEBOX_USAGE', `--sink must be one of ${SINKS.join(', ')}, got "${sinkKind}"`);
    if (sinkKind !== 'duckdb' && !v.out) throw new ShoeboxError('SHOEBOX_USAGE', `--sink ${sinkKind} needs --out PATH`);
    out.sink = { ...out.sink, kind: sinkKind as SinkKind, path: (v.out as string | undefined) ?? (v.db as string | undefined) ?? 'shoebox.duckdb' };
  } else if (v.out !== undefined) {
    out.sink.path = v.out as string;
  }
  if (v.db !== undefined && out.sink.kind === 'duckdb') out.sink.path = v.db as string;
  out.concurrency.io = positiveInt('--io', v.io) ?? out.concurrency.io;
  out.concurrency.cpu = positiveInt('--cpu', v.cpu) ?? out.concurrency.cpu;
  out.batch.size = positiveInt('--batch', v.batch) ?? out.batch.size;
  if (typeof v.then === 'string') out.then = v.then.split(',').map((s) => s.trim()).filter(Boolean);
  out.source.walk.roots = out.source.walk.roots.map((r) => r);
  if (out.sink.path !== ':memory:') out.sink.path = resolve(out.sink.path);
  return out;
}

async function cmdRun(v: Record<string, unknown>, pos: string[]): Promise<number> {
  const name = pos[0];
  if (!name) throw new ShoeboxError('SHOEBOX_USAGE', 'run needs a pipeline name: shoebox run <pipeline> (see shoebox list)');
  // `shoebox run takeout ~/Takeout` means what `--root ~/Takeout` means: scanning the pipeline's
  // own roots instead would be a silent surprise.
  if (pos.length > 1) v = { ...v, root: [...((v.root as string[] | undefined) ?? []), ...pos.slice(1)] };
  const cfg = await config(v);
  const base = cfg.pipelines[name];
  if (!base) {
    throw new ShoeboxError(
      'SHOEBOX_UNKNOWN_PIPELINE',
      `${await placeOf(cfg.file, 'pipelines')} pipelines: no pipeline "${name}"${didYouMean(name, Object.keys(cfg.pipelines))}`,
    );
  }
  const spec = applyRunFlags(base, v);
  for (const q of spec.then) {
    if (!cfg.queries[q] && !/\s/.test(q)) {
      throw new ShoeboxError('SHOEBOX_UNKNOWN_QUERY', `${await placeOf(cfg.file, 'queries')} queries: no query "${q}"${didYouMean(q, Object.keys(cfg.queries))}`);
    }
  }
  // Ctrl-C (and a TERM or a closed terminal) stops the walk; what was read is still written.
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(128 + (osConstants.signals[signal] ?? 2));
    stoppedBy = signal;
    process.stderr.write(`\nshoebox: stopping after the files in flight; ${signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal'} to quit at once\n`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.on(sig, onSignal);
  const { runPipeline } = await lazy.run();
  const { renderSummary, summaryJson } = await lazy.summary();
  const { runThen } = await lazy.then();
  const { formatResult } = await lazy.query();
  let result;
  try {
    result = await runPipeline({
      spec,
      sequential: v.sequential === true,
      full: v.full === true,
      progress: v['no-progress'] !== true && v.json !== true && process.stderr.isTTY === true,
      signal: controller.signal,
      warn: (w) => process.stderr.write(`shoebox: warning: ${w}\n`),
    });
  } finally {
    for (const sig of signals) process.off(sig, onSignal);
  }
  if (!v.json) process.stdout.write(renderSummary(result, spec));
  // The scan's data is written by now: a query that fails is reported after it, with exit 2.
  let thenResults: ThenResult[] = [];
  let thenError: ShoeboxError | null = null;
  try {
    thenResults = await runThen(spec.sink, spec.then, cfg, params(v.param));
  } catch (err) {
    thenError = err instanceof ShoeboxError ? err : new ShoeboxError('SHOEBOX_QUERY_FAILED', String(err), { cause: err });
  }
  if (v.json) {
    const queries = Object.fromEntries(thenResults.map((t) => [t.name, JSON.parse(formatResult(t.result, 'json'))]));
    process.stdout.write(JSON.stringify({ ...summaryJson(result), ...(thenResults.length ? { then: queries } : {}) }, null, 2) + '\n');
  } else {
    for (const t of thenResults) process.stdout.write(`\n== ${t.name} (${t.result.rows.length} row${t.result.rows.length === 1 ? '' : 's'})\n${formatResult(t.result, 'table')}`);
  }
  if (thenError) {
    process.stderr.write(`shoebox: a --then query failed after the scan was written: ${thenError.message} [${thenError.code}]\n`);
    return exitCodeFor(thenError.code);
  }
  return result.counts.status === 'interrupted' ? 128 + (osConstants.signals[stoppedBy ?? 'SIGINT'] ?? 2) : 0;
}

async function cmdList(v: Record<string, unknown>): Promise<number> {
  const cfg = await config(v);
  const w = Math.max(8, ...Object.keys(cfg.pipelines).map((n) => n.length), ...Object.keys(cfg.queries).map((n) => n.length));
  const out = ['Pipelines (shoebox run <name>):'];
  for (const p of Object.values(cfg.pipelines)) out.push(`  ${p.name.padEnd(w)}  ${p.description}`);
  out.push('', 'Queries (shoebox query <name>):');
  for (const q of Object.values(cfg.queries)) {
    const ps = Object.keys(q.params);
    out.push(`  ${q.name.padEnd(w)}  ${q.description}${ps.length ? ` (--param ${ps.map((p) => `${p}=…`).join(' --param ')})` : ''}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

async function cmdValidate(v: Record<string, unknown>): Promise<number> {
  const result = await loadConfig({ file: v.config as string | undefined, set: v.set as string[] | undefined });
  if (!result.ok) {
    for (const i of result.issues) process.stderr.write(formatIssue(i) + '\n');
    process.stderr.write(`${result.issues.length} problem(s)\n`);
    return 1;
  }
  const c = result.config;
  process.stdout.write(`${c.file}: ok (${Object.keys(c.pipelines).length} pipelines, ${Object.keys(c.queries).length} queries)\n`);
  return 0;
}

async function cmdQuery(v: Record<string, unknown>, pos: string[]): Promise<number> {
  const what = pos.join(' ').trim();
  if (!what) throw new ShoeboxError('SHOEBOX_USAGE', 'query needs a query name or SQL: shoebox query <NAME|SQL> (see shoebox list)');
  const format = (v.format as string | undefined) ?? (v.out ? formatOfOut(v.out as string) : 'table');
  if (!(RESULT_FORMATS as readonly string[]).includes(format)) throw new ShoeboxError('SHOEBOX_USAGE', `--format must be ${RESULT_FORMATS.slice(0, -1).join(', ')} or ${RESULT_FORMATS.at(-1)}, got "${format}"`);
  let sql = what;
  let defaults: Record<string, unknown> = {};
  if (!/\s/.test(what)) {
    const cfg = await config(v);
    const q = cfg.queries[what];
    if (!q) {
      throw new ShoeboxError('SHOEBOX_UNKNOWN_QUERY', `${await placeOf(cfg.file, 'queries')} queries: no query "${what}"${didYouMean(what, Object.keys(cfg.queries))}`);
    }
    sql = q.sql;
    defaults = Object.fromEntries(Object.entries(q.params).filter(([, d]) => d !== null));
  }
  const db = resolve((v.db as string | undefined) ?? process.env.SHOEBOX_DB ?? 'shoebox.duckdb');
  const { runQuery, formatResult } = await lazy.query();
  const r = await runQuery(db, sql, { ...defaults, ...params(v.param) }, { mediaTable: v.table as string | undefined });
  const text = formatResult(r, format as ResultFormat);
  if (v.out) await writeFile(v.out as string, text);
  else process.stdout.write(text === '' || text.endsWith('\n') ? text : text + '\n');
  return 0;
}

/** The format `query --out PATH` writes when --format is not given: by PATH's extension. */
const OUT_EXTENSIONS: Record<string, string> = { '': 'table', '.txt': 'table', '.csv': 'csv', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.md': 'markdown', '.markdown': 'markdown' };

function formatOfOut(out: string): string {
  const ext = extname(out).toLowerCase();
  const format = OUT_EXTENSIONS[ext];
  if (format) return format;
  const known = Object.keys(OUT_EXTENSIONS).filter(Boolean).join(' ');
  const parquet = ext === '.parquet' ? '; a table is written as Parquet by `shoebox export --to FILE.parquet [--table T]`' : '';
  throw new ShoeboxError('SHOEBOX_USAGE', `--out ${out}: no query format is named by "${ext}" (${known}), give --format${parquet}`);
}

async function cmdExport(v: Record<string, unknown>): Promise<number> {
  const to = v.to as string | undefined;
  if (!to) throw new ShoeboxError('SHOEBOX_USAGE', 'export needs --to PATH.(parquet|csv|jsonl)');
  const db = resolve((v.db as string | undefined) ?? process.env.SHOEBOX_DB ?? 'shoebox.duckdb');
  const part = v['partition-by'] as string | undefined;
  const { exportTable } = await lazy.export();
  const r = await exportTable({ db, table: (v.table as string | undefined) ?? 'media', to, partitionBy: part ? part.split(',') : [] });
  process.stdout.write(`exported ${r.rows} rows to ${r.path}\n`);
  return 0;
}

async function cmdReport(v: Record<string, unknown>): Promise<number> {
  const db = resolve((v.db as string | undefined) ?? process.env.SHOEBOX_DB ?? 'shoebox.duckdb');
  const { writeReport } = await lazy.report();
  const r = await writeReport({ db, table: v.table as string | undefined, out: (v.out as string | undefined) ?? 'report.html' });
  process.stdout.write(`wrote ${r.path} (${(r.bytes / 1e3).toFixed(0)} kB): open it in a browser\n`);
  return 0;
}
