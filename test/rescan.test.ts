import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN, makeJpeg, readDb, shoebox, tempDir, writeTree } from './helpers.js';

const execFileAsync = promisify(execFile);

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

describe('a rescan by another pipeline, or with another tag list', () => {
  let lib: string;
  let file: string;
  beforeAll(async () => {
    lib = join(dir, 'other-pipeline');
    file = join(dir, 'other-pipeline.duckdb');
    await writeTree(lib, {
      'Photos from 2022/IMG_1.jpg': makeJpeg(24, 16, 1),
      'Photos from 2022/IMG_1.jpg.json': JSON.stringify({ title: 'IMG_1.jpg', photoTakenTime: { timestamp: '1650000000' } }),
      'Photos from 2022/IMG_2.jpg': makeJpeg(24, 16, 2),
      'Photos from 2022/IMG_2.jpg.json': JSON.stringify({ title: 'IMG_2.jpg', photoTakenTime: { timestamp: '1650000100' } }),
    });
  });
  const run = async (pipeline: string, ...extra: string[]) =>
    JSON.parse((await shoebox('run', pipeline, '--root', lib, '--db', file, '--json', '--no-progress', ...extra)).stdout) as Record<string, unknown>;

  it('reads a folder again that a fingerprint scan read, so the takeout scan stores its sidecars and dates', async () => {
    expect(await run('fingerprint')).toMatchObject({ status: 'completed', skipped: 0 });
    expect(await readDb(file, 'SELECT count(*)::INT AS n, count(sidecar)::INT AS paired, count(taken_at)::INT AS dated FROM media')).toEqual([
      { n: 4, paired: 0, dated: 0 },
    ]);
    // The same listing, another pipeline: nothing may be skipped.
    expect(await run('takeout')).toMatchObject({ status: 'completed', files: 2, skipped: 0 });
    expect(await readDb(file, 'SELECT path, sidecar, taken_at IS NOT NULL AS dated FROM media ORDER BY path')).toEqual([
      { path: 'Photos from 2022/IMG_1.jpg', sidecar: 'Photos from 2022/IMG_1.jpg.json', dated: true },
      { path: 'Photos from 2022/IMG_2.jpg', sidecar: 'Photos from 2022/IMG_2.jpg.json', dated: true },
    ]);
    // Run again as it was: skipped now.
    expect(await run('takeout')).toMatchObject({ files: 0, skipped: 2 });
  });

  it('refuses a pipeline that would replace those rows with rows without sidecars or EXIF, and changes nothing', async () => {
    const before = await readDb(file, 'SELECT path, sidecar, taken_at, scanned_at FROM media ORDER BY path');
    for (const [pipeline, lost] of [['fingerprint', 'the sidecar stage and the exif stage'], ['photos', 'the sidecar stage']] as const) {
      const r = await shoebox('run', pipeline, '--root', lib, '--db', file, '--no-progress').then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(r?.code).toBe(1);
      expect(r?.stderr).toContain(`${file} holds rows of these roots from a scan that also read ${lost}; the "${pipeline}" pipeline does not`);
      expect(r?.stderr).toContain(`--db ${pipeline}.duckdb`);
    }
    expect(await readDb(file, 'SELECT path, sidecar, taken_at, scanned_at FROM media ORDER BY path')).toEqual(before);
    // into another database it runs
    expect(await run('fingerprint', '--db', join(dir, 'other-pipeline-fp.duckdb'))).toMatchObject({ status: 'completed' });
  });

  it('reads a folder again when the exif tag list changed', async () => {
    expect(await run('takeout', '--set', 'pipelines.takeout.stages=[sidecar, fingerprint, {exif: {tags: [Make, Model]}}]')).toMatchObject({
      files: 2,
      skipped: 0,
    });
  });
});

