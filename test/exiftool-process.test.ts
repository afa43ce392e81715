import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exiftoolPath } from 'exiftool-vendored';
import { processTree, readRssBytes } from '../src/bench/measure.js';
import { defaultPrctl, launcherArgs, openExifTool, wantedTags } from '../src/stages/exiftool-process.js';
import { readTags, tagArgs } from '../src/stages/exif.js';
import { makeJpeg, tempDir } from './helpers.js';
import { iccProfile, mluc } from './icc-writer.js';
import { ASCII, BYTE, LONG, RATIONAL, SHORT, UNDEFINED, tiff } from './tiff-writer.js';

// ---- files that make plain ExifTool load its writer while it reads ----

/** A binary plist holding { flags: 1, value: 123456789 } (Apple's RunTime has this shape). */
function bplist(): Buffer {
  const objects = [
    Buffer.from([0xd2, 1, 2, 3, 4]), // dict: keys 1, 2; values 3, 4
    Buffer.from('\x55flags', 'latin1'),
    Buffer.from('\x55value', 'latin1'),
    Buffer.from([0x10, 1]),
    Buffer.from([0x12, 0x07, 0x5b, 0xcd, 0x15]),
  ];
  const offsets: number[] = [];
  let off = 8;
  for (const o of objects) {
    offsets.push(off);
    off += o.length;
  }
  const trailer = Buffer.alloc(32);
  trailer[6] = 1; // offset size
  trailer[7] = 1; // reference size
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(0n, 16);
  trailer.writeBigUInt64BE(BigInt(off), 24);
  return Buffer.concat([Buffer.from('bplist00', 'latin1'), ...objects, Buffer.from(offsets), trailer]);
}

/** Apple's maker note: "Apple iOS" header, a big-endian IFD whose offsets count from the note. */
function appleNote(): Buffer {
  const plist = bplist();
  const head = Buffer.from('Apple iOS\0\0\x01MM', 'latin1');
  const ifd = Buffer.alloc(2 + 12 + 4);
  ifd.writeUInt16BE(1, 0);
  ifd.writeUInt16BE(0x0003, 2); // RunTime
  ifd.writeUInt16BE(UNDEFINED, 4);
  ifd.writeUInt32BE(plist.length, 6);
  ifd.writeUInt32BE(head.length + ifd.length, 10);
  return Buffer.concat([head, ifd, plist]);
}

function withSegment(jpeg: Buffer, marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

const exifApp1 = (t: Buffer) => Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);

