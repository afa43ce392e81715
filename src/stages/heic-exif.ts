/**
 * A HEIC's tags, read in-process from the first chunk the fingerprint pass holds, as ExifTool's
 * `-json -n` would give them for the default tag list (Warning aside, which is not stored); null
 * (with a reason) whenever only ExifTool can say. iPhones write HEIC; ExifTool needs ~25 ms of perl CPU for one, this ~0.05 ms.
 *
 * Taken only in the plain shape phones write: `ftyp` (major brand heic), one `meta`, then `mdat`,
 * ending exactly at the file's end; in `meta` the handler `pict`, a primary item, items of image
 * types (hvc1, grid, iden, iovl, tmap), at most one `Exif` and one XMP item, stored in the file
 * (not in `idat`) within the chunk read, each listed once, describing (cdsc) the primary item or
 * nothing, the Exif item first, the XMP harmless by jpeg-exif.ts's rule. Item properties of known
 * harmless types only (an ICC colr without a 'meta' dictionary). No box of size 0, no other item,
 * no `moov` (motion photos), nothing else at the top level or in `meta`.
 *
 * What ExifTool reports then (QuickTime.pm, HandleItemInfo and the item properties after it):
 * - the EXIF item's tags, read like a JPEG's EXIF (jpeg-exif.ts) except that IFD1 does not rank
 *   below IFD0 here, so a listed tag in IFD1 defers;
 * - ImageWidth/ImageHeight from the `ispe` properties of the main document (associated with the
 *   primary item, or with no item), met after the EXIF item, so they win over IFD0's; exactly one
 *   such `ispe` (with several, the last wins);
 * - MIMEType image/heic.
 * test/heic-exif.test.ts holds every answer against ExifTool's, on generated HEICs and the corpus.
 */
import type { RawTags } from './exif-fields.js';
import { harmlessIcc, harmlessXmp, orWhy, outranked, readExif, unsure } from './jpeg-exif.js';

/** ExifTool picks its reader by content, but `.heic` is the name HEIC files carry. */
export const HEIC_EXTENSIONS = /\.heic$/i;

const IMAGE_ITEMS = new Set(['hvc1', 'grid', 'iden', 'iovl', 'tmap']);
/** Item properties whose QuickTime.pm tags name nothing of the list (colr: see harmlessColr). */
const HARMLESS_PROPERTIES = new Set(['ispe', 'hvcC', 'pixi', 'irot', 'imir', 'clap', 'auxC', 'colr', 'pasp', 'rloc', 'lsel']);
const META_CHILDREN = new Set(['hdlr', 'dinf', 'pitm', 'iinf', 'iloc', 'iref', 'iprp', 'idat']);

interface Box {
  type: string;
  /** First byte of the content (after the header). */
  start: number;
  end: number;
}

/** The boxes in [from, to) of `b`; their headers must lie in `b` (the chunk read). */
function boxes(b: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let p = from;
  while (p < to) {
    if (p + 8 > b.length || p + 8 > to) unsure('a box header past the chunk read');
    let size = b.readUInt32BE(p);
    let header = 8;
    if (size === 1) {
      if (p + 16 > b.length) unsure('a box header past the chunk read');
      const big = b.readBigUInt64BE(p + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) unsure('a box larger than 2^53');
      size = Number(big);
      header = 16;
    } else if (size === 0) {
      unsure('a box of size 0 (to the end), which ExifTool does not read'); // QuickTime.pm stops there
    }
    if (size < header || p + size > to) unsure('a box that runs past its parent');
    out.push({ type: b.toString('latin1', p + 4, p + 8), start: p + header, end: p + size });
    p += size;
  }
  return out;
}

const inChunk = (b: Buffer, box: Box) => {
  if (box.end > b.length) unsure(`the ${box.type} box runs past the chunk read`);
  return box;
};

/** The tags ExifTool would report for this HEIC, or why only ExifTool can say. */
export function explainHeicTags(head: Buffer, fileSize: number): RawTags | string {
  return orWhy(() => read(head, fileSize));
}

