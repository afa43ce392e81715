import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import workerpool, { type Pool } from 'workerpool';
import { describeError } from '../errors.js';
import { toExifFields } from './exif-fields.js';
import { fingerprintFile, type FileFingerprint } from './fingerprint-file.js';
import { HEIC_EXTENSIONS } from './heic-exif.js';
import { NATIVE_EXTENSIONS } from './jpeg-exif.js';
import { ParallelTransform } from './parallel.js';
import type { MediaItem } from '../types.js';

export interface FingerprintOptions {
  /** Files hashed at once (N); also the most tasks ever queued in the pool. */
  concurrency: number;
  /** The worker pool (parallel mode), or null to hash on the main thread (sequential mode). */
  pool: Pool | null;
  /**
   * Read plain JPEGs' EXIF from the chunk being hashed (jpeg-exif.ts) and fill `item.exif`, which
   * the exif stage then leaves alone: set when the pipeline's exif stage has `native: true`.
   */
  nativeExif?: boolean;
}

export const isMedia = (item: unknown): item is MediaItem => (item as MediaItem)?.type === 'media';

/**
 * Size is already known from the walk; this stage adds the CRC-32 and the content MIME type.
 * At most `concurrency` files are in the pool at once: workerpool's own queue is unbounded
 * (maxQueueSize defaults to Infinity), so the bound lives here.
 */
export function fingerprint(opts: FingerprintOptions): ParallelTransform<MediaItem, MediaItem> {
  const { pool } = opts;
  const run = (abs: string, size: number, native: boolean): Promise<FileFingerprint> =>
    pool ? (pool.exec('fingerprint', [abs, size, native]) as Promise<FileFingerprint>) : fingerprintFile(abs, size, native);
  return new ParallelTransform<MediaItem, MediaItem>({
    concurrency: opts.concurrency,
    accept: isMedia,
    work: async (item) => {
      try {
        applyFingerprint(item, await run(item.abs, item.size, opts.nativeExif === true && (NATIVE_EXTENSIONS.test(item.path) || HEIC_EXTENSIONS.test(item.path))));
      } catch (err) {
        item.problems.push({ stage: 'fingerprint', message: `could not read the file: ${describeError(err)}` });
      }
      return item;
    },
  });
}

/** Extensions that promise a photo or video; content that is neither behind one is a problem. */
const MEDIA_EXT = new Set(
  'jpg jpeg jpe png gif heic heif webp avif tif tiff bmp dng cr2 cr3 crw nef nrw arw sr2 raf rw2 orf pef srw jxl jp2 psd mp4 m4v mov 3gp 3g2 avi mts m2ts mkv webm wmv mpg mpeg'.split(' '),
);

/** Stores a fingerprint on its item, with the problems it reveals (both modes use this). */
export function applyFingerprint(item: MediaItem, fp: FileFingerprint): void {
  item.fingerprint = { crc32: fp.crc32, mime: fp.mime };
  if (fp.tags) {
    item.exif = toExifFields(fp.tags);
    item.exifNative = true;
  }
  if (fp.problem) {
    item.problems.push({ stage: 'fingerprint', message: fp.problem });
    return;
  }
  const ext = /\.([^./]+)$/.exec(item.path)?.[1]?.toLowerCase();
  if (fp.mime === null && ext && MEDIA_EXT.has(ext)) {
    item.problems.push({ stage: 'fingerprint', message: `content is not a recognised image or video, although the name ends in .${ext}` });
  }
}

/** The compiled worker module; tests run from src/ but the pool can only load JavaScript. */
export function fingerprintWorkerPath(): string {
  const here = new URL('./fingerprint-worker.js', import.meta.url);
  const built = import.meta.url.endsWith('.ts') ? new URL('../../dist/stages/fingerprint-worker.js', import.meta.url) : here;
  const path = fileURLToPath(built);
  if (!existsSync(path)) throw new Error(`fingerprint worker not built: ${path} is missing (run npm run build)`);
  return path;
}

/**
 * A worker holds ~6 MB of live heap (its modules; the 1 MB read buffer lives outside the heap).
 * Left to V8's defaults, a busy worker's heap grows to ~30 MB before it collects; these limits
 * keep the pool ~18 MB smaller at the peak of a 10,000-file run, for no measurable time
 * (npm run bench; the live heap never exceeded 11 MB over the corpus and 10,000 generated files).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 };

export function createFingerprintPool(workers: number): Pool {
  return workerpool.pool(fingerprintWorkerPath(), {
    maxWorkers: workers,
    minWorkers: workers,
    workerType: 'thread',
    workerThreadOpts: { resourceLimits: WORKER_LIMITS },
  });
}
