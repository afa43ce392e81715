import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandName } from '../src/pipelines/invocation.js';
import { renderSummary } from '../src/pipelines/summary.js';
import type { RunResult } from '../src/pipelines/run.js';
import type { PipelineSpec } from '../src/pipelines/spec.js';
import { BIN, makeJpeg, shoebox, tempDir, writeTree } from './helpers.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-summary-'));
});
afterAll(() => cleanup());

describe('commandName: the command the hints tell the user to type', () => {
  const repo = join(BIN, '..', '..');

  it('is `shoebox` when that name on PATH is this program', async () => {
    const onPath = join(dir, 'path-bin');
    await mkdir(onPath, { recursive: true });
    await symlink(BIN, join(onPath, 'shoebox'));
    expect(commandName(BIN, dir, `/nonexistent:${onPath}`)).toBe('shoebox');
  });

  it('is `npx shoebox` inside its own checkout, and in a project that has it in node_modules/.bin', async () => {
    expect(commandName(BIN, repo, '/usr/bin')).toBe('npx shoebox');
    expect(commandName(BIN, join(repo, 'test'), '/usr/bin')).toBe('npx shoebox');
    const project = join(dir, 'project');
    await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
    await symlink(BIN, join(project, 'node_modules', '.bin', 'shoebox'));
    expect(commandName(join(project, 'node_modules', '.bin', 'shoebox'), project, '/usr/bin')).toBe('npx shoebox');
  });

  it('is not `shoebox` when only npm or npx put it on PATH (their node_modules/.bin)', async () => {
    const cache = join(dir, '.npm', '_npx', 'abc123', 'node_modules', '.bin');
    await mkdir(cache, { recursive: true });
    await symlink(BIN, join(cache, 'shoebox'));
    expect(commandName(BIN, repo, `${cache}:/usr/bin`)).toBe('npx shoebox');
    expect(commandName(BIN, repo, `${join(repo, 'node_modules', '.bin')}:/usr/bin`)).toBe('npx shoebox');
  });

  it('is the path it was started by anywhere else (quoted when it has spaces)', () => {
    expect(commandName(BIN, dir, '/usr/bin')).toBe(BIN);
    // a PATH entry holding another program called shoebox does not count
    expect(commandName(BIN, dir, '/usr/bin:/bin')).toBe(BIN);
  });
});

const spec = (kind: PipelineSpec['sink']['kind'], path: string) =>
  ({ name: 'takeout', stages: [{ name: 'sidecar', options: {} }], sink: { kind, path } }) as unknown as PipelineSpec;

function result(over: Partial<RunResult> & { files?: number; errors?: number; skipped?: number }): RunResult {
  const { files = 3, errors = 0, skipped = 0, ...rest } = over;
  return {
    runId: 'r',
    pipeline: 'takeout',
    mode: 'parallel',
    roots: ['lib'],
    counts: { files, skipped, removed: 0, errors, sidecars: 0, bytes: 0, startedAt: new Date(0), finishedAt: new Date(1000), status: 'completed' },
    stats: {} as RunResult['stats'],
    kinds: files ? { photo: files } : {},
    sidecarsMatched: 0,
    sidecarsUnmatched: 0,
    exifNative: 0,
    exifTool: 0,
    firstErrors: [],
    warnings: [],
    archives: 0,
    firstArchives: [],
    sink: 'DuckDB x.duckdb',
    ...rest,
  };
}

