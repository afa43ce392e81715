/**
 * Classifies a Takeout JSON file by its content, not its (localized) name, and reads it
 * (SIDECAR.md §1, §2; immich-go's `json.go` rule). Every field is optional, as in the wild.
 */
import type { SidecarFields } from '../types.js';

export interface AlbumFields {
  title: string | null;
  description: string | null;
  access: string | null;
  date: Date | null;
}

export type ParsedJson =
  | { kind: 'media'; fields: SidecarFields }
  | { kind: 'album'; album: AlbumFields }
  | { kind: 'other' };

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * - `media`: has a `photoTakenTime` block (even `"0"`: an unknown date is still a photo's
 *   sidecar); or a `title` with a `url` (2017-era sidecars have no time blocks, IG #1124) or with
 *   another field only media sidecars carry (`url` can be missing, IG #212).
 * - `album`: otherwise, has a `title` (`""` for untitled albums, when the file also carries an
 *   album's `access` or `date`); the old `{"albumData": {…}}` wrapper too.
 * - `other`: print orders, `shared_album_comments.json`, … (R10).
 *
 * Throws a plain Error for text that is not JSON or not a JSON object.
 */
export function parseTakeoutJson(text: string): ParsedJson {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new Error(`malformed JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(data)) {
    const got = data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`;
    throw new Error(`expected a JSON object, got ${got}`);
  }
  if (isMedia(data)) return { kind: 'media', fields: readMedia(data) };
  const album = isObject(data.albumData) ? data.albumData : data;
  if (isAlbum(album)) return { kind: 'album', album: readAlbum(album) };
  return { kind: 'other' };
}

/** Top-level fields of a media sidecar that album metadata never has (SIDECAR.md §1, §2). */
const MEDIA_ONLY = ['creationTime', 'photoLastModifiedTime', 'modificationTime', 'imageViews', 'geoDataExif', 'googlePhotosOrigin'];

function isMedia(o: Obj): boolean {
  if (isObject(o.photoTakenTime)) return true;
  if (nonEmpty(o.title) === null) return false;
  return nonEmpty(o.url) !== null || MEDIA_ONLY.some((k) => k in o);
}

function isAlbum(o: Obj): boolean {
  if (typeof o.title !== 'string') return false;
  return o.title !== '' || 'access' in o || isObject(o.date);
}

function readMedia(o: Obj): SidecarFields {
  const geo = readGeo(o.geoData);
  const exif = readGeo(o.geoDataExif);
  const origin = isObject(o.googlePhotosOrigin) ? o.googlePhotosOrigin : null;
  const mobile = origin && isObject(origin.mobileUpload) ? origin.mobileUpload : null;
  const folder = mobile && isObject(mobile.deviceFolder) ? mobile.deviceFolder : null;
  const app = isObject(o.appSource) ? o.appSource : null;
  return {
    title: nonEmpty(o.title),
    description: nonEmpty(o.description),
    takenAt: readTime(o.photoTakenTime),
    createdAt: readTime(o.creationTime),
    // `modificationTime` in older exports, `photoLastModifiedTime` in newer ones.
    modifiedAt: readTime(o.photoLastModifiedTime) ?? readTime(o.modificationTime),
    lat: geo?.lat ?? null,
    lon: geo?.lon ?? null,
    alt: geo?.alt ?? null,
    exifLat: exif?.lat ?? null,
    exifLon: exif?.lon ?? null,
    exifAlt: exif?.alt ?? null,
    people: Array.isArray(o.people)
      ? o.people.map((p) => (isObject(p) ? nonEmpty(p.name) : null)).filter((n): n is string => n !== null)
      : [],
    origin: origin ? (Object.keys(origin)[0] ?? null) : null,
    deviceType: mobile ? nonEmpty(mobile.deviceType) : null,
    localFolder: folder ? nonEmpty(folder.localFolderName) : null,
    appPackage: app ? nonEmpty(app.androidPackageName) : null,
    favorited: o.favorited === true,
    archived: o.archived === true,
    trashed: o.trashed === true,
    views: readCount(o.imageViews),
    url: nonEmpty(o.url),
  };
}

function readAlbum(o: Obj): AlbumFields {
  return {
    title: nonEmpty(o.title),
    description: nonEmpty(o.description),
    access: nonEmpty(o.access),
    date: readTime(o.date),
  };
}

function nonEmpty(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** `{timestamp: "1564847112"}`: epoch seconds as a string; `"0"` and `""` mean unknown. The
 * `formatted` text is localized and never read. */
function readTime(v: unknown): Date | null {
  if (!isObject(v)) return null;
  const ts = v.timestamp;
  const seconds = typeof ts === 'number' ? ts : typeof ts === 'string' && /^\s*-?\d+\s*$/.test(ts) ? Number(ts) : NaN;
  if (!Number.isFinite(seconds) || seconds === 0) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `"2973"` (a string, as written) or a number; anything else is unknown. */
function readCount(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
}

/** Google writes 0,0 for "no location": it is unknown, not Null Island. */
function readGeo(v: unknown): { lat: number; lon: number; alt: number | null } | null {
  if (!isObject(v)) return null;
  const lat = v.latitude;
  const lon = v.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (lat === 0 && lon === 0) return null;
  return { lat, lon, alt: typeof v.altitude === 'number' && Number.isFinite(v.altitude) ? v.altitude : null };
}
