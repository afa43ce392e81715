/**
 * Classifying and reading Takeout JSON by content (SIDECAR.md §1, §2). The fixtures follow the
 * shapes in immich-go's `json_test.go` and SIDECAR.md §5, written here so no file is copied.
 */
import { describe, expect, it } from 'vitest';
import { parseTakeoutJson } from '../src/takeout/sidecar-json.js';
import type { SidecarFields } from '../src/types.js';

const at = (seconds: number) => new Date(seconds * 1000);

const EMPTY: SidecarFields = {
  title: null, description: null, takenAt: null, createdAt: null, modifiedAt: null,
  lat: null, lon: null, alt: null, exifLat: null, exifLon: null, exifAlt: null,
  people: [], origin: null, deviceType: null, localFolder: null, appPackage: null,
  favorited: false, archived: false, trashed: false, views: null, url: null,
};

const FULL = {
  title: 'IMG_20190803_174512.jpg',
  description: 'Sunset at the pier',
  imageViews: '17',
  creationTime: { timestamp: '1564858114', formatted: '3 Aug 2019, 18:48:34 UTC' },
  photoTakenTime: { timestamp: '1564847112', formatted: '3 Aug 2019, 15:45:12 UTC' },
  photoLastModifiedTime: { timestamp: '1564900000', formatted: '4 Aug 2019, 06:26:40 UTC' },
  geoData: { latitude: 43.7695, longitude: 11.2558, altitude: 52.0, latitudeSpan: 0.0, longitudeSpan: 0.0 },
  geoDataExif: { latitude: 43.7694981, longitude: 11.2557794, altitude: 52.31, latitudeSpan: 0.0, longitudeSpan: 0.0 },
  people: [{ name: 'Alice' }, { name: 'Bob' }],
  url: 'https://photos.google.com/photo/AF1QipExample',
  googlePhotosOrigin: { mobileUpload: { deviceFolder: { localFolderName: 'Camera' }, deviceType: 'ANDROID_PHONE' } },
  appSource: { androidPackageName: 'com.google.android.GoogleCamera' },
  favorited: true,
  archived: true,
  trashed: true,
};

const MEDIA_CASES: { name: string; json: unknown; fields: Partial<SidecarFields> }[] = [
  {
    name: 'every field',
    json: FULL,
    fields: {
      title: 'IMG_20190803_174512.jpg', description: 'Sunset at the pier', views: 17,
      takenAt: at(1564847112), createdAt: at(1564858114), modifiedAt: at(1564900000),
      lat: 43.7695, lon: 11.2558, alt: 52, exifLat: 43.7694981, exifLon: 11.2557794, exifAlt: 52.31,
      people: ['Alice', 'Bob'], url: 'https://photos.google.com/photo/AF1QipExample',
      origin: 'mobileUpload', deviceType: 'ANDROID_PHONE', localFolder: 'Camera',
      appPackage: 'com.google.android.GoogleCamera', favorited: true, archived: true, trashed: true,
    },
  },
  {
    name: 'no location: 0,0 in both blocks, empty description, empty local folder',
    json: {
      title: 'IMG_1559.HEIC', description: '', imageViews: '0',
      photoTakenTime: { timestamp: '1687791968' },
      geoData: { latitude: 0.0, longitude: 0.0, altitude: 0.0 },
      geoDataExif: { latitude: 0.0, longitude: 0.0, altitude: 0.0 },
      googlePhotosOrigin: { mobileUpload: { deviceFolder: { localFolderName: '' }, deviceType: 'IOS_PHONE' } },
    },
    fields: { title: 'IMG_1559.HEIC', takenAt: at(1687791968), views: 0, origin: 'mobileUpload', deviceType: 'IOS_PHONE' },
  },
  {
    name: 'partner sharing',
    json: { title: 'IMG_1.HEIC', photoTakenTime: { timestamp: '1687791968' }, googlePhotosOrigin: { fromPartnerSharing: {} } },
    fields: { title: 'IMG_1.HEIC', takenAt: at(1687791968), origin: 'fromPartnerSharing' },
  },
  {
    name: 'unknown dates: "0" and ""',
    json: { title: 'a.jpg', photoTakenTime: { timestamp: '0', formatted: '1 janv. 1970' }, creationTime: { timestamp: '' } },
    fields: { title: 'a.jpg' },
  },
  {
    name: 'old export: modificationTime, no url',
    json: {
      title: 'IMG_20170803_115431469_HDR.jpg',
      creationTime: { timestamp: '1502439626' },
      modificationTime: { timestamp: '1585318092' },
      photoTakenTime: { timestamp: '1501754071' },
      geoData: { latitude: 54.51708608333333, longitude: 18.54171638888889, altitude: 0.0 },
    },
    fields: {
      title: 'IMG_20170803_115431469_HDR.jpg', createdAt: at(1502439626), modifiedAt: at(1585318092),
      takenAt: at(1501754071), lat: 54.51708608333333, lon: 18.54171638888889, alt: 0,
    },
  },
  {
    name: '2017-era: title and url without time blocks (IG #1124)',
    json: { title: 'IMG_0001.JPG', url: 'https://lh3.googleusercontent.com/abc', tags: [], comments: [] },
    fields: { title: 'IMG_0001.JPG', url: 'https://lh3.googleusercontent.com/abc' },
  },
  {
    name: 'no url and no photoTakenTime, still a photo (IG #212)',
    json: { title: 'IMG_2.jpg', creationTime: { timestamp: '1502439626' }, geoData: { latitude: 0, longitude: 0 } },
    fields: { title: 'IMG_2.jpg', createdAt: at(1502439626) },
  },
  {
    name: 'only one of the two locations',
    json: { photoTakenTime: { timestamp: '1' }, geoData: { latitude: 0, longitude: 0 }, geoDataExif: { latitude: -33.9, longitude: 18.4 } },
    fields: { takenAt: at(1), exifLat: -33.9, exifLon: 18.4 },
  },
  {
    name: 'oddly typed values are unknown, not errors',
    json: {
      title: 42, photoTakenTime: { timestamp: 'yesterday' }, imageViews: '12 views', people: [{ name: '' }, 'Eve', { name: 'Zoe' }],
      geoData: { latitude: '43.1', longitude: 11 }, favorited: 'true', googlePhotosOrigin: 'mobileUpload',
    },
    fields: { people: ['Zoe'] },
  },
  {
    name: 'numbers where strings are expected',
    json: { photoTakenTime: { timestamp: 1564847112 }, imageViews: 5 },
    fields: { takenAt: at(1564847112), views: 5 },
  },
];

