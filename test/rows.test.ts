import { describe, expect, it } from 'vitest';
import { errorRows, mediaKind, reconcileDates, splitPath, toMediaRow } from '../src/db/rows.js';
import { MEDIA } from '../src/db/schema.js';
import type { ExifFields, MediaItem, SidecarFields } from '../src/types.js';

function exif(takenAtLocal: string | null, offset: string | null, more: Partial<ExifFields> = {}): ExifFields {
  return {
    takenAtLocal, offset, dateTag: takenAtLocal ? 'DateTimeOriginal' : null,
    lat: 43.7695, lon: 11.2558, alt: 52.1, make: 'Google', model: 'Pixel 3', lens: null,
    width: 4032, height: 3024, orientation: 1, duration: null, mime: 'image/jpeg', ...more,
  };
}

function sidecarFields(takenAt: Date | null, more: Partial<SidecarFields> = {}): SidecarFields {
  return {
    title: 'IMG_20190803_174512.jpg', description: 'Ponte Vecchio at dusk', takenAt,
    createdAt: new Date('2019-08-04T07:12:40Z'), modifiedAt: null,
    lat: 43.7679, lon: 11.2531, alt: 48, exifLat: 43.7679, exifLon: 11.2531, exifAlt: 48,
    people: ['Giulia Rossi'], origin: 'mobileUpload', deviceType: 'ANDROID_PHONE', localFolder: null, appPackage: null,
    favorited: true, archived: false, trashed: false, views: 12, url: 'https://photos.google.com/photo/AF1QipN',
    ...more,
  };
}

function item(over: Partial<MediaItem> = {}): MediaItem {
  const path = over.path ?? 'Takeout/Google Photos/Photos from 2019/IMG_20190803_174512.jpg';
  return {
    type: 'media', rootIndex: 0, root: '/exports/takeout-001', path, abs: `/exports/takeout-001/${path}`,
    size: 3_481_220, mtimeMs: Date.parse('2019-08-04T07:12:40Z'), folder: 'year', album: null,
    sidecar: {
      rootIndex: 0, path: `${path}.supplemental-metadata.json`, rule: 'exact',
      fields: sidecarFields(new Date('2019-08-03T15:45:12Z')),
    },
    fingerprint: { crc32: 0xdeadbeef, mime: 'image/jpeg' },
    exif: exif('2019-08-03T17:45:12', '+02:00'),
    problems: [],
    ...over,
  };
}

const SIDECAR_TIME = new Date('2019-08-03T15:45:00Z');

describe('reconcileDates: taken_at precedence', () => {
  it.each([
    // [case, exif local, exif offset, sidecar time, exif_taken_at, taken_at, source]
    ['EXIF with offset wins over the sidecar', '2019-08-03T17:45:12', '+02:00', SIDECAR_TIME, '2019-08-03T17:45:12+02:00', '2019-08-03T15:45:12.000Z', 'exif'],
    ['negative offset', '2019-07-14T11:20:00', '-03:00', null, '2019-07-14T11:20:00-03:00', '2019-07-14T14:20:00.000Z', 'exif'],
    ['offset without colon is normalised', '2019-08-03T17:45:12', '+0200', null, '2019-08-03T17:45:12+02:00', '2019-08-03T15:45:12.000Z', 'exif'],
    ['Z offset (QuickTime UTC)', '2019-09-22T01:02:03', 'Z', null, '2019-09-22T01:02:03+00:00', '2019-09-22T01:02:03.000Z', 'exif'],
    ['sub-second digits are kept in the text', '2021-06-12T19:30:55.123', '+02:00', null, '2021-06-12T19:30:55.123+02:00', '2021-06-12T17:30:55.123Z', 'exif'],
    ['no offset: the sidecar instant wins', '2019-08-03T17:45:12', null, SIDECAR_TIME, '2019-08-03T17:45:12', '2019-08-03T15:45:00.000Z', 'sidecar'],
    ['no EXIF date: sidecar', null, null, SIDECAR_TIME, null, '2019-08-03T15:45:00.000Z', 'sidecar'],
    ['no offset, no sidecar: wall clock read as UTC', '1987-07-04T12:00:00', null, null, '1987-07-04T12:00:00', '1987-07-04T12:00:00.000Z', 'exif-local'],
    ['nothing known', null, null, null, null, null, null],
    ['a placeholder date is no date', '0000-00-00T00:00:00', '+02:00', SIDECAR_TIME, null, '2019-08-03T15:45:00.000Z', 'sidecar'],
    ['Feb 30 is no date', '2019-02-30T10:00:00', null, null, null, null, null],
    ['an unreadable offset counts as none', '2019-08-03T17:45:12', 'local', null, '2019-08-03T17:45:12', '2019-08-03T17:45:12.000Z', 'exif-local'],
  ] as const)('%s', (_name, local, offset, sidecarTime, exifText, takenAt, source) => {
    const media = item({
      exif: local === null && offset === null ? null : exif(local, offset),
      sidecar: sidecarTime === null ? null : item().sidecar,
    });
    if (media.sidecar) media.sidecar.fields.takenAt = sidecarTime;
    const d = reconcileDates(media);
    expect(d.exifTakenAt).toBe(exifText);
    expect(d.takenAt?.toISOString() ?? null).toBe(takenAt);
    expect(d.takenAtSource).toBe(source);
  });
});

