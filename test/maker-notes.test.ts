import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { exiftoolPath } from 'exiftool-vendored';
import { defaultTags, readTags, tagArgs } from '../src/stages/exif.js';
import { toExifFields } from '../src/stages/exif-fields.js';
import { explainJpegTags, readJpegTags, SAMSUNG_SUBDIRS } from '../src/stages/jpeg-exif.js';
import { CONDITIONS, KINDS, NIKON_IFDS, NIKON_PAST_VALUE, pickMakerNote } from '../src/stages/maker-notes.js';
import { rng } from '../src/sample/pixels.js';
import { comparable, generatedFilesForExifTool, makeJpeg } from './helpers.js';
import { exifSegment, jpegWith } from './jpeg-writer.js';
import { cameraNote, NOTE_KINDS, WHOLE_NOTES } from './maker-note-writer.js';
import { ASCII, UNDEFINED, tiff } from './tiff-writer.js';
import { ExifLayout, type LaidEntry } from './exif-layout.js';

const perl = async (script: string, input = '') => {
  const lib = join(dirname(await exiftoolPath()), 'lib');
  return execFileSync('perl', ['-I', lib, '-e', script], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
};

/** The makes cameras write, one per kind the reader follows. */
const MAKES: Record<string, string> = {
  MakerNoteNikon: 'NIKON CORPORATION',
  MakerNoteNikon2: 'NIKON',
  MakerNoteCasio2: 'CASIO COMPUTER CO.,LTD.',
  MakerNoteFujiFilm: 'FUJIFILM',
  MakerNoteMotorola: 'Motorola',
  MakerNoteOlympus: 'OLYMPUS OPTICAL CO.,LTD',
  MakerNoteOlympus2: 'OLYMPUS IMAGING CORP.',
  MakerNotePanasonic: 'Panasonic',
  MakerNotePentax5: 'PENTAX',
  MakerNoteRicohPentax: 'RICOH IMAGING COMPANY, LTD.',
  MakerNoteUnknown: 'HUAWEI',
};

/** A JPEG whose EXIF (byte order `le`) has Make, Model, a date and `note` in the EXIF IFD. */
function jpegWithNote(base: Buffer, le: boolean, make: string, note: Buffer, model = 'X100'): Buffer {
  return jpegWith(base, [
    exifSegment(
      tiff(le, [
        {
          name: 'ifd0',
          entries: [
            { tag: 0x10f, type: ASCII, value: make },
            { tag: 0x110, type: ASCII, value: model },
            { tag: 0x8769, ptr: 'exif' },
          ],
        },
        {
          name: 'exif',
          entries: [
            { tag: 0x9003, type: ASCII, value: '2012:03:04 05:06:07' },
            { tag: 0x927c, type: UNDEFINED, value: note },
          ],
        },
      ]),
    ),
  ]);
}

/**
 * An Olympus note (the "OLYMPUS\0" layout, offsets from the note's start) whose Equipment IFD
 * (0x2010) holds a LensModel, reached through the IFDs of `via` first (0x4000, MainInfo, reads
 * one with Olympus's main table again): ExifTool reports it, so the reader must not pass over them.
 */
function olympusWithLens(lens: string, via: number[] = []): Buffer {
  const chain = [...via, 0x2010, 0x0203];
  const lensAt = 12 + 18 * chain.length;
  const b = Buffer.alloc(lensAt + lens.length + 1);
  b.write('OLYMPUS\0II\x03\0', 0, 'latin1');
  chain.forEach((tag, i) => {
    // one IFD of one entry each, every 18 bytes: an IFD pointer to the next, then LensModel
    const at = 12 + 18 * i;
    const last = tag === 0x0203;
    b.writeUInt16LE(1, at);
    b.writeUInt16LE(tag, at + 2), b.writeUInt16LE(last ? ASCII : 13, at + 4);
    b.writeUInt32LE(last ? lens.length + 1 : 1, at + 6), b.writeUInt32LE(last ? lensAt : at + 18, at + 10);
  });
  b.write(`${lens}\0`, lensAt, 'latin1');
  return b;
}

interface Case {
  name: string;
  bytes: Buffer;
  native: boolean;
}

/**
 * IFD0 (Make, Model, the EXIF pointer, then the GPS pointer to `gpsAt`), an EXIF IFD with a date and
 * a maker note of `noteLength` bytes at `noteAt` that `fill` writes, and a GPS IFD at `gpsAt`
 * (latitude, longitude). ExifTool remembers each directory it reads, the note's and those under
 * it; a GPS directory at one of their addresses it skips ("GPS pointer references previous ...").
 */
function gpsAfterNote(le: boolean, make: string, noteAt: number, noteLength: number, gpsAt: number, fill: (t: ExifLayout) => void): Buffer {
  const t = new ExifLayout(le);
  t.text(make, 200);
  t.text('Model X', 240);
  t.text('2020:01:02 03:04:05', 260);
  t.ifd(8, [
    { tag: 0x10f, type: ASCII, count: make.length + 1, off: 200 },
    { tag: 0x110, type: ASCII, count: 8, off: 240 },
    { tag: 0x8769, type: 4, count: 1, inline: t.long(100) },
    { tag: 0x8825, type: 4, count: 1, inline: t.long(gpsAt) },
  ]);
  t.ifd(100, [
    { tag: 0x9003, type: ASCII, count: 20, off: 260 },
    { tag: 0x927c, type: UNDEFINED, count: noteLength, off: noteAt },
  ]);
  fill(t);
  // the GPS IFD last, so that it wins where the note's bytes and it overlap
  const values = gpsAt + 2 + 4 * 12 + 4;
  t.ifd(gpsAt, [
    { tag: 1, type: ASCII, count: 2, inline: Buffer.from('N\0\0\0', 'latin1') },
    { tag: 2, type: 5, count: 3, off: values },
    { tag: 3, type: ASCII, count: 2, inline: Buffer.from('E\0\0\0', 'latin1') },
    { tag: 4, type: 5, count: 3, off: values + 24 },
  ]);
  t.rationals([[10, 1], [20, 1], [30, 1]], values);
  t.rationals([[40, 1], [50, 1], [0, 1]], values + 24);
  return jpegWith(makeJpeg(40, 24, 4), [exifSegment(t.bytes())]);
}

const nikonHead = (le: boolean) => Buffer.from(`Nikon\0\x02\x10\0\0${le ? 'II\x2a\0\x08\0\0\0' : 'MM\0\x2a\0\0\0\x08'}`, 'latin1');

/** Notes with a directory at the GPS directory's address (collides) and controls that do not. */
function collisionCases(): Array<Case & { collides: boolean }> {
  const cases: Array<Case & { collides: boolean }> = [];
  for (const le of [true, false]) {
    const o = le ? 'le' : 'be';
    // the note's own directory is the GPS directory (Panasonic's starts 12 bytes in)
    cases.push({
      name: `gps-is-panasonic-note-${o}.jpg`,
      bytes: gpsAfterNote(le, 'Panasonic', 600 - 12, 12 + 2 + 48 + 4 + 48, 600, (t) => t.put(Buffer.from('Panasonic\0\0\0', 'latin1'), 588)),
      native: false,
      collides: true,
    });
    // a Nikon note at 400 (its TIFF header at 410, from which its offsets count) whose IFD holds
    // its version and `entry`; `more` lays out what the entry points at
    const nikonNote = (entry: (t: ExifLayout) => LaidEntry, more?: (t: ExifLayout) => void) => (t: ExifLayout) => {
      t.put(nikonHead(le), 400);
      t.ifd(418, [{ tag: 0x0001, type: UNDEFINED, count: 4, inline: Buffer.from('0210', 'latin1') }, entry(t)]);
      more?.(t);
    };
    const nikonCase = (name: string, gpsAt: number, fill: (t: ExifLayout) => void, native: boolean, collides: boolean) =>
      cases.push({ name: `${name}-${o}.jpg`, bytes: gpsAfterNote(le, 'NIKON CORPORATION', 400, 48, gpsAt, fill), native, collides });
    // Nikon's PreviewIFD (a sub-IFD, Start '$val') points at it
    const preview = (at: number, more?: (t: ExifLayout) => void) => nikonNote((t) => ({ tag: 0x0011, type: 4, count: 1, inline: t.long(at - 410) }), more);
    nikonCase('gps-is-nikon-preview', 600, preview(600), false, true);
    // the same note pointing elsewhere, at a PreviewIFD: ExifTool reads the GPS, and so does the reader
    const previewIfd = (next: number) => (t: ExifLayout) => t.ifd(800, [{ tag: 0x0201, type: 4, count: 1, inline: t.long(0) }], next);
    nikonCase('gps-after-nikon-preview', 600, preview(800, previewIfd(0)), true, false);
    // ... at an IFD past the EXIF block, which the reader cannot see: deferred
    nikonCase('gps-after-nikon-preview-unseen', 600, preview(5000), false, false);
    // ... but a PreviewIFD that links to a next IFD: where ExifTool may go next, it decides
    nikonCase('gps-after-nikon-preview-linked', 600, preview(800, previewIfd(900)), false, false);
    // ColorBalance0100 starts 72 bytes past its value (here a 4-byte value in the entry), whatever its size
    const colorBalance = nikonNote(() => ({ tag: 0x0097, type: UNDEFINED, count: 4, inline: Buffer.from('0100', 'latin1') }));
    nikonCase('gps-is-nikon-colorbalance', 440 + 72, colorBalance, false, true);
    nikonCase('gps-after-nikon-colorbalance', 600, colorBalance, true, false);
    // a PreviewIFD pointer as a signed byte: ExifTool takes -128, the IFD 128 bytes before the note's header
    nikonCase('gps-is-nikon-preview-sbyte', 410 - 128, nikonNote(() => ({ tag: 0x0011, type: 6, count: 1, inline: Buffer.from([0x80, 0, 0, 0]) })), false, true);
    // Nikon's scan IFD (Start '$val' too) holds binary directories of its own: ROC at the GPS
    // directory, then elsewhere
    const scan = (rocAt: number) =>
      nikonNote(
        (t) => ({ tag: 0x0e10, type: 4, count: 1, inline: t.long(800 - 410) }),
        (t) => t.ifd(800, [{ tag: 0x0110, type: UNDEFINED, count: 8, off: rocAt - 410 }]),
      );
    nikonCase('gps-is-nikon-scan-roc', 600, scan(600), false, true);
    nikonCase('gps-after-nikon-scan-roc', 600, scan(900), true, false);
    // a note without sub-directories, the GPS outside it: read natively, GPS included
    nikonCase('gps-after-nikon', 600, nikonNote(() => ({ tag: 0x0002, type: 3, count: 2, inline: Buffer.alloc(4) })), true, false);
    // Nikon's FlashInfo (binary data stored at an offset) at it
    nikonCase('gps-is-nikon-flashinfo', 600, nikonNote(() => ({ tag: 0x00a8, type: UNDEFINED, count: 22, off: 600 - 410 })), false, true);
    // Samsung's PictureWizard at it: Samsung's offset base is ExifTool's guess (FixBase), here one
    // that misses the GPS directory, but the reader cannot know: any such entry defers
    cases.push({
      name: `gps-is-samsung-picturewizard-${o}.jpg`,
      bytes: gpsAfterNote(le, 'SAMSUNG', 400, 30, 600, (t) =>
        t.ifd(400, [
          { tag: 0x0001, type: UNDEFINED, count: 4, inline: Buffer.from('0100', 'latin1') },
          { tag: 0x0021, type: 3, count: 5, off: 600 },
        ]),
      ),
      native: false,
      collides: false,
    });
  }
  return cases;
}
function makeCases(): Case[] {
  const base = makeJpeg(40, 24, 3);
  const cases: Case[] = [];
  for (const kind of NOTE_KINDS) {
    const spec = KINDS.find((k) => k.name === kind)!;
    const make = MAKES[kind]!;
    const unsafe = spec.unsafe ?? new Set<number>();
    const safe = [0x0001, 0x0002, 0x0003, 0x0100, 0x0e00].filter((t) => !unsafe.has(t));
    for (const le of [true, false]) {
      const order = le ? 'le' : 'be';
      cases.push({ name: `${kind}-${order}.jpg`, bytes: jpegWithNote(base, le, make, cameraNote(kind, safe, le)), native: true });
      // the note in the other byte order than the EXIF block: ExifTool's entry-count rule
      cases.push({ name: `${kind}-${order}-swapped.jpg`, bytes: jpegWithNote(base, le, make, cameraNote(kind, safe, !le)), native: true });
      for (const tag of unsafe) {
        cases.push({ name: `${kind}-${order}-0x${tag.toString(16)}.jpg`, bytes: jpegWithNote(base, le, make, cameraNote(kind, [...safe, tag], le)), native: false });
      }
    }
    // Canon's entry (third in MakerNotes.pm) takes any note of a Canon that a kind listed after it would
    const afterCanon = CONDITIONS.findIndex((c) => c.name === kind) > CONDITIONS.findIndex((c) => c.name === 'MakerNoteCanon');
    cases.push({ name: `${kind}-canon.jpg`, bytes: jpegWithNote(base, true, 'Canon', cameraNote(kind, safe, true)), native: !afterCanon });
  }
  for (const [name, note] of Object.entries(WHOLE_NOTES)) {
    for (const le of [true, false]) cases.push({ name: `${name}-${le ? 'le' : 'be'}.jpg`, bytes: jpegWithNote(base, le, 'HUAWEI', note), native: true });
  }
  cases.push({ name: 'panasonic-dc-ft7.jpg', bytes: jpegWithNote(base, true, 'Panasonic', cameraNote('MakerNotePanasonic', [1], true), 'DC-FT7'), native: false });
  cases.push({ name: 'olympus-equipment-lens.jpg', bytes: jpegWithNote(base, true, 'OLYMPUS IMAGING CORP.', olympusWithLens('OLYMPUS M.12-40mm F2.8')), native: false });
  cases.push({ name: 'olympus-maininfo-lens.jpg', bytes: jpegWithNote(base, true, 'OLYMPUS IMAGING CORP.', olympusWithLens('OLYMPUS M.25mm F1.8', [0x4000])), native: false });
  // a directory longer than the note: ExifTool would read past it
  const cut = cameraNote('MakerNoteNikon', [1, 2, 3], true);
  cases.push({ name: 'nikon-cut.jpg', bytes: jpegWithNote(base, true, 'NIKON CORPORATION', cut.subarray(0, cut.length - 16)), native: false });
  return cases;
}

describe('camera maker notes, read natively, against ExifTool', () => {
  const cases = makeCases();
  const { et, path } = generatedFilesForExifTool(cases);

  it('answers exactly as ExifTool for each kind, in both byte orders, and defers on every unsafe tag', async () => {
    const files = cases.map((c) => path(c.name));
    const tags = await readTags(et(), tagArgs('default'), files);
    for (const c of cases) {
      const native = readJpegTags(c.bytes);
      const why = explainJpegTags(c.bytes);
      expect(native !== null, `${c.name}: ${typeof why === 'string' ? why : 'read natively'}`).toBe(c.native);
      if (!native) continue;
      expect(native, c.name).toEqual(comparable(tags.get(path(c.name))!));
      expect(toExifFields(native), c.name).toEqual(toExifFields(tags.get(path(c.name))!));
    }
  });

  it('ExifTool does take a LensModel from an Olympus Equipment directory, also under MainInfo (so deferring on 0x2010 and 0x4000 is needed)', async () => {
    const files = [path('olympus-equipment-lens.jpg'), path('olympus-maininfo-lens.jpg')];
    const t = await readTags(et(), tagArgs('default'), files);
    expect(t.get(files[0]!)!.LensModel).toBe('OLYMPUS M.12-40mm F2.8');
    expect(t.get(files[1]!)!.LensModel).toBe('OLYMPUS M.25mm F1.8');
  });

  it('ExifTool reads each generated note with the table the reader assumed', async () => {
    // MakerNoteVersion-like tags differ by maker: ask ExifTool which family-1 group each note's tags land in
    const files = NOTE_KINDS.map((k) => path(`${k}-le-swapped.jpg`));
    const out = execFileSync('perl', [await exiftoolPath(), '-j', '-G1', '-u', '-MakerNotes:all', ...files], { encoding: 'utf8' });
    const groups = (JSON.parse(out) as Array<Record<string, unknown>>).map((t) => [...new Set(Object.keys(t).filter((k) => k !== 'SourceFile').map((k) => k.split(':')[0]))]);
    const expected: Record<string, string> = {
      MakerNoteNikon: 'Nikon',
      MakerNoteNikon2: 'Nikon',
      MakerNoteCasio2: 'Casio',
      MakerNoteFujiFilm: 'FujiFilm',
      MakerNoteMotorola: 'Motorola',
      MakerNoteOlympus: 'Olympus',
      MakerNoteOlympus2: 'Olympus',
      MakerNotePanasonic: 'Panasonic',
      MakerNotePentax5: 'Pentax',
      MakerNoteRicohPentax: 'Pentax',
      MakerNoteUnknown: 'MakerUnknown',
    };
    expect(groups).toEqual(NOTE_KINDS.map((k) => [expected[k]]));
  });
});

describe('a GPS directory where ExifTool has read a maker-note directory already', () => {
  it("each table's sub-directory tags are those the reader counts (and Samsung's, which jpeg-exif.ts reads, and those of the IFDs Nikon's note points at)", async () => {
    const tables = [
      ...KINDS.flatMap((k) => (k.table ? [[k.table, k.subdirs]] : [])),
      ['Image::ExifTool::Samsung::Type2', SAMSUNG_SUBDIRS],
      ...NIKON_IFDS.values(),
    ] as Array<[string, ReadonlySet<number>]>;
    const out = await perl(
      `use Image::ExifTool; for my $name (split /\\n/, join '', <STDIN>) { my $t = Image::ExifTool::GetTagTable($name) or die $name;
         print join(',', map { sprintf '0x%04x', $_ } grep { my $id = $_; grep { ref $_ eq 'HASH' and $$_{SubDirectory} } Image::ExifTool::GetTagInfoList($t, $id) }
           sort { $a <=> $b } grep /^\\d+$/, Image::ExifTool::TagTableKeys($t)), "\\n" }`,
      tables.map(([name]) => name).join('\n'),
    );
    const hex = (set: ReadonlySet<number> | undefined) => [...(set ?? [])].sort((a, b) => a - b).map((t) => `0x${t.toString(16).padStart(4, '0')}`).join(',');
    expect(out.replace(/\n$/, '').split('\n')).toEqual(tables.map(([, set]) => hex(set)));
  });

  it("Nikon's sub-directories start at their value but those the reader places otherwise (Start expressions of Nikon::Main and the IFDs it points at)", async () => {
    const out = await perl(
      `use Image::ExifTool; for my $name (split /\n/, join '', <STDIN>) { my $t = Image::ExifTool::GetTagTable($name) or die $name;
         for my $id (sort { $a <=> $b } grep /^\\d+$/, Image::ExifTool::TagTableKeys($t)) { for my $i (Image::ExifTool::GetTagInfoList($t, $id)) {
           next unless ref $i eq 'HASH' and $$i{SubDirectory} and defined $$i{SubDirectory}{Start}; printf "%s\\t0x%04x\\t%s\\n", $name, $id, $$i{SubDirectory}{Start} } } }`,
      ['Image::ExifTool::Nikon::Main', ...[...NIKON_IFDS.values()].map(([table]) => table)].join('\n'),
    );
    const rows = out.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    const hex = (t: number) => `0x${t.toString(16).padStart(4, '0')}`;
    const unsafe = KINDS.find((k) => k.name === 'MakerNoteNikon')!.unsafe!;
    // no Start in the pointed IFDs' tables; in Nikon::Main: '$val' (the pointed IFDs), '$valuePtr + N' (past the value, or unsafe)
    expect(rows.filter(([table]) => table !== 'Image::ExifTool::Nikon::Main')).toEqual([]);
    expect(rows.filter(([, , start]) => start === '$val').map(([, id]) => id)).toEqual([...NIKON_IFDS.keys()].map(hex));
    const past = rows.filter(([, id, start]) => start !== '$val' && !unsafe.has(Number(id)));
    expect(past.every(([, , start]) => /^\$valuePtr \+ \d+$/.test(start!))).toBe(true);
    expect(past.map(([, id, start]) => `${id} ${start!.replace(/\D+/, '')}`).sort()).toEqual(
      [...NIKON_PAST_VALUE].flatMap(([id, ns]) => ns.map((n) => `${hex(id)} ${n}`)).sort(),
    );
  });

  const cases = collisionCases();
  const { et, path } = generatedFilesForExifTool(cases);

  it('is left to ExifTool, which skips it; a note with no sub-directory and the GPS outside it is read natively, GPS and all', async () => {
    const tags = await readTags(et(), tagArgs('default'), cases.map((c) => path(c.name)));
    for (const c of cases) {
      const t = tags.get(path(c.name))!;
      // the layouts do what they claim: ExifTool reports the GPS position only where nothing collides
      expect(t.GPSLatitude === undefined, c.name).toBe(c.collides);
      const native = readJpegTags(c.bytes);
      expect(native !== null, `${c.name}: ${String(explainJpegTags(c.bytes))}`).toBe(c.native);
      if (native) expect(native, c.name).toEqual(comparable(t));
    }
  });
});

describe("the maker-note rules against ExifTool's MakerNotes.pm and tables", () => {
  it('CONDITIONS are the entries of MakerNotes.pm, all of them, in order, with the same perl', async () => {
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::MakerNotes;
       for my $e (@Image::ExifTool::MakerNotes::Main) { my $c = $$e{Condition} // ''; $c =~ s/\\s+/ /g; $c =~ s/^ | $//g; print "$$e{Name}\\t$c\\n" }`,
    );
    expect(out.replace(/\n$/, '').split('\n')).toEqual(CONDITIONS.map((c) => `${c.name}\t${c.perl}`));
  });

  it('pickMakerNote agrees with MakerNotes.pm on every probe: notes starting as each condition looks for, makes and models', async () => {
    const r = rng(5);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const heads = [
      'Apple iOS\0', 'Nikon\0\x02', 'Nikon\0\x01', 'Nikon\0\x03', 'QVC\0', 'DCI\0', 'QVC', '[ae_dbg_info:', 'DJI', 'ab\n@AMBA', 'abc@AMBA',
      'FUJIFILM', 'GENERALE', 'GE\0\0', 'GENIC\0', 'GE\x0c\0\0\0\x16\0\0\0', 'HDRP\x02', 'HDRP\x03', 'HDRP\x04', 'Hewlett-Packard', 'Vivitar',
      '610\0', '610\x04', '610\x05', 'IIII\x04\0', 'IIII|\0', 'IIII\x05\0', 'IIII\x06\0', 'ISLMAKERNOTE000\0', 'JVC ', 'VER:', 'KDK INFO', 'KDK',
      'abcdefghEastman Kodak', '\x01\0\0\0\0\0\x04\0ABCD', '\x01\0\x01\0\0\0\x04\0wxyz', 'MM', 'II', 'AOC\0', '\0\x1a\x18\0', '\0\x14\x80\0',
      'KC', '+M+M', '\xd7', 'MINOL\0', 'CAMER\0', 'MLY0', 'MOT\0', 'OLYMP\0', 'EPSON\0', 'OLYMPUS\0', 'OM SYSTEM\0', 'LEICA\0\0\0', 'LEICA0',
      'LEICA\0\x01\0', 'LEICA\0\x1a\0', 'LEICA\0\x02\xff', 'LEICA\0\x08\0', 'LEICA\0\x02\0', 'LEICA CAMERA AG\0', 'LEICA', 'Panasonic', 'MKE',
      'KYOCERA', 'II\x2a\0\x08\0\0\0\x05\0\0\0', 'II\x2a\0\x08\0\0\0\n\0\0\0', 'MM\0\x2a\0\0\0\x08\0\0\0\x05', 'MM\0\x2a\0\0\0\x08\0\x0a\0\0',
      'MM\0\x2a\0\0\0\x08\0\x0d\0\0', 'MM\0\x2a\0\0\0\x08\0\x07\0\0', 'IIII\x02\0abcdefghijklmn2020/01/02 ', 'IIII\x03\0abcdefghijklmn2020/1/02 ',
      'C1234 AB12C1234 ', 'KABCDZ99A1234\0', 'abcdefghijkl\x07', 'MMcdefghijkl\x07', `${'x'.repeat(41)}JPG`, '\0\x05ab\0\x03\0\0', '\x05\0ab\x03\0cd\0\0',
      'MM\0\x05', 'II\x05\0', 'SAMSUNG', '\0\x07\0\x01\0\x07\0\0\0\x040100', '',
      'MKE', 'PENTAX \0', 'S1\0\0\0\0\0\0\x0c\0\0\0', 'IIIITwaR', 'IIII\nwaR', 'MMMMRawT', '\x01\xf1\x02\0', '\x01\xf1', 'RECONYXUF\0',
      'RECONYXH2\0', 'RECONYXMF\0', 'RECONYXHF4K\0', 'RICOH\0II', 'RICOH\0MM', 'Ricoh', 'rICOH', '      ', 'MM\0\x2a', 'II\x2a\0',
      'STMN123x\0\0\0\0', 'STMN123\n\0\0\0\0', 'STMN100', 'SONY DSC ', 'SONY MOBILE', '\0\0SONY PIC\0', 'VHAB     \0', 'SONY PI\0',
      'PREMI\0', 'SONY PIC\0', '\x01\x00', 'SEMC MS\0', 'LSI1\0', '\xff\xd8\xff\xe0', '123', 'SIGMA\0\0\0\x01\x02',
    ].map((h) => Buffer.from(h, 'latin1'));
    // text notes (MakerNoteUnknownText looks at all of it, and Perl's $ allows a final line break)
    const texts = ['Version 1.0; mode=auto\0\0', 'abc', 'abc\n', 'abc\0\0\n', 'abc\0\0\n\n', 'abc\0x', '\tline one\r\nline two', '\0abc']
      // text for 128 bytes, then binary: ExifTool's conditions see only the first 128 bytes
      .concat(['x'.repeat(128) + '\x01\x02', 'x'.repeat(127) + '\x01', 'x'.repeat(126) + '\0\0\x01'])
      .map((h) => Buffer.from(h, 'latin1'));
    const makes = [
      '', 'Canon', 'CASIO COMPUTER CO.,LTD.', 'CASIO', 'DJI', 'FLIR Systems', 'Teledyne FLIR', 'FUJIFILM', 'Hasselblad', 'JVC', 'Victor',
      'EASTMAN KODAK COMPANY', 'Eastman Kodak Company', 'Kodak', 'KODAK', 'Konica Minolta Camera, Inc.', 'Minolta Co., Ltd.', 'MINOLTA CO.,LTD',
      'Motorola', 'NIKON', 'NIKON CORPORATION', 'Nikon', 'Nintendo', 'OLYMPUS OPTICAL CO.,LTD', 'OLYMPUS IMAGING CORP.', 'OM Digital Solutions',
      'SEIKO EPSON CORP.', 'LEICA', 'Leica Camera AG', 'Panasonic', 'SAMSUNG', 'Google', 'Apple', 'HUAWEI', 'motorola',
      'Asahi Optical Co.,Ltd', 'PENTAX Corporation', 'PENTAX', 'RICOH', 'RICOH IMAGING COMPANY, LTD.', 'PENTAX RICOH IMAGING', 'SANYO Electric Co.,Ltd.',
      'SIGMA', 'Sigma', 'FOVEON', 'SONY', 'HASSELBLAD', 'RECONYX', 'samsung', 'Xiaomi',
    ];
    const pairs: Array<[string, string]> = [
      ...makes.map((m): [string, string] => [m, '']),
      ['Panasonic', 'DC-FT7'], ['Panasonic', 'DMC-FZ30'], ['Leica Camera AG', 'S2'], ['Leica Camera AG', 'LEICA M (Typ 240)'],
      ['Leica Camera AG', 'LEICA S (Typ 006)'], ['EASTMAN KODAK COMPANY', 'KODAK EasyShare CX4200 Zoom Digital Camera'],
      ['EASTMAN KODAK COMPANY', 'KODAK DX3215 ZOOM DIGITAL CAMERA'], ['EASTMAN KODAK COMPANY', 'DX3700'], ['JK Imaging, Ltd.', 'PixPro AZ421'],
      ['', 'Kodak'], ['NIKON', 'E995'], ['', 'PENTAX Optio 330RS'], ['', 'PENTAX Optio430RS  '], ['PENTAX', 'PENTAX Optio 330RS'],
      ['RICOH', 'RICOH WG-M1'], ['PENTAX RICOH IMAGING', 'RICOH WG-M1'], ['SANYO Electric Co.,Ltd.', 'C4'], ['SANYO Electric Co.,Ltd.', 'C40'],
      ['SANYO Electric Co.,Ltd.', 'J1'], ['SANYO Electric Co.,Ltd.', 'S3 x'], ['HASSELBLAD', 'HV'], ['HASSELBLAD', 'Stellar II'], ['HASSELBLAD', 'X1D'],
    ];
    const probes: Array<{ note: Buffer; make: string; model: string }> = [];
    for (const head of heads) {
      // a random tail, and tails with the line breaks Perl's `.` and JavaScript's treat differently
      const tails = [bytes(48), Buffer.alloc(48, '\n'), Buffer.alloc(48, '\r')];
      for (const tail of tails) for (const [make, model] of pairs) probes.push({ note: Buffer.concat([head, tail]), make, model });
    }
    for (const text of texts) for (const [make, model] of pairs) probes.push({ note: text, make, model });
    const input = probes.map((p) => [p.note, Buffer.from(p.make, 'latin1'), Buffer.from(p.model, 'latin1')].map((b) => b.toString('hex')).join(' ')).join('\n');
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::MakerNotes; my @e = @Image::ExifTool::MakerNotes::Main;
       my @subs = map { my $c = $$_{Condition}; defined $c ? (eval "sub { my (\\$self, \\$valPt, \\$count) = \\@_; $c }" or die $@) : sub { 1 } } @e;
       while (my $line = <STDIN>) { chomp $line; my ($v, $make, $model) = map { pack 'H*', $_ } split / /, $line, -1;
         my $self = { Make => $make, Model => $model, TIFF_TYPE => 'JPEG' }; my $pick = -1;
         my $tmp = substr($v, 0, 128);   # as Exif.pm passes the value to GetTagInfo
         for my $i (0..$#subs) { if ($subs[$i]->($self, \\$tmp, length $v)) { $pick = $i; last } }
         print "$pick\\n" }`,
      input,
    );
    const perlPicks = out.trim().split('\n').map(Number);
    expect(perlPicks).toHaveLength(probes.length);
    const mine = probes.map((p) => CONDITIONS.findIndex((c) => c.holds(p.note.toString('latin1', 0, 128), p.make, p.model)));
    expect(mine).toEqual(perlPicks);
    // and the reader's own function picks the same names
    for (const [i, p] of probes.entries()) expect(pickMakerNote(p.note, p.make, p.model)).toBe(CONDITIONS[perlPicks[i]!]!.name);
    // every kind the reader follows was picked by some probe
    for (const k of KINDS) expect(mine.some((i) => i >= 0 && CONDITIONS[i]!.name === k.name), k.name).toBe(true);
  });

  it("each kind's SubDirectory is where and in the byte order the reader reads it, with no code of its own", async () => {
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::MakerNotes;
       for my $e (@Image::ExifTool::MakerNotes::Main) { my $s = $$e{SubDirectory} or next;
         my $proc = !$$s{ProcessProc} ? '' : $$s{ProcessProc} == \\&Image::ExifTool::MakerNotes::ProcessUnknownOrPreview ? 'ProcessUnknownOrPreview' : 'proc';
         print join("\\t", $$e{Name}, $$s{TagTable} // '', $$s{Start} // '', $$s{OffsetPt} // '', $$s{ByteOrder} // '', $proc, $$e{NotIFD} ? 'notifd' : ''), "\\n" }`,
    );
    const rows = new Map(out.trim().split('\n').map((l) => [l.split('\t')[0]!, l.split('\t').slice(1)]));
    for (const k of KINDS) {
      if (k.any) {
        // no directory read: no SubDirectory, or Unknown's (ProcessUnknownOrPreview on Unknown::Main)
        const row = rows.get(k.name);
        expect(row && [row[0], row[4]], k.name).toEqual(k.table ? [k.table, 'ProcessUnknownOrPreview'] : undefined);
        continue;
      }
      const [table, start, offsetPt, byteOrder, proc, notIfd] = rows.get(k.name)!;
      expect({ table, byteOrder, proc, notIfd }, k.name).toEqual({ table: k.table, byteOrder: k.byteOrder, proc: '', notIfd: '' });
      if (k.start !== undefined) expect([start, offsetPt], k.name).toEqual([`$valuePtr + ${k.start}`, '']);
      else expect([start!.replace(/\s/g, ''), offsetPt!.replace(/\s/g, '')], k.name).toEqual(['', `$valuePtr+${k.offsetAt}`]);
    }
  });

  it("each kind's unsafe tags are exactly those of its table that could lead to a listed tag, and its module makes no listed composite", async () => {
    // by name, whatever the group the list names (QuickTime:CreationDate): the sets stay as strict as for any CreationDate
    const listed = defaultTags().filter((t) => t !== 'Error' && t !== 'Warning').map((t) => t.replace(/^.*:/, ''));
    const tables = [...new Set(KINDS.flatMap((k) => (k.table ? [k.table] : [])))];
    const out = await perl(
      `use Image::ExifTool; use Image::ExifTool::Exif; use Image::ExifTool::GPS; use Image::ExifTool::Nikon; use Image::ExifTool::PrintIM;
       my ($list, @tables) = @ARGV ? @ARGV : split /\\n/, join '', <STDIN>;
       $_ = Image::ExifTool::GetTagTable($_) for my @t = @tables;   # load the modules (and their composites)
       # the listed tags and, transitively, what their composites are built from
       my %need = map { $_ => 1 } split /,/, $list; my $more = 1;
       while ($more) { $more = 0; for my $k (keys %Image::ExifTool::Composite) { my $i = $Image::ExifTool::Composite{$k};
         next unless ref $i eq 'HASH' and $need{$$i{Name}}; for my $h (qw(Require Desire Inhibit)) { my $r = $$i{$h} or next;
           for my $v (ref $r eq 'HASH' ? values %$r : $r) { (my $n = $v) =~ s/.*://; $need{$n}++ or $more = 1 } } } }
       # code that reads a directory but names no tags of its own
       my %static = map { $_ => 1 } (\\&Image::ExifTool::ProcessBinaryData, \\&Image::ExifTool::Exif::ProcessExif,
         \\&Image::ExifTool::Nikon::ProcessNikonEncrypted, \\&Image::ExifTool::Nikon::ProcessNikon, \\&Image::ExifTool::PrintIM::ProcessPrintIM);
       my $code = qr/FoundTag|HandleTag|Process\\w*\\(|ExtractInfo|ImageInfo/;
       sub tableWhy { my ($name, $seen) = @_; return '' if $$seen{$name}++;
         my $t = Image::ExifTool::GetTagTable($name) or return "no table $name";
         return "code of $name" if $$t{PROCESS_PROC} and not $static{$$t{PROCESS_PROC}};
         for my $id (Image::ExifTool::TagTableKeys($t)) { my $w = infoWhy($t, $id, $seen); return $w if $w } '' }
       sub infoWhy { my ($t, $id, $seen) = @_;
         for my $i (Image::ExifTool::GetTagInfoList($t, $id)) { next unless ref $i eq 'HASH';
           return "names $$i{Name}" if $need{$$i{Name}};
           for my $k (qw(RawConv ValueConv Condition Hook)) { return "code in $$i{Name}" if defined $$i{$k} and not ref $$i{$k} and $$i{$k} =~ $code }
           if (my $s = $$i{SubDirectory}) { return "code of $$i{Name}" if $$s{ProcessProc} and not $static{$$s{ProcessProc}};
             my $w = tableWhy($$s{TagTable} // $$t{TABLE_NAME}, $seen); return "$$i{Name}: $w" if $w } } '' }
       # (the table itself is not marked seen first: a sub-directory read with the same table, as
       # Olympus's 0x4000 MainInfo is, leads to its unsafe tags too)
       for my $name (@tables) { my $t = Image::ExifTool::GetTagTable($name);
         print "$name\\t", ($$t{PROCESS_PROC} && !$static{$$t{PROCESS_PROC}} ? 'code' : ''), "\\t";
         my ($m) = $name =~ /^(Image::ExifTool::\\w+)::/; no strict 'refs'; my $c = \\%{"\${m}::Composite"};
         print join(',', sort grep { ref $$c{$_} eq 'HASH' and $need{$$c{$_}{Name} // $_} } keys %$c), "\\t";
         print join(',', map { sprintf '0x%04x', $_ } grep { my %seen; infoWhy($t, $_, \\%seen) } sort { $a <=> $b } grep /^\\d+$/, Image::ExifTool::TagTableKeys($t)), "\\n" }`,
      [listed.join(','), ...tables].join('\n'),
    );
    const rows = new Map(out.replace(/\n$/, '').split('\n').map((l) => [l.split('\t')[0]!, l.split('\t').slice(1)]));
    for (const k of KINDS) {
      if (!k.table) continue;
      const [code, composites, unsafe] = rows.get(k.table)!;
      const mine = [...(k.unsafe ?? [])].sort((a, b) => a - b).map((t) => `0x${t.toString(16).padStart(4, '0')}`).join(',');
      expect({ code, composites, unsafe }, k.name).toEqual({ code: '', composites: '', unsafe: mine });
    }
  });
});
