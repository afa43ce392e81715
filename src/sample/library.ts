/**
 * A big Takeout-shaped library for benchmarks and scale tests: `files` real JPEGs with EXIF, each
 * with its sidecar in one of Takeout's naming forms, spread over year folders and albums of
 * ~200–500 files, split across `parts` extracted archives (`Takeout`, `Takeout 2`, …) the way
 * real exports are: the same relative folders in several parts, and about a third of the sidecars
 * in another part than their media (RULES.md R9).
 *
 * Speed: a few dozen base JPEGs are encoded and given EXIF by ExifTool once; every file is then a
 * copy of one base with its date, offset, GPS and a unique ID rewritten in place (exif-patch.ts),
 * so 10,000 files cost no more ExifTool calls than 10. `tiny` uses 8–16 px bases for 100,000-file
 * runs.
 *
 * The expected pairing of every media file with its sidecar (paths below `dir`, part folder
 * included) is written to `<dir>.manifest.json`, one pair per line, as the library is written.
 */
import { ExifTool } from 'exiftool-vendored';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { ShoeboxError } from '../errors.js';
import { discard, manifestPath, publish, stage, stagedManifestPath } from './destination.js';
import { findExifSlots, patchExif, type ExifSlots } from './exif-patch.js';
import { mediaName, namingOf, sidecarName, splitExt, type SidecarForm, type SidecarNaming, type TakeoutLocale } from './naming.js';
import { encodeJpeg, int, paint, pick, rng, type Rng } from './pixels.js';
import { albumJson, sidecarJson, type Geo } from './sidecar.js';

export const LIBRARY_GENERATOR = 'shoebox-library';
export const LIBRARY_VERSION = 1;
const EXPORTED_AT = new Date('2025-03-01T12:00:00Z');
const FILES_PER_FOLDER = 350;
const MAX_YEAR_FOLDERS = 40;
const LAST_YEAR = 2025;
const WRITES_IN_FLIGHT = 32;

export interface LibraryOptions {
  dir: string;
  /** Media files to write (edited copies included). */
  files: number;
  /** Extracted archives: `Takeout`, `Takeout 2`, …; default 1. */
  parts?: number;
  seed?: number;
  /** 8–16 px pictures, for 100,000-file runs. */
  tiny?: boolean;
}

export interface LibraryResult {
  media: number;
  sidecars: number;
  /** All bytes written below dir. */
  bytes: number;
  /** `<dir>.manifest.json`: the options, then `pairs` (media → sidecar) and the counts. */
  manifest: string;
}

/** One line of the manifest's `pairs`. Paths are below dir and start with the part folder. */
export interface LibraryPair {
  media: string;
  sidecar: string | null;
  naming: SidecarNaming | null;
}

interface Family {
  style: 'pxl' | 'iphone' | 'samsung' | 'dsc' | 'canon' | 'xiaomi' | 'screenshot' | 'named';
  make?: string;
  model?: string;
  lens?: string;
  gps: boolean;
  sizes: [number, number][];
}

const LANDSCAPE: [number, number][] = [[640, 480], [400, 300], [256, 192]];
const PORTRAIT: [number, number][] = [[360, 480], [240, 320], [144, 192]];
const SCREEN: [number, number][] = [[270, 480], [180, 320], [144, 256]];
const FAMILIES: Family[] = [
  { style: 'pxl', make: 'Google', model: 'Pixel 7', gps: true, sizes: LANDSCAPE },
  { style: 'iphone', make: 'Apple', model: 'iPhone 13', lens: 'iPhone 13 back dual wide camera 5.1mm f/1.6', gps: true, sizes: PORTRAIT },
  { style: 'samsung', make: 'samsung', model: 'SM-G991B', gps: true, sizes: LANDSCAPE },
  { style: 'dsc', make: 'NIKON CORPORATION', model: 'NIKON D5300', lens: '18.0-55.0 mm f/3.5-5.6', gps: false, sizes: LANDSCAPE },
  { style: 'canon', make: 'Canon', model: 'Canon EOS 80D', lens: 'EF-S18-135mm f/3.5-5.6 IS USM', gps: false, sizes: PORTRAIT },
  { style: 'xiaomi', make: 'Xiaomi', model: 'M2101K6G', gps: true, sizes: LANDSCAPE },
  { style: 'screenshot', gps: false, sizes: SCREEN },
  { style: 'named', make: 'SONY', model: 'ILCE-6400', lens: 'E PZ 16-50mm F3.5-5.6 OSS', gps: true, sizes: LANDSCAPE },
];
/** Cumulative weights of the families, in FAMILIES order. */
const FAMILY_WEIGHTS = [0.27, 0.45, 0.57, 0.67, 0.75, 0.85, 0.95, 1];