describe('mediaKind', () => {
  it.each([
    ['image/jpeg', null, 'jpg', 'photo'],
    ['video/mp4', 'image/jpeg', 'mp4', 'video'],
    ['application/zip', null, 'jpg', 'other'],
    [null, 'image/x-canon-cr3', 'cr3', 'photo'],
    [null, null, 'heic', 'photo'],
    [null, null, 'mov', 'video'],
    [null, null, 'html', 'other'],
    [null, null, '', 'other'],
  ] as const)('content %s, exiftool %s, .%s -> %s', (content, exifMime, ext, kind) => {
    expect(mediaKind(content, exifMime, ext)).toBe(kind);
  });
});

describe('splitPath', () => {
  it.each([
    ['Takeout/Google Photos/Photos from 2019/IMG_1234.JPG', 'Takeout/Google Photos/Photos from 2019', 'IMG_1234.JPG', 'jpg'],
    ['archive_browser.html', '', 'archive_browser.html', 'html'],
    ['Google Photos/Trip/.nomedia', 'Google Photos/Trip', '.nomedia', ''],
    ['Google Photos/Trip/README', 'Google Photos/Trip', 'README', ''],
    ['a/Café à Montmartre.tar.GZ', 'a', 'Café à Montmartre.tar.GZ', 'gz'],
  ])('%s', (path, dir, name, ext) => {
    expect(splitPath(path)).toEqual({ dir, name, ext });
  });
});

describe('toMediaRow', () => {
  const scannedAt = new Date('2024-05-01T10:00:00Z');

  it('gives exactly the media columns, in order', () => {
    expect(Object.keys(toMediaRow(item(), scannedAt))).toEqual(MEDIA.columns.map((c) => c.name));
  });

  it('fills every column of a matched, fingerprinted, EXIF-read photo', () => {
    const row = toMediaRow(item(), scannedAt);
    expect(row).toMatchObject({
      root: '/exports/takeout-001',
      path: 'Takeout/Google Photos/Photos from 2019/IMG_20190803_174512.jpg',
      dir: 'Takeout/Google Photos/Photos from 2019',
      name: 'IMG_20190803_174512.jpg',
      ext: 'jpg',
      size: 3_481_220,
      mtime: new Date('2019-08-04T07:12:40Z'),
      crc32: 0xdeadbeef,
      mime: 'image/jpeg',
      kind: 'photo',
      folder: 'year',
      sidecar: 'Takeout/Google Photos/Photos from 2019/IMG_20190803_174512.jpg.supplemental-metadata.json',
      sidecar_root: null,
      match_rule: 'exact',
      title: 'IMG_20190803_174512.jpg',
      exif_taken_at: '2019-08-03T17:45:12+02:00',
      exif_date_tag: 'DateTimeOriginal',
      taken_at: new Date('2019-08-03T15:45:12Z'),
      taken_at_source: 'exif',
      lat: 43.7679,
      geo_exif_lat: 43.7679,
      exif_lat: 43.7695,
      make: 'Google',
      width: 4032,
      favorited: true,
      people: ['Giulia Rossi'],
      origin: 'mobileUpload',
      device_type: 'ANDROID_PHONE',
      views: 12,
      scanned_at: scannedAt,
    });
  });

  it('names the sidecar root when the sidecar is in another export part', () => {
    const other = item({ rootIndex: 1, root: '/exports/takeout-002' });
    other.sidecar!.rootIndex = 0;
    expect(toMediaRow(other, scannedAt, ['/exports/takeout-001', '/exports/takeout-002']).sidecar_root).toBe('/exports/takeout-001');
  });

  it('treats a 0,0 sidecar position as no position, and leaves sidecar fields NULL without a sidecar', () => {
    const zero = item();
    zero.sidecar!.fields = sidecarFields(null, { lat: 0, lon: 0, alt: 0, exifLat: 0, exifLon: 0 });
    expect(toMediaRow(zero, scannedAt)).toMatchObject({ lat: null, lon: null, alt: null, geo_exif_lat: null, geo_exif_lon: null });
    const none = toMediaRow(item({ sidecar: null }), scannedAt);
    expect(none).toMatchObject({ sidecar: null, favorited: null, people: null, title: null, lat: null });
  });

  it('falls back to ExifTool MIME, then the extension, for kind; mime stays the sniffed one', () => {
    const row = toMediaRow(item({ path: 'x/clip.MOV', fingerprint: { crc32: 1, mime: null }, exif: null }), scannedAt);
    expect(row).toMatchObject({ mime: null, kind: 'video', ext: 'mov' });
  });
});

describe('errorRows', () => {
  it('gives one row per stage, joining messages', () => {
    const at = new Date('2024-05-01T10:00:00Z');
    const rows = errorRows(
      item({
        problems: [
          { stage: 'exif', message: 'Warning: Bad IFD1 directory' },
          { stage: 'sidecar', message: 'invalid JSON at line 3' },
          { stage: 'exif', message: 'Truncated file' },
        ],
      }),
      at,
    );
    expect(rows).toEqual([
      { root: '/exports/takeout-001', path: 'Takeout/Google Photos/Photos from 2019/IMG_20190803_174512.jpg', stage: 'exif', message: 'Warning: Bad IFD1 directory; Truncated file', at },
      { root: '/exports/takeout-001', path: 'Takeout/Google Photos/Photos from 2019/IMG_20190803_174512.jpg', stage: 'sidecar', message: 'invalid JSON at line 3', at },
    ]);
  });
});
