import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generateLibrary, type LibraryPair } from '../src/sample/library.js';
import { makeJpeg, readDb, shoebox, tempDir, writeTree, type Row } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let lib: string;
let pairs: LibraryPair[];

async function scan(db: string, roots: string[]): Promise<Row[]> {
  await shoebox('run', 'takeout', ...roots.flatMap((r) => ['--root', r]), '--db', db, '--no-progress');
  return readDb(db, 'SELECT root, path, sidecar, sidecar_root, match_rule FROM media');
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-parts-'));
  lib = join(dir, 'export');
  const made = await generateLibrary({ dir: lib, files: 900, parts: 3, seed: 11 });
  pairs = (JSON.parse(await readFile(made.manifest, 'utf8')) as { pairs: LibraryPair[] }).pairs;
}, 240_000);
afterAll(() => cleanup());

/** Each row's media and sidecar as paths below the export folder, to compare with the generator's pairs. */
function asPairs(rows: Row[]): Map<string, string | null> {
  return new Map(
    rows.map((r) => {
      const media = relative(lib, join(String(r.root), String(r.path)));
      const sidecar = r.sidecar ? relative(lib, join(String(r.sidecar_root ?? r.root), String(r.sidecar))) : null;
      return [media, sidecar];
    }),
  );
}

describe('an export in three parts', () => {
  it('really has sidecars in other parts than their photos', () => {
    const part = (p: string) => p.split('/')[0];
    const crossing = pairs.filter((p) => p.sidecar && part(p.sidecar) !== part(p.media));
    expect(crossing.length).toBeGreaterThan(pairs.length / 10);
  });

  it.each([
    ['the folder that holds the parts', () => [lib]],
    ['three --root options', () => ['Takeout', 'Takeout 2', 'Takeout 3'].map((p) => join(lib, p))],
  ])('given as %s, pairs every file with its own sidecar and nothing else', async (_how, roots) => {
    const rows = await scan(join(dir, `${_how.length}.duckdb`), roots());
    const got = asPairs(rows);
    expect(got.size).toBe(pairs.length);
    const wrong = pairs.filter((p) => got.get(p.media) !== p.sidecar).map((p) => `${p.media}: want ${p.sidecar}, got ${got.get(p.media)}`);
    expect(wrong).toEqual([]);
  }, 240_000);
});

describe('macOS (NFD) names', () => {
  it('pairs a decomposed file name with a composed sidecar name, and the other way round', async () => {
    const root = join(dir, 'nfd');
    const nfd = 'Café été.jpg'.normalize('NFD');
    const nfc = 'Crème brûlée.jpg'.normalize('NFC');
    await writeTree(root, {
      [`Photos from 2019/${nfd}`]: makeJpeg(16, 16, 1),
      [`Photos from 2019/${nfd.normalize('NFC')}.json`]: JSON.stringify({ title: 'Café été.jpg', photoTakenTime: { timestamp: '1560000000' } }),
      [`Photos from 2019/${nfc}`]: makeJpeg(16, 16, 2),
      [`Photos from 2019/${nfc.normalize('NFD')}.supplemental-metadata.json`]: JSON.stringify({ title: 'Crème brûlée.jpg', photoTakenTime: { timestamp: '1560000001' } }),
    });
    const rows = await scan(join(dir, 'nfd.duckdb'), [root]);
    expect(rows.map((r) => [String(r.path).normalize('NFC'), String(r.sidecar).normalize('NFC')]).sort()).toEqual([
      ['Photos from 2019/Café été.jpg', 'Photos from 2019/Café été.jpg.json'],
      ['Photos from 2019/Crème brûlée.jpg', 'Photos from 2019/Crème brûlée.jpg.supplemental-metadata.json'],
    ]);
    // The paths stay as they are on disk.
    expect(rows.some((r) => r.path === `Photos from 2019/${nfd}`)).toBe(true);
  }, 120_000);
});
