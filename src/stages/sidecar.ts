import { Duplex } from 'node:stream';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs';
import { promisify } from 'node:util';
import { describeError } from '../errors.js';
import { SHARED, matchDirectory, type SidecarName } from '../takeout/match.js';
import { parseTakeoutJson, type ParsedJson } from '../takeout/sidecar-json.js';
import { classifyFolder } from '../takeout/folders.js';
import { mapLimit } from './walk.js';
import type { Directory, Item, MediaItem, TableRow, WalkedFile } from '../types.js';

/**
 * fs.readFile with a callback, not fs/promises: for the ~1 KB sidecars it costs the main thread
 * half the CPU (3,000 cached sidecars: 150-200 ms against 250-400 ms; the promise API goes
 * through a FileHandle: open, fstat, read and close each come back to JavaScript).
 */
const readText = promisify(readFile) as (path: string, encoding: 'utf8') => Promise<string>;

export interface SidecarOptions {
  /** The run's roots, in the order the walk numbers them. */
  roots: string[];
  /** JSON files read at once. */
  concurrency?: number;
  /** A sidecar larger than this is not read (real ones are a few KB). */
  maxJsonBytes?: number;
  /** When false, JSON files are not read or matched: every file is a media item. */
  enabled?: boolean;
  /**
   * Signatures of directories as an earlier run left them (dir → signature). A directory whose
   * listing has the same signature is skipped unread; `onSkip` hears of it.
   */
  known?: Map<string, string>;
  /**
   * What the run reads from each file (its stages and their output options, see readsKey): part
   * of the signature, so a directory an earlier run read with other stages (a `fingerprint` scan
   * before a `takeout` one into the same database) is read again, not skipped with rows that lack
   * dates, sidecars or EXIF.
   */
  reads?: string;
  /** Hears of a skipped directory: its path, media file count and file names. */
  onSkip?: (dir: string, mediaFiles: number, names: string[]) => void;
  /** Ctrl-C: stop handing out files; those already handed out are finished and written. */
  signal?: AbortSignal;
}

const JSON_RE = /\.json$/i;

/**
 * Turns each walked directory into media items paired with their Takeout sidecars, plus rows for
 * the `sidecars`, `albums`, `album_items` and `errors` tables. One directory is matched at once,
 * across all roots (RULES.md R9), from names already listed: no probing of the filesystem.
 */
export function sidecar(opts: SidecarOptions): Duplex {
  const roots = opts.roots;
  const enabled = opts.enabled ?? true;
  const concurrency = opts.concurrency ?? 16;
  const maxJsonBytes = opts.maxJsonBytes ?? 4 * 1024 * 1024;
  const known = opts.known ?? new Map<string, string>();
  const rootsKey = roots.join('\n');
  return Duplex.from(async function* (source: AsyncIterable<Item>) {
    for await (const item of source) {
      // Once stopped, drain the walk (it ends soon) without starting anything new.
      if (opts.signal?.aborted) continue;
      if (item.type !== 'dir') {
        yield item;
        continue;
      }
      const signature = dirSignature(item, roots, opts.reads ?? '');
      const mediaFiles = enabled ? item.files.filter((f) => !JSON_RE.test(f.name)).length : item.files.length;
      if (known.get(item.rel) === signature) {
        opts.onSkip?.(item.rel, mediaFiles, item.files.map((f) => f.name));
        continue;
      }
      yield* pairDirectory(item, roots, enabled, concurrency, maxJsonBytes, opts.signal);
      // A directory cut short must be read again next time: no signature for it.
      if (opts.signal?.aborted) continue;
      yield row('dirs', { roots: rootsKey, dir: item.rel, signature, files: mediaFiles, scanned_at: new Date(), reads: opts.reads ?? null });
    }
  });
}

/**
 * SHA-1 over what a rescan must notice: what the run reads (`reads`), and every file's root, name,
 * size and mtime.
 */
