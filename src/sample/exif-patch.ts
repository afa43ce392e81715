/**
 * Rewrites EXIF values in place, without ExifTool, so that one JPEG written once by ExifTool can
 * become thousands of distinct files in milliseconds (used by `generateLibrary`).
 *
 * The trick: ExifTool writes the base file's EXIF with placeholder values of fixed width
 * (DateTimeOriginal `2000:01:01 00:00:00`, OffsetTimeOriginal `+00:00`, a 32-character
 * ImageUniqueID, GPS rationals). `findExifSlots` walks the TIFF structure once to find the
 * bytes that hold those values; `patchExif` overwrites them in a copy with the same number of
 * bytes. Lengths, offsets and segment sizes are unchanged, so every copy stays a valid JPEG with
 * valid EXIF, and the unique ID makes every copy's content and CRC distinct.
 */
import type { Geo } from './sidecar.js';

export interface ExifSlots {
  littleEndian: boolean;
  /** Offsets of the value bytes in the file; null when the base has no such tag. */
  dateTimeOriginal: number | null;
  createDate: number | null;
  offsetTimeOriginal: number | null;
  offsetTimeDigitized: number | null;
  imageUniqueId: number | null;
  gpsLatitudeRef: number | null;
  gpsLatitude: number | null;
  gpsLongitudeRef: number | null;
  gpsLongitude: number | null;
  gpsAltitudeRef: number | null;
  gpsAltitude: number | null;
}

export interface ExifValues {
  /** 'YYYY:MM:DD HH:MM:SS' */
  dateTime: string;
  /** '+HH:MM' */
  offset: string;
  /** 32 characters */
  uniqueId: string;
  gps?: Geo;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

export function findExifSlots(jpeg: Buffer): ExifSlots {
  const tiff = findTiff(jpeg);
  const le = jpeg.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (o: number) => (le ? jpeg.readUInt16LE(o) : jpeg.readUInt16BE(o));
  const u32 = (o: number) => (le ? jpeg.readUInt32LE(o) : jpeg.readUInt32BE(o));

  /** tag → absolute offset of its value bytes */
  const readIfd = (at: number): Map<number, number> => {
    const out = new Map<number, number>();
    const n = u16(tiff + at);
    for (let i = 0; i < n; i++) {
      const e = tiff + at + 2 + i * 12;
      const size = (TYPE_SIZE[u16(e + 2)] ?? 1) * u32(e + 4);
      out.set(u16(e), size <= 4 ? e + 8 : tiff + u32(e + 8));
    }
    return out;
  };
  const ifd0 = readIfd(u32(tiff + 4));
  const pointer = (tag: number) => (ifd0.has(tag) ? u32(ifd0.get(tag)!) : null);
  const exifAt = pointer(0x8769);
  const gpsAt = pointer(0x8825);
  const exif = exifAt === null ? new Map<number, number>() : readIfd(exifAt);
  const gps = gpsAt === null ? new Map<number, number>() : readIfd(gpsAt);
  const at = (m: Map<number, number>, tag: number) => m.get(tag) ?? null;
  return {
    littleEndian: le,
    dateTimeOriginal: at(exif, 0x9003),
    createDate: at(exif, 0x9004),
    offsetTimeOriginal: at(exif, 0x9011),
    offsetTimeDigitized: at(exif, 0x9012),
    imageUniqueId: at(exif, 0xa420),
    gpsLatitudeRef: at(gps, 1),
    gpsLatitude: at(gps, 2),
    gpsLongitudeRef: at(gps, 3),
    gpsLongitude: at(gps, 4),
    gpsAltitudeRef: at(gps, 5),
    gpsAltitude: at(gps, 6),
  };
}

/** A copy of `base` with `values` written into its slots. */
export function patchExif(base: Buffer, slots: ExifSlots, values: ExifValues): Buffer {
  const out = Buffer.from(base);
  const ascii = (at: number | null, s: string) => at !== null && out.write(s, at, 'latin1');
  ascii(slots.dateTimeOriginal, values.dateTime);
  ascii(slots.createDate, values.dateTime);
  ascii(slots.offsetTimeOriginal, values.offset);
  ascii(slots.offsetTimeDigitized, values.offset);
  ascii(slots.imageUniqueId, values.uniqueId);
  const g = values.gps;
  if (g && slots.gpsLatitude !== null && slots.gpsLongitude !== null) {
    ascii(slots.gpsLatitudeRef, g.lat < 0 ? 'S' : 'N');
    ascii(slots.gpsLongitudeRef, g.lon < 0 ? 'W' : 'E');
    writeDms(out, slots.gpsLatitude, Math.abs(g.lat), slots.littleEndian);
    writeDms(out, slots.gpsLongitude, Math.abs(g.lon), slots.littleEndian);
    if (slots.gpsAltitudeRef !== null) out[slots.gpsAltitudeRef] = g.alt < 0 ? 1 : 0;
    if (slots.gpsAltitude !== null) writeRational(out, slots.gpsAltitude, Math.round(Math.abs(g.alt) * 10), 10, slots.littleEndian);
  }
  return out;
}

/** Degrees, minutes, seconds as three rationals; seconds to 1/10000. */
function writeDms(out: Buffer, at: number, deg: number, le: boolean): void {
  const d = Math.floor(deg);
  const m = Math.floor((deg - d) * 60);
  const s = Math.round(((deg - d) * 60 - m) * 60 * 10000);
  writeRational(out, at, d, 1, le);
  writeRational(out, at + 8, m, 1, le);
  writeRational(out, at + 16, s, 10000, le);
}

function writeRational(out: Buffer, at: number, num: number, den: number, le: boolean): void {
  if (le) {
    out.writeUInt32LE(num, at);
    out.writeUInt32LE(den, at + 4);
  } else {
    out.writeUInt32BE(num, at);
    out.writeUInt32BE(den, at + 4);
  }
}

/** Offset of the TIFF header inside the JPEG's `Exif` APP1 segment. */
function findTiff(jpeg: Buffer): number {
  let o = 2;
  while (o + 4 <= jpeg.length && jpeg[o] === 0xff) {
    const marker = jpeg[o + 1]!;
    const len = jpeg.readUInt16BE(o + 2);
    if (marker === 0xe1 && jpeg.toString('latin1', o + 4, o + 10) === 'Exif\0\0') return o + 10;
    if (marker === 0xda) break;
    o += 2 + len;
  }
  throw new Error('no EXIF segment in the base JPEG');
}
