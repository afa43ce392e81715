/**
 * A JPEG's EXIF, read in-process from the first chunk the fingerprint pass has in memory
 * anyway, as the tags ExifTool's `-json -n` would give for the default tag list (all but Warning,
 * which is not stored). ExifTool costs ~7 ms of perl CPU per file (200 ms for a Pixel's HDR+ note);
 * this costs ~0.02 ms. It answers only when the answer is certain to be ExifTool's, and returns
 * null otherwise (the file then goes to ExifTool as before):
 *
 * - only JFIF/JFXX APP0, one EXIF APP1, ICC (without a 'meta' dictionary) and MPF APP2, Adobe
 *   APP14 and comments before the image data, plus XMP after the EXIF: one XMP APP1 and any
 *   extended XMP, from which ExifTool could spell no tag of the list (harmlessXmp) but priority-0
 *   copies of EXIF's (XMP_OUTRANKED) and Google's HDR+ note, each allowed when a priority-1 source
 *   has the tag; one Photoshop APP13 block (with IPTC) from which ExifTool takes no listed tag
 *   (photoshop-irb.ts); any other APPn sends the file to ExifTool;
 * - inside the EXIF, no maker notes but Apple's (its RunTime plist with its usual keys), Google's
 *   HDR+, Samsung's and the notes of maker-notes.ts without a tag that could lead to a listed
 *   one, chosen the way MakerNotes.pm chooses (other makers' notes define tags named
 *   LensModel, Orientation, DateTimeOriginal, … that ExifTool would prefer); no
 *   XMP/IPTC/Photoshop/ICC blocks and no other sub-directory ExifTool would descend into; each tag
 *   of the list where ExifTool's priority rules are simple (IFD0: Make, Model, Orientation;
 *   ExifIFD: the dates and LensModel; no SubfileType in IFD1);
 * - exactly ExifTool's value conversions: strings cut at NUL, Make/Model trailing blanks trimmed,
 *   rationals rounded to 10 significant digits as `%.10g` does, GPS degrees and signs as its
 *   Composite tags compute them (Perl never prints -0), numbers printed with Perl's 15 digits, and
 *   JSON's number rule.
 *
 * Anything malformed, non-ASCII text, an entry of an unexpected type, or a segment that does not
 * fit in the chunk: null. test/jpeg-exif.test.ts holds every answer against ExifTool's, raw tag
 * by raw tag, and checks the rules taken from ExifTool's tables against the ExifTool installed.
 */
import type { RawTags } from './exif-fields.js';
import { harmlessCameraNote, pickMakerNote, TYPE_SIZE, unknownOrderIsLittle, type NoteReach } from './maker-notes.js';
import { PHOTOSHOP_ID, photoshopProblem } from './photoshop-irb.js';

const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const BYTE = 1;
const UNDEFINED = 7;

/** The tags of the list that live in EXIF's main table, by the directory ExifTool must find them in. */
const IFD0_TAGS = new Set([0x10f, 0x110, 0x112]);
const EXIF_TAGS = new Set([0x9003, 0x9004, 0x9011, 0x9012, 0xa434]);
const LISTED = new Set([0x100, 0x101, ...IFD0_TAGS, ...EXIF_TAGS]);
/** Sub-directories of ExifTool's EXIF table (Exif.pm) other than the ones followed or known harmless. */
const FOREIGN_DIRS = new Set([
  0x14a, 0x190, 0x2bc, 0x4748, 0x8290, 0x83bb, 0x8568, 0x8606, 0x8649, 0x888a, 0x935c, 0x9999, 0xc519, 0xc51b, 0xc634,
  0xc68c, 0xc68f, 0xc691, 0xc6f5, 0xc7d5, 0xcd41, 0xcd44, 0xcd47, 0xcea1, 0xfe00,
  0x8773, // InterColorProfile: an ICC profile, whose 'meta' dictionary ExifTool turns into tags
]);
const EXIF_IFD = 0x8769;
const GPS_IFD = 0x8825;
const INTEROP_IFD = 0xa005;
const MAKER_NOTE = 0x927c;
const PRINT_IM = 0xc4a5;
const APPLE_NOTE = Buffer.from('Apple iOS\0', 'latin1');

/** The extensions ExifTool reports as JPEG (`.mpo`, `.jps`, `.thm` get other file types). */
export const NATIVE_EXTENSIONS = /\.(jpg|jpeg|jpe)$/i;

class Unsure extends Error {}
export const unsure = (why: string): never => {
  throw new Unsure(why);
};

/** The tags ExifTool would report for this JPEG, or null when only ExifTool can say. */
export function readJpegTags(head: Buffer): RawTags | null {
  const r = explainJpegTags(head);
  return typeof r === 'string' ? null : r;
}

/** The tags, or why the file must go to ExifTool. */
export function explainJpegTags(head: Buffer): RawTags | string {
  return orWhy(() => read(head));
}

/**
 * A reader's answer, or the reason it gave up: an `unsure` or a RangeError (a read past the end
 * of the chunk) becomes the reason; anything else is a bug and is thrown.
 */
export function orWhy<T>(read: () => T): T | string {
  try {
    return read();
  } catch (err) {
    if (err instanceof Unsure || err instanceof RangeError) return err.message;
    throw err;
  }
}

