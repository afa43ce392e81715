/**
 * `shoebox query`: runs SQL against a database (read-only where possible) with `$name`
 * parameters always bound, never pasted into the SQL, and formats the result for a terminal or a
 * file. Sessions run in UTC, the zone `taken_at` keeps exif-local wall clocks in, so
 * `year(taken_at)` is the year the camera showed.
 */
import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  jsToDuckDBValue,
} from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { ShoeboxError } from '../errors.js';
import { closeDatabase, openDatabase } from './duckdb.js';
import { quoteIdent } from './sql.js';

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

import { RESULT_FORMATS, type ResultFormat } from './result-format.js';

export { RESULT_FORMATS, type ResultFormat };

const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
]);
const NUMBER_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL]);
const TIME_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.DATE, DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_TZ, DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS,
]);

/**
 * A parameter's value as its SQL type wants it. Values from the command line arrive as text, so
 * '2019' for a BIGINT parameter becomes 2019, and text that is no number is a usage error.
 */
function paramValue(name: string, value: unknown, type: DuckDBType | null): DuckDBValue {
  const bad = (want: string) =>
    new ShoeboxError('SHOEBOX_USAGE', `parameter $${name} must be ${want}, got ${JSON.stringify(String(value))}`);
  if (!type) {
    // DuckDB could not tell the type (`SELECT $x`): let it infer one from the value.
    if (value instanceof Date) return new DuckDBTimestampTZValue(BigInt(value.getTime()) * 1000n);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
    return String(value);
  }
  const id = type.typeId;
  let v: unknown = value;
  if (INTEGER_TYPES.has(id) || NUMBER_TYPES.has(id)) {
    const n = typeof v === 'string' ? (v.trim() === '' ? Number.NaN : Number(v)) : v;
    if (typeof n === 'bigint') v = n;
    else if (typeof n !== 'number' || !Number.isFinite(n)) throw bad('a number');
    else if (INTEGER_TYPES.has(id) && !Number.isInteger(n)) throw bad('a whole number');
    else v = n;
  } else if (id === DuckDBTypeId.BOOLEAN && typeof v === 'string') {
    if (!/^(true|false)$/i.test(v)) throw bad('true or false');
    v = v.toLowerCase() === 'true';
  } else if (TIME_TYPES.has(id) && !(v instanceof Date)) {
    const d = new Date(typeof v === 'number' ? v : String(v));
    if (Number.isNaN(d.getTime())) throw bad('a date (2019-08-03 or 2019-08-03T17:45:12Z)');
    v = d;
  } else if (id === DuckDBTypeId.VARCHAR && typeof v !== 'string') {
    v = v instanceof Date ? v.toISOString() : String(v);
  }
  try {
    return jsToDuckDBValue(v as never, type);
  } catch (err) {
    throw new ShoeboxError('SHOEBOX_USAGE', `parameter $${name}: cannot use ${JSON.stringify(String(value))} as ${type.toString()}`, {
      cause: err,
    });
  }
}

/** Binds every `$name` the statement uses; one without a value is a usage error naming it. */
function bindParams(prepared: DuckDBPreparedStatement, params: Record<string, unknown>): void {
  for (let i = 1; i <= prepared.parameterCount; i++) {
    const name = prepared.parameterName(i);
    const value = params[name];
    if (value === undefined || value === null) {
      throw new ShoeboxError('SHOEBOX_USAGE', `the query uses $${name} but no value was given for it (--param ${name}=VALUE)`);
    }
    let type: DuckDBType | null = null;
    try {
      type = prepared.parameterType(i);
    } catch {
      // untyped parameter (SELECT $x): inferred from the value
    }
    prepared.bindValue(i, paramValue(name, value, type));
  }
}

function micros(v: bigint): Date | null {
  const ms = Number(v / 1000n);
  return Math.abs(ms) <= 8.64e15 ? new Date(ms) : null;
}

/** A DuckDB value as plain JS: timestamps as Dates, dates as 'YYYY-MM-DD', safe BIGINTs as numbers. */
export function plainValue(v: DuckDBValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue) return (v.isFinite && micros(v.micros)) || v.toString();
  if (v instanceof DuckDBTimestampMillisecondsValue) return micros(v.millis * 1000n) ?? v.toString();
  if (v instanceof DuckDBTimestampSecondsValue) return micros(v.seconds * 1_000_000n) ?? v.toString();
  if (v instanceof DuckDBTimestampNanosecondsValue) return micros(v.nanos / 1000n) ?? v.toString();
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(plainValue);
  if (v instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plainValue(x)]));
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => [plainValue(e.key), plainValue(e.value)]);
  return v.toString();
}

/**
 * Runs `sql` (one statement or several; the last one's rows are returned) against the database
 * at `dbPath`, read-only unless it is ':memory:'. `params` binds `$name`s; null or undefined
 * counts as not given (pipelines.yaml writes `year: null` for "no default"). `mediaTable`: the
 * table a sink wrote the media rows to, when not `media`; the queries, written against `media`,
 * read it through a temporary view of that name.
 */
