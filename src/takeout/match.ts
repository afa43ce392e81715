/**
 * Pairs the media files of one directory with their Takeout JSON sidecars (RULES.md R1–R12).
 *
 * The sidecars are indexed once (`SidecarIndex`); each media file then derives, from its own
 * name, the titles it can have been uploaded under, tier by tier, and looks them up. The first
 * tier that finds something decides. No file system access, no media × sidecar loop.
 *
 * Precision beats recall: a media file that could belong to two sidecars, or a clipped JSON name
 * that two media files could own, gets nothing rather than a guess.
 */
import { type Entry, SidecarIndex, key } from './sidecar-index.js';
import {
  MEDIA_CLIP,
  foldKey,
  isAtMediaLimit,
  isHighSurrogate,
  joinExt,
  looseTitle,
  nfc,
  splitCounter,
  splitExt,
  stripClippedEdited,
  stripEdited,
  stripVariant,
} from './names.js';

/** A JSON file name in the directory, and its parsed `title` when the caller read it. Pass only
 * JSON that is (or may be) a media sidecar; album `metadata.json` and print orders are not. */
export interface SidecarName {
  name: string;
  title?: string | null;
}

/** Indexes into the inputs of `matchDirectory`. */
export interface Match {
  media: number;
  sidecar: number;
  rule: MatchRule;
}

/**
 * Why a media file got its sidecar, in the order the matcher tries them:
 * - `exact`: `IMG_1.jpg.json` (R1).
 * - `supplemental`: `IMG_1.jpg.supplemental-metadata.json`, or any clip of that suffix (R2).
 * - `counter`: `IMG_1(2).jpg` ↔ `IMG_1.jpg(2).json` / `….supplemental-metadata(2).json` (R4, R2.5).
 * - `title`: the sidecar's `title` names this file, once clipped to 51 and sanitized (R3, R6).
 * - `clipped`: the JSON name is the title clipped at 46 (or more) units; the media name may be
 *   clipped at 51 too (R3).
 * - `extension-clipped`: the clip fell inside the extension: `….jp.json`, `…COVER..json` (R3, R6).
 * - `no-extension`: the title had no extension, `20030616.jpg` ↔ `20030616.json` (R6).
 * - `edited`: `-edited` or a localized edited suffix; shares the original's sidecar (R5).
 * - `edited-clipped`: an edited suffix cut short at the 51 limit, `…_001-ha edi.JPG` (R5).
 * - `variant`: `-effects`, `-smile`, … (gpth's extras), only when nothing else matched (R5).
 * - `live-photo`: `IMG_1.MP4`/`.MOV` shares `IMG_1.HEIC.json` (or `.JPG`) (R7).
 * - `motion-part`: `X.MP`, `X.MP~2`, MVIMG video parts share the photo's JSON (R7, R11).
 * - `forgotten-duplicate`: `…_P(1).jpg`, an edit whose suffix was clipped away, shares the
 *   sidecar of `…_P.jpg` (R4.5).
 */
export const MATCH_RULES = [
  'exact', 'supplemental', 'counter', 'title', 'clipped', 'extension-clipped', 'no-extension',
  'edited', 'edited-clipped', 'variant', 'live-photo', 'motion-part', 'forgotten-duplicate',
] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

/** Rules that read the sidecar's own name straight off the media name. */
const DIRECT: ReadonlySet<MatchRule> = new Set(['exact', 'supplemental', 'counter']);
/** Rules under which one sidecar legitimately serves several media files. */
export const SHARED: ReadonlySet<string> = new Set<MatchRule>([
  'edited', 'edited-clipped', 'variant', 'live-photo', 'motion-part', 'forgotten-duplicate',
]);

const VIDEO_EXTS = new Set(['mp4', 'mov']);
const LIVE_PHOTO_EXTS = ['heic', 'heif', 'jpg', 'jpeg'];
const FORM_RANK = { supplemental: 0, 'supplemental-clipped': 1, legacy: 2 } as const;

/** A title the media file may have been uploaded under: `stem.ext`, counter as in its name. */
interface Hypothesis {
  stem: string;
  ext: string;
  counter: number | null;
  /** The media name was at Google's limit, so the title's stem may be longer than `stem`. */
  atLimit: boolean;
}

