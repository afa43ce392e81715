import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';

/** Counters shared by the stages and the progress bar; updated in place, read on a timer. */
export interface RunStats {
  /** Media files the walk has found so far. */
  found: number;
  /** Media rows handed to the sink. */
  done: number;
  /** Media files in directories skipped as unchanged since the last run. */
  skipped: number;
  bytes: number;
  errors: number;
  sidecars: number;
  startedAt: number;
  /**
   * Media files a quick listing of the roots counted (countMediaFiles), once it has finished:
   * the bar's total and ETA. The walk's own `found` runs only a bounded queue ahead of the
   * stages, so alone it made the bar hover near full and the ETA read a few seconds throughout.
   */
  counted: number | null;
}

export function newStats(): RunStats {
  return { found: 0, done: 0, skipped: 0, bytes: 0, errors: 0, sidecars: 0, startedAt: Date.now(), counted: null };
}

/**
 * Counts the files below `roots` that are not JSON, by directory listings only (no stat, no
 * read), skipping the names the walk excludes and not following links: what the walk will find.
 */
export async function countMediaFiles(roots: readonly string[], exclude: readonly string[] = [], signal?: AbortSignal): Promise<number> {
  const skip = new Set(exclude);
  let n = 0;
  const pending = [...roots];
  while (pending.length > 0) {
    if (signal?.aborted) break;
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // the walk reports what it cannot read
    }
    for (const e of entries) {
      if (skip.has(e.name)) continue;
      if (e.isDirectory()) pending.push(join(dir, e.name));
      else if (e.isFile() && !/\.json$/i.test(e.name)) n++;
    }
  }
  return n;
}

export interface Progress {
  stop(): void;
}

/**
 * A live bar on stderr: files done of files found so far (the total grows while the walk goes
 * on), files/s, MB/s, ETA and errors. Only on a terminal; callers pass enabled=false otherwise.
 */
export function startProgress(stats: RunStats, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {value}/{total} files | {rate} files/s | {mbps} MB/s | ETA {etaText} | {errors} errors',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      etaBuffer: 200,
      fps: 5,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const total = () => Math.max(1, stats.found, stats.counted ?? 0);
  const payload = () => {
    const secs = Math.max(0.001, (Date.now() - stats.startedAt) / 1000);
    const rate = stats.done / secs;
    return {
      rate: Math.round(rate),
      mbps: (stats.bytes / 1e6 / secs).toFixed(1),
      // no ETA until the count of what is to come is known
      etaText: stats.counted === null ? '…' : etaText(Math.max(0, total() - stats.done - stats.skipped), rate),
      errors: stats.errors,
    };
  };
  bar.start(total(), stats.done, payload());
  const timer = setInterval(() => {
    bar.setTotal(total());
    bar.update(stats.done + stats.skipped, payload());
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      bar.setTotal(total());
      bar.update(stats.done + stats.skipped, payload());
      bar.stop();
    },
  };
}

/**
 * The time left at the current rate, as `42s`, `3m05s` or `1h02m`; `…` before the first file is
 * done (cli-progress's own ETA printed `NFs` then).
 */
export function etaText(left: number, perSecond: number): string {
  if (left === 0) return '0s';
  if (!(perSecond > 0)) return '…';
  const s = Math.round(left / perSecond);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
