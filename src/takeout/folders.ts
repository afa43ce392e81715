/**
 * Where a Takeout directory sits (RULES.md R8) and which folders are the export's parts (R9).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ShoeboxError } from '../errors.js';

export type FolderKind = 'year' | 'album' | 'trash' | 'archive' | 'locked' | 'other';

export interface FolderClass {
  folder: FolderKind;
  album: string | null;
}

const lower = (s: string) => s.normalize('NFC').toLowerCase();

/** "Google Photos" in the languages seen in exports (IG doc, IG #357, GZ `langs.ts`). */
const GOOGLE_PHOTOS = new Set(
  [
    'Google Photos', 'Google Foto', 'Google Fotos', 'Fotky Google', 'Google Фото', 'Google Снимки',
    'Google Kuvat', 'Google フォト', 'Google Fotoğraflar', 'Google 相册', 'Google 相簿', 'Google Fotók',
  ].map(lower),
);

/** `Photos from 2019` stays English in most exports; NEO adds the ES and DE forms. */
const YEAR_FOLDER = /^(?:photos from|fotos del|fotos von) (?:18|19|20)\d{2}$/i;

/** NEO `specialFolders` and its localized forms. */
const SPECIAL: ReadonlyMap<string, FolderKind> = new Map([
  ...['trash', 'bin', 'papelera', 'lixeira', 'cestino', 'corbeille', 'papierkorb', 'prullenbak', 'корзина', 'kosz',
    '回收站', 'ゴミ箱', 'paperera'].map((n) => [lower(n), 'trash'] as const),
  ...['archive', 'archivo', 'arquivo', 'archivio', 'archiv', 'archief', 'архив', 'archiwum', '档案', 'アーカイブ',
    'arxiu'].map((n) => [lower(n), 'archive'] as const),
  ...['locked folder'].map((n) => [lower(n), 'locked'] as const),
]);

/**
 * Classify a directory by its `/`-separated path below a root. A leading `Takeout/` and the
 * localized Google Photos folder are skipped when present; the root may also be the Google
 * Photos folder itself. Below it, a year folder, a special folder, or else an album (Takeout
 * writes every album as a folder of its own). Anything deeper, outside Google Photos (another
 * Google product in the same Takeout), or the top itself is `other`.
 */
export function classifyFolder(relDir: string): FolderClass {
  let parts = relDir.split('/').filter((p) => p !== '' && p !== '.');
  let sawTakeout = false;
  if (parts.length > 0 && lower(parts[0]!) === 'takeout') {
    sawTakeout = true;
    parts = parts.slice(1);
  }
  if (parts.length > 0 && GOOGLE_PHOTOS.has(lower(parts[0]!))) {
    parts = parts.slice(1);
  } else if (sawTakeout) {
    return { folder: 'other', album: null };
  }
  if (parts.length !== 1) return { folder: 'other', album: null };
  const name = parts[0]!;
  if (YEAR_FOLDER.test(name)) return { folder: 'year', album: null };
  const special = SPECIAL.get(lower(name));
  if (special) return { folder: special, album: null };
  return { folder: 'album', album: name };
}

/** An extracted export part: `Takeout`, `Takeout 2`, `Takeout (1)` (what unzipping several
 * archives into one folder gives) or `takeout-20240525T201456Z-001` /
 * `takeout-20250921T1994402Z-3-009` (one folder per archive, named after it). */
// `Takeout` is matched as Google spells it: a user's own folder named `takeout` that holds the
// parts (as `npm start`'s examples/takeout does) must not pass for a part itself.
const PART = /^Takeout(?: \d+| \(\d+\))?$/;
const ARCHIVE_PART = /^takeout-\d{8}T\d+Z(?:-\d+)+$/i;

export function isExportPart(name: string): boolean {
  return PART.test(name) || ARCHIVE_PART.test(name);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Natural order of export part names: runs of digits by their value, other characters by their
 * code, case ignored (`Takeout`, `Takeout (1)`, `Takeout 2`, `Takeout 10`). On these names it is
 * what `Intl.Collator('en', { numeric: true, sensitivity: 'base' })` says (a test compares
 * them), without the collator's ~2.8 MB of ICU data paged into every run; names it holds equal
 * (case, leading zeros) are then ordered by code.
 */
export function naturalCompare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (isDigit(cx) && isDigit(cy)) {
      let ei = i;
      while (ei < x.length && isDigit(x.charCodeAt(ei))) ei++;
      let ej = j;
      while (ej < y.length && isDigit(y.charCodeAt(ej))) ej++;
      const nx = x.slice(i, ei).replace(/^0+/, '');
      const ny = y.slice(j, ej).replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length < ny.length ? -1 : 1;
      if (nx !== ny) return nx < ny ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (cx !== cy) return cx < cy ? -1 : 1;
    i++;
    j++;
  }
  // equal but for case or leading zeros: by code, so the order never depends on the listing's
  return Math.sign(x.length - i - (y.length - j)) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Replace each root that holds extracted export parts with those parts, in natural order
 * (`Takeout`, `Takeout 2`, …, `Takeout 10`), so that the parts are matched as one library. A
 * root that is itself a part, or an ordinary folder, is kept as given. Duplicates are dropped.
 * Anything else beside the parts (the downloaded .zip files, say) is then not scanned.
 */
export async function expandRoots(roots: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    for (const r of await expandRoot(root)) if (!out.includes(r)) out.push(r);
  }
  return out;
}

async function expandRoot(root: string): Promise<string[]> {
  const base = root.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ShoeboxError('SHOEBOX_ROOT_MISSING', `root ${root} does not exist or is not a directory; check the --root path`, {
        cause: err,
      });
    }
    throw err;
  }
  if (isExportPart(base)) return [root];
  const parts: string[] = [];
  for (const e of entries) {
    if (!isExportPart(e.name)) continue;
    // A part may be a symlink to where it was extracted.
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(join(root, e.name)).catch(() => null))?.isDirectory())) {
      parts.push(e.name);
    }
  }
  parts.sort(naturalCompare);
  return parts.length > 0 ? parts.map((p) => join(root, p)) : [root];
}
