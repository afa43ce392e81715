import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTags, tagArgs } from '../src/stages/exif.js';
import { toExifFields } from '../src/stages/exif-fields.js';
import { fingerprintFile } from '../src/stages/fingerprint-file.js';
import { explainHeicTags, HEIC_EXTENSIONS, readHeicTags } from '../src/stages/heic-exif.js';
import { comparable, generatedFilesForExifTool, readDb, shoebox, tempDir } from './helpers.js';
import { ASCII, LONG, SHORT, UNDEFINED, tiff, type Entry } from './tiff-writer.js';
import { iccWithMeta } from './icc-writer.js';
import { cameraNote } from './maker-note-writer.js';
import { ExifLayout } from './exif-layout.js';

// ---- a HEIC container writer: the boxes ExifTool reads (the image data is a placeholder) ----

const u16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
};
const full = (type: string, version: number, flags: number, ...parts: Buffer[]) =>
  box(type, Buffer.from([version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255]), ...parts);
const ispe = (w: number, h: number) => full('ispe', 0, 0, u32(w), u32(h));
const irot = (a: number) => box('irot', Buffer.from([a]));

interface Item {
  id: number;
  type: string; // hvc1, grid, Exif, mime (XMP), ...
  data?: Buffer;
}
interface Heic {
  brand?: string;
  items: Item[];
  primary: number;
  props: Buffer[];
  /** item id -> 1-based property indexes */
  assoc: Record<number, number[]>;
  refs?: Array<[string, number, number[]]>;
  extraMeta?: Buffer[];
  /** boxes after mdat */
  after?: Buffer[];
}

const infe = (i: Item) =>
  i.type === 'mime'
    ? full('infe', 2, 0, u16(i.id), u16(0), Buffer.from('mime\0application/rdf+xml\0', 'latin1'))
    : full('infe', 2, 0, u16(i.id), u16(0), Buffer.from(`${i.type}\0`, 'latin1'));

