import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { generateSample } from '../src/sample/generate.js';
import { BIN, tempDir } from './helpers.js';


interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/shoebox as a command, the way a user does (its shell line execs node with V8 flags),
 * and resolves with its exit code and output, whatever the code.
 */
function shoebox(args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
let cleanup: () => Promise<void>;
let lib: string;
let db: string;
let first: Result;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox cli é '));
  lib = join(dir, 'my library');
  await generateSample({ dir: lib });
  db = join(dir, 'it\'s.duckdb');
  first = await shoebox(['run', 'takeout', '--root', lib, '--db', db, '--then', 'duplicates', '--no-progress']);
}, 180_000);
afterAll(() => cleanup());

describe('the launcher', () => {
  it('execs node on itself with the start-up V8 flags, or without them for SHOEBOX_HEAP=fast', async () => {
    // a `node` first on PATH that only reports how it was called
    const fake = join(dir, 'fake-node');
    await mkdir(fake, { recursive: true });
    await writeFile(join(fake, 'node'), '#!/bin/sh\necho "$@"\necho "MALLOC_TRIM_THRESHOLD_=$MALLOC_TRIM_THRESHOLD_"\n');
    await chmod(join(fake, 'node'), 0o755);
    const PATH = `${fake}:${process.env.PATH}`;
    const tuned = await shoebox(['list', '--json'], undefined, { PATH });
    expect(tuned.stdout.trim()).toBe(`--max-semi-space-size=2 --optimize-for-size ${BIN} list --json\nMALLOC_TRIM_THRESHOLD_=65536`);
    const fast = await shoebox(['list'], undefined, { PATH, SHOEBOX_HEAP: 'fast', MALLOC_TRIM_THRESHOLD_: '' });
    expect(fast.stdout.trim()).toBe(`${BIN} list\nMALLOC_TRIM_THRESHOLD_=65536`);
    // glibc's threshold: a value the user set is kept
    const own = await shoebox(['list'], undefined, { PATH, MALLOC_TRIM_THRESHOLD_: '262144' });
    expect(own.stdout.trim()).toBe(`--max-semi-space-size=2 --optimize-for-size ${BIN} list\nMALLOC_TRIM_THRESHOLD_=262144`);
  });

  it('is JavaScript too: node runs the same file (shell lines and all)', async () => {
    const real = await shoebox(['--version'], undefined, { PATH: `${dirname(process.execPath)}:${process.env.PATH}` });
    // and V8 takes the flags it sets at run time (an unknown one is an error on stderr)
    expect(real).toMatchObject({ code: 0, stdout: 'shoebox 0.1.0\n', stderr: '' });
  });
});