function read(b: Buffer): RawTags {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) unsure('not a JPEG');
  let exif: Buffer | null = null;
  let xmp = false;
  let photoshop = false;
  const needs = new Set<string>();
  const icc: Buffer[] = [];
  const extended = new Map<string, Array<{ size: number; off: number; data: Buffer }>>();
  let exifAfterFrame = false;
  let app2First = false;
  let iccFirst = false;
  let size: [number, number] | null = null;
  let p = 2;
  for (;;) {
    if (p + 4 > b.length || b[p] !== 0xff) unsure('a marker is missing, or the header does not fit in the chunk read');
    const m = b[p + 1]!;
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xda) break; // start of scan: the header is over
    if (m === 0xd8 || m === 0xd9 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) unsure('an unexpected marker in the header');
    const len = b.readUInt16BE(p + 2);
    if (len < 2 || p + 2 + len > b.length) unsure('a segment runs past the chunk read');
    const seg = b.subarray(p + 4, p + 2 + len);
    if (m === 0xe0) {
      if (!startsWith(seg, 'JFIF\0') && !startsWith(seg, 'JFXX\0')) unsure('an APP0 segment other than JFIF');
    } else if (m === 0xe1 && startsWith(seg, XMP_ID)) {
      if (xmp) unsure('more than one XMP segment');
      xmp = true;
      // XMP met first would set tags of priority 0 (Orientation) and ExifTool's Make before EXIF does
      if (!exif) unsure('an XMP segment before the EXIF one');
      for (const tag of harmlessXmp(seg.subarray(XMP_ID.length))) needs.add(tag);
    } else if (m === 0xe1 && startsWith(seg, XMP_EXT_ID)) {
      // Extended XMP (phones put depth maps and HDR+ notes there): ExifTool joins the chunks of
      // each GUID after the last segment and reads the whole as XMP.
      if (seg.length <= XMP_EXT_ID.length + 40) unsure('an extended XMP segment too short');
      const guid = seg.toString('latin1', XMP_EXT_ID.length, XMP_EXT_ID.length + 32);
      const chunks = extended.get(guid) ?? [];
      extended.set(guid, chunks);
      chunks.push({ size: seg.readUInt32BE(XMP_EXT_ID.length + 32), off: seg.readUInt32BE(XMP_EXT_ID.length + 36), data: seg.subarray(XMP_EXT_ID.length + 40) });
    } else if (m === 0xe1) {
      if (exif || !startsWith(seg, 'Exif\0\0')) unsure(`an APP1 segment other than one EXIF block (${seg.toString('latin1', 0, 28).replace(/\0.*/s, '')})`); // XMP, a second EXIF, anything else
      exif = seg.subarray(6);
      exifAfterFrame = size !== null;
    } else if (m === 0xe2) {
      // ExifTool remembers the directories it reads before the EXIF block, and skips one of EXIF's
      // at such an address: an MPF index may point anywhere, and a profile in several chunks is
      // placed at its last chunk, its tags past that chunk's end (one chunk stays in its segment)
      if (!exif && startsWith(seg, 'MPF\0')) app2First = true;
      if (!exif && startsWith(seg, 'ICC_PROFILE\0')) iccFirst = true;
      if (startsWith(seg, 'ICC_PROFILE\0')) icc.push(seg.subarray(12));
      else if (!startsWith(seg, 'MPF\0')) unsure('an APP2 segment other than ICC or MPF');
    } else if (m === 0xed) {
      // ExifTool joins Photoshop segments that follow each other into one block: leave that to it
      if (photoshop || !startsWith(seg, PHOTOSHOP_ID)) unsure('an APP13 segment other than one Photoshop block');
      photoshop = true;
      const why = photoshopProblem(seg.subarray(PHOTOSHOP_ID.length));
      if (why) unsure(why);
    } else if (m === 0xee) {
      if (!startsWith(seg, 'Adobe')) unsure('an APP14 segment other than Adobe');
    } else if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      // ExifTool skips a frame header shorter than 6 bytes
      if (size || seg.length < 6) unsure('more than one frame header, or a short one');
      size = [seg.readUInt16BE(3), seg.readUInt16BE(1)];
    } else if (m !== 0xfe && m !== 0xdb && m !== 0xc4 && m !== 0xcc && m !== 0xdd) {
      unsure(`an APP${m - 0xe0} segment`); // APP3-APP12, APP15 and rarer markers: leave them to ExifTool
    }
    p += 2 + len;
  }
  if (!size) unsure('no frame header (SOF) before the image data');
  if (exif && (app2First || (iccFirst && icc.length > 1))) unsure('an MPF segment, or an ICC profile in several chunks, before the EXIF block');
  for (const chunks of extended.values()) for (const tag of harmlessXmp(joinExtended(chunks))) needs.add(tag);
  if (icc.length) harmlessIcc(joinIcc(icc));
  const tags: RawTags = { MIMEType: 'image/jpeg', ImageWidth: size![0], ImageHeight: size![1] };
  if (exif) readExif(exif, tags, { sizeLater: !exifAfterFrame, ifd1Low: true });
  outranked(needs, tags);
  return tags;
}

interface Entry {
  type: number;
  count: number;
  /** Offset of the value in the TIFF block. */
  at: number;
}

/**
 * How the container ranks the EXIF block's tags: `sizeLater` when ExifTool meets the image size
 * after the block and keeps it (a JPEG's frame header, a HEIC's ispe), so IFD0/IFD1 sizes are
 * harmless; `ifd1Low` when IFD1 ranks below IFD0 (ExifTool's JPEG reader sets that, not its HEIC one).
 */
export interface ExifRanking {
  sizeLater: boolean;
  ifd1Low: boolean;
}

