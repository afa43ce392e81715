/**
 * What the small sample library holds, one entry per original upload. `generateSample` turns each
 * entry into a media file (plus edited copy, live-photo video and album copies), its sidecar, and
 * the manifest's expectations. Every entry exists to exercise one rule of RULES.md / SIDECAR.md;
 * the comment on each says which.
 *
 * Real exports use one sidecar naming form throughout; here the 2019 and 2021 folders use the
 * legacy form and the 2024, Trash and Archive folders the 2024+ form, so one scan meets both.
 */
import type { TakeoutLocale, SidecarForm } from './naming.js';
import type { Geo, Origin } from './sidecar.js';

export interface Camera {
  make: string;
  model: string;
  lens?: string;
}

export interface SidecarEntry {
  form: SidecarForm;
  locale: TakeoutLocale;
  /** photoTakenTime as an ISO UTC instant; default: the EXIF time. */
  takenAt?: string;
  /** geoData: default the EXIF GPS; 'zero' writes the 0,0 "unknown" block. */
  geo?: Geo | 'zero';
  /** Also write geoDataExif (from the EXIF GPS, or 0,0 when there is none). */
  geoExif?: boolean;
  description?: string;
  people?: string[];
  origin?: Origin;
  appPackage?: string;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
}

export interface CatalogEntry {
  /** Folder below `Takeout/Google Photos/`. */
  folder: string;
  /** The original upload name: the sidecar's `title`. */
  title: string;
  /** Duplicate counter Google added to the file name (R4). */
  counter?: number;
  content: 'jpeg' | 'png' | 'mp4' | 'truncated-jpeg' | 'text';
  width: number;
  height: number;
  /** Local wall time written as DateTimeOriginal/CreateDate (QuickTime: the instant, in UTC). */
  taken?: string;
  /** OffsetTimeOriginal; without it the EXIF date has no zone. */
  offset?: string;
  gps?: Geo;
  camera?: Camera;
  /** No sidecar when absent. */
  sidecar?: SidecarEntry;
  /** Also an `-edited` copy that has no JSON of its own (R5). */
  edited?: boolean;
  /** A live-photo video beside it, sharing its sidecar (R7). */
  liveVideo?: { ext: string; camera?: Camera };
  /** Album folders holding a copy, each with its own copy of the JSON (R1, R8). */
  albums?: string[];
}

export interface AlbumEntry {
  folder: string;
  title: string;
  description: string;
  date: string;
  place: { name: string; lat: number; lon: number };
}

const PIXEL_3: Camera = { make: 'Google', model: 'Pixel 3' };
const PIXEL_5: Camera = { make: 'Google', model: 'Pixel 5' };
const NIKON: Camera = { make: 'NIKON CORPORATION', model: 'NIKON D750', lens: 'AF-S NIKKOR 24-120mm f/4G ED VR' };
const ANDROID: Origin = { mobileUpload: { deviceType: 'ANDROID_PHONE' } };
const IPHONE_UPLOAD: Origin = { mobileUpload: { deviceType: 'IOS_PHONE' } };
const LISBON = 'Trip to Lisbon';

export const ALBUMS: AlbumEntry[] = [
  {
    folder: LISBON,
    title: LISBON,
    description: 'Pastéis de nata, trams and the coast',
    date: '2021-06-12T17:00:00Z',
    place: { name: 'Lisbon', lat: 38.7223, lon: -9.1393 },
  },
];

