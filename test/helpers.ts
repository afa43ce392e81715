import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll } from 'vitest';
import type { RawTags } from '../src/stages/exif-fields.js';
import jpeg from 'jpeg-js';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'shoebox-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A real baseline JPEG of w×h pixels whose content depends on `seed`. */
export function makeJpeg(w: number, h: number, seed: number): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      data[i] = (x * 7 + seed * 31) & 255;
      data[i + 1] = (y * 5 + seed * 17) & 255;
      data[i + 2] = ((x ^ y) + seed) & 255;
      data[i + 3] = 255;
    }
  }
  return jpeg.encode({ data, width: w, height: h }, 85).data;
}

/** Writes files given as { 'a/b.jpg': Buffer | string } below `root`. */
export async function writeTree(root: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

/** Collects everything a readable stream emits. */
export async function collect<T>(stream: AsyncIterable<unknown>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x as T);
  return out;
}

/** The launcher the tests run as a user would (dist/ is built by `pretest`). */
export const BIN = fileURLToPath(new URL('../bin/shoebox', import.meta.url));

const execFileAsync = promisify(execFile);

/** Runs `bin/shoebox …`; rejects, like execFile, when it exits non-zero. */
export function shoebox(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
}

export type Row = Record<string, unknown>;

/**
 * Rows of `sql` as JSON-like objects, from a database opened read-only (or ':memory:', for a
 * scratch database that reads files), in UTC.
 */
export async function readDb(db: string, sql: string): Promise<Row[]> {
  const inst = await DuckDBInstance.create(db, db === ':memory:' ? {} : { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/**
 * For a suite that holds generated files against ExifTool: writes them to a temporary folder and
 * keeps one ExifTool process, both for the suite's tests (call inside describe).
 */
export function generatedFilesForExifTool(files: Array<{ name: string; bytes: Buffer }>): { et: () => ExifTool; path: (name: string) => string } {
  let et: ExifTool;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    et = new ExifTool({ maxProcs: 1 });
    tmp = await tempDir();
    for (const f of files) await writeFile(join(tmp.dir, f.name), f.bytes);
  });
  afterAll(async () => {
    await et.end();
    await tmp.cleanup();
  });
  return { et: () => et, path: (name) => join(tmp.dir, name) };
}

/** ExifTool's tags for a file as a native reader must give them: without SourceFile and Warning (not stored). */
export function comparable(tags: RawTags): RawTags {
  const { SourceFile, Warning, ...rest } = tags;
  if (SourceFile === undefined) throw new Error('not a file ExifTool answered for');
  return rest;
}
