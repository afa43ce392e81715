import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWriter } from '../src/db/duckdb.js';
import { exportTable } from '../src/db/export.js';
import { formatResult, runQuery } from '../src/db/query.js';
import type { QueryResult } from '../src/db/query.js';
import { ShoeboxError } from '../src/errors.js';
import type { MediaItem } from '../src/types.js';

const base = mkdtempSync(join(tmpdir(), 'shoebox-query-'));
const dir = join(base, `Ana's "library" ñandú`);
mkdirSync(dir);
const db = join(dir, 'shoebox.duckdb');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ROOT = '/exports/Takeout';

function photo(path: string, takenAt: string | null, over: Partial<MediaItem> = {}): MediaItem {
  return {
    type: 'media', rootIndex: 0, root: ROOT, path, abs: `${ROOT}/${path}`, size: 1_500_000,
    mtimeMs: Date.parse('2024-05-01T09:00:00Z'), folder: 'year', album: null,
    sidecar: takenAt === null ? null : {
      rootIndex: 0, path: `${path}.json`, rule: 'exact',
      fields: {
        title: path.split('/').pop()!, description: null, takenAt: new Date(takenAt), createdAt: null, modifiedAt: null,
        lat: 38.7139, lon: -9.1394, alt: null, exifLat: null, exifLon: null, exifAlt: null, people: [], origin: null,
        deviceType: null, localFolder: null, appPackage: null, favorited: false, archived: false, trashed: false, views: null, url: null,
      },
    },
    fingerprint: { crc32: 1_080_397_249, mime: 'image/jpeg' },
    exif: {
      takenAtLocal: '2021-06-12T19:30:55', offset: '+02:00', dateTag: 'DateTimeOriginal', lat: null, lon: null, alt: null,
      make: 'Google', model: 'Pixel 5', lens: null, width: 4032, height: 3024, orientation: 1, duration: null, mime: 'image/jpeg',
    },
    problems: [],
    ...over,
  };
}

beforeAll(async () => {
  const w = await DuckDbWriter.open(db);
  await w.appendBatch([
    photo('Google Photos/Photos from 2021/PXL_20210612_183055123.jpg', '2021-06-12T17:30:55Z'),
    photo('Google Photos/Trip to Lisbon/PXL_20210612_183055123.jpg', '2021-06-12T17:30:55Z', { folder: 'album', album: 'Trip to Lisbon' }),
    photo('Google Photos/Photos from 2019/IMG_0420.JPG', '2019-09-22T01:02:03Z', {
      size: 2_000_000, fingerprint: { crc32: 7, mime: 'image/jpeg' },
      exif: { takenAtLocal: '2019-09-14T18:02:03', offset: null, dateTag: 'CreateDate', lat: 37.8199, lon: -122.4783, alt: null,
        make: 'Apple', model: 'iPhone XS', lens: null, width: 4032, height: 3024, orientation: 1, duration: null, mime: 'image/jpeg' },
    }),
    photo(`Google Photos/Photos from 2019/photo' OR '1'='1.jpg`, null, { fingerprint: { crc32: 8, mime: 'image/jpeg' }, exif: null }),
    { type: 'row', table: 'sidecars', row: { root: ROOT, path: 'Google Photos/Photos from 2019/lost.jpg.json', kind: 'media', title: 'lost.jpg', matched: false, matches: 0 } },
  ]);
  w.close();
});

async function code(p: Promise<unknown>): Promise<[string, string]> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ShoeboxError);
  return [(err as ShoeboxError).code, (err as ShoeboxError).message];
}