const FILES: Array<{ name: string; bytes: Buffer; loads: string }> = [
  {
    // Get64u (the plist's trailer), from Writer.pl
    name: 'apple-runtime.jpg',
    loads: 'Image/ExifTool/Writer.pl',
    bytes: withSegment(
      makeJpeg(16, 16, 1),
      0xe1,
      exifApp1(
        tiff(false, [
          { name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Apple' }, { tag: 0x110, type: ASCII, value: 'iPhone 12' }, { tag: 0x8769, ptr: 'exif' }] },
          { name: 'exif', entries: [{ tag: 0x9003, type: ASCII, value: '2021:05:06 07:08:09' }, { tag: 0x927c, type: UNDEFINED, value: appleNote() }] },
        ]),
      ),
    ),
  },
  {
    // GetLangInfo (a description in a second language), from Writer.pl
    name: 'icc-two-languages.jpg',
    loads: 'Image/ExifTool/Writer.pl',
    bytes: withSegment(
      makeJpeg(16, 16, 2),
      0xe2,
      Buffer.concat([Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1'), iccProfile([['desc', mluc({ 'en-US': 'Display', 'de-DE': 'Bildschirm' })]])]),
    ),
  },
  {
    // the ThumbnailTIFF composite, rebuilt with WriteValue from Writer.pl
    name: 'thumbnail.tif',
    loads: 'Image/ExifTool/Writer.pl',
    bytes: tiff(true, [
      {
        name: 'ifd0',
        entries: [
          { tag: 0xfe, type: LONG, value: [1] },
          { tag: 0x100, type: SHORT, value: [2] },
          { tag: 0x101, type: SHORT, value: [2] },
          { tag: 0x102, type: SHORT, value: [8] },
          { tag: 0x103, type: SHORT, value: [1] },
          { tag: 0x106, type: SHORT, value: [1] },
          { tag: 0x111, type: LONG, value: [8] },
          { tag: 0x115, type: SHORT, value: [1] },
          { tag: 0x116, type: SHORT, value: [2] },
          { tag: 0x117, type: LONG, value: [4] },
          { tag: 0x132, type: ASCII, value: '2020:01:02 03:04:05' },
        ],
      },
    ]),
  },
  {
    // composites built from composites: GPSPosition needs the composite GPSLatitude and GPSLongitude
    name: 'gps.jpg',
    loads: '',
    bytes: withSegment(
      makeJpeg(16, 16, 4),
      0xe1,
      exifApp1(
        tiff(false, [
          { name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x8825, ptr: 'gps' }] },
          {
            name: 'gps',
            entries: [
              { tag: 0x1, type: ASCII, value: 'S' },
              { tag: 0x2, type: RATIONAL, value: [[33, 1], [51, 1], [3510, 100]] },
              { tag: 0x3, type: ASCII, value: 'W' },
              { tag: 0x4, type: RATIONAL, value: [[151, 1], [12, 1], [4020, 100]] },
              { tag: 0x5, type: BYTE, value: [1] },
              { tag: 0x6, type: RATIONAL, value: [[125, 10]] },
            ],
          },
        ]),
      ),
    ),
  },
  {
    // nothing of the writer: the control
    name: 'plain.jpg',
    loads: '',
    bytes: makeJpeg(16, 16, 3),
  },
];

/** The writer modules the launcher reported loaded at exit (SHOEBOX_EXIFTOOL_MODULES=1). */
function writerModules(stderr: string): string {
  const m = /shoebox-exiftool-modules: (.*)/.exec(stderr);
  if (!m) throw new Error(`no module line in: ${stderr}`);
  return m[1]!;
}

/** What plain ExifTool (the library, all tags) loads of its writer reading one file. */
function plainLoads(script: string, file: string): string {
  const lib = join(script, '..', 'lib');
  const r = spawnSync(
    'perl',
    ['-e', `use lib '${lib}'; require Image::ExifTool; Image::ExifTool->new->ImageInfo($ARGV[0]); print join(",", sort grep { m{/Write|/TagLookup} } keys %INC)`, file],
    { encoding: 'utf8' },
  );
  return r.stdout;
}

describe('the ExifTool launcher', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let script: string;
  const path = (name: string) => join(tmp.dir, name);
  beforeAll(async () => {
    tmp = await tempDir();
    script = await exiftoolPath();
    for (const f of FILES) await writeFile(path(f.name), f.bytes);
  });
  afterAll(async () => tmp.cleanup());

  it('each test file makes plain ExifTool load its writer (so the next test means something)', () => {
    for (const f of FILES.filter((f) => f.loads)) expect(plainLoads(script, path(f.name)), f.name).toContain(f.loads);
  });

  it('reads exactly what the exiftool script alone reads, default tags and all tags, and loads no writer module for default tags', () => {
    const files = FILES.map((f) => path(f.name));
    for (const tags of ['default', 'all'] as const) {
      const args = [...tagArgs(tags), ...files];
      const plain = spawnSync('perl', [script, ...args], { encoding: 'utf8' });
      const lean = spawnSync('perl', launcherArgs(script, args, tags), { encoding: 'utf8', env: { ...process.env, SHOEBOX_EXIFTOOL_MODULES: '1' } });
      expect(lean.status, lean.stderr).toBe(0);
      expect(JSON.parse(lean.stdout)).toEqual(JSON.parse(plain.stdout));
      expect(lean.stderr).not.toMatch(/redefined|Error|Warning/i);
      if (tags === 'default') expect(writerModules(lean.stderr)).toBe('');
      // all tags: ThumbnailTIFF is kept (and with it the writer, for that file)
      else expect(JSON.parse(lean.stdout).find((t: { SourceFile: string }) => t.SourceFile.endsWith('thumbnail.tif')).ThumbnailTIFF).toBeDefined();
    }
  });

  it('builds only the composites a request can use, with the same answers: composites of composites, group names, suffixes', () => {
    const files = FILES.map((f) => path(f.name));
    const tags = ['Composite:GPSPosition', 'GPSAltitude#', 'ImageSize', 'Megapixels', 'LensID', 'SubSecDateTimeOriginal', 'Make', 'Warning'];
    const args = [...tagArgs(tags), ...files];
    const plain = spawnSync('perl', [script, ...args], { encoding: 'utf8' });
    const lean = spawnSync('perl', launcherArgs(script, args, tags), { encoding: 'utf8' });
    expect(JSON.parse(lean.stdout)).toEqual(JSON.parse(plain.stdout));
    const gps = JSON.parse(lean.stdout).find((t: { SourceFile: string }) => t.SourceFile.endsWith('gps.jpg'));
    expect(gps).toMatchObject({ GPSPosition: '-33.85975 -151.211166666667', ImageSize: '16 16' });
  });

  it('names the wanted tags without groups, and none (build all) for all tags or a pattern', () => {
    expect(wantedTags(['EXIF:Make', 'Composite:GPSPosition', 'GPSAltitude#'])).toEqual(['Make', 'GPSPosition', 'GPSAltitude']);
    expect(wantedTags('default')).toContain('DateTimeOriginal');
    expect(wantedTags('all')).toEqual([]);
    expect(wantedTags(['Make', 'GPS*'])).toEqual([]);
    expect(wantedTags(['Make', 'All'])).toEqual([]);
  });

  it('keeps ThumbnailTIFF when a tag list names it', () => {
    const file = path('thumbnail.tif');
    const args = [...tagArgs(['ThumbnailTIFF', 'ModifyDate']), file];
    const lean = spawnSync('perl', launcherArgs(script, args, ['Composite:ThumbnailTIFF', 'ModifyDate']), { encoding: 'utf8' });
    expect(JSON.parse(lean.stdout)[0].ThumbnailTIFF).toMatch(/^\(Binary data \d+ bytes/);
    const without = spawnSync('perl', launcherArgs(script, [...tagArgs(['ModifyDate']), file], ['ModifyDate']), { encoding: 'utf8' });
    expect(JSON.parse(without.stdout)[0]).toEqual({ SourceFile: file, ModifyDate: '2020:01:02 03:04:05' });
  });

  it('serves the pipeline in -stay_open mode: many requests, the same answers as one-shot reads', async () => {
    const et = openExifTool({ maxProcs: 1 });
    try {
      const files = FILES.map((f) => path(f.name));
      for (let round = 0; round < 3; round++) {
        const tags = await readTags(et, tagArgs('default'), files);
        expect(tags.get(path('apple-runtime.jpg'))).toMatchObject({ Make: 'Apple', DateTimeOriginal: '2021:05:06 07:08:09' });
        expect(tags.get(path('thumbnail.tif'))).toMatchObject({ ImageWidth: 2, ImageHeight: 2 });
      }
    } finally {
      await et.end();
    }
  });

  it('starts a second process as soon as a second request waits, not after batch-cluster’s 1.5 s spawn delay', async () => {
    const et = openExifTool({ maxProcs: 2 });
    try {
      const files = FILES.map((f) => path(f.name));
      // both requests are queued before the first process has even compiled ExifTool (~0.3 s)
      const [a, b] = await Promise.all([readTags(et, tagArgs('default'), files), readTags(et, tagArgs('default'), files)]);
      expect(a.size).toBe(files.length);
      expect(b).toEqual(a);
      expect(et.spawnedProcs).toBe(2);
    } finally {
      await et.end();
    }
  });

  const corpus = join(import.meta.dirname, '../../shared/corpus');
  it.skipIf(!existsSync(corpus))('reads every corpus file as the exiftool script does, without the writer (../shared/corpus)', () => {
    const files = readdirSync(corpus)
      .filter((n) => !/\.(md|tsv)$/.test(n))
      .map((n) => join(corpus, n));
    const args = [...tagArgs('default'), ...files];
    const plain = spawnSync('perl', [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const lean = spawnSync('perl', launcherArgs(script, args, 'default'), {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, SHOEBOX_EXIFTOOL_MODULES: '1' },
    });
    expect(JSON.parse(lean.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(writerModules(lean.stderr)).toBe('');
  }, 120_000);
});

// ---- ExifTool ends with shoebox ----

/** A process still running (gone or a zombie: no memory). */
const alive = (pid: number) => readRssBytes(pid) > 0;

describe.skipIf(process.platform !== 'linux')('ExifTool ends with the process that started it (Linux /proc)', () => {
  for (const mode of ['prctl', 'guard'] as const) {
    it.skipIf(mode === 'prctl' && defaultPrctl() === 0)(`${mode}: a node killed with SIGKILL leaves no ExifTool behind`, async () => {
      const module = new URL('../dist/stages/exiftool-process.js', import.meta.url).href;
      // A node that starts one ExifTool in -stay_open mode the way the pipeline does, then waits.
      const program = `
        import { spawn } from 'node:child_process';
        import { exiftoolPath } from 'exiftool-vendored';
        import { launcherArgs } from ${JSON.stringify(module)};
        const args = launcherArgs(await exiftoolPath(), ['-stay_open', 'True', '-@', '-'], 'default', ${mode === 'prctl' ? defaultPrctl() : 0});
        const et = spawn('perl', args, { stdio: ['pipe', 'pipe', 'inherit'] });
        et.stdout.once('data', () => console.log('ready'));
        et.stdin.write('-ver\\n-execute\\n');
        setInterval(() => {}, 1000);
      `;
      const node = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
      let perls: number[] = [];
      try {
        await new Promise<void>((resolve) => node.stdout.once('data', () => resolve()));
        perls = processTree(node.pid!).slice(1);
        expect(perls.length).toBe(mode === 'guard' ? 2 : 1);
      } finally {
        node.kill('SIGKILL');
      }
      for (let i = 0; i < 50 && perls.some(alive); i++) await sleep(100);
      const left = perls.filter(alive);
      for (const pid of left) process.kill(pid, 'SIGKILL');
      expect(left).toEqual([]);
    }, 30_000);
  }
});
