/**
 * The last stage: where the batches go. Every sink writes through `DuckDbWriter`, so every sink
 * has the same columns and the same values:
 *
 * - `duckdb` upserts into the database file itself (rerunning replaces rows, never duplicates).
 * - `parquet`, `csv`, `jsonl` write into a working DuckDB database (a temp file under
 *   os.tmpdir(), removed at close) and at close `COPY` the media table to the output path, and
 *   each side table that has rows beside it: `out.parquet` + `out.errors.parquet`,
 *   `out.sidecars.parquet`, `out.albums.parquet`, `out.album_items.parquet`. A side file from an
 *   earlier run is removed when this run has no such rows. `runs` stays in the working database
 *   (the summary reports the run). Parquet is zstd-compressed unless `compression` says
 *   otherwise; `partitionBy` writes Hive-style folders (`out/year=2019/data_0.parquet`), where
 *   `year` and `month` may be derived from taken_at (undated files go to
 *   `year=__HIVE_DEFAULT_PARTITION__`). Outputs are renamed into place, so a run that fails or is
 *   aborted leaves the previous output as it was. Timestamps in CSV and JSON are UTC text
 *   (`2019-08-03 15:45:12+00`); CSV writes empty text as "" and NULL as nothing, which
 *   `read_csv(..., allow_quoted_nulls = false)` tells apart.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { checkOutputPath, checkPartitioning, copyTable, sideTablePath, validateCompression } from '../db/copy.js';
import type { CopyFormat } from '../db/copy.js';
import { DuckDbWriter, type StoredRoot } from '../db/duckdb.js';
import { ALBUMS, ALBUM_ITEMS, ERRORS, MEDIA, SIDECARS } from '../db/schema.js';
import { quoteIdent } from '../db/sql.js';
import { ShoeboxError } from '../errors.js';
import type { SinkSpec } from '../pipelines/spec.js';
import type { MediaItem, TableRow } from '../types.js';

export interface SinkContext {
  pipeline: string;
  roots: string[];
  /** The folders the roots named (absolute, links resolved), recorded in `runs`. */
  rootPaths?: string[];
  runId: string;
  mode: 'parallel' | 'sequential';
}

export interface RunCounts {
  files: number;
  skipped: number;
  removed: number;
  errors: number;
  sidecars: number;
  bytes: number;
  startedAt: Date;
  finishedAt: Date;
  status: 'completed' | 'interrupted' | 'failed';
}

export interface Sink {
  /** Opens the output; a locked database or an unwritable location fails here, before any scanning. */
  open(): Promise<void>;
  write(batch: (MediaItem | TableRow)[]): Promise<void>;
  /** Records the run and finishes the output. */
  close(counts: RunCounts): Promise<void>;
  /** Releases everything and keeps what was written (file sinks: the previous output stays). */
  abort(): Promise<void>;
  /** Where the data went, for the summary. */
  readonly description: string;
  /** Directory signatures from earlier runs over these roots; a sink that rewrites its output has none. */
  knownDirs(): Promise<Map<string, string>>;
  /** The roots of the rows already in the output (none for a sink that rewrites its output). */
  knownRoots(): Promise<StoredRoot[]>;
  /** What earlier runs over these roots read from each file (readsKey), where recorded. */
  storedReads(): Promise<string[]>;
  /**
   * After a completed run: drops rows of files that are gone, and of export parts that are gone
   * from `partFolders` (the given roots that stood for the parts inside them); returns the media
   * rows removed.
   */
  removeMissing(startedAt: Date, skippedDirs: Iterable<string>, partFolders?: readonly string[]): Promise<number>;
}

/** The key under which a run's directory signatures are kept: the same roots, the same library. */
export function rootsKey(roots: readonly string[]): string {
  return roots.join('\n');
}

const SIDE_TABLES = [ERRORS, SIDECARS, ALBUMS, ALBUM_ITEMS];

/**
 * The write in flight, so that close and abort wait for it: a stream pipeline that fails rejects
 * while its last `_write` may still be running, and closing DuckDB under a running statement is
 * not safe.
 */
class InFlight {
  #current: Promise<unknown> = Promise.resolve();

  run<T>(p: Promise<T>): Promise<T> {
    this.#current = p.catch(() => undefined);
    return p;
  }

  settled(): Promise<unknown> {
    return this.#current;
  }
}

class DuckDbSink implements Sink {
  readonly #spec: SinkSpec;
  readonly #ctx: SinkContext;
  readonly #inFlight = new InFlight();
  #writer: DuckDbWriter | null = null;

  constructor(spec: SinkSpec, ctx: SinkContext) {
    this.#spec = spec;
    this.#ctx = ctx;
  }

  get description(): string {
    return `DuckDB ${this.#spec.path} (table ${this.#spec.table || MEDIA.name})`;
  }

  async open(): Promise<void> {
    this.#writer = await DuckDbWriter.open(this.#spec.path, { roots: this.#ctx.roots, mediaTable: this.#spec.table || undefined });
  }

  async write(batch: (MediaItem | TableRow)[]): Promise<void> {
    await this.#inFlight.run(openWriter(this.#writer).appendBatch(batch));
  }

