/**
 * Turning a `MediaItem` into rows of the tables in schema.ts. Every sink writes these rows, so
 * this is the one place where the values of the `media` columns are decided.
 */
import type { MediaItem } from '../types.js';
import { MEDIA } from './schema.js';

export type TakenAtSource = 'exif' | 'sidecar' | 'exif-local';

/**
 * How shoebox decides when a photo was taken (README: "Dates").
 *
 * - `exif_taken_at` is the file's own date (DateTimeOriginal, else CreateDate, as the exif stage
 *   picked it) written as ISO 8601, with its UTC offset when the file records one
 *   (`2019-08-03T17:45:12+02:00`), else without (`2019-08-03T17:45:12`). It is text, not a
 *   timestamp, because a date without an offset is a wall-clock time and not an instant. A value
 *   that is not a real date (`0000:00:00 00:00:00`, month 13) is NULL.
 * - `taken_at` is the best instant, and `taken_at_source` says which rule gave it:
 *   1. the EXIF date with a known offset: that instant, source `exif`;
 *   2. else the sidecar's photoTakenTime (a UTC instant set by Google Photos), source `sidecar`;
 *   3. else the EXIF date without offset, its wall clock read as UTC, source `exif-local`
 *      (so `year(taken_at)` and `taken_at::DATE` in UTC give the date the camera showed);
 *   4. else NULL, with a NULL source.
 *   The sidecar wins over an offset-less EXIF date because Google Photos records an instant, and
 *   guessing the camera's time zone would be worse than trusting it.
 */
