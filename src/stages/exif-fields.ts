/**
 * ExifTool's -n JSON -> the fields shoebox stores. Kept apart from exif.ts (which loads
 * exiftool-vendored) so the fingerprint workers can use it for the JPEGs they read natively.
 */
import type { ExifFields } from '../types.js';

/** One file's tags as ExifTool's JSON gives them (tag name -> value). */
export type RawTags = Record<string, unknown>;

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v).trim() || null);
/**
 * A number, or a string of one: ExifTool's JSON writer quotes numbers it prints with more than 16
 * decimals (a GPS coordinate within ~1 km of the equator or the Greenwich meridian, e.g.
 * "0.000277777777777778"), which would otherwise be lost.
 */
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const QUICKTIME = /^video\/(mp4|quicktime|3gpp|3gpp2|x-m4v)$|^image\/hei[cf]$/;

/** Turns ExifTool's -n JSON into the fields shoebox stores; see ExifFields for the date form. */
export function toExifFields(t: RawTags): ExifFields {
  const mime = str(t.MIMEType);
  let takenAtLocal: string | null = null;
  let offset: string | null = null;
  let dateTag: string | null = null;
  const candidates: Array<[string, unknown, unknown]> = [
    ['DateTimeOriginal', t.DateTimeOriginal, t.OffsetTimeOriginal],
    ['CreationDate', t.CreationDate, null],
    ['CreateDate', t.CreateDate, t.OffsetTimeDigitized],
  ];
  for (const [tag, value, off] of candidates) {
    const d = parseExifDate(value);
    if (!d) continue;
    takenAtLocal = d.local;
    offset = d.offset ?? parseOffset(off);
    dateTag = tag;
    // QuickTime CreateDate is UTC by the specification (ExifTool: QuickTimeUTC).
    if (!offset && tag === 'CreateDate' && mime && /^video\//.test(mime) && QUICKTIME.test(mime)) offset = '+00:00';
    break;
  }
  const lat = num(t.GPSLatitude);
  const lon = num(t.GPSLongitude);
  const noFix = lat === 0 && lon === 0;
  return {
    takenAtLocal,
    offset,
    dateTag,
    lat: noFix ? null : lat,
    lon: noFix ? null : lon,
    alt: noFix ? null : num(t.GPSAltitude),
    make: str(t.Make),
    model: str(t.Model),
    lens: str(t.LensModel),
    width: num(t.ImageWidth),
    height: num(t.ImageHeight),
    orientation: num(t.Orientation),
    duration: num(t.Duration),
    mime,
  };
}

const DATE_RE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/;

/** '2019:08:03 17:45:12.34+02:00' → { local: '2019-08-03T17:45:12.34', offset: '+02:00' }. */
export function parseExifDate(v: unknown): { local: string; offset: string | null } | null {
  if (typeof v !== 'string') return null;
  const m = DATE_RE.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  if (y === '0000' || mo === '00' || d === '00') return null;
  return { local: `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}`, offset: parseOffset(off) };
}

function parseOffset(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === 'Z') return '+00:00';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  return m ? `${m[1]}${m[2]}:${m[3]}` : null;
}
