import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 as oracle } from 'crc';
import { fingerprintFile } from '../src/stages/fingerprint-file.js';
import { createFingerprintPool, fingerprint } from '../src/stages/fingerprint.js';
import type { MediaItem } from '../src/types.js';
import { collect, makeJpeg, tempDir } from './helpers.js';
import { PNG } from 'pngjs';

let dir: string;
let cleanup: () => Promise<void>;
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  files['photo.jpg'] = makeJpeg(64, 48, 1);
  files['image.png'] = PNG.sync.write(png);
  files['png_named_as.jpg'] = PNG.sync.write(png);
  // 2.5 chunks: the running CRC must carry across the 1 MB reads.
  files['big.bin'] = randomBytes(2.5 * 1024 * 1024);
  files['text.jpg'] = Buffer.from('this is not an image\n');
  files['empty.jpg'] = Buffer.alloc(0);
  const whole = makeJpeg(120, 90, 7);
  files['truncated.jpg'] = whole.subarray(0, Math.floor(whole.length * 0.6));
  // A motion photo: a whole JPEG with a video appended after its end marker.
  files['motion.jpg'] = Buffer.concat([whole, box('ftyp', Buffer.from('mp42\0\0\0\0mp42isom')), box('mdat', Buffer.alloc(500, 1))]);
  files['clip.mp4'] = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41')), box('moov', Buffer.alloc(64)), box('mdat', Buffer.alloc(300, 2))]);
  const cut = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41')), box('moov', Buffer.alloc(64)), box('mdat', Buffer.alloc(300, 2))]);
  files['cut.mp4'] = cut.subarray(0, cut.length - 100);
  for (const [name, buf] of Object.entries(files)) await writeFile(join(dir, name), buf);
});
afterAll(() => cleanup());

const expectedMime: Record<string, string | null> = {
  'photo.jpg': 'image/jpeg',
  'image.png': 'image/png',
  'png_named_as.jpg': 'image/png',
  'big.bin': null,
  'text.jpg': null,
  'empty.jpg': null,
  'truncated.jpg': 'image/jpeg',
  'motion.jpg': 'image/jpeg',
  'clip.mp4': 'video/mp4',
  'cut.mp4': 'video/mp4',
};

/** An ISO-BMFF box: 32-bit size, type, payload. */
function box(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

describe('fingerprintFile', () => {
  it.each(Object.keys(expectedMime))('%s: CRC-32 agrees with the crc package, MIME from content', async (name) => {
    const fp = await fingerprintFile(join(dir, name), files[name]!.length);
    // crc.crc32(buf) with no running value: crc32(buf, 0) would be a different (wrong) CRC.
    expect(fp.crc32).toBe(files[name]!.length ? oracle(files[name]!) : 0);
    expect(fp.mime).toBe(expectedMime[name]);
    expect(fp.bytes).toBe(files[name]!.length);
  });

  it.each([
    ['truncated.jpg', /truncated JPEG: the image data stops before the end-of-image marker/],
    ['cut.mp4', /truncated: the 'mdat' box runs 100 bytes past the end of the file/],
    ['motion.jpg', null],
    ['clip.mp4', null],
    ['photo.jpg', null],
  ])('structure check of %s', async (name, problem) => {
    const fp = await fingerprintFile(join(dir, name));
    if (problem) expect(fp.problem).toMatch(problem);
    else expect(fp.problem).toBeNull();
  });

  it('flags an empty file and a file whose size changed since the walk', async () => {
    expect((await fingerprintFile(join(dir, 'empty.jpg'), 0)).problem).toBe('empty file (0 bytes)');
    expect((await fingerprintFile(join(dir, 'photo.jpg'), 1)).problem).toMatch(/changed while it was read/);
  });
});

function item(name: string, size: number): MediaItem {
  return {
    type: 'media', rootIndex: 0, root: dir, path: name, abs: join(dir, name), size, mtimeMs: 0,
    folder: 'other', album: null, sidecar: null, fingerprint: null, exif: null, problems: [],
  };
}

describe('fingerprint stage', () => {
  it('gives the same results in the worker pool as on the main thread, and records unreadable files', async () => {
    const names = [...Object.keys(files), 'missing.jpg'];
    const make = async () => Promise.all(names.map(async (n) => item(n, files[n] ? (await stat(join(dir, n))).size : 5)));
    const pool = createFingerprintPool(2);
    try {
      const pooled = await collect<MediaItem>(Readable.from(await make()).pipe(fingerprint({ concurrency: 3, pool })));
      const local = await collect<MediaItem>(Readable.from(await make()).pipe(fingerprint({ concurrency: 1, pool: null })));
      const key = (xs: MediaItem[]) => Object.fromEntries(xs.map((x) => [x.path, [x.fingerprint, x.problems]]));
      expect(key(pooled)).toEqual(key(local));
      const missing = pooled.find((x) => x.path === 'missing.jpg')!;
      expect(missing.fingerprint).toBeNull();
      expect(missing.problems[0]!.message).toMatch(/could not read the file: ENOENT/);
      expect(pooled.find((x) => x.path === 'photo.jpg')!.fingerprint).toEqual({ crc32: oracle(files['photo.jpg']!), mime: 'image/jpeg' });
    } finally {
      await pool.terminate();
    }
  });
});
