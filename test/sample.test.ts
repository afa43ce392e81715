/**
 * The sample generators, checked with independent readers: jpeg-js and pngjs decode the
 * pictures, ExifTool reads back the metadata, file-type sniffs the MIME, node:zlib computes CRCs.
 */
import { ExifTool, type Tags } from 'exiftool-vendored';
import { fileTypeFromFile } from 'file-type';
import jpeg from 'jpeg-js';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as sampleCli } from '../src/sample/cli.js';
import { generateSample, SAMPLE_EXPORTED_AT, type SampleFile, type SampleManifest } from '../src/sample/generate.js';
import { generateLibrary, type LibraryPair } from '../src/sample/library.js';
import { formatTakeoutTime, mediaName, sidecarName, splitExt, type SidecarForm, type TakeoutLocale } from '../src/sample/naming.js';

let tmp: string;
let et: ExifTool;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-sample-test-'));
  et = new ExifTool({ maxProcs: 2 });
});

afterAll(async () => {
  await et?.end();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Every file below `dir`: '/'-separated relative path → bytes' CRC-32 and size. */
async function listFiles(dir: string): Promise<Map<string, { crc: number; size: number; mtimeMs: number }>> {
  const out = new Map<string, { crc: number; size: number; mtimeMs: number }>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    const bytes = await readFile(abs);
    const st = await stat(abs);
    out.set(path.relative(dir, abs).split(path.sep).join('/'), { crc: crc32(bytes), size: bytes.length, mtimeMs: st.mtimeMs });
  }
  return out;
}

/** Optional: decode the MP4s with ffmpeg where it is installed (it is not a dependency). */
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

describe('Takeout naming (RULES.md section 0, real names)', () => {
  it.each<[string, number, string]>([
    ['PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINAL.jpg', 0, 'PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg'],
    ['MSGR_PHOTO_FOR_UPLOAD_1522315122420.jpg_1522315122420.jpeg', 0, 'MSGR_PHOTO_FOR_UPLOAD_1522315122420.jpg_152231.jpeg'],
    ['Scan35.jpg', 1, 'Scan35(1).jpg'],
    ['IMG_3479.JPG', 1, 'IMG_3479(1).JPG'],
  ])('media %s (counter %i) → %s', (title, counter, name) => {
    expect(mediaName(title, counter)).toBe(name);
  });

  it.each<[string, SidecarForm, number, string]>([
    ['Screenshot_2022-10-28-09-31-43-118_com.snapchat.jpg', 'legacy', 0, 'Screenshot_2022-10-28-09-31-43-118_com.snapcha.json'],
    ['Urlaub in Knaufspesch in der Schneifel (38).JPG', 'legacy', 0, 'Urlaub in Knaufspesch in der Schneifel (38).JP.json'],
    ['PXL_20230814_201154491.LONG_EXPOSURE-01.COVER.jpg', 'legacy', 0, 'PXL_20230814_201154491.LONG_EXPOSURE-01.COVER..json'],
    ['PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINAL.jpg', 'legacy', 0, 'PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json'],
    ['IMG_3479.JPG', 'legacy', 1, 'IMG_3479.JPG(1).json'],
    ['20161105_170829.jpg', 'supplemental', 0, '20161105_170829.jpg.supplemental-metadata.json'],
    ['MVIMG_20191230_232926.jpg', 'supplemental', 0, 'MVIMG_20191230_232926.jpg.supplemental-metadat.json'],
    ['Screenshot_20200301-161151.png', 'supplemental', 0, 'Screenshot_20200301-161151.png.supplemental-me.json'],
    ['Screenshot_20231027_123303_Facebook.jpg', 'supplemental', 1, 'Screenshot_20231027_123303_Facebook.jpg.supple(1).json'],
    ['Scan35.jpg', 'supplemental', 1, 'Scan35.jpg.supplemental-metadata(1).json'],
    ['Screenshot_2024-08-31-00-53-48-647_com.snapchat.jpg', 'supplemental', 0, 'Screenshot_2024-08-31-00-53-48-647_com.snapcha.json'],
    ['😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛.jpg', 'legacy', 0, '😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋.json'],
  ])('sidecar of %s (%s, counter %i) → %s', (title, form, counter, name) => {
    expect(sidecarName(title, form, counter)).toBe(name);
  });

  it.each<[string, TakeoutLocale, string]>([
    ['2019-08-03T15:45:12Z', 'en-GB', '3 Aug 2019, 15:45:12 UTC'],
    ['2020-09-20T10:46:09Z', 'en', 'Sep 20, 2020, 10:46:09 AM UTC'],
    ['2023-09-22T15:45:25Z', 'fr', '22 sept. 2023, 15:45:25 UTC'],
    ['2017-08-11T08:20:26Z', 'pl', '11 sie 2017, 08:20:26 UTC'],
    ['2013-11-06T10:06:15Z', 'de', '06.11.2013, 10:06:15 UTC'],
  ])('formats %s in %s as %s', (at, locale, text) => {
    expect(formatTakeoutTime(new Date(at), locale)).toBe(text);
  });
});

const near = (a: number | undefined, b: number, eps = 1e-5) => a !== undefined && Math.abs(a - b) < eps;

describe('generateSample', () => {
  let dir: string;
  let files: SampleFile[];
  let firstRun: Map<string, { crc: number; size: number; mtimeMs: number }>;
  const abs = (rel: string) => path.join(dir, ...rel.split('/'));
  const media = () => files.filter((f) => f.kind === 'photo' || f.kind === 'video' || f.kind === 'broken');
  const byName = (name: string) => {
    const f = files.find((x) => path.posix.basename(x.path) === name);
    if (!f) throw new Error(`no ${name} in the sample`);
    return f;
  };

  beforeAll(async () => {
    dir = path.join(tmp, 'examples', 'takeout');
    await generateSample({ dir });
    firstRun = await listFiles(dir);
    // the second run replaces the first (a previous sample), and must write the same bytes
    ({ files } = await generateSample({ dir }));
  });

  it('is deterministic: a rerun writes the same files with the same CRCs and mtimes', async () => {
    const second = await listFiles(dir);
    expect([...second.keys()].sort()).toEqual([...firstRun.keys()].sort());
    for (const [rel, f] of second) expect(f, rel).toEqual(firstRun.get(rel));
    for (const f of second.values()) expect(f.mtimeMs).toBe(SAMPLE_EXPORTED_AT.getTime());
  });

  it('lists exactly the files it wrote, with their size and CRC, in <dir>.manifest.json', async () => {
    const onDisk = await listFiles(dir);
    expect(files.map((f) => f.path).sort()).toEqual([...onDisk.keys()].sort());
    for (const f of files) expect({ crc: f.crc32, size: f.size }, f.path).toEqual({ crc: onDisk.get(f.path)!.crc, size: onDisk.get(f.path)!.size });
    const fields = ['mime', 'exifTakenAt', 'exifLat', 'exifLon', 'make', 'model', 'sidecar', 'sidecarTakenAt', 'title', 'lat', 'lon',
      'favorited', 'archived', 'trashed', 'people', 'origin', 'folder', 'album'];
    for (const f of media()) expect(Object.keys(f.expect ?? {}), f.path).toEqual(expect.arrayContaining(fields));
    const manifest = JSON.parse(await readFile(`${dir}.manifest.json`, 'utf8')) as SampleManifest;
    expect(manifest.generator).toBe('shoebox-sample');
    expect(manifest.files).toEqual(files);
  });

  it('has the Takeout shape: year folders, an album with metadata.json, Trash and Archive', () => {
    const folders = new Set(files.map((f) => path.posix.dirname(f.path)));
    for (const f of ['Photos from 2019', 'Photos from 2021', 'Photos from 2024', 'Trip to Lisbon', 'Trash', 'Archive']) {
      expect(folders).toContain(`Takeout/Google Photos/${f}`);
    }
    const album = files.find((f) => f.kind === 'album-json')!;
    expect(album.path).toBe('Takeout/Google Photos/Trip to Lisbon/metadata.json');
    expect(album.expect?.items?.length).toBe(5);
    const photos = files.filter((f) => f.kind === 'photo' && f.expect?.mime === 'image/jpeg');
    expect(photos.length).toBeGreaterThanOrEqual(20);
    expect(photos.length).toBeLessThanOrEqual(32);
  });

  it('decodes every JPEG with jpeg-js and the PNG with pngjs, at the expected size', async () => {
    for (const f of media().filter((x) => x.expect?.mime?.startsWith('image/') && !x.expect.broken)) {
      const bytes = await readFile(abs(f.path));
      const img = f.expect!.mime === 'image/png' ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true });
      expect({ w: img.width, h: img.height }, f.path).toEqual({ w: f.expect!.width, h: f.expect!.height });
    }
  });

  it('gives distinct pictures distinct CRCs; album copies are byte-identical', () => {
    const originals = media().filter((f) => !f.expect?.copyOf);
    expect(new Set(originals.map((f) => f.crc32)).size).toBe(originals.length);
    for (const copy of media().filter((f) => f.expect?.copyOf)) {
      expect(copy.crc32, copy.path).toBe(files.find((f) => f.path === copy.expect!.copyOf)!.crc32);
    }
  });

  it('detects every media file by content as the manifest says (file-type)', async () => {
    for (const f of media()) {
      const type = await fileTypeFromFile(abs(f.path));
      expect(type?.mime ?? null, f.path).toBe(f.expect!.mime);
    }
  });

  it('reads back the EXIF written on every photo (ExifTool): date with offset, GPS, camera', async () => {
    const withExif = media().filter((f) => f.kind !== 'video' && f.expect?.exifTakenAt);
    expect(withExif.length).toBeGreaterThanOrEqual(20);
    for (const f of withExif) {
      const t: Tags = await et.read(abs(f.path));
      const x = f.expect!;
      const [local, offset] = [x.exifTakenAt!.slice(0, 19), x.exifTakenAt!.slice(19) || undefined];
      expect(String((t.DateTimeOriginal as { rawValue?: string })?.rawValue).slice(0, 19), f.path).toBe(local.replace(/-/g, ':').replace('T', ' '));
      expect(t.OffsetTimeOriginal, f.path).toBe(offset);
      expect({ make: t.Make ?? null, model: t.Model ?? null, lens: t.LensModel ?? null }, f.path).toEqual({ make: x.make, model: x.model, lens: x.lens });
      if (x.exifLat === null) {
        expect(t.GPSLatitude, f.path).toBeUndefined();
      } else {
        expect(near(t.GPSLatitude as number, x.exifLat!) && near(t.GPSLongitude as number, x.exifLon!), `${f.path} GPS`).toBe(true);
        expect(near(t.GPSAltitude as number, x.exifAlt!, 0.01), `${f.path} altitude ${t.GPSAltitude}`).toBe(true);
        expect(t.GPSAltitudeRef, f.path).toBe(x.exifAlt! < 0 ? 'Below Sea Level' : 'Above Sea Level');
        expect(t.GPSLatitudeRef, f.path).toBe(x.exifLat! < 0 ? 'S' : 'N');
        expect(t.GPSLongitudeRef, f.path).toBe(x.exifLon! < 0 ? 'W' : 'E');
      }
    }
    const offsets = new Set(withExif.map((f) => f.expect!.exifTakenAt!.slice(19)));
    expect([...offsets].some((o) => o.startsWith('-'))).toBe(true);
    expect([...offsets].some((o) => o.startsWith('+'))).toBe(true);
    const lats = withExif.map((f) => f.expect!.exifLat).filter((v): v is number => v !== null);
    expect(Math.min(...lats)).toBeLessThan(0);
    expect(Math.max(...lats)).toBeGreaterThan(0);
  });

  it('builds MP4s that file-type calls video/mp4 and ExifTool reads (duration, UTC create date, GPS)', async () => {
    const videos = media().filter((f) => f.kind === 'video');
    expect(videos.length).toBeGreaterThanOrEqual(2);
    for (const f of videos) {
      expect((await fileTypeFromFile(abs(f.path)))?.mime, f.path).toBe('video/mp4');
      const t: Tags = await et.read(abs(f.path));
      const x = f.expect!;
      expect(t.Duration, f.path).toBe(x.duration);
      expect(String((t.CreateDate as { rawValue?: string }).rawValue), f.path).toBe(x.exifTakenAt!.slice(0, 19).replace(/-/g, ':').replace('T', ' '));
      expect({ w: t.ImageWidth, h: t.ImageHeight }).toEqual({ w: x.width, h: x.height });
      expect(near(t.GPSLatitude as number, x.exifLat!) && near(t.GPSLongitude as number, x.exifLon!), `${f.path} GPS`).toBe(true);
      expect({ codec: t.CompressorID, fps: t.VideoFrameRate }, f.path).toEqual({ codec: 'avc1', fps: 2 });
    }
  });

  it.skipIf(!hasFfmpeg)('builds MP4s whose H.264 stream decodes without errors (ffmpeg)', () => {
    for (const f of media().filter((x) => x.kind === 'video')) {
      const run = spawnSync('ffmpeg', ['-v', 'error', '-i', abs(f.path), '-f', 'null', '-'], { encoding: 'utf8' });
      expect({ status: run.status, stderr: run.stderr }, f.path).toEqual({ status: 0, stderr: '' });
    }
  });

  it('has broken files: a truncated JPEG that jpeg-js rejects, and text behind .JPG', async () => {
    const broken = media().filter((f) => f.kind === 'broken');
    expect(broken.map((f) => f.expect!.broken).sort()).toEqual(['not-an-image', 'truncated']);
    const truncated = broken.find((f) => f.expect!.broken === 'truncated')!;
    const bytes = await readFile(abs(truncated.path));
    expect(() => jpeg.decode(bytes)).toThrow();
    const text = broken.find((f) => f.expect!.broken === 'not-an-image')!;
    expect(await fileTypeFromFile(abs(text.path))).toBeUndefined();
  });

  it('writes sidecars that parse, with Takeout value formats, and agree with the manifest', async () => {
    const sidecars = files.filter((f) => f.kind === 'sidecar');
    expect(sidecars.length).toBeGreaterThanOrEqual(20);
    for (const s of sidecars) {
      const j = JSON.parse(await readFile(abs(s.path), 'utf8'));
      expect(j.title, s.path).toBe(s.expect!.title);
      expect(j.photoTakenTime.timestamp).toMatch(/^\d+$/);
      expect(j.creationTime.timestamp).toMatch(/^\d+$/);
      expect(j.photoTakenTime.formatted).toMatch(/UTC$/);
      expect(new Date(Number(j.photoTakenTime.timestamp) * 1000).toISOString()).toBe(s.expect!.sidecarTakenAt);
      for (const m of s.expect!.media!) expect(files.find((f) => f.path === m)?.expect?.sidecar, m).toBe(s.path);
    }
    for (const f of media()) {
      if (!f.expect!.sidecar) continue;
      const j = JSON.parse(await readFile(abs(f.expect!.sidecar), 'utf8'));
      expect(path.posix.dirname(f.expect!.sidecar), f.path).toBe(path.posix.dirname(f.path));
      expect(j.title).toBe(f.expect!.title);
      const zero = j.geoData.latitude === 0 && j.geoData.longitude === 0;
      expect(zero ? null : j.geoData.latitude, f.path).toBe(f.expect!.lat);
      expect(j.favorited ?? false).toBe(f.expect!.favorited);
      expect((j.people ?? []).map((p: { name: string }) => p.name)).toEqual(f.expect!.people);
      expect(j.googlePhotosOrigin ? Object.keys(j.googlePhotosOrigin)[0] : null).toBe(f.expect!.origin);
    }
  });

  const NAMED_AS: [string, string, string][] = [
    ['IMG_20190803_174512.jpg', 'IMG_20190803_174512.jpg.json', 'legacy'],
    ['20240315_143022.jpg', '20240315_143022.jpg.supplemental-metadata.json', 'supplemental'],
    ['IMG_20240402_181530_BURST1.jpg', 'IMG_20240402_181530_BURST1.jpg.supplemental-me.json', 'supplemental-clipped'],
    ['Screenshot_20240527_220145_Instagram.jpg', 'Screenshot_20240527_220145_Instagram.jpg.suppl.json', 'supplemental-clipped'],
    ['Screenshot_2019-11-02-21-14-07-118_com.whatsapp.jpg', 'Screenshot_2019-11-02-21-14-07-118_com.whatsap.json', 'legacy-clipped'],
    ['PXL_20240809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg', 'PXL_20240809_203449253.LONG_EXPOSURE-02.ORIGIN.json', 'supplemental-clipped'],
    ['DSC_0101(1).JPG', 'DSC_0101.JPG(1).json', 'counter'],
    ['IMG_5123(1).jpg', 'IMG_5123.jpg.supplemental-metadata(1).json', 'counter'],
    ['PXL_20210613_101522456-edited.jpg', 'PXL_20210613_101522456.jpg.json', 'edited'],
    ['IMG_0420.MP4', 'IMG_0420.JPG.json', 'live-photo'],
    ['IMG_0420.JPG', 'IMG_0420.JPG.json', 'legacy'],
    ['Café à Montmartre.jpg', 'Café à Montmartre.jpg.json', 'legacy'],
  ];

  it.each(NAMED_AS)('names %s ↔ %s (%s)', (mediaFile, sidecarFile, naming) => {
    const f = files.find((x) => path.posix.basename(x.path) === mediaFile && x.expect?.folder !== 'album')!;
    expect(f).toBeDefined();
    expect(path.posix.basename(f.expect!.sidecar!)).toBe(sidecarFile);
    expect(f.expect!.naming).toBe(naming);
    expect(files.some((x) => x.path === f.expect!.sidecar)).toBe(true);
  });

  it('clips names as Takeout does: JSON stems at 46 UTF-16 units, media names at 51', () => {
    for (const f of media().filter((x) => x.expect?.sidecar)) {
      const json = path.posix.basename(f.expect!.sidecar!).replace(/(\(\d+\))?\.json$/, '');
      expect(json.length, f.expect!.sidecar!).toBeLessThanOrEqual(46);
      expect(path.posix.basename(f.path).replace(/\(\d+\)(?=\.[^.]+$)/, '').length).toBeLessThanOrEqual(51);
    }
  });

  it('covers the special cases: one JSON for a live pair, no JSON for -edited, no sidecar, date drift, 0,0, flags', () => {
    const dirOf = (name: string) => path.posix.dirname(byName(name).path);
    const in2019 = files.filter((f) => path.posix.dirname(f.path) === dirOf('IMG_0420.JPG')).map((f) => path.posix.basename(f.path));
    expect(in2019.filter((n) => n.startsWith('IMG_0420'))).toEqual(['IMG_0420.JPG', 'IMG_0420.JPG.json', 'IMG_0420.MP4']);
    expect(files.some((f) => f.path.includes('-edited') && f.kind === 'sidecar')).toBe(false);
    expect(media().filter((f) => f.expect!.sidecar === null).map((f) => path.posix.basename(f.path))).toEqual(['scan_0001.jpg']);
    const drift = media().filter((f) => {
      const x = f.expect!;
      return x.exifTakenAt && x.sidecarTakenAt && Math.abs(Date.parse(x.exifTakenAt) - Date.parse(x.sidecarTakenAt)) > 86_400_000;
    });
    expect(drift.map((f) => path.posix.basename(f.path))).toEqual(['P1010033.JPG']);
    expect(byName('IMG_20190505_090000.jpg').expect).toMatchObject({ lat: null, lon: null, exifLat: null });
    expect(byName('IMG_20190803_174512.jpg').expect).toMatchObject({ favorited: true, people: ['Alice'], origin: 'mobileUpload' });
    expect(byName('IMG_3002.JPG').expect!.origin).toBe('fromPartnerSharing');
    expect(byName('IMG_20240620_120000.jpg').expect).toMatchObject({ folder: 'trash', trashed: true });
    expect(byName('IMG_20240105_080808.jpg').expect).toMatchObject({ folder: 'archive', archived: true });
    expect(files.some((f) => /[^\x00-\x7f]/.test(f.path) && f.kind === 'photo')).toBe(true);
  });

  it('includes JSON that is not a sidecar', async () => {
    const print = byName('print-subscriptions.json');
    expect(print.kind).toBe('other');
    const j = JSON.parse(await readFile(abs(print.path), 'utf8'));
    expect(j.photoTakenTime).toBeUndefined();
    expect(j.title).toBeUndefined();
  });

  it('cli: does nothing when this version is there, refuses a foreign directory', async () => {
    const before = (await stat(`${dir}.manifest.json`)).mtimeMs;
    expect(await sampleCli(['--dir', dir, '--quiet'])).toBe(0);
    expect((await stat(`${dir}.manifest.json`)).mtimeMs).toBe(before);
    const foreign = path.join(tmp, 'foreign');
    await mkdir(foreign, { recursive: true });
    await writeFile(path.join(foreign, 'precious.txt'), 'keep me');
    await expect(generateSample({ dir: foreign })).rejects.toMatchObject({ code: 'SHOEBOX_OUTPUT_UNWRITABLE' });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await sampleCli(['--dir', foreign, '--quiet', '--force'])).toBe(1);
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/not empty and was not made by shoebox-sample/);
    } finally {
      stderr.mockRestore();
    }
    expect(await readFile(path.join(foreign, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('generateLibrary', () => {
  let dir: string;
  let pairs: LibraryPair[];
  let result: Awaited<ReturnType<typeof generateLibrary>>;

  beforeAll(async () => {
    dir = path.join(tmp, 'library');
    result = await generateLibrary({ dir, files: 300, parts: 3 });
    pairs = (JSON.parse(await readFile(`${dir}.manifest.json`, 'utf8')) as { pairs: LibraryPair[] }).pairs;
  });

  it('writes 300 distinct, valid JPEGs over 3 parts', async () => {
    const onDisk = await listFiles(dir);
    const jpegs = [...onDisk.keys()].filter((p) => /\.jpe?g$/i.test(p));
    expect(jpegs.length).toBe(300);
    expect(result.media).toBe(300);
    expect(new Set(jpegs.map((p) => onDisk.get(p)!.crc)).size).toBe(300);
    expect(new Set(jpegs.map((p) => p.split('/')[0]))).toEqual(new Set(['Takeout', 'Takeout 2', 'Takeout 3']));
    for (const p of jpegs) {
      const img = jpeg.decode(await readFile(path.join(dir, ...p.split('/'))), { useTArray: true });
      expect(img.width * img.height, p).toBeGreaterThan(0);
    }
    expect(result.bytes).toBe([...onDisk.entries()].reduce((n, [, f]) => n + f.size, 0));
  });

  it('pairs every media file with a sidecar in its folder, sometimes in another part', async () => {
    expect(pairs.map((p) => p.media).sort()).toEqual((await jsonless(dir)).sort());
    const sidecars = pairs.filter((p) => p.sidecar);
    expect(sidecars.length).toBeGreaterThan(270);
    expect(new Set(pairs.filter((p) => p.naming !== 'edited' && p.sidecar).map((p) => p.sidecar)).size).toBe(result.sidecars);
    const rest = (p: string) => p.split('/').slice(1);
    let split = 0;
    for (const p of sidecars) {
      expect(rest(p.sidecar!).slice(0, -1), p.media).toEqual(rest(p.media).slice(0, -1));
      if (p.sidecar!.split('/')[0] !== p.media.split('/')[0]) split++;
      const j = JSON.parse(await readFile(path.join(dir, ...p.sidecar!.split('/')), 'utf8'));
      const name = path.posix.basename(p.media);
      const counter = Number(/\((\d+)\)\.[^.]+$/.exec(name)?.[1] ?? 0);
      const { stem, ext } = splitExt(j.title);
      const expected = p.naming === 'edited' ? mediaName(`${stem}-edited.${ext}`) : mediaName(j.title, counter);
      expect(name, p.sidecar!).toBe(expected);
    }
    expect(split).toBeGreaterThan(0);
    expect(split).toBeLessThan(sidecars.length / 2);
    const namings = new Set(pairs.map((p) => p.naming));
    for (const n of ['legacy', 'supplemental', 'supplemental-clipped', 'legacy-clipped']) expect(namings).toContain(n);
  });

  it('writes EXIF that agrees with the sidecar time (ExifTool, every 10th file)', async () => {
    let agree = 0;
    let checked = 0;
    for (const p of pairs.filter((_, i) => i % 10 === 0 && _.sidecar)) {
      const t: Tags = await et.read(path.join(dir, ...p.media.split('/')));
      const j = JSON.parse(await readFile(path.join(dir, ...p.sidecar!.split('/')), 'utf8'));
      const raw = (t.DateTimeOriginal as { rawValue: string }).rawValue.slice(0, 19);
      const exifInstant = Date.parse(raw.replace(/^(\d+):(\d+):(\d+) /, '$1-$2-$3T') + t.OffsetTimeOriginal);
      checked++;
      if (exifInstant === Number(j.photoTakenTime.timestamp) * 1000) agree++;
      expect(t.ImageUniqueID, p.media).toMatch(/^[0-9a-f]{32}$/);
      expect((t.CreateDate as { rawValue: string }).rawValue, p.media).toBe((t.DateTimeOriginal as { rawValue: string }).rawValue);
      expect(JSON.stringify(t), `${p.media} keeps no placeholder`).not.toMatch(/2000[:-]01[:-]01/);
      if (t.GPSLatitude !== undefined && j.geoData.latitude !== 0) expect(near(t.GPSLatitude as number, j.geoData.latitude, 1e-4), p.media).toBe(true);
    }
    expect(agree).toBeGreaterThanOrEqual(checked - 2);
  });

  it('tiny: many small valid JPEGs, and the same bytes for the same seed', async () => {
    const a = path.join(tmp, 'tiny-a');
    const b = path.join(tmp, 'tiny-b');
    await generateLibrary({ dir: a, files: 120, parts: 2, tiny: true, seed: 7 });
    await generateLibrary({ dir: b, files: 120, parts: 2, tiny: true, seed: 7 });
    const fa = await listFiles(a);
    const fb = await listFiles(b);
    expect([...fb.entries()]).toEqual([...fa.entries()]);
    for (const p of [...fa.keys()].filter((x) => /\.jpe?g$/i.test(x))) {
      const img = jpeg.decode(await readFile(path.join(a, ...p.split('/'))), { useTArray: true });
      expect(Math.max(img.width, img.height), p).toBeLessThanOrEqual(16);
    }
  });
});

async function jsonless(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.endsWith('.json')) out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  return out;
}