export function readHeicTags(head: Buffer, fileSize: number): RawTags | null {
  const r = explainHeicTags(head, fileSize);
  return typeof r === 'string' ? null : r;
}

function read(b: Buffer, fileSize: number): RawTags {
  const top = boxes(b, 0, fileSize);
  if (top[0]?.type !== 'ftyp' || b.toString('latin1', top[0].start, top[0].start + 4) !== 'heic') unsure('not a HEIC (ftyp major brand heic)');
  const metas = top.filter((x) => x.type === 'meta');
  if (metas.length !== 1) unsure('not exactly one meta box');
  for (const x of top.slice(1)) if (x.type !== 'meta' && x.type !== 'mdat') unsure(`a top-level ${x.type} box`);
  const meta = inChunk(b, metas[0]!);
  if (b.readUInt32BE(meta.start) !== 0) unsure('a meta box of another version');
  const children = boxes(b, meta.start + 4, meta.end);
  const one = (type: string): Box | null => {
    const found = children.filter((x) => x.type === type);
    if (found.length > 1) unsure(`more than one ${type} box`);
    return found[0] ?? null;
  };
  for (const c of children) if (!META_CHILDREN.has(c.type)) unsure(`a ${c.type} box in meta`);
  const hdlr = one('hdlr');
  if (!hdlr || b.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'pict') unsure('a meta handler other than pict');

  const pitm = one('pitm');
  if (!pitm) unsure('no primary item');
  const primary = b[pitm!.start] === 0 ? b.readUInt16BE(pitm!.start + 4) : b.readUInt32BE(pitm!.start + 4);

  // items
  const iinf = one('iinf');
  if (!iinf) unsure('no item list');
  const types = new Map<number, string>();
  const iinfV = b[iinf!.start]!;
  const count = iinfV === 0 ? b.readUInt16BE(iinf!.start + 4) : b.readUInt32BE(iinf!.start + 4);
  const infes = boxes(b, iinf!.start + (iinfV === 0 ? 6 : 8), iinf!.end);
  if (infes.length !== count || infes.some((x) => x.type !== 'infe')) unsure('an item list that does not add up');
  for (const x of infes) {
    const v = b[x.start]!;
    if (v !== 2 && v !== 3) unsure('an item entry of version 0 or 1');
    const id = v === 2 ? b.readUInt16BE(x.start + 4) : b.readUInt32BE(x.start + 4);
    const at = x.start + (v === 2 ? 6 : 8);
    if (b.readUInt16BE(at) !== 0) unsure('a protected item');
    let type = b.toString('latin1', at + 2, at + 6);
    if (type === 'mime') {
      // item_name, content_type, content_encoding: NUL-terminated strings
      const strings = b.toString('latin1', at + 6, x.end).split('\0');
      if (strings[1] !== 'application/rdf+xml' || (strings[2] ?? '') !== '') unsure(`an item of type ${JSON.stringify(strings[1] ?? 'mime')}`);
      type = 'XMP';
    } else if (type !== 'Exif' && !IMAGE_ITEMS.has(type)) {
      unsure(`an item of type ${JSON.stringify(type)}`);
    }
    if (types.has(id)) unsure('an item listed twice');
    types.set(id, type);
  }
  if (types.get(primary) === undefined || types.get(primary) === 'Exif') unsure('a primary item that is not an image');
  const exifIds = [...types].filter(([, t]) => t === 'Exif').map(([id]) => id);
  const xmpIds = [...types].filter(([, t]) => t === 'XMP').map(([id]) => id);
  if (exifIds.length > 1 || xmpIds.length > 1) unsure('more than one Exif or XMP item');

  // each item's references, as "type to-id" (cdsc: "describes")
  const refs = new Map<number, Set<string>>();
  const iref = one('iref');
  if (iref) {
    const v = b[iref.start]!;
    const w = v === 0 ? 2 : 4;
    const id = (o: number) => (w === 2 ? b.readUInt16BE(o) : b.readUInt32BE(o));
    for (const r of boxes(b, iref.start + 4, iref.end)) {
      const from = id(r.start);
      const n = b.readUInt16BE(r.start + w);
      if (r.start + w + 2 + n * w > r.end) unsure('an item reference that runs past its box');
      const set = refs.get(from) ?? new Set<string>();
      for (let i = 0; i < n; i++) set.add(`${r.type} ${id(r.start + w + 2 + i * w)}`);
      refs.set(from, set);
    }
  }

  const tags: RawTags = { MIMEType: 'image/heic' };
  // an Exif or XMP item describing another item (a thumbnail) is a sub-document to ExifTool
  // (only cdsc describes: an Exif item that describes nothing or the primary item only)
  for (const id of [...exifIds, ...xmpIds]) {
    const mine = refs.get(id);
    if (mine && (mine.size !== 1 || !mine.has(`cdsc ${primary}`))) unsure('a metadata item with references other than cdsc to the primary item');
  }
  // ExifTool reads items in id order: XMP first would set Orientation (priority 0) before EXIF
  if (exifIds.length && xmpIds.length && xmpIds[0]! < exifIds[0]!) unsure('an XMP item before the Exif item');
  const exifId = exifIds[0];
  if (exifId !== undefined) {
    const { data, at } = itemPlace(b, one('iloc'), exifId);
    // 4 bytes: where the TIFF header starts after them (QuickTime.pm: 4 + N, usually past "Exif\0\0")
    if (data.length < 12 || /^(MM\0\x2a|II\x2a\0|Exif\0\0)/.test(data.toString('latin1', 0, 6))) unsure('an Exif item without its header size');
    const start = 4 + data.readUInt32BE(0);
    if (start + 8 > data.length) unsure('an Exif item header size past its data');
    // ExifTool remembers the boxes it read and the Exif item itself (at twice the TIFF header's
    // file position F): a directory at offset F of the TIFF block it would skip, and one at a box's
    // address could only be if the item lay before the boxes end; in mdat it does not
    if (at === null || at < meta.end) unsure('an Exif item in pieces, or before the end of the meta box');
    readExif(data.subarray(start), tags, { sizeLater: true, ifd1Low: false }, [at! + start]);
  }
  const xmpId = xmpIds[0];
  // XMP naming listed tags at priority 0 only (iPhones repeat the EXIF dates there): outranked below
  const needs = xmpId === undefined ? new Set<string>() : harmlessXmp(itemData(b, one('iloc'), xmpId));

  // ispe properties associated with the primary item
  const iprp = one('iprp');
  if (!iprp) unsure('no item properties');
  const parts = boxes(b, iprp!.start, iprp!.end);
  const ipco = parts.filter((x) => x.type === 'ipco');
  const ipma = parts.filter((x) => x.type === 'ipma');
  if (ipco.length !== 1 || ipma.length !== 1 || parts.length !== 2) unsure('item properties of an unexpected shape');
  const props = boxes(b, ipco[0]!.start, ipco[0]!.end);
  for (const x of props) {
    if (!HARMLESS_PROPERTIES.has(x.type)) unsure(`an item property ${JSON.stringify(x.type)}`);
    if (x.type === 'colr') harmlessColr(b.subarray(x.start, x.end));
  }
  const assoc = associations(b, ipma[0]!);
  const used = new Set([...assoc.values()].flat());
  if ([...used].some((i) => i > props.length)) unsure('an association with no property');
  // main-document sizes: those of the primary item, and those no item claims (QuickTime.pm)
  const mine = new Set(assoc.get(primary) ?? []);
  const sizes = props.filter((x, i) => x.type === 'ispe' && (mine.has(i + 1) || !used.has(i + 1)));
  if (sizes.length !== 1) unsure(`${sizes.length} image sizes (ispe) for the primary item`);
  const ispe = sizes[0]!;
  if (ispe.end - ispe.start < 12 || b.readUInt32BE(ispe.start) !== 0) unsure('an ispe of another version');
  tags.ImageWidth = b.readUInt32BE(ispe.start + 4);
  tags.ImageHeight = b.readUInt32BE(ispe.start + 8);
  outranked(needs, tags);
  return tags;
}