describe('renderSummary', () => {
  it('writes the next commands as the user can type them', () => {
    const out = renderSummary(result({}), spec('duckdb', 'my photos.duckdb'), 'npx shoebox');
    expect(out).toContain('  npx shoebox query per-year --db "my photos.duckdb"');
    expect(out).toContain('  npx shoebox report --db "my photos.duckdb" --out report.html');
    expect(out).not.toMatch(/No files were found|archive/);
  });

  it('counts sidecars of the finished folders only after Ctrl-C', () => {
    const r = result({});
    r.counts.status = 'interrupted';
    r.counts.sidecars = 2;
    expect(renderSummary(r, spec('duckdb', 'x.duckdb'), 'shoebox')).toContain('(2 JSON files in the folders finished)');
    expect(renderSummary(result({}), spec('duckdb', 'x.duckdb'), 'shoebox')).toContain('JSON files in all)');
  });

  it('says how to see every error when it shows only the first', () => {
    const firstErrors = ['a.jpg: exif: bad', 'b.jpg: exif: bad', 'c.jpg: exif: bad', 'd.jpg: exif: bad', 'e.jpg: exif: bad'];
    const out = renderSummary(result({ errors: 7, firstErrors }), spec('duckdb', 'x.duckdb'), 'shoebox');
    expect(out).toContain("errors     7 (this run's; each is a row in the errors table)");
    expect(out).toContain('… and 2 more: shoebox query errors --db "x.duckdb"');
    const file = renderSummary(result({ errors: 7, firstErrors }), spec('parquet', 'out.parquet'), 'shoebox');
    expect(file).toContain('each is a row in the errors file');
    expect(file).toMatch(/… and 2 more\n/);
  });

  it('says when nothing was found, and when archives were found instead of folders', () => {
    expect(renderSummary(result({ files: 0 }), spec('duckdb', 'x.duckdb'), 'shoebox')).toContain(
      'No files were found under the root: is this the folder the export was extracted to?',
    );
    // nothing found because nothing changed is not "nothing found"
    expect(renderSummary(result({ files: 0, skipped: 4 }), spec('duckdb', 'x.duckdb'), 'shoebox')).not.toContain('No files were found');
    const out = renderSummary(
      result({ files: 4, archives: 4, firstArchives: ['takeout-1.zip', 'takeout-2.zip', 'takeout-3.zip'] }),
      spec('duckdb', 'x.duckdb'),
      'shoebox',
    );
    expect(out).toContain('4 archive files were found and not opened (takeout-1.zip, takeout-2.zip, takeout-3.zip, …): shoebox reads extracted folders.');
  });
});

describe('a run over a folder of unextracted archives, and over an empty folder', () => {
  it('points at the archives', async () => {
    const root = join(dir, 'downloads');
    await writeTree(root, { 'takeout-20240525T201456Z-001.zip': Buffer.from('PK\x03\x04 not really a zip'), 'notes.txt': 'x' });
    const { stdout } = await shoebox('run', 'takeout', '--root', root, '--db', join(dir, 'zip.duckdb'), '--no-progress');
    expect(stdout).toContain('1 archive file was found and not opened (takeout-20240525T201456Z-001.zip): shoebox reads extracted folders.');
    const json = JSON.parse((await shoebox('run', 'takeout', '--root', root, '--db', join(dir, 'zip2.duckdb'), '--no-progress', '--json')).stdout);
    expect(json.archives).toBe(1);
    // run again: the folder is skipped as unchanged, and its archive is still not opened
    const again = JSON.parse((await shoebox('run', 'takeout', '--root', root, '--db', join(dir, 'zip2.duckdb'), '--no-progress', '--json')).stdout);
    expect(again).toMatchObject({ skipped: 2, archives: 1 });
  });

  it('says that nothing was found', async () => {
    const root = join(dir, 'empty');
    await mkdir(root, { recursive: true });
    const { stdout } = await shoebox('run', 'takeout', '--root', root, '--db', join(dir, 'empty.duckdb'), '--no-progress');
    expect(stdout).toContain('No files were found under the root');
  });

  it('says nothing of the kind for a library', async () => {
    const root = join(dir, 'lib');
    await writeTree(root, { 'Photos from 2020/a.jpg': makeJpeg(16, 16, 1) });
    await writeFile(join(root, 'Photos from 2020/a.jpg.json'), JSON.stringify({ title: 'a.jpg' }));
    const { stdout } = await shoebox('run', 'takeout', '--root', root, '--db', join(dir, 'lib.duckdb'), '--no-progress');
    expect(stdout).not.toMatch(/No files were found|archive file/);
    expect(stdout).toMatch(/Next:\n {2}\S.* query per-year --db /);
  });
});

