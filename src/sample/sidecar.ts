/**
 * Takeout JSON sidecars and album metadata, written with the field set and value formats of
 * ../shared/takeout/SIDECAR.md: epoch seconds as strings, localized `formatted` text, geo numbers
 * with a decimal point, `favorited`/`archived`/`trashed` only when true, 2-space indentation.
 */
import { formatTakeoutTime, type TakeoutLocale } from './naming.js';

export interface Geo {
  lat: number;
  lon: number;
  alt: number;
}

export type Origin =
  | { mobileUpload: { deviceType: 'ANDROID_PHONE' | 'IOS_PHONE' | 'IOS_TABLET'; localFolder?: string } }
  | { fromPartnerSharing: true }
  | { fromSharedAlbum: true }
  | { webUpload: true }
  | { driveSync: true };

export interface SidecarSpec {
  title: string;
  description?: string;
  views?: number;
  /** Upload time. */
  createdAt: Date;
  /** Capture time; null writes `"0"`, as Google does when it has none. */
  takenAt: Date | null;
  /** `geoData`; null writes the 0,0 "unknown" block. */
  geo: Geo | null;
  /** `geoDataExif`; undefined leaves the block out (newer exports), null writes 0,0. */
  geoExif?: Geo | null;
  people?: string[];
  /** Seeds the `url`. */
  id: string;
  origin?: Origin;
  appPackage?: string;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  locale: TakeoutLocale;
}

/** The origin's key, as the `origin` column is expected to hold it. */
export function originKind(origin: Origin | undefined): string | null {
  return origin ? Object.keys(origin)[0]! : null;
}

export function sidecarJson(s: SidecarSpec): string {
  const doc: Record<string, unknown> = {
    title: s.title,
    description: s.description ?? '',
    imageViews: String(s.views ?? 0),
    creationTime: timeBlock(s.createdAt, s.locale),
    photoTakenTime: s.takenAt ? timeBlock(s.takenAt, s.locale) : { timestamp: '0', formatted: formatTakeoutTime(new Date(0), s.locale) },
    geoData: geoBlock(s.geo),
  };
  if (s.geoExif !== undefined) doc.geoDataExif = geoBlock(s.geoExif);
  if (s.people?.length) doc.people = s.people.map((name) => ({ name }));
  doc.url = `https://photos.google.com/photo/AF1Qip${s.id}`;
  if (s.origin) doc.googlePhotosOrigin = originBlock(s.origin);
  if (s.appPackage) doc.appSource = { androidPackageName: s.appPackage };
  if (s.favorited) doc.favorited = true;
  if (s.archived) doc.archived = true;
  if (s.trashed) doc.trashed = true;
  return stringify(doc);
}

export interface AlbumSpec {
  title: string;
  description?: string;
  access?: 'protected' | 'shared' | '';
  date: Date;
  place?: { name: string; lat: number; lon: number };
  locale: TakeoutLocale;
}

export function albumJson(a: AlbumSpec): string {
  const doc: Record<string, unknown> = {
    title: a.title,
    description: a.description ?? '',
    access: a.access ?? 'protected',
    date: timeBlock(a.date, a.locale),
    geoData: geoBlock(null),
  };
  if (a.place) {
    doc.enrichments = [
      {
        locationEnrichment: {
          location: [
            {
              name: a.place.name,
              description: '',
              latitudeE7: Math.round(a.place.lat * 1e7),
              longitudeE7: Math.round(a.place.lon * 1e7),
            },
          ],
        },
      },
    ];
  }
  return stringify(doc);
}

function timeBlock(at: Date, locale: TakeoutLocale) {
  return { timestamp: String(Math.floor(at.getTime() / 1000)), formatted: formatTakeoutTime(at, locale) };
}

function geoBlock(g: Geo | null) {
  return {
    latitude: g?.lat ?? 0,
    longitude: g?.lon ?? 0,
    altitude: g?.alt ?? 0,
    latitudeSpan: 0,
    longitudeSpan: 0,
  };
}

function originBlock(o: Origin): Record<string, unknown> {
  if ('mobileUpload' in o) {
    return {
      mobileUpload: {
        deviceFolder: { localFolderName: o.mobileUpload.localFolder ?? '' },
        deviceType: o.mobileUpload.deviceType,
      },
    };
  }
  return { [Object.keys(o)[0]!]: {} };
}

const GEO_KEY = /^(\s*"(?:latitude|longitude|altitude|latitudeSpan|longitudeSpan)": )(-?\d+)(,?)$/gm;

/** Google writes geo numbers as doubles (`0.0`, `52.0`); JSON.stringify drops the `.0`. */
function stringify(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(GEO_KEY, '$1$2.0$3') + '\n';
}
