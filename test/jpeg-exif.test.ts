import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { exiftoolPath } from 'exiftool-vendored';
import { defaultTags, readTags, tagArgs } from '../src/stages/exif.js';
import { toExifFields } from '../src/stages/exif-fields.js';
import { explainJpegTags, formatG, harmlessXmp, json, NATIVE_EXTENSIONS, NESTED_DIRECTORIES, readJpegTags, XMP_OUTRANKED } from '../src/stages/jpeg-exif.js';
import { rng } from '../src/sample/pixels.js';
import { comparable, generatedFilesForExifTool, makeJpeg } from './helpers.js';
import { ASCII, BYTE, LONG, RATIONAL, SHORT, UNDEFINED, tiff, type Entry } from './tiff-writer.js';
import { iccProfile, iccWithMeta } from './icc-writer.js';
import { exifSegment, jpegWith, segment } from './jpeg-writer.js';
import { READ_AS_DIRECTORY } from '../src/stages/photoshop-irb.js';
import { cameraNote } from './maker-note-writer.js';
import { ExifLayout, type LaidEntry } from './exif-layout.js';

const xmpSegment = (xml: string) => segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${xml}`, 'utf8'));
const xmp = (props: string) =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ${props}/></rdf:RDF></x:xmpmeta>`;

/** One extended-XMP APP1 chunk: signature, GUID, full length, offset, then the piece. */
const extendedXmpSegment = (guid: string, full: Buffer, off: number, len: number) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(full.length, 0);
  head.writeUInt32BE(off, 4);
  return segment(0xe1, Buffer.concat([Buffer.from(`http://ns.adobe.com/xmp/extension/\0${guid}`, 'latin1'), head, full.subarray(off, off + len)]));
};

/**
 * Google's HDR+ maker note as a Pixel writes it into XMP: protobuf, gzipped, XORed with the
 * xorshift key stream Google.pm undoes, prefixed "HDRP\x03" and base64'd. It carries field 9-36-1,
 * the capture time ExifTool reports as a CreateDate of priority 0.
 */
/** Photoshop's image resource block in an APP13 segment: 8BIM resources of [id, data, name]. */
const photoshopSegment = (...resources: Array<[number, Buffer, string?]>) =>
  segment(
    0xed,
    Buffer.concat([
      Buffer.from('Photoshop 3.0\0', 'latin1'),
      ...resources.map(([id, data, name = '']) => {
        const head = Buffer.alloc(6);
        head.write('8BIM', 0, 'latin1');
        head.writeUInt16BE(id, 4);
        const pascal = Buffer.concat([Buffer.from([name.length]), Buffer.from(name, 'latin1')]);
        const size = Buffer.alloc(4);
        size.writeUInt32BE(data.length);
        // the name and the data each padded to an even length
        return Buffer.concat([head, pascal, Buffer.alloc(pascal.length & 1), size, data, Buffer.alloc(data.length & 1)]);
      }),
    ]),
  );
/** An IPTC record: datasets of [record, tag, value]. */
const iptc = (...datasets: Array<[number, number, string | Buffer]>) =>
  Buffer.concat(
    datasets.map(([record, tag, value]) => {
      const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      const head = Buffer.from([0x1c, record, tag, 0, 0]);
      head.writeUInt16BE(v.length, 3);
      return Buffer.concat([head, v]);
    }),
  );

function hdrPlusNote(unixTime: number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
    out.push(n);
    return Buffer.from(out);
  };
  const field = (no: number, body: Buffer) => Buffer.concat([varint(no * 8 + 2), varint(body.length), body]);
  const proto = field(9, field(36, Buffer.concat([varint(8), varint(unixTime)])));
  const plain = gzipSync(proto);
  const padded = Buffer.alloc(Math.ceil(plain.length / 8) * 8);
  plain.copy(padded);
  const mask = (1n << 64n) - 1n;
  let key = 0x2515606b4a7791cdn;
  for (let i = 0; i < padded.length; i += 8) {
    key ^= key >> 12n;
    key = (key ^ (key << 25n)) & mask;
    key ^= key >> 27n;
    key = (key * 0x2545f4914f6cdd1dn) & mask;
    padded.writeBigUInt64LE(padded.readBigUInt64LE(i) ^ key, i);
  }
  return Buffer.concat([Buffer.from('HDRP\x03', 'latin1'), padded.subarray(0, plain.length)]);
}


// ---- a seeded generator of EXIF structures, plain and awkward ----


interface Case {
  name: string;
  bytes: Buffer;
  /** The reader must answer for this file (true), must defer to ExifTool (false), or may do either (null). */
  native: boolean | null;
}