/** The listed tags of one TIFF/EXIF block, into `tags`; throws Unsure when only ExifTool can say. */
export function readExif(t: Buffer, tags: RawTags, rank: ExifRanking, taken: number[] = []): void {
  if (t.length < 8) unsure('EXIF block too short');
  const order = t.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') unsure('EXIF byte order mark missing');
  const le = order === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  if (u16(2) !== 42) unsure('EXIF magic number missing');

  // `taken`: offsets of the block where ExifTool has read a directory already (the container's)
  const visited = new Set<number>(taken);
  // PrintIM (0xc4a5) is a sub-directory of ExifTool's EXIF table: ExifTool records its address as
  // read, even when its header then fails, and skips a directory found there later (review 5)
  const printIm: number[] = [];
  const readIfd = (off: number, gps = false): { entries: Map<number, Entry>; next: number } => {
    if (off < 8 || off + 2 > t.length) unsure('an IFD offset outside the EXIF block');
    // ExifTool skips a directory it has read already ("references previous directory")
    if (visited.has(off)) unsure('an IFD pointer to a directory already read');
    visited.add(off);
    const n = u16(off);
    if (off + 2 + 12 * n + 4 > t.length) unsure('an IFD runs past the EXIF block');
    const entries = new Map<number, Entry>();
    for (let i = 0; i < n; i++) {
      const e = off + 2 + 12 * i;
      const tag = u16(e);
      const type = u16(e + 2);
      const count = u32(e + 4);
      if (entries.has(tag) || type < 1 || type >= TYPE_SIZE.length) unsure(`IFD entry 0x${tag.toString(16)} repeated or of unknown type ${type}`);
      const bytes = TYPE_SIZE[type]! * count;
      const at = bytes <= 4 ? e + 8 : u32(e + 8);
      if (at + bytes > t.length) unsure(`the value of 0x${tag.toString(16)} lies outside the EXIF block`);
      // ExifTool drops a value it calls suspicious: before offset 8, or over its own directory's entries
      if (bytes > 4 && (at < 8 || (at < off + 2 + 12 * n && at + bytes > off))) unsure(`the value of 0x${tag.toString(16)} at an offset ExifTool ignores`);
      // Above 0xf000 (outside GPS), ExifTool makes a tag of any value that reads "Name: value"
      // (Photoshop's camera-raw tags): it could name a listed one
      if (tag >= 0xf000 && !gps) unsure(`tag 0x${tag.toString(16)}, which ExifTool may read as "Name: value"`);
      if (tag === PRINT_IM) printIm.push(at);
      entries.set(tag, { type, count, at });
    }
    return { entries, next: u32(off + 2 + 12 * n) };
  };
  const pointer = (e: Entry | undefined): number | null => {
    if (!e) return null;
    if ((e.type !== LONG && e.type !== 13) || e.count !== 1) unsure('a directory pointer of an unexpected type');
    return u32(e.at);
  };
  const ascii = (e: Entry | undefined): string | null => {
    if (!e) return null;
    if (e.type !== ASCII) unsure('a text tag of an unexpected type');
    let s = t.subarray(e.at, e.at + e.count);
    const nul = s.indexOf(0);
    if (nul !== -1) s = s.subarray(0, nul);
    for (const c of s) if (c < 0x20 || c > 0x7e) unsure('text with non-ASCII or control characters'); // ExifTool's charset handling: leave it to ExifTool
    return s.toString('latin1');
  };
  const rationals = (e: Entry, count: number): number[] => {
    if (e.type !== RATIONAL || e.count !== count) unsure('a rational tag of an unexpected type or count');
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const num = u32(e.at + 8 * i);
      const den = u32(e.at + 8 * i + 4);
      if (den === 0) unsure('a rational with a zero denominator'); // ExifTool's 'inf'/'undef'
      out.push(Number(formatG(num / den, 10))); // GetRational64u: RoundFloat(n/d, 10)
    }
    return out;
  };
  /** No tag of the list, and no sub-directory ExifTool would read, outside its expected place. */
  const check = (entries: Map<number, Entry>, listed: Set<number>, dirs: Set<number>) => {
    for (const tag of entries.keys()) {
      if (LISTED.has(tag) && !listed.has(tag)) unsure(`tag 0x${tag.toString(16)} where ExifTool's priority rules need ExifTool`);
      if (FOREIGN_DIRS.has(tag)) unsure(`sub-directory 0x${tag.toString(16)} (XMP, IPTC, Photoshop, ...)`);
      if ((tag === EXIF_IFD || tag === GPS_IFD || tag === INTEROP_IFD || tag === MAKER_NOTE) && !dirs.has(tag)) unsure(`directory 0x${tag.toString(16)} in an unexpected place`);
    }
  };

  // IFD0's (or IFD1's) ImageWidth/ImageHeight rank no higher than the frame header's, which
  // ExifTool meets later and keeps: harmless, unless the EXIF block comes after the frame header.
  const size = rank.sizeLater ? [0x100, 0x101] : [];
  const ifd0 = readIfd(u32(4));
  check(ifd0.entries, new Set([...IFD0_TAGS, ...size]), new Set([EXIF_IFD, GPS_IFD]));
  if (ifd0.next !== 0) {
    // IFD1 (the thumbnail's): its tags rank below IFD0's in ExifTool, so one of the list there is
    // harmless only when IFD0 has it too.
    const ifd1 = readIfd(ifd0.next);
    // a SubfileType there can make IFD1 ExifTool's priority directory
    if (ifd1.entries.has(0xfe) || ifd1.entries.has(0xff)) unsure('IFD1 with a SubfileType');
    if (ifd1.next !== 0) unsure('more than two IFDs');
    const shadowed = new Set([...[...IFD0_TAGS].filter((tag) => rank.ifd1Low && ifd0.entries.has(tag)), ...size]);
    check(ifd1.entries, shadowed, new Set());
  }
  const make = ascii(ifd0.entries.get(0x10f));
  const model = ascii(ifd0.entries.get(0x110));
  if (make !== null) tags.Make = json(make.replace(/\s+$/, ''));
  if (model !== null) tags.Model = json(model.replace(/\s+$/, ''));
  const orientation = ifd0.entries.get(0x112);
  if (orientation) {
    if (orientation.type !== SHORT || orientation.count !== 1) unsure('Orientation of an unexpected type');
    tags.Orientation = u16(orientation.at);
  }

  // where in the EXIF block ExifTool may have read the note's directories (the note itself among
  // them) before the GPS directory; null: anywhere
  let noteSpans: Array<[number, number]> | null = [];
  const exifAt = pointer(ifd0.entries.get(EXIF_IFD));
  if (exifAt !== null) {
    const { entries } = readIfd(exifAt);
    check(entries, EXIF_TAGS, new Set([INTEROP_IFD, MAKER_NOTE]));
    const note = entries.get(MAKER_NOTE);
    // ExifTool reads IFD0 in file order: it knows the Make when it meets the note only if IFD0 lists
    // Make before the EXIF pointer (Pixel phones write the pointer first)
    const order = [...ifd0.entries.keys()];
    const known = (tag: number, v: string | null) => (order.indexOf(tag) !== -1 && order.indexOf(tag) < order.indexOf(EXIF_IFD) ? (v ?? '').replace(/\s+$/, '') : '');
    const harmless = note ? harmlessMakerNote(note, t, known(0x10f, make), known(0x110, model), le) : null;
    const hdrPlus = harmless?.hdrPlus ?? false;
    // ExifTool reads the GPS directory after the note when IFD0 lists the GPS pointer later
    if (note && harmless && order.indexOf(GPS_IFD) > order.indexOf(EXIF_IFD)) {
      const { outside, spans = [] } = harmless.reach;
      noteSpans = outside ? null : [[note.at, note.at + note.count], ...spans.map(([a, b]): [number, number] => [note.at + a, note.at + b])];
    }
    const interopAt = pointer(entries.get(INTEROP_IFD));
    if (interopAt !== null) check(readIfd(interopAt).entries, new Set(), new Set());
    const names: Array<[number, string]> = [
      [0x9003, 'DateTimeOriginal'],
      [0x9004, 'CreateDate'],
      [0x9011, 'OffsetTimeOriginal'],
      [0x9012, 'OffsetTimeDigitized'],
      [0xa434, 'LensModel'],
    ];
    for (const [tag, name] of names) {
      const v = ascii(entries.get(tag));
      if (v !== null) tags[name] = json(v);
    }
    if (hdrPlus && tags.CreateDate === undefined) unsure('an HDR+ maker note and no EXIF CreateDate to outrank its own');
  }

  const gpsAt = pointer(ifd0.entries.get(GPS_IFD));
  // ExifTool skips a directory at an address it has read one at already, the maker note's included
  if (gpsAt !== null && (noteSpans === null || noteSpans.some(([a, b]) => gpsAt >= a && gpsAt < b))) {
    unsure('a GPS directory where ExifTool may have read a maker-note directory already');
  }
  if (gpsAt !== null) readGps(readIfd(gpsAt, true).entries, tags, ascii, rationals, (e) => t[e.at]!);
  // Met before the directory at its address (in whatever order ExifTool reads them), PrintIM
  // makes ExifTool skip that directory; met after, it is skipped itself. Either way: ExifTool's.
  for (const at of printIm) if (visited.has(at)) unsure('PrintIM at the address of a directory');
}

