/**
 * The DuckDB side of shoebox: opening a database with errors a user can act on, creating the
 * tables of schema.ts, and `DuckDbWriter`, which every sink writes through.
 *
 * How a batch is written: rows go through Appenders (the fast path into DuckDB) into TEMP staging
 * tables (staging.ts), then one transaction per batch upserts them into the real tables by key
 * (DELETE of the staged keys + INSERT ... SELECT, which ends where
 * `INSERT OR REPLACE INTO media SELECT * FROM staging` does, measured faster); after the commit
 * each staging table it used is replaced by an empty one. A rerun replaces rows by their key
 * instead of duplicating them, and a batch is either all in or all out.
 *
 * The tables have no primary key: the writer keeps each key unique itself, as every row goes
 * through it. An index on (root, path) held ~450 bytes of memory a file for the whole run (and on
 * every rescan), most of the growth from 1,000 to 10,000 files, and made the database of
 * 100,000 small files 75% larger.
 *
 * Into a table that was empty when the writer opened it (a first scan into a new database, and
 * every file sink's working database) the INSERT alone is the upsert and the DELETE is skipped:
 * nothing is there to replace unless this run writes a key twice. Within a run keys are not
 * expected to repeat (the walk lists each file once, and names a file that is not UTF-8 by its
 * bytes), but an album folder in two export parts is one `albums` key, and a repeat must replace,
 * never duplicate. A fixed-size filter of the keys written (key-filter.ts) says which batches
 * certainly hold no repeat; for the others the database is asked, and a table that did meet a
 * key again keeps the DELETE for the rest of the run.
 */
// First: sets DuckDB's allocator options before '@duckdb/node-api' loads DuckDB.
import './allocator.js';
import { randomBytes } from 'node:crypto';
import { access, constants, open, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { ShoeboxError } from '../errors.js';
import { isExportPart } from '../takeout/folders.js';
import type { MediaItem, TableRow } from '../types.js';
import { errorRows, toMediaRow } from './rows.js';
import { ALBUM_ITEMS, ALBUMS, DIRS, ERRORS, MEDIA, RUNS, SIDECARS, TABLES } from './schema.js';
import type { TableDef } from './schema.js';
import { KeyFilter } from './key-filter.js';
import { createTableSql, quoteIdent, quoteLiteral } from './sql.js';
import { StagingTable } from './staging.js';

export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  path: string;
}

/** Turns what DuckDB throws at open into the error a user can act on. */
function openFailure(path: string, err: unknown, readOnly: boolean): ShoeboxError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Could not set lock on file/i.test(msg)) {
    const held = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(msg);
    const by = held ? `held by ${held[1]} (PID ${held[2]})` : 'held by another process';
    return new ShoeboxError(
      'SHOEBOX_DB_LOCKED',
      `database ${path} is locked: ${by}. Close that program (another shoebox run, a DuckDB shell, a notebook) ` +
        `or use another database file with --db.`,
      { cause: err },
    );
  }
  if (readOnly && /database does not exist/i.test(msg)) {
    return new ShoeboxError('SHOEBOX_USAGE', `no database at ${path}: run a pipeline first (shoebox run takeout) or pass --db FILE`, {
      cause: err,
    });
  }
  if (/not a valid DuckDB database file/i.test(msg)) {
    return new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `${path} exists but is not a DuckDB database: choose another file with --db`, {
      cause: err,
    });
  }
  if (/No such file or directory|Permission denied|Read-only file system/i.test(msg)) {
    return new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `cannot ${readOnly ? 'open' : 'write'} database ${path}: ${msg}`, { cause: err });
  }
  return new ShoeboxError(readOnly ? 'SHOEBOX_QUERY_FAILED' : 'SHOEBOX_SINK_FAILED', `cannot open database ${path}: ${msg}`, {
    cause: err,
  });
}

