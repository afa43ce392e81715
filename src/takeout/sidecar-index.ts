/**
 * One directory's sidecars, indexed once by every title they can stand for (RULES.md R12), so
 * that matching a media file is a handful of map lookups instead of a loop over the sidecars.
 */
import {
  JSON_CLIP,
  MEDIA_CLIP,
  clipUnits,
  foldKey,
  looseTitle,
  mediaNameForTitle,
  nfc,
  splitCounter,
  splitExt,
  stripSupplemental,
} from './names.js';
import type { SidecarName } from './match.js';

/** How the JSON is named: `x.jpg.json`, `x.jpg.supplemental-metadata.json`, or a clipped suffix. */
export type SidecarForm = 'legacy' | 'supplemental' | 'supplemental-clipped';

export interface Entry {
  sidecar: number;
  form: SidecarForm;
  /** The title text this entry was indexed under, as written (NFC), for tie-breaking on case. */
  text: string;
}

/** Map key of a title and a counter; most names have no counter, so that key is the text itself. */
export const key = (text: string, counter: number | null): string =>
  counter === null ? text : `${text}\u0000${counter}`;

function add(map: Map<string, Entry[]>, k: string, entry: Entry): void {
  const list = map.get(k);
  if (!list) map.set(k, [entry]);
  else if (!list.some((e) => e.sidecar === entry.sidecar)) list.push(entry);
}

function formOf(jsonStem: string): SidecarForm {
  if (stripSupplemental(jsonStem) === null) return 'legacy';
  return /\.supplemental-metadata$/i.test(jsonStem) ? 'supplemental' : 'supplemental-clipped';
}

export class SidecarIndex {
  /** Complete titles read off JSON names, keyed by `foldKey(title)` and counter. */
  readonly exact = new Map<string, Entry[]>();
  /** JSON stems long enough to be clipped titles: any title that starts with them. */
  readonly prefix = new Map<string, Entry[]>();
  /** The distinct lengths in `prefix`, longest first: the only slices worth looking up. */
  readonly prefixLengths: number[];
  /** Media names Google would write for complete titles longer than its limit. */
  readonly clippedMedia = new Map<string, Entry[]>();
  /** JSON `title` fields, as media names and bare stems, keyed by `looseTitle` and counter. */
  readonly titles = new Map<string, Entry[]>();
  /** Prefix-mode stems (folded) that carry a counter in some JSON name: a series of collisions. */
  readonly countedStems = new Set<string>();
  /** The parsed title of each sidecar, when the caller read it. */
  readonly titleOf: (string | null)[];

  constructor(sidecars: readonly SidecarName[]) {
    const lengths = new Set<number>();
    this.titleOf = sidecars.map(() => null);
    sidecars.forEach((sidecar, i) => {
      const name = nfc(sidecar.name);
      if (!/\.json$/i.test(name) || name.length === 5) return;
      const stem = name.slice(0, -5);
      const { base, counter } = splitCounter(stem);
      if (counter === null) {
        this.#addName(i, stem, null, stem.length >= JSON_CLIP, lengths);
      } else {
        this.#addName(i, base, counter, base.length >= JSON_CLIP, lengths);
        if (base.length >= JSON_CLIP) this.countedStems.add(foldKey(base));
        // "(n)" belongs to the title (R4.4); only a stem that was not itself clipped can end so.
        this.#addName(i, stem, null, base.length < JSON_CLIP && stem.length >= JSON_CLIP, lengths);
      }
      if (typeof sidecar.title === 'string' && sidecar.title.trim() !== '') {
        this.#addTitle(i, sidecar.title, stem, counter, formOf(counter === null ? stem : base));
      }
    });
    this.prefixLengths = [...lengths].sort((a, b) => b - a);
  }

  #addName(i: number, text: string, counter: number | null, prefixOk: boolean, lengths: Set<number>): void {
    add(this.exact, key(foldKey(text), counter), { sidecar: i, form: 'legacy', text });
    this.#addClippedMedia(i, text, counter, 'legacy');
    if (prefixOk) {
      add(this.prefix, key(foldKey(text), counter), { sidecar: i, form: 'legacy', text });
      lengths.add(text.length);
    }
    const title = stripSupplemental(text);
    if (!title) return;
    const form = formOf(text);
    add(this.exact, key(foldKey(title), counter), { sidecar: i, form, text: title });
    this.#addClippedMedia(i, title, counter, form);
    // `IMG_2367.HEIC(1).supplemental-metadata.json`: counter before the suffix (NEO tests only).
    const inner = counter === null ? splitCounter(title) : null;
    if (inner?.counter != null) {
      add(this.exact, key(foldKey(inner.base), inner.counter), { sidecar: i, form, text: inner.base });
    }
  }

  /** Newer exports sometimes leave a long title unclipped in the JSON name (R2.4), while the
   * media name is still clipped at 51. */
  #addClippedMedia(i: number, title: string, counter: number | null, form: SidecarForm): void {
    if (title.length <= MEDIA_CLIP) return;
    const media = mediaNameForTitle(title);
    if (media !== title) add(this.clippedMedia, key(foldKey(media), counter), { sidecar: i, form, text: media });
  }

  #addTitle(i: number, raw: string, jsonStem: string, counter: number | null, form: SidecarForm): void {
    let title = nfc(raw);
    // immich-go #390: a title that repeats the sidecar's own `.json`.
    if (/\.json$/i.test(title) && splitExt(title.slice(0, -5)).ext) title = title.slice(0, -5);
    this.titleOf[i] = title;
    const loose = looseTitle(title);
    // `Scan (3).json` titled `Scan (3)`: the "(n)" is the title's, not a counter.
    const titleCounter = counter !== null && !loose.startsWith(looseTitle(jsonStem)) ? counter : null;
    const entry: Entry = { sidecar: i, form, text: title };
    add(this.titles, key(loose, titleCounter), entry);
    add(this.titles, key(looseTitle(mediaNameForTitle(title)), titleCounter), entry);
    // A title without extension gets one on the media file, and its stem is clipped to make room
    // for it; the extension is unknown, so cover 1 to 5 letters.
    if (!splitExt(title).ext) {
      for (let extLength = 1; extLength <= 5; extLength++) {
        add(this.titles, key(looseTitle(clipUnits(title, 50 - extLength)), titleCounter), entry);
      }
    }
  }
}
