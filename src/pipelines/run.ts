import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExifTool } from 'exiftool-vendored';
import { openExifTool } from '../stages/exiftool-process.js';
import type { Pool } from 'workerpool';
import { ShoeboxError, describeError } from '../errors.js';
import { expandRoots } from '../takeout/folders.js';
import { batch } from '../stages/batch.js';
import { exif, readTags, tagArgs, tagsProblem, toExifFields } from '../stages/exif.js';
import { applyFingerprint, createFingerprintPool, fingerprint } from '../stages/fingerprint.js';
import { fingerprintFile } from '../stages/fingerprint-file.js';
import { sidecar, type SidecarOptions } from '../stages/sidecar.js';
import { dirGate } from '../stages/dir-gate.js';
import { mediaKind, splitPath } from '../db/rows.js';
import { createSink, sinkStream, type RunCounts, type Sink } from '../stages/sink.js';
import { walk } from '../stages/walk.js';
import { countMediaFiles, newStats, startProgress, type RunStats } from './progress.js';
import { overlapWarnings, realPath } from './overlap.js';
import { orList } from './suggest.js';
import type { PipelineSpec, StageSpec } from './spec.js';
import type { Item, MediaItem, TableRow } from '../types.js';

export interface RunOptions {
  spec: PipelineSpec;
  /** The design's sequential baseline: one file at a time through every stage, on this thread. */
  sequential?: boolean;
  /** Show the live bar on stderr. */
  progress?: boolean;
  /** Ends the walk early; what was read is still written (Ctrl-C). */
  signal?: AbortSignal;
  /** Read every directory, even those unchanged since the last run. */
  full?: boolean;
  /** Hears a warning as soon as it is known, before the scan (the summary repeats it). */
  warn?: (message: string) => void;
}

export interface RunResult {
  runId: string;
  pipeline: string;
  mode: 'parallel' | 'sequential';
  roots: string[];
  counts: RunCounts;
  stats: RunStats;
  /** Media files by kind: photo, video, other. */
  kinds: Record<string, number>;
  sidecarsMatched: number;
  sidecarsUnmatched: number;
  /** Files whose EXIF was read in-process (JPEGs, jpeg-exif.ts), and by ExifTool. */
  exifNative: number;
  exifTool: number;
  firstErrors: string[];
  /** Problems with the run as a whole the user should hear of (roots that overlap stored ones). */
  warnings: string[];
  /** Archive files found among the media (Takeout .zip/.tgz not extracted), and the first names. */
  archives: number;
  firstArchives: string[];
  sink: string;
}

/**
 * Runs one pipeline from walk to sink. Everything that must be released (worker pool, ExifTool
 * processes, database) is opened and closed here, on success, error and interruption alike.
 */
