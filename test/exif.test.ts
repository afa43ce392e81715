import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ExifTool } from 'exiftool-vendored';
import { exif, parseExifDate, readTags, tagArgs, tagsProblem, toExifFields } from '../src/stages/exif.js';
import type { MediaItem } from '../src/types.js';
import { collect, makeJpeg, tempDir } from './helpers.js';

describe('parseExifDate', () => {
  it.each([
    ['2019:08:03 17:45:12', { local: '2019-08-03T17:45:12', offset: null }],
    ['2019:08:03 17:45:12+02:00', { local: '2019-08-03T17:45:12', offset: '+02:00' }],
    ['2019:08:03 17:45:12.345-0700', { local: '2019-08-03T17:45:12.345', offset: '-07:00' }],
    ['2019:08:03 17:45:12Z', { local: '2019-08-03T17:45:12', offset: '+00:00' }],
    ['0000:00:00 00:00:00', null],
    ['', null],
    [20190803, null],
  ])('%s', (input, expected) => {
    expect(parseExifDate(input)).toEqual(expected);
  });
});

describe('toExifFields', () => {
  it.each([
    [
      'photo with offset tag',
      { DateTimeOriginal: '2021:06:01 10:00:00', OffsetTimeOriginal: '-03:00', CreateDate: '2020:01:01 00:00:00', MIMEType: 'image/jpeg' },
      { takenAtLocal: '2021-06-01T10:00:00', offset: '-03:00', dateTag: 'DateTimeOriginal' },
    ],
    [
      'photo without DateTimeOriginal falls back to CreateDate',
      { CreateDate: '2020:01:01 08:00:00', OffsetTimeDigitized: '+05:30', MIMEType: 'image/jpeg' },
      { takenAtLocal: '2020-01-01T08:00:00', offset: '+05:30', dateTag: 'CreateDate' },
    ],
    [
      'QuickTime CreateDate is UTC',
      { CreateDate: '2017:02:22 08:20:28', MIMEType: 'video/mp4' },
      { takenAtLocal: '2017-02-22T08:20:28', offset: '+00:00', dateTag: 'CreateDate' },
    ],
    [
      'Apple CreationDate carries its own offset',
      { CreateDate: '2019:07:24 08:25:57', CreationDate: '2019:07:24 11:25:40+03:00', MIMEType: 'video/quicktime' },
      { takenAtLocal: '2019-07-24T11:25:40', offset: '+03:00', dateTag: 'CreationDate' },
    ],
    ['no date', { MIMEType: 'image/png' }, { takenAtLocal: null, offset: null, dateTag: null }],
  ])('%s', (_name, tags, expected) => {
    expect(toExifFields(tags)).toMatchObject(expected);
  });

  it('drops a 0,0 GPS fix and keeps signed coordinates', () => {
    expect(toExifFields({ GPSLatitude: 0, GPSLongitude: 0, GPSAltitude: 5 })).toMatchObject({ lat: null, lon: null, alt: null });
    expect(toExifFields({ GPSLatitude: -33.86, GPSLongitude: 151.2, GPSAltitude: 12.5 })).toMatchObject({ lat: -33.86, lon: 151.2, alt: 12.5 });
  });
});