/**
 * Which maker notes are harmless, by the entry ExifTool picks for them (pickMakerNote: the first
 * of MakerNotes.pm's list whose condition holds, transcribed in maker-notes.ts and checked there
 * against the ExifTool installed; test/jpeg-exif.test.ts checks the tables named below):
 * - Apple's (first in the list): its tables name no tag of the list;
 * - Google's HDR+ note (HDRP\x02/\x03; before it come Apple, Nikon, Canon, Casio, DJI, FLIR,
 *   FujiFilm and GE, whose conditions such a note can only meet through Make): it names a
 *   CreateDate of priority 0, harmless when EXIF has a CreateDate (true: the caller checks);
 * - Samsung's EXIF-format note (Type2: Make SAMSUNG in any case, an IFD whose first entry is
 *   version "0100"): no entry before it can match that Make and those first bytes, and its tables
 *   name no tag of the list;
 * - the notes of maker-notes.ts (Nikon, Fujifilm, Olympus, Panasonic, Pentax, ..., and those no
 *   condition takes), picked by the same rule, when no entry of theirs can lead to a listed tag.
 */
function harmlessMakerNote(note: Entry, t: Buffer, make: string, model: string, le: boolean): { hdrPlus: boolean; reach: NoteReach } {
  // `make`, `model`: as ExifTool knows them when it meets the note ('' when not yet read)
  const other = "a maker note of a kind not known to be harmless";
  if (note.type !== UNDEFINED || note.count < 14) unsure(other);
  const n = t.subarray(note.at, note.at + note.count);
  const picked = pickMakerNote(n, make, model);
  // Apple's and HDR+ directories (and the RunTime checked below) lie inside the note
  const inside: NoteReach = { outside: false };
  if (picked === 'MakerNoteApple') {
    harmlessAppleNote(n, le);
    return { hdrPlus: false, reach: inside };
  }
  if (picked === 'MakerNoteGoogle') return { hdrPlus: true, reach: inside };
  if (picked === 'MakerNoteSamsung2') return { hdrPlus: false, reach: samsungReach(n) };
  const reach = harmlessCameraNote(picked, n, le, unsure, t.subarray(note.at));
  if (reach) return { hdrPlus: false, reach };
  // the maker whose table takes the note, as ExifTool names the entry (MakerNoteCanon: Canon's)
  return unsure(`${other}: ExifTool reads it as ${picked.replace(/^MakerNote/, '').replace(/\d+[a-z]?$/, '')}'s (${picked})`);
}