export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const { spec } = opts;
  const mode = opts.sequential ? 'sequential' : 'parallel';
  const { roots, partFolders } = await resolveRoots(spec.source.walk.roots);
  const runId = randomUUID();
  const stats = newStats();
  const startedAt = new Date();
  const stage = <N extends StageSpec['name']>(name: N) =>
    spec.stages.find((s): s is Extract<StageSpec, { name: N }> => s.name === name);

  // The sink opens first: a locked database or an unwritable output fails before any scanning.
  // The fingerprint pool's threads boot meanwhile (~0.3 s of module loading each), on other
  // threads than the one loading DuckDB's native library.
  const sink = createSink(spec.sink, { pipeline: spec.name, roots, rootPaths: roots.map((r) => realPath(r)), runId, mode });
  const fpSpec = stage('fingerprint');
  const pool: Pool | null = !opts.sequential && fpSpec ? createFingerprintPool(spec.concurrency.cpu) : null;
  let warnings: string[];
  let opened = false;
  try {
    await sink.open();
    opened = true;
    const lost = lostStages(readsKey(spec.stages), await sink.storedReads());
    if (lost.length > 0) {
      throw new ShoeboxError(
        'SHOEBOX_USAGE',
        `${spec.sink.path} holds rows of these roots from a scan that also read ${orList(lost.map((s) => `the ${s} stage`), 'and')}; ` +
          `the "${spec.name}" pipeline does not, and would replace those rows with rows without what ${lost.length === 1 ? 'it' : 'they'} found. ` +
          `Write to another database (--db ${spec.name}.duckdb), or run a pipeline with ${lost.length === 1 ? 'that stage' : 'those stages'}.`,
      );
    }
    warnings = overlapWarnings(roots, await sink.knownRoots());
  } catch (err) {
    if (opened) await sink.abort().catch(() => undefined);
    await pool?.terminate();
    throw err;
  }
  for (const w of warnings) opts.warn?.(w);

  let et: ExifTool | null = null;
  // Closed once each: when their stage has ended, else when the run ends.
  const closing: Promise<unknown>[] = [];
  let poolClosed: Promise<unknown> | undefined;
  let exifToolClosed: Promise<unknown> | undefined;
  // (a failure to close is no reason to lose the run: it is settled here, not left unhandled)
  const closePool = () => (poolClosed ??= Promise.resolve(pool?.terminate()).catch(() => undefined));
  const closeExifTool = () => (exifToolClosed ??= Promise.resolve(et?.end()).catch(() => undefined));
  let status: RunCounts['status'] = 'failed';
  const tally = new Tally(stats);
  const progress = startProgress(stats, opts.progress ?? false);
  // The bar's total: a listing-only count of the roots, beside the scan (only when a bar is drawn)
  if (opts.progress) {
    void countMediaFiles(roots, spec.source.walk.exclude, opts.signal).then(
      (n) => (stats.counted = n),
      () => undefined,
    );
  }
  try {
    const exifSpec = stage('exif');
    if (exifSpec) {
      et = openExifTool({
        maxProcs: opts.sequential ? 1 : spec.concurrency.cpu,
        geolocation: exifSpec.options.geolocation,
        tags: exifSpec.options.tags,
      });
    }
    // Directories whose listing is as the last run left it are skipped unread (incremental rescan).
    const known = opts.full ? new Map<string, string>() : await sink.knownDirs();
    const incremental = {
      known,
      reads: readsKey(spec.stages),
      signal: opts.signal,
      onSkip: (dir: string, files: number, names: string[]) => {
        stats.skipped += files;
        tally.skippedDirs.add(dir);
        // archives in an unchanged folder are still not opened: the note stays on reruns
        for (const name of names) tally.archive(dir ? `${dir}/${name}` : name);
      },
    };
    const source = walk({ roots, followSymlinks: spec.source.walk.followSymlinks, exclude: spec.source.walk.exclude });
    const onAbort = () => source.stop();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.sequential) {
        await runSequential(spec, roots, source, sink, et, tally, incremental);
      } else {
        const io = spec.concurrency.io;
        const readNatively = fpSpec !== undefined && nativeExif(exifSpec);
        // A stage's helpers are let go as soon as it has passed on its last file: the last
        // batches, the removal of what is gone and the database's checkpoint then run without
        // the worker threads and ExifTool's perl processes (~60 MB each) beside them.
        const release = <T extends NodeJS.ReadableStream>(step: T, close: () => Promise<unknown>): T => {
          step.once('end', () => closing.push(close()));
          return step;
        };
        await pipeline([
          source,
          tally.walked(),
          sidecar({ roots, enabled: stage('sidecar') !== undefined, concurrency: io, ...incremental }),
          ...(fpSpec ? [release(fingerprint({ concurrency: io, pool, nativeExif: readNatively }), closePool)] : []),
          ...(exifSpec && et
            ? [
                release(
                  exif({
                    exiftool: et,
                    tags: exifSpec.options.tags,
                    filesPerRequest: exifSpec.options.filesPerRequest,
                    // two requests per ExifTool process keep each busy while the other's reply is parsed
                    concurrency: spec.concurrency.cpu * 2,
                    prewarm: readNatively ? 'first-file' : 'now',
                  }),
                  closeExifTool,
                ),
              ]
            : []),
          dirGate(),
          tally.stream(),
          batch(spec.batch),
          sinkStream(sink),
        ]);
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    status = opts.signal?.aborted ? 'interrupted' : 'completed';
    // Only a walk that saw everything can tell what is gone.
    if (status === 'completed') tally.removed = await sink.removeMissing(startedAt, tally.skippedDirs, partFolders);
  } finally {
    progress.stop();
    const counts = tally.counts(startedAt, status);
    closing.push(closePool(), closeExifTool());
    await Promise.allSettled(closing);
    if (status === 'failed') await sink.abort();
    else await sink.close(counts);
  }
  return {
    runId,
    pipeline: spec.name,
    mode,
    roots,
    counts: tally.counts(startedAt, status),
    stats,
    kinds: tally.kinds,
    sidecarsMatched: tally.sidecarsMatched,
    sidecarsUnmatched: tally.sidecarsUnmatched,
    exifNative: tally.exifNative,
    exifTool: tally.exifTool,
    firstErrors: tally.firstErrors,
    warnings,
    archives: tally.archives,
    firstArchives: tally.firstArchives,
    sink: sink.description,
  };
}