describe('shoebox run', () => {
  it('--then duplicates prints each duplicate group with its paths and wasted bytes', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/shoebox takeout: completed/);
    const section = first.stdout.slice(first.stdout.indexOf('== duplicates'));
    expect(section).toMatch(/== duplicates \(\d+ rows\)/);
    // The album holds copies of year-folder photos: the same bytes in two places.
    expect(section).toContain('Trip to Lisbon/PXL_20210612_183055123.jpg');
    expect(section).toContain('Photos from 2021/PXL_20210612_183055123.jpg');
    expect(section).toMatch(/wasted/);
  });

  it('an unknown pipeline is a usage error with a suggestion (exit 1)', async () => {
    const r = await shoebox(['run', 'takout', '--root', lib, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pipelines\.yaml:\d+:1 pipelines: no pipeline "takout" \(did you mean "takeout"\?\)/);
  });

  it('a bad option value is a usage error (exit 1)', async () => {
    const r = await shoebox(['run', 'takeout', '--root', lib, '--db', db, '--io', 'lots']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--io must be an integer >= 1, got "lots"/);
  });

  it('takes roots after the pipeline name, as --root does', async () => {
    const other = join(dir, 'positional.duckdb');
    const r = await shoebox(['run', 'takeout', lib, '--db', other, '--json', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const q = await shoebox(['query', 'SELECT root, count(*) AS n FROM media GROUP BY root', '--db', other, '--format', 'json']);
    const rows = JSON.parse(q.stdout) as Array<{ root: string; n: number }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.root.startsWith(lib)).toBe(true); // not the pipeline's own roots
    expect(rows.reduce((a, r) => a + r.n, 0)).toBeGreaterThan(20);
    const missing = await shoebox(['run', 'takeout', join(dir, 'nope'), '--db', join(dir, 'never.duckdb')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/root ".*nope" is not a directory/);
  });

  it('a word a command does not take is a usage error, not silently ignored (exit 1)', async () => {
    const r = await shoebox(['list', 'takeout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/list takes no argument "takeout"/);
  });

  it('a missing root is reported before anything is written (exit 1)', async () => {
    const r = await shoebox(['run', 'takeout', '--root', join(dir, 'nope'), '--db', join(dir, 'never.duckdb')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/root ".*nope" is not a directory/);
  });

  it('swaps the sink for Parquet partitioned by year and runs the then-query on the files', async () => {
    const out = join(dir, 'parquet out');
    const r = await shoebox(['run', 'takeout-parquet', '--root', lib, '--out', out, '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/written to Parquet .*parquet out partitioned by year/);
    expect(r.stdout).toMatch(/== per-year \(\d+ rows\)[\s\S]*2019\s+\d+/);
  });
});

describe('shoebox query', () => {
  it('per-year as markdown', async () => {
    const r = await shoebox(['query', 'per-year', '--db', db, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\| year \| files \|/);
    expect(r.stdout).toMatch(/\| 2021 \| \d+ \|/);
  });

  it('a parameterised named query binds --param', async () => {
    const r = await shoebox(['query', 'year', '--param', 'year=2019', '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((x) => JSON.stringify(x).includes('2019'))).toBe(true);
  });

  it('an unknown query names the file, line and a suggestion (exit 1)', async () => {
    const r = await shoebox(['query', 'per-yaer', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pipelines\.yaml:\d+:1 queries: no query "per-yaer" \(did you mean "per-year"\?\)/);
  });

  it('a missing parameter names it (exit 1)', async () => {
    const r = await shoebox(['query', 'year', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$year/);
  });

  it('plain SQL, written to a file with --out', async () => {
    const out = join(dir, 'kinds.csv');
    const r = await shoebox(['query', 'SELECT kind, count(*) AS n FROM media GROUP BY kind ORDER BY kind', '--db', db, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(out, 'utf8')).toMatch(/^kind,n\nother,\d+\nphoto,\d+\nvideo,2\n$/);
  });

  it('--out names the format by its extension when --format is not given', async () => {
    const { readFile } = await import('node:fs/promises');
    const sql = 'SELECT kind, count(*) AS n FROM media GROUP BY kind ORDER BY kind';
    const csv = join(dir, 'by-extension.csv');
    expect((await shoebox(['query', sql, '--db', db, '--out', csv])).code).toBe(0);
    expect(await readFile(csv, 'utf8')).toMatch(/^kind,n\nother,\d+\n/);
    const json = join(dir, 'by-extension.json');
    expect((await shoebox(['query', sql, '--db', db, '--out', json])).code).toBe(0);
    expect(JSON.parse(await readFile(json, 'utf8'))[0]).toMatchObject({ kind: 'other' });
    const md = join(dir, 'by-extension.md');
    expect((await shoebox(['query', sql, '--db', db, '--out', md])).code).toBe(0);
    expect(await readFile(md, 'utf8')).toMatch(/^\| kind \| +n \|/);
    // --format wins over the extension
    expect((await shoebox(['query', sql, '--db', db, '--out', csv, '--format', 'table'])).code).toBe(0);
    expect(await readFile(csv, 'utf8')).toMatch(/^kind +n\n-----/);
    // JSON lines: one object a line, the same objects as .json
    const jsonl = join(dir, 'by-extension.jsonl');
    expect((await shoebox(['query', sql, '--db', db, '--out', jsonl])).code).toBe(0);
    const lines = (await readFile(jsonl, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(JSON.parse(await readFile(json, 'utf8')));
    const txt = join(dir, 'by-extension.txt');
    expect((await shoebox(['query', sql, '--db', db, '--out', txt])).code).toBe(0);
    expect(await readFile(txt, 'utf8')).toMatch(/^kind +n\n-----/);
  });

  it('--out with an extension that names no query format is refused, nothing written', async () => {
    const { existsSync } = await import('node:fs');
    const sql = 'SELECT kind FROM media';
    const parquet = join(dir, 'kinds.parquet');
    const r = await shoebox(['query', sql, '--db', db, '--out', parquet]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--out ' + parquet);
    expect(r.stderr).toContain('shoebox export --to FILE.parquet');
    expect(existsSync(parquet)).toBe(false);
    const tsv = join(dir, 'kinds.tsv');
    expect((await shoebox(['query', sql, '--db', db, '--out', tsv])).stderr).toMatch(/no query format is named by "\.tsv".*give --format/);
    expect(existsSync(tsv)).toBe(false);
    // --format makes any name fine
    expect((await shoebox(['query', sql, '--db', db, '--out', tsv, '--format', 'csv'])).code).toBe(0);
    expect(existsSync(tsv)).toBe(true);
  });

  it('--format jsonl to stdout: an object a line, nothing for no rows', async () => {
    const r = await shoebox(['query', "SELECT kind, count(*) AS n FROM media WHERE kind = 'video' GROUP BY kind", '--db', db, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"kind":"video","n":2}\n');
    const none = await shoebox(['query', "SELECT kind FROM media WHERE kind = 'nothing'", '--db', db, '--format', 'jsonl']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
  });

  it('export --help: its examples run as written', async () => {
    const help = await shoebox(['export', '--help']);
    const examples = [...help.stdout.matchAll(/^ {2}shoebox (export .*)$/gm)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(1);
    for (const ex of examples) {
      const args = ex.split(' ').slice(1).map((a) => (a === 'photos.duckdb' ? db : a));
      if (!args.includes('--db')) args.push('--db', db);
      const to = args.indexOf('--to');
      args[to + 1] = join(dir, `example-${args[to + 1]}`);
      const r = await shoebox(['export', ...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describe('an unknown option', () => {
  it('is named, with the option meant when it is a typo (exit 1)', async () => {
    const r = await shoebox(['run', 'takeout', '--roots', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('shoebox run: unknown option --roots (did you mean "--root"?)\nRun "shoebox run --help" for the options.\n');
    const q = await shoebox(['query', 'summary', '--formt=csv']);
    expect(q.stderr).toContain('unknown option --formt (did you mean "--format"?)');
    const far = await shoebox(['run', 'takeout', '--frobnicate']);
    expect(far.stderr).toContain('unknown option --frobnicate\n');
  });
});

describe('shoebox validate, list, help', () => {
  it('validate prints FILE:LINE:COL and the unknown sink name, exit 1', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'pipelines:\n  p:\n    source: { walk: { roots: [x] } }\n    stages: [sidecar]\n    sink: { duckbd: { path: x.duckdb } }\n');
    const r = await shoebox(['validate', '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:5:13 pipelines.p.sink: unknown sink "duckbd" (did you mean "duckdb"?)`);
  });

  it('list shows every pipeline and query with its description', async () => {
    const r = await shoebox(['list']);
    expect(r.code).toBe(0);
    for (const name of ['takeout', 'takeout-parquet', 'photos', 'fingerprint', 'summary', 'duplicates', 'date-conflicts']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
    }
  });

  it.each(['run', 'list', 'validate', 'query', 'export', 'report'])('%s --help has a description and an example', async (cmd) => {
    const r = await shoebox([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: shoebox /);
    expect(r.stdout).toMatch(/\nExamples:\n  shoebox /);
  });
});
