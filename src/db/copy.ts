/**
 * Writing a DuckDB table out as Parquet, CSV or JSON Lines with `COPY`, shared by the file sinks
 * and `shoebox export`. A file is written beside its destination and renamed over it, so a failed
 * write never leaves half a file where a good one was.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ShoeboxError } from '../errors.js';
import { checkWritable } from './duckdb.js';
import { quoteIdent, quoteLiteral } from './sql.js';

export type CopyFormat = 'parquet' | 'csv' | 'jsonl';

export const FORMAT_EXTENSION: Record<CopyFormat, string> = { parquet: '.parquet', csv: '.csv', jsonl: '.jsonl' };

const PARQUET_CODECS = ['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'lz4_raw', 'uncompressed'];

/** Columns a partition can be derived from `taken_at` (UTC, the zone exif-local dates are kept in). */
export const DERIVED_PARTITIONS: Record<string, string> = {
  year: 'CAST(year(taken_at) AS INTEGER)',
  month: 'CAST(month(taken_at) AS INTEGER)',
};

/** The format a path's extension names: .parquet, .csv, .jsonl (or .ndjson, .json); null if none. */
export function formatFromPath(path: string): CopyFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return null;
}

/**
 * Where a side table goes beside the main output: `out.parquet` -> `out.errors.parquet`,
 * a partition folder `out` (or `out.parquet`) -> `out.errors.parquet`.
 */
export function sideTablePath(path: string, table: string, format: CopyFormat): string {
  const ext = FORMAT_EXTENSION[format];
  const stem = formatFromPath(path) ? path.slice(0, -extname(path).length) : path;
  return `${stem}.${table}${ext}`;
}

export function validateCompression(codec: string): string {
  const c = codec.toLowerCase();
  if (!PARQUET_CODECS.includes(c)) {
    throw new ShoeboxError('SHOEBOX_CONFIG_INVALID', `unknown Parquet compression "${codec}" (use one of ${PARQUET_CODECS.join(', ')})`);
  }
  return c;
}

/** True when every entry below `dir` is a `column=value` folder or a data file: a previous partitioned output. */
async function isPartitionTree(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!entry.name.includes('=') || !(await isPartitionTree(join(dir, entry.name)))) return false;
    } else if (!formatFromPath(entry.name)) {
      return false;
    }
  }
  return true;
}

/**
 * Checks before a run that `to` can be written: its folder exists and is writable, and whatever
 * is there already is a file (replaced) or, for a partitioned write, a previous partition tree.
 * A folder holding anything else is refused rather than deleted.
 */
export async function checkOutputPath(to: string, partitioned: boolean): Promise<void> {
  const existing = await stat(to).catch(() => null);
  const refuse = (why: string) =>
    new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `cannot write ${to}: ${why}; remove it or choose another path`);
  if (existing?.isDirectory()) {
    if (!partitioned) throw refuse('it is a folder');
    if (!(await isPartitionTree(to))) throw refuse('the folder holds files that are not a previous partitioned output');
    await checkWritable(`${to}.shoebox-probe`, 'output'); // the rename needs its parent
    return;
  }
  if (existing && partitioned && !formatFromPath(to)) throw refuse('a file is there, and a partitioned write needs a folder');
  await checkWritable(to, 'output');
}

/** Replaces `to` with the freshly written `tmp` (a file or a partition folder). */
async function moveIntoPlace(tmp: string, to: string): Promise<void> {
  const existing = await stat(to).catch(() => null);
  if (!existing) return rename(tmp, to);
  const tmpIsDir = (await stat(tmp)).isDirectory();
  if (!existing.isDirectory() && !tmpIsDir) return rename(tmp, to); // atomic for files
  const old = `${to}.shoebox-old-${randomBytes(4).toString('hex')}`;
  await rename(to, old);
  await rename(tmp, to);
  await rm(old, { recursive: true, force: true });
}

export interface CopyOptions {
  /** Table to write (quoted for you). */
  table: string;
  to: string;
  format: CopyFormat;
  /** Hive-style partition columns: the table's own, or `year`/`month` derived from taken_at. */
  partitionBy?: string[];
  /** Parquet codec; zstd by default. */
  compression?: string;
}

/**
 * Partitioned output is Parquet or CSV: DuckDB's JSON writer has no PARTITION_BY. Refused before
 * anything is read or written; `where` says where the partitioning came from.
 */
export function checkPartitioning(format: CopyFormat, partitionBy: readonly string[], where: string): void {
  if (format === 'jsonl' && partitionBy.length > 0) {
    throw new ShoeboxError(
      'SHOEBOX_USAGE',
      `JSON lines cannot be partitioned (${where} partitions by ${partitionBy.join(', ')}): write Parquet or CSV, or leave out the partitioning`,
    );
  }
}

/** Writes a table with COPY; returns the number of rows written. */
export async function copyTable(conn: DuckDBConnection, opts: CopyOptions): Promise<number> {
  const cols = await conn.runAndReadAll(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t ORDER BY ordinal_position`,
    { t: opts.table },
  );
  const have = cols.getRows().map((r) => String(r[0]));
  if (have.length === 0) throw new ShoeboxError('SHOEBOX_USAGE', `no table named ${opts.table}`);
  const partitionBy = opts.partitionBy ?? [];
  const derived: string[] = [];
  for (const p of partitionBy) {
    if (have.includes(p)) continue;
    if (DERIVED_PARTITIONS[p] && have.includes('taken_at')) {
      derived.push(`${DERIVED_PARTITIONS[p]} AS ${quoteIdent(p)}`);
      continue;
    }
    const choices = [...have, ...(have.includes('taken_at') ? Object.keys(DERIVED_PARTITIONS) : [])];
    throw new ShoeboxError('SHOEBOX_USAGE', `cannot partition ${opts.table} by "${p}": not a column (choose from ${choices.join(', ')})`);
  }
  const options = [`FORMAT ${opts.format === 'jsonl' ? 'json' : opts.format}`];
  if (opts.format === 'parquet') options.push(`COMPRESSION ${validateCompression(opts.compression ?? 'zstd')}`);
  if (opts.format === 'csv') options.push('HEADER true');
  if (partitionBy.length > 0) options.push(`PARTITION_BY (${partitionBy.map(quoteIdent).join(', ')})`);

  const to = resolve(opts.to);
  const tmp = join(dirname(to), `.${basename(to)}.shoebox-tmp-${randomBytes(4).toString('hex')}`);
  const select = `SELECT *${derived.map((d) => `, ${d}`).join('')} FROM main.${quoteIdent(opts.table)}`;
  try {
    const result = await conn.runAndReadAll(`COPY (${select}) TO ${quoteLiteral(tmp)} (${options.join(', ')})`);
    const rows = Number(result.getRows()[0]?.[0] ?? 0);
    await moveIntoPlace(tmp, to);
    return rows;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof ShoeboxError) throw err;
    throw new ShoeboxError('SHOEBOX_SINK_FAILED', `writing ${to} failed: ${(err as Error).message}`, { cause: err });
  }
}