/**
 * What a run reads from each file, for the directory signatures: the stages and the options that
 * change what they write (not how fast: concurrency, files per request, native reading, whose
 * answers equal ExifTool's). A directory read by another pipeline, or with another tag list, is
 * read again.
 */
export function readsKey(stages: readonly StageSpec[]): string {
  return JSON.stringify(
    stages.map((s) => {
      if (s.name === 'exif') return { exif: { tags: s.options.tags, geolocation: s.options.geolocation } };
      if (s.name === 'fingerprint') return { fingerprint: s.options };
      return s.name;
    }),
  );
}

/**
 * The stages whose findings rows of earlier runs hold (`stored`, readsKey strings) and a run that
 * reads `ours` would write empty: a `fingerprint` scan into a database of `takeout` rows would
 * replace dated, paired rows with rows of size and CRC only (and store each sidecar as a file).
 */
export function lostStages(ours: string, stored: readonly string[]): string[] {
  const names = (reads: string): string[] => {
    try {
      const stages = JSON.parse(reads) as unknown;
      if (!Array.isArray(stages)) return [];
      return stages.map((s) => (typeof s === 'string' ? s : Object.keys(s as object)[0] ?? '')).filter(Boolean);
    } catch {
      return [];
    }
  };
  const have = new Set(names(ours));
  const lost = new Set<string>();
  for (const r of stored) for (const n of names(r)) if (!have.has(n)) lost.add(n);
  return [...lost];
}

/**
 * Whether the fingerprint pass reads plain JPEGs' EXIF itself: only for the default tag list, whose
 * fields it produces exactly as ExifTool would (jpeg-exif.ts), and never in the sequential
 * baseline, which asks ExifTool for every file as the design's sequential scanner does.
 */
function nativeExif(exifSpec: Extract<StageSpec, { name: 'exif' }> | undefined): boolean {
  return exifSpec !== undefined && exifSpec.options.native && exifSpec.options.tags === 'default';
}

/**
 * Roots must exist; a folder holding extracted export parts stands for those parts. `partFolders`
 * are the given roots that did: a part gone from one of them since an earlier run is removed.
 */