/**
 * Checks that a file can be created or written at `path` before anything runs: its folder exists
 * and takes a new file, and an existing file there is writable. Creating (and removing) a probe
 * file is the only test that holds for root, to whom access() says yes nearly everywhere.
 */
export async function checkWritable(path: string, what: string): Promise<void> {
  const dir = dirname(resolve(path));
  const fail = (why: string, cause?: unknown) =>
    new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `cannot write ${what} ${path}: ${why}`, { cause });
  const dirStat = await stat(dir).catch((e: unknown) => {
    throw fail(`folder ${dir} does not exist`, e);
  });
  if (!dirStat.isDirectory()) throw fail(`${dir} is not a folder`);
  const probe = join(dir, `.shoebox-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (e) {
    throw fail(`folder ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`, e);
  }
  await unlink(probe).catch(() => undefined);
  const fileStat = await stat(path).catch(() => null);
  if (fileStat?.isDirectory()) throw fail('it is a folder');
  if (fileStat) {
    await access(path, constants.W_OK).catch((e: unknown) => {
      throw fail('the file is read-only', e);
    });
  }
}

/**
 * Opens a database file (or ':memory:'). Writable opens check the location first; a file held
 * by another process gives SHOEBOX_DB_LOCKED, an unusable location SHOEBOX_OUTPUT_UNWRITABLE.
 * Sessions run in UTC so timestamps written as text (CSV, JSON) and date parts are stable.
 */
export async function openDatabase(path: string, opts: { readOnly?: boolean } = {}): Promise<Database> {
  const memory = path === ':memory:';
  const readOnly = !memory && opts.readOnly === true;
  if (!memory && !readOnly) await checkWritable(path, 'database');
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (err) {
    throw openFailure(path, err, readOnly);
  }
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return { instance, connection, path };
}

export function closeDatabase(db: Database): void {
  db.connection.closeSync();
  db.instance.closeSync();
}

/**
 * Creates every table of `tables` that is missing and adds the columns that a database from an
 * older shoebox lacks (whose tables had primary keys: they keep them, and are written the same).
 */
export async function createTables(connection: DuckDBConnection, tables: TableDef[] = TABLES): Promise<void> {
  for (const table of tables) {
    await connection.run(createTableSql(table));
    const existing = await connection.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $t`,
      { t: table.name },
    );
    const have = new Set(existing.getRows().map((r) => String(r[0])));
    for (const c of table.columns) {
      if (!have.has(c.name)) {
        await connection.run(`ALTER TABLE ${quoteIdent(table.name)} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
      }
    }
  }
}

export interface RunRecord {
  runId: string;
  pipeline: string;
  roots: readonly string[];
  /** The folders the roots named (absolute, links resolved), in their order; for overlap warnings. */
  rootPaths?: readonly string[];
  mode: 'parallel' | 'sequential';
  status: 'completed' | 'interrupted' | 'failed';
  startedAt: Date;
  finishedAt: Date;
  files: number;
  skipped: number;
  removed: number;
  errors: number;
  sidecars: number;
  bytes: number;
}

export interface WriterOptions {
  /** The run's roots, indexed by `rootIndex` (names `sidecar_root`). */
  roots?: readonly string[];
  /** Name of the media table (the sink's `table`); 'media' by default. */
  mediaTable?: string;
  /** Size of each table's filter of written keys (KeyFilter); tests make it tiny. */
  keyFilterBits?: number;
  /** DuckDB's memory limit while writing (WRITER_MEMORY_LIMIT); tests make it tiny. */
  memoryLimit?: string;
}

/**
 * DuckDB's memory limit while a run writes, on the writer's own instance (queries, the report and
 * `export` open theirs, with DuckDB's default of 80% of the RAM). Without one, DuckDB keeps every
 * block it has checkpointed in its buffer pool for the rest of the run: 100,000 small files
 * peaked at 286 MB, 212 MB with this (BENCHMARKS.md, tuning log). The rows not yet checkpointed
 * and a batch's work fit in it with room to spare (DuckDB writes what does not fit to
 * `<database>.tmp`); should a write still run out of memory, the limit is lifted and the write
 * made again.
 */
export const WRITER_MEMORY_LIMIT = '64MB';

/**
 * Whether DuckDB's `message` says a write ran out of memory: its Out of Memory Error, or the same
 * words inside another error (a COMMIT's "Failed to commit: could not allocate block of size …",
 * an Appender's "Failed to append: failed to allocate data of size …").
 */
export function isOutOfMemory(message: string): boolean {
  return /Out of Memory Error|(could not|failed to) (allocate|pin|reserve)\b[^\n]*? of size/i.test(message);
}

export interface BatchResult {
  media: number;
  rows: number;
}

/** A root of the rows in a database, and the folder it named (null when not recorded). */
export interface StoredRoot {
  root: string;
  path: string | null;
}

/** A table's staging table and the Appender into it (null only while it is being replaced). */
interface Staged {
  table: StagingTable;
  appender: DuckDBAppender | null;
  /**
   * The target held no rows at open and has not been written a key twice since: the upsert can
   * skip its DELETE.
   */
  insertOnly: boolean;
  /** The keys written into an insert-only target by this run (made at its first batch). */
  written: KeyFilter | null;
}

function appenderOf(s: Staged): DuckDBAppender {
  if (!s.appender) throw new Error(`the staging table ${s.table.name} has no appender (an earlier write failed to replace it)`);
  return s.appender;
}

export class DuckDbWriter {
  readonly #db: Database;
  readonly #roots: readonly string[] | undefined;
  /** By the table's name in schema.ts. */
  readonly #staging = new Map<string, Staged>();
  readonly #openedAt = new Date();
  readonly #filterBits: number | undefined;
  /** DuckDB's own memory limit, set again when the writer's is lifted; null when not limited. */
  #unlimited: string | null = null;
  /** Whether `errors` held rows at open: only then can a rewritten file have stale problems. */
  #oldErrors = false;
  #closed = false;

  private constructor(db: Database, opts: WriterOptions) {
    this.#db = db;
    this.#roots = opts.roots;
    this.#filterBits = opts.keyFilterBits;
  }

  /** Opens (or creates) the database at `path` with its tables, and the staging tables. */
  static async open(path: string, opts: WriterOptions = {}): Promise<DuckDbWriter> {
    const db = await openDatabase(path);
    const writer = new DuckDbWriter(db, opts);
    try {
      const conn = db.connection;
      const tables = TABLES.map((t) => (t === MEDIA && opts.mediaTable ? { ...t, name: opts.mediaTable } : t));
      await createTables(conn, tables);
      for (const [i, created] of tables.entries()) {
        const def = TABLES[i]!;
        const staged: Staged = {
          table: new StagingTable(def, created.name, `shoebox_staging_${def.name}`),
          appender: null,
          insertOnly: false,
          written: null,
        };
        writer.#staging.set(def.name, staged);
        await writer.#renew(staged);
      }
      const any = await conn.runAndReadAll(
        `SELECT ${tables.map((t) => `EXISTS (SELECT 1 FROM main.${quoteIdent(t.name)})`).join(', ')}`,
      );
      const held = any.getRows()[0] ?? [];
      for (const [i, def] of TABLES.entries()) writer.#stage(def.name).insertOnly = held[i] === false;
      writer.#oldErrors = !writer.#stage(ERRORS.name).insertOnly;
      if (path !== ':memory:') {
        // a database held in memory has no file to write checkpointed blocks to
        const limit = await conn.runAndReadAll(`SELECT current_setting('memory_limit')`);
        writer.#unlimited = String(limit.getRows()[0]?.[0]);
        await conn.run(`SET memory_limit = ${quoteLiteral(opts.memoryLimit ?? WRITER_MEMORY_LIMIT)}`);
      }
    } catch (err) {
      writer.close();
      throw err instanceof ShoeboxError
        ? err
        : new ShoeboxError('SHOEBOX_SINK_FAILED', `cannot prepare database ${path}: ${(err as Error).message}`, { cause: err });
    }
    return writer;
  }

  get path(): string {
    return this.#db.path;
  }

  /** The open connection, for COPY and for reading back what was written. */
  get connection(): DuckDBConnection {
    return this.#db.connection;
  }

  /** The name the media table has in this database. */
  get mediaTable(): string {
    return this.#stage(MEDIA.name).table.target;
  }

  #stage(table: string): Staged {
    const s = this.#staging.get(table);
    if (!s) throw new ShoeboxError('SHOEBOX_SINK_FAILED', `no table named ${table} (tables: ${[...this.#staging.keys()].join(', ')})`);
    return s;
  }

  /**
   * Writes a batch in one transaction: media items become `media` rows (and `errors` rows for
   * their problems), table rows go to their table; a row replaces the row with the same key.
   */
  async appendBatch(items: readonly (MediaItem | TableRow)[]): Promise<BatchResult> {
    this.#assertOpen();
    const at = new Date();
    let media = 0;
    let rows = 0;
    try {
      for (const item of items) {
        if (item.type === 'media') {
          this.#stage(MEDIA.name).table.add(toMediaRow(item, at, this.#roots));
          for (const e of errorRows(item, at)) this.#stage(ERRORS.name).table.add(e);
          media++;
        } else if (item.type === 'row') {
          this.#stage(item.table).table.add(item.row);
          rows++;
        } else {
          throw new TypeError(`the sink received a ${(item as { type: string }).type} item`);
        }
      }
    } catch (err) {
      for (const s of this.#staging.values()) s.table.clear();
      throw err instanceof ShoeboxError ? err : new ShoeboxError('SHOEBOX_SINK_FAILED', (err as Error).message, { cause: err });
    }
    await this.#flush();
    return { media, rows };
  }

  /** Writes the `runs` row for this run. */
  async recordRun(run: RunRecord): Promise<void> {
    this.#assertOpen();
    this.#stage(RUNS.name).table.add({
      run_id: run.runId,
      pipeline: run.pipeline,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      status: run.status,
      mode: run.mode,
      roots: [...run.roots],
      files: run.files,
      skipped: run.skipped,
      removed: run.removed,
      errors: run.errors,
      sidecars: run.sidecars,
      bytes: run.bytes,
      duration_ms: Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()),
      root_paths: run.rootPaths ? [...run.rootPaths] : null,
    });
    await this.#flush();
  }

  async #flush(): Promise<void> {
    const pending = [...this.#staging.values()].filter((s) => s.table.size > 0);
    if (pending.length === 0) return;
    try {
      const keys = new Map<Staged, string[]>();
      for (const s of pending) if (s.insertOnly) keys.set(s, [...s.table.keys()]);
      const write = async (again: boolean) => {
        for (const s of pending) {
          // written again: into fresh staging tables, as the failed attempt may have left part
          // of the batch in them
          if (again) await this.#renew(s);
          s.table.appendTo(appenderOf(s));
        }
        // written again, the tables are asked whether they hold the batch's keys: a COMMIT
        // whose checkpoint ran out of memory has written its rows
        await this.#checkRepeats(keys, again);
        await this.#upsert(pending);
        for (const s of pending) await this.#renew(s);
      };
      await this.#withinLimit(
        () => write(false),
        () => write(true),
      );
      for (const s of pending) s.table.clear();
      for (const [s, batchKeys] of keys) {
        if (s.insertOnly) for (const k of batchKeys) s.written!.add(k);
      }
    } catch (err) {
      for (const s of pending) {
        s.table.clear();
        s.appender?.clear();
        await this.#renew(s).catch(() => undefined);
        // the batch may have been committed before the failure: its keys are not in the filter
        s.insertOnly = false;
        s.written = null;
      }
      throw new ShoeboxError('SHOEBOX_SINK_FAILED', `writing to ${this.#db.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Before an insert-only batch: a table whose staged keys the filter of written keys has
   * certainly not seen (or, with `ask`, that holds none of them) stays insert-only; one that holds
   * a staged key keeps the DELETE from now on.
   */
  async #checkRepeats(keys: Map<Staged, string[]>, ask: boolean): Promise<void> {
    for (const [s, batchKeys] of keys) {
      if (!s.insertOnly) continue;
      const filter = (s.written ??= new KeyFilter(this.#filterBits));
      if (!ask && !batchKeys.some((k) => filter.mayHave(k))) continue;
      const r = await this.#db.connection.runAndReadAll(s.table.overlapSql());
      if (r.getRows()[0]?.[0] === true) {
        s.insertOnly = false;
        s.written = null;
      }
    }
  }

  /**
   * Runs `write`; when it runs out of memory under the writer's limit, lifts the limit and runs
   * `again` (by default `write` again).
   */
  async #withinLimit<T>(write: () => Promise<T>, again: () => Promise<T> = write): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (this.#unlimited === null || !isOutOfMemory(String((err as Error).message))) throw err;
      await this.liftMemoryLimit();
      return again();
    }
  }

  /**
   * Gives DuckDB its default memory limit back, for the rest of this writer's life: before a
   * file sink's COPY (partitioned writes keep a row group per partition) and after a write that
   * ran out of memory under the writer's limit.
   */
  async liftMemoryLimit(): Promise<void> {
    if (this.#unlimited === null) return;
    // RESET memory_limit reports the default but leaves the buffer pool at the limit (DuckDB 1.5)
    await this.#db.connection.run(`SET memory_limit = ${quoteLiteral(this.#unlimited)}`);
    this.#unlimited = null;
  }

  /** One transaction upserting what the staging tables of `pending` hold; rolled back on error. */
  async #upsert(pending: Staged[]): Promise<void> {
    const conn = this.#db.connection;
    await conn.run('BEGIN TRANSACTION');
    try {
      const media = this.#stage(MEDIA.name);
      if (this.#oldErrors && pending.includes(media)) {
        // A file written again replaces its problems from earlier runs; this run's stay.
        await conn.run(
          `DELETE FROM main.${quoteIdent(ERRORS.name)} WHERE "at" < $openedAt AND (root, path) IN ` +
            `(SELECT root, path FROM temp.main.${quoteIdent(media.table.name)})`,
          { openedAt: new DuckDBTimestampTZValue(BigInt(this.#openedAt.getTime()) * 1000n) },
        );
      }
      for (const s of pending) {
        for (const sql of s.table.upsertSql({ deleteFirst: !s.insertOnly })) await conn.run(sql);
      }
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Replaces a staging table (and its Appender) by an empty one. Emptying it with DELETE would
   * keep every deleted row in memory until the run ends (DuckDB does not reclaim a TEMP table's
   * deleted rows), so the staging tables would grow by every row the run writes: the
   * 100,000-file run peaked at 432 MB that way, 325 MB with this.
   */
  async #renew(s: Staged): Promise<void> {
    const old = s.appender;
    s.appender = null;
    try {
      old?.closeSync();
    } catch {
      // an appender that failed has nothing left to release
    }
    await this.#db.connection.run(s.table.createSql());
    s.appender = await this.#db.connection.createAppender(s.table.name, 'main', 'temp');
  }

  #assertOpen(): void {
    if (this.#closed) throw new ShoeboxError('SHOEBOX_SINK_FAILED', `the database ${this.#db.path} is already closed`);
  }

  /** Directory signatures recorded by earlier runs over the same roots (see DIRS). */
  async knownDirs(rootsKey: string): Promise<Map<string, string>> {
    this.#assertOpen();
    const r = await this.#db.connection.runAndReadAll(
      `SELECT dir, signature FROM main.${quoteIdent(DIRS.name)} WHERE roots = $roots`,
      { roots: rootsKey },
    );
    return new Map(r.getRows().map((row) => [String(row[0]), String(row[1])]));
  }

  /**
   * What the runs that read directories of any of `roots` read (readsKey), as recorded in DIRS:
   * under these roots exactly, or with them among others (one part of a library given alone).
   */
  async storedReads(roots: readonly string[]): Promise<string[]> {
    this.#assertOpen();
    const r = await this.#db.connection.runAndReadAll(
      `SELECT DISTINCT roots, reads FROM main.${quoteIdent(DIRS.name)} WHERE reads IS NOT NULL ORDER BY ALL`,
    );
    const ours = new Set(roots);
    const reads = new Set<string>();
    for (const [key, value] of r.getRows()) {
      if (String(key).split('\n').some((root) => ours.has(root))) reads.add(String(value));
    }
    return [...reads];
  }

  /**
   * The roots of the media rows in the database, each with the folder it named when it was
   * scanned (runs.root_paths; null for runs of an older shoebox, which did not record it).
   */
  async knownRoots(): Promise<StoredRoot[]> {
    this.#assertOpen();
    const conn = this.#db.connection;
    const r = await conn.runAndReadAll(`SELECT DISTINCT root FROM main.${quoteIdent(this.mediaTable)} ORDER BY root`);
    const runs = await conn.runAndReadAll(
      `SELECT roots, root_paths FROM main.${quoteIdent(RUNS.name)} WHERE root_paths IS NOT NULL ORDER BY started_at`,
    );
    const paths = new Map<string, string>();
    for (const row of runs.getRowObjectsJson()) {
      const roots = row.roots as string[];
      const real = row.root_paths as string[];
      roots.forEach((root, i) => real[i] !== undefined && paths.set(root, real[i]!));
    }
    return r.getRows().map((row) => ({ root: String(row[0]), path: paths.get(String(row[0])) ?? null }));
  }

  /**
   * After a completed run: removes the rows of files, sidecars and directories that are gone.
   * Every directory this run read rewrote its rows (scanned_at ≥ the run's start), and every
   * directory it skipped is unchanged; a row of these roots that is neither is of something
   * deleted. Returns the number of media rows removed.
   */
  async removeMissing(opts: {
    roots: readonly string[];
    rootsKey: string;
    startedAt: Date;
    skippedDirs: Iterable<string>;
    /** Given roots that stood for the export parts inside them: a part gone from one is removed. */
    partFolders?: readonly string[];
  }): Promise<number> {
    this.#assertOpen();
    const conn = this.#db.connection;
    const goneParts = await this.#goneParts(opts.roots, opts.partFolders ?? []);
    await conn.run('CREATE OR REPLACE TEMP TABLE shoebox_skipped (dir VARCHAR PRIMARY KEY)');
    const app = await conn.createAppender('shoebox_skipped', 'main', 'temp');
    for (const d of new Set(opts.skippedDirs)) {
      app.appendVarchar(d);
      app.endRow();
    }
    app.closeSync();
    const start = { start: new DuckDBTimestampTZValue(BigInt(opts.startedAt.getTime()) * 1000n) };
    const roots = `(${opts.roots.map(quoteLiteral).join(', ')})`;
    const dirOf = `CASE WHEN contains(path, '/') THEN regexp_replace(path, '/[^/]*$', '') ELSE '' END`;
    const notSkipped = (dir: string) => `${dir} NOT IN (SELECT dir FROM temp.main.shoebox_skipped)`;
    const remove = async (): Promise<number> => {
      let removed = 0;
      await conn.run('BEGIN TRANSACTION');
      try {
        const media = await conn.run(
          `DELETE FROM main.${quoteIdent(this.mediaTable)} WHERE root IN ${roots} AND scanned_at < $start AND ${notSkipped('dir')}`,
          start,
        );
        removed = media.rowsChanged;
        if (goneParts.length > 0) {
          const gone = `(${goneParts.map(quoteLiteral).join(', ')})`;
          removed += (await conn.run(`DELETE FROM main.${quoteIdent(this.mediaTable)} WHERE root IN ${gone}`)).rowsChanged;
          for (const t of [ERRORS.name, SIDECARS.name, ALBUM_ITEMS.name]) await conn.run(`DELETE FROM main.${quoteIdent(t)} WHERE root IN ${gone}`);
        }
        await conn.run(`DELETE FROM main.${quoteIdent(ERRORS.name)} WHERE root IN ${roots} AND "at" < $start AND ${notSkipped(dirOf)}`, start);
        for (const t of [SIDECARS.name, ALBUM_ITEMS.name]) {
          await conn.run(
            `DELETE FROM main.${quoteIdent(t)} WHERE root IN ${roots} AND coalesce(scanned_at < $start, true) AND ${notSkipped(dirOf)}`,
            start,
          );
        }
        // An album folder of these roots (one an earlier run over them recorded in dirs) that this
        // run read, not skipped, and did not write again is gone, or no longer an album (its
        // metadata deleted). Albums are keyed by folder alone: one that still has files of other
        // roots in the database belongs to another library too, and stays.
        await conn.run(
          `DELETE FROM main.${quoteIdent(ALBUMS.name)} AS a WHERE coalesce(a.scanned_at < $start, true) AND ${notSkipped('a.dir')} ` +
            `AND a.dir IN (SELECT dir FROM main.${quoteIdent(DIRS.name)} WHERE roots = $roots) ` +
            `AND NOT EXISTS (SELECT 1 FROM main.${quoteIdent(ALBUM_ITEMS.name)} AS i WHERE i.dir = a.dir AND i.root NOT IN ${roots})`,
          { ...start, roots: opts.rootsKey },
        );
        await conn.run(
          `DELETE FROM main.${quoteIdent(DIRS.name)} WHERE roots = $roots AND scanned_at < $start AND ${notSkipped('dir')}`,
          { ...start, roots: opts.rootsKey },
        );
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return removed;
    };
    try {
      return await this.#withinLimit(remove);
    } catch (err) {
      throw new ShoeboxError('SHOEBOX_SINK_FAILED', `removing the rows of deleted files from ${this.#db.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Roots in the database that were export parts directly inside one of `partFolders` (a part's
   * folder name, as expandRoots recognises it) and are not among this run's `roots`: parts deleted
   * since. Roots of other folders, and parts of folders not given this run, are not touched.
   */
  async #goneParts(roots: readonly string[], partFolders: readonly string[]): Promise<string[]> {
    if (partFolders.length === 0) return [];
    const r = await this.#db.connection.runAndReadAll(
      [this.mediaTable, ERRORS.name, SIDECARS.name, ALBUM_ITEMS.name].map((t) => `SELECT DISTINCT root FROM main.${quoteIdent(t)}`).join(' UNION '),
    );
    const current = new Set(roots);
    return r
      .getRows()
      .map((row) => String(row[0]))
      .filter((root) => {
        if (current.has(root)) return false;
        return partFolders.some((folder) => {
          // parts joined to '.' are stored bare: `Takeout 2`, not `./Takeout 2`
          const prefix = folder === '.' ? '' : folder.endsWith(sep) ? folder : folder + sep;
          return root.startsWith(prefix) && isExportPart(root.slice(prefix.length));
        });
      });
  }

  /** Releases the appenders, the connection and the file lock. What was committed stays. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#staging.values()) {
      try {
        s.appender?.clear();
        s.appender?.closeSync();
      } catch {
        // an appender that failed has nothing left to release
      }
    }
    closeDatabase(this.#db);
  }
}
