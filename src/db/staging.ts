/**
 * The TEMP staging tables a batch is appended to before it is upserted, and the conversion of JS
 * values to what their Appenders take.
 *
 * Staging columns use "wire" types that the Appender writes without building a DuckDB value
 * object per cell: TIMESTAMPTZ is staged as a UTC TIMESTAMP and VARCHAR[] as JSON text, and the
 * upsert's SELECT turns them back. Measured on DuckDB 1.5: 46k media rows/s appended this way,
 * 16k/s with appendTimestampTZ/appendList (each makes a native value and a finaliser).
 */
import { DuckDBTimestampValue } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import type { ColumnType, TableDef } from './schema.js';
import { quoteIdent } from './sql.js';

/** A value ready for an Appender; null is appended as NULL. */
export type Cell = string | number | bigint | boolean | DuckDBTimestampValue | null;

interface Codec {
  /** The staging column's type. */
  wire: string;
  /** SQL turning the staged column back into the table's type. */
  select(col: string): string;
  /** Validates and converts a JS value; throws a TypeError that says what was wrong. */
  coerce(v: unknown): Cell;
  append(a: DuckDBAppender, v: Cell): void;
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new TypeError(`expected a number, got ${JSON.stringify(v)}`);
}

function integer(min: number, max: number) {
  return (v: unknown): Cell => {
    const n = toNumber(v);
    if (n === null) return null;
    const r = Math.round(n);
    if (!(r >= min && r <= max)) throw new TypeError(`${n} is out of range ${min}..${max}`);
    return r;
  };
}

function toTimestamp(v: unknown): Cell {
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') ms = Date.parse(v);
  else throw new TypeError(`expected a Date, got ${JSON.stringify(v)}`);
  return Number.isFinite(ms) ? new DuckDBTimestampValue(BigInt(Math.round(ms)) * 1000n) : null;
}

const same = (col: string) => col;

const CODECS: Record<ColumnType, Codec> = {
  VARCHAR: {
    wire: 'VARCHAR',
    select: same,
    coerce: (v) => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      if (v instanceof Date) return v.toISOString();
      throw new TypeError(`expected text, got ${JSON.stringify(v)}`);
    },
    append: (a, v) => a.appendVarchar(v as string),
  },
  BIGINT: {
    wire: 'BIGINT',
    select: same,
    coerce: (v) => {
      if (typeof v === 'bigint') return v;
      const n = toNumber(v);
      return n === null || !Number.isFinite(n) ? null : BigInt(Math.trunc(n));
    },
    append: (a, v) => a.appendBigInt(v as bigint),
  },
  INTEGER: { wire: 'INTEGER', select: same, coerce: integer(-0x80000000, 0x7fffffff), append: (a, v) => a.appendInteger(v as number) },
  UINTEGER: { wire: 'UINTEGER', select: same, coerce: integer(0, 0xffffffff), append: (a, v) => a.appendUInteger(v as number) },
  DOUBLE: { wire: 'DOUBLE', select: same, coerce: toNumber, append: (a, v) => a.appendDouble(v as number) },
  BOOLEAN: {
    wire: 'BOOLEAN',
    select: same,
    coerce: (v) => {
      if (typeof v === 'boolean') return v;
      throw new TypeError(`expected true or false, got ${JSON.stringify(v)}`);
    },
    append: (a, v) => a.appendBoolean(v as boolean),
  },
  TIMESTAMPTZ: {
    wire: 'TIMESTAMP',
    // timezone('UTC', ts) reads the wall clock as UTC whatever the session's TimeZone is.
    select: (col) => `timezone('UTC', ${col})`,
    coerce: toTimestamp,
    append: (a, v) => a.appendTimestamp(v as DuckDBTimestampValue),
  },
  'VARCHAR[]': {
    wire: 'VARCHAR',
    select: (col) => `CAST(CAST(${col} AS JSON) AS VARCHAR[])`,
    coerce: (v) => {
      if (!Array.isArray(v)) throw new TypeError(`expected a list of text, got ${JSON.stringify(v)}`);
      return JSON.stringify(v.map((x: unknown) => (x === null || x === undefined ? null : String(x))));
    },
    append: (a, v) => a.appendVarchar(v as string),
  },
};