/**
 * Samsung's note is read where LocateIFD finds it, with its offsets' base as FixBase guesses: a
 * sub-directory entry (PictureWizard, the preview IFDs) may lie anywhere. Its IFD starts the
 * note (the condition's first bytes), in the order they show.
 */
function samsungReach(n: Buffer): NoteReach {
  const le = n[2] === 1; // tag 0x0001 first: 01 00 little-endian, 00 01 big-endian
  const count = le ? n.readUInt16LE(0) : n.readUInt16BE(0);
  if (2 + 12 * count > n.length) return { outside: true };
  for (let i = 0; i < count; i++) {
    const e = 2 + 12 * i;
    if (SAMSUNG_SUBDIRS.has(le ? n.readUInt16LE(e) : n.readUInt16BE(e))) return { outside: true };
  }
  return { outside: false };
}
/** Samsung::Type2's tags that open a sub-directory (checked against ExifTool by test/maker-notes.test.ts). */
export const SAMSUNG_SUBDIRS = new Set([0x0011, 0x0021, 0x0035]);

/**
 * Apple's note is harmless but for its RunTime (0x0003): a binary plist whose every key ExifTool
 * turns into a tag (PLIST.pm). iPhones write timescale, epoch, value and flags there, with numbers.
 */
function harmlessAppleNote(n: Buffer, exifLittleEndian: boolean): void {
  if (n.length < 16 || n.toString('latin1', 12, 14) !== 'MM') unsure("an Apple maker note of another layout");
  // ByteOrder 'Unknown': the note is read big-endian, as here, only if ExifTool's rule says so
  if (unknownOrderIsLittle(n, 14, exifLittleEndian)) unsure('an Apple maker note ExifTool would read little-endian');
  const count = n.readUInt16BE(14);
  if (16 + count * 12 > n.length) unsure('an Apple maker note that runs past its data');
  for (let i = 0; i < count; i++) {
    const e = 16 + i * 12;
    if (n.readUInt16BE(e) !== 0x0003) continue;
    const len = n.readUInt32BE(e + 4) * (TYPE_SIZE[n.readUInt16BE(e + 2)] ?? 0);
    const at = len <= 4 ? e + 8 : n.readUInt32BE(e + 8);
    if (at + len > n.length) unsure('an Apple RunTime that runs past its data');
    plainRunTime(n.subarray(at, at + len));
  }
}

const RUNTIME_KEYS = new Set(['timescale', 'epoch', 'value', 'flags']);

/** A binary plist dictionary of RUNTIME_KEYS to integers, or unsure. */
function plainRunTime(p: Buffer): void {
  if (p.length < 40 || p.toString('latin1', 0, 8) !== 'bplist00') unsure('an Apple RunTime that is not a binary plist');
  const t = p.length - 32;
  const offSize = p[t + 6]!;
  const refSize = p[t + 7]!;
  const objects = Number(p.readBigUInt64BE(t + 8));
  const top = Number(p.readBigUInt64BE(t + 16));
  const table = Number(p.readBigUInt64BE(t + 24));
  if (offSize < 1 || offSize > 4 || refSize < 1 || refSize > 4 || objects > 64 || top >= objects || table + objects * offSize > t) unsure('an Apple RunTime plist of an unusual shape');
  const uint = (at: number, size: number) => p.readUIntBE(at, size);
  const obj = (i: number) => {
    if (i >= objects) unsure('an Apple RunTime plist reference out of range');
    const at = uint(table + i * offSize, offSize);
    if (at >= t) unsure('an Apple RunTime plist offset out of range');
    return at;
  };
  const d = obj(top);
  const marker = p[d]!;
  const n = marker & 15;
  if (marker >> 4 !== 0xd || n === 15 || d + 1 + 2 * n * refSize > t) unsure('an Apple RunTime that is not a small dictionary');
  for (let k = 0; k < n; k++) {
    const key = obj(uint(d + 1 + k * refSize, refSize));
    const km = p[key]!;
    if (km >> 4 !== 5 || (km & 15) === 15) unsure('an Apple RunTime key that is not a short ASCII string');
    const name = p.toString('latin1', key + 1, key + 1 + (km & 15));
    if (!RUNTIME_KEYS.has(name)) unsure(`an Apple RunTime key ${JSON.stringify(name)}`);
    const value = obj(uint(d + 1 + (n + k) * refSize, refSize));
    if (p[value]! >> 4 !== 1) unsure('an Apple RunTime value that is not an integer');
  }
}