export async function runQuery(dbPath: string, sql: string, params: Record<string, unknown> = {}, opts: { mediaTable?: string } = {}): Promise<QueryResult> {
  const db = await openDatabase(dbPath, { readOnly: true });
  try {
    const failed = (err: unknown) =>
      err instanceof ShoeboxError ? err : new ShoeboxError('SHOEBOX_QUERY_FAILED', (err as Error).message, { cause: err });
    if (opts.mediaTable && opts.mediaTable.toLowerCase() !== 'media') {
      const names = await tableNames(db.connection);
      // DuckDB's names are case-insensitive: the spelling the database keeps
      const table = names.find((n) => n.toLowerCase() === opts.mediaTable!.toLowerCase());
      if (!table) throw new ShoeboxError('SHOEBOX_USAGE', `no table ${opts.mediaTable} in ${dbPath} (tables: ${names.join(', ') || 'none'})`);
      await db.connection.run(`CREATE TEMP VIEW media AS SELECT * FROM main.${quoteIdent(table)}`);
    }
    const statements = await db.connection.extractStatements(sql).catch((err: unknown) => {
      throw failed(err);
    });
    if (statements.count === 0) throw new ShoeboxError('SHOEBOX_USAGE', 'the query is empty');
    let result: QueryResult = { columns: [], rows: [] };
    for (let i = 0; i < statements.count; i++) {
      try {
        const prepared = await statements.prepare(i);
        bindParams(prepared, params);
        const reader = await prepared.runAndReadAll();
        result = { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(plainValue)) };
      } catch (err) {
        throw failed(await withTableHint(db.connection, dbPath, err));
      }
    }
    return result;
  } finally {
    closeDatabase(db);
  }
}

/** The tables of the database's main schema, by name. */
export async function tableNames(conn: DuckDBConnection): Promise<string[]> {
  const r = await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`);
  return r.getRows().map((row) => String(row[0]));
}

/**
 * Tables that hold media rows (their date, CRC and EXIF date columns): where a sink's `table:`
 * put them when `media` is not there.
 */
export async function mediaTablesIn(conn: DuckDBConnection): Promise<string[]> {
  const r = await conn.runAndReadAll(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'main' AND column_name IN ('crc32', 'taken_at', 'exif_taken_at')
     GROUP BY table_name HAVING count(*) = 3 ORDER BY table_name`,
  );
  return r.getRows().map((row) => String(row[0]));
}

/** A query that found no `media` table, in a database whose media rows are in another: say which. */
async function withTableHint(conn: DuckDBConnection, dbPath: string, err: unknown): Promise<unknown> {
  // (the first line: DuckDB quotes the query's text below it)
  if (!(err instanceof Error) || !/Table with name media does not exist/i.test(err.message.split('\n')[0]!)) return err;
  const like = await mediaTablesIn(conn).catch(() => []);
  if (like.length === 0) return err;
  // (DuckDB's own message suggests a table by its name's spelling, e.g. sidecars)
  return new ShoeboxError('SHOEBOX_USAGE', `the query reads media, a table ${dbPath} does not have: its media rows are in ${like.join(', ')}; give --table ${like[0]}`, { cause: err });
}

function isoTime(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/** A value as one line of text (table, csv, markdown cells). */
function text(v: unknown, nullAs: string): string {
  if (v === null || v === undefined) return nullAs;
  if (v instanceof Date) return isoTime(v);
  if (Array.isArray(v)) return v.map((x) => text(x, 'NULL')).join(', ');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return isoTime(v);
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

const jsonRow = (columns: string[], row: unknown[]) => Object.fromEntries(columns.map((c, i) => [c, jsonValue(row[i] ?? null)]));

const isNumeric = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Width on a terminal, counting code points rather than UTF-16 units. */
const width = (s: string) => [...s].length;
const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)));

/**
 * The result as text ending in a newline (`jsonl` of no rows: nothing). `table`: aligned columns for a terminal, numbers on
 * the right, NULL spelled out; `csv`: RFC 4180 with a header, NULL empty; `json`: an array of
 * objects (BIGINTs beyond 2^53 as strings); `jsonl`: the same objects one a line; `markdown`: a GitHub table. Timestamps are ISO 8601 UTC, lists are joined with ', ' (kept
 * as arrays in JSON).
 */
export function formatResult(r: QueryResult, format: ResultFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r.rows.map((row) => jsonRow(r.columns, row)), null, 2) + '\n';
    case 'jsonl':
      return r.rows.map((row) => JSON.stringify(jsonRow(r.columns, row)) + '\n').join('');
    case 'csv':
      return [r.columns, ...r.rows.map((row) => row.map((v) => text(v, '')))].map((l) => l.map(csvField).join(',')).join('\n') + '\n';
    case 'markdown': {
      const cell = (s: string) => s.replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
      const right = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || isNumeric(row[i])));
      const lines = [
        `| ${r.columns.map(cell).join(' | ')} |`,
        `|${right.map((x) => (x ? ' ---: ' : ' --- ')).join('|')}|`,
        ...r.rows.map((row) => `| ${row.map((v) => cell(text(v, 'NULL'))).join(' | ')} |`),
      ];
      return lines.join('\n') + '\n';
    }
    case 'table': {
      const cells = r.rows.map((row) => row.map((v) => text(v, 'NULL').replace(/\r?\n/g, '\\n')));
      const widths = r.columns.map((c, i) => Math.max(width(c), ...cells.map((row) => width(row[i] ?? ''))));
      const right = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || isNumeric(row[i])));
      const line = (vals: string[], align: boolean) => vals.map((v, i) => pad(v, widths[i]!, align && right[i]!)).join('  ').trimEnd();
      return [
        line(r.columns, true),
        widths.map((w) => '-'.repeat(w)).join('  '),
        ...cells.map((row) => line(row, true)),
      ].join('\n') + '\n';
    }
    default:
      throw new ShoeboxError('SHOEBOX_USAGE', `unknown format "${String(format)}" (${RESULT_FORMATS.join(', ')})`);
  }
}