/** How one table is staged: its TEMP table, per-column codecs, and the upsert statements. */
export class StagingTable {
  readonly def: TableDef;
  /** Name of the real table (the media table may be renamed). */
  readonly target: string;
  readonly name: string;
  readonly #codecs: Codec[];
  readonly #keyIndexes: number[];
  /** Last row wins per key: the upsert must not see one key twice in a batch. */
  readonly #rows = new Map<string, Cell[]>();

  constructor(def: TableDef, target: string, name: string) {
    this.def = def;
    this.target = target;
    this.name = name;
    this.#codecs = def.columns.map((c) => CODECS[c.type]);
    this.#keyIndexes = def.key.map((k) => def.columns.findIndex((c) => c.name === k));
  }

  get size(): number {
    return this.#rows.size;
  }

  createSql(): string {
    const cols = this.def.columns.map((c, i) => `${quoteIdent(c.name)} ${this.#codecs[i]!.wire}`);
    return `CREATE OR REPLACE TEMP TABLE ${quoteIdent(this.name)} (${cols.join(', ')})`;
  }

  /** Converts and holds a row; throws (naming table and column) when a value does not fit. */
  add(row: Record<string, unknown>): void {
    const cells = this.def.columns.map((c, i) => {
      const v = row[c.name];
      if (v === null || v === undefined) return null;
      try {
        return this.#codecs[i]!.coerce(v);
      } catch (err) {
        throw new TypeError(`${this.def.name}.${c.name} (${c.type}): ${(err as Error).message}`);
      }
    });
    const key = this.#keyIndexes.map((i) => {
      const k = cells[i];
      if (k === null || k === undefined) throw new TypeError(`${this.def.name} row without its key column ${this.def.columns[i]!.name}`);
      return String(k);
    });
    this.#rows.set(key.join('\u0000'), cells);
  }

  /** Appends the held rows and flushes them into the staging table; they stay held until clear(). */
  appendTo(appender: DuckDBAppender): void {
    const codecs = this.#codecs;
    const n = codecs.length;
    for (const cells of this.#rows.values()) {
      for (let i = 0; i < n; i++) {
        const v = cells[i]!;
        if (v === null) appender.appendNull();
        else codecs[i]!.append(appender, v);
      }
      appender.endRow();
    }
    appender.flushSync();
  }

  clear(): void {
    this.#rows.clear();
  }

  /** The keys of the held rows, each the key columns' text joined by NUL. */
  keys(): IterableIterator<string> {
    return this.#rows.keys();
  }

  /**
   * The upsert, in the order to run inside the batch's transaction. DELETE of the staged keys
   * then INSERT ends where `INSERT OR REPLACE` does, and measured 1.5-4x faster on DuckDB 1.5
   * (OR REPLACE plans a MERGE that rewrites every column). The staging table is not emptied here:
   * the writer replaces it after the commit (see DuckDbWriter), because a DELETE from it never
   * gives its memory back. `deleteFirst: false` leaves the INSERT alone, for a target that holds
   * none of the staged keys (the writer makes sure of that: the tables have no index to refuse a
   * repeated key).
   */
  upsertSql(opts: { deleteFirst: boolean } = { deleteFirst: true }): string[] {
    const target = `main.${quoteIdent(this.target)}`;
    const staging = `temp.main.${quoteIdent(this.name)}`;
    const key = this.def.key.map(quoteIdent).join(', ');
    const cols = this.def.columns.map((c) => quoteIdent(c.name));
    const exprs = this.def.columns.map((c, i) => this.#codecs[i]!.select(cols[i]!));
    const insert = `INSERT INTO ${target} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${staging}`;
    if (!opts.deleteFirst) return [insert];
    return [`DELETE FROM ${target} WHERE (${key}) IN (SELECT ${key} FROM ${staging})`, insert];
  }

  /** SQL giving true when the target already holds one of the staged keys. */
  overlapSql(): string {
    const key = this.def.key.map(quoteIdent).join(', ');
    return (
      `SELECT EXISTS (SELECT 1 FROM main.${quoteIdent(this.target)} ` +
      `WHERE (${key}) IN (SELECT ${key} FROM temp.main.${quoteIdent(this.name)}))`
    );
  }
}