  knownDirs(): Promise<Map<string, string>> {
    return openWriter(this.#writer).knownDirs(rootsKey(this.#ctx.roots));
  }

  knownRoots(): Promise<StoredRoot[]> {
    return openWriter(this.#writer).knownRoots();
  }

  storedReads(): Promise<string[]> {
    return openWriter(this.#writer).storedReads(this.#ctx.roots);
  }

  async removeMissing(startedAt: Date, skippedDirs: Iterable<string>, partFolders: readonly string[] = []): Promise<number> {
    await this.#inFlight.settled();
    const roots = this.#ctx.roots;
    return openWriter(this.#writer).removeMissing({ roots, rootsKey: rootsKey(roots), startedAt, skippedDirs, partFolders });
  }

  async close(counts: RunCounts): Promise<void> {
    await this.#inFlight.settled();
    const writer = openWriter(this.#writer);
    try {
      await writer.recordRun({ ...this.#ctx, ...counts });
    } finally {
      await this.abort();
    }
  }

  async abort(): Promise<void> {
    await this.#inFlight.settled();
    this.#writer?.close();
    this.#writer = null;
  }
}

class FileSink implements Sink {
  readonly #spec: SinkSpec;
  readonly #ctx: SinkContext;
  readonly #format: CopyFormat;
  readonly #compression: string;
  readonly #workPath: string;
  readonly #inFlight = new InFlight();
  #writer: DuckDbWriter | null = null;
  #written: string[] = [];

  constructor(spec: SinkSpec, ctx: SinkContext, format: CopyFormat) {
    this.#spec = spec;
    this.#ctx = ctx;
    this.#format = format;
    this.#compression = format === 'parquet' ? validateCompression(spec.compression || 'zstd') : '';
    this.#workPath = join(tmpdir(), `shoebox-${ctx.runId}-${randomBytes(4).toString('hex')}.duckdb`);
  }

  get description(): string {
    const what = { parquet: 'Parquet', csv: 'CSV', jsonl: 'JSON Lines' }[this.#format];
    const partitions = this.#spec.partitionBy.length ? ` partitioned by ${this.#spec.partitionBy.join(', ')}` : '';
    const beside = this.#written.slice(1);
    return `${what} ${this.#spec.path}${partitions}${beside.length ? ` (+ ${beside.join(', ')})` : ''}`;
  }

  async open(): Promise<void> {
    checkPartitioning(this.#format, this.#spec.partitionBy, "the pipeline's sink");
    await checkOutputPath(this.#spec.path, this.#spec.partitionBy.length > 0);
    for (const t of SIDE_TABLES) await checkOutputPath(sideTablePath(this.#spec.path, t.name, this.#format), false);
    this.#writer = await DuckDbWriter.open(this.#workPath, { roots: this.#ctx.roots });
  }

  async write(batch: (MediaItem | TableRow)[]): Promise<void> {
    await this.#inFlight.run(openWriter(this.#writer).appendBatch(batch));
  }

  /** The output is written whole from this run's rows: nothing to skip, nothing to remove. */
  async knownDirs(): Promise<Map<string, string>> {
    return new Map();
  }

  async knownRoots(): Promise<StoredRoot[]> {
    return [];
  }

  async storedReads(): Promise<string[]> {
    return [];
  }

  async removeMissing(): Promise<number> {
    return 0;
  }

  async close(counts: RunCounts): Promise<void> {
    await this.#inFlight.settled();
    const writer = openWriter(this.#writer);
    try {
      await writer.recordRun({ ...this.#ctx, ...counts });
      // the writer's memory limit suits writing batches; a COPY partitioned by year holds more
      await writer.liftMemoryLimit();
      const conn = writer.connection;
      await copyTable(conn, {
        table: writer.mediaTable,
        to: this.#spec.path,
        format: this.#format,
        partitionBy: this.#spec.partitionBy,
        compression: this.#compression,
      });
      this.#written = [this.#spec.path];
      for (const t of SIDE_TABLES) {
        const to = sideTablePath(this.#spec.path, t.name, this.#format);
        const any = await conn.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM main.${quoteIdent(t.name)})`);
        if (any.getRows()[0]?.[0] === true) {
          await copyTable(conn, { table: t.name, to, format: this.#format, compression: this.#compression });
          this.#written.push(to);
        } else {
          await rm(to, { force: true });
        }
      }
    } finally {
      await this.abort();
    }
  }

  async abort(): Promise<void> {
    await this.#inFlight.settled();
    this.#writer?.close();
    this.#writer = null;
    await rm(this.#workPath, { force: true });
    await rm(`${this.#workPath}.wal`, { force: true });
  }
}

function openWriter(writer: DuckDbWriter | null): DuckDbWriter {
  if (!writer) throw new ShoeboxError('SHOEBOX_SINK_FAILED', 'the sink is not open (open() first, and not after close())');
  return writer;
}

export function createSink(spec: SinkSpec, ctx: SinkContext): Sink {
  switch (spec.kind) {
    case 'duckdb':
      return new DuckDbSink(spec, ctx);
    case 'parquet':
    case 'csv':
    case 'jsonl':
      return new FileSink(spec, ctx, spec.kind);
    default:
      throw new ShoeboxError('SHOEBOX_CONFIG_INVALID', `unknown sink "${(spec as { kind: string }).kind}"`);
  }
}

/**
 * The sink as the end of a stream pipeline: an object-mode Writable that takes batches (arrays).
 * highWaterMark 1 and a `_write` that waits for the sink make a slow sink push back on the walk.
 * Closing the sink is the runner's job (it holds the counts), not this stream's.
 */
export function sinkStream(sink: Pick<Sink, 'write'>): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(batch: unknown, _encoding, callback) {
      if (!Array.isArray(batch)) {
        callback(new TypeError(`the sink takes batches (arrays of items), got ${typeof batch}`));
        return;
      }
      if (batch.length === 0) {
        callback();
        return;
      }
      sink.write(batch as (MediaItem | TableRow)[]).then(() => callback(), callback);
    },
  });
}
