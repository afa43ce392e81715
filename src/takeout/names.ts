/**
 * The pieces of a Takeout file name (RULES.md §0): clip lengths, duplicate counters, the 2024+
 * `supplemental-metadata` suffix and edited suffixes. Pure string functions; `match.ts` builds
 * its indexes from them.
 *
 *   media file  = clip(title_stem, 51 − len("." + ext)) [+ "(n)"] + "." + ext
 *   legacy json = clip(title, 46)                           [+ "(n)"] + ".json"
 *   2024+ json  = clip(title + ".supplemental-metadata", 46) [+ "(n)"] + ".json"
 */

/** A JSON stem this long may have been clipped (Google's clip is 46 UTF-16 units; ≥ so that a
 * longer clip in some exports still counts). */
export const JSON_CLIP = 46;
/** Longest media name, extension included, before Google clips the stem. */
export const MEDIA_CLIP = 51;

const SUPPLEMENTAL = 'supplemental-metadata';

/** Localized "edited" suffixes (RULES.md R5), without the leading dash. Lower case. */
export const EDITED_SUFFIXES: readonly string[] = [
  'edited', 'bearbeitet', 'modifié', 'modificato', 'editado', 'ha editado', 'editat', 'edytowane',
  'bewerkt', '編集済み', '编辑', '已修改', '已編輯', 'muokattu', 'измененный', 'отредактировано',
  'düzenlendi', '편집됨', 'відредаговано', 'redigeret', 'upravené',
].map((s) => s.normalize('NFC'));

/** Google creations that gpth strips too; some of them have their own JSON, so they are only a
 * fallback after every other rule (R5, R11). */
export const VARIANT_SUFFIXES: readonly string[] = ['effects', 'smile', 'mix', 'motion', 'animation', 'collage'];

/** NFC, skipping the common all-ASCII name, which is its own normal form. */
export function nfc(s: string): string {
  return /^[\u0000-\u007f]*$/.test(s) ? s : s.normalize('NFC');
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** First `n` UTF-16 units of `s`; a surrogate pair cut in half is kept whole, as Google does for
 * media names (the emoji case in RULES.md §0). */
export function clipUnits(s: string, n: number): string {
  if (s.length <= n) return s;
  return isHighSurrogate(s.charCodeAt(n - 1)) ? s.slice(0, n + 1) : s.slice(0, n);
}

export interface SplitName {
  stem: string;
  /** Without the dot; '' when the name has none. */
  ext: string;
}

/** Split at the last dot when what follows looks like an extension (no spaces, at most 10 units,
 * `MP~2` included), so that `14.30.45 at night` keeps its dots in the stem. */
export function splitExt(name: string): SplitName {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  const ext = name.slice(dot + 1);
  if (ext.length > 10 || /\s/.test(ext)) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

export function joinExt(stem: string, ext: string): string {
  return ext ? `${stem}.${ext}` : stem;
}

/** A trailing duplicate counter `(n)`, when there is one. */
export function splitCounter(stem: string): { base: string; counter: number | null } {
  const m = stem.endsWith(')') ? /^(.+)\((\d+)\)$/s.exec(stem) : null;
  return m ? { base: m[1]!, counter: Number(m[2]) } : { base: stem, counter: null };
}

/** A media name at Google's length limit: its stem was (or may have been) clipped. A stem one
 * unit over is at the limit too when the clip kept a surrogate pair whole. */
export function isAtMediaLimit(stem: string, ext: string): boolean {
  const limit = MEDIA_CLIP - (ext ? ext.length + 1 : 0);
  if (stem.length === limit) return true;
  return stem.length === limit + 1 && isHighSurrogate(stem.charCodeAt(limit - 1));
}

/** The media name Google writes for an upload titled `title`. */
export function mediaNameForTitle(title: string): string {
  const { stem, ext } = splitExt(title);
  return joinExt(clipUnits(stem, MEDIA_CLIP - (ext ? ext.length + 1 : 0)), ext);
}

/** The title part of a JSON stem with a (possibly clipped) `.supplemental-metadata` suffix, or
 * null. Any prefix counts, even `.s` or a bare `.` (immich-go's rule, RULES.md R2.2): exports
 * clip the suffix at different lengths, or not at all. */
export function stripSupplemental(stem: string): string | null {
  const dot = stem.lastIndexOf('.');
  if (dot <= 0) return null;
  return SUPPLEMENTAL.startsWith(stem.slice(dot + 1).toLowerCase()) ? stem.slice(0, dot) : null;
}

/**
 * Map key for a name: the last dotted segment lower-cased, so `Photo.JPG` and `Photo.jpg.json`
 * meet (TLG #46), while stems stay case-sensitive. Applied alike to both sides, also to clipped
 * prefixes, whose last segment is then a piece of the stem or a clipped extension (`.JP`).
 */
export function foldKey(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return name;
  const last = name.slice(dot + 1);
  const lower = last.toLowerCase();
  return lower === last ? name : name.slice(0, dot + 1) + lower;
}

/** Lower case with the characters Google replaces in titles (`/ & ?` …) mapped to `_`, for
 * comparing a JSON `title` with a file name (RULES.md R6). */
export function looseTitle(s: string): string {
  return s.normalize('NFC').replace(/[/\\:*?"<>|&\u0000-\u001f]/g, '_').toLowerCase();
}

const EDITED = new Set(EDITED_SUFFIXES);
const VARIANTS = new Set(VARIANT_SUFFIXES);

/** The stem before its last dash when what follows the dash is one of `suffixes`. None of the
 * suffixes holds a dash, so one set lookup does (this runs for every media file). */
function stripSuffix(stem: string, suffixes: ReadonlySet<string>): string | null {
  const dash = stem.lastIndexOf('-');
  if (dash <= 0) return null;
  return suffixes.has(stem.slice(dash + 1).toLowerCase()) ? stem.slice(0, dash) : null;
}

/** `photo-edited` → `photo`, for every localized suffix, case-insensitively. */
export function stripEdited(stem: string): string | null {
  return stripSuffix(stem, EDITED);
}

/** `Con Yoli … nuevo_001-ha edi` → `Con Yoli … nuevo_001`: a dash and a proper prefix of an
 * edited suffix, down to the dash alone. Only meaningful at the length limit, where Google cut
 * the name; the caller checks that. */
export function stripClippedEdited(stem: string): string | null {
  const dash = stem.lastIndexOf('-');
  if (dash <= 0) return null;
  const tail = stem.slice(dash + 1).toLowerCase();
  return EDITED_SUFFIXES.some((s) => s.length > tail.length && s.startsWith(tail)) ? stem.slice(0, dash) : null;
}

/** `clip-effects` → `clip` (gpth's extra variants). */
export function stripVariant(stem: string): string | null {
  return stripSuffix(stem, VARIANTS);
}
