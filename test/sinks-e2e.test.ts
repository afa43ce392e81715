import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { generateSample } from '../src/sample/generate.js';
import { quoteLiteral } from '../src/db/sql.js';
import { readDb, shoebox, tempDir, type Row } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let lib: string;
let db: string;
let reference: Row[];

/** Every column but the one that records when the row was written, in a fixed order. */
const ROWS = (from: string) => `SELECT * EXCLUDE (scanned_at) FROM ${from} ORDER BY root, path`;

const read = (sql: string, file = ':memory:') => readDb(file, sql);

const readers: Record<string, (p: string) => string> = {
  parquet: (p) => `read_parquet(${quoteLiteral(p)})`,
  csv: (p) => `read_csv(${quoteLiteral(p)}, header = true, allow_quoted_nulls = false, columns = ${columnsOf()})`,
  jsonl: (p) => `read_json(${quoteLiteral(p)}, format = 'newline_delimited', columns = ${columnsOf()})`,
};
let columnTypes: Array<[string, string]> = [];
const columnsOf = () => `{${columnTypes.map(([n, t]) => `${quoteLiteral(n)}: ${quoteLiteral(t)}`).join(', ')}}`;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir("shoebox sinks 'é' "));
  lib = join(dir, 'library');
  await generateSample({ dir: lib });
  db = join(dir, 'scan.duckdb');
  await shoebox('run', 'takeout', '--root', lib, '--db', db, '--no-progress');
  reference = await read(ROWS('media'), db);
  columnTypes = (await read(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'media' ORDER BY ordinal_position`, db)).map(
    (r) => [String(r.column_name), String(r.data_type)],
  );
}, 180_000);
afterAll(() => cleanup());

describe('a Takeout scan reads back the same from every sink and every export', () => {
  it.each(['parquet', 'csv', 'jsonl'])('run --sink %s', async (kind) => {
    const out = join(dir, `scan out "${kind}".${kind}`);
    await shoebox('run', 'takeout', '--root', lib, '--sink', kind, '--out', out, '--no-progress');
    const rows = await read(ROWS(readers[kind]!(out)));
    expect(rows).toEqual(reference);
  }, 120_000);

  it.each(['parquet', 'csv', 'jsonl'])('export --to .%s', async (kind) => {
    const out = join(dir, `exported ü.${kind}`);
    const { stdout } = await shoebox('export', '--to', out, '--db', db);
    expect(stdout).toMatch(new RegExp(`exported ${reference.length} rows`));
    expect(await read(ROWS(readers[kind]!(out)))).toEqual(reference);
  }, 120_000);
});