async function resolveRoots(given: string[]): Promise<{ roots: string[]; partFolders: string[] }> {
  for (const r of given) {
    let ok = false;
    try {
      ok = (await stat(r)).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new ShoeboxError('SHOEBOX_ROOT_MISSING', `root "${r}" is not a directory that can be read; check --root or the pipeline's source.walk.roots`);
  }
  // expandRoots root by root (one listing each), to know which given roots stood for parts
  const roots: string[] = [];
  const partFolders: string[] = [];
  for (const r of given) {
    const parts = await expandRoots([r]);
    // as the parts were joined to it (path.join: `./lib/` becomes `lib`)
    if (!(parts.length === 1 && parts[0] === r)) partFolders.push(dirname(parts[0]!));
    for (const p of parts) if (!roots.includes(p)) roots.push(p);
  }
  return { roots, partFolders };
}

/**
 * The seed's sequential scanner: one file at a time through every stage on the main thread, one
 * ExifTool process, one request per file, no pool. Kept as the baseline `npm run bench` compares
 * the parallel engine with, and for debugging.
 */
async function runSequential(
  spec: PipelineSpec,
  roots: string[],
  source: Readable,
  sink: Sink,
  et: ExifTool | null,
  tally: Tally,
  incremental: Pick<SidecarOptions, 'known' | 'reads' | 'onSkip' | 'signal'>,
): Promise<void> {
  const fp = spec.stages.some((s) => s.name === 'fingerprint');
  const exifSpec = spec.stages.find((s) => s.name === 'exif');
  const args = exifSpec?.name === 'exif' ? tagArgs(exifSpec.options.tags) : [];
  const pair = sidecar({ roots, enabled: spec.stages.some((s) => s.name === 'sidecar'), concurrency: 1, ...incremental });
  let pending: Array<MediaItem | TableRow> = [];
  const flush = async () => {
    if (pending.length) await sink.write(pending);
    pending = [];
  };
  const counted = tally.walked();
  // .pipe() does not forward errors; the loop below reads `pair`, so it must see them.
  source.on('error', (err) => pair.destroy(err));
  counted.on('error', (err) => pair.destroy(err));
  source.pipe(counted).pipe(pair);
  for await (const item of pair as AsyncIterable<Item>) {
    if (item.type === 'media') {
      if (fp) {
        try {
          applyFingerprint(item, await fingerprintFile(item.abs, item.size));
        } catch (err) {
          item.problems.push({ stage: 'fingerprint', message: `could not read the file: ${describeError(err)}` });
        }
      }
      if (et && item.size > 0) {
        try {
          const t = (await readTags(et, args, [item.abs])).get(item.abs);
          const problem = t ? tagsProblem(t) : null;
          if (problem) item.problems.push({ stage: 'exif', message: problem });
          if (t) item.exif = toExifFields(t);
        } catch (err) {
          item.problems.push({ stage: 'exif', message: `ExifTool: ${describeError(err)}` });
        }
      }
    }
    tally.see(item);
    if (item.type !== 'dir') pending.push(item);
    if (pending.length >= spec.batch.size) await flush();
  }
  await flush();
}

/** Archives a Takeout download comes in; shoebox reads the folders they extract to. */
const ARCHIVE_RE = /\.(zip|tgz|tar|tar\.gz|gz|bz2|xz|7z|rar)$/i;

/** Counts what passes towards the sink, for the progress bar, the summary and the `runs` row. */

class Tally {
  readonly kinds: Record<string, number> = {};
  /** Directories skipped as unchanged; their rows stay. */
  readonly skippedDirs = new Set<string>();
  removed = 0;
  sidecarsMatched = 0;
  sidecarsUnmatched = 0;
  /** Files whose EXIF was read in-process (JPEGs, jpeg-exif.ts), and by ExifTool. */
  exifNative = 0;
  exifTool = 0;
  readonly firstErrors: string[] = [];
  archives = 0;
  readonly firstArchives: string[] = [];
  constructor(readonly stats: RunStats) {}

  see(item: Item): void {
    const s = this.stats;
    if (item.type === 'media') {
      s.done++;
      s.bytes += item.size;
      const kind = mediaKind(item.fingerprint?.mime ?? null, item.exif?.mime ?? null, splitPath(item.path).ext);
      this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
      this.archive(item.path);
      if (item.exifNative) this.exifNative++;
      else if (item.exif) this.exifTool++;
      for (const p of item.problems) this.#error(`${item.path}: ${p.stage}: ${p.message}`);
    } else if (item.type === 'row') {
      if (item.table === 'errors') this.#error(`${String(item.row.path)}: ${String(item.row.stage)}: ${String(item.row.message)}`);
      if (item.table === 'sidecars') {
        s.sidecars++;
        if (item.row.kind === 'media') {
          if (item.row.matched) this.sidecarsMatched++;
          else this.sidecarsUnmatched++;
        }
      }
    }
  }

  /** Counts `path` if it is an archive (a Takeout download not extracted). */
  archive(path: string): void {
    if (!ARCHIVE_RE.test(path)) return;
    this.archives++;
    if (this.firstArchives.length < 3) this.firstArchives.push(path);
  }

  #error(line: string): void {
    this.stats.errors++;
    if (this.firstErrors.length < 5) this.firstErrors.push(line);
  }

  /** Counts the media files the walk finds (the bar's growing total). */
  walked(): Transform {
    return new Transform({
      objectMode: true,
      highWaterMark: 1,
      transform: (item: Item, _enc, done) => {
        if (item.type === 'dir') for (const f of item.files) if (!/\.json$/i.test(f.name)) this.stats.found++;
        done(null, item);
      },
    });
  }

  stream(): Transform {
    return new Transform({
      objectMode: true,
      highWaterMark: 1,
      transform: (item: Item, _enc, done) => {
        this.see(item);
        done(null, item);
      },
    });
  }

  counts(startedAt: Date, status: RunCounts['status']): RunCounts {
    const s = this.stats;
    return {
      files: s.done,
      skipped: s.skipped,
      removed: this.removed,
      errors: s.errors,
      sidecars: s.sidecars,
      bytes: s.bytes,
      startedAt,
      finishedAt: new Date(),
      status,
    };
  }
}
