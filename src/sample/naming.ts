/**
 * How Google Takeout names media files and their JSON sidecars (../shared/takeout/RULES.md,
 * section 0), used by the sample generators to write names the way a real export does:
 *
 *   media file  = clip(title_stem, 51 − len("." + ext)) [+ "(n)"] + "." + ext
 *   legacy json = clip(title, 46)                            [+ "(n)"] + ".json"
 *   2024+ json  = clip(title + ".supplemental-metadata", 46) [+ "(n)"] + ".json"
 *
 * Lengths are UTF-16 code units, as Google (and JavaScript) count them.
 */

export type SidecarForm = 'legacy' | 'supplemental';

/** What a sidecar's name looks like, for manifests: which rule a matcher needs to find it. */
export type SidecarNaming =
  | 'legacy' //                 IMG.jpg.json
  | 'legacy-clipped' //         title clipped to 46 units: Screenshot_…_com.whatsap.json
  | 'supplemental' //           IMG.jpg.supplemental-metadata.json
  | 'supplemental-clipped' //   IMG_….jpg.supplemental-me.json, or the suffix gone entirely
  | 'counter' //                IMG(1).jpg ↔ IMG.jpg(1).json / IMG.jpg.supplemental-metadata(1).json
  | 'edited' //                 X-edited.jpg shares X.jpg.json
  | 'live-photo'; //            IMG_0420.MP4 shares IMG_0420.JPG.json

export const SIDECAR_STEM_MAX = 46;
export const MEDIA_NAME_MAX = 51;
const SUPPLEMENTAL = '.supplemental-metadata';

/** The first `max` UTF-16 units of `s`, without leaving half of a surrogate pair at the end. */
export function clipUtf16(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

export function splitExt(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? { stem: name, ext: '' } : { stem: name.slice(0, dot), ext: name.slice(dot + 1) };
}

/** The file name Google gives the media whose original upload name is `title`. */
export function mediaName(title: string, counter = 0): string {
  const { stem, ext } = splitExt(title);
  const room = ext ? MEDIA_NAME_MAX - ext.length - 1 : MEDIA_NAME_MAX;
  return clipUtf16(stem, room) + counterText(counter) + (ext ? `.${ext}` : '');
}

/** The file name of the sidecar of `title`, in the legacy or the 2024+ form. */
export function sidecarName(title: string, form: SidecarForm, counter = 0): string {
  const full = form === 'supplemental' ? title + SUPPLEMENTAL : title;
  return clipUtf16(full, SIDECAR_STEM_MAX) + counterText(counter) + '.json';
}

/** How a sidecar name for `title` will look, for the manifest. */
export function namingOf(title: string, form: SidecarForm, counter = 0): SidecarNaming {
  if (counter > 0) return 'counter';
  const full = form === 'supplemental' ? title + SUPPLEMENTAL : title;
  if (full.length <= SIDECAR_STEM_MAX) return form;
  return form === 'supplemental' ? 'supplemental-clipped' : 'legacy-clipped';
}

function counterText(counter: number): string {
  return counter > 0 ? `(${counter})` : '';
}

const MONTHS: Record<string, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  pl: ['sty', 'lut', 'mar', 'kwi', 'maj', 'cze', 'lip', 'sie', 'wrz', 'paź', 'lis', 'gru'],
};

export type TakeoutLocale = 'en' | 'en-GB' | 'fr' | 'de' | 'pl';

/**
 * The localized `formatted` text of a Takeout time block, e.g. `Aug 3, 2019, 3:45:12 PM UTC`.
 * Written by hand rather than with Intl so that the bytes do not change with Node's ICU data.
 */
export function formatTakeoutTime(at: Date, locale: TakeoutLocale): string {
  const d = at.getUTCDate();
  const mo = at.getUTCMonth();
  const y = at.getUTCFullYear();
  const H = at.getUTCHours();
  const hms = `${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  switch (locale) {
    case 'en': {
      const h12 = H % 12 === 0 ? 12 : H % 12;
      return `${MONTHS.en![mo]} ${d}, ${y}, ${h12}:${hms} ${H < 12 ? 'AM' : 'PM'} UTC`;
    }
    case 'en-GB':
      return `${d} ${MONTHS.en![mo]} ${y}, ${pad(H)}:${hms} UTC`;
    case 'fr':
      return `${d} ${MONTHS.fr![mo]} ${y}, ${pad(H)}:${hms} UTC`;
    case 'pl':
      return `${d} ${MONTHS.pl![mo]} ${y}, ${pad(H)}:${hms} UTC`;
    case 'de':
      return `${pad(d)}.${pad(mo + 1)}.${y}, ${pad(H)}:${hms} UTC`;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