describe('a sink that names the media table otherwise (table: photos)', () => {
  let stdout: string;
  let db: string;
  beforeAll(async () => {
    const root = join(dir, 'named');
    await writeTree(root, {
      'Photos from 2020/a.jpg': makeJpeg(16, 16, 1),
      'Photos from 2020/a.jpg.json': JSON.stringify({ title: 'a.jpg', photoTakenTime: { timestamp: '1600000000' } }),
      'Photos from 2020/b.jpg': makeJpeg(16, 16, 1),
    });
    db = join(dir, 'named.duckdb');
    // takeout's then: [summary], a query written against `media`
    ({ stdout } = await shoebox('run', 'takeout', '--root', root, '--db', db, '--set', 'pipelines.takeout.sink.duckdb.table=photos', '--no-progress'));
  }, 120_000);

  it("runs the pipeline's then: queries on that table", () => {
    expect(stdout).toMatch(/== summary \(1 row\)\n.*\n.*\nphoto +2 /);
  });

  it('names it in every hint, and each hint runs as written', async () => {
    const hints = stdout.split('Next:\n')[1]!.split('\n\n')[0]!.split('\n').filter(Boolean);
    expect(hints).toHaveLength(4);
    for (const hint of hints) {
      expect(hint).toContain(' --table photos');
      // the words after the command, a quoted one whole; files it writes go to the test's folder
      const words = [...hint.replace(/^ +(npx )?\S+ /, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const args = words.map((w, i) => (['--to', '--out'].includes(words[i - 1]!) ? join(dir, `hint-${w}`) : w));
      const r = await shoebox(...args);
      expect(r.stdout, hint).not.toBe('');
    }
    expect(stdout).not.toContain('query failed');
  });

  it('a query without --table says which table to give; with a wrong one, which tables there are', async () => {
    const fail = (args: string[]) => shoebox(...args).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    const none = await fail(['query', 'per-year', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`the query reads media, a table ${db} does not have: its media rows are in photos; give --table photos`);
    const wrong = await fail(['query', 'per-year', '--db', db, '--table', 'fotos']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no table fotos in .*named\.duckdb \(tables: .*photos.*\)/);
    // the name is DuckDB's, case-insensitive
    expect((await shoebox('query', 'SELECT count(*) AS n FROM media', '--db', db, '--table', 'Photos')).stdout).toBe('n\n-\n2\n');
    // upper-case MEDIA gets the hint as well
    expect((await fail(['query', 'SELECT count(*) FROM MEDIA', '--db', db])).stderr).toContain('give --table photos');
    // SQL naming the table itself needs no --table
    expect((await shoebox('query', 'SELECT count(*) AS n FROM photos', '--db', db)).stdout).toBe('n\n-\n2\n');
  });
});

describe('the progress bar ETA', () => {
  it('shows … until a file is done, then the time left at the current rate', async () => {
    const { etaText } = await import('../src/pipelines/progress.js');
    expect(etaText(100, 0)).toBe('…');
    expect(etaText(100, NaN)).toBe('…');
    expect(etaText(0, 0)).toBe('0s');
    expect(etaText(84, 2)).toBe('42s');
    expect(etaText(185, 1)).toBe('3m05s');
    expect(etaText(3720 * 10, 10)).toBe('1h02m');
  });
});

describe('roots that overlap the roots already in the database', () => {
  it('finds the same folder given another way, a folder inside a stored root, and one around it', async () => {
    const { overlapWarnings } = await import('../src/pipelines/overlap.js');
    const lib = join(dir, 'overlap', 'lib');
    await mkdir(join(lib, 'Photos from 2020'), { recursive: true });
    const cwd = join(dir, 'overlap');
    // stored roots of an older shoebox's runs (folder not recorded) are taken from the current folder
    const old = (root: string) => ({ root, path: null });
    expect(overlapWarnings(['lib'], [old('lib')], cwd)).toEqual([]);
    expect(overlapWarnings([lib], [old('lib')], cwd)).toEqual([
      `the database already holds files under the root "lib" (${lib}), which is the same folder as this run's root "${lib}": those files will be stored twice, once under each root. Give the root as "lib" (from the folder it was given in), or write to another --db.`,
    ]);
    expect(overlapWarnings([join(lib, 'Photos from 2020')], [old(lib)], cwd)[0]).toContain(`contains this run's root "${join(lib, 'Photos from 2020')}"`);
    expect(overlapWarnings([lib], [old(join(lib, 'Photos from 2020'))], cwd)[0]).toContain(`lies inside this run's root "${lib}"`);
    // a sibling whose name starts the same is not inside
    expect(overlapWarnings([lib], [old(`${lib} 2`)], cwd)).toEqual([]);
    // a symlink to the folder is the same folder
    await symlink(lib, join(cwd, 'link'));
    expect(overlapWarnings(['link'], [old(lib)], cwd)[0]).toContain('is the same folder');
  });

  it('uses the folder a stored root named when it was scanned, wherever this run starts', async () => {
    const { overlapWarnings } = await import('../src/pipelines/overlap.js');
    const home = join(dir, 'overlap-home');
    const pictures = join(home, 'Pictures');
    await mkdir(join(pictures, 'Phone'), { recursive: true });
    await mkdir(join(home, 'other', 'Pictures'), { recursive: true });
    const stored = [{ root: 'Pictures', path: pictures }];
    // from inside Pictures: its sub-folder
    expect(overlapWarnings(['Phone'], stored, pictures)[0]).toContain(`contains this run's root "Phone"`);
    // from a sibling folder: the same folder as ../Pictures
    expect(overlapWarnings(['../Pictures'], stored, join(home, 'other'))[0]).toContain('is the same folder');
    // the same name given where it names another folder: two libraries under one root
    expect(overlapWarnings(['Pictures'], stored, join(home, 'other'))[0]).toContain(
      `the database already holds files under the root "Pictures" from ${pictures}; this run's "Pictures" is ${join(home, 'other', 'Pictures')}: the two libraries would be mixed`,
    );
    // and the same name from the same place is the ordinary rerun
    expect(overlapWarnings(['Pictures'], stored, home)).toEqual([]);
  });

  it("records each run's folders, so a relative root given from elsewhere is recognised", async () => {
    const home = join(dir, 'overlap-run');
    await writeTree(join(home, 'Pictures', 'Phone'), { 'x.jpg': makeJpeg(16, 16, 11) });
    await mkdir(join(home, 'other'), { recursive: true });
    const db = join(home, 'o.duckdb');
    const run = (cwd: string, root: string) =>
      execFileAsync(process.execPath, [BIN, 'run', 'photos', '--root', root, '--db', db, '--json', '--no-progress'], { cwd }).then((r) => JSON.parse(r.stdout));
    expect((await run(home, 'Pictures')).warnings).toEqual([]);
    expect((await run(join(home, 'Pictures'), 'Phone')).warnings[0]).toContain(`contains this run's root "Phone"`);
    const fromElsewhere = (await run(join(home, 'other'), '../Pictures')).warnings as string[];
    expect(fromElsewhere.filter((w) => w.includes(`root "Pictures" (${join(home, 'Pictures')}), which is the same folder`))).toHaveLength(1);
    // the rerun as first given: only the roots the two runs above added are named
    const again = (await run(home, 'Pictures')).warnings as string[];
    expect(again.filter((w) => w.includes('under the root "Pictures"'))).toEqual([]);
    expect(again.map((w) => /under the root "([^"]+)"/.exec(w)![1]).sort()).toEqual(['../Pictures', 'Phone']);
  });

  it('warns on stderr before the scan, and in the summary and --json', async () => {
    const root = join(dir, 'twice');
    await writeTree(root, { 'Photos from 2020/a.jpg': makeJpeg(16, 16, 7), 'Photos from 2020/b.jpg': makeJpeg(16, 16, 8) });
    const db = join(dir, 'twice.duckdb');
    const first = await shoebox('run', 'takeout', '--root', root, '--db', db, '--no-progress');
    expect(first.stderr).not.toContain('warning');
    const inner = join(root, 'Photos from 2020');
    const second = await shoebox('run', 'takeout', '--root', inner, '--db', db, '--no-progress');
    expect(second.stderr).toContain(`shoebox: warning: the database already holds files under the root "${root}" (${root}), which contains this run's root "${inner}"`);
    expect(second.stdout).toContain(`Warning: the database already holds files under the root "${root}"`);
    const json = JSON.parse((await shoebox('run', 'takeout', '--root', inner, '--db', db, '--no-progress', '--json')).stdout);
    expect(json.warnings).toHaveLength(1);
  });
});
