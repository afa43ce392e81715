import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../src/db/sql.js';
import { MEDIA } from '../src/db/schema.js';
import { ShoeboxError } from '../src/errors.js';
import type { SinkKind, SinkSpec } from '../src/pipelines/spec.js';
import { createSink, sinkStream } from '../src/stages/sink.js';
import type { RunCounts, SinkContext } from '../src/stages/sink.js';
import type { MediaItem, SidecarFields, TableRow } from '../src/types.js';

// Every output lives below a folder with spaces, quotes and non-ASCII characters.
const base = mkdtempSync(join(tmpdir(), 'shoebox-sinks-'));
const dir = join(base, `Bob's "exports" — Fotos été 写真`);
mkdirSync(dir);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ROOTS = ['/exports/Takeout', '/exports/Takeout 2'];
const ctx: SinkContext = { pipeline: 'takeout', roots: ROOTS, runId: 'run-sinks', mode: 'parallel' };
const counts = (): RunCounts => ({
  files: 5, skipped: 0, removed: 0, errors: 1, sidecars: 4, bytes: 9_000_000,
  startedAt: new Date('2024-05-01T10:00:00Z'), finishedAt: new Date('2024-05-01T10:00:03Z'), status: 'completed',
});

function fields(over: Partial<SidecarFields>): SidecarFields {
  return {
    title: null, description: null, takenAt: null, createdAt: null, modifiedAt: null, lat: null, lon: null, alt: null,
    exifLat: null, exifLon: null, exifAlt: null, people: [], origin: null, deviceType: null, localFolder: null, appPackage: null,
    favorited: false, archived: false, trashed: false, views: null, url: null, ...over,
  };
}

function media(rootIndex: number, path: string, over: Partial<MediaItem>): MediaItem {
  return {
    type: 'media', rootIndex, root: ROOTS[rootIndex]!, path, abs: `${ROOTS[rootIndex]}/${path}`, size: 1000,
    mtimeMs: Date.parse('2024-05-01T09:00:00Z'), folder: 'year', album: null, sidecar: null,
    fingerprint: null, exif: null, problems: [], ...over,
  };
}

const ITEMS: (MediaItem | TableRow)[] = [
  media(0, 'Google Photos/Photos from 2019/IMG_20190803_174512.jpg', {
    size: 2_315_006, mtimeMs: 1_564_902_760_123.456,
    sidecar: {
      rootIndex: 0, path: 'Google Photos/Photos from 2019/IMG_20190803_174512.jpg.supplemental-metadata.json', rule: 'supplemental',
      fields: fields({
        title: 'IMG_20190803_174512.jpg', description: 'Ponte Vecchio at dusk,\nwith "Giulia"', takenAt: new Date('2019-08-03T15:45:12Z'),
        createdAt: new Date('2019-08-04T07:12:40Z'), lat: 43.7679, lon: 11.2531, alt: 48.25, people: ['Rossi, Giulia', `O'Brien "Pat"`],
        origin: 'mobileUpload', deviceType: 'ANDROID_PHONE', favorited: true, views: 12, url: 'https://photos.google.com/photo/AF1QipN',
      }),
    },
    fingerprint: { crc32: 4_294_967_295, mime: 'image/jpeg' },
    exif: {
      takenAtLocal: '2019-08-03T17:45:12', offset: '+02:00', dateTag: 'DateTimeOriginal', lat: 43.7695, lon: 11.2558, alt: 52.1,
      make: 'Google', model: 'Pixel 3', lens: 'Pixel 3 Back Camera', width: 4032, height: 3024, orientation: 6, duration: null, mime: 'image/jpeg',
    },
  }),
  media(1, 'Google Photos/Photos from 2019/Café à Montmartre.jpg', {
    folder: 'year', size: 1_804_113,
    sidecar: { rootIndex: 0, path: 'Google Photos/Photos from 2019/Café à Montmartre.jpg.json', rule: 'exact', fields: fields({ title: 'Café à Montmartre.jpg', takenAt: new Date('2019-12-14T14:30:00Z'), lat: 0, lon: 0 }) },
    fingerprint: { crc32: 0, mime: 'image/jpeg' },
    exif: {
      takenAtLocal: '2019-12-14T15:30:00', offset: null, dateTag: 'CreateDate', lat: null, lon: null, alt: null, make: 'FUJIFILM',
      model: 'X-T3', lens: null, width: 6240, height: 4160, orientation: 1, duration: null, mime: 'image/jpeg',
    },
  }),
  media(0, 'Google Photos/Trip to Lisbon/VID_20210615_193000.mp4', {
    folder: 'album', album: 'Trip to Lisbon', size: 48_211_904,
    fingerprint: { crc32: 1_080_397_249, mime: 'video/mp4' },
    exif: {
      takenAtLocal: '2021-06-15T18:30:00', offset: '+00:00', dateTag: 'CreateDate', lat: 38.7139, lon: -9.1394, alt: null,
      make: null, model: null, lens: null, width: 1920, height: 1080, orientation: null, duration: 12.48, mime: 'video/mp4',
    },
  }),
  media(0, 'Google Photos/Photos from 2019/scan_0001.jpg', {
    fingerprint: { crc32: 123_456, mime: 'image/jpeg' },
    exif: {
      takenAtLocal: '1987-07-04T12:00:00', offset: null, dateTag: 'DateTimeOriginal', lat: null, lon: null, alt: null, make: 'EPSON',
      model: 'Perfection V600', lens: null, width: 2400, height: 1600, orientation: 1, duration: null, mime: 'image/jpeg',
    },
  }),
  media(0, 'archive_browser.html', {
    folder: 'other', size: 140, fingerprint: { crc32: 77, mime: null },
    problems: [{ stage: 'exif', message: 'Unknown file type' }],
  }),
  { type: 'row', table: 'sidecars', row: { root: ROOTS[0], path: 'Google Photos/Photos from 2019/orphan.jpg.json', kind: 'media', title: 'orphan.jpg', matched: false, matches: 0 } },
  { type: 'row', table: 'albums', row: { dir: 'Google Photos/Trip to Lisbon', title: 'Trip to Lisbon', description: '', access: 'protected', date: new Date('2021-06-20T10:00:00Z'), metadata: 'Google Photos/Trip to Lisbon/metadata.json' } },
  { type: 'row', table: 'album_items', row: { dir: 'Google Photos/Trip to Lisbon', root: ROOTS[0], path: 'Google Photos/Trip to Lisbon/VID_20210615_193000.mp4' } },
];