describe('runQuery', () => {
  it('binds $params, converting command-line text to the parameter type', async () => {
    const sql = `SELECT count(*) AS files FROM media WHERE year(taken_at) = $year`;
    expect((await runQuery(db, sql, { year: '2021' })).rows).toEqual([[2]]);
    expect((await runQuery(db, sql, { year: 2019 })).rows).toEqual([[1]]);
  });

  it('never pastes a value into the SQL', async () => {
    const r = await runQuery(db, `SELECT count(*) FROM media WHERE kind = $kind`, { kind: `photo' OR '1'='1` });
    expect(r.rows).toEqual([[0]]);
    const byName = await runQuery(db, `SELECT name FROM media WHERE name = $name`, { name: `photo' OR '1'='1.jpg` });
    expect(byName.rows).toEqual([[`photo' OR '1'='1.jpg`]]);
  });

  it.each([
    [{}, 'SHOEBOX_USAGE', '$year'],
    [{ year: null }, 'SHOEBOX_USAGE', '$year'],
    [{ year: 'twenty' }, 'SHOEBOX_USAGE', 'must be a number'],
    [{ year: '2019.5' }, 'SHOEBOX_USAGE', 'whole number'],
  ])('params %j -> %s', async (params, want, fragment) => {
    const [c, message] = await code(runQuery(db, `SELECT * FROM media WHERE year(taken_at) = $year`, params));
    expect(c).toBe(want);
    expect(message).toContain(fragment);
  });

  it('opens read-only, and reports SQL errors as SHOEBOX_QUERY_FAILED', async () => {
    const [c1, m1] = await code(runQuery(db, `DELETE FROM media`));
    expect(c1).toBe('SHOEBOX_QUERY_FAILED');
    expect(m1).toMatch(/read-only/i);
    expect((await code(runQuery(db, `SELECT * FROM no_such_table`)))[0]).toBe('SHOEBOX_QUERY_FAILED');
    expect((await code(runQuery(db, `SELEC 1`)))[0]).toBe('SHOEBOX_QUERY_FAILED');
    expect((await code(runQuery(join(dir, 'missing.duckdb'), `SELECT 1`)))[0]).toBe('SHOEBOX_USAGE');
  });

  it('returns plain values: numbers, Dates, lists, dates as text', async () => {
    const r = await runQuery(db, `SELECT 42::BIGINT AS n, 9007199254740993::BIGINT AS big, TIMESTAMPTZ '2019-08-03 15:45:12+00' AS t,
      DATE '2019-08-03' AS d, ['a', NULL] AS l, 1.5::DECIMAL(4,2) AS dec, NULL AS nothing`);
    expect(r.columns).toEqual(['n', 'big', 't', 'd', 'l', 'dec', 'nothing']);
    expect(r.rows).toEqual([[42, 9007199254740993n, new Date('2019-08-03T15:45:12Z'), '2019-08-03', ['a', null], 1.5, null]]);
  });

  it('runs every named query in pipelines.yaml', async () => {
    const queries = parse(readFileSync(join(import.meta.dirname, '..', 'pipelines.yaml'), 'utf8')).queries as Record<
      string,
      { sql: string; params?: Record<string, unknown> }
    >;
    expect(Object.keys(queries)).toEqual(expect.arrayContaining([
      'summary', 'per-year', 'per-month', 'cameras', 'duplicates', 'no-sidecar', 'unmatched-sidecars', 'date-conflicts',
      'geotagged', 'largest', 'year', 'errors',
    ]));
    const results: Record<string, QueryResult> = {};
    for (const [name, q] of Object.entries(queries)) results[name] = await runQuery(db, q.sql, { year: 2021 });
    expect(results.duplicates!.rows).toEqual([[1_080_397_249, 1_500_000, 2, 1_500_000, [
      `${ROOT}/Google Photos/Photos from 2021/PXL_20210612_183055123.jpg`,
      `${ROOT}/Google Photos/Trip to Lisbon/PXL_20210612_183055123.jpg`,
    ]]]);
    expect(results['per-year']!.rows.map((r) => r.slice(0, 2))).toEqual([[2019, 1], [2021, 2], [null, 1]]);
    // two files of 1.5 MB: the gigabytes show on a small library too
    expect(results['per-year']!.rows[1]!.at(-1)).toBe(0.003);
    expect(results['unmatched-sidecars']!.rows).toEqual([[ROOT, 'Google Photos/Photos from 2019/lost.jpg.json', 'lost.jpg']]);
    expect(results['date-conflicts']!.rows.map((r) => r[1])).toEqual(['Google Photos/Photos from 2019/IMG_0420.JPG']);
    expect(results['no-sidecar']!.rows.map((r) => r[1])).toEqual([`Google Photos/Photos from 2019/photo' OR '1'='1.jpg`]);
    expect(results.year!.rows).toHaveLength(2);
    // A file located by its sidecar alone counts as geotagged in the summary, as in `geotagged`.
    const geoColumn = results.summary!.columns.indexOf('geotagged');
    const geotagged = results.summary!.rows.reduce((n, r) => n + Number(r[geoColumn]), 0);
    expect(results.geotagged!.rows.map((r) => r.at(-1)).sort()).toEqual(['exif', 'sidecar', 'sidecar']);
    expect(geotagged).toBe(3);
    expect(results.errors!.columns).toEqual(['stage', 'root', 'path', 'message', 'at']);
  });
});