/** Where pictures are taken, with the UTC offset their cameras record (no DST, for simplicity). */
const PLACES: { name: string; lat: number; lon: number; offset: string }[] = [
  { name: 'Lisbon', lat: 38.72, lon: -9.14, offset: '+01:00' }, { name: 'Porto', lat: 41.15, lon: -8.61, offset: '+01:00' },
  { name: 'Kyoto', lat: 35.01, lon: 135.77, offset: '+09:00' }, { name: 'Cape Town', lat: -33.92, lon: 18.42, offset: '+02:00' },
  { name: 'Quito', lat: -0.18, lon: -78.47, offset: '-05:00' }, { name: 'Reykjavík', lat: 64.15, lon: -21.94, offset: '+00:00' },
  { name: 'Sydney', lat: -33.87, lon: 151.21, offset: '+10:00' }, { name: 'Vancouver', lat: 49.28, lon: -123.12, offset: '-08:00' },
  { name: 'Zürich', lat: 47.37, lon: 8.54, offset: '+01:00' }, { name: 'Marrakech', lat: 31.63, lon: -7.99, offset: '+01:00' },
  { name: 'Kathmandu', lat: 27.72, lon: 85.32, offset: '+05:45' }, { name: 'Ushuaia', lat: -54.8, lon: -68.3, offset: '-03:00' },
  { name: 'Mumbai', lat: 19.08, lon: 72.88, offset: '+05:30' }, { name: 'Auckland', lat: -36.85, lon: 174.76, offset: '+13:00' },
  { name: 'New York', lat: 40.71, lon: -74.01, offset: '-04:00' }, { name: 'Dead Sea', lat: 31.5, lon: 35.5, offset: '+03:00' },
];
const THEMES = ['Trip to', 'Weekend in', 'Summer in', 'Winter in', 'Wedding in', 'Hiking near'];
const APPS = ['whatsapp', 'instagram.android', 'snapchat.android', 'google.android.apps.maps', 'twitter.android'];
const NAMED = ['Été à la plage', 'Ölüdeniz', '東京タワー', 'Zürich Hauptbahnhof', 'Fête des Lumières', 'Smørrebrød'];
const LOCALES: TakeoutLocale[] = ['en', 'en-GB', 'fr', 'de', 'pl'];

interface Base {
  family: Family;
  bytes: Buffer;
  slots: ExifSlots;
}

export async function generateLibrary(opts: LibraryOptions): Promise<LibraryResult> {
  const parts = opts.parts ?? 1;
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(opts.files) || opts.files < 1) throw usage('files must be a positive integer');
  if (!Number.isInteger(parts) || parts < 1 || parts > 99) throw usage('parts must be an integer from 1 to 99');
  if (!Number.isInteger(seed)) throw usage('seed must be an integer');

  const staging = await stage(opts.dir, LIBRARY_GENERATOR);
  let manifest: WriteStream | null = null;
  try {
    const bases = await makeBases(staging, seed, opts.tiny ?? false);
    const writer = new Writer(staging);
    const out = (manifest = createWriteStream(stagedManifestPath(staging)));
    out.on('error', () => {}); // reported by finished() below
    const head = { generator: LIBRARY_GENERATOR, version: LIBRARY_VERSION, files: opts.files, parts, seed, tiny: opts.tiny ?? false };
    out.write(JSON.stringify(head).slice(0, -1) + ',\n"pairs": [\n');
    let firstPair = true;
    const addPair = async (p: LibraryPair) => {
      if (!out.write((firstPair ? '' : ',\n') + JSON.stringify(p))) await once(out, 'drain');
      firstPair = false;
    };
    const counts = await plan(opts.files, parts, seed, bases, writer, addPair);
    await writer.done();
    out.end(`\n],\n"media": ${counts.media}, "sidecars": ${counts.sidecars}, "albums": ${counts.albums}, "bytes": ${writer.bytes}}\n`);
    await finished(out);
    await writer.fixDirTimes();
    await publish(staging, opts.dir);
    await utimes(opts.dir, EXPORTED_AT, EXPORTED_AT);
    return { media: counts.media, sidecars: counts.sidecars, bytes: writer.bytes, manifest: manifestPath(opts.dir) };
  } catch (err) {
    manifest?.destroy();
    await discard(staging);
    throw err;
  }
}