describe('ExifTool reads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let et: ExifTool;
  const names = ['a.jpg', '-n.jpg', 'spaced name é.jpg', 'empty.jpg', 'text.jpg'];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    et = new ExifTool({ maxProcs: 2 });
    for (const [i, n] of names.slice(0, 3).entries()) {
      await writeFile(join(dir, n), makeJpeg(32 + i * 8, 24, i));
      await et.write(
        join(dir, n),
        {
          DateTimeOriginal: `2019:08:0${i + 1} 17:45:12`,
          OffsetTimeOriginal: '+02:00',
          GPSLatitude: 38.7223 + i,
          // exiftool-vendored sets the Ref tags from the sign
          GPSLongitude: -9.1393,
          Make: 'Shoebox',
          Model: `Test ${i}`,
        },
        { writeArgs: ['-overwrite_original'] },
      );
    }
    await writeFile(join(dir, 'empty.jpg'), '');
    await writeFile(join(dir, 'text.jpg'), 'hello, not a jpeg\n');
  });
  afterAll(async () => {
    await et.end();
    await cleanup();
  });

  it("takes CreationDate from QuickTime only: a PDF tool's XMP CreationDate is no capture date", async () => {
    const file = join(dir, 'pdf-date.jpg');
    await writeFile(file, makeJpeg(16, 16, 9));
    await et.write(file, { 'XMP-pdf:CreationDate': '2008:10:20 19:54:15' } as never, { writeArgs: ['-overwrite_original'] });
    // the tag is there, under XMP-pdf...
    const all = await et.read(file);
    expect(String((all as Record<string, unknown>).CreationDate)).toContain('2008-10-20T19:54:15');
    // ...but the default list asks for QuickTime's, so the photo has no date of its own
    const t = (await readTags(et, tagArgs('default'), [file])).get(file)!;
    expect(t.CreationDate).toBeUndefined();
    expect(toExifFields(t).takenAtLocal).toBeNull();
  });

  it('reads many files in one request, including a name that starts with "-"', async () => {
    const abs = names.map((n) => join(dir, n)).concat(join(dir, 'missing.jpg'));
    const tags = await readTags(et, tagArgs('default'), abs);
    for (const [i, n] of names.slice(0, 3).entries()) {
      const f = toExifFields(tags.get(join(dir, n))!);
      expect(f).toMatchObject({ takenAtLocal: `2019-08-0${i + 1}T17:45:12`, offset: '+02:00', make: 'Shoebox', model: `Test ${i}` });
      expect(f.lat).toBeCloseTo(38.7223 + i, 4);
      expect(f.lon).toBeCloseTo(-9.1393, 4);
      expect(f.width).toBe(32 + i * 8);
    }
    expect(tags.get(join(dir, 'empty.jpg'))!.Error).toMatch(/empty/i);
    expect(tags.get(join(dir, 'missing.jpg'))!.Error).toMatch(/not found/i);
    expect(tags.get(join(dir, 'text.jpg'))!.MIMEType).toBe('text/plain');
  });

  it('reads names with line breaks through links, keyed by the real paths, among other files', async () => {
    const odd = join(dir, 'line\nbreak\r.jpg');
    await writeFile(odd, await readFile(join(dir, 'a.jpg')));
    const files = [join(dir, '-n.jpg'), odd, join(dir, 'gone\n.jpg'), join(dir, 'spaced name é.jpg')];
    const tags = await readTags(et, tagArgs('default'), files);
    expect([...tags.keys()].sort()).toEqual([...files].sort());
    expect(tags.get(odd)).toMatchObject({ SourceFile: odd, Model: 'Test 0', MIMEType: 'image/jpeg', ImageWidth: 32 });
    expect(toExifFields(tags.get(odd)!).takenAtLocal).toBe('2019-08-01T17:45:12');
    expect(tags.get(files[0]!)).toMatchObject({ Model: 'Test 1' });
    expect(tags.get(files[3]!)).toMatchObject({ Model: 'Test 2' });
    // a link to a file that is not there: ExifTool's "not found", under the real name
    expect(tags.get(files[2]!)).toMatchObject({ SourceFile: files[2], Error: expect.stringMatching(/not found/i) });
    // the links' folder is gone
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('shoebox-exif-'))).toEqual([]);
  });

  it('a link that cannot be made is that file\'s error; the others are read', async () => {
    const odd = join(dir, 'line\nbreak\r.jpg');
    await writeFile(odd, await readFile(join(dir, 'a.jpg')));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = join(dir, 'no such folder');
    try {
      const tags = await readTags(et, tagArgs('default'), [odd, join(dir, '-n.jpg')]);
      // said as shoebox's problem, not as an answer of ExifTool's
      expect(tagsProblem(tags.get(odd)!)).toMatch(/^its name has a line break, and no link with a plain name could be made .*ENOENT/);
      expect(tags.get(join(dir, '-n.jpg'))).toMatchObject({ Model: 'Test 1' });
      expect(tagsProblem(tags.get(join(dir, '-n.jpg'))!)).toBeNull();
      expect(tagsProblem({ Error: 'File is empty' })).toBe('ExifTool: File is empty');
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('the exif stage fills every item and records per-file problems without failing the batch', async () => {
    const items: MediaItem[] = names.map((n) => ({
      type: 'media', rootIndex: 0, root: dir, path: n, abs: join(dir, n), size: n === 'empty.jpg' ? 0 : 10, mtimeMs: 0,
      folder: 'other', album: null, sidecar: null, fingerprint: null, exif: null, problems: [],
    }));
    items.push({ ...items[0]!, path: 'gone.jpg', abs: join(dir, 'gone.jpg'), problems: [] });
    const out = await collect<MediaItem>(Readable.from(items).pipe(exif({ exiftool: et, tags: 'default', filesPerRequest: 4, concurrency: 2 })));
    expect(out.map((i) => i.path).sort()).toEqual([...names, 'gone.jpg'].sort());
    const by = Object.fromEntries(out.map((i) => [i.path, i]));
    expect(by['-n.jpg']!.exif!.model).toBe('Test 1');
    expect(by['spaced name é.jpg']!.exif!.takenAtLocal).toBe('2019-08-03T17:45:12');
    expect(by['gone.jpg']!.problems[0]!.message).toMatch(/not found/i);
    expect(by['empty.jpg']!.exif).toBeNull();
  });

  it('leaves items read natively to themselves, and with prewarm first-file starts no ExifTool for them', async () => {
    const lazy = new ExifTool({ maxProcs: 1 });
    try {
      const native = { takenAtLocal: '2001-01-01T00:00:00', offset: null, dateTag: 'DateTimeOriginal', lat: null, lon: null, alt: null, make: 'Native', model: null, lens: null, width: 1, height: 1, orientation: null, duration: null, mime: 'image/jpeg' };
      const item = (n: string, exifFields: MediaItem['exif']): MediaItem => ({
        type: 'media', rootIndex: 0, root: dir, path: n, abs: join(dir, n), size: 10, mtimeMs: 0,
        folder: 'other', album: null, sidecar: null, fingerprint: null, exif: exifFields, exifNative: exifFields !== null, problems: [],
      });
      const stage = () => exif({ exiftool: lazy, tags: 'default', filesPerRequest: 4, concurrency: 2, prewarm: 'first-file' });
      const first = await collect<MediaItem>(Readable.from([item('a.jpg', { ...native }), item('-n.jpg', { ...native })]).pipe(stage()));
      expect(first.map((i) => i.exif!.make)).toEqual(['Native', 'Native']);
      expect(lazy.pids).toEqual([]);
      const second = await collect<MediaItem>(Readable.from([item('a.jpg', { ...native }), item('-n.jpg', null)]).pipe(stage()));
      const by = Object.fromEntries(second.map((i) => [i.path, i]));
      expect(by['a.jpg']!.exif!.make).toBe('Native');
      expect(by['-n.jpg']!.exif!.make).toBe('Shoebox');
      expect(lazy.pids.length).toBe(1);
    } finally {
      await lazy.end();
    }
  });
});