describe('formatResult', () => {
  const r: QueryResult = {
    columns: ['kind', 'files', 'first', 'people', 'note'],
    rows: [
      ['photo', 32, new Date('2019-05-04T23:00:00Z'), ['Ana', 'Bo'], 'a, "quoted"|x'],
      ['video', 2, null, [], null],
      ['other', 12345678901234567890n, new Date('2021-12-24T10:00:00.250Z'), null, 'two\nlines'],
    ],
  };

  it('table: aligned columns, numbers on the right', () => {
    expect(formatResult(r, 'table')).toBe(
      [
        'kind' + ' '.repeat(18) + 'files  first                     people   note',
        '-----  --------------------  ------------------------  -------  -------------',
        'photo                    32  2019-05-04T23:00:00Z      Ana, Bo  a, "quoted"|x',
        'video                     2  NULL                               NULL',
        'other  12345678901234567890  2021-12-24T10:00:00.250Z  NULL     two\\nlines',
        '',
      ].join('\n'),
    );
  });

  it('csv: RFC 4180, NULL empty', () => {
    expect(formatResult(r, 'csv')).toBe(
      'kind,files,first,people,note\n' +
        'photo,32,2019-05-04T23:00:00Z,"Ana, Bo","a, ""quoted""|x"\n' +
        'video,2,,,\n' +
        'other,12345678901234567890,2021-12-24T10:00:00.250Z,,"two\nlines"\n',
    );
  });

  it('json: objects, lists kept, big integers as text', () => {
    expect(JSON.parse(formatResult(r, 'json'))).toEqual([
      { kind: 'photo', files: 32, first: '2019-05-04T23:00:00Z', people: ['Ana', 'Bo'], note: 'a, "quoted"|x' },
      { kind: 'video', files: 2, first: null, people: [], note: null },
      { kind: 'other', files: '12345678901234567890', first: '2021-12-24T10:00:00.250Z', people: null, note: 'two\nlines' },
    ]);
  });

  it('markdown: a GitHub table with escaped pipes', () => {
    expect(formatResult(r, 'markdown')).toBe(
      [
        '| kind | files | first | people | note |',
        '| --- | ---: | --- | --- | --- |',
        '| photo | 32 | 2019-05-04T23:00:00Z | Ana, Bo | a, "quoted"\\|x |',
        '| video | 2 | NULL |  | NULL |',
        '| other | 12345678901234567890 | 2021-12-24T10:00:00.250Z | NULL | two<br>lines |',
        '',
      ].join('\n'),
    );
  });
});

describe('exportTable', () => {
  it.each([
    ['parquet', `media "été" l'an.parquet`, `read_parquet`],
    ['csv', `media "été" l'an.csv`, `read_csv`],
    ['jsonl', `media "été" l'an.jsonl`, `read_json`],
  ])('%s to a path with quotes and accents', async (_f, name, reader) => {
    const to = join(dir, name);
    const r = await exportTable({ db, table: 'media', to });
    expect(r).toEqual({ rows: 4, path: to });
    const back = await runQuery(':memory:', `SELECT count(*), count(DISTINCT path) FROM ${reader}($p)`, { p: to });
    expect(back.rows).toEqual([[4, 4]]);
  });

  it('partitions by a derived year', async () => {
    const to = join(dir, 'by year.parquet');
    expect((await exportTable({ db, table: 'media', to, partitionBy: ['year'] })).rows).toBe(4);
    expect(readdirSync(to).sort()).toEqual(['year=2019', 'year=2021', 'year=__HIVE_DEFAULT_PARTITION__']);
    // exporting again replaces the previous partition tree
    expect((await exportTable({ db, table: 'media', to, partitionBy: ['year'] })).rows).toBe(4);
  });

  it.each([
    [{ to: 'media.xlsx' }, 'SHOEBOX_USAGE', '.parquet'],
    [{ table: 'photos' }, 'SHOEBOX_USAGE', 'tables: album_items, albums, '],
    [{ partitionBy: ['decade'] }, 'SHOEBOX_USAGE', 'decade'],
    [{ to: 'by-year.jsonl', partitionBy: ['year'] }, 'SHOEBOX_USAGE', 'JSON lines cannot be partitioned (--partition-by partitions by year)'],
    [{ to: 'by-year.tsv', partitionBy: ['year'] }, 'SHOEBOX_USAGE', 'cannot tell the format of by-year.tsv'],
    [{ to: join(base, 'no such folder', 'media.csv') }, 'SHOEBOX_OUTPUT_UNWRITABLE', 'does not exist'],
  ])('refuses %j', async (over, want, fragment) => {
    const [c, message] = await code(exportTable({ db, table: 'media', to: join(dir, 'x.csv'), ...over }));
    expect(c).toBe(want);
    expect(message).toContain(fragment);
  });
});
