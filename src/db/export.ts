/**
 * `shoebox export --to PATH.(parquet|csv|jsonl)`: one table of a database written as a file (or
 * a Hive-style partition folder), the format taken from the extension. The path goes into COPY as
 * a quoted string literal (COPY takes no bound parameters), so spaces, quotes and non-ASCII
 * characters are safe.
 */
import { extname, resolve } from 'node:path';
import { ShoeboxError } from '../errors.js';
import { checkOutputPath, checkPartitioning, copyTable, formatFromPath } from './copy.js';
import { closeDatabase, openDatabase } from './duckdb.js';
import { tableNames } from './query.js';

export interface ExportOptions {
  /** Database file. */
  db: string;
  /** Table to export (media, errors, sidecars, albums, album_items, runs). */
  table: string;
  /** Output path; its extension names the format. */
  to: string;
  /** Hive-style partition columns: the table's own, or year/month derived from taken_at. */
  partitionBy?: string[];
}

export async function exportTable(opts: ExportOptions): Promise<{ rows: number; path: string }> {
  const partitionBy = (opts.partitionBy ?? []).map((p) => p.trim()).filter((p) => p !== '');
  // A partitioned export is a folder: one without an extension holds Parquet files.
  const format = formatFromPath(opts.to) ?? (partitionBy.length > 0 && extname(opts.to) === '' ? 'parquet' : null);
  if (!format) {
    throw new ShoeboxError('SHOEBOX_USAGE', `cannot tell the format of ${opts.to}: end it in .parquet, .csv or .jsonl`);
  }
  checkPartitioning(format, partitionBy, '--partition-by');
  const path = resolve(opts.to);
  await checkOutputPath(path, partitionBy.length > 0);
  const db = await openDatabase(opts.db, { readOnly: true });
  try {
    const names = await tableNames(db.connection);
    if (!names.includes(opts.table)) {
      throw new ShoeboxError('SHOEBOX_USAGE', `no table ${opts.table} in ${opts.db} (tables: ${names.join(', ') || 'none'})`);
    }
    const rows = await copyTable(db.connection, { table: opts.table, to: path, format, partitionBy });
    return { rows, path };
  } finally {
    closeDatabase(db);
  }
}