/** item id -> property indexes (1-based), from an ipma box. */
function associations(b: Buffer, ipma: Box): Map<number, number[]> {
  const v = b[ipma.start]!;
  const wide = (b[ipma.start + 3]! & 1) === 1;
  let p = ipma.start + 4;
  const n = b.readUInt32BE(p);
  p += 4;
  const out = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const id = v < 1 ? b.readUInt16BE(p) : b.readUInt32BE(p);
    p += v < 1 ? 2 : 4;
    const k = b[p]!;
    p += 1;
    const list: number[] = [];
    for (let j = 0; j < k; j++) {
      list.push(wide ? b.readUInt16BE(p) & 0x7fff : b[p]! & 0x7f);
      p += wide ? 2 : 1;
    }
    if (p > ipma.end) unsure('an ipma box that runs past its end');
    if (out.has(id)) unsure('an item with two association entries');
    out.set(id, list);
  }
  return out;
}

/** An item's bytes, located by iloc in the file and within the chunk read. */
function itemData(b: Buffer, iloc: Box | null, id: number): Buffer {
  return itemPlace(b, iloc, id).data;
}

/** An item's bytes, and where they start in the file when they are in one piece (else null). */
function itemPlace(b: Buffer, iloc: Box | null, id: number): { data: Buffer; at: number | null } {
  if (!iloc) unsure('no item locations');
  const v = b[iloc!.start]!;
  if (v > 2) unsure('an iloc of an unknown version');
  let p = iloc!.start + 4;
  const offSize = b[p]! >> 4;
  const lenSize = b[p]! & 15;
  const baseSize = b[p + 1]! >> 4;
  const idxSize = v >= 1 ? b[p + 1]! & 15 : 0;
  p += 2;
  const uint = (size: number): number => {
    let x = 0;
    for (let i = 0; i < size; i++) x = x * 256 + b[p + i]!;
    p += size;
    if (p > iloc!.end) unsure('an iloc box that runs past its end');
    return x;
  };
  for (const s of [offSize, lenSize, baseSize, idxSize]) if (![0, 4, 8].includes(s)) unsure('an iloc with odd field sizes');
  if (offSize === 0 || lenSize === 0) unsure('an iloc without offsets or lengths');
  const n = uint(v < 2 ? 2 : 4);
  let found: { data: Buffer; at: number | null } | null = null;
  for (let i = 0; i < n; i++) {
    const item = uint(v < 2 ? 2 : 4);
    const method = v >= 1 ? uint(2) & 15 : 0;
    const dataRef = uint(2);
    const base = uint(baseSize);
    const extents = uint(2);
    if (extents * (offSize + lenSize + idxSize) > iloc!.end - p) unsure('an iloc that runs past its end');
    const pieces: Buffer[] = [];
    let first = -1;
    for (let e = 0; e < extents; e++) {
      uint(idxSize);
      const off = uint(offSize);
      const len = uint(lenSize);
      if (item !== id) continue;
      if (method !== 0 || dataRef !== 0) unsure('a metadata item stored in idat or another file');
      if (base + off + len > b.length || len === 0) unsure('a metadata item past the chunk read (some phones write it at the end)');
      if (first === -1) first = base + off;
      pieces.push(b.subarray(base + off, base + off + len));
    }
    if (item !== id) continue;
    // ExifTool keeps the last location listed for an item: two are left to it
    if (found) unsure('a metadata item located twice');
    if (extents === 0) unsure('a metadata item with no data');
    found = { data: Buffer.concat(pieces), at: pieces.length === 1 ? first : null };
  }
  return found ?? unsure('no location for a metadata item');
}

/** A colr property: nclx (numbers) is harmless; an ICC profile is, unless it has a 'meta' dictionary. */
function harmlessColr(c: Buffer): void {
  const kind = c.toString('latin1', 0, 4);
  if (kind === 'nclx') return;
  if (kind === 'prof' || kind === 'rICC') return harmlessIcc(c.subarray(4));
  unsure(`a colr property of type ${JSON.stringify(kind)}`);
}