/** ICC profile chunks in sequence order (APP2 "ICC_PROFILE\0", then sequence number and count). */
function joinIcc(chunks: Buffer[]): Buffer {
  const total = chunks[0]![1]!;
  const bySeq = new Map<number, Buffer>();
  for (const c of chunks) {
    if (c.length < 2 || c[1] !== total || bySeq.has(c[0]!)) unsure('ICC profile chunks that disagree');
    bySeq.set(c[0]!, c.subarray(2));
  }
  const parts: Buffer[] = [];
  for (let i = 1; i <= total; i++) {
    const part = bySeq.get(i);
    if (!part) unsure('an ICC profile with a chunk missing');
    parts.push(part!);
  }
  if (parts.length !== bySeq.size) unsure('ICC profile chunks that do not add up');
  return Buffer.concat(parts);
}

/**
 * An ICC profile ExifTool takes nothing of the list from: its fixed tags name none
 * (test/jpeg-exif.test.ts checks ICC_Profile.pm), but a 'meta' dictionary's keys become tags.
 */
export function harmlessIcc(icc: Buffer): void {
  if (icc.length < 132) unsure('an ICC profile too short');
  const n = icc.readUInt32BE(128);
  if (132 + n * 12 > icc.length) unsure('an ICC profile whose tag table runs past it');
  for (let i = 0; i < n; i++) {
    const sig = icc.toString('latin1', 132 + i * 12, 136 + i * 12);
    if (sig === 'meta') unsure("an ICC profile with a 'meta' dictionary");
  }
}

function readGps(
  g: Map<number, Entry>,
  tags: RawTags,
  ascii: (e: Entry | undefined) => string | null,
  rationals: (e: Entry, count: number) => number[],
  byte: (e: Entry) => number,
): void {
  const coordinate = (refTag: number, valueTag: number, negative: RegExp, positive: RegExp): string | number | boolean | undefined => {
    const value = g.get(valueTag);
    if (!value) return undefined;
    const ref = ascii(g.get(refTag));
    // Without its Ref ExifTool reports the unsigned GPS tag; a Ref of another form: ExifTool decides.
    if (ref !== null && !negative.test(ref) && !positive.test(ref)) unsure('a GPS Ref that is not N/S or E/W');
    const [d, m, s] = rationals(value, 3) as [number, number, number];
    const deg = d + (m + s / 60) / 60; // GPS.pm ToDegrees, in the same order of operations
    // Perl negates 0 to 0: ExifTool never prints -0. Printed with 15 digits, a value like
    // 0.000277777777777778 has more decimals than ExifTool's JSON number rule takes: a string.
    return json(formatG(ref !== null && negative.test(ref) && deg !== 0 ? -deg : deg, 15));
  };
  const lat = coordinate(0x1, 0x2, /^S$/i, /^N$/i);
  const lon = coordinate(0x3, 0x4, /^W$/i, /^E$/i);
  if (lat !== undefined) tags.GPSLatitude = lat;
  if (lon !== undefined) tags.GPSLongitude = lon;
  const alt = g.get(0x6);
  if (alt) {
    const [value] = rationals(alt, 1) as [number];
    const refEntry = g.get(0x5);
    if (refEntry && (refEntry.type !== BYTE || refEntry.count !== 1)) unsure('GPSAltitudeRef of an unexpected type');
    // Composite:GPSAltitude needs the Ref; below sea level (Ref 1) makes it negative.
    tags.GPSAltitude = refEntry && byte(refEntry) !== 0 && value !== 0 ? Number(formatG(-Math.abs(value), 15)) : value;
  }
}

const XMP_ID = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXT_ID = 'http://ns.adobe.com/xmp/extension/\0';
/**
 * ExifTool names an XMP tag after the local names on its property path, joined (a struct's field
 * after the struct: `<u:Create><u:Date>` is CreateDate), with case, dots, dashes and underscores
 * normalised (`u:CREATE_DATE`, `u:Date.Time.Original`); its one rename into the list for the
 * namespaces phones and editors write is tiff's ImageLength -> ImageHeight. So a packet is
 * harmless when no name of the list (nor ImageLength) can be spelled by joining its local names,
 * normalised; any local name with "gps" in it, and DateCreated beside TimeCreated (Exif.pm's
 * Composite DateTimeOriginal), count as listed too. test/jpeg-exif.test.ts checks this against
 * ExifTool on such packets.
 */
const LISTED_NAMES = [
  'datetimeoriginal', 'createdate', 'creationdate', 'offsettimeoriginal', 'offsettimedigitized', 'make', 'model', 'lensmodel',
  'imagewidth', 'imageheight', 'imagelength', 'orientation', 'duration', 'mimetype',
];
/**
 * Google properties whose encoded payload ExifTool decodes into tags of its own: the HDR+ note
 * (Google.pm, HDRPlusMakerNote) names a CreateDate of priority 0, which EXIF's outranks; the text
 * notes (HDRPMakerNote, PortraitRequest) make tags from whatever names their text holds.
 */
/**
 * XMP properties ExifTool reads as directories of their own (XMP.pm tables with a SubDirectory:
 * Google's text notes, Nikon's embedded XMP/IPTC packets and edits, SEAL), whatever the namespace;
 * Google's HDR+ note (HdrPlusMakernote) is the one allowed, above. test/jpeg-exif.test.ts checks
 * this list against ExifTool's tables.
 */