export const CATALOG: CatalogEntry[] = [
  // ---- Photos from 2019: legacy `<title>.json` sidecars ----
  {
    // the SIDECAR.md §5 shape: description, people, favorited, origin, appSource, geoDataExif
    folder: 'Photos from 2019', title: 'IMG_20190803_174512.jpg', content: 'jpeg', width: 640, height: 480,
    taken: '2019-08-03T17:45:12', offset: '+02:00', gps: { lat: 43.7695, lon: 11.2558, alt: 52 }, camera: PIXEL_3,
    sidecar: {
      form: 'legacy', locale: 'en-GB', description: 'Sunset at the pier', people: ['Alice'], favorited: true,
      origin: ANDROID, appPackage: 'com.google.android.GoogleCamera', geoExif: true,
    },
  },
  {
    folder: 'Photos from 2019', title: 'DSC_0101.JPG', content: 'jpeg', width: 480, height: 320,
    taken: '2019-05-18T10:02:33', offset: '+02:00', gps: { lat: 46.0207, lon: 7.7491, alt: 1608 }, camera: NIKON,
    sidecar: { form: 'legacy', locale: 'en-GB', origin: { webUpload: true } },
  },
  {
    // R4.1: a second upload named DSC_0101.JPG: DSC_0101(1).JPG ↔ DSC_0101.JPG(1).json
    folder: 'Photos from 2019', title: 'DSC_0101.JPG', counter: 1, content: 'jpeg', width: 480, height: 320,
    taken: '2019-09-07T08:15:00', offset: '+02:00', camera: NIKON,
    sidecar: { form: 'legacy', locale: 'en-GB', origin: { webUpload: true } },
  },
  {
    // R7: iOS live photo, IMG_0420.JPG + IMG_0420.MP4 with one IMG_0420.JPG.json
    folder: 'Photos from 2019', title: 'IMG_0420.JPG', content: 'jpeg', width: 320, height: 240,
    taken: '2019-09-21T18:02:03', offset: '-07:00', gps: { lat: 37.8199, lon: -122.4783, alt: 67 },
    camera: { make: 'Apple', model: 'iPhone XS', lens: 'iPhone XS back dual camera 4.25mm f/1.8' },
    liveVideo: { ext: 'MP4', camera: { make: 'Apple', model: 'iPhone XS' } },
    sidecar: { form: 'legacy', locale: 'en-GB', origin: IPHONE_UPLOAD },
  },
  {
    // R3: a 51-character name; its JSON stem is clipped to 46 units. No EXIF at all.
    folder: 'Photos from 2019', title: 'Screenshot_2019-11-02-21-14-07-118_com.whatsapp.jpg', content: 'jpeg',
    width: 144, height: 256,
    sidecar: {
      form: 'legacy', locale: 'en-GB', takenAt: '2019-11-02T20:14:07Z', geo: 'zero',
      origin: { mobileUpload: { deviceType: 'ANDROID_PHONE', localFolder: 'Screenshots' } },
    },
  },
  {
    // non-ASCII name (NFC)
    folder: 'Photos from 2019', title: 'Café à Montmartre.jpg', content: 'jpeg', width: 360, height: 240,
    taken: '2019-12-14T15:30:00', offset: '+01:00', gps: { lat: 48.8867, lon: 2.3431, alt: 130 },
    camera: { make: 'FUJIFILM', model: 'X-T3', lens: 'XF18-55mmF2.8-4 R LM OIS' },
    sidecar: { form: 'legacy', locale: 'fr', description: 'Place du Tertre', origin: { webUpload: true } },
  },
  {
    // no sidecar; an EXIF date without an offset (a scanner does not know the zone)
    folder: 'Photos from 2019', title: 'scan_0001.jpg', content: 'jpeg', width: 200, height: 300,
    taken: '1987-07-04T12:00:00', camera: { make: 'EPSON', model: 'Perfection V600' },
  },
  {
    // sidecar date corrected in Google Photos: 6 days after the EXIF date; southern and western hemisphere
    folder: 'Photos from 2019', title: 'P1010033.JPG', content: 'jpeg', width: 320, height: 240,
    taken: '2019-07-14T11:20:00', offset: '-03:00', gps: { lat: -34.6037, lon: -58.3816, alt: 25 },
    camera: { make: 'Panasonic', model: 'DMC-FZ30' },
    sidecar: { form: 'legacy', locale: 'en', takenAt: '2019-07-20T16:00:00Z', origin: { webUpload: true } },
  },
  {
    // geoData 0,0 (and geoDataExif 0,0): location unknown, not Null Island
    folder: 'Photos from 2019', title: 'IMG_20190505_090000.jpg', content: 'jpeg', width: 240, height: 320,
    taken: '2019-05-05T09:00:00', offset: '+10:00', camera: { make: 'samsung', model: 'SM-G973F' },
    sidecar: { form: 'legacy', locale: 'en-GB', geo: 'zero', geoExif: true, origin: ANDROID },
  },

  // ---- Photos from 2021 (and the Lisbon album): legacy sidecars ----
  {
    folder: 'Photos from 2021', title: 'PXL_20210612_183055123.jpg', content: 'jpeg', width: 512, height: 384,
    taken: '2021-06-12T18:30:55', offset: '+01:00', gps: { lat: 38.7139, lon: -9.1394, alt: 45 }, camera: PIXEL_5,
    sidecar: { form: 'legacy', locale: 'en', origin: ANDROID, geoExif: true },
    albums: [LISBON],
  },
  {
    // R5: PXL_…-edited.jpg shares PXL_….jpg.json; both copied into the album
    folder: 'Photos from 2021', title: 'PXL_20210613_101522456.jpg', content: 'jpeg', width: 384, height: 512,
    taken: '2021-06-13T10:15:22', offset: '+01:00', gps: { lat: 38.6916, lon: -9.216, alt: 10 }, camera: PIXEL_5,
    sidecar: { form: 'legacy', locale: 'en', people: ['Alice', 'Bob'], favorited: true, origin: ANDROID },
    edited: true,
    albums: [LISBON],
  },
  {
    folder: 'Photos from 2021', title: 'PXL_20210614_200011789.jpg', content: 'jpeg', width: 320, height: 240,
    taken: '2021-06-14T20:00:11', offset: '+01:00', gps: { lat: 38.7876, lon: -9.3904, alt: 207 }, camera: PIXEL_5,
    sidecar: { form: 'legacy', locale: 'en', description: 'Pena Palace', origin: ANDROID },
    albums: [LISBON],
  },
  {
    // R8: a photo that exists only in the album
    folder: LISBON, title: 'PXL_20210615_090000321.jpg', content: 'jpeg', width: 256, height: 192,
    taken: '2021-06-15T09:00:00', offset: '+01:00', gps: { lat: 38.6979, lon: -9.4215, alt: 5 }, camera: PIXEL_5,
    sidecar: { form: 'legacy', locale: 'en', origin: ANDROID },
  },
  {
    // PNG without EXIF: only the sidecar dates it
    folder: 'Photos from 2021', title: 'Screenshot_20210701-101010.png', content: 'png', width: 180, height: 320,
    sidecar: {
      form: 'legacy', locale: 'en', takenAt: '2021-07-01T08:10:10Z', geo: 'zero',
      origin: { mobileUpload: { deviceType: 'ANDROID_PHONE', localFolder: 'Screenshots' } },
    },
  },
  {
    // a video with its own sidecar (R1); QuickTime CreateDate is UTC, GPS in UserData
    folder: 'Photos from 2021', title: 'VID_20210615_193000.mp4', content: 'mp4', width: 128, height: 96,
    taken: '2021-06-15T18:30:00', offset: '+00:00', gps: { lat: 38.7139, lon: -9.1394, alt: 45 },
    sidecar: { form: 'legacy', locale: 'en', origin: ANDROID },
  },
  {
    folder: 'Photos from 2021', title: 'IMG_3001.JPG', content: 'jpeg', width: 600, height: 400,
    taken: '2021-04-03T14:22:10', offset: '+09:00', gps: { lat: 35.6586, lon: 139.7454, alt: 40 },
    camera: { make: 'Canon', model: 'Canon EOS R6', lens: 'RF24-105mm F4 L IS USM' },
    sidecar: { form: 'legacy', locale: 'en', origin: { webUpload: true } },
  },
  {
    // shared by a partner (googlePhotosOrigin.fromPartnerSharing)
    folder: 'Photos from 2021', title: 'IMG_3002.JPG', content: 'jpeg', width: 240, height: 320,
    taken: '2021-10-09T16:45:30', offset: '-04:00', gps: { lat: 40.7484, lon: -73.9857, alt: 20 },
    camera: { make: 'Apple', model: 'iPhone 12', lens: 'iPhone 12 back dual wide camera 4.2mm f/1.6' },
    sidecar: { form: 'legacy', locale: 'en', origin: { fromPartnerSharing: true } },
  },
  {
    // a +05:45 offset
    folder: 'Photos from 2021', title: 'IMG_3004.JPG', content: 'jpeg', width: 300, height: 200,
    taken: '2021-11-20T07:05:00', offset: '+05:45', gps: { lat: 27.7172, lon: 85.324, alt: 1400 },
    camera: { make: 'SONY', model: 'ILCE-7M3', lens: 'FE 24-70mm F2.8 GM' },
    sidecar: { form: 'legacy', locale: 'en', origin: { webUpload: true } },
  },
  {
    // below sea level; from a shared album
    folder: 'Photos from 2021', title: 'IMG_3006.JPG', content: 'jpeg', width: 160, height: 120,
    taken: '2021-08-01T06:30:00', offset: '+03:00', gps: { lat: 31.559, lon: 35.4732, alt: -430 },
    camera: { make: 'OLYMPUS CORPORATION', model: 'E-M10MarkIII' },
    sidecar: { form: 'legacy', locale: 'en', origin: { fromSharedAlbum: true } },
  },
  {
    // broken: an HTML error page saved under a .JPG name
    folder: 'Photos from 2021', title: 'IMG_3005.JPG', content: 'text', width: 0, height: 0,
    sidecar: { form: 'legacy', locale: 'en', takenAt: '2021-12-24T18:00:00Z', geo: 'zero', origin: { webUpload: true } },
  },

  // ---- Photos from 2024, Trash, Archive: 2024+ `.supplemental-metadata.json` sidecars ----
  {
    folder: 'Photos from 2024', title: '20240315_143022.jpg', content: 'jpeg', width: 400, height: 300,
    taken: '2024-03-15T14:30:22', offset: '+02:00', gps: { lat: -33.9249, lon: 18.4241, alt: 15 },
    camera: { make: 'samsung', model: 'SM-S918B' },
    sidecar: { form: 'supplemental', locale: 'de', origin: ANDROID },
  },
  {
    // R2.2: a 30-unit title → `.supplemental-me.json`
    folder: 'Photos from 2024', title: 'IMG_20240402_181530_BURST1.jpg', content: 'jpeg', width: 240, height: 180,
    taken: '2024-04-02T18:15:30', offset: '+00:00', gps: { lat: 64.1466, lon: -21.9426, alt: 20 },
    camera: { make: 'Xiaomi', model: '2201123G' },
    sidecar: { form: 'supplemental', locale: 'de', origin: ANDROID },
  },
  {
    // R2.2: a 40-unit title → `.suppl.json`
    folder: 'Photos from 2024', title: 'Screenshot_20240527_220145_Instagram.jpg', content: 'jpeg', width: 144, height: 256,
    taken: '2024-05-27T22:01:45', offset: '+02:00',
    sidecar: {
      form: 'supplemental', locale: 'de', geo: 'zero', appPackage: 'com.instagram.android',
      origin: { mobileUpload: { deviceType: 'ANDROID_PHONE', localFolder: 'Screenshots' } },
    },
  },
  {
    folder: 'Photos from 2024', title: 'IMG_5123.jpg', content: 'jpeg', width: 320, height: 240,
    taken: '2024-01-20T10:10:10', offset: '-03:00', gps: { lat: -22.9519, lon: -43.2105, alt: 700 },
    camera: { make: 'motorola', model: 'moto g54 5G' },
    sidecar: { form: 'supplemental', locale: 'pl', people: ['Carol'], origin: ANDROID },
  },
  {
    // R2.5: IMG_5123(1).jpg ↔ IMG_5123.jpg.supplemental-metadata(1).json; +13:00
    folder: 'Photos from 2024', title: 'IMG_5123.jpg', counter: 1, content: 'jpeg', width: 320, height: 240,
    taken: '2024-01-21T09:00:00', offset: '+13:00', gps: { lat: -36.8485, lon: 174.7633, alt: 30 },
    camera: { make: 'Apple', model: 'iPhone 15', lens: 'iPhone 15 back dual wide camera 6.86mm f/1.6' },
    sidecar: { form: 'supplemental', locale: 'pl', origin: IPHONE_UPLOAD },
  },
  {
    // R2.3 + R3: the media name is clipped to 51 and the JSON stem to 46, so the suffix is gone
    folder: 'Photos from 2024', title: 'PXL_20240809_203449253.LONG_EXPOSURE-02.ORIGINAL.jpg', content: 'jpeg',
    width: 480, height: 360,
    taken: '2024-08-09T20:34:49', offset: '-08:00', gps: { lat: 61.2181, lon: -149.9003, alt: 30 },
    camera: { make: 'Google', model: 'Pixel 8 Pro' },
    sidecar: { form: 'supplemental', locale: 'de', origin: ANDROID },
  },
  {
    // broken: cut off in the middle of the image data (the EXIF before it is intact)
    folder: 'Photos from 2024', title: 'IMG_20240701_000000.jpg', content: 'truncated-jpeg', width: 320, height: 240,
    taken: '2024-07-01T00:00:00', offset: '+02:00', gps: { lat: 52.52, lon: 13.405, alt: 34 },
    camera: { make: 'Google', model: 'Pixel 7' },
    sidecar: { form: 'supplemental', locale: 'de', origin: ANDROID },
  },
  {
    folder: 'Trash', title: 'IMG_20240620_120000.jpg', content: 'jpeg', width: 200, height: 150,
    taken: '2024-06-20T12:00:00', offset: '+02:00', gps: { lat: 40.4168, lon: -3.7038, alt: 650 },
    camera: { make: 'OnePlus', model: 'CPH2449' },
    sidecar: { form: 'supplemental', locale: 'de', trashed: true, origin: ANDROID },
  },
  {
    folder: 'Archive', title: 'IMG_20240105_080808.jpg', content: 'jpeg', width: 200, height: 150,
    taken: '2024-01-05T08:08:08', offset: '-05:00', gps: { lat: 4.711, lon: -74.0721, alt: 2640 },
    camera: { make: 'HUAWEI', model: 'ELE-L29' },
    sidecar: { form: 'supplemental', locale: 'de', archived: true, origin: ANDROID },
  },
];
