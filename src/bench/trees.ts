/**
 * The libraries `npm run bench` scans, made once in `.bench/` (gitignored) and reused: generated
 * Takeout libraries (generateLibrary), tiny-file libraries for the metadata-bound case, and a
 * Takeout-shaped tree built from the real files of ../shared/corpus (hard links, else copies;
 * never inside the repository's tracked files). A marker `<name>.bench.json` beside each tree
 * says it is complete and with which options it was made; a tree without one is made again.
 */
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateLibrary } from '../sample/library.js';
import { mediaName, sidecarName, type SidecarForm } from '../sample/naming.js';
import { sidecarJson } from '../sample/sidecar.js';
import { mapLimit } from '../stages/walk.js';

export interface TreeSpec {
  /** Folder name below the bench directory, and the row's name in the table. */
  name: string;
  /** `files` repeats the corpus (copy k in its own album folder) up to that many media files. */
  source: { library: { files: number; parts: number; tiny?: boolean } } | { corpus: string; files?: number };
  /** 'takeout' runs the full pipeline; 'sidecar-only' the metadata-bound one (walk, sidecars, DuckDB). */
  pipeline: 'takeout' | 'sidecar-only';
  /** Whether the exiftool CLI runs over this tree too (not for the metadata-bound case). */
  exiftool: boolean;
  /** What the tree stands for in the targets: the small and large library, the metadata-bound case. */
  role?: 'small' | 'large' | 'metadata';
  /** Only with --trees NAME (a long run). */
  optIn?: boolean;
}

export interface Tree {
  spec: TreeSpec;
  dir: string;
  /** Media files (every file that is not .json) and their bytes. */
  media: number;
  mediaBytes: number;
  /** JSON files: sidecars and album metadata. */
  json: number;
}

/** Bump when the way trees are made changes, so old ones are made again. */
const TREE_FORMAT = 1;

interface Marker {
  format: number;
  source: TreeSpec['source'];
  media: number;
  mediaBytes: number;
  json: number;
}

/** The tree for `spec` in `benchDir`: reused when its marker matches, else made now. */
export async function ensureTree(benchDir: string, spec: TreeSpec, log: (line: string) => void): Promise<Tree> {
  const dir = path.join(benchDir, spec.name);
  const markerFile = `${dir}.bench.json`;
  const marker = await readMarker(markerFile);
  if (marker && marker.format === TREE_FORMAT && JSON.stringify(marker.source) === JSON.stringify(spec.source) && (await isDir(dir))) {
    return { spec, dir, media: marker.media, mediaBytes: marker.mediaBytes, json: marker.json };
  }
  await rm(markerFile, { force: true });
  const t0 = performance.now();
  if ('library' in spec.source) {
    const { files, parts, tiny } = spec.source.library;
    log(`making ${spec.name}: ${files} ${tiny ? 'tiny ' : ''}media files in ${parts} part(s) ...`);
    await generateLibrary({ dir, files, parts, seed: 1, tiny: tiny ?? false });
  } else {
    log(`making ${spec.name} from ${spec.source.corpus} ...`);
    await buildCorpusTree(spec.source.corpus, dir, spec.source.files);
  }
  const counts = await countTree(dir);
  log(`  ${counts.media} media files, ${(counts.mediaBytes / 1e6).toFixed(1)} MB, ${counts.json} JSON in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const made: Marker = { format: TREE_FORMAT, source: spec.source, ...counts };
  await writeFile(markerFile, JSON.stringify(made, null, 2) + '\n');
  return { spec, dir, ...counts };
}

async function readMarker(file: string): Promise<Marker | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Marker;
  } catch {
    return null;
  }
}

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() ?? false;
}

/** Every file below `dir`, as absolute paths. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function countTree(dir: string): Promise<{ media: number; mediaBytes: number; json: number }> {
  const out = { media: 0, mediaBytes: 0, json: 0 };
  await mapLimit(await listFiles(dir), 64, async (f) => {
    if (/\.json$/i.test(f)) {
      out.json++;
      return;
    }
    const { size } = await stat(f);
    out.media++;
    out.mediaBytes += size;
  });
  return out;
}

/**
 * Reads every file of the tree once so that every measured run finds it in the page cache (the
 * bench compares engines, not disks). Returns the bytes read.
 */
export async function warmTree(dir: string): Promise<number> {
  let bytes = 0;
  await mapLimit(await listFiles(dir), 16, async (f) => {
    const { length } = await readFile(f);
    bytes += length;
  });
  return bytes;
}

/** One row of ../shared/corpus/MANIFEST.tsv, the fields the tree needs. */
interface CorpusFile {
  file: string;
  dateTimeOriginal: string;
  gps: string;
}

/**
 * A Takeout-shaped tree of the corpus files: `Takeout/Google Photos/Photos from YYYY/` by the
 * file's EXIF year, sidecars in both naming forms, a third of them in `Takeout 2`, and one file
 * in ten without a sidecar. Media files are hard links to the corpus (copies across devices).
 * With `total`, the corpus repeats until there are that many media files, copy k (k ≥ 1) in an
 * album folder `Album k` of the same parts: the same mix of real formats at library scale.
 */
async function buildCorpusTree(corpus: string, dir: string, total?: number): Promise<void> {
  const rows = (await readFile(path.join(corpus, 'MANIFEST.tsv'), 'utf8')).split('\n').filter(Boolean);
  const head = rows.shift()!.split('\t');
  const col = (name: string) => head.indexOf(name);
  const files: CorpusFile[] = rows.map((line) => {
    const f = line.split('\t');
    return { file: f[col('file')]!, dateTimeOriginal: f[col('DateTimeOriginal')] ?? '', gps: f[col('GPSLatitude,GPSLongitude')] ?? '' };
  });
  const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  const count = total ?? files.length;
  await mapLimit(Array.from({ length: count }, (_, n) => n), 16, async (n) => {
    const i = n % files.length;
    const copy = Math.floor(n / files.length);
    const f = files[i]!;
    const taken = parseDate(f.dateTimeOriginal);
    const folder = copy === 0 ? `Photos from ${taken ? taken.getUTCFullYear() : 2020}` : `Album ${copy}`;
    const part = (p: number) => path.join(staging, p === 0 ? 'Takeout' : 'Takeout 2', 'Google Photos', folder);
    const mediaPart = i % 5 === 4 ? 1 : 0;
    await mkdir(part(mediaPart), { recursive: true });
    const name = mediaName(f.file);
    await linkOrCopy(path.join(corpus, f.file), path.join(part(mediaPart), name));
    if (i % 10 === 9) return; // no sidecar, as for some real uploads
    const sidecarPart = i % 3 === 0 ? 1 - mediaPart : mediaPart;
    await mkdir(part(sidecarPart), { recursive: true });
    const form: SidecarForm = i % 2 === 0 ? 'legacy' : 'supplemental';
    const [lat, lon] = f.gps.split(',').map(Number);
    const at = taken ?? new Date(Date.UTC(2020, 0, 1, 12));
    await writeFile(
      path.join(part(sidecarPart), sidecarName(f.file, form)),
      sidecarJson({
        title: f.file,
        createdAt: new Date(at.getTime() + 3_600_000),
        takenAt: taken,
        geo: lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon) && f.gps ? { lat, lon, alt: 0 } : null,
        id: `corpus${String(n).padStart(5, '0')}`,
        locale: 'en',
      }),
    );
  });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}

/** '2019:08:03 17:45:12+02:00' (offset optional, taken as UTC when absent) → Date. */
function parseDate(v: string): Date | null {
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?/.exec(v);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}