type Method = 'name' | 'prefix' | 'title' | 'bare';

interface Hit {
  sidecar: number;
  rule: MatchRule;
  /** The sidecar's own title agrees (or the match came from the title). */
  verified: boolean;
  /** The name looked up and the sidecar's agree in case too, extension included. */
  exactCase: boolean;
}

const AMBIGUOUS = Symbol('ambiguous');
type Found = Hit | typeof AMBIGUOUS | null;

export function matchDirectory(mediaNames: string[], sidecars: SidecarName[]): Match[] {
  const index = new SidecarIndex(sidecars);
  const names = mediaNames.map(nfc);
  const present = new Set(names.map(foldKey));
  const claims: (Hit & { media: number })[] = [];
  names.forEach((name, media) => {
    const hit = new MediaMatcher(index, name, present).run();
    if (hit) claims.push({ media, ...hit });
  });
  return dropContested(claims).map(({ media, sidecar, rule }) => ({ media, sidecar, rule }));
}

/** How strongly a claim ties a sidecar to one media file; lower is stronger. */
function strength(c: Hit): number {
  if (DIRECT.has(c.rule)) return 0;
  if (c.rule === 'title') return 1;
  return c.verified ? 2 : 3;
}

/**
 * A sidecar that belongs to one media file (all but the SHARED rules) and is claimed by several:
 * it goes to the strongest claim, or, among equals, to the one whose name agrees in case
 * (`a.jpg` over `a.JPG` for `a.jpg.json`). Still several: nobody gets it, as two media files
 * that a clipped JSON name fits equally (`…A.jpg`, `…B.jpg` ↔ `….json`) cannot be told apart.
 */
function dropContested<T extends Hit>(claims: T[]): T[] {
  const bySidecar = new Map<number, T[]>();
  for (const c of claims) {
    if (SHARED.has(c.rule)) continue;
    const list = bySidecar.get(c.sidecar);
    if (list) list.push(c);
    else bySidecar.set(c.sidecar, [c]);
  }
  const losers = new Set<T>();
  for (const list of bySidecar.values()) {
    if (list.length < 2) continue;
    const best = Math.min(...list.map(strength));
    let winners = list.filter((c) => strength(c) === best);
    if (winners.length > 1 && winners.some((c) => c.exactCase)) winners = winners.filter((c) => c.exactCase);
    for (const c of list) if (winners.length > 1 || !winners.includes(c)) losers.add(c);
  }
  return claims.filter((c) => !losers.has(c));
}

class MediaMatcher {
  readonly #ix: SidecarIndex;
  readonly #name: string;
  readonly #present: ReadonlySet<string>;

  constructor(index: SidecarIndex, name: string, present: ReadonlySet<string>) {
    this.#ix = index;
    this.#name = name;
    this.#present = present;
  }

  run(): Hit | null {
    const found = this.#tiers();
    return found === AMBIGUOUS ? null : found;
  }

  #tiers(): Found {
    const name = this.#name;
    const { stem, ext } = splitExt(name);
    const { base, counter } = splitCounter(stem);
    const literal: Hypothesis = { stem, ext, counter: null, atLimit: isAtMediaLimit(stem, ext) };
    const counted: Hypothesis | null =
      counter === null ? null : { stem: base, ext, counter, atLimit: isAtMediaLimit(base, ext) };
    // The "(n)" can be part of the title only while the whole name fits Google's limit (R4.4);
    // past it, the counter was added after clipping.
    const own = [counted, counter === null || name.length <= MEDIA_CLIP ? literal : null].filter(
      (h): h is Hypothesis => h !== null,
    );
    const baseAtLimit = isAtMediaLimit(base, ext);