export function dirSignature(dir: Directory, roots: string[], reads = ''): string {
  const h = createHash('sha1');
  h.update(`${reads}\n`);
  for (const f of dir.files) h.update(`${roots[f.rootIndex]}\0${f.name}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex');
}

interface JsonFile {
  file: WalkedFile;
  path: string;
  parsed: ParsedJson | null;
  error: string | null;
}

async function* pairDirectory(
  dir: Directory,
  roots: string[],
  enabled: boolean,
  concurrency: number,
  maxJsonBytes: number,
  signal?: AbortSignal,
): AsyncGenerator<MediaItem | TableRow> {
  const rel = (name: string) => (dir.rel ? `${dir.rel}/${name}` : name);
  // Folder roles (year, album, trash) are Takeout's; a plain photo folder has none.
  const { folder, album } = enabled ? classifyFolder(dir.rel) : { folder: 'other', album: null };
  const mediaFiles = enabled ? dir.files.filter((f) => !JSON_RE.test(f.name)) : dir.files;
  const jsonFiles: JsonFile[] = enabled
    ? dir.files.filter((f) => JSON_RE.test(f.name)).map((file) => ({ file, path: rel(file.name), parsed: null, error: null }))
    : [];

  await mapLimit(jsonFiles, concurrency, async (j) => {
    if (j.file.size > maxJsonBytes) {
      j.error = `JSON file of ${j.file.size} bytes is larger than the ${maxJsonBytes}-byte limit for sidecars; not read`;
      return;
    }
    try {
      j.parsed = parseTakeoutJson(await readText(j.file.abs, 'utf8'));
    } catch (err) {
      j.error = `not a readable Takeout JSON: ${describeError(err)}`;
    }
  });

  // The same name can sit in several parts; match each name once and give every copy the result.
  const mediaNames = [...new Set(mediaFiles.map((f) => f.name))];
  // A sidecar name present in several parts is one sidecar: the first part's copy is used.
  const sidecarJsons: JsonFile[] = [];
  const names = new Set<string>();
  for (const j of jsonFiles) {
    if (j.parsed?.kind !== 'media' || names.has(j.file.name)) continue;
    names.add(j.file.name);
    sidecarJsons.push(j);
  }
  const sidecarNames: SidecarName[] = sidecarJsons.map((j) => ({
    name: j.file.name,
    title: j.parsed?.kind === 'media' ? j.parsed.fields.title : null,
  }));
  const matches = mediaNames.length && sidecarNames.length ? matchDirectory(mediaNames, sidecarNames) : [];
  const byName = new Map<string, { json: JsonFile; rule: string }>();
  const uses = new Map<JsonFile, { media: WalkedFile; rule: string; count: number }>();
  for (const m of matches) {
    const json = sidecarJsons[m.sidecar]!;
    byName.set(mediaNames[m.media]!, { json, rule: m.rule });
  }

  let albumMeta: JsonFile | undefined;
  for (const j of jsonFiles) {
    if (j.parsed?.kind === 'album' && !albumMeta) albumMeta = j;
    if (j.error) yield errorRow(roots[j.file.rootIndex]!, j.path, 'sidecar', j.error);
  }
  if (album !== null) {
    const meta = albumMeta?.parsed?.kind === 'album' ? albumMeta.parsed.album : null;
    yield row('albums', {
      dir: dir.rel,
      title: meta?.title ?? null,
      description: meta?.description ?? null,
      access: meta?.access ?? null,
      date: meta?.date ?? null,
      metadata: albumMeta?.path ?? null,
      scanned_at: new Date(),
    });
  }

  for (const f of mediaFiles) {
    if (signal?.aborted) return;
    const path = rel(f.name);
    const hit = byName.get(f.name);
    if (hit) {
      const u = uses.get(hit.json);
      if (!u) uses.set(hit.json, { media: f, rule: hit.rule, count: 1 });
      else {
        u.count++;
        // the file a shared sidecar describes is the original, not its edit or a live photo's
        // video, whichever the listing gives first
        if (SHARED.has(u.rule) && !SHARED.has(hit.rule)) Object.assign(u, { media: f, rule: hit.rule });
      }
    }
    const fields = hit?.json.parsed?.kind === 'media' ? hit.json.parsed.fields : null;
    const item: MediaItem = {
      type: 'media',
      rootIndex: f.rootIndex,
      root: roots[f.rootIndex]!,
      path,
      abs: f.abs,
      size: f.size,
      mtimeMs: f.mtimeMs,
      folder,
      album,
      sidecar:
        hit && fields ? { rootIndex: hit.json.file.rootIndex, path: hit.json.path, rule: hit.rule, fields } : null,
      fingerprint: null,
      exif: null,
      problems: [],
    };
    if (album !== null) yield row('album_items', { dir: dir.rel, root: item.root, path, scanned_at: new Date() });
    yield item;
  }

  for (const j of jsonFiles) {
    const u = uses.get(j);
    yield row('sidecars', {
      root: roots[j.file.rootIndex]!,
      path: j.path,
      kind: j.error ? 'invalid' : j.parsed!.kind,
      title:
        j.parsed?.kind === 'media' ? j.parsed.fields.title : j.parsed?.kind === 'album' ? j.parsed.album.title : null,
      matched: u !== undefined,
      media_root: u ? roots[u.media.rootIndex]! : null,
      media_path: u ? rel(u.media.name) : null,
      match_rule: u?.rule ?? null,
      matches: u?.count ?? 0,
      scanned_at: new Date(),
    });
  }
}

function row(table: TableRow['table'], r: Record<string, unknown>): TableRow {
  return { type: 'row', table, row: r };
}

export function errorRow(root: string, path: string, stage: string, message: string): TableRow {
  return row('errors', { root, path, stage, message, at: new Date() });
}