function heic(o: Heic): Buffer {
  const payload = Buffer.concat(o.items.map((i) => i.data ?? Buffer.alloc(0)));
  const build = (dataAt: number) => {
    let at = dataAt;
    const locs = o.items.map((i) => {
      const len = i.data?.length ?? 16;
      const e = Buffer.concat([u16(i.id), u16(0), u16(1), u32(i.data ? at : dataAt + payload.length), u32(len)]);
      if (i.data) at += len;
      return e;
    });
    const meta = full(
      'meta',
      0,
      0,
      full('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from('\0')),
      full('pitm', 0, 0, u16(o.primary)),
      full('iinf', 0, 0, u16(o.items.length), ...o.items.map(infe)),
      full('iloc', 0, 0, Buffer.from([0x44, 0x00]), u16(locs.length), ...locs),
      ...(o.refs?.length ? [full('iref', 0, 0, ...o.refs.map(([t, from, to]) => box(t, u16(from), u16(to.length), ...to.map(u16))))] : []),
      box(
        'iprp',
        box('ipco', ...o.props),
        full('ipma', 0, 0, u32(Object.keys(o.assoc).length), ...Object.entries(o.assoc).map(([id, ps]) => Buffer.concat([u16(Number(id)), Buffer.from([ps.length, ...ps.map((p) => p | 0x80)])]))),
      ),
      ...(o.extraMeta ?? []),
    );
    const ftyp = box('ftyp', Buffer.from(o.brand ?? 'heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
    return Buffer.concat([ftyp, meta]);
  };
  const head = build(0);
  const mdat = box('mdat', payload, Buffer.alloc(256, 0xaa)); // placeholder image data after the metadata
  return Buffer.concat([build(head.length + 8), mdat, ...(o.after ?? [])]);
}

/** An Exif item: the 4-byte header size, "Exif\0\0", then the TIFF block. */
const exifItem = (entries0: Array<Entry | { tag: number; ptr: string }>, exifEntries: Entry[] = [], ifd1?: Entry[]) => {
  const ifds: Parameters<typeof tiff>[1] = [{ name: 'ifd0', entries: [...entries0, ...(exifEntries.length ? [{ tag: 0x8769, ptr: 'exif' }] : [])], next: ifd1 ? 'ifd1' : undefined }];
  if (exifEntries.length) ifds.push({ name: 'exif', entries: exifEntries });
  if (ifd1) ifds.push({ name: 'ifd1', entries: ifd1 });
  return Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), tiff(false, ifds)]);
};
const xmpItem = (props: string) =>
  Buffer.from(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ${props}/></rdf:RDF></x:xmpmeta>`,
  );

const iphoneExif = exifItem(
  [
    { tag: 0x10f, type: ASCII, value: 'Apple' },
    { tag: 0x110, type: ASCII, value: 'iPhone 12' },
    { tag: 0x112, type: SHORT, value: [6] },
  ],
  [
    { tag: 0x9003, type: ASCII, value: '2021:04:11 15:47:53' },
    { tag: 0x9004, type: ASCII, value: '2021:04:11 15:47:53' },
    { tag: 0x9011, type: ASCII, value: '+02:00' },
    { tag: 0xa434, type: ASCII, value: 'iPhone 12 back camera 4.2mm f/1.6' },
  ],
);

interface Case {
  name: string;
  bytes: Buffer;
  native: boolean;
}

/** iPhone-shaped: a grid of tiles (one shared ispe) as the primary item, a thumbnail, Exif, XMP. */
function iphone(over: Partial<Heic> = {}, exif = iphoneExif, xmp?: Buffer): Heic {
  const items: Item[] = [
    { id: 1, type: 'hvc1' },
    { id: 2, type: 'hvc1' },
    { id: 40, type: 'grid' },
    { id: 41, type: 'hvc1' },
    { id: 42, type: 'Exif', data: exif },
  ];
  if (xmp) items.push({ id: 43, type: 'mime', data: xmp });
  return {
    items,
    primary: 40,
    props: [ispe(512, 512), ispe(4032, 3024), ispe(320, 240), irot(1)],
    assoc: { 1: [1], 2: [1], 40: [2, 4], 41: [3] },
    refs: [
      ['dimg', 40, [1, 2]],
      ['thmb', 41, [40]],
      ['cdsc', 42, [40]],
      ...(xmp ? ([['cdsc', 43, [40]]] as Array<[string, number, number[]]>) : []),
    ],
    ...over,
  };
}

/**
 * A HEIC whose GPS directory is at `gpsAt` of the TIFF block, or (`atTiffPosition`) at the offset
 * equal to the TIFF header's own position in the file, F: ExifTool remembers the Exif item itself
 * at address 2F, so a directory at offset F it skips.
 */
function gpsHeic(atTiffPosition: boolean): Buffer {
  const tiffWithGps = (gpsAt: number) => {
    const t = new ExifLayout(false);
    t.text('Apple', 200);
    t.text('iPhone 12', 240);
    t.text('2021:04:11 15:47:53', 260);
    t.ifd(8, [
      { tag: 0x10f, type: ASCII, count: 6, off: 200 },
      { tag: 0x110, type: ASCII, count: 10, off: 240 },
      { tag: 0x8769, type: 4, count: 1, inline: t.long(100) },
      { tag: 0x8825, type: 4, count: 1, inline: t.long(gpsAt) },
    ]);
    t.ifd(100, [{ tag: 0x9003, type: ASCII, count: 20, off: 260 }]);
    t.ifd(gpsAt, [
      { tag: 1, type: ASCII, count: 2, inline: Buffer.from('N\0\0\0', 'latin1') },
      { tag: 2, type: 5, count: 3, off: gpsAt + 60 },
    ]);
    t.rationals([[10, 1], [20, 1], [30, 1]], gpsAt + 60);
    t.put(Buffer.from([0]), 3999); // a fixed length, so that the item stays where it was
    return Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), t.bytes()]);
  };
  const first = tiffWithGps(1200);
  const F = heic(iphone({}, first)).indexOf(first) + 10;
  return heic(iphone({}, atTiffPosition ? tiffWithGps(F) : first));
}

function makeCases(): Case[] {
  const xmpDate = xmpItem('xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2021-04-11T15:47:53.123" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated="2021-04-11T15:47:53"');
  const noCreate = exifItem([{ tag: 0x10f, type: ASCII, value: 'Apple' }], [{ tag: 0x9003, type: ASCII, value: '2021:04:11 15:47:53' }]);
  return [
    { name: 'iphone.heic', bytes: heic(iphone()), native: true },
    { name: 'gps-at-tiff-position.heic', bytes: gpsHeic(true), native: false },
    { name: 'gps-elsewhere.heic', bytes: gpsHeic(false), native: true },
    // a maker note ExifTool has no table for (MakerNoteUnknown) is harmless in a HEIC too; Canon's is not
    ...(['Xiaomi', 'Canon'] as const).map((make) => ({
      name: `maker-note-${make}.heic`,
      bytes: heic(iphone({}, exifItem([{ tag: 0x10f, type: ASCII, value: make }], [{ tag: 0x9003, type: ASCII, value: '2021:04:11 15:47:53' }, { tag: 0x927c, type: UNDEFINED, value: cameraNote('MakerNoteUnknown', [1, 2, 3], false) }]))),
      native: make === 'Xiaomi',
    })),
    { name: 'iphone-xmp.heic', bytes: heic(iphone({}, iphoneExif, xmpDate)), native: true },
    // XMP's CreateDate (priority 0) stands when EXIF has none: ExifTool reports it, converted
    { name: 'xmp-date-only.heic', bytes: heic(iphone({}, noCreate, xmpDate)), native: false },
    { name: 'xmp-gps.heic', bytes: heic(iphone({}, iphoneExif, xmpItem('xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,22.1N"'))), native: false },
    // review 5: a namespace that makes ExifTool call any file Nikon's NXD (MIMEType application/x-nikon-nxd)
    { name: 'xmp-nikon-nxd.heic', bytes: heic(iphone({}, iphoneExif, xmpItem('xmlns:nx="http://ns.nikon.com/BASIC_PARAM/1.0/"'))), native: false },
    { name: 'no-exif.heic', bytes: heic(iphone({ items: iphone().items.filter((i) => i.type !== 'Exif'), refs: [['dimg', 40, [1, 2]]] })), native: true },
    // IFD0's size ranks below the primary item's ispe, which ExifTool meets after the Exif item
    { name: 'ifd0-size.heic', bytes: heic(iphone({}, exifItem([{ tag: 0x100, type: LONG, value: [4000] }, { tag: 0x101, type: LONG, value: [3000] }, { tag: 0x112, type: SHORT, value: [1] }]))), native: true },
    // ExifTool's JPEG reader ranks IFD1 below IFD0; whether its HEIC path does is not written
    // down where the reader could follow it, so a listed tag in IFD1 goes to ExifTool
    { name: 'ifd1-orientation.heic', bytes: heic(iphone({}, exifItem([{ tag: 0x112, type: SHORT, value: [1] }], [], [{ tag: 0x112, type: SHORT, value: [8] }]))), native: false },
    // two sizes on the primary: the last one wins in ExifTool; the reader leaves it to ExifTool
    { name: 'two-sizes.heic', bytes: heic(iphone({ assoc: { 1: [1], 2: [1], 40: [2, 3, 4], 41: [3] } })), native: false },
    // Exif describing the thumbnail: a sub-document to ExifTool
    { name: 'exif-of-thumbnail.heic', bytes: heic(iphone({ refs: [['dimg', 40, [1, 2]], ['thmb', 41, [40]], ['cdsc', 42, [41]]] })), native: false },
    { name: 'mif1.heif.heic', bytes: heic(iphone({ brand: 'mif1' })), native: false },
    { name: 'motion-photo.heic', bytes: heic(iphone({ after: [box('mpvd', Buffer.alloc(32))] })), native: false },
    { name: 'extra-meta.heic', bytes: heic(iphone({ extraMeta: [box('grpl', Buffer.alloc(8))] })), native: false },
    // found in review: an ispe no item claims is the main document's too (the last one wins)
    { name: 'orphan-size.heic', bytes: heic(iphone({ props: [...iphone().props, ispe(11, 22)] })), native: false },
    // an ICC profile's 'meta' dictionary becomes tags; a plain nclx colour box is harmless
    { name: 'icc-meta.heic', bytes: heic(iphone({ props: [...iphone().props, box('colr', Buffer.from('prof'), iccWithMeta({ DateTimeOriginal: '1999:09:09 09:09:09' }))], assoc: { 1: [1], 2: [1], 40: [2, 4, 5], 41: [3] } })), native: false },
    { name: 'nclx.heic', bytes: heic(iphone({ props: [...iphone().props, box('colr', Buffer.from('nclx'), Buffer.from([0, 1, 0, 13, 0, 1, 0]))], assoc: { 1: [1], 2: [1], 40: [2, 4, 5], 41: [3] } })), native: true },
    // only cdsc makes an item describe another: an Exif item that describes the thumbnail is a sub-document
    { name: 'exif-refs-thumbnail.heic', bytes: heic(iphone({ refs: [['dimg', 40, [1, 2]], ['cdsc', 42, [41]], ['thmb', 42, [40]]] })), native: false },
    // items are read in id order: XMP first sets Orientation (priority 0) before EXIF
    {
      name: 'xmp-before-exif.heic',
      bytes: heic(iphone({ items: [{ id: 30, type: 'mime', data: xmpItem('xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="8"') }, ...iphone().items], refs: [...iphone().refs!, ['cdsc', 30, [40]]] })),
      native: false,
    },
  ];
}

describe('readHeicTags against ExifTool', () => {
  const cases = makeCases();
  const { et, path } = generatedFilesForExifTool(cases);

  it('answers exactly as ExifTool (raw tags, not only the stored fields) where it answers, and defers where it must', async () => {
    const files = cases.map((c) => path(c.name));
    const tags = await readTags(et(), tagArgs('default'), files);
    for (const c of cases) {
      const why = explainHeicTags(c.bytes, c.bytes.length);
      expect(typeof why === 'string' ? why : 'answered', c.name).toBe(c.native ? 'answered' : why);
      if (typeof why === 'string') continue;
      expect(why, c.name).toEqual(comparable(tags.get(path(c.name))!));
      expect(toExifFields(why)).toEqual(toExifFields(tags.get(path(c.name))!));
    }
  });

  it('a GPS directory at the offset equal to the TIFF header position is skipped by ExifTool (it remembers the Exif item there)', async () => {
    const tags = await readTags(et(), tagArgs('default'), [path('gps-at-tiff-position.heic'), path('gps-elsewhere.heic')]);
    expect(tags.get(path('gps-at-tiff-position.heic'))!.GPSLatitude).toBeUndefined();
    expect(tags.get(path('gps-elsewhere.heic'))!.GPSLatitude).toBeCloseTo(10.3416666666667, 10);
  });

  it('deferred files where ExifTool reports something else than the rules above would', async () => {
    const file = path;
    const names = ['xmp-date-only.heic', 'two-sizes.heic', 'orphan-size.heic', 'icc-meta.heic', 'xmp-before-exif.heic'];
    const tags = await readTags(et(), tagArgs('default'), names.map(file));
    expect(tags.get(file('xmp-date-only.heic'))!.CreateDate).toBe('2021:04:11 15:47:53.123');
    expect(tags.get(file('two-sizes.heic'))).toMatchObject({ ImageWidth: 320, ImageHeight: 240 });
    expect(tags.get(file('orphan-size.heic'))).toMatchObject({ ImageWidth: 11, ImageHeight: 22 });
    expect(tags.get(file('icc-meta.heic'))!.DateTimeOriginal).toBe('1999:09:09 09:09:09');
    expect(tags.get(file('xmp-before-exif.heic'))!.Orientation).toBe(8);
  });

  it('says why, and needs the whole metadata in the chunk read and the boxes to end at the file end', () => {
    const c = cases.find((x) => x.name === 'iphone.heic')!.bytes;
    expect(explainHeicTags(c, c.length + 10)).toMatch(/past the chunk|runs past/);
    expect(explainHeicTags(c.subarray(0, 200), c.length)).toMatch(/past the chunk/);
    expect(explainHeicTags(cases.find((x) => x.name === 'motion-photo.heic')!.bytes, cases.find((x) => x.name === 'motion-photo.heic')!.bytes.length)).toMatch(/mpvd/);
    expect(readHeicTags(Buffer.from('not a heic at all'), 17)).toBeNull();
  });

  it('the fingerprint pass reads it from its first chunk, and not when asked not to', async () => {
    const f = path('iphone.heic');
    const size = cases.find((x) => x.name === 'iphone.heic')!.bytes.length;
    const fp = await fingerprintFile(f, size, true);
    expect(fp.mime).toBe('image/heic');
    expect(fp.tags).toMatchObject({ MIMEType: 'image/heic', ImageWidth: 4032, Make: 'Apple', Orientation: 6 });
    expect((await fingerprintFile(f, size, false)).tags).toBeNull();
  });

  const corpus = join(import.meta.dirname, '../../shared/corpus');
  it.skipIf(!existsSync(corpus))('matches ExifTool on every corpus HEIC it answers for (../shared/corpus)', async () => {
    const files = readdirSync(corpus)
      .filter((n) => HEIC_EXTENSIONS.test(n))
      .map((n) => join(corpus, n));
    const tags = await readTags(et(), tagArgs('default'), files);
    let answered = 0;
    for (const f of files) {
      const bytes = await readFile(f);
      const native = readHeicTags(bytes.subarray(0, 1 << 20), bytes.length);
      if (!native) continue;
      answered++;
      expect(native, f).toEqual(comparable(tags.get(f)!));
    }
    // iPhone HEICs with and without XMP; motion photos, non-heic brands defer
    expect(answered).toBeGreaterThanOrEqual(5);
  });
});

describe('a library of HEICs: parallel (native) and --sequential (ExifTool) write the same rows', () => {
  it('same media rows, and the parallel run read them in-process', async () => {
    const { dir, cleanup } = await tempDir('shoebox-heic-');
    try {
      const lib = join(dir, 'Takeout', 'Google Photos', 'Photos from 2021');
      await mkdir(lib, { recursive: true });
      for (const c of makeCases()) await writeFile(join(lib, c.name), c.bytes);
      const run = async (db: string, ...flags: string[]) =>
        JSON.parse((await shoebox('run', 'takeout', '--root', dir, '--db', join(dir, db), '--json', '--no-progress', ...flags)).stdout) as { exif: { native: number; exiftool: number } };
      const par = await run('par.duckdb');
      const seq = await run('seq.duckdb', '--sequential');
      expect(par.exif.native).toBe(makeCases().filter((c) => c.native).length);
      expect(seq.exif.native).toBe(0);
      const sql = 'SELECT * EXCLUDE (scanned_at) FROM media ORDER BY path';
      const rows = await readDb(join(dir, 'par.duckdb'), sql);
      expect(rows.length).toBe(makeCases().length);
      expect(await readDb(join(dir, 'seq.duckdb'), sql)).toEqual(rows);
    } finally {
      await cleanup();
    }
  }, 120_000);
});