    let found: Found = this.#find(literal, 'name', null, false);
    if (!found && counted) found = this.#find(counted, 'name', 'counter', false);
    for (const h of own) found ||= this.#find(h, 'title', 'title', false);
    if (!found && this.#ix.prefixLengths.length > 0) {
      const originals = this.#originals(base, ext, baseAtLimit);
      for (const h of own) found ||= this.#find(h, 'prefix', null, true, originals);
    }
    for (const h of own) found ||= this.#find(h, 'bare', 'no-extension', true);
    found ||= this.#derived(stripEdited(base), ext, counter, 'edited');
    if (baseAtLimit) found ||= this.#derived(stripClippedEdited(base), ext, counter, 'edited-clipped');
    found ||= this.#derived(stripVariant(base), ext, counter, 'variant');
    found ||= this.#partners(base, ext, counter);
    if (counted && baseAtLimit) found ||= this.#forgottenDuplicate(counted);
    return found;
  }

  /** Names of the original this file may be an edit of, lower-cased: a clipped JSON name that
   * fits them as well is left to the edited tiers, which share it instead of contesting it. */
  #originals(base: string, ext: string, atLimit: boolean): string[] {
    const stems = [stripEdited(base), atLimit ? stripClippedEdited(base) : null, stripVariant(base)];
    return stems.filter((s): s is string => s !== null).map((s) => joinExt(s, ext).toLowerCase());
  }

  /** The original's (or the photo's) sidecar, through any naming of it, with the counter first
   * (`X-edited(1).jpg` → `X.jpg(1).json`, then `X.jpg.json`: R4.6). */
  #derived(stem: string | null, ext: string, counter: number | null, rule: MatchRule): Found {
    if (!stem) return null;
    const counters = counter === null ? [null] : [counter, null];
    for (const c of counters) {
      const h: Hypothesis = { stem, ext, counter: c, atLimit: false };
      const found = this.#anyNaming(h, rule);
      if (found) return found;
    }
    return null;
  }

  #anyNaming(h: Hypothesis, rule: MatchRule): Found {
    for (const method of ['name', 'prefix', 'title', 'bare'] as const) {
      const found = this.#find(h, method, rule, true);
      if (found) return found;
    }
    return null;
  }

  /** Live photo videos and motion-photo parts borrow the photo's sidecar (R7). */
  #partners(base: string, ext: string, counter: number | null): Found {
    const lower = ext.toLowerCase();
    const mvimg = /^MVIMG_/i.test(base);
    const photos: Hypothesis[] = [];
    if (VIDEO_EXTS.has(lower)) {
      for (const photoExt of LIVE_PHOTO_EXTS) photos.push({ stem: base, ext: photoExt, counter, atLimit: false });
    } else if (/^mp(~\d+)?$/.test(lower)) {
      photos.push({ stem: `${base}.${ext}`, ext: 'jpg', counter, atLimit: false });
      if (lower !== 'mp') photos.push({ stem: `${base}.${ext.slice(0, 2)}`, ext: 'jpg', counter, atLimit: false });
    } else if (!ext && mvimg) {
      photos.push({ stem: base, ext: 'jpg', counter, atLimit: false });
    } else {
      return null;
    }
    const rule: MatchRule = mvimg || !VIDEO_EXTS.has(lower) ? 'motion-part' : 'live-photo';
    const hits = new Set<number>();
    let first: Hit | null = null;
    for (const h of photos) {
      const found = this.#anyNaming(h, rule);
      if (found === AMBIGUOUS) return AMBIGUOUS;
      if (found && !hits.has(found.sidecar)) {
        hits.add(found.sidecar);
        first ??= found;
      }
      // `X.MP~2.jpg`'s own JSON is the closer one; `X.MP.jpg`'s is only a fallback.
      if (first && !VIDEO_EXTS.has(lower)) break;
    }
    // `IMG_1.HEIC.json` and `IMG_1.JPG.json` both present: which photo is the partner is unknown.
    return hits.size > 1 ? AMBIGUOUS : first;
  }

  /**
   * `…_P(1).jpg` next to `…_P.jpg` at the 51 limit, without a JSON of its own: an edit whose
   * suffix was clipped away (R4.5). Only for `(1)`, only when the original is in the directory,
   * and not when the JSON name belongs to a series of counted collisions (issue #39: there a
   * missing `…_(185).json` is lost, not forgotten).
   */
  #forgottenDuplicate(counted: Hypothesis): Found {
    if (counted.counter !== 1 || !this.#present.has(foldKey(joinExt(counted.stem, counted.ext)))) return null;
    const original: Hypothesis = { ...counted, counter: null };
    for (const method of ['name', 'prefix', 'title'] as const) {
      const found = this.#find(original, method, 'forgotten-duplicate', true);
      if (found === AMBIGUOUS) return found;
      if (found) {
        const stems = this.#ix.prefixLengths.map((n) => foldKey(joinExt(counted.stem, counted.ext).slice(0, n)));
        return stems.some((s) => this.#ix.countedStems.has(s)) ? null : found;
      }
    }
    return null;
  }

  /**
   * Look one hypothesis up by one method. `rule` null means "name it after what matched".
   * `guarded`: a sidecar whose title is known must agree with the hypothesis.
   */
  #find(h: Hypothesis, method: Method, rule: MatchRule | null, guarded: boolean, originals: string[] = []): Found {
    const ix = this.#ix;
    const full = joinExt(h.stem, h.ext);
    switch (method) {
      case 'name':
        return this.#pick(ix.exact.get(key(foldKey(full), h.counter)), full, h, guarded, rule);
      case 'bare':
        if (!h.ext) return null;
        return this.#pick(ix.exact.get(key(foldKey(h.stem), h.counter)), h.stem, h, guarded, rule ?? 'no-extension');
      case 'title': {
        if (ix.titles.size === 0) return null;
        const r = rule ?? 'title';
        const found = this.#pick(ix.titles.get(key(looseTitle(full), h.counter)), full, h, guarded, r, true);
        if (found || !h.ext) return found;
        return this.#pick(ix.titles.get(key(looseTitle(h.stem), h.counter)), h.stem, h, guarded, r, true);
      }
      case 'prefix': {
        for (const n of ix.prefixLengths) {
          if (n >= full.length) continue;
          // Google keeps a surrogate pair whole, so a clip never ends on its first half.
          if (isHighSurrogate(full.charCodeAt(n - 1))) continue;
          const slice = full.slice(0, n);
          const entries = ix.prefix.get(key(foldKey(slice), h.counter));
          if (!entries) continue;
          const lowerSlice = slice.toLowerCase();
          if (originals.some((o) => o.startsWith(lowerSlice))) continue;
          const clip: MatchRule = n >= h.stem.length ? 'extension-clipped' : 'clipped';
          const found = this.#pick(entries, slice, h, guarded, rule ?? clip);
          if (found) return found;
        }
        if (!h.atLimit) return null;
        return this.#pick(ix.clippedMedia.get(key(foldKey(full), h.counter)), full, h, guarded, rule ?? 'clipped');
      }
    }
  }

  /** One sidecar out of the entries under a key: the title guard first, then the 2024+ naming
   * before the legacy one (NEO), then the exact case; two left over is ambiguous. */
  #pick(
    entries: Entry[] | undefined,
    looked: string,
    h: Hypothesis,
    guarded: boolean,
    rule: MatchRule | null,
    fromTitle = false,
  ): Found {
    if (!entries) return null;
    let candidates = guarded ? entries.filter((e) => this.#titleAgrees(e.sidecar, h)) : entries;
    if (candidates.length === 0) return null;
    if (new Set(candidates.map((e) => e.sidecar)).size > 1) {
      const best = Math.min(...candidates.map((e) => FORM_RANK[e.form]));
      candidates = candidates.filter((e) => FORM_RANK[e.form] === best);
      const sameCase = candidates.filter((e) => e.text === looked);
      if (sameCase.length > 0) candidates = sameCase;
      if (new Set(candidates.map((e) => e.sidecar)).size > 1) return AMBIGUOUS;
    }
    const e = candidates[0]!;
    const verified = fromTitle || (guarded && this.#ix.titleOf[e.sidecar] != null);
    const exactCase = fromTitle ? e.text === this.#name : e.text === looked;
    // `rule` null: a lookup by name, named after how the JSON is named.
    return { sidecar: e.sidecar, rule: rule ?? (e.form === 'legacy' ? 'exact' : 'supplemental'), verified, exactCase };
  }

  /** Could this sidecar's `title` have produced the hypothesis? Unknown titles agree. */
  #titleAgrees(sidecar: number, h: Hypothesis): boolean {
    const title = this.#ix.titleOf[sidecar];
    if (title == null) return true;
    const t = looseTitle(title);
    const stem = looseTitle(h.stem);
    if (t === looseTitle(joinExt(h.stem, h.ext)) || t === stem) return true;
    if (!h.atLimit || !t.startsWith(stem)) return false;
    const titleExt = splitExt(t).ext;
    return !h.ext || !titleExt || titleExt === h.ext.toLowerCase();
  }
}