function spec(kind: SinkKind, path: string, over: Partial<SinkSpec> = {}): SinkSpec {
  return { kind, path, table: 'media', partitionBy: [], compression: 'zstd', ...over };
}

/** Runs the items through a sink the way a pipeline does: batches into sinkStream, then close. */
async function writeWith(s: SinkSpec): Promise<string> {
  const sink = createSink(s, ctx);
  await sink.open();
  await pipeline(Readable.from([ITEMS.slice(0, 3), ITEMS.slice(3)], { objectMode: true }), sinkStream(sink));
  await sink.close(counts());
  return sink.description;
}

let conn: DuckDBConnection;
let instance: DuckDBInstance;
const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowsJson();
const columns = Object.fromEntries(MEDIA.columns.map((c) => [c.name, c.type]));
const columnsSql = `{${MEDIA.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ')}}`;
/** Every column but scanned_at, which each sink sets to its own time. */
const compared = `* EXCLUDE (scanned_at)`;

const out = {
  duckdb: join(dir, `library "main" été.duckdb`),
  parquet: join(dir, `media 'all' été.parquet`),
  snappy: join(dir, 'media snappy.parquet'),
  csv: join(dir, `media 'all' été.csv`),
  jsonl: join(dir, `media 'all' été.jsonl`),
  partitioned: join(dir, 'by year'),
};

let reference: unknown[][];

beforeAll(async () => {
  await writeWith(spec('duckdb', out.duckdb));
  await writeWith(spec('parquet', out.parquet));
  await writeWith(spec('parquet', out.snappy, { compression: 'snappy' }));
  await writeWith(spec('csv', out.csv));
  await writeWith(spec('jsonl', out.jsonl));
  await writeWith(spec('parquet', out.partitioned, { partitionBy: ['year'] }));
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(`ATTACH ${quoteLiteral(out.duckdb)} AS lib (READ_ONLY)`);
  reference = await q(`SELECT ${compared} FROM lib.media ORDER BY root, path`);
}, 120_000);

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

