import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DuckDbWriter, isOutOfMemory } from '../src/db/duckdb.js';
import { TABLES } from '../src/db/schema.js';
import { ShoeboxError } from '../src/errors.js';
import type { MediaItem, TableRow } from '../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'shoebox-duckdb-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = '/exports/Takeout';

function photo(name: string, over: Partial<MediaItem> = {}): MediaItem {
  const path = `Google Photos/Photos from 2019/${name}`;
  return {
    type: 'media', rootIndex: 0, root: ROOT, path, abs: `${ROOT}/${path}`,
    size: 2_315_006, mtimeMs: Date.parse('2019-08-04T07:12:40Z'), folder: 'year', album: null,
    sidecar: {
      rootIndex: 0, path: `${path}.supplemental-metadata.json`, rule: 'exact',
      fields: {
        title: name, description: '', takenAt: new Date('2019-08-03T15:45:12Z'), createdAt: new Date('2019-08-04T07:12:40Z'),
        modifiedAt: null, lat: 43.7679, lon: 11.2531, alt: 48, exifLat: 0, exifLon: 0, exifAlt: 0,
        people: ['Giulia Rossi', 'Marco'], origin: 'mobileUpload', deviceType: 'ANDROID_PHONE', localFolder: null,
        appPackage: null, favorited: false, archived: false, trashed: false, views: 3, url: 'https://photos.google.com/photo/AF1QipN',
      },
    },
    fingerprint: { crc32: 2_598_262_741, mime: 'image/jpeg' },
    exif: {
      takenAtLocal: '2019-08-03T17:45:12', offset: '+02:00', dateTag: 'DateTimeOriginal', lat: 43.7695, lon: 11.2558, alt: 52.1,
      make: 'Google', model: 'Pixel 3', lens: null, width: 4032, height: 3024, orientation: 1, duration: null, mime: 'image/jpeg',
    },
    problems: [],
    ...over,
  };
}

const sidecarRow = (path: string, matched: boolean): TableRow => ({
  type: 'row', table: 'sidecars',
  row: { root: ROOT, path, kind: 'media', title: 'IMG_0001.jpg', matched, media_root: matched ? ROOT : null, media_path: null, match_rule: null, matches: matched ? 1 : 0 },
});

/** `n` photos with their sidecar rows, named apart by `tag`. */
function many(n: number, tag = ''): (MediaItem | TableRow)[] {
  const items: (MediaItem | TableRow)[] = [];
  for (let i = 0; i < n; i++) items.push(photo(`IMG_${i}${tag}.jpg`), sidecarRow(`Google Photos/${i}${tag}.json`, true));
  return items;
}

/** A database made by `sql` outside the writer, as an older shoebox (or a user) left it. */
async function prepared(file: string, ...sql: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  for (const q of sql) await c.run(q);
  c.closeSync();
  instance.closeSync();
}

/** media and sidecars each hold `n` rows, no key twice. */
async function expectUnique(file: string, n: number): Promise<void> {
  for (const t of ['media', 'sidecars']) {
    expect(await rows(file, `SELECT count(*), count(DISTINCT path) FROM ${t}`)).toEqual([[String(n), String(n)]]);
  }
}

async function rows(file: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowsJson() as unknown[][];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function expectCode(p: Promise<unknown>, code: string, ...fragments: string[]): Promise<ShoeboxError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShoeboxError);
  const se = err as ShoeboxError;
  expect(se.code).toBe(code);
  for (const f of fragments) expect(se.message).toContain(f);
  return se;
}

