import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { makeJpeg, readDb, shoebox, tempDir, writeTree } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let root: string;
let db: string;

async function scan(...extra: string[]): Promise<Record<string, number | string>> {
  const { stdout } = await shoebox('run', 'takeout', '--root', root, '--db', db, '--json', '--no-progress', ...extra);
  return JSON.parse(stdout);
}

async function paths(): Promise<string[]> {
  return (await readDb(db, 'SELECT path FROM media ORDER BY path')).map((r) => String(r.path));
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-rescan-'));
  root = join(dir, 'lib');
  db = join(dir, 'rescan.duckdb');
  const files: Record<string, Buffer | string> = {};
  for (const year of [2018, 2019, 2020]) {
    for (let i = 0; i < 5; i++) {
      files[`Photos from ${year}/IMG_${year}_${i}.jpg`] = makeJpeg(24, 16, year + i);
      files[`Photos from ${year}/IMG_${year}_${i}.jpg.json`] = JSON.stringify({ title: `IMG_${year}_${i}.jpg`, photoTakenTime: { timestamp: String(1.5e9 + i) } });
    }
  }
  await writeTree(root, files);
});
afterAll(() => cleanup());

describe('incremental rescans', () => {
  it('reads everything once, then skips an unchanged library without reading a file', async () => {
    const first = await scan();
    expect(first).toMatchObject({ files: 15, skipped: 0, removed: 0 });
    const second = await scan();
    expect(second).toMatchObject({ status: 'completed', files: 0, skipped: 15, removed: 0, bytes: 0 });
    expect((await paths()).length).toBe(15);
  });

  it('reads again the directory of a changed file, and only that one', async () => {
    const f = join(root, 'Photos from 2019', 'IMG_2019_2.jpg');
    await appendFile(f, Buffer.from([0]));
    await utimes(f, new Date(), new Date('2030-01-01T00:00:00Z'));
    const r = await scan();
    expect(r).toMatchObject({ files: 5, skipped: 10, removed: 0 });
  });

  it('removes the rows of deleted files and of a deleted folder', async () => {
    await rm(join(root, 'Photos from 2018', 'IMG_2018_0.jpg'));
    await rm(join(root, 'Photos from 2020'), { recursive: true });
    const r = await scan();
    expect(r).toMatchObject({ files: 4, skipped: 5, removed: 6 });
    const left = await paths();
    expect(left.length).toBe(9);
    expect(left.some((p) => p.startsWith('Photos from 2020/'))).toBe(false);
    expect(left).not.toContain('Photos from 2018/IMG_2018_0.jpg');
  });

  it('--full reads every directory again', async () => {
    const r = await scan('--full');
    expect(r).toMatchObject({ files: 9, skipped: 0, removed: 0 });
  });
});
