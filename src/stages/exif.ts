import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { ExifTool, ExifToolTask } from 'exiftool-vendored';
import { describeError } from '../errors.js';
import { isMedia } from './fingerprint.js';
import { ParallelTransform } from './parallel.js';
import { toExifFields, type RawTags } from './exif-fields.js';
import type { MediaItem } from '../types.js';

export { parseExifDate, toExifFields, type RawTags } from './exif-fields.js';

export interface ExifOptions {
  exiftool: ExifTool;
  /** Tag names, or 'default' (config/tags.default.json), or 'all'. */
  tags: string[] | 'default' | 'all';
  /** Files per ExifTool request; 1 gives the sequential baseline's one request per file. */
  filesPerRequest: number;
  /** Requests in flight; ExifTool runs them on its `maxProcs` processes. */
  concurrency: number;
  /** The longest a file waits for its request to fill up. */
  maxWaitMs?: number;
  /**
   * Start the first ExifTool process when the stage is built ('now'), or when the first file that
   * needs it arrives ('first-file': most files of a JPEG library are read natively, and an
   * ExifTool that is never asked costs ~30 MB and 0.3 s of CPU).
   */
  prewarm?: 'now' | 'first-file';
}


/** Reads the tags of many files in one ExifTool request (≈4x the files/s of one per request). */
class ReadManyTask extends ExifToolTask<Map<string, RawTags>> {
  constructor(args: string[]) {
    super(args);
  }
  protected parse(data: string, err?: Error): Map<string, RawTags> {
    // Per-file failures ("File is empty", "File not found") arrive on stderr as `err` while the
    // other files' JSON is fine: only a request with no usable output fails as a whole.
    let parsed: unknown;
    try {
      parsed = data.trim() === '' ? [] : JSON.parse(data);
    } catch (jsonErr) {
      throw err ?? jsonErr;
    }
    const out = new Map<string, RawTags>();
    for (const t of parsed as RawTags[]) out.set(String(t.SourceFile), t);
    const notFound = /^Error: (.*?) - (.*)$/;
    for (const line of this.errors.concat(err ? [err.message] : [])) {
      const m = notFound.exec(line.trim());
      if (m && !out.has(m[2]!)) out.set(m[2]!, { SourceFile: m[2], Error: m[1] });
    }
    return out;
  }
}