describe('DuckDbWriter', () => {
  it('creates every table of schema.ts, with no index to hold memory per row', async () => {
    const file = join(dir, 'tables.duckdb');
    (await DuckDbWriter.open(file)).close();
    const keys = await rows(
      file,
      `SELECT table_name, constraint_type FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') UNION ALL ` +
        `SELECT table_name, index_name FROM duckdb_indexes()`,
    );
    expect(keys).toEqual([]);
    expect((await rows(file, `SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`)).flat()).toEqual(
      TABLES.map((t) => t.name).sort(),
    );
    const cols = await rows(file, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'media' ORDER BY ordinal_position`);
    expect(cols).toEqual(TABLES[0]!.columns.map((c) => [c.name, c.type === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : c.type]));
  });

  it('upserts: writing the same files twice (in two runs) leaves one row each, with the newer values', async () => {
    const file = join(dir, 'upsert.duckdb');
    const items = [photo('IMG_0001.jpg'), photo('IMG_0002.jpg'), sidecarRow('Google Photos/orphan.json', false)];
    const first = await DuckDbWriter.open(file, { roots: [ROOT] });
    expect(await first.appendBatch(items)).toEqual({ media: 2, rows: 1 });
    first.close();

    const second = await DuckDbWriter.open(file, { roots: [ROOT] });
    const changed = photo('IMG_0002.jpg', { size: 99 });
    // the same key twice in one batch: the last one wins
    await second.appendBatch([photo('IMG_0001.jpg'), photo('IMG_0002.jpg'), changed, sidecarRow('Google Photos/orphan.json', true)]);
    await second.appendBatch([photo('IMG_0003.jpg')]);
    second.close();

    expect(await rows(file, `SELECT path, size FROM media ORDER BY path`)).toEqual([
      ['Google Photos/Photos from 2019/IMG_0001.jpg', '2315006'],
      ['Google Photos/Photos from 2019/IMG_0002.jpg', '99'],
      ['Google Photos/Photos from 2019/IMG_0003.jpg', '2315006'],
    ]);
    expect(await rows(file, `SELECT path, matched FROM sidecars`)).toEqual([['Google Photos/orphan.json', true]]);
  });

  it('writes typed values: instants, the people list, the unsigned CRC', async () => {
    const file = join(dir, 'values.duckdb');
    const w = await DuckDbWriter.open(file);
    await w.appendBatch([photo('IMG_0001.jpg')]);
    w.close();
    const [row] = await rows(
      file,
      `SELECT epoch_ms(taken_at), taken_at_source, exif_taken_at, crc32, people, lat, geo_exif_lat, width, favorited, epoch_ms(mtime), kind FROM media`,
    );
    expect(row).toEqual([
      Date.parse('2019-08-03T15:45:12Z').toString(), 'exif', '2019-08-03T17:45:12+02:00', 2_598_262_741, ['Giulia Rossi', 'Marco'],
      43.7679, null, 4032, false, Date.parse('2019-08-04T07:12:40Z').toString(), 'photo',
    ]);
  });

  it("replaces a file's problems from an earlier run when the file is written again", async () => {
    const file = join(dir, 'errors.duckdb');
    const broken = photo('IMG_0009.jpg', { problems: [{ stage: 'exif', message: 'Truncated file' }] });
    const w1 = await DuckDbWriter.open(file);
    await w1.appendBatch([broken, { type: 'row', table: 'errors', row: { root: ROOT, path: 'Google Photos/bad.json', stage: 'sidecar', message: 'invalid JSON', at: new Date() } }]);
    w1.close();
    expect(await rows(file, `SELECT path, stage, message FROM errors ORDER BY path`)).toEqual([
      ['Google Photos/Photos from 2019/IMG_0009.jpg', 'exif', 'Truncated file'],
      ['Google Photos/bad.json', 'sidecar', 'invalid JSON'],
    ]);
    await new Promise((r) => setTimeout(r, 5));
    const w2 = await DuckDbWriter.open(file);
    await w2.appendBatch([photo('IMG_0009.jpg')]);
    w2.close();
    expect(await rows(file, `SELECT path FROM errors`)).toEqual([['Google Photos/bad.json']]);
  });

  it('adds the columns a database from an older shoebox lacks, and writes through them', async () => {
    const file = join(dir, 'older.duckdb');
    await prepared(
      file,
      `CREATE TABLE media (root VARCHAR, path VARCHAR, size BIGINT, PRIMARY KEY (root, path))`,
      `INSERT INTO media VALUES ('${ROOT}', 'Google Photos/Photos from 2019/IMG_0001.jpg', 1)`,
    );
    const w = await DuckDbWriter.open(file);
    await w.appendBatch([photo('IMG_0001.jpg'), photo('IMG_0002.jpg')]);
    w.close();
    expect(await rows(file, `SELECT name, size, model, people FROM media ORDER BY path`)).toEqual([
      ['IMG_0001.jpg', '2315006', 'Pixel 3', ['Giulia Rossi', 'Marco']],
      ['IMG_0002.jpg', '2315006', 'Pixel 3', ['Giulia Rossi', 'Marco']],
    ]);
  });

  it("writes into a database of an older shoebox, whose tables have primary keys, a key repeated in a run included", async () => {
    const file = join(dir, 'keyed.duckdb');
    await prepared(
      file,
      ...TABLES.map((t) => {
        const cols = t.columns.map((col) => `"${col.name}" ${col.type}`).join(', ');
        return `CREATE TABLE "${t.name}" (${cols}, PRIMARY KEY (${t.key.map((k) => `"${k}"`).join(', ')}))`;
      }),
    );
    const w = await DuckDbWriter.open(file, { roots: [ROOT] });
    await w.appendBatch([photo('IMG_0001.jpg'), sidecarRow('Google Photos/a.json', false)]);
    await w.appendBatch([photo('IMG_0001.jpg', { size: 7 }), photo('IMG_0002.jpg'), sidecarRow('Google Photos/a.json', true)]);
    w.close();
    expect(await rows(file, `SELECT name, size FROM media ORDER BY path`)).toEqual([
      ['IMG_0001.jpg', '7'],
      ['IMG_0002.jpg', '2315006'],
    ]);
    expect(await rows(file, `SELECT path, matched FROM sidecars`)).toEqual([['Google Photos/a.json', true]]);
    expect(await rows(file, `SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'`)).toEqual([[String(TABLES.length)]]);
  });

  it('records a run', async () => {
    const file = join(dir, 'runs.duckdb');
    const w = await DuckDbWriter.open(file);
    await w.recordRun({
      runId: 'run-1', pipeline: 'takeout', roots: [ROOT, '/exports/Takeout 2'], mode: 'parallel', status: 'completed',
      startedAt: new Date('2024-05-01T10:00:00Z'), finishedAt: new Date('2024-05-01T10:00:02.5Z'),
      files: 36, skipped: 0, removed: 0, errors: 1, sidecars: 33, bytes: 1_234_567,
    });
    w.close();
    expect(await rows(file, `SELECT run_id, roots, files, duration_ms, status FROM runs`)).toEqual([
      ['run-1', [ROOT, '/exports/Takeout 2'], '36', '2500', 'completed'],
    ]);
  });

  it('refuses a value that does not fit its column, naming it, and writes nothing of that batch', async () => {
    const file = join(dir, 'bad.duckdb');
    const w = await DuckDbWriter.open(file);
    const bad: TableRow = { type: 'row', table: 'sidecars', row: { root: ROOT, path: 'x.json', matches: 'several' } };
    await expectCode(w.appendBatch([photo('IMG_0001.jpg'), bad]), 'SHOEBOX_SINK_FAILED', 'sidecars.matches');
    await w.appendBatch([photo('IMG_0002.jpg')]);
    w.close();
    expect(await rows(file, `SELECT name FROM media`)).toEqual([['IMG_0002.jpg']]);
  });
});

describe('DuckDbWriter into a new database (INSERT without the DELETE)', () => {
  const row = (table: TableRow['table'], r: Record<string, unknown>): TableRow => ({ type: 'row', table, row: r });
  const batch = (v: string, size: number): (MediaItem | TableRow)[] => [
    photo('IMG_0001.jpg', { size, problems: [{ stage: 'exif', message: `exif ${v}` }] }),
    row('sidecars', { root: ROOT, path: 'a.json', kind: 'media', title: v, matched: true, matches: 1 }),
    row('albums', { dir: 'Trip', title: v }),
    row('album_items', { dir: 'Trip', root: ROOT, path: 'Trip/a.jpg', scanned_at: new Date() }),
    row('dirs', { roots: ROOT, dir: 'Trip', signature: v, files: 1, scanned_at: new Date() }),
    row('errors', { root: ROOT, path: 'bad.json', stage: 'sidecar', message: v, at: new Date() }),
  ];
  const tables = async (file: string) => ({
    media: await rows(file, `SELECT path, size FROM media ORDER BY ALL`),
    sidecars: await rows(file, `SELECT path, title FROM sidecars ORDER BY ALL`),
    albums: await rows(file, `SELECT dir, title FROM albums ORDER BY ALL`),
    album_items: await rows(file, `SELECT dir, path FROM album_items ORDER BY ALL`),
    dirs: await rows(file, `SELECT dir, signature FROM dirs ORDER BY ALL`),
    errors: await rows(file, `SELECT path, stage, message FROM errors ORDER BY ALL`),
    runs: await rows(file, `SELECT run_id, files FROM runs ORDER BY ALL`),
  });
  const run = (files: number) => ({
    runId: 'run-1', pipeline: 'takeout', roots: [ROOT], mode: 'parallel' as const, status: 'completed' as const,
    startedAt: new Date(), finishedAt: new Date(), files, skipped: 0, removed: 0, errors: 0, sidecars: 0, bytes: 0,
  });
  const expected = (v: string, size: string) => ({
    media: [['Google Photos/Photos from 2019/IMG_0001.jpg', size]],
    sidecars: [['a.json', v]],
    albums: [['Trip', v]],
    album_items: [['Trip', 'Trip/a.jpg']],
    dirs: [['Trip', v]],
    errors: [
      ['Google Photos/Photos from 2019/IMG_0001.jpg', 'exif', `exif ${v}`],
      ['bad.json', 'sidecar', v],
    ],
    runs: [['run-1', size === '2' ? '2' : '1']],
  });

  it.each([
    ['the filter of written keys', undefined],
    ['a filter so small that it says "maybe" to every key', 32],
  ])('still replaces a key that comes again in a later batch of the same run, in every table (%s)', async (_, keyFilterBits) => {
    const file = join(dir, `fresh-repeat-${keyFilterBits ?? 'default'}.duckdb`);
    const w = await DuckDbWriter.open(file, { roots: [ROOT], keyFilterBits });
    await w.appendBatch(batch('first', 1));
    await w.appendBatch([photo('IMG_0002.jpg')]);
    // every key of the first batch again: the filter has seen them, and the tables hold them
    await w.appendBatch(batch('second', 2));
    await w.recordRun(run(1));
    await w.recordRun(run(2));
    // and once more, now through the DELETE the tables went back to
    await w.appendBatch(batch('third', 3));
    w.close();
    const got = await tables(file);
    expect(got.media).toEqual([
      ['Google Photos/Photos from 2019/IMG_0001.jpg', '3'],
      ['Google Photos/Photos from 2019/IMG_0002.jpg', '2315006'],
    ]);
    expect({ ...got, media: [] }).toEqual({ ...expected('third', '3'), media: [], runs: [['run-1', '2']] });
  });

  it('keys that only look repeated to a full filter are inserted once, none lost', async () => {
    const file = join(dir, 'fresh-maybe.duckdb');
    const w = await DuckDbWriter.open(file, { roots: [ROOT], keyFilterBits: 32 });
    for (let b = 0; b < 10; b++) await w.appendBatch(many(30, `-${b}`));
    w.close();
    await expectUnique(file, 300);
  });

  it('a first write and a rewrite into the same database end with the same rows', async () => {
    const file = join(dir, 'fresh-then-again.duckdb');
    const first = await DuckDbWriter.open(file, { roots: [ROOT] });
    await first.appendBatch(batch('first', 1));
    await first.recordRun(run(1));
    first.close();
    expect(await tables(file)).toEqual(expected('first', '1'));
    const again = await DuckDbWriter.open(file, { roots: [ROOT] });
    await again.appendBatch(batch('second', 2));
    await again.recordRun(run(2));
    again.close();
    expect(await tables(file)).toEqual(expected('second', '2'));
  });
});

describe("DuckDbWriter's memory limit", () => {
  const limit = async (w: DuckDbWriter) => String((await w.connection.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0]?.[0]);

  it('holds DuckDB to WRITER_MEMORY_LIMIT while writing a file, and gives the default back for a COPY', async () => {
    const w = await DuckDbWriter.open(join(dir, 'limit.duckdb'));
    expect(await limit(w)).toBe('61.0 MiB'); // 64 MB
    await w.liftMemoryLimit();
    expect(await limit(w)).toMatch(/GiB$/);
    w.close();
    const mem = await DuckDbWriter.open(':memory:');
    expect(await limit(mem)).toMatch(/GiB$/);
    mem.close();
  });

  it("knows DuckDB's out-of-memory messages, also inside a COMMIT's or an Appender's error", () => {
    // as DuckDB 1.5 words them: the first two seen from a COMMIT and an INSERT under a 4 and a 2 MB
    // limit, the third from an Appender in the test below, the last from libduckdb's strings
    for (const m of [
      'TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB (3.7 MiB/3.8 MiB used)',
      'Out of Memory Error: could not allocate block of size 256.0 KiB (1.6 MiB/1.9 MiB used)',
      'Failed to append: failed to allocate data of size 32.0 KiB (232.0 KiB/250.0 KiB used)',
      'Out of Memory Error: failed to pin block of size 256.0 KiB (60.8 MiB/61.0 MiB used)',
    ]) {
      expect(isOutOfMemory(m), m).toBe(true);
    }
    for (const m of [
      'Constraint Error: Duplicate key "root: a, path: b" violates primary key constraint.',
      'IO Error: Could not write file "/x.duckdb.tmp/duckdb_temp_block-1.block": No space left on device',
      'Conversion Error: Could not convert string to INT32',
    ]) {
      expect(isOutOfMemory(m), m).toBe(false);
    }
  });

  it('writes a batch that runs out of memory under the limit again without it, each row once', async () => {
    const file = join(dir, 'limit-oom.duckdb');
    const w = await DuckDbWriter.open(file, { roots: [ROOT], memoryLimit: '256KB' });
    expect(await limit(w)).toBe('250.0 KiB'); // 256,000 bytes
    expect(await w.appendBatch(many(400))).toEqual({ media: 400, rows: 400 });
    expect(await limit(w)).toMatch(/GiB$/);
    await w.appendBatch(many(10, 'b'));
    w.close();
    await expectUnique(file, 410);
  });

  it('removes the rows of deleted files again without the limit when it runs out of memory', async () => {
    const file = join(dir, 'limit-remove.duckdb');
    const first = await DuckDbWriter.open(file, { roots: [ROOT] });
    await first.appendBatch(many(2000));
    first.close();
    const w = await DuckDbWriter.open(file, { roots: [ROOT], memoryLimit: '256KB' });
    const removed = await w.removeMissing({ roots: [ROOT], rootsKey: ROOT, startedAt: new Date(), skippedDirs: [] });
    expect(removed).toBe(2000);
    expect(await limit(w)).toMatch(/GiB$/);
    w.close();
    expect(await rows(file, `SELECT (SELECT count(*) FROM media), (SELECT count(*) FROM sidecars)`)).toEqual([['0', '0']]);
  });
});

describe('DuckDbWriter staging tables', () => {
  const staged = async (w: DuckDbWriter) =>
    Object.fromEntries(
      (await w.connection.runAndReadAll(`SELECT table_name, estimated_size FROM duckdb_tables() WHERE temporary ORDER BY table_name`))
        .getRows()
        .map(([t, n]) => [String(t), Number(n)]),
    );

  it('do not grow with the run: each batch leaves them empty, deleted rows included', async () => {
    const file = join(dir, 'staging-size.duckdb');
    const w = await DuckDbWriter.open(file, { roots: [ROOT] });
    for (let b = 0; b < 20; b++) {
      const batch: (MediaItem | TableRow)[] = [];
      for (let i = 0; i < 50; i++) {
        const n = b * 50 + i;
        batch.push(photo(`IMG_${n}.jpg`), sidecarRow(`Google Photos/Photos from 2019/IMG_${n}.jpg.json`, true));
      }
      await w.appendBatch(batch);
    }
    // DuckDB counts the deleted rows of a table in estimated_size: a staging table emptied with
    // DELETE after each batch says 1000 here, and holds their memory until the run ends.
    const sizes = await staged(w);
    expect(sizes.shoebox_staging_media).toBe(0);
    expect(sizes.shoebox_staging_sidecars).toBe(0);
    const counts = (await w.connection.runAndReadAll(`SELECT (SELECT count(*) FROM media), (SELECT count(*) FROM sidecars)`)).getRows()[0];
    expect(counts?.map(Number)).toEqual([1000, 1000]);
    w.close();
  });

  it('a batch the database refuses leaves nothing behind for the next one', async () => {
    const file = join(dir, 'staging-refused.duckdb');
    await prepared(file, `CREATE TABLE media (root VARCHAR, path VARCHAR, size BIGINT CHECK (size <> 99), PRIMARY KEY (root, path))`);
    const w = await DuckDbWriter.open(file, { roots: [ROOT] });
    await expectCode(
      w.appendBatch([photo('IMG_0001.jpg', { size: 99 }), sidecarRow('Google Photos/a.json', true)]),
      'SHOEBOX_SINK_FAILED',
      'CHECK',
    );
    await w.appendBatch([photo('IMG_0002.jpg'), sidecarRow('Google Photos/b.json', true)]);
    expect(await staged(w)).toMatchObject({ shoebox_staging_media: 0, shoebox_staging_sidecars: 0 });
    w.close();
    expect(await rows(file, `SELECT name FROM media`)).toEqual([['IMG_0002.jpg']]);
    expect(await rows(file, `SELECT path FROM sidecars`)).toEqual([['Google Photos/b.json']]);
  });
});

describe('opening a database', () => {
  let holder: ChildProcess | null = null;
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = null;
  });

  it('gives SHOEBOX_DB_LOCKED, naming the file and the holder, when another process has it open', async () => {
    const file = join(dir, 'locked.duckdb');
    (await DuckDbWriter.open(file)).close();
    const script = `
      const { DuckDBInstance } = require('@duckdb/node-api');
      DuckDBInstance.create(process.argv[1]).then(async (i) => { await i.connect(); console.log('ready'); setInterval(() => {}, 1000); });
    `;
    holder = spawn(process.execPath, ['-e', script, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      holder!.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const err = await expectCode(DuckDbWriter.open(file), 'SHOEBOX_DB_LOCKED', file, `PID ${holder.pid}`, '--db');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('gives SHOEBOX_OUTPUT_UNWRITABLE for a folder that does not exist', async () => {
    const file = join(dir, 'no such folder', 'shoebox.duckdb');
    await expectCode(DuckDbWriter.open(file), 'SHOEBOX_OUTPUT_UNWRITABLE', 'does not exist');
  });

  it('gives SHOEBOX_OUTPUT_UNWRITABLE for a path whose folder is a file', async () => {
    const notDir = join(dir, 'plain-file');
    writeFileSync(notDir, 'x');
    await expectCode(DuckDbWriter.open(join(notDir, 'shoebox.duckdb')), 'SHOEBOX_OUTPUT_UNWRITABLE', 'not a folder');
  });

  it.skipIf(process.getuid?.() === 0)('gives SHOEBOX_OUTPUT_UNWRITABLE for a read-only folder', async () => {
    const ro = join(dir, 'read-only');
    await mkdir(ro);
    await chmod(ro, 0o555);
    try {
      await expectCode(DuckDbWriter.open(join(ro, 'shoebox.duckdb')), 'SHOEBOX_OUTPUT_UNWRITABLE', 'not writable');
    } finally {
      await chmod(ro, 0o755);
    }
  });

  // Root writes through permission bits, so as root a location the kernel refuses even to root stands in.
  it.skipIf(process.platform !== 'linux')('gives SHOEBOX_OUTPUT_UNWRITABLE for a read-only location (/sys)', async () => {
    await expectCode(DuckDbWriter.open('/sys/shoebox.duckdb'), 'SHOEBOX_OUTPUT_UNWRITABLE', '/sys');
  });

  it('gives SHOEBOX_OUTPUT_UNWRITABLE for a file that is not a DuckDB database', async () => {
    const file = join(dir, 'photo.jpg');
    writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    await expectCode(DuckDbWriter.open(file), 'SHOEBOX_OUTPUT_UNWRITABLE', 'not a DuckDB database');
  });
});
