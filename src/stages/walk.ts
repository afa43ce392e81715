import { Readable } from 'node:stream';
import { readdir, stat, lstat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import type { Directory, TableRow, WalkedFile } from '../types.js';

export interface WalkOptions {
  roots: string[];
  followSymlinks?: boolean;
  /** Entry names to skip anywhere in the tree. */
  exclude?: string[];
  /** stat() calls in flight while listing one directory. */
  statConcurrency?: number;
}

/**
 * Walks several roots as one library: the same relative directory in every root is read at the
 * same time and emitted as one `Directory` (Takeout puts a photo and its sidecar in different
 * parts). Directories are read one at a time, on demand, depth first: the tree is never listed up
 * front, and a slow consumer stops the walk (highWaterMark 1).
 */
export function walk(opts: WalkOptions): Readable & { stop(): void } {
  return new Walk(opts);
}

class Walk extends Readable {
  readonly #roots: string[];
  readonly #follow: boolean;
  readonly #exclude: Set<string>;
  readonly #statConcurrency: number;
  /** Relative directories still to read, deepest last. */
  readonly #pending: string[] = [''];
  /** dev:ino of directories entered through links, per root, so link loops end. */
  readonly #seen = new Set<string>();
  #reading = false;
  #stopped = false;

  constructor(opts: WalkOptions) {
    super({ objectMode: true, highWaterMark: 1 });
    if (opts.roots.length === 0) throw new RangeError('walk needs at least one root');
    this.#roots = opts.roots;
    this.#follow = opts.followSymlinks ?? false;
    this.#exclude = new Set(opts.exclude ?? []);
    this.#statConcurrency = opts.statConcurrency ?? 64;
  }

  /** Ends the walk after the directory being read: what was already emitted still flows on. */
  stop(): void {
    this.#stopped = true;
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#next().then(
      () => {
        this.#reading = false;
      },
      (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  }

  async #next(): Promise<void> {
    // Keep reading until something was pushed: empty directories emit nothing.
    for (;;) {
      const rel = this.#stopped ? undefined : this.#pending.pop();
      if (rel === undefined) {
        this.push(null);
        return;
      }
      const { dir, errors, subdirs } = await this.#readDir(rel);
      for (const d of subdirs.sort().reverse()) this.#pending.push(rel ? `${rel}/${d}` : d);
      let more = true;
      for (const e of errors) more = this.push(e) && more;
      if (dir.files.length > 0) more = this.push(dir) && more;
      if (errors.length > 0 || dir.files.length > 0) return;
    }
  }

  async #readDir(rel: string): Promise<{ dir: Directory; errors: TableRow[]; subdirs: string[] }> {
    const files: WalkedFile[] = [];
    const errors: TableRow[] = [];
    const subdirs = new Set<string>();
    const fail = (rootIndex: number, path: string, err: unknown, what?: string) =>
      errors.push(walkError(this.#roots[rootIndex]!, path, what ?? describeError(err)));

    await Promise.all(
      this.#roots.map(async (root, rootIndex) => {
        const absDir = rel ? join(root, rel) : root;
        let entries: Dirent[];
        try {
          entries = await readdir(absDir, { withFileTypes: true });
        } catch (err) {
          // A relative directory that exists in only some parts is normal for a split export.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail(rootIndex, rel, err);
          return;
        }
        const candidates: Dirent[] = [];
        for (const e of entries) {
          if (this.#exclude.has(e.name)) continue;
          if (e.isDirectory()) subdirs.add(e.name);
          else candidates.push(e);
        }
        await mapLimit(candidates, this.#statConcurrency, async (e) => {
          const abs = join(absDir, e.name);
          const path = rel ? `${rel}/${e.name}` : e.name;
          let st: Stats;
          try {
            st = e.isSymbolicLink() && this.#follow ? await stat(abs) : await lstat(abs);
          } catch (err) {
            fail(rootIndex, path, err, e.isSymbolicLink() ? `broken symbolic link (${describeError(err)})` : undefined);
            return;
          }
          if (st.isSymbolicLink()) {
            fail(rootIndex, path, null, 'symbolic link, not followed (set walk.followSymlinks to follow links)');
          } else if (st.isDirectory()) {
            // Only reachable through a followed link: enter each real directory once.
            const key = `${rootIndex}:${st.dev}:${st.ino}`;
            if (this.#seen.has(key)) fail(rootIndex, path, null, 'symbolic link loop, not entered again');
            else {
              this.#seen.add(key);
              subdirs.add(e.name);
            }
          } else if (st.isFile()) {
            files.push({ rootIndex, name: e.name, abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
          } else {
            fail(rootIndex, path, null, 'not a regular file (device, socket or pipe), skipped');
          }
        });
      }),
    );
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.rootIndex - b.rootIndex));
    return { dir: { type: 'dir', rel, files }, errors, subdirs: [...subdirs] };
  }
}

function walkError(root: string, path: string, message: string): TableRow {
  return { type: 'row', table: 'errors', row: { root, path, stage: 'walk', message, at: new Date() } };
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