export function defaultTags(): string[] {
  const file = new URL('../../config/tags.default.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { tags: string[] }).tags;
}

export function tagArgs(tags: ExifOptions['tags']): string[] {
  const list = tags === 'default' ? defaultTags() : tags;
  // -n: numbers, not prose ("53 deg 22' N"); -fast: no scan for JPEG trailers.
  const base = ['-json', '-n', '-fast', '-api', 'LargeFileSupport=1'];
  return list === 'all' ? base : [...base, ...list.map((t) => `-${t}`), '-SourceFile'];
}

/**
 * Reads the given absolute paths; a path ExifTool returned nothing for maps to an Error entry.
 * The results are keyed by the paths given.
 */
export async function readTags(et: ExifTool, args: string[], files: string[]): Promise<Map<string, RawTags>> {
  // Absolute paths only: a name starting with '-' can then never read as an option.
  if (!files.some(unsendable)) return et.enqueueTask(() => new ReadManyTask([...args, ...files]));
  // ExifTool takes its arguments one a line: a name with a line break would arrive as two names.
  // Such a file is read through a symbolic link with a plain name (its extension kept, which
  // ExifTool's type detection starts from) in a private temporary folder, removed afterwards.
  const out = new Map<string, RawTags>();
  let dir: string | undefined;
  try {
    // the name ExifTool is given for each file (none when no link could be made)
    const names: Array<string | undefined> = [];
    for (const [i, f] of files.entries()) {
      if (!unsendable(f)) {
        names.push(f);
        continue;
      }
      try {
        dir ??= await mkdtemp(join(resolve(tmpdir()), 'shoebox-exif-'));
        const ext = extname(f);
        const link = join(dir, `${i}${unsendable(ext) ? '' : ext}`);
        await symlink(f, link);
        names.push(link);
      } catch (err) {
        names.push(undefined);
        out.set(f, { SourceFile: f, [OWN_ERROR]: `its name has a line break, and no link with a plain name could be made for ExifTool in the temporary folder (${describeError(err)})` });
      }
    }
    const sent = names.filter((n): n is string => n !== undefined);
    const got = sent.length ? await et.enqueueTask(() => new ReadManyTask([...args, ...sent])) : new Map<string, RawTags>();
    for (const [i, f] of files.entries()) {
      const name = names[i];
      const t = name === undefined ? undefined : got.get(name);
      if (t) out.set(f, name === f ? t : { ...t, SourceFile: f });
    }
    return out;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Where readTags puts a file's problem that is shoebox's, not ExifTool's answer (a key with a
 * colon: ExifTool's -json without -G never writes one). */
const OWN_ERROR = 'shoebox:error';

/** A file's problem in what readTags returned for it, as an `errors` row says it; null for none. */
export function tagsProblem(t: RawTags): string | null {
  if (typeof t[OWN_ERROR] === 'string') return t[OWN_ERROR];
  return typeof t.Error === 'string' ? `ExifTool: ${t.Error}` : null;
}

/** Names ExifTool cannot be sent as they are (its argument channel is newline-separated). */
const unsendable = (path: string) => /[\r\n]/.test(path);

/**
 * Gathers media items into requests of `filesPerRequest` files, runs up to `concurrency`
 * requests on ExifTool's process pool, and fills each item's `exif`. A request that fails as a
 * whole is retried one file at a time, so one bad file never costs its neighbours their tags.
 */
export function exif(opts: ExifOptions): ParallelTransform<MediaItem[], MediaItem[]> {
  const args = tagArgs(opts.tags);
  const et = opts.exiftool;
  // ExifTool processes start on demand, and perl takes ~0.3 s to compile ExifTool: ask for the
  // version now so the first process is ready by the time the walk, the sidecars and the
  // fingerprint pool deliver the first full request (measured: ~1 s sooner on 1,000 files).
  const warm = () => void et.version().catch(() => undefined);
  if (opts.prewarm !== 'first-file') warm();
  const onFirst = opts.prewarm === 'first-file' ? warm : () => {};
  return new ExifBatcher(opts.filesPerRequest, opts.maxWaitMs ?? 200, opts.concurrency, onFirst, async (items) => {
    const files = items.filter((i) => i.size > 0).map((i) => i.abs);
    let tags: Map<string, RawTags>;
    try {
      tags = files.length ? await readTags(et, args, files) : new Map();
    } catch (err) {
      if (files.length === 1) {
        tags = new Map([[files[0]!, { Error: describeError(err) }]]);
      } else {
        tags = new Map();
        for (const f of files) {
          try {
            for (const [k, v] of await readTags(et, args, [f])) tags.set(k, v);
          } catch (e) {
            tags.set(f, { Error: describeError(e) });
          }
        }
      }
    }
    for (const item of items) applyTags(item, tags.get(item.abs));
    return items;
  });
}

function applyTags(item: MediaItem, t: RawTags | undefined): void {
  if (item.size === 0) return;
  if (!t) {
    item.problems.push({ stage: 'exif', message: 'ExifTool returned nothing for this file' });
    return;
  }
  const problem = tagsProblem(t);
  if (problem) item.problems.push({ stage: 'exif', message: problem });
  item.exif = toExifFields(t);
}

/**
 * Collects media items into groups of `size` (or whatever arrived within `maxWaitMs`) and runs
 * `work` on up to `concurrency` groups at once. Other items pass through.
 */
class ExifBatcher extends ParallelTransform<MediaItem[], MediaItem[]> {
  #group: MediaItem[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #size: number;
  readonly #maxWaitMs: number;
  #onFirst: (() => void) | null;

  constructor(
    size: number,
    maxWaitMs: number,
    concurrency: number,
    onFirst: () => void,
    work: (items: MediaItem[]) => Promise<MediaItem[]>,
  ) {
    super({ concurrency, accept: (x): x is MediaItem[] => Array.isArray(x), work });
    this.#size = Math.max(1, size);
    this.#maxWaitMs = maxWaitMs;
    this.#onFirst = onFirst;
  }

  override _transform(item: unknown, enc: BufferEncoding, done: (err?: Error | null, out?: unknown) => void): void {
    // Read already (a plain JPEG the fingerprint pass read natively): nothing for ExifTool.
    if (!isMedia(item) || item.exif) {
      super._transform(item, enc, done);
      return;
    }
    if (this.#onFirst) {
      this.#onFirst();
      this.#onFirst = null;
    }
    this.#group.push(item);
    if (this.#group.length >= this.#size) {
      this.#send(done);
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      if (this.#group.length) this.#send(() => {});
    }, this.#maxWaitMs);
    done();
  }

  override _flush(done: (err?: Error | null) => void): void {
    if (this.#group.length) this.#send(() => super._flush(done));
    else super._flush(done);
  }

  #send(done: (err?: Error | null) => void): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const group = this.#group;
    this.#group = [];
    super._transform(group, 'utf8', done);
  }

  override push(chunk: unknown): boolean {
    // Results come back as groups; downstream stages see single items again.
    if (Array.isArray(chunk)) {
      let ok = true;
      for (const item of chunk) ok = super.push(item) && ok;
      return ok;
    }
    return super.push(chunk);
  }
}