describe('parseTakeoutJson', () => {
  it.each(MEDIA_CASES)('media: $name', ({ json, fields }) => {
    expect(parseTakeoutJson(JSON.stringify(json))).toEqual({ kind: 'media', fields: { ...EMPTY, ...fields } });
  });

  it.each([
    { name: 'new album', json: { title: 'Trip to Gdańsk', description: '', access: 'protected', date: { timestamp: '1502439626' } }, album: { title: 'Trip to Gdańsk', description: null, access: 'protected', date: at(1502439626) } },
    { name: '2025 album with only a title', json: { title: 'basement finishing' }, album: { title: 'basement finishing', description: null, access: null, date: null } },
    { name: 'old albumData wrapper', json: { albumData: { title: 'Trip to Gdańsk', description: 'Sea', access: 'shared', location: '', date: { timestamp: '1502439626' } } }, album: { title: 'Trip to Gdańsk', description: 'Sea', access: 'shared', date: at(1502439626) } },
    { name: 'untitled album', json: { title: '', description: '', access: '', date: { timestamp: '0', formatted: '1 janv. 1970, 00:00:00 UTC' } }, album: { title: null, description: null, access: null, date: null } },
    { name: 'album with enrichments', json: { title: 'Album Title', enrichments: [{ narrativeEnrichment: { text: 'Hi' } }], sharedAlbumComments: [] }, album: { title: 'Album Title', description: null, access: null, date: null } },
  ])('album: $name', ({ json, album }) => {
    expect(parseTakeoutJson(JSON.stringify(json))).toEqual({ kind: 'album', album });
  });

  it.each([
    { name: 'print order (IG json_test)', json: { externalOrderId: '4177', type: 'PURCHASED', quantity: 1, creationTime: { formatted: 'Dec 12, 2022' }, client: 'WEB_DESKTOP', category: 'SHIPPED_PRINTS' } },
    { name: 'empty object', json: {} },
    { name: 'a lone empty title', json: { title: '' } },
    { name: 'a url alone', json: { url: 'https://photos.google.com/x' } },
  ])('other: $name', ({ json }) => {
    expect(parseTakeoutJson(JSON.stringify(json))).toEqual({ kind: 'other' });
  });

  it('strips a UTF-8 byte order mark', () => {
    const parsed = parseTakeoutJson(`\uFEFF${JSON.stringify({ title: 'a.jpg', photoTakenTime: { timestamp: '1' } })}`);
    expect(parsed.kind).toBe('media');
  });

  it.each([
    { name: 'truncated JSON', text: '{"title": "a.jpg", ', message: /^malformed JSON: / },
    { name: 'empty file', text: '', message: /^malformed JSON: / },
    { name: 'an array', text: '[1, 2]', message: 'expected a JSON object, got an array' },
    { name: 'null', text: 'null', message: 'expected a JSON object, got null' },
    { name: 'a string', text: '"hello"', message: 'expected a JSON object, got a string' },
  ])('throws a clear Error for $name', ({ text, message }) => {
    expect(() => parseTakeoutJson(text)).toThrow(message);
  });
});
