/**
 * Camera maker notes for tests, laid out as each maker writes them (the header MakerNotes.pm
 * recognises, then an IFD where its SubDirectory says). Every entry is undef[4] "0100", its value
 * in the entry itself, so no offset base matters; `values` gives some entries other bytes.
 */

const HEADERS: Record<string, (le: boolean) => Buffer> = {
  // "Nikon\0" 02 10 00 00, then a TIFF header whose IFD starts right after it (offset 8)
  MakerNoteNikon: (le) => Buffer.from(`Nikon\0\x02\x10\0\0${le ? 'II\x2a\0\x08\0\0\0' : 'MM\0\x2a\0\0\0\x08'}`, 'latin1'),
  MakerNoteNikon2: () => Buffer.from('Nikon\0\x01\0', 'latin1'),
  MakerNoteCasio2: () => Buffer.from('QVC\0\0\0', 'latin1'),
  // "FUJIFILM", then the offset of the IFD from the note's start (little-endian)
  MakerNoteFujiFilm: () => Buffer.from('FUJIFILM\x0c\0\0\0', 'latin1'),
  MakerNoteMotorola: () => Buffer.from('MOT\0\0\0\0\0', 'latin1'),
  MakerNoteOlympus: () => Buffer.from('OLYMP\0\x01\0', 'latin1'),
  MakerNoteOlympus2: (le) => Buffer.from(`OLYMPUS\0${le ? 'II' : 'MM'}\x03\0`, 'latin1'),
  MakerNotePanasonic: () => Buffer.from('Panasonic\0\0\0', 'latin1'),
  MakerNotePentax5: (le) => Buffer.from(`PENTAX \0${le ? 'II' : 'MM'}`, 'latin1'),
  MakerNoteRicohPentax: (le) => Buffer.from(`RICOH\0${le ? 'II' : 'MM'}`, 'latin1'),
  // a phone's note ExifTool has no table for: an IFD straight away
  MakerNoteUnknown: () => Buffer.alloc(0),
};

/** Notes ExifTool keeps whole (text, binary, a preview image): their bytes, whatever the tags. */
export const WHOLE_NOTES: Record<string, Buffer> = {
  MakerNoteUnknownText: Buffer.from('Version 1.0; mode=auto; iso=100\0\0', 'latin1'),
  MakerNoteUnknownBinary: Buffer.from('LSI1\0\x01\x02\x03\xff\xfe\0\0\0\0\0\0', 'latin1'),
  MakerNoteSamsung1a: Buffer.from('STMN100\x05\0\0\0\0\x01\x02\x03\x04', 'latin1'),
  // a JPEG in place of the note: ExifTool's PreviewImage
  'MakerNoteUnknown-preview': Buffer.from('\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9', 'latin1'),
};

/** The notes whose IFD is always little-endian, whatever the EXIF block's order. */
const LITTLE = new Set(['MakerNoteNikon2', 'MakerNoteFujiFilm']);

export const NOTE_KINDS = Object.keys(HEADERS);

export function cameraNote(kind: string, tags: number[], le: boolean, values: Record<number, Buffer> = {}): Buffer {
  const header = HEADERS[kind];
  if (!header) throw new Error(`no layout for ${kind}`);
  const little = LITTLE.has(kind) || le;
  const ifd = Buffer.alloc(2 + 12 * tags.length + 4);
  const u16 = (v: number, o: number) => (little ? ifd.writeUInt16LE(v, o) : ifd.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (little ? ifd.writeUInt32LE(v, o) : ifd.writeUInt32BE(v, o));
  u16(tags.length, 0);
  tags.forEach((tag, i) => {
    const o = 2 + 12 * i;
    const value = values[tag] ?? Buffer.from('0100', 'latin1');
    if (value.length !== 4) throw new Error('values must be 4 bytes');
    u16(tag, o);
    u16(7, o + 2);
    u32(4, o + 4);
    value.copy(ifd, o + 8);
  });
  return Buffer.concat([header(little), ifd]);
}