describe('albums that are gone', () => {
  it('removes the albums row of a deleted album folder, and of one whose metadata is gone, and keeps the rest', async () => {
    const lib = join(dir, 'albums');
    const file = join(dir, 'albums.duckdb');
    const meta = (title: string) => JSON.stringify({ title, description: '', access: '', date: { timestamp: '1600000000' } });
    await writeTree(lib, {
      'Trip/IMG_1.jpg': makeJpeg(24, 16, 21),
      'Trip/metadata.json': meta('Trip'),
      'Party/IMG_2.jpg': makeJpeg(24, 16, 22),
      'Party/metadata.json': meta('Party'),
      'Hike/IMG_3.jpg': makeJpeg(24, 16, 23),
      'Hike/metadata.json': meta('Hike'),
    });
    const run = async () => JSON.parse((await shoebox('run', 'takeout', '--root', lib, '--db', file, '--json', '--no-progress')).stdout);
    const albums = async () => (await readDb(file, 'SELECT dir FROM albums ORDER BY dir')).map((r) => String(r.dir));
    await run();
    expect(await albums()).toEqual(['Hike', 'Party', 'Trip']);
    await rm(join(lib, 'Party'), { recursive: true });
    await rm(join(lib, 'Trip', 'metadata.json'));
    expect(await run()).toMatchObject({ status: 'completed' });
    // what a fresh scan of the tree as it is now writes
    const fresh = join(dir, 'albums-fresh.duckdb');
    await shoebox('run', 'takeout', '--root', lib, '--db', fresh, '--no-progress');
    const freshAlbums = (await readDb(fresh, 'SELECT dir FROM albums ORDER BY dir')).map((r) => String(r.dir));
    expect(await albums()).toEqual(freshAlbums);
    expect(freshAlbums).toContain('Hike');
    expect(freshAlbums).not.toContain('Party');
  });

  it("leaves another library's albums alone, an empty one included", async () => {
    const a = join(dir, 'albums-a');
    const b = join(dir, 'albums-b');
    const file = join(dir, 'albums-ab.duckdb');
    const meta = (title: string) => JSON.stringify({ title, description: '', access: '', date: { timestamp: '1600000000' } });
    await writeTree(a, { 'Trip/IMG_1.jpg': makeJpeg(24, 16, 31), 'Trip/metadata.json': meta('Trip'), 'Empty/metadata.json': meta('Empty') });
    await writeTree(b, { 'Photos from 2021/IMG_2.jpg': makeJpeg(24, 16, 32) });
    const albums = async () => (await readDb(file, 'SELECT dir FROM albums ORDER BY dir')).map((r) => String(r.dir));
    await shoebox('run', 'takeout', '--root', a, '--db', file, '--no-progress');
    expect(await albums()).toEqual(['Empty', 'Trip']);
    await shoebox('run', 'takeout', '--root', b, '--db', file, '--no-progress');
    expect(await albums()).toEqual(['Empty', 'Trip']);
    await shoebox('run', 'takeout', '--root', a, '--db', file, '--no-progress');
    expect(await albums()).toEqual(['Empty', 'Trip']);
  });
});

describe('an export part deleted from the folder given as the root', () => {
  it('removes the rows of the part that is gone, and keeps the others', async () => {
    const folder = join(dir, 'parts');
    const file = join(dir, 'parts.duckdb');
    await writeTree(folder, {
      'Takeout/Google Photos/Photos from 2020/A.jpg': makeJpeg(24, 16, 3),
      'Takeout/Google Photos/Photos from 2020/A.jpg.json': JSON.stringify({ title: 'A.jpg' }),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg': makeJpeg(24, 16, 4),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg.json': JSON.stringify({ title: 'B.jpg' }),
      'Takeout 2/Google Photos/Photos from 2020/broken.json': '{',
    });
    const run = async () => JSON.parse((await shoebox('run', 'takeout', '--root', folder, '--db', file, '--json', '--no-progress')).stdout);
    const roots = async (t: string) => (await readDb(file, `SELECT DISTINCT root FROM ${t} ORDER BY root`)).map((r) => String(r.root));
    expect(await run()).toMatchObject({ files: 2, removed: 0 });
    expect(await roots('media')).toEqual([join(folder, 'Takeout'), join(folder, 'Takeout 2')]);
    expect(await roots('errors')).toEqual([join(folder, 'Takeout 2')]);

    await rm(join(folder, 'Takeout 2'), { recursive: true });
    expect(await run()).toMatchObject({ status: 'completed', removed: 1 });
    for (const t of ['media', 'sidecars', 'errors']) {
      expect((await roots(t)).filter((r) => r.endsWith('Takeout 2'))).toEqual([]);
    }
    expect(await readDb(file, 'SELECT path FROM media')).toEqual([{ path: 'Google Photos/Photos from 2020/A.jpg' }]);
  });

  it('with the root given as `.` from inside the folder too', async () => {
    const folder = join(dir, 'parts-dot');
    const file = join(dir, 'parts-dot.duckdb');
    await writeTree(folder, {
      'Takeout/Google Photos/Photos from 2020/A.jpg': makeJpeg(24, 16, 7),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg': makeJpeg(24, 16, 8),
    });
    const run = async () =>
      JSON.parse((await execFileAsync(process.execPath, [BIN, 'run', 'takeout', '--root', '.', '--db', file, '--json', '--no-progress'], { cwd: folder })).stdout);
    expect(await run()).toMatchObject({ files: 2, roots: ['Takeout', 'Takeout 2'] });
    await rm(join(folder, 'Takeout 2'), { recursive: true });
    expect(await run()).toMatchObject({ status: 'completed', removed: 1 });
    expect(await readDb(file, 'SELECT root, path FROM media')).toEqual([{ root: 'Takeout', path: 'Google Photos/Photos from 2020/A.jpg' }]);
  });

  it('refuses a pipeline that reads less on one part given alone, as on the whole', async () => {
    const folder = join(dir, 'parts-less');
    const file = join(dir, 'parts-less.duckdb');
    await writeTree(folder, {
      'Takeout/Google Photos/Photos from 2020/A.jpg': makeJpeg(24, 16, 9),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg': makeJpeg(24, 16, 10),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg.json': JSON.stringify({ title: 'B.jpg', photoTakenTime: { timestamp: '1600000000' } }),
    });
    await shoebox('run', 'takeout', '--root', folder, '--db', file, '--no-progress');
    expect(await readDb(file, 'SELECT count(sidecar)::INT AS paired FROM media')).toEqual([{ paired: 1 }]);
    const r = await shoebox('run', 'photos', '--root', join(folder, 'Takeout 2'), '--db', file, '--no-progress').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stderr).toContain('also read the sidecar stage');
    expect(await readDb(file, 'SELECT count(sidecar)::INT AS paired FROM media')).toEqual([{ paired: 1 }]);
  });

  it('leaves the rows of a part when only another part is given as the root', async () => {
    const folder = join(dir, 'parts-one');
    const file = join(dir, 'parts-one.duckdb');
    await writeTree(folder, {
      'Takeout/Google Photos/Photos from 2020/A.jpg': makeJpeg(24, 16, 5),
      'Takeout 2/Google Photos/Photos from 2020/B.jpg': makeJpeg(24, 16, 6),
    });
    await shoebox('run', 'takeout', '--root', folder, '--db', file, '--json', '--no-progress');
    const r = JSON.parse((await shoebox('run', 'takeout', '--root', join(folder, 'Takeout'), '--db', file, '--json', '--no-progress')).stdout);
    expect(r).toMatchObject({ status: 'completed', removed: 0 });
    expect((await readDb(file, 'SELECT count(*)::INT AS n FROM media'))[0]).toEqual({ n: 2 });
  });
});