function makeCases(): Case[] {
  const base = makeJpeg(40, 24, 1);
  const r = rng(20261128);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const dens = [1, 10, 100, 1000, 10000, 1000000, 512, 1024, 3, 7, 60];
  const rational = (max: number): [number, number] => {
    const d = pick(dens);
    return [Math.min(Math.floor(r() * max * d), 4294967295), d];
  };
  const strings = ['Canon', 'Apple ', 'Google', '1.50', 'true', 'FALSE', '007', '12', '1e5', '  Nikon  ', '', 'Pixel 8 Pro', 'SM-G991B'];
  const dates = ['2019:08:03 17:45:12', '2019:08:03 17:45:12+02:00', '2023:12:31 23:59:59.123', '    :  :     :  :  ', '2019', '0000:00:00 00:00:00'];
  const offsets = ['+02:00', '-05:30', 'Z', '+0100', '   '];
  const cases: Case[] = [];
  for (let i = 0; i < 160; i++) {
    const le = r() < 0.5;
    const ifd0: Array<Entry | { tag: number; ptr: string }> = [];
    const exif: Array<Entry | { tag: number; ptr: string }> = [];
    const ifds: Array<{ name: string; entries: typeof ifd0; next?: string }> = [];
    let native: boolean | null = null;
    if (r() < 0.8) ifd0.push({ tag: 0x10f, type: ASCII, value: pick(strings) });
    if (r() < 0.8) ifd0.push({ tag: 0x110, type: ASCII, value: pick(strings) });
    if (r() < 0.6) ifd0.push({ tag: 0x112, type: SHORT, value: [1 + Math.floor(r() * 8)] });
    if (r() < 0.2) ifd0.push({ tag: 0x100, type: LONG, value: [4000] }, { tag: 0x101, type: LONG, value: [3000] });
    if (r() < 0.2) ifd0.push({ tag: 0x131, type: ASCII, value: 'HDR+ 1.0' });
    if (r() < 0.85) {
      ifd0.push({ tag: 0x8769, ptr: 'exif' });
      if (r() < 0.8) exif.push({ tag: 0x9003, type: ASCII, value: pick(dates) });
      if (r() < 0.6) exif.push({ tag: 0x9004, type: ASCII, value: pick(dates) });
      if (r() < 0.4) exif.push({ tag: 0x9011, type: ASCII, value: pick(offsets) });
      if (r() < 0.3) exif.push({ tag: 0x9012, type: ASCII, value: pick(offsets) });
      if (r() < 0.4) exif.push({ tag: 0xa434, type: ASCII, value: pick([...strings, 'iPhone 15 Pro back camera 6.765mm f/1.78']) });
      if (r() < 0.3) exif.push({ tag: 0xa002, type: LONG, value: [4032] }, { tag: 0xa003, type: LONG, value: [3024] });
      if (r() < 0.15) exif.push({ tag: 0x927c, type: UNDEFINED, value: Buffer.from('Apple iOS\0\0\x01MM\0\0\0\0', 'latin1') });
      else if (r() < 0.12) {
        // a Nikon note with MakerNoteVersion and ISO, and maybe LensData (where Nikon keeps a LensModel)
        const lens = r() < 0.5;
        exif.push({ tag: 0x927c, type: UNDEFINED, value: cameraNote('MakerNoteNikon', lens ? [0x0001, 0x0002, 0x0098] : [0x0001, 0x0002], le) });
        if (lens) native = false;
      }
      ifds.push({ name: 'exif', entries: exif });
    }
    if (r() < 0.6) {
      ifd0.push({ tag: 0x8825, ptr: 'gps' });
      const gps: Entry[] = [{ tag: 0x0, type: BYTE, value: [2, 3, 0, 0] }];
      const zero = r() < 0.1;
      const coord = (max: number): Array<[number, number]> => (zero ? [[0, 1], [0, 1], [0, 1]] : [rational(max), rational(60), rational(60)]);
      if (r() < 0.9) gps.push({ tag: 0x1, type: ASCII, value: pick(['N', 'S', 'n']) });
      gps.push({ tag: 0x2, type: RATIONAL, value: coord(90) });
      if (r() < 0.9) gps.push({ tag: 0x3, type: ASCII, value: pick(['E', 'W']) });
      gps.push({ tag: 0x4, type: RATIONAL, value: coord(180) });
      if (r() < 0.7) {
        if (r() < 0.8) gps.push({ tag: 0x5, type: BYTE, value: [pick([0, 1, 0])] });
        gps.push({ tag: 0x6, type: RATIONAL, value: [rational(9000)] });
      }
      ifds.push({ name: 'gps', entries: gps });
    }
    let next: string | undefined;
    if (r() < 0.4) {
      const ifd1: Entry[] = [{ tag: 0x103, type: SHORT, value: [6] }];
      if (r() < 0.4) ifd1.push({ tag: 0x112, type: SHORT, value: [1] }); // harmless only when IFD0 has one
      if (r() < 0.2) ifd1.push({ tag: 0x100, type: LONG, value: [160] }, { tag: 0x101, type: LONG, value: [120] });
      ifds.push({ name: 'ifd1', entries: ifd1 });
      next = 'ifd1';
    }
    const t = tiff(le, [{ name: 'ifd0', entries: ifd0, next }, ...ifds]);
    const segments = [exifSegment(t)];
    if (r() < 0.2) segments.push(xmpSegment(xmp('xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1"')));
    else if (r() < 0.08) {
      // priority 0 in ExifTool: harmless exactly when EXIF has a CreateDate to outrank it
      segments.push(xmpSegment(xmp('xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2001-01-01T00:00:00"')));
      if (native !== false) native = exif.some((e) => e.tag === 0x9004) ? null : false;
    }
    cases.push({ name: `case-${String(i).padStart(3, '0')}.jpg`, bytes: jpegWith(base, segments), native });
  }
  // The fixed awkward ones.
  const gpsOnly = (entries: Entry[], le = false) =>
    tiff(le, [{ name: 'ifd0', entries: [{ tag: 0x8825, ptr: 'gps' }] }, { name: 'gps', entries }]);
  cases.push({
    // 6321/512 s = 12.345703125: exactly halfway at 10 digits; C rounds to even (…312), toPrecision up (…313)
    name: 'gps-tie.jpg',
    bytes: jpegWith(base, [
      exifSegment(
        gpsOnly([
          { tag: 0x1, type: ASCII, value: 'N' },
          { tag: 0x2, type: RATIONAL, value: [[52, 1], [22, 1], [6321, 512]] },
          { tag: 0x3, type: ASCII, value: 'W' },
          { tag: 0x4, type: RATIONAL, value: [[4, 1], [53, 1], [493827157, 4]] },
          { tag: 0x5, type: BYTE, value: [1] },
          { tag: 0x6, type: RATIONAL, value: [[493827157, 4]] },
        ]),
      ),
    ]),
    native: true,
  });
  const plain = tiff(true, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x100, type: LONG, value: [1] }] }]);
  cases.push({ name: 'exif-after-frame.jpg', bytes: jpegWith(base, [exifSegment(plain)], true), native: false });
  cases.push({ name: 'no-exif.jpg', bytes: base, native: true });
  cases.push({ name: 'iptc.jpg', bytes: jpegWith(base, [segment(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\0', 'latin1'))]), native: true });
  // Photoshop's resources as Photoshop, Lightroom and phones write them, with EXIF's dates beside
  const dated = exifSegment(
    tiff(false, [
      { name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'NIKON' }, { tag: 0x8769, ptr: 'exif' }] },
      { name: 'exif', entries: [{ tag: 0x9003, type: ASCII, value: '2020:01:02 03:04:05' }] },
    ]),
  );
  const resolution = Buffer.from('0048000000010001004800000001000100', 'hex').subarray(0, 16);
  const record = iptc([1, 90, '\x1b%G'], [2, 0, Buffer.from([0, 4])], [2, 25, 'Grand Canyon'], [2, 25, 'Ère'], [2, 80, 'Staff'], [2, 120, 'A caption, in UTF-8: Zürich']);
  const photoshop = (...extra: Array<[number, Buffer, string?]>) => [
    dated,
    photoshopSegment([0x03ed, resolution, 'Resolution'], [0x0404, record], [0x0425, Buffer.alloc(16, 0x5a)], [0x040a, Buffer.from([1])], ...extra),
  ];
  cases.push({ name: 'photoshop-iptc.jpg', bytes: jpegWith(base, photoshop()), native: true });
  cases.push({
    name: 'photoshop-iptc-latin1-padded.jpg',
    bytes: jpegWith(base, [dated, photoshopSegment([0x0404, Buffer.concat([iptc([2, 0, Buffer.from([0, 4])], [2, 5, Buffer.from('Caf\xe9', 'latin1')]), Buffer.alloc(7)])], [0x0406, Buffer.from('0001000000', 'hex'), 'JPEG Quality'])]),
    native: true,
  });
  cases.push({ name: 'photoshop-thumbnail-first.jpg', bytes: jpegWith(base, [photoshopSegment([0x040c, Buffer.alloc(301, 7), 'Thumb']), dated]), native: true });
  // IPTC's DateCreated and TimeCreated make a Composite DateTimeOriginal, reported where EXIF has none
  const undated = exifSegment(tiff(true, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'NIKON' }] }]));
  const iptcDate = iptc([2, 0, Buffer.from([0, 4])], [2, 55, '20210304'], [2, 60, '050607+0100']);
  cases.push({ name: 'photoshop-iptc-dated.jpg', bytes: jpegWith(base, [undated, photoshopSegment([0x0404, iptcDate])]), native: false });
  // ... and from IPTC's TimeCreated with XMP's DateCreated
  cases.push({
    name: 'photoshop-iptc-time-xmp-date.jpg',
    bytes: jpegWith(base, [
      undated,
      xmpSegment(xmp('xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated="2021-03-04"')),
      photoshopSegment([0x0404, iptc([2, 60, '050607+0100'])]),
    ]),
    native: false,
  });
  cases.push({ name: 'photoshop-exif.jpg', bytes: jpegWith(base, photoshop([0x0422, tiff(true, [{ name: 'ifd0', entries: [{ tag: 0x110, type: ASCII, value: 'Inner' }] }])])), native: false });
  cases.push({ name: 'photoshop-two-segments.jpg', bytes: jpegWith(base, [...photoshop(), photoshopSegment([0x040a, Buffer.from([0])])]), native: false });
  cases.push({ name: 'photoshop-iptc-record-3.jpg', bytes: jpegWith(base, [dated, photoshopSegment([0x0404, iptc([3, 0, Buffer.from([0, 4])])])]), native: false });
  cases.push({
    name: 'latin1-make.jpg',
    bytes: jpegWith(base, [exifSegment(tiff(false, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Caf\xe9' }] }]))]),
    native: false,
  });
  const truncated = jpegWith(base, [exifSegment(plain)]);
  cases.push({ name: 'header-cut.jpg', bytes: truncated.subarray(0, 40), native: false });

  // Extended XMP, as phones write it: a main packet that points at it, then chunks of one GUID.
  const guid = 'A75262B98F95CFE9B516DB50AA628C78';
  const mainXmp = xmpSegment(xmp(`xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="${guid}"`));
  // base64 whose letters spell names of the list by chance ("gPs", "MAKE", "LENS"): a value, not a property
  const depth = `AAAAgPsAMAKELENSmodelDurationAAA${Buffer.alloc(3000, 7).toString('base64')}`;
  const depthXmp = Buffer.from(
    xmp(`xmlns:GImage="http://ns.google.com/photos/1.0/image/" xmlns:GDepth="http://ns.google.com/photos/1.0/depthmap/" GImage:Data="${depth}" GDepth:Format="RangeInverse"`),
  );
  const exifWith = (createDate: boolean, note?: Buffer, make = 'Google', pointerFirst = false) =>
    exifSegment(
      tiff(true, [
        {
          name: 'ifd0',
          // Pixel phones write the EXIF pointer before Make: ExifTool meets the note not knowing the Make
          entries: pointerFirst
            ? [{ tag: 0x8769, ptr: 'exif' }, { tag: 0x10f, type: ASCII, value: make }]
            : [{ tag: 0x10f, type: ASCII, value: make }, { tag: 0x8769, ptr: 'exif' }],
          fileOrder: true,
        },
        {
          name: 'exif',
          entries: [
            { tag: 0x9003, type: ASCII, value: '2023:11:01 15:11:17' },
            ...(createDate ? [{ tag: 0x9004, type: ASCII, value: '2023:11:01 15:11:17' }] : []),
            ...(note ? [{ tag: 0x927c, type: UNDEFINED, value: note }] : []),
          ],
        },
      ]),
    );
  const split = (full: Buffer, order: number[]) => {
    const third = Math.ceil(full.length / 3);
    return order.map((k) => extendedXmpSegment(guid, full, k * third, third));
  };
  cases.push({ name: 'xmp-extended-depth.jpg', bytes: jpegWith(base, [exifWith(true), mainXmp, ...split(depthXmp, [2, 0, 1])]), native: true });
  cases.push({ name: 'xmp-extended-missing-chunk.jpg', bytes: jpegWith(base, [exifWith(true), mainXmp, ...split(depthXmp, [0, 2])]), native: false });
  const datedXmp = Buffer.from(xmp(`xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2001-02-03T04:05:06" GImage:Data="${depth}" xmlns:GImage="http://ns.google.com/photos/1.0/image/"`));
  cases.push({ name: 'xmp-extended-dated.jpg', bytes: jpegWith(base, [exifWith(false), mainXmp, ...split(datedXmp, [0, 1, 2])]), native: false });
  const hdrXmp = (t: number) =>
    Buffer.from(xmp(`xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:HdrPlusMakernote="${hdrPlusNote(t).toString('base64')}"`));
  // EXIF's CreateDate outranks the note's; without one, ExifTool reports the note's (UTC) time
  cases.push({ name: 'hdr-plus-exif-date.jpg', bytes: jpegWith(base, [exifWith(true), mainXmp, ...split(hdrXmp(1698847877), [0, 1, 2])]), native: true });
  cases.push({ name: 'hdr-plus-only-date.jpg', bytes: jpegWith(base, [exifWith(false), mainXmp, ...split(hdrXmp(1698847877), [0, 1, 2])]), native: false });
  // The same note as an EXIF maker note (Pixel phones before the 8): ExifTool's MakerNoteGoogle,
  // unless Make names a maker whose condition comes first in MakerNotes.pm
  const note = hdrPlusNote(1698847877);
  cases.push({ name: 'hdr-plus-note-exif-date.jpg', bytes: jpegWith(base, [exifWith(true, note)]), native: true });
  cases.push({ name: 'hdr-plus-note-only-date.jpg', bytes: jpegWith(base, [exifWith(false, note)]), native: false });
  cases.push({ name: 'hdr-plus-note-canon.jpg', bytes: jpegWith(base, [exifWith(true, note, 'Canon')]), native: false });
  // Samsung's EXIF-format maker note (Galaxy phones): an IFD whose first entry is version "0100"
  const samsungNote = (le: boolean) => {
    const b = Buffer.alloc(2 + 3 * 12 + 4);
    const u16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
    const u32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
    u16(3, 0);
    u16(0x0001, 2), u16(7, 4), u32(4, 6), b.write('0100', 10, 'latin1'); // MakerNoteVersion
    u16(0x0002, 14), u16(4, 16), u32(1, 18), u32(0x1000, 22); // DeviceType
    u16(0x0003, 26), u16(4, 28), u32(1, 30), u32(0x4001041, 34); // SamsungModelID
    return b;
  };
  for (const [make, le] of [['SAMSUNG', true], ['samsung', false], ['Samsung ', true]] as const) {
    cases.push({ name: `samsung-note-${le ? 'le' : 'be'}-${make.trim()}.jpg`, bytes: jpegWith(base, [exifWith(true, samsungNote(le), make)]), native: true });
  }
  // another Make: no entry of MakerNotes.pm takes the note but the last, MakerNoteUnknown (harmless)
  cases.push({ name: 'samsung-note-techwin.jpg', bytes: jpegWith(base, [exifWith(true, samsungNote(true), 'Samsung Techwin')]), native: true });
  // the same note from a Canon: Canon's table takes it
  cases.push({ name: 'samsung-note-canon.jpg', bytes: jpegWith(base, [exifWith(true, samsungNote(true), 'Canon')]), native: false });
  // XMP repeating EXIF's tags (phones, editors): priority 0 to ExifTool, so EXIF's values stand
  const tiffXmp = (prefix: string, uri: string) =>
    xmpSegment(xmp(`xmlns:${prefix}="${uri}" ${prefix}:Orientation="6" ${prefix}:Make="Other" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2001-02-03T04:05:06"`));
  const withOrientation = exifSegment(
    tiff(false, [
      { name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x112, type: SHORT, value: [1] }, { tag: 0x8769, ptr: 'exif' }] },
      { name: 'exif', entries: [{ tag: 0x9004, type: ASCII, value: '2020:01:02 03:04:05' }] },
    ]),
  );
  cases.push({ name: 'xmp-repeats-exif.jpg', bytes: jpegWith(base, [withOrientation, tiffXmp('tiff', 'http://ns.adobe.com/tiff/1.0/')]), native: true });
  cases.push({ name: 'xmp-repeats-exif-odd-prefix.jpg', bytes: jpegWith(base, [withOrientation, tiffXmp('t', 'http://ns.adobe.com/tiff/1.0/')]), native: true });
  // the same names in another namespace are other tags (ExifTool's to rank): deferred
  cases.push({ name: 'xmp-other-namespace.jpg', bytes: jpegWith(base, [withOrientation, tiffXmp('tiff', 'http://example.com/tiff/')]), native: false });
  cases.push({ name: 'xmp-orientation-only.jpg', bytes: jpegWith(base, [exifWith(true), tiffXmp('tiff', 'http://ns.adobe.com/tiff/1.0/')]), native: false });
  // Found in review, each checked against ExifTool below: ways ExifTool takes a listed tag that
  // a search for the listed names alone would miss
  const u = (props: string) => xmpSegment(xmp(`xmlns:u="http://example.com/u/" ${props}`));
  const plainExif = exifSegment(tiff(false, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x112, type: SHORT, value: [1] }] }]));
  cases.push({ name: 'xmp-before-exif.jpg', bytes: jpegWith(base, [tiffXmp('tiff', 'http://ns.adobe.com/tiff/1.0/'), withOrientation]), native: false });
  cases.push({ name: 'xmp-upper-underscore.jpg', bytes: jpegWith(base, [plainExif, u('u:CREATE_DATE="2021-02-03T04:05:06"')]), native: false });
  cases.push({ name: 'xmp-dotted.jpg', bytes: jpegWith(base, [plainExif, u('u:Date.Time.Original="2021-02-03T04:05:07"')]), native: false });
  cases.push({
    name: 'xmp-struct-joined.jpg',
    bytes: jpegWith(base, [plainExif, xmpSegment(xmp('xmlns:u="http://example.com/u/"').replace('/></rdf:RDF>', '><u:Create rdf:parseType="Resource"><u:Date>2022-02-03T04:05:06</u:Date></u:Create></rdf:Description></rdf:RDF>'))]),
    native: false,
  });
  cases.push({ name: 'xmp-date-time-created.jpg', bytes: jpegWith(base, [plainExif, u('u:DateCreated="2019:01:02" u:TimeCreated="03:04:05"')]), native: false });
  cases.push({ name: 'xmp-harmless-vendor.jpg', bytes: jpegWith(base, [plainExif, u('u:Version="1" u:ImageData="x" xml:lang="en"')]), native: true });
  // second review: markup ExifTool's regex parser reads differently from XML, nested names, directories in XMP
  const xmlBody = (inner: string) => xmpSegment(xmp('xmlns:u="http://example.com/u/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"').replace('/></rdf:RDF>', `>${inner}</rdf:Description></rdf:RDF>`));
  cases.push({ name: 'xmp-lt-in-attribute.jpg', bytes: jpegWith(base, [plainExif, xmlBody('<u:CreateDate u:q="<u:x">2022:02:03 04:05:06</u:CreateDate<u:z>')]), native: false });
  cases.push({ name: 'xmp-name-junk.jpg', bytes: jpegWith(base, [plainExif, xmlBody('<u:CreateDate#x>2022:02:03 04:05:06</u:CreateDate#x>')]), native: false });
  cases.push({ name: 'xmp-lens-model.jpg', bytes: jpegWith(base, [plainExif, xmlBody('<u:Lens rdf:parseType="Resource"><tiff:Model>XF23mm</tiff:Model></u:Lens>')]), native: false });
  cases.push({ name: 'xmp-date-created-nested.jpg', bytes: jpegWith(base, [plainExif, xmlBody('<u:TimeCreated>03:04:05</u:TimeCreated><u:Date rdf:parseType="Resource"><u:Created>2019:01:02</u:Created></u:Date>')]), native: false });
  const inner = Buffer.from(xmp('xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2020-01-01T00:00:00"')).toString('base64');
  cases.push({ name: 'xmp-nested-packet.jpg', bytes: jpegWith(base, [plainExif, xmpSegment(xmp(`xmlns:ast="http://ns.nikon.com/asteroid/1.0/" ast:XMLPackets="${inner}"`))]), native: false });
  const gpsIsIfd0 = tiff(false, [
    {
      name: 'ifd0',
      entries: [
        { tag: 0x1, type: ASCII, value: 'N' },
        { tag: 0x2, type: RATIONAL, value: [[10, 1], [20, 1], [30, 1]] },
        { tag: 0x10f, type: ASCII, value: 'Canon' },
        { tag: 0x8825, ptr: 'ifd0' },
      ],
    },
  ]);
  cases.push({ name: 'gps-pointer-to-ifd0.jpg', bytes: jpegWith(base, [exifSegment(gpsIsIfd0)]), native: false });
  // third review: one arc-second from the equator prints with 18 decimals, which ExifTool's JSON quotes
  const nearZero = gpsOnly([
    { tag: 0x1, type: ASCII, value: 'N' },
    { tag: 0x2, type: RATIONAL, value: [[0, 1], [0, 1], [1, 1]] },
    { tag: 0x3, type: ASCII, value: 'W' },
    { tag: 0x4, type: RATIONAL, value: [[0, 1], [0, 1], [1, 1]] },
  ]);
  cases.push({ name: 'gps-one-arc-second.jpg', bytes: jpegWith(base, [exifSegment(nearZero)]), native: true });
  const ifd1Subfile = tiff(false, [
    { name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x112, type: SHORT, value: [1] }], next: 'ifd1' },
    { name: 'ifd1', entries: [{ tag: 0xfe, type: LONG, value: [0] }, { tag: 0x112, type: SHORT, value: [8] }] },
  ]);
  cases.push({ name: 'ifd1-subfiletype.jpg', bytes: jpegWith(base, [exifSegment(ifd1Subfile)]), native: false });
  // Segments ExifTool reads before the EXIF block: it remembers their directories' addresses and
  // would skip an EXIF directory at one. A one-chunk profile stays in its segment; a profile in two
  // chunks is placed at its last chunk (its tags may reach past it), an MPF index anywhere.
  const plainIcc = iccProfile([['desc', Buffer.from('desc\0\0\0\0\0\0\0\x04abc\0', 'latin1')]]);
  const iccChunk = (k: number, n: number, part: Buffer) => segment(0xe2, Buffer.concat([Buffer.from(`ICC_PROFILE\0${String.fromCharCode(k)}${String.fromCharCode(n)}`, 'latin1'), part]));
  const half = Math.ceil(plainIcc.length / 2);
  cases.push({ name: 'icc-before-exif.jpg', bytes: jpegWith(base, [iccChunk(1, 1, plainIcc), plainExif]), native: true });
  cases.push({ name: 'icc-two-chunks-before-exif.jpg', bytes: jpegWith(base, [iccChunk(1, 2, plainIcc.subarray(0, half)), iccChunk(2, 2, plainIcc.subarray(half)), plainExif]), native: false });
  cases.push({ name: 'icc-two-chunks-after-exif.jpg', bytes: jpegWith(base, [plainExif, iccChunk(1, 2, plainIcc.subarray(0, half)), iccChunk(2, 2, plainIcc.subarray(half))]), native: true });
  const mpf = segment(0xe2, Buffer.concat([Buffer.from('MPF\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0', 'latin1')]));
  cases.push({ name: 'mpf-before-exif.jpg', bytes: jpegWith(base, [mpf, plainExif]), native: false });
  cases.push({ name: 'mpf-after-exif.jpg', bytes: jpegWith(base, [plainExif, mpf]), native: true });
  // an Apple note whose entry count (02 01) ExifTool's byte-order rule reads little-endian
  const swappedApple = Buffer.alloc(16 + 513 * 12 + 4);
  swappedApple.write('Apple iOS\0\0\x01MM\x02\x01', 0, 'latin1');
  cases.push({ name: 'apple-note-count-swapped.jpg', bytes: jpegWith(base, [exifWith(true, swappedApple, 'Apple')]), native: false });
  // Photoshop's camera-raw tags above 0xf000: ExifTool makes a tag of a "Name: value" text
  cases.push({
    name: 'psraw-tag.jpg',
    bytes: jpegWith(base, [exifSegment(tiff(true, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0xf001, type: ASCII, value: 'Lens Model: Evil' }] }]))]),
    native: false,
  });
  // values at offsets ExifTool calls suspicious and drops: before offset 8, or over their own IFD
  const laid = (makeAt: number | null, dateAt: number | null) => {
    const t = new ExifLayout(true);
    t.text('Canon', 200);
    t.text('2020:01:02 03:04:05', 260);
    t.ifd(8, [
      { tag: 0x10f, type: ASCII, count: 6, off: makeAt ?? 200 },
      { tag: 0x8769, type: 4, count: 1, inline: t.long(100) },
    ]);
    t.ifd(100, [{ tag: 0x9003, type: ASCII, count: 20, off: dateAt ?? 260 }]);
    return jpegWith(base, [exifSegment(t.bytes())]);
  };
  cases.push({ name: 'value-at-offset-0.jpg', bytes: laid(0, null), native: false });
  cases.push({ name: 'value-over-its-ifd.jpg', bytes: laid(null, 100), native: false });
  cases.push({ name: 'values-laid-out-plainly.jpg', bytes: laid(null, null), native: true });
  const icc = iccWithMeta({ DateTimeOriginal: '1999:09:09 09:09:09', Make: 'Evil' });
  cases.push({ name: 'icc-meta.jpg', bytes: jpegWith(base, [plainExif, segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1'), icc]))]), native: false });
  cases.push({
    name: 'exif-icc-meta.jpg',
    bytes: jpegWith(base, [exifSegment(tiff(false, [{ name: 'ifd0', entries: [{ tag: 0x10f, type: ASCII, value: 'Canon' }, { tag: 0x8773, type: UNDEFINED, value: icc }] }]))]),
    native: false,
  });
  // the EXIF pointer before Make: ExifTool meets the note not knowing the Make, so Samsung's entry
  // does not take it and MakerNoteUnknown does (harmless too)
  cases.push({ name: 'samsung-note-pointer-first.jpg', bytes: jpegWith(base, [exifWith(true, samsungNote(true), 'SAMSUNG', true)]), native: true });
  cases.push({ name: 'hdr-plus-note-pointer-first-canon.jpg', bytes: jpegWith(base, [exifWith(true, note, 'Canon', true)]), native: true });
  // Review 5: PrintIM (0xc4a5), a sub-directory ExifTool records as read even when its header
  // fails, at the address of a directory ExifTool meets later: that directory is skipped
  for (const le of [true, false]) {
    for (const where of ['exififd', 'interop', 'ifd0-before-exif', 'ifd0-after-gps'] as const) {
      const t = new ExifLayout(le);
      const [EX, IOP, GPS] = [100, 900, 700];
      const ascii = (tag: number, v: string, at: number) => (t.text(v, at), { tag, type: ASCII, count: v.length + 1, off: at });
      const printIm = (at: number) => ({ tag: 0xc4a5, type: UNDEFINED, count: 32, off: at });
      t.rationals([[10, 1], [20, 1], [30, 1]], 800);
      t.rationals([[40, 1], [50, 1], [0, 1]], 830);
      t.ifd(GPS, [
        { tag: 1, type: ASCII, count: 2, inline: Buffer.from('N\0\0\0', 'latin1') },
        { tag: 2, type: RATIONAL, count: 3, off: 800 },
        { tag: 3, type: ASCII, count: 2, inline: Buffer.from('E\0\0\0', 'latin1') },
        { tag: 4, type: RATIONAL, count: 3, off: 830 },
      ]);
      const ifd0: LaidEntry[] = [ascii(0x10f, 'Canon', 300), ascii(0x110, 'CamModel', 340)];
      if (where === 'ifd0-before-exif') ifd0.push(printIm(EX));
      ifd0.push({ tag: 0x8769, type: LONG, count: 1, inline: t.long(EX) }, { tag: 0x8825, type: LONG, count: 1, inline: t.long(GPS) });
      if (where === 'ifd0-after-gps') ifd0.push(printIm(GPS));
      const exif: LaidEntry[] = [ascii(0x9003, '2020:01:02 03:04:05', 380), ascii(0x9004, '2020:01:02 03:04:05', 420)];
      if (where === 'interop') exif.push({ tag: 0xa005, type: LONG, count: 1, inline: t.long(IOP) });
      if (where === 'exififd') exif.push(printIm(GPS));
      t.ifd(EX, exif);
      if (where === 'interop') t.ifd(IOP, [{ tag: 1, type: ASCII, count: 4, inline: Buffer.from('R98\0', 'latin1') }, printIm(GPS)]);
      t.ifd(8, ifd0);
      // after the GPS pointer, ExifTool reads GPS first and skips PrintIM: the same answer, but
      // the reader does not follow ExifTool's order, so it defers on every such collision
      cases.push({ name: `printim-${where}-${le ? 'le' : 'be'}.jpg`, bytes: jpegWith(base, [exifSegment(t.bytes())]), native: false });
    }
  }
  // Review 5: an XMP namespace ExifTool takes for Nikon's NX Studio files makes MIMEType its own
  const nxd = xmpSegment(xmp('xmlns:nx="http://ns.nikon.com/BASIC_PARAM/1.0/" nx:Foo="1"'));
  cases.push({ name: 'xmp-nikon-nxd.jpg', bytes: jpegWith(base, [plainExif, nxd]), native: false });
  cases.push({ name: 'xmp-nikon-other.jpg', bytes: jpegWith(base, [plainExif, xmpSegment(xmp('xmlns:nx="http://ns.nikon.com/other/1.0/" nx:Foo="1"'))]), native: true });
  return cases;
}

describe('formatG: C printf %.Ng', () => {
  it('rounds exact ties to even and prints like C', () => {
    expect(formatG(12.345703125, 10)).toBe('12.34570312');
    expect(formatG(123456789.25, 10)).toBe('123456789.2');
    expect(formatG(2.5, 1)).toBe('2');
    expect(formatG(3.5, 1)).toBe('4');
    expect(formatG(1e-5, 10)).toBe('1e-05');
    expect(formatG(0.0001, 10)).toBe('0.0001');
    expect(formatG(1e21, 15)).toBe('1e+21');
    expect(formatG(100, 15)).toBe('100');
    expect(formatG(0.1 + 0.2, 15)).toBe('0.3');
    expect(formatG(-0, 15)).toBe('-0');
    expect(formatG(-52.5, 15)).toBe('-52.5');
  });

  it("matches perl's sprintf on 3,000 doubles (perl runs ExifTool, so it is here)", () => {
    const r = rng(7);
    const xs: number[] = [];
    for (let i = 0; i < 1000; i++) xs.push(Math.floor(r() * 2 ** 32) / [1, 2, 512, 1024, 100, 3, 7][i % 7]!);
    for (let i = 0; i < 1000; i++) xs.push((r() - 0.5) * 10 ** Math.floor(r() * 30 - 15));
    for (let i = 0; i < 1000; i++) xs.push(Math.floor(r() * 180) + Math.floor(r() * 60) / 60 + (Math.floor(r() * 60000) / 1000) / 3600);
    const hex = xs.map((x) => {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(x);
      return b.toString('hex');
    });
    const perl = execFileSync('perl', ['-e', 'for (@ARGV) { my $x = unpack("d>", pack("H*", $_)); printf "%.10g %.15g\\n", $x, $x }', ...hex], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    }).trim().split('\n');
    const mine = xs.map((x) => `${formatG(x, 10)} ${formatG(x, 15)}`);
    expect(mine).toEqual(perl);
  });
});

describe('json: how ExifTool prints a value', () => {
  it.each([
    ['1.50', 1.5],
    ['007', '007'],
    ['true', true],
    ['FALSE', false],
    ['1e5', 100000],
    ['Canon', 'Canon'],
    ['12345678901234567', '12345678901234567'],
  ])('%s', (input, expected) => expect(json(input)).toBe(expected));
});

describe('harmlessXmp: long base64 values', () => {
  // A depth map or an embedded image, base64 in an attribute or as text: blanked before the tags
  // are checked, or the tag would be too long to check. The blanking regex must not keep a backtrack entry per character: the
  // form it had (`{32,}`) took ~18 MB of V8's regexp stack per MB of value and overflowed it at
  // ~4 MB (RangeError: Maximum call stack size exceeded).
  const value = `AAAAgPsAMAKELENS${Buffer.alloc(6 << 20, 0xa7).toString('base64')}`;
  it('an 8 MB value in an attribute', () => {
    const packet = xmp(`xmlns:GImage="http://ns.google.com/photos/1.0/image/" GImage:Data="${value}"`);
    expect([...harmlessXmp(Buffer.from(packet))]).toEqual([]);
  });
  it('and as element text', () => {
    const packet = xmp('xmlns:GImage="http://ns.google.com/photos/1.0/image/"').replace(
      '/></rdf:RDF>',
      `><GImage:Data>${value}</GImage:Data></rdf:Description></rdf:RDF>`,
    );
    expect([...harmlessXmp(Buffer.from(packet))]).toEqual([]);
  });
  it('a long value that is not base64 is not blanked: the tag is too long to check', () => {
    const text = 'a b '.repeat(20000);
    const packet = xmp(`xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="${text}"`);
    expect(() => harmlessXmp(Buffer.from(packet))).toThrow(/too long to check/);
  });
});

describe('readJpegTags against ExifTool', () => {
  const cases = makeCases();
  const { et, path } = generatedFilesForExifTool(cases);

  it('answers exactly as ExifTool for every generated file it answers for, and defers on the rest', async () => {
    const files = cases.map((c) => path(c.name));
    const tags = await readTags(et(), tagArgs('default'), files);
    const answered: string[] = [];
    for (const c of cases) {
      const native = readJpegTags(c.bytes);
      const why = explainJpegTags(c.bytes);
      if (c.native === true) expect(native, `${c.name}: ${typeof why === 'string' ? why : ''}`).not.toBeNull();
      if (c.native === false) expect(native, c.name).toBeNull();
      if (!native) continue;
      answered.push(c.name);
      // the raw tags, as ExifTool prints them (Warning, which is not stored, aside), and the fields
      expect(native, c.name).toEqual(comparable(tags.get(path(c.name))!));
      expect(toExifFields(native), c.name).toEqual(toExifFields(tags.get(path(c.name))!));
    }
    // the generator's awkward cases (IFD1 size tags, shadowed orientation…) defer, the rest answer
    expect(answered.length).toBeGreaterThan(cases.length * 0.6);
  });

  it('gets the GPS tie right: latitude, and a negative altitude from its Ref', async () => {
    const c = cases.find((x) => x.name === 'gps-tie.jpg')!;
    const f = toExifFields(readJpegTags(c.bytes)!);
    const t = (await readTags(et(), tagArgs('default'), [path(c.name)])).get(path(c.name))!;
    expect(f.lat).toBe(t.GPSLatitude);
    expect(f.lon).toBeLessThan(0);
    expect(f.alt).toBe(-123456789.2);
    expect(f.alt).toBe(t.GPSAltitude);
  });

  it('says why a file goes to ExifTool', () => {
    const why = (name: string) => explainJpegTags(cases.find((x) => x.name === name)!.bytes);
    expect(why('photoshop-exif.jpg')).toBe('EXIF in the Photoshop resources');
    expect(why('photoshop-two-segments.jpg')).toBe('an APP13 segment other than one Photoshop block');
    expect(why('photoshop-iptc-record-3.jpg')).toBe('IPTC record 3');
    expect(why('latin1-make.jpg')).toBe('text with non-ASCII or control characters');
    expect(why('exif-after-frame.jpg')).toMatch(/tag 0x100/);
    expect(why('header-cut.jpg')).toMatch(/does not fit|runs past/);
  });

  it('defers on XMP ExifTool would take a listed tag from, and ExifTool does take it', async () => {
    const names = ['xmp-extended-dated.jpg', 'hdr-plus-only-date.jpg', 'hdr-plus-note-only-date.jpg'];
    const files = names.map((n) => path(n));
    const tags = await readTags(et(), tagArgs('default'), files);
    expect(tags.get(files[0]!)!.CreateDate).toBe('2001:02:03 04:05:06');
    expect(tags.get(files[1]!)!.CreateDate).toBe('2023:11:01 14:11:17+00:00');
    expect(tags.get(files[2]!)!.CreateDate).toBe('2023:11:01 14:11:17+00:00');
    const why = (name: string) => explainJpegTags(cases.find((x) => x.name === name)!.bytes);
    expect(why('xmp-extended-dated.jpg')).toMatch(/CreateDate/);
    expect(why('hdr-plus-only-date.jpg')).toMatch(/XMP holds CreateDate and nothing outranks it/);
    expect(why('hdr-plus-note-only-date.jpg')).toMatch(/HDR\+ maker note and no EXIF CreateDate/);
    expect(why('hdr-plus-note-canon.jpg')).toMatch(/Canon's/);
    expect(why('xmp-extended-missing-chunk.jpg')).toMatch(/chunk missing/);
  });

  it("reads Photoshop's resources as ExifTool does: IPTC's DateCreated with a TimeCreated, IPTC's or XMP's, is a DateTimeOriginal", async () => {
    const names = ['photoshop-iptc.jpg', 'photoshop-iptc-dated.jpg', 'photoshop-iptc-time-xmp-date.jpg', 'photoshop-exif.jpg'];
    const tags = await readTags(et(), tagArgs('default'), names.map(path));
    const t = (i: number) => tags.get(path(names[i]!))!;
    expect(t(0).DateTimeOriginal).toBe('2020:01:02 03:04:05');
    expect(t(1).DateTimeOriginal).toBe('2021:03:04 05:06:07+01:00');
    expect(t(2).DateTimeOriginal).toBe('2021:03:04 05:06:07+01:00');
    expect(t(3).Model).toBe('Inner');
    const why = (name: string) => explainJpegTags(cases.find((x) => x.name === name)!.bytes);
    expect(why('photoshop-iptc-dated.jpg')).toMatch(/IPTC DateCreated/);
    expect(why('photoshop-iptc-time-xmp-date.jpg')).toMatch(/IPTC TimeCreated/);
  });

  it('the fifth review cases: PrintIM at a directory address hides that directory; a Nikon NX namespace changes MIMEType', async () => {
    const files = ['printim-exififd-le.jpg', 'printim-interop-be.jpg', 'printim-ifd0-before-exif-le.jpg', 'xmp-nikon-nxd.jpg'].map(path);
    const tags = await readTags(et(), tagArgs('default'), files);
    const t = (i: number) => tags.get(files[i]!)!;
    expect(t(0).GPSLatitude).toBeUndefined();
    expect(t(0).DateTimeOriginal).toBe('2020:01:02 03:04:05');
    expect(t(1).GPSLatitude).toBeUndefined();
    expect(t(2).DateTimeOriginal).toBeUndefined();
    expect(t(3).MIMEType).toBe('application/x-nikon-nxd');
    const why = (name: string) => explainJpegTags(cases.find((x) => x.name === name)!.bytes);
    expect(why('printim-exififd-be.jpg')).toBe('PrintIM at the address of a directory');
    expect(why('printim-ifd0-before-exif-be.jpg')).toBe('PrintIM at the address of a directory');
    expect(why('xmp-nikon-nxd.jpg')).toBe("XMP with Nikon's NX Studio namespace");
  });

  it('the third review cases: ExifTool reads a camera-raw tag as LensModel, and drops values at suspicious offsets', async () => {
    const files = ['psraw-tag.jpg', 'value-at-offset-0.jpg', 'value-over-its-ifd.jpg'].map(path);
    const tags = await readTags(et(), tagArgs('default'), files);
    expect(tags.get(files[0]!)!.LensModel).toBe('Evil');
    expect(tags.get(files[1]!)!.Make).toBeUndefined();
    expect(tags.get(files[2]!)!.DateTimeOriginal).toBeUndefined();
  });

  it('the review cases: ExifTool does take a listed tag from each of them', async () => {
    const names = ['xmp-before-exif.jpg', 'xmp-upper-underscore.jpg', 'xmp-dotted.jpg', 'xmp-struct-joined.jpg', 'xmp-date-time-created.jpg', 'ifd1-subfiletype.jpg', 'icc-meta.jpg', 'exif-icc-meta.jpg'];
    const files = names.map((n) => path(n));
    const tags = await readTags(et(), tagArgs('default'), files);
    const t = (i: number) => tags.get(files[i]!)!;
    expect(t(0).Orientation).toBe(6);
    expect(t(1).CreateDate).toBe('2021:02:03 04:05:06');
    expect(t(2).DateTimeOriginal).toBe('2021:02:03 04:05:07');
    expect(t(3).CreateDate).toBe('2022:02:03 04:05:06');
    expect(t(4).DateTimeOriginal).toBe('2019:01:02 03:04:05');
    expect(t(5).Orientation).toBe(8);
    expect(t(6)).toMatchObject({ DateTimeOriginal: '1999:09:09 09:09:09', Make: 'Evil' });
    expect(t(7)).toMatchObject({ DateTimeOriginal: '1999:09:09 09:09:09', Make: 'Evil' });
  });

  it('the second review cases: ExifTool takes a listed tag from each, or none where the reader would find one', async () => {
    const names = ['xmp-lt-in-attribute.jpg', 'xmp-name-junk.jpg', 'xmp-lens-model.jpg', 'xmp-date-created-nested.jpg', 'xmp-nested-packet.jpg', 'gps-pointer-to-ifd0.jpg'];
    const files = names.map((n) => path(n));
    const tags = await readTags(et(), tagArgs('default'), files);
    const t = (i: number) => tags.get(files[i]!)!;
    expect(t(0).CreateDate).toBe('2022:02:03 04:05:06');
    expect(t(1).CreateDate).toBe('2022:02:03 04:05:06');
    expect(t(2).LensModel).toBe('XF23mm');
    expect(t(3).DateTimeOriginal).toBe('2019:01:02 03:04:05');
    expect(t(4).CreateDate).toBe('2020:01:01 00:00:00');
    expect(t(5).GPSLatitude).toBeUndefined();
  });

  it('a coordinate ExifTool prints as a quoted number is read as that string, and stored as the number', async () => {
    const c = cases.find((x) => x.name === 'gps-one-arc-second.jpg')!;
    const native = readJpegTags(c.bytes)!;
    const ref = (await readTags(et(), tagArgs('default'), [path(c.name)])).get(path(c.name))!;
    expect(ref.GPSLatitude).toBe('0.000277777777777778');
    expect(native.GPSLatitude).toBe('0.000277777777777778');
    expect(native.GPSLongitude).toBe('-0.000277777777777778');
    expect(toExifFields(native)).toMatchObject({ lat: 0.000277777777777778, lon: -0.000277777777777778 });
  });

  it('takes XMP that repeats EXIF at priority 0, and ExifTool does report XMP when EXIF lacks the tag', async () => {
    const files = ['xmp-repeats-exif.jpg', 'xmp-orientation-only.jpg'].map((n) => path(n));
    const tags = await readTags(et(), tagArgs('default'), files);
    expect(tags.get(files[0]!)).toMatchObject({ Orientation: 1, Make: 'Canon', CreateDate: '2020:01:02 03:04:05' });
    expect(tags.get(files[1]!)).toMatchObject({ Orientation: 6, Make: 'Google' });
    const why = (name: string) => explainJpegTags(cases.find((x) => x.name === name)!.bytes);
    expect(why('xmp-orientation-only.jpg')).toMatch(/XMP holds Orientation and nothing outranks it/);
    expect(why('xmp-other-namespace.jpg')).toMatch(/tiff:(Orientation|Make)/);
  });

  it("reads ExifTool's Samsung note as Samsung's (so the test above compares the right thing)", async () => {
    const file = path('samsung-note-le-SAMSUNG.jpg');
    const t = (await readTags(et(), tagArgs(['MakerNoteVersion', 'DeviceType']), [file])).get(file)!;
    expect(t).toMatchObject({ MakerNoteVersion: '0100', DeviceType: 0x1000 });
  });

  const corpus = join(import.meta.dirname, '../../shared/corpus');
  it.skipIf(!existsSync(corpus))('matches ExifTool on every corpus JPEG it answers for (../shared/corpus)', async () => {
    const files = readdirSync(corpus)
      .filter((n) => NATIVE_EXTENSIONS.test(n))
      .map((n) => join(corpus, n));
    const tags = await readTags(et(), tagArgs('default'), files);
    let answered = 0;
    for (const f of files) {
      const native = readJpegTags((await readFile(f)).subarray(0, 1 << 20));
      if (!native) continue;
      answered++;
      expect(native, f).toEqual(comparable(tags.get(f)!));
      expect(toExifFields(native), f).toEqual(toExifFields(tags.get(f)!));
    }
    // iPhone, Pixel (extended XMP, HDR+ notes), Nikon, Olympus, Fujifilm, Panasonic, notes ExifTool
    // has no table for (maker-notes.ts), plain-EXIF and bare JPEGs; Canon's notes, IPTC, XMP dates and
    // Nikon notes with sub-directories next to GPS (the DSCN files) defer
    expect(answered).toBeGreaterThanOrEqual(27);
  });
});

/**
 * The reader's maker-note rules hold only for the ExifTool they were checked against: these run
 * ExifTool's own perl modules (the vendored ExifTool that the exif stage runs) and fail when an
 * ExifTool update moves a maker note in MakerNotes.pm's list or gives its tables a listed name.
 */
describe("the maker-note rules against ExifTool's tables", () => {
  const perl = async (script: string, ...args: string[]) => {
    const lib = join(dirname(await exiftoolPath()), 'lib');
    return execFileSync('perl', ['-I', lib, '-e', script, ...args], { encoding: 'utf8' });
  };
  // by name, whatever the group the list names (QuickTime:CreationDate): the rules stay as strict as for any CreationDate
  const listed = new Set(defaultTags().map((t) => t.replace(/^.*:/, '')));

  it.each([
    ['Image::ExifTool::Apple::Main', []],
    ['Image::ExifTool::Google::HDRPlusMakerNote', ['CreateDate']],
    ['Image::ExifTool::Samsung::Type2', []],
  ])('%s and the tables under it name %j of the list', async (table, expected) => {
    const names = await perl(
      `use Image::ExifTool; my (%seen, %names);
       sub walk { my $t = shift; return if $seen{$t}++; my $tbl = Image::ExifTool::GetTagTable($t) or die "no $t";
         for my $id (Image::ExifTool::TagTableKeys($tbl)) { for my $i (Image::ExifTool::GetTagInfoList($tbl, $id)) {
           $names{$$i{Name}} = 1 if $$i{Name}; walk($$i{SubDirectory}{TagTable}) if $$i{SubDirectory} and $$i{SubDirectory}{TagTable} } } }
       walk($ARGV[0]);
       # Composite tags of the modules those tables live in are made whenever the module is loaded
       for my $t (keys %seen) { my ($m) = $t =~ /^(Image::ExifTool::\\w+)::/; no strict 'refs'; my $c = \\%{"\${m}::Composite"};
         for my $k (keys %$c) { $names{ref $$c{$k} eq 'HASH' && $$c{$k}{Name} ? $$c{$k}{Name} : $k} = 1 if ref $$c{$k} eq 'HASH' } }
       print join("\\n", sort keys %names);`,
      table,
    );
    const all = names.split('\n');
    expect(all.length).toBeGreaterThan(1);
    expect(all.filter((n) => listed.has(n))).toEqual(expected);
  });

  it("Photoshop's resources read as directories name none of the list, IPTC included, but those the reader refuses", async () => {
    const out = await perl(
      `use Image::ExifTool; my $main = Image::ExifTool::GetTagTable('Image::ExifTool::Photoshop::Main');
       sub walk { my ($t, $seen, $names) = @_; return if $$seen{$t}++; my $tbl = Image::ExifTool::GetTagTable($t) or die "no $t";
         for my $id (Image::ExifTool::TagTableKeys($tbl)) { for my $i (Image::ExifTool::GetTagInfoList($tbl, $id)) { next unless ref $i eq 'HASH';
           $$names{$$i{Name}} = 1 if $$i{Name}; walk($$i{SubDirectory}{TagTable} // $t, $seen, $names) if $$i{SubDirectory} } } }
       for my $id (sort { $a <=> $b } grep /^\\d+$/, Image::ExifTool::TagTableKeys($main)) { for my $i (Image::ExifTool::GetTagInfoList($main, $id)) {
         next unless ref $i eq 'HASH' and $$i{SubDirectory}; my %names; walk($$i{SubDirectory}{TagTable}, {}, \\%names);
         printf "0x%04x\\t%s\\n", $id, join(',', sort keys %names) } }`,
    );
    const rows = out.replace(/\n$/, '').split('\n').map((l) => l.split('\t') as [string, string]);
    const hex = (t: number) => `0x${t.toString(16).padStart(4, '0')}`;
    const ids = rows.map(([id]) => id);
    for (const id of READ_AS_DIRECTORY.keys()) expect(ids).toContain(hex(id));
    expect(ids).toContain('0x0404'); // IPTC
    const naming = rows.filter(([id, names]) => !READ_AS_DIRECTORY.has(Number(id)) && names.split(',').some((n) => listed.has(n)));
    expect(naming).toEqual([]);
  });

  it('the XMP properties taken as outranked are priority 0 in XMP.pm, under the names and namespaces given', async () => {
    const claims = Object.entries(XMP_OUTRANKED).flatMap(([uri, props]) => Object.entries(props).map(([prop, tag]) => `${uri} ${prop} ${tag}`));
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::XMP; my %prefix = reverse %Image::ExifTool::XMP::nsURI;
       for (@ARGV) { my ($uri, $prop, $tag) = split / /; my $ns = $prefix{$uri} or die "no namespace for $uri";
         my $tbl = Image::ExifTool::GetTagTable("Image::ExifTool::XMP::$ns") or die "no table for $ns";
         my $info = $$tbl{$prop} or die "$ns:$prop unknown"; my $p = $$info{Priority} // $$tbl{PRIORITY} // 1;
         print "$ns:$prop=$$info{Name}/" . ($$info{Name} // $prop) . " p$p\\n" }`,
      ...claims,
    );
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(claims.length);
    for (const [i, line] of lines.entries()) {
      const tag = claims[i]!.split(' ')[2];
      expect(line, claims[i]).toMatch(new RegExp(`=(${tag})?/${tag} p0$`));
    }
  });

  it('every XMP property ExifTool reads as a directory of its own is one the reader refuses (or HDR+)', async () => {
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::XMP;
       for my $ns (sort keys %Image::ExifTool::XMP::Main) { my $i = $Image::ExifTool::XMP::Main{$ns};
         next unless ref $i eq 'HASH' and $$i{SubDirectory}; my $t = eval { Image::ExifTool::GetTagTable($$i{SubDirectory}{TagTable}) } or next;
         for my $id (Image::ExifTool::TagTableKeys($t)) { for my $ti (Image::ExifTool::GetTagInfoList($t, $id)) {
           print "$id\\n" if ref $ti eq 'HASH' and $$ti{SubDirectory} } } }`,
    );
    const ids = [...new Set(out.trim().split('\n'))].sort();
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) expect(id === 'HdrPlusMakernote' || NESTED_DIRECTORIES.test(id), id).toBe(true);
  });

  it('MakerNotes.pm picks Apple, Google and Samsung for the notes the reader accepts', async () => {
    // every combination the reader accepts, with a random tail: the first entry whose condition holds
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::MakerNotes; srand(11); my %picked;
       my @heads = (["Apple iOS\\0\\0\\x01MM", ["Apple", ""]], ["HDRP\\x02", ["Google", "", "SAMSUNG", "Pixel"]], ["HDRP\\x03", ["Google"]]);
       for my $n (0, 1, 2, 3, 7, 0x1f, 0x20, 0x2a, 0x49, 0x4d, 0x53, 0x7f, 0xff) { push @heads, ["\\0" . chr($n) . "\\0\\x01\\0\\x07\\0\\0\\0\\x04" . "0100", ["SAMSUNG", "samsung", "Samsung"]],
                                        [chr($n) . "\\0\\x01\\0\\x07\\0\\x04\\0\\0\\0" . "0100", ["SAMSUNG", "Samsung"]] }
       for my $h (@heads) { for my $make (@{$$h[1]}) { for my $model ("SM-G991B", "", "DC-FT7", "PixPro Kodak") {
         my $val = $$h[0] . join("", map { chr(int rand 256) } 1..64); my $valPt = \\$val;
         my $self = { Make => $make, Model => $model, TIFF_TYPE => "JPEG" }; my $count = length $val; my $pick = "none";
         for my $e (@Image::ExifTool::MakerNotes::Main) { my $c = $$e{Condition}; my $ok = defined $c ? eval $c : 1; die $@ if $@;
           if ($ok) { $pick = $$e{Name}; last } }
         $picked{substr($$h[0], 0, 4) =~ /^(Appl|HDRP)/ ? $1 : "Samsung"}{$pick} = 1 } } }
       print join(" ", map { "$_=" . join(",", sort keys %{$picked{$_}}) } sort keys %picked);`,
    );
    expect(out).toBe('Appl=MakerNoteApple HDRP=MakerNoteGoogle Samsung=MakerNoteSamsung2');
  });
});
