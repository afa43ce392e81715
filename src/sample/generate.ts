/**
 * The small sample library that `npm start` scans: a Takeout-shaped tree of real JPEGs (EXIF
 * written by ExifTool), a PNG, two H.264 MP4s, JSON sidecars in every naming form of RULES.md,
 * an album with copies, Trash and Archive items, broken files and non-sidecar JSON. Each file's
 * expected scan result goes into `<dir>.manifest.json` beside the library.
 *
 * Deterministic: the pictures come from seeded painters and pure-JS encoders, ExifTool writes
 * the same bytes for the same tags, and every file and folder gets the same mtime.
 */
import { ExifTool, type WriteTags } from 'exiftool-vendored';
import { copyFile, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { ALBUMS, CATALOG, type CatalogEntry } from './catalog.js';
import { discard, manifestPath, publish, stage, stagedManifestPath } from './destination.js';
import { buildMp4 } from './mp4.js';
import { mediaName, namingOf, sidecarName, splitExt, type SidecarNaming } from './naming.js';
import { edit, encodeJpeg, encodePng, paint, rng } from './pixels.js';
import { albumJson, originKind, sidecarJson, type Geo } from './sidecar.js';

export const SAMPLE_GENERATOR = 'shoebox-sample';
/** Bump whenever the sample's bytes change, so that `npm start` regenerates old samples. */
export const SAMPLE_VERSION = 2;
/** The mtime of every file and folder, as if extracted from an export made at this time. */
export const SAMPLE_EXPORTED_AT = new Date('2024-11-20T09:13:37Z');

const PHOTOS = 'Takeout/Google Photos';

export interface SampleOptions {
  /** Destination, created. It must not exist, be empty, or be a previous sample (per its manifest). */
  dir: string;
}

export type SampleKind = 'photo' | 'video' | 'other' | 'sidecar' | 'album-json' | 'broken';

/**
 * What a correct scan should find. Media (photo, video, broken) use the first group; sidecars
 * `title`, `sidecarTakenAt` and `media`; album JSON `title` and `items`; other files `mime`.
 * Paths are below the library's dir, '/'-separated.
 */
export interface SampleExpect {
  /** From magic bytes; null when content sniffing cannot tell (text). */
  mime?: string | null;
  width?: number | null;
  height?: number | null;
  /** EXIF DateTimeOriginal with OffsetTimeOriginal (`2019-08-03T17:45:12+02:00`), no offset when the file has none; videos: QuickTime CreateDate, UTC (`+00:00`). */
  exifTakenAt?: string | null;
  exifLat?: number | null;
  exifLon?: number | null;
  exifAlt?: number | null;
  make?: string | null;
  model?: string | null;
  lens?: string | null;
  /** Seconds, videos only. */
  duration?: number | null;
  /** The sidecar a matcher should pair it with, or null. */
  sidecar?: string | null;
  /** How that sidecar's name relates to the media's (what rule a matcher needs). */
  naming?: SidecarNaming | null;
  /** The sidecar's photoTakenTime as an ISO UTC instant (`2019-08-03T15:45:12.000Z`). */
  sidecarTakenAt?: string | null;
  /** The sidecar's title (media), or the album's title (album JSON). */
  title?: string | null;
  /** As written in the sidecar ('' when empty). */
  description?: string | null;
  /** Sidecar geoData; null when it is 0,0. */
  lat?: number | null;
  lon?: number | null;
  alt?: number | null;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  people?: string[];
  /** googlePhotosOrigin's key, e.g. `mobileUpload`, `fromPartnerSharing`. */
  origin?: string | null;
  folder?: 'year' | 'album' | 'trash' | 'archive';
  album?: string | null;
  /** Album copies: the year-folder file with the same bytes. */
  copyOf?: string;
  /** `-edited` copies: the original. */
  editOf?: string;
  /** Live-photo videos: the photo whose sidecar they share. */
  livePhotoOf?: string;
  broken?: 'truncated' | 'not-an-image';
  /** Sidecars: the media that use it. */
  media?: string[];
  /** Album JSON: the media in the album's folder. */
  items?: string[];
}

export interface SampleFile {
  /** Below dir, '/'-separated. */
  path: string;
  kind: SampleKind;
  size: number;
  /** IEEE CRC-32 of the whole file. */
  crc32: number;
  expect?: SampleExpect;
}

export interface SampleManifest {
  generator: typeof SAMPLE_GENERATOR;
  version: number;
  exportedAt: string;
  files: SampleFile[];
}

/** Writes the sample library into `opts.dir` and its manifest beside it. */
export async function generateSample(opts: SampleOptions): Promise<{ files: SampleFile[]; manifest: string }> {
  const staging = await stage(opts.dir, SAMPLE_GENERATOR);
  // useMWG off: MWG would also write XMP/IPTC copies of the dates, which a Takeout file rarely has
  const et = new ExifTool({ maxProcs: 2, useMWG: false });
  try {
    const lib = new Library(staging, et);
    // Entries are independent, so one's ExifTool writes overlap another's encoding.
    await Promise.all(CATALOG.map((e, i) => lib.addEntry(e, 1000 + i)));
    await lib.addAlbums();
    await lib.addOthers();
    const files = await lib.finish();
    const manifest: SampleManifest = {
      generator: SAMPLE_GENERATOR,
      version: SAMPLE_VERSION,
      exportedAt: SAMPLE_EXPORTED_AT.toISOString(),
      files,
    };
    await writeFile(stagedManifestPath(staging), JSON.stringify(manifest, null, 2) + '\n');
    await publish(staging, opts.dir);
    await utimes(opts.dir, SAMPLE_EXPORTED_AT, SAMPLE_EXPORTED_AT);
    return { files, manifest: manifestPath(opts.dir) };
  } catch (err) {
    await discard(staging);
    throw err;
  } finally {
    await et.end();
  }
}

class Library {
  readonly #root: string;
  readonly #et: ExifTool;
  readonly #files = new Map<string, { kind: SampleKind; expect?: SampleExpect }>();
  readonly #albumItems = new Map<string, string[]>();

  constructor(root: string, et: ExifTool) {
    this.#root = root;
    this.#et = et;
  }

  async addEntry(e: CatalogEntry, seed: number): Promise<void> {
    const dir = `${PHOTOS}/${e.folder}`;
    const rel = `${dir}/${mediaName(e.title, e.counter)}`;
    const instant = e.taken ? new Date(e.taken + (e.offset ?? 'Z')) : null;

    await this.#write(rel, render(e, seed, instant), 'photo');
    await this.#writeExif(rel, e.content === 'mp4' ? videoTags(e, instant!) : photoTags(e));
    if (e.content === 'truncated-jpeg') await this.#truncate(rel);

    const side = await this.#sidecar(e, dir, instant, seed);
    const expect: SampleExpect = { ...mediaExpect(e, instant), ...side.expect, folder: folderKind(e.folder), album: albumOf(e.folder) };
    const kind: SampleKind = e.content === 'mp4' ? 'video' : e.content === 'text' || e.content === 'truncated-jpeg' ? 'broken' : 'photo';
    this.#set(rel, kind, expect);
    const users = [rel];

    let editedRel: string | null = null;
    if (e.edited) {
      const { stem, ext } = splitExt(e.title);
      editedRel = `${dir}/${mediaName(`${stem}-edited.${ext}`)}`;
      await this.#write(editedRel, encodeJpeg(edit(paint(seed, e.width, e.height)), e.width, e.height), 'photo');
      await this.#writeExif(editedRel, photoTags(e));
      this.#set(editedRel, 'photo', { ...expect, naming: 'edited', editOf: rel });
      users.push(editedRel);
    }

    if (e.liveVideo) {
      const video = `${dir}/${mediaName(`${splitExt(e.title).stem}.${e.liveVideo.ext}`)}`;
      const v = { width: 96, height: 64, fps: 2, seconds: 3 };
      await this.#write(video, buildMp4({ ...v, createdAt: instant!, seed: seed + 500 }), 'video');
      await this.#writeExif(video, videoTags({ ...e, camera: e.liveVideo.camera }, instant!));
      this.#set(video, 'video', {
        ...expect, ...videoExpect(instant!, v, e.gps, e.liveVideo.camera), naming: 'live-photo', livePhotoOf: rel,
      });
      users.push(video);
    }

    if (side.rel) this.#set(side.rel, 'sidecar', { title: e.title, sidecarTakenAt: side.expect.sidecarTakenAt ?? null, media: [...users] });
    this.#albumItems.set(e.folder, [...(this.#albumItems.get(e.folder) ?? []), ...users]);

    for (const album of e.albums ?? []) {
      const adir = `${PHOTOS}/${album}`;
      const copies = users.map((u) => `${adir}/${path.posix.basename(u)}`);
      for (const [i, u] of users.entries()) {
        await this.#copy(u, copies[i]!);
        const original = this.#files.get(u)!.expect!;
        const sidecar = side.rel ? `${adir}/${path.posix.basename(side.rel)}` : null;
        this.#set(copies[i]!, this.#files.get(u)!.kind, {
          ...original, sidecar, folder: 'album', album, copyOf: u,
          ...(original.editOf ? { editOf: `${adir}/${path.posix.basename(original.editOf)}` } : {}),
          ...(original.livePhotoOf ? { livePhotoOf: `${adir}/${path.posix.basename(original.livePhotoOf)}` } : {}),
        });
      }
      if (side.rel) {
        const copy = `${adir}/${path.posix.basename(side.rel)}`;
        await this.#copy(side.rel, copy);
        this.#set(copy, 'sidecar', { ...this.#files.get(side.rel)!.expect, media: copies });
      }
      this.#albumItems.set(album, [...(this.#albumItems.get(album) ?? []), ...copies]);
    }
  }

  async #sidecar(e: CatalogEntry, dir: string, instant: Date | null, seed: number): Promise<{ rel: string | null; expect: SampleExpect }> {
    const s = e.sidecar;
    if (!s) {
      const none = { sidecar: null, naming: null, sidecarTakenAt: null, title: null, description: null, lat: null, lon: null, alt: null };
      return { rel: null, expect: { ...none, favorited: false, archived: false, trashed: false, people: [], origin: null } };
    }
    const r = rng(seed);
    const takenAt = s.takenAt ? new Date(s.takenAt) : instant;
    if (!takenAt) throw new Error(`catalog entry ${e.title}: a sidecar needs takenAt or an EXIF time`);
    const geo: Geo | null = s.geo === 'zero' ? null : (s.geo ?? e.gps ?? null);
    const rel = `${dir}/${sidecarName(e.title, s.form, e.counter)}`;
    const json = sidecarJson({
      title: e.title,
      description: s.description,
      views: Math.floor(r() * 40),
      createdAt: new Date(takenAt.getTime() + Math.floor(2 + r() * 600) * 60_000),
      takenAt,
      geo,
      geoExif: s.geoExif ? (e.gps ?? null) : undefined,
      people: s.people,
      id: urlId(r),
      origin: s.origin,
      appPackage: s.appPackage,
      favorited: s.favorited,
      archived: s.archived,
      trashed: s.trashed,
      locale: s.locale,
    });
    await this.#write(rel, json, 'sidecar');
    return {
      rel,
      expect: {
        sidecar: rel,
        naming: namingOf(e.title, s.form, e.counter),
        sidecarTakenAt: takenAt.toISOString(),
        title: e.title,
        description: s.description ?? '',
        lat: geo?.lat ?? null,
        lon: geo?.lon ?? null,
        alt: geo?.alt ?? null,
        favorited: s.favorited ?? false,
        archived: s.archived ?? false,
        trashed: s.trashed ?? false,
        people: s.people ?? [],
        origin: originKind(s.origin),
      },
    };
  }

  async addAlbums(): Promise<void> {
    for (const a of ALBUMS) {
      const rel = `${PHOTOS}/${a.folder}/metadata.json`;
      await this.#write(rel, albumJson({ title: a.title, description: a.description, date: new Date(a.date), place: a.place, locale: 'en' }), 'album-json');
      this.#set(rel, 'album-json', { title: a.title, items: [...(this.#albumItems.get(a.folder) ?? [])].sort() });
    }
  }

  async addOthers(): Promise<void> {
    // R10: JSON that is not a sidecar, and the export's index page
    const print = `${PHOTOS}/print-subscriptions.json`;
    await this.#write(print, JSON.stringify({ printSubscriptions: [] }, null, 2), 'other');
    this.#set(print, 'other', { mime: null });
    const html = 'Takeout/archive_browser.html';
    await this.#write(html, '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Your Google data archive</title></head>\n<body><h1>Google Photos</h1></body></html>\n', 'other');
    this.#set(html, 'other', { mime: null });
  }

  /** Size and CRC of every file, fixed mtimes on files and folders, sorted by path. */
  async finish(): Promise<SampleFile[]> {
    const out: SampleFile[] = [];
    const dirs = new Set<string>();
    for (const rel of [...this.#files.keys()].sort()) {
      const abs = this.#abs(rel);
      const bytes = await readFile(abs);
      await utimes(abs, SAMPLE_EXPORTED_AT, SAMPLE_EXPORTED_AT);
      const { kind, expect } = this.#files.get(rel)!;
      out.push({ path: rel, kind, size: bytes.length, crc32: crc32(bytes), ...(expect ? { expect } : {}) });
      for (let d = path.posix.dirname(rel); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
    }
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await utimes(this.#abs(d), SAMPLE_EXPORTED_AT, SAMPLE_EXPORTED_AT);
    return out;
  }

  #abs(rel: string): string {
    return path.join(this.#root, ...rel.split('/'));
  }

  #set(rel: string, kind: SampleKind, expect?: SampleExpect): void {
    this.#files.set(rel, { kind, expect });
  }

  async #write(rel: string, bytes: Buffer | string, kind: SampleKind): Promise<void> {
    await mkdir(path.dirname(this.#abs(rel)), { recursive: true });
    await writeFile(this.#abs(rel), bytes);
    if (!this.#files.has(rel)) this.#set(rel, kind);
  }

  async #copy(from: string, to: string): Promise<void> {
    await mkdir(path.dirname(this.#abs(to)), { recursive: true });
    await copyFile(this.#abs(from), this.#abs(to));
  }

  async #writeExif(rel: string, tags: WriteTags | null): Promise<void> {
    if (tags) await this.#et.write(this.#abs(rel), tags, { writeArgs: ['-overwrite_original'] });
  }

  /** Cuts the file in the middle of its entropy-coded data, after the EXIF and the headers. */
  async #truncate(rel: string): Promise<void> {
    const bytes = await readFile(this.#abs(rel));
    const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
    await writeFile(this.#abs(rel), bytes.subarray(0, sos + Math.floor((bytes.length - sos) / 2)));
  }
}

function render(e: CatalogEntry, seed: number, instant: Date | null): Buffer | string {
  switch (e.content) {
    case 'jpeg':
    case 'truncated-jpeg':
      return encodeJpeg(paint(seed, e.width, e.height), e.width, e.height);
    case 'png':
      return encodePng(paint(seed, e.width, e.height), e.width, e.height);
    case 'mp4':
      return buildMp4({ width: e.width, height: e.height, fps: 2, seconds: 4, createdAt: instant!, seed });
    case 'text':
      return '<!DOCTYPE html>\n<html><head><title>Error 404 (Not Found)!!1</title></head>\n<body><p>The requested URL was not found on this server.</p></body></html>\n';
  }
}

function exifDate(local: string): string {
  return local.replace(/-/g, ':').replace('T', ' ');
}

function photoTags(e: CatalogEntry): WriteTags | null {
  if (e.content === 'png' || e.content === 'text') return null;
  const t: Record<string, string | number> = {};
  if (e.taken) {
    t.DateTimeOriginal = t.CreateDate = exifDate(e.taken);
    if (e.offset) t.OffsetTimeOriginal = t.OffsetTimeDigitized = e.offset;
  }
  if (e.gps) {
    // Signed values: exiftool-vendored writes the N/S, E/W and above/below-sea-level Ref tags
    // from the signs (and a GPSPosition hint that would override any Ref given here).
    Object.assign(t, { GPSLatitude: e.gps.lat, GPSLongitude: e.gps.lon, GPSAltitude: e.gps.alt });
  }
  if (e.camera) {
    t.Make = e.camera.make;
    t.Model = e.camera.model;
    if (e.camera.lens) t.LensModel = e.camera.lens;
  }
  return Object.keys(t).length ? (t as WriteTags) : null;
}

/** QuickTime dates are UTC; iPhones put camera and place in Keys, Android in UserData. */
function videoTags(e: CatalogEntry, instant: Date): WriteTags {
  const t: Record<string, string> = { 'QuickTime:CreateDate': instant.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':') + 'Z' };
  const group = e.camera ? 'Keys' : 'UserData';
  if (e.gps) t[`${group}:GPSCoordinates`] = `${e.gps.lat}, ${e.gps.lon}, ${e.gps.alt}`;
  if (e.camera) {
    t['Keys:Make'] = e.camera.make;
    t['Keys:Model'] = e.camera.model;
  }
  return t as WriteTags;
}

function mediaExpect(e: CatalogEntry, instant: Date | null): SampleExpect {
  if (e.content === 'mp4') return videoExpect(instant!, { width: e.width, height: e.height, seconds: 4 }, e.gps, e.camera);
  if (e.content === 'text') {
    return {
      mime: null, width: null, height: null, exifTakenAt: null, exifLat: null, exifLon: null, exifAlt: null,
      make: null, model: null, lens: null, broken: 'not-an-image',
    };
  }
  return {
    mime: e.content === 'png' ? 'image/png' : 'image/jpeg',
    width: e.width,
    height: e.height,
    exifTakenAt: e.taken && e.content !== 'png' ? e.taken + (e.offset ?? '') : null,
    exifLat: e.gps?.lat ?? null,
    exifLon: e.gps?.lon ?? null,
    exifAlt: e.gps?.alt ?? null,
    make: e.camera?.make ?? null,
    model: e.camera?.model ?? null,
    lens: e.camera?.lens ?? null,
    ...(e.content === 'truncated-jpeg' ? { broken: 'truncated' as const } : {}),
  };
}

function videoExpect(
  instant: Date,
  v: { width: number; height: number; seconds: number },
  gps: Geo | undefined,
  camera: CatalogEntry['camera'],
): SampleExpect {
  return {
    mime: 'video/mp4',
    width: v.width,
    height: v.height,
    exifTakenAt: instant.toISOString().slice(0, 19) + '+00:00',
    exifLat: gps?.lat ?? null,
    exifLon: gps?.lon ?? null,
    exifAlt: gps?.alt ?? null,
    make: camera?.make ?? null,
    model: camera?.model ?? null,
    lens: null,
    duration: v.seconds,
  };
}

function folderKind(folder: string): SampleExpect['folder'] {
  if (/^Photos from \d{4}$/.test(folder)) return 'year';
  if (folder === 'Trash') return 'trash';
  if (folder === 'Archive') return 'archive';
  return 'album';
}

function albumOf(folder: string): string | null {
  return folderKind(folder) === 'album' ? (ALBUMS.find((a) => a.folder === folder)?.title ?? folder) : null;
}

const URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function urlId(r: () => number): string {
  let s = '';
  for (let i = 0; i < 38; i++) s += URL_CHARS[Math.floor(r() * URL_CHARS.length)];
  return s;
}
