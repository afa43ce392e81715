/**
 * Photoshop's image resource block in a JPEG (APP13 "Photoshop 3.0"): Photoshop, Lightroom, news
 * agencies' tools and some phones (Nokia's Lumias) write one, mostly for its IPTC record. ExifTool
 * (Photoshop.pm ProcessPhotoshop, IPTC.pm ProcessIPTC) takes no tag of the list from it but in
 * a few shapes, found here; anything the reader cannot follow as ExifTool does is one of them.
 * ExifTool's warnings do not matter: the Warning tag is not stored.
 */

/** What follows the marker's length: ExifTool's $psAPP13hdr. */
export const PHOTOSHOP_ID = 'Photoshop 3.0\0';

/**
 * Resources ExifTool reads as directories whose tags the reader does not check (Photoshop::Main):
 * EXIF, XMP, an ICC profile. Its other directories (resolution, JPEG quality, slices, version,
 * print scale, pixel aspect ratio, channel options) are tables of tags the list does not name;
 * ExifInfo2 (0x0423) is kept as one binary value.
 */
export const READ_AS_DIRECTORY: ReadonlyMap<number, string> = new Map([
  [0x040f, 'an ICC profile'],
  [0x0422, 'EXIF'],
  [0x0424, 'XMP'],
]);

/** CodedCharacterSet (1:90) for UTF-8, the one character set under which ExifTool converts nothing. */
const UTF8 = '\x1b%G';

/**
 * Why ExifTool might take a listed tag from this resource block (the segment after PHOTOSHOP_ID),
 * or null when it takes none.
 */
export function photoshopProblem(irb: Buffer): string | null {
  let pos = 0;
  let iptc = 0;
  // Photoshop.pm: `while ($pos + 8 < $dirEnd)`, each resource: type, id, Pascal name padded to an
  // even length, size, data padded to an even length
  while (pos + 8 < irb.length) {
    const type = irb.toString('latin1', pos, pos + 4);
    if (type !== '8BIM') return `a Photoshop resource of type ${JSON.stringify(type)}`;
    const id = irb.readUInt16BE(pos + 4);
    const nameLength = irb[pos + 6]!;
    pos += 7 + nameLength + (nameLength & 1 ? 0 : 1);
    if (pos + 4 > irb.length) return 'a Photoshop resource cut short';
    const size = irb.readUInt32BE(pos);
    pos += 4;
    if (pos + size > irb.length) return 'a Photoshop resource that runs past its segment';
    const what = READ_AS_DIRECTORY.get(id);
    if (what) return `${what} in the Photoshop resources`;
    if (id === 0x0404) {
      // ExifTool reads the first IPTC record as the standard one, others as extra groups
      if (++iptc > 1) return 'two IPTC records';
      const why = iptcProblem(irb.subarray(pos, pos + size));
      if (why) return why;
    }
    pos += size + (size & 1);
  }
  return null;
}

/**
 * An IPTC record (IPTC.pm ProcessIPTC) names no tag of the list, but a DateCreated and a
 * TimeCreated make a Composite DateTimeOriginal (reported where EXIF has none), whether both are
 * IPTC's or one is XMP's: either in IPTC defers. So do shapes ExifTool reads another way (byte-swapped,
 * extended lengths, records past 2, text it would convert from ISO 2022).
 */
export function iptcProblem(d: Buffer): string | null {
  if (d.length >= 4 && d[0] !== 0x1c && d[3] === 0x1c) return 'byte-swapped IPTC';
  let utf8 = false;
  let pos = 0;
  while (pos + 5 <= d.length) {
    if (d[pos] !== 0x1c) {
      // ExifTool stops quietly at zero padding (iMatch), and with a warning at anything else
      if (d[pos] === 0 && !d.subarray(pos).some((x) => x !== 0)) break;
      return 'IPTC data that is not a dataset';
    }
    const record = d[pos + 1]!;
    const tag = d[pos + 2]!;
    const length = d.readUInt16BE(pos + 3);
    pos += 5;
    if (length & 0x8000) return 'an extended IPTC dataset';
    if (pos + length > d.length) return 'an IPTC dataset that runs past its record';
    if (record !== 1 && record !== 2) return `IPTC record ${record}`;
    const value = d.subarray(pos, pos + length);
    if (record === 1 && tag === 90) {
      // ExifTool strips trailing NULs from this string before it looks the set up
      let end = value.length;
      while (end > 0 && value[end - 1] === 0) end--;
      if (value.toString('latin1', 0, end) !== UTF8) return 'IPTC text in a character set other than UTF-8';
      utf8 = true;
    }
    if (record === 2) {
      if (tag === 55 || tag === 60) return `IPTC ${tag === 55 ? 'DateCreated' : 'TimeCreated'} (with the other, from IPTC or XMP, a Composite DateTimeOriginal)`;
      // ISO 2022 shifts: ExifTool leaves such text unconverted, with a warning; rather not follow
      if (!utf8 && value.some((x) => x === 0x14 || x === 0x15 || x === 0x1b)) return 'IPTC text with ISO 2022 shifts';
    }
    pos += length;
  }
  return null;
}