export const NESTED_DIRECTORIES = /^(hdrp_makernote|PortraitRequest|shot_log_data|XMLPackets|IPTC|NineEdits|seal)$/i;
/** `/name attr="value" ... /`: a tag's body; names are prefix:local in ASCII. */
const TAG_BODY = /^\/?([A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?\s*=\s*(?:"[^"<>&]*"|'[^'<>&]*'))*)\s*\/?$/;
const ATTRIBUTE = /\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*(?:"([^"<>&]*)"|'([^'<>&]*)')/g;
/**
 * A long run of base64 between quotes or between '>' and '<' is a value (depth maps, HDR+ notes,
 * embedded images): it has no ':', '=' or blank, so no property name can sit inside it. It is
 * blanked before the search, or chance letters in it ("gPS", "mAKe") would send every such file
 * to ExifTool. Written `{32}` then `*`, not `{32,}`: V8 runs `{32,}` keeping a backtrack entry
 * per character (a 1 MB depth map took ~18 MB for the match, freed after it, and 4 MB overflowed
 * the stack), while a plain `*` of one character class backtracks without a stack.
 */
const BASE64_VALUE = /(["'>])[A-Za-z0-9+/]{32}[A-Za-z0-9+/]*={0,2}(?=["'<])/g;

/**
 * XMP properties that ExifTool ranks at priority 0 (XMP.pm: its tiff and exif tables, and
 * xmp:CreateDate), by namespace URI and local name, with the listed tag each is reported as. A
 * priority-1 source of that tag (EXIF, a JPEG's frame header, a HEIC's ispe) outranks them
 * whichever comes first, so they are harmless when that source is there: phones and editors
 * repeat the EXIF dates in XMP. test/jpeg-exif.test.ts checks these against ExifTool's tables.
 */
export const XMP_OUTRANKED: Record<string, Record<string, string>> = {
  'http://ns.adobe.com/xap/1.0/': { CreateDate: 'CreateDate' },
  'http://ns.adobe.com/exif/1.0/': { DateTimeOriginal: 'DateTimeOriginal' },
  'http://ns.adobe.com/tiff/1.0/': { Orientation: 'Orientation', Make: 'Make', Model: 'Model', ImageWidth: 'ImageWidth', ImageLength: 'ImageHeight' },
};
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XMP_META = 'adobe:ns:meta/';

/** Whether `word` can be written as a sequence of the given pieces. */
function spells(word: string, pieces: Set<string>): boolean {
  const ok = [true];
  for (let e = 1; e <= word.length; e++) {
    ok[e] = false;
    for (let s = 0; s < e && !ok[e]; s++) if (ok[s] && pieces.has(word.slice(s, e))) ok[e] = true;
  }
  return ok[word.length]!;
}

/**
 * Whether ExifTool would take nothing from this packet for the list (phones add motion-photo,
 * HDR, depth XMP): throws Unsure if it might; returns the listed tags the packet holds at priority
 * 0, which the caller must find from a priority-1 source (else ExifTool reports the XMP value).
 */
export function harmlessXmp(packet: Buffer): Set<string> {
  let end = packet.length;
  while (end > 0 && packet[end - 1] === 0) end--; // some writers end the packet with a NUL
  packet = packet.subarray(0, end);
  if (packet.includes(0)) unsure('XMP that is not UTF-8'); // UTF-16 would hide the names from the search
  const text = packet.toString('latin1').replace(BASE64_VALUE, '$1');
  const needs = new Set<string>();
  // Plain XML only, in the shape XMP writers produce: every '<' opens a tag of the strict form
  // below, text holds no '>', attribute values no '<', '>' or '&' (ExifTool's regex parser would
  // read names where an XML parser reads values), and no comments, CDATA, DOCTYPE or entities.
  const segments = text.split('<');
  if (/[^\s\ufeff\u00bb\u00bf\u00ef]/.test(segments[0]!)) unsure('XMP with text before its first tag');
  const ns = new Map<string, string>();
  const names: string[] = [];
  for (const seg of segments.slice(1)) {
    const close = seg.indexOf('>');
    if (close === -1 || seg.indexOf('>', close + 1) !== -1) unsure('XMP markup the reader cannot follow');
    const body = seg.slice(0, close);
    if (body.length > 65536) unsure('an XMP tag too long to check');
    if (body.startsWith('?')) {
      if (!body.endsWith('?')) unsure('XMP markup the reader cannot follow');
      continue; // <?xpacket ...?>
    }
    const tag = TAG_BODY.exec(body);
    if (!tag) unsure('XMP markup the reader cannot follow');
    names.push(tag![1]!);
    for (const attr of tag![2]!.matchAll(ATTRIBUTE)) {
      const name = attr[1]!;
      const value = attr[2] ?? attr[3]!;
      if (name === 'xmlns') unsure('XMP with a default namespace');
      if (name.startsWith('xmlns:')) {
        const prefix = name.slice(6);
        // XMP.pm: an unknown namespace like this one makes the file Nikon's NXD (MIMEType
        // application/x-nikon-nxd), whatever file holds it (review 5); '.' as in its regex
        if (/^http:\/\/ns.nikon.com\/BASIC_PARAM/.test(value)) unsure("XMP with Nikon's NX Studio namespace");
        // one prefix bound to two namespaces: scoping that ExifTool decides
        if (ns.has(prefix) && ns.get(prefix) !== value) unsure(`XMP binding the prefix ${prefix} twice`);
        ns.set(prefix, value);
      } else {
        names.push(name);
      }
    }
  }
  const pieces = new Set<string>();
  const outrankedWords = new Set<string>();
  const words: string[] = [];
  for (const name of names) {
    if (name.startsWith('xml:')) continue; // xml:lang
    const [prefix, local] = name.split(':') as [string, string];
    const uri = ns.get(prefix);
    if (uri === undefined) unsure(`XMP with an unbound prefix (${name})`);
    if (uri === RDF || uri === XMP_META) continue;
    if (NESTED_DIRECTORIES.test(local)) unsure(`XMP property ${name}, which ExifTool reads as a directory of its own`);
    const word = local.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    if (word === 'hdrplusmakernote') {
      needs.add('CreateDate'); // Google.pm: a CreateDate of priority 0
      pieces.add(word);
      continue;
    }
    if (word.includes('gps')) unsure(`XMP with a property ExifTool may report for the list (${name})`);
    const tag = XMP_OUTRANKED[uri!]?.[local];
    if (tag) {
      needs.add(tag);
      outrankedWords.add(word);
    }
    pieces.add(word);
    words.push(name);
  }
  const from = (listed: string) => words.filter((w) => listed.includes(w.split(':')[1]!.replace(/[^A-Za-z0-9]/g, '').toLowerCase())).join(' + ');
  for (const listed of LISTED_NAMES) {
    // an outranked property spells its own name alone; joined with another name it is another tag
    if (outrankedWords.has(listed) && !spells(listed, new Set([...pieces].filter((p) => p !== listed)))) continue;
    if (spells(listed, pieces)) unsure(`XMP with a property ExifTool may report for the list (${listed}, from ${from(listed)})`);
  }
  if (spells('datecreated', pieces) && spells('timecreated', pieces)) unsure('XMP DateCreated and TimeCreated (a Composite DateTimeOriginal)');
  return needs;
}

/**
 * XMP (or Google's HDR+ note in it) holds these listed tags at priority 0: ExifTool reports them
 * only when nothing of priority 1 does.
 */
export function outranked(needs: Set<string>, tags: RawTags): void {
  for (const tag of needs) if (tags[tag] === undefined) unsure(`XMP holds ${tag} and nothing outranks it (no EXIF ${tag})`);
}

/** The chunks of one extended XMP GUID, joined as ExifTool joins them; pieces missing: unsure. */
function joinExtended(chunks: Array<{ size: number; off: number; data: Buffer }>): Buffer {
  const size = chunks[0]!.size;
  const byOffset = new Map<number, Buffer>();
  for (const c of chunks) {
    if (c.size !== size || byOffset.has(c.off)) unsure('extended XMP chunks that disagree');
    byOffset.set(c.off, c.data);
  }
  const parts: Buffer[] = [];
  let off = 0;
  while (off < size) {
    const part = byOffset.get(off);
    if (!part || part.length === 0) unsure('extended XMP with a chunk missing'); // ExifTool warns and skips it
    parts.push(part!);
    off += part!.length;
  }
  if (off !== size || parts.length !== byOffset.size) unsure('extended XMP chunks that overlap');
  return Buffer.concat(parts);
}

function startsWith(b: Buffer, s: string): boolean {
  return b.length >= s.length && b.toString('latin1', 0, s.length) === s;
}

const JSON_NUMBER = /^-?(\d|[1-9]\d{1,14})(\.\d{1,16})?(e[-+]?\d{1,3})?$/i;

/** ExifTool's JSON writer prints a value that looks like a number (or true/false) bare. */
export function json(s: string): string | number | boolean {
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === 'true';
  return JSON_NUMBER.test(s) ? Number(s) : s;
}

const f64 = new DataView(new ArrayBuffer(8));

/**
 * C's `%.{p}g` (what Perl's sprintf and its number printing use): the exact decimal value of the
 * double rounded to p significant digits, ties to even. `toPrecision` rounds ties up, which gives
 * a different digit for values like 12.345703125 at 10 digits.
 */
export function formatG(x: number, p: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not finite: ${x}`);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  f64.setFloat64(0, Math.abs(x));
  const bits = f64.getBigUint64(0);
  const rawExp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2: number;
  if (rawExp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = rawExp - 1075;
  }
  // x = mant * 2^e2 = digits * 10^e10, exactly.
  let digits: string;
  let e10: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    e10 = 0;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    e10 = e2;
  }
  digits = digits.replace(/0+$/, (z) => {
    e10 += z.length;
    return '';
  });
  // exponent of the leading digit
  let lead = digits.length - 1 + e10;
  if (digits.length > p) {
    let head = BigInt(digits.slice(0, p));
    const rest = digits.slice(p);
    const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || head % 2n === 1n));
    if (up) head += 1n;
    let h = head.toString();
    if (h.length > p) {
      h = h.slice(0, p);
      lead += 1;
    }
    digits = h.replace(/0+$/, '') || '0';
  }
  // %g: exponent form when the exponent is < -4 or >= p; trailing zeros dropped either way
  if (lead < -4 || lead >= p) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exp = Math.abs(lead).toString().padStart(2, '0');
    return `${sign}${mantissa}e${lead < 0 ? '-' : '+'}${exp}`;
  }
  if (lead < 0) return `${sign}0.${'0'.repeat(-lead - 1)}${digits}`;
  if (digits.length <= lead + 1) return `${sign}${digits}${'0'.repeat(lead + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, lead + 1)}.${digits.slice(lead + 1)}`;
}