describe('every sink writes the same columns and values', () => {
  it('the DuckDB sink holds every item once, with the media columns', async () => {
    expect(reference).toHaveLength(5);
    expect(await q(`SELECT column_name FROM (DESCRIBE lib.media)`)).toEqual(MEDIA.columns.map((c) => [c.name]));
    expect(await q(`SELECT count(*) FROM lib.errors`)).toEqual([['1']]);
    expect(await q(`SELECT run_id, status FROM lib.runs`)).toEqual([['run-sinks', 'completed']]);
  });

  it.each([
    ['parquet', () => `read_parquet(${quoteLiteral(out.parquet)})`],
    // the CSV writer quotes empty text ("") and leaves NULL empty; allow_quoted_nulls = false tells them apart
    ['csv', () => `read_csv(${quoteLiteral(out.csv)}, header = true, allow_quoted_nulls = false, columns = ${columnsSql})`],
    ['jsonl', () => `read_json(${quoteLiteral(out.jsonl)}, format = 'newline_delimited', columns = ${columnsSql})`],
  ])('%s, read back by DuckDB', async (_kind, source) => {
    expect(await q(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source()})`)).toEqual(MEDIA.columns.map((c) => [c.name]));
    expect(await q(`SELECT ${compared} FROM ${source()} ORDER BY root, path`)).toEqual(reference);
  });

  it('parquet keeps the column types, and is zstd-compressed by default', async () => {
    const types = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(out.parquet)}))`);
    expect(Object.fromEntries(types)).toEqual(
      Object.fromEntries(Object.entries(columns).map(([n, t]) => [n, t === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : t])),
    );
    expect(await q(`SELECT DISTINCT compression FROM parquet_metadata(${quoteLiteral(out.parquet)})`)).toEqual([['ZSTD']]);
    expect(await q(`SELECT DISTINCT compression FROM parquet_metadata(${quoteLiteral(out.snappy)})`)).toEqual([['SNAPPY']]);
  });

  it('parquet read independently by hyparquet has the same rows and values', async () => {
    // hyparquet has no zstd decoder without hyparquet-compressors, so it reads the snappy copy
    const file = await asyncBufferFromFile(out.snappy);
    const ours = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    const norm = (v: unknown): unknown =>
      v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map(norm) : v;
    const duck = await conn.runAndReadAll(`SELECT * FROM read_parquet(${quoteLiteral(out.snappy)})`);
    const expected = duck.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])));
    const got = ours.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])));
    const byPath = (a: Record<string, unknown>, b: Record<string, unknown>) => `${a.root}/${a.path}`.localeCompare(`${b.root}/${b.path}`);
    expect(got.sort(byPath)).toEqual(expected.sort(byPath));
    // and spot values that are easy to get wrong
    const first = got.find((r) => r.name === 'IMG_20190803_174512.jpg')!;
    expect(first).toMatchObject({
      crc32: 4_294_967_295, taken_at: Date.parse('2019-08-03T15:45:12Z'), taken_at_source: 'exif',
      exif_taken_at: '2019-08-03T17:45:12+02:00', people: ['Rossi, Giulia', `O'Brien "Pat"`], description: 'Ponte Vecchio at dusk,\nwith "Giulia"',
    });
    expect(got.find((r) => r.name === 'Café à Montmartre.jpg')).toMatchObject({
      sidecar_root: '/exports/Takeout', taken_at_source: 'sidecar', lat: null, exif_taken_at: '2019-12-14T15:30:00',
    });
  });

  it.each(['csv', 'jsonl', 'parquet'] as const)("%s: the views --then queries go through have the database's types and values, and every named query runs", async (kind) => {
    const { viewsOver } = await import('../src/pipelines/then.js');
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      await c.run(`SET TimeZone = 'UTC'`);
      await c.run(viewsOver(spec(kind, out[kind])));
      const types = (await c.runAndReadAll('SELECT column_name, column_type FROM (DESCRIBE media)')).getRowsJson();
      expect(Object.fromEntries(types.map(([n, t]) => [n, t]))).toEqual(
        Object.fromEntries(MEDIA.columns.map((col) => [col.name, col.type === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : col.type])),
      );
      expect((await c.runAndReadAll(`SELECT ${compared} FROM media ORDER BY root, path`)).getRowsJson()).toEqual(reference);
      const queries = parse(readFileSync(join(import.meta.dirname, '..', 'pipelines.yaml'), 'utf8')).queries as Record<string, { sql: string }>;
      for (const [name, query] of Object.entries(queries)) {
        const prepared = await c.prepare(query.sql);
        if (prepared.parameterCount) prepared.bindInteger(1, 2021);
        await expect(prepared.runAndReadAll(), `${kind}: ${name}`).resolves.toBeDefined();
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  it('writes the side tables beside the output', async () => {
    const stem = out.parquet.slice(0, -'.parquet'.length);
    expect(await q(`SELECT path, stage, message FROM read_parquet(${quoteLiteral(`${stem}.errors.parquet`)})`)).toEqual([
      ['archive_browser.html', 'exif', 'Unknown file type'],
    ]);
    expect(await q(`SELECT count(*) FROM read_parquet(${quoteLiteral(`${stem}.sidecars.parquet`)})`)).toEqual([['1']]);
    expect(await q(`SELECT title FROM read_json(${quoteLiteral(out.jsonl.replace(/\.jsonl$/, '.albums.jsonl'))})`)).toEqual([['Trip to Lisbon']]);
    expect(await q(`SELECT path FROM read_csv(${quoteLiteral(out.csv.replace(/\.csv$/, '.album_items.csv'))})`)).toEqual([
      ['Google Photos/Trip to Lisbon/VID_20210615_193000.mp4'],
    ]);
  });

  it('partitions Parquet by a year derived from taken_at, in Hive-style folders', async () => {
    expect(readdirSync(out.partitioned).sort()).toEqual(['year=1987', 'year=2019', 'year=2021', 'year=__HIVE_DEFAULT_PARTITION__']);
    const rows = await q(
      `SELECT * EXCLUDE (scanned_at, year), year FROM read_parquet(${quoteLiteral(join(out.partitioned, '**', '*.parquet'))}, hive_partitioning = true) ORDER BY root, path`,
    );
    expect(rows.map((r) => r.slice(0, -1))).toEqual(reference);
    expect(rows.map((r) => r.at(-1))).toEqual(['2019', '1987', '2021', null, '2019']); // BIGINT, as JSON text
  });
});

describe('sink lifecycle', () => {
  it('describes where the data went', async () => {
    const target = join(dir, 'described.parquet');
    expect(await writeWith(spec('parquet', target))).toBe(
      `Parquet ${target} (+ ${join(dir, 'described.errors.parquet')}, ${join(dir, 'described.sidecars.parquet')}, ` +
        `${join(dir, 'described.albums.parquet')}, ${join(dir, 'described.album_items.parquet')})`,
    );
  });

  it('an aborted file sink keeps the previous output and leaves no working database', async () => {
    const target = join(dir, 'kept.csv');
    writeFileSync(target, 'previous\n');
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('shoebox-run-abort')));
    const sink = createSink(spec('csv', target), { ...ctx, runId: 'run-abort' });
    await sink.open();
    await sink.write(ITEMS);
    await sink.abort();
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('shoebox-run-abort') && !before.has(f))).toEqual([]);
    expect(existsSync(target)).toBe(true);
    expect((await q(`SELECT * FROM read_csv(${quoteLiteral(target)}, header = false)`))).toEqual([['previous']]);
  });

  it('abort waits for a write in flight; the DuckDB sink keeps every committed batch', async () => {
    const file = join(dir, 'aborted.duckdb');
    const sink = createSink(spec('duckdb', file), ctx);
    await sink.open();
    await sink.write(ITEMS.slice(0, 2));
    const inFlight = sink.write(ITEMS.slice(2));
    await sink.abort();
    await inFlight;
    const check = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const c = await check.connect();
    expect((await c.runAndReadAll(`SELECT count(*) FROM media`)).getRowsJson()).toEqual([['5']]);
    c.closeSync();
    check.closeSync();
  });

  it.each(['parquet', 'csv', 'jsonl', 'duckdb'] as const)('%s: an output folder that does not exist fails at open', async (kind) => {
    const sink = createSink(spec(kind, join(dir, 'missing folder', `out.${kind}`)), ctx);
    const err = await sink.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect((err as ShoeboxError).code).toBe('SHOEBOX_OUTPUT_UNWRITABLE');
  });

  it('refuses a partitioned JSON-lines sink at open, before anything is read', async () => {
    const sink = createSink(spec('jsonl', join(dir, 'parts.jsonl'), { partitionBy: ['year'] }), ctx);
    await expect(sink.open()).rejects.toThrow("JSON lines cannot be partitioned (the pipeline's sink partitions by year)");
    expect(existsSync(join(dir, 'parts.jsonl'))).toBe(false);
  });

  it('refuses to partition into a folder that holds other files', async () => {
    const folder = join(dir, 'holiday photos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'IMG_0001.jpg'), 'jpeg');
    const err = await createSink(spec('parquet', folder, { partitionBy: ['year'] }), ctx).open().catch((e: unknown) => e);
    expect((err as ShoeboxError).code).toBe('SHOEBOX_OUTPUT_UNWRITABLE');
    expect(existsSync(join(folder, 'IMG_0001.jpg'))).toBe(true);
  });

  it('sinkStream is an object-mode Writable of high-water mark 1 that waits for the sink', async () => {
    const done: number[] = [];
    let release!: () => void;
    const slow = {
      description: 'slow',
      open: async () => undefined,
      close: async () => undefined,
      abort: async () => undefined,
      write: (batch: (MediaItem | TableRow)[]) => new Promise<void>((r) => { release = () => { done.push(batch.length); r(); }; }),
    };
    const ws = sinkStream(slow);
    expect(ws.writableObjectMode).toBe(true);
    expect(ws.writableHighWaterMark).toBe(1);
    expect(ws.write([ITEMS[0]])).toBe(false); // the first batch already fills it: the caller must wait for drain
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual([]);
    release();
    await new Promise((r) => ws.once('drain', r));
    expect(done).toEqual([1]);
  });
});