describe('a first scan into a new database, then a rescan into the same one', () => {
  let lib: string;
  let file: string;
  beforeAll(async () => {
    lib = join(dir, 'first-scan');
    file = join(dir, 'first-scan.duckdb');
    const files: Record<string, Buffer | string> = {};
    for (let i = 0; i < 4; i++) {
      files[`Photos from 2021/IMG_${i}.jpg`] = makeJpeg(24, 16, i);
      files[`Photos from 2021/IMG_${i}.jpg.json`] = JSON.stringify({ title: `IMG_${i}.jpg`, photoTakenTime: { timestamp: String(1.6e9 + i) } });
      files[`Trip/IMG_${i}.jpg`] = makeJpeg(24, 16, 10 + i);
    }
    files['Trip/metadata.json'] = JSON.stringify({ title: 'Trip', description: '', access: '', date: { timestamp: '1600000000' } });
    files['Trip/broken.json'] = '{';
    await writeTree(lib, files);
    // Two names that are not UTF-8 and differ only in the invalid byte: two errors rows of the walk
    // (`bad\xff.jpg`, `bad\xfe.jpg`). A key repeated within a run is tested on the writer itself
    // (test/duckdb-sink.test.ts).
    for (const b of [0xff, 0xfe]) {
      await writeFile(Buffer.concat([Buffer.from(join(lib, 'Trip') + '/bad'), Buffer.from([b]), Buffer.from('.jpg')]), 'x');
    }
  });

  const snapshot = async () => ({
    media: await readDb(file, 'SELECT root, path, size, crc32, mime, album, sidecar, title, taken_at FROM media ORDER BY ALL'),
    sidecars: await readDb(file, 'SELECT root, path, kind, title, matched, media_path, matches FROM sidecars ORDER BY ALL'),
    albums: await readDb(file, 'SELECT * EXCLUDE (scanned_at) FROM albums ORDER BY ALL'),
    album_items: await readDb(file, 'SELECT dir, root, path FROM album_items ORDER BY ALL'),
    dirs: await readDb(file, 'SELECT roots, dir, signature, files FROM dirs ORDER BY ALL'),
    errors: await readDb(file, 'SELECT root, path, stage FROM errors ORDER BY ALL'),
  });

  it('writes every row once, in batches of one, and a full rescan leaves the same rows', async () => {
    const run = async (...extra: string[]) =>
      JSON.parse((await shoebox('run', 'takeout', '--root', lib, '--db', file, '--json', '--no-progress', '--batch', '1', ...extra)).stdout);
    expect(await run()).toMatchObject({ status: 'completed', files: 8, skipped: 0 });
    const first = await snapshot();
    expect(first.media.length).toBe(8);
    expect(first.sidecars.length).toBe(6);
    expect(first.albums).toMatchObject([{ dir: 'Trip', title: 'Trip', date: '2020-09-13 12:26:40+00', metadata: 'Trip/metadata.json' }]);
    expect(first.album_items.length).toBe(4);
    expect(first.dirs.map((d) => d.dir)).toEqual(['Photos from 2021', 'Trip']);
    expect(first.errors.map((e) => [e.path, e.stage])).toEqual([
      ['Trip/bad\\xfe.jpg', 'walk'],
      ['Trip/bad\\xff.jpg', 'walk'],
      ['Trip/broken.json', 'sidecar'],
    ]);
    expect(await run('--full')).toMatchObject({ status: 'completed', files: 8, skipped: 0, removed: 0 });
    expect(await snapshot()).toEqual(first);
    expect((await readDb(file, 'SELECT count(*)::INTEGER AS n FROM runs'))[0]?.n).toBe(2);
  });
});