function usage(message: string): ShoeboxError {
  return new ShoeboxError('SHOEBOX_USAGE', `generateLibrary: ${message}`);
}

/** One base JPEG per family and size, EXIF written by ExifTool with fixed-width placeholders. */
async function makeBases(staging: string, seed: number, tiny: boolean): Promise<Base[]> {
  const tmp = `${staging}.bases`;
  await mkdir(tmp, { recursive: true });
  // useMWG off: MWG would also write XMP copies of the placeholder dates, which patching misses
  const et = new ExifTool({ maxProcs: 2, useMWG: false });
  try {
    const jobs = FAMILIES.flatMap((family, f) =>
      (tiny ? [[8 + 4 * (f % 3), 8 + 4 * ((f + 1) % 3)] as [number, number]] : family.sizes).map(async ([w, h], s) => {
        const file = path.join(tmp, `base-${f}-${s}.jpg`);
        await writeFile(file, encodeJpeg(paint(seed * 7919 + f * 31 + s, w, h), w, h, tiny ? 50 : 82));
        const tags: Record<string, string | number> = {
          DateTimeOriginal: '2000:01:01 00:00:00', CreateDate: '2000:01:01 00:00:00',
          OffsetTimeOriginal: '+00:00', OffsetTimeDigitized: '+00:00', ImageUniqueID: '0'.repeat(32),
        };
        if (family.make) Object.assign(tags, { Make: family.make, Model: family.model });
        if (family.lens) tags.LensModel = family.lens;
        if (family.gps) {
          Object.assign(tags, {
            GPSLatitude: 1.5, GPSLongitude: 1.5, GPSAltitude: 1, // Refs follow from the signs
          });
        }
        await et.write(file, tags, { writeArgs: ['-overwrite_original'] });
        const bytes = await readFile(file);
        return { family, bytes, slots: findExifSlots(bytes) };
      }),
    );
    return await Promise.all(jobs);
  } finally {
    await et.end();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Writes files with a bounded number in flight, fixed mtimes, and remembers the folders it made. */
class Writer {
  bytes = 0;
  readonly #root: string;
  readonly #dirs = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #failure: unknown = null;

  constructor(root: string) {
    this.#root = root;
  }

  async write(rel: string, data: Buffer | string): Promise<void> {
    if (this.#failure) throw this.#failure;
    while (this.#inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(this.#inFlight);
    const dir = path.posix.dirname(rel);
    if (!this.#dirs.has(dir)) {
      await mkdir(this.#abs(dir), { recursive: true });
      for (let d = dir; d !== '.'; d = path.posix.dirname(d)) this.#dirs.add(d);
    }
    const job = (async () => {
      const fh = await open(this.#abs(rel), 'wx');
      try {
        await fh.writeFile(data);
        await fh.utimes(EXPORTED_AT, EXPORTED_AT);
      } finally {
        await fh.close();
      }
    })().catch((err: unknown) => {
      this.#failure ??= err;
    });
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const tracked = job.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  async done(): Promise<void> {
    await Promise.all(this.#inFlight);
    if (this.#failure) throw this.#failure;
  }

  async fixDirTimes(): Promise<void> {
    for (const d of [...this.#dirs].sort((a, b) => b.length - a.length)) await utimes(this.#abs(d), EXPORTED_AT, EXPORTED_AT);
  }

  #abs(rel: string): string {
    return path.join(this.#root, ...rel.split('/'));
  }
}

interface Folder {
  name: string;
  album: { title: string; year: number; month: number; place: (typeof PLACES)[number] } | null;
  year: number;
  size: number;
}

function folders(files: number, r: Rng): Folder[] {
  const count = Math.max(1, Math.round(files / FILES_PER_FOLDER));
  let albums = Math.floor(count / 6);
  let years = count - albums;
  if (years > MAX_YEAR_FOLDERS) {
    albums += years - MAX_YEAR_FOLDERS;
    years = MAX_YEAR_FOLDERS;
  }
  const out: Folder[] = [];
  for (let i = 0; i < years; i++) {
    const year = LAST_YEAR - years + 1 + i;
    out.push({ name: `Photos from ${year}`, album: null, year, size: 0 });
  }
  for (let i = 0; i < albums; i++) {
    const place = PLACES[i % PLACES.length]!;
    const theme = THEMES[Math.floor(i / PLACES.length) % THEMES.length]!;
    const round = Math.floor(i / (PLACES.length * THEMES.length));
    const year = LAST_YEAR - years + 1 + int(r, 0, years - 1);
    const title = `${theme} ${place.name}${round ? ` ${round + 1}` : ''}`;
    out.push({ name: title, album: { title, year, month: int(r, 1, 12), place }, year, size: 0 });
  }
  // Even shares, then pairwise jitter of up to ±30 % so folder sizes vary but still sum up.
  const share = Math.floor(files / out.length);
  out.forEach((f, i) => (f.size = share + (i < files % out.length ? 1 : 0)));
  for (let i = 0; i + 1 < out.length; i += 2) {
    const d = Math.floor(r() * share * 0.3);
    out[i]!.size += d;
    out[i + 1]!.size -= d;
  }
  return out;
}

interface Counts {
  media: number;
  sidecars: number;
  albums: number;
}

/** Decides every name, part, date and place (sequentially, so the seed fixes them) and writes. */
async function plan(
  files: number,
  parts: number,
  seed: number,
  bases: Base[],
  writer: Writer,
  addPair: (p: LibraryPair) => Promise<void>,
): Promise<Counts> {
  const r = rng(seed);
  const locale = pick(r, LOCALES);
  const counts: Counts = { media: 0, sidecars: 0, albums: 0 };
  const partDir = (p: number) => (p === 0 ? 'Takeout' : `Takeout ${p + 1}`);
  const partOf = (i: number) => Math.min(parts - 1, Math.floor((i * parts) / files));
  const otherPart = (p: number) => (parts > 1 && r() < 0.3 ? (p + int(r, 1, parts - 1)) % parts : p);

  for (const folder of folders(files, r)) {
    const inFolder = { media: new Set<string>(), sidecars: new Set<string>(), counters: new Map<string, number>() };
    const rel = (p: number, name: string) => `${partDir(p)}/Google Photos/${folder.name}/${name}`;
    const firstPart = partOf(counts.media);
    for (let k = 0; k < folder.size; ) {
      const family = pickFamily(r);
      const local = randomTime(r, folder);
      const title = makeTitle(r, family, local);
      const name0 = mediaName(title).toLowerCase();
      const counter = inFolder.media.has(name0) ? (inFolder.counters.get(name0) ?? 0) + 1 : 0;
      const name = mediaName(title, counter);
      const form: SidecarForm = r() < 0.5 ? 'legacy' : 'supplemental';
      const json = sidecarName(title, form, counter);
      if (inFolder.media.has(name.toLowerCase()) || inFolder.sidecars.has(json.toLowerCase())) continue; // try another title
      inFolder.media.add(name.toLowerCase());
      inFolder.sidecars.add(json.toLowerCase());
      if (counter) inFolder.counters.set(name0, counter);

      const base = pick(r, bases.filter((b) => b.family === family));
      const place = folder.album?.place ?? pick(r, PLACES);
      const offset = place.offset;
      const gps: Geo | undefined = family.gps
        ? { lat: round4(place.lat + (r() - 0.5) * 0.2), lon: round4(place.lon + (r() - 0.5) * 0.2), alt: place.name === 'Dead Sea' ? -int(r, 380, 430) : int(r, 0, 900) }
        : undefined;
      const instant = new Date(Date.parse(local + offset));
      const mediaPart = partOf(counts.media);
      const mediaRel = rel(mediaPart, name);
      await writer.write(mediaRel, patchExif(base.bytes, base.slots, {
        dateTime: local.replace(/-/g, ':').replace('T', ' '),
        offset,
        uniqueId: hex(seed, 8) + hex(counts.media, 8) + hex(Math.floor(r() * 2 ** 32), 8) + hex(0x5b0c5, 8),
        gps,
      }));
      counts.media++;
      k++;

      const hasSidecar = r() >= 0.01;
      const sidecarRel = hasSidecar ? rel(otherPart(mediaPart), json) : null;
      if (sidecarRel) {
        const shifted = r() < 0.02; // a date corrected in Google Photos
        await writer.write(sidecarRel, sidecarJson({
          title,
          createdAt: new Date(instant.getTime() + int(r, 1, 3000) * 60_000),
          takenAt: shifted ? new Date(instant.getTime() + int(r, 2, 30) * 86_400_000) : instant,
          geo: gps && r() >= 0.03 ? gps : null,
          people: r() < 0.05 ? [pick(r, ['Alice', 'Bob', 'Carol', 'Dário', 'Eun-ji'])] : undefined,
          id: hex(seed, 8) + hex(counts.media, 8),
          origin: { mobileUpload: { deviceType: family.style === 'iphone' ? 'IOS_PHONE' : 'ANDROID_PHONE' } },
          favorited: r() < 0.05,
          archived: r() < 0.01,
          locale,
        }));
        counts.sidecars++;
      }
      await addPair({ media: mediaRel, sidecar: sidecarRel, naming: sidecarRel ? namingOf(title, form, counter) : null });

      // R5: an edited copy without a JSON of its own, now and then
      if (k < folder.size && !counter && sidecarRel && r() < 0.03) {
        const { stem, ext } = splitExt(title);
        const edited = mediaName(`${stem}-edited.${ext}`);
        if (edited.length <= 51 && !inFolder.media.has(edited.toLowerCase())) {
          inFolder.media.add(edited.toLowerCase());
          const editedRel = rel(partOf(counts.media), edited);
          await writer.write(editedRel, patchExif(base.bytes, base.slots, {
            dateTime: local.replace(/-/g, ':').replace('T', ' '),
            offset,
            uniqueId: hex(seed, 8) + hex(counts.media, 8) + hex(0xed17ed, 8) + hex(0x5b0c5, 8),
            gps,
          }));
          await addPair({ media: editedRel, sidecar: sidecarRel, naming: 'edited' });
          counts.media++;
          k++;
        }
      }
    }
    if (folder.album) {
      await writer.write(rel(firstPart, 'metadata.json'), albumJson({
        title: folder.album.title,
        date: new Date(Date.UTC(folder.album.year, folder.album.month - 1, 1, 12)),
        locale,
      }));
      counts.albums++;
    }
  }
  return counts;
}

function pickFamily(r: Rng): Family {
  const x = r();
  return FAMILIES[FAMILY_WEIGHTS.findIndex((w) => x < w)]!;
}

/** A local wall time 'YYYY-MM-DDTHH:MM:SS' in the folder's year (albums: within a fortnight). */
function randomTime(r: Rng, f: Folder): string {
  const start = f.album ? Date.UTC(f.year, f.album.month - 1, 1) : Date.UTC(f.year, 0, 1);
  const span = f.album ? 14 * 86_400_000 : (Date.UTC(f.year + 1, 0, 1) - start);
  return new Date(start + Math.floor(r() * span / 1000) * 1000).toISOString().slice(0, 19);
}

/** A camera-style original name for `local`, sometimes long enough to be clipped (R3). */
function makeTitle(r: Rng, family: Family, local: string): string {
  const [date, time] = local.split('T') as [string, string];
  const ymd = date.replace(/-/g, '');
  const hms = time.replace(/:/g, '');
  const ms = String(int(r, 0, 999)).padStart(3, '0');
  const n4 = String(int(r, 1, 2500)).padStart(4, '0'); // camera counters wrap: some names repeat (R4)
  switch (family.style) {
    case 'pxl': {
      const x = r();
      if (x < 0.08) return `PXL_${ymd}_${hms}${ms}.LONG_EXPOSURE-0${int(r, 1, 3)}.ORIGINAL.jpg`;
      if (x < 0.12) return `PXL_${ymd}_${hms}${ms}.LONG_EXPOSURE-0${int(r, 1, 3)}.COVER.jpg`;
      if (x < 0.25) return `PXL_${ymd}_${hms}${ms}.MP.jpg`;
      return `PXL_${ymd}_${hms}${ms}.jpg`;
    }
    case 'iphone':
      return `IMG_${n4}.JPG`;
    case 'samsung':
      return `${ymd}_${hms}.jpg`;
    case 'dsc':
      return `DSC_${n4}.JPG`;
    case 'canon':
      return `IMG_${n4}.JPG`;
    case 'xiaomi':
      return `IMG_${ymd}_${hms}.jpg`;
    case 'screenshot':
      return r() < 0.5
        ? `Screenshot_${date}-${time.replace(/:/g, '-')}-${ms}_com.${pick(r, APPS)}.jpg`
        : `Screenshot_${ymd}-${hms}.jpg`;
    case 'named':
      return `${pick(r, NAMED)} ${int(r, 1, 999)}.jpg`;
  }
}

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0').slice(-width);
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