export interface ReconciledDates {
  exifTakenAt: string | null;
  takenAt: Date | null;
  takenAtSource: TakenAtSource | null;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/;
const OFFSET = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** '+0200', '+02:00' and 'Z' as '+02:00' / '+00:00'; null when it is not an offset. */
function normaliseOffset(offset: string | null): string | null {
  if (offset === null) return null;
  const m = OFFSET.exec(offset.trim());
  if (!m) return null;
  if (!m[1]) return '+00:00';
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return `${m[1]}${m[2]}:${m[3]}`;
}

/** The wall-clock text when it names a real calendar date and time, else null. */
function validLocal(local: string | null): string | null {
  if (local === null) return null;
  const m = LOCAL_DATE.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  probe.setUTCFullYear(y);
  if (probe.getUTCDate() !== d) return null; // 2019-02-30
  return local.trim();
}

/** The instant of a wall-clock text at an offset; JS dates hold milliseconds, so finer digits go. */
function instant(local: string, offset: string): Date {
  return new Date(local.replace(/(\.\d{3})\d+$/, '$1') + offset);
}

export function reconcileDates(item: Pick<MediaItem, 'exif' | 'sidecar'>): ReconciledDates {
  const local = validLocal(item.exif?.takenAtLocal ?? null);
  const offset = local ? normaliseOffset(item.exif?.offset ?? null) : null;
  const exifTakenAt = local ? local + (offset ?? '') : null;
  if (local && offset) {
    return { exifTakenAt, takenAt: instant(local, offset), takenAtSource: 'exif' };
  }
  const sidecar = item.sidecar?.fields.takenAt ?? null;
  if (sidecar && !Number.isNaN(sidecar.getTime())) {
    return { exifTakenAt, takenAt: sidecar, takenAtSource: 'sidecar' };
  }
  if (local) {
    return { exifTakenAt, takenAt: instant(local, 'Z'), takenAtSource: 'exif-local' };
  }
  return { exifTakenAt, takenAt: null, takenAtSource: null };
}

const PHOTO_EXT = new Set([
  'jpg', 'jpeg', 'jpe', 'png', 'gif', 'heic', 'heif', 'avif', 'webp', 'bmp', 'tif', 'tiff', 'jxl',
  'dng', 'raw', 'cr2', 'cr3', 'crw', 'nef', 'nrw', 'arw', 'srf', 'sr2', 'orf', 'rw2', 'raf', 'pef',
  'srw', 'x3f', 'erf', 'kdc', 'mrw', '3fr', 'psd', 'ico', 'svg',
]);
const VIDEO_EXT = new Set([
  'mp4', 'm4v', 'mov', 'qt', '3gp', '3g2', 'avi', 'mkv', 'webm', 'mts', 'm2ts', 'ts', 'mpg', 'mpeg',
  'wmv', 'asf', 'flv', 'ogv', 'vob', 'mod', 'tod', 'divx',
]);

export type MediaKind = 'photo' | 'video' | 'other';

/**
 * `photo`, `video` or `other`: from the content MIME, else ExifTool's MIME (it knows formats the
 * magic-byte sniffer does not, such as some RAWs), else the extension.
 */
export function mediaKind(contentMime: string | null, exifMime: string | null, ext: string): MediaKind {
  const mime = contentMime ?? exifMime;
  if (mime) {
    if (mime.startsWith('image/')) return 'photo';
    if (mime.startsWith('video/')) return 'video';
    return 'other';
  }
  if (PHOTO_EXT.has(ext)) return 'photo';
  if (VIDEO_EXT.has(ext)) return 'video';
  return 'other';
}

/** dir ('' at the root), name, and ext (lower case, no dot, '' when none; '.hidden' has none). */
export function splitPath(path: string): { dir: string; name: string; ext: string } {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return { dir, name, ext };
}

/** A sidecar position of exactly 0,0 means "no location" (Google writes zeros), not the Gulf of Guinea. */
function place(lat: number | null, lon: number | null, alt: number | null): [number | null, number | null, number | null] {
  if (lat === null || lon === null || (lat === 0 && lon === 0)) return [null, null, null];
  return [lat, lon, alt];
}

/**
 * The `media` row for one item: exactly the columns of `MEDIA`, in its order. Timestamps are
 * `Date`s (millisecond precision), `people` a string array, absent values null.
 * `roots` is the run's list of roots indexed by `rootIndex`; it names `sidecar_root` when the
 * sidecar sits in another root than the file (without it that column stays NULL).
 */
export function toMediaRow(item: MediaItem, scannedAt: Date, roots?: readonly string[]): Record<string, unknown> {
  const { dir, name, ext } = splitPath(item.path);
  const sc = item.sidecar;
  const f = sc?.fields ?? null;
  const exif = item.exif;
  const dates = reconcileDates(item);
  const [lat, lon, alt] = f ? place(f.lat, f.lon, f.alt) : [null, null, null];
  const [geoExifLat, geoExifLon] = f ? place(f.exifLat, f.exifLon, null) : [null, null];
  const contentMime = item.fingerprint?.mime ?? null;
  const row: Record<string, unknown> = {
    root: item.root,
    path: item.path,
    dir,
    name,
    ext,
    size: item.size,
    mtime: new Date(item.mtimeMs),
    crc32: item.fingerprint?.crc32 ?? null,
    mime: contentMime,
    kind: mediaKind(contentMime, exif?.mime ?? null, ext),
    folder: item.folder,
    album: item.album,
    sidecar: sc?.path ?? null,
    sidecar_root: sc && sc.rootIndex !== item.rootIndex ? (roots?.[sc.rootIndex] ?? null) : null,
    match_rule: sc?.rule ?? null,
    title: f?.title ?? null,
    description: f?.description ?? null,
    sidecar_taken_at: f?.takenAt ?? null,
    sidecar_created_at: f?.createdAt ?? null,
    exif_taken_at: dates.exifTakenAt,
    exif_date_tag: dates.exifTakenAt ? (exif?.dateTag ?? null) : null,
    taken_at: dates.takenAt,
    taken_at_source: dates.takenAtSource,
    lat,
    lon,
    alt,
    geo_exif_lat: geoExifLat,
    geo_exif_lon: geoExifLon,
    exif_lat: exif?.lat ?? null,
    exif_lon: exif?.lon ?? null,
    exif_alt: exif?.alt ?? null,
    make: exif?.make ?? null,
    model: exif?.model ?? null,
    lens: exif?.lens ?? null,
    width: exif?.width ?? null,
    height: exif?.height ?? null,
    orientation: exif?.orientation ?? null,
    duration: exif?.duration ?? null,
    favorited: f ? f.favorited : null,
    archived: f ? f.archived : null,
    trashed: f ? f.trashed : null,
    people: f ? f.people : null,
    origin: f?.origin ?? null,
    device_type: f?.deviceType ?? null,
    views: f?.views ?? null,
    url: f?.url ?? null,
    scanned_at: scannedAt,
  };
  return row;
}

/** The columns `toMediaRow` fills, checked once at load against the contract in schema.ts. */
const probeKeys = Object.keys(toMediaRow(
  { type: 'media', rootIndex: 0, root: '', path: 'a', abs: 'a', size: 0, mtimeMs: 0, folder: 'other', album: null,
    sidecar: null, fingerprint: null, exif: null, problems: [] },
  new Date(0),
));
if (probeKeys.join() !== MEDIA.columns.map((c) => c.name).join()) {
  throw new Error(`toMediaRow columns out of step with schema.ts MEDIA: ${probeKeys.join()}`);
}

/**
 * The `errors` rows for an item's problems: one per stage (the table's key is root, path, stage),
 * several messages from one stage joined with '; '.
 */
export function errorRows(item: MediaItem, at: Date = new Date()): Record<string, unknown>[] {
  const byStage = new Map<string, string[]>();
  for (const p of item.problems) {
    const list = byStage.get(p.stage);
    if (list) list.push(p.message);
    else byStage.set(p.stage, [p.message]);
  }
  return [...byStage].map(([stage, messages]) => ({
    root: item.root,
    path: item.path,
    stage,
    message: messages.join('; '),
    at,
  }));
}
