import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'crc';
import { MEDIA } from '../src/db/schema.js';
import { generateSample, type SampleFile } from '../src/sample/generate.js';
import { readDb, shoebox, tempDir, type Row } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let files: SampleFile[];
let db: string;
let summary: Record<string, unknown>;
let media: Map<string, Row>;
let errors: Row[];

const rows = (sql: string) => readDb(db, sql);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('shoebox-e2e-'));
  ({ files } = await generateSample({ dir: join(dir, 'library') }));
  db = join(dir, 'out', 'photos.duckdb');
  await mkdir(join(dir, 'out'));
  const { stdout } = await shoebox('run', 'takeout', '--root', join(dir, 'library'), '--db', db, '--json', '--no-progress');
  summary = JSON.parse(stdout);
  media = new Map((await rows('SELECT * FROM media')).map((r) => [`${r.path}`, r]));
  errors = await rows('SELECT * FROM errors');
}, 180_000);
afterAll(() => cleanup());

/** The sample's paths start with Takeout/, which the run recognises as an export part (the root). */
const rel = (p: string) => p.replace(/^Takeout\//, '');
const mediaFiles = () => files.filter((f) => ['photo', 'video', 'broken'].includes(f.kind) || (f.kind === 'other' && !f.path.endsWith('.json')));

describe('shoebox run takeout on the generated sample', () => {
  it('completes, recognises the Takeout part as the root, and writes one row per media file', () => {
    expect(summary.status).toBe('completed');
    expect(summary.roots).toEqual([join(dir, 'library', 'Takeout')]);
    expect([...media.keys()].sort()).toEqual(mediaFiles().map((f) => rel(f.path)).sort());
    expect(summary.files).toBe(media.size);
  });

  it('stores size and CRC-32 that agree with an independent CRC implementation', async () => {
    for (const f of mediaFiles()) {
      const bytes = await readFile(join(dir, 'library', f.path));
      const row = media.get(rel(f.path))!;
      expect(Number(row.size), f.path).toBe(bytes.length);
      expect(Number(row.crc32), f.path).toBe(bytes.length ? crc32(bytes) : 0);
    }
  });

  it('sniffs MIME from content and reads EXIF dates, GPS and camera', () => {
    for (const f of files.filter((x) => x.kind === 'photo' || x.kind === 'video' || x.kind === 'broken')) {
      const row = media.get(rel(f.path))!;
      const e = f.expect!;
      expect(row.mime ?? null, f.path).toBe(e.mime ?? null);
      expect(row.kind, f.path).toBe(e.mime?.startsWith('video/') ? 'video' : e.mime?.startsWith('image/') ? 'photo' : 'other');
      if (f.kind === 'broken') continue;
      expect(row.exif_taken_at ?? null, f.path).toBe(e.exifTakenAt ?? null);
      if (e.exifLat != null) {
        expect(Number(row.exif_lat), f.path).toBeCloseTo(e.exifLat, 5);
        expect(Number(row.exif_lon), f.path).toBeCloseTo(e.exifLon!, 5);
      } else expect(row.exif_lat ?? null, f.path).toBeNull();
      expect(row.make ?? null, f.path).toBe(e.make ?? null);
      expect(row.model ?? null, f.path).toBe(e.model ?? null);
      if (e.duration != null) expect(Number(row.duration), f.path).toBeCloseTo(e.duration, 1);
      if (e.width != null) expect([Number(row.width), Number(row.height)], f.path).toEqual([e.width, e.height]);
    }
  });

  it('pairs every file with its sidecar and reads the sidecar fields', () => {
    for (const f of mediaFiles().filter((x) => x.expect)) {
      const row = media.get(rel(f.path))!;
      const e = f.expect!;
      expect(row.sidecar ?? null, f.path).toBe(e.sidecar ? rel(e.sidecar) : null);
      if (!e.sidecar) continue;
      expect(row.match_rule, f.path).toBeTruthy();
      expect(row.title, f.path).toBe(e.title);
      expect(new Date(String(row.sidecar_taken_at)).toISOString(), f.path).toBe(e.sidecarTakenAt);
      if (e.lat != null) expect(Number(row.lat), f.path).toBeCloseTo(e.lat, 5);
      else expect(row.lat ?? null, f.path).toBeNull();
      expect([row.favorited, row.archived, row.trashed], f.path).toEqual([e.favorited ?? false, e.archived ?? false, e.trashed ?? false]);
      expect(row.people ?? [], f.path).toEqual(e.people ?? []);
      expect(row.origin ?? null, f.path).toBe(e.origin ?? null);
      if (e.folder) expect(row.folder, f.path).toBe(e.folder);
    }
  });

  it('reconciles taken_at: EXIF with an offset first, then the sidecar', () => {
    for (const f of mediaFiles().filter((x) => x.kind !== 'broken' && x.expect)) {
      const row = media.get(rel(f.path))!;
      const e = f.expect!;
      const exifInstant = e.exifTakenAt && /[+-]\d\d:\d\d$/.test(e.exifTakenAt) ? new Date(e.exifTakenAt).toISOString() : null;
      const expected = exifInstant ?? e.sidecarTakenAt ?? (e.exifTakenAt ? new Date(e.exifTakenAt + 'Z').toISOString() : null);
      expect(row.taken_at ? new Date(String(row.taken_at)).toISOString() : null, f.path).toBe(expected);
    }
  });

  it('records each broken file in errors and still gives it a row', () => {
    for (const f of files.filter((x) => x.kind === 'broken')) {
      expect(media.has(rel(f.path)), f.path).toBe(true);
      expect(errors.filter((e) => e.path === rel(f.path)).length, f.path).toBeGreaterThan(0);
    }
    expect(summary.errors).toBe(errors.length);
  });

  it('fills the sidecars, albums and album_items tables', async () => {
    const sidecars = await rows('SELECT path, kind, matched FROM sidecars');
    const jsons = files.filter((f) => f.path.endsWith('.json'));
    expect(sidecars.length).toBe(jsons.length);
    for (const j of files.filter((f) => f.kind === 'sidecar')) {
      expect(sidecars.find((s) => s.path === rel(j.path)), j.path).toMatchObject({ kind: 'media', matched: true });
    }
    const album = files.find((f) => f.kind === 'album-json')!;
    const albums = await rows('SELECT * FROM albums');
    expect(albums).toContainEqual(expect.objectContaining({ title: album.expect!.title }));
    const items = await rows('SELECT path FROM album_items ORDER BY path');
    expect(items.map((i) => i.path)).toEqual((album.expect!.items as string[]).map(rel).sort());
    // a sidecar shared by an edit and its original, or by a live photo's two halves, names the
    // original (the edit sorts first in the listing)
    const shared = await rows(
      `SELECT s.path, s.matches, s.media_path, s.match_rule, m.match_rule AS media_rule FROM sidecars s JOIN media m ON m.root = s.media_root AND m.path = s.media_path WHERE s.matches > 1 ORDER BY s.path`,
    );
    expect(shared.map((r) => r.media_path)).toEqual(expect.arrayContaining([expect.stringMatching(/PXL_20210613_101522456\.jpg$/)]));
    for (const r of shared) {
      expect(r.media_path, String(r.path)).not.toMatch(/-edited\.|\.mov$/i);
      expect(r.match_rule).toBe(r.media_rule);
    }
  });

  it('a second run upserts: no duplicate rows, one more runs row', async () => {
    await shoebox('run', 'takeout', '--root', join(dir, 'library'), '--db', db, '--json', '--no-progress');
    const [{ n, distinct }] = (await rows('SELECT count(*) AS n, count(DISTINCT (root, path)) AS distinct FROM media')) as Array<{ n: unknown; distinct: unknown }>;
    expect(Number(n)).toBe(media.size);
    expect(Number(distinct)).toBe(media.size);
    const runs = await rows('SELECT status, files FROM runs');
    expect(runs.length).toBe(2);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
  }, 120_000);

  it('the sequential baseline writes the same rows as the parallel engine', async () => {
    const seqDb = join(dir, 'out', 'sequential.duckdb');
    const { stdout } = await shoebox('run', 'takeout', '--root', join(dir, 'library'), '--db', seqDb, '--sequential', '--json', '--no-progress');
    // The parallel run read the plain JPEGs' EXIF in-process; the baseline asked ExifTool for
    // every file: equal rows are the proof that the two readers agree on this library.
    expect((summary.exif as { native: number }).native).toBeGreaterThan(10);
    expect(JSON.parse(stdout).exif).toEqual({ native: 0, exiftool: expect.any(Number) });
    const cols = MEDIA.columns.map((c) => c.name).filter((c) => c !== 'scanned_at').join(', ');
    const parallel = await rows(`SELECT ${cols} FROM media ORDER BY root, path`);
    expect(parallel.length).toBe(media.size);
    expect(await readDb(seqDb, `SELECT ${cols} FROM media ORDER BY root, path`)).toEqual(parallel);
    const errs = 'SELECT root, path, stage, message FROM errors ORDER BY ALL';
    expect(await readDb(seqDb, errs)).toEqual(await rows(errs));
  }, 120_000);

  it('exif native: false sends every file to ExifTool, with the same rows', async () => {
    const db2 = join(dir, 'out', 'exiftool-only.duckdb');
    const set = 'pipelines.takeout.stages=[sidecar, fingerprint, {exif: {tags: default, native: false}}]';
    const { stdout } = await shoebox('run', 'takeout', '--root', join(dir, 'library'), '--db', db2, '--set', set, '--json', '--no-progress');
    expect(JSON.parse(stdout).exif).toEqual({ native: 0, exiftool: (summary.exif as { native: number; exiftool: number }).native + (summary.exif as { exiftool: number }).exiftool });
    const cols = MEDIA.columns.map((c) => c.name).filter((c) => c !== 'scanned_at').join(', ');
    expect(await readDb(db2, `SELECT ${cols} FROM media ORDER BY root, path`)).toEqual(await rows(`SELECT ${cols} FROM media ORDER BY root, path`));
  }, 120_000);
});
