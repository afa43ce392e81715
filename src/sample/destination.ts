/**
 * Where a generator writes: a fresh directory, built in a hidden sibling and renamed into place
 * when complete, with its manifest written beside it as `<dir>.manifest.json`. The manifest is
 * also the marker that lets a later run replace the directory: a generator never deletes a
 * directory that a manifest of its own does not claim.
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ShoeboxError } from '../errors.js';

export interface ManifestHead {
  generator: string;
  version: number;
}

export function manifestPath(dir: string): string {
  return path.resolve(dir) + '.manifest.json';
}

/** The head of the manifest beside `dir`, or null when there is none (or it is not ours). */
export async function readManifestHead(dir: string): Promise<ManifestHead | null> {
  try {
    const head = JSON.parse(await readFile(manifestPath(dir), 'utf8')) as Partial<ManifestHead>;
    return typeof head.generator === 'string' && typeof head.version === 'number'
      ? { generator: head.generator, version: head.version }
      : null;
  } catch {
    return null;
  }
}

/**
 * Checks that `dir` may be (re)written by `generator` and returns a fresh, empty staging
 * directory beside it. Allowed: `dir` missing, empty, or claimed by this generator's manifest.
 */
export async function stage(dir: string, generator: string): Promise<string> {
  const abs = path.resolve(dir);
  const entries = await readdir(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new ShoeboxError('SHOEBOX_OUTPUT_UNWRITABLE', `cannot read ${dir}: ${err.message}`, { cause: err });
  });
  if (entries.length > 0) {
    const head = await readManifestHead(abs);
    if (head?.generator !== generator) {
      throw new ShoeboxError(
        'SHOEBOX_OUTPUT_UNWRITABLE',
        `${dir} exists, is not empty and was not made by ${generator} (no ${path.basename(manifestPath(abs))} beside it); ` +
          'choose another directory or remove it yourself',
      );
    }
  }
  const staging = path.join(path.dirname(abs), `.${path.basename(abs)}.partial-${process.pid}`);
  await discard(staging);
  await mkdir(staging, { recursive: true });
  return staging;
}

/** Where a generator writes the manifest of a staging directory before publishing it. */
export function stagedManifestPath(staging: string): string {
  return staging + '.manifest.json';
}

/** Replaces `dir` and its manifest by the finished staging directory and its manifest. */
export async function publish(staging: string, dir: string): Promise<void> {
  const abs = path.resolve(dir);
  await rm(manifestPath(abs), { force: true });
  await rm(abs, { recursive: true, force: true });
  await rename(staging, abs);
  await rename(stagedManifestPath(staging), manifestPath(abs));
}

/** Removes a staging directory and its manifest after a failure. */
export async function discard(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  await rm(stagedManifestPath(staging), { force: true });
}
