/**
 * A small TIFF/EXIF writer for tests: builds the EXIF structures the native readers must get
 * right (jpeg-exif.test.ts, heic-exif.test.ts), to be compared with ExifTool's answer.
 */
export const BYTE = 1, ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5, UNDEFINED = 7;
type Value = string | Buffer | number[] | Array<[number, number]>;
export interface Entry {
  tag: number;
  type: number;
  value: Value;
}
const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 };

function encode(e: Entry, le: boolean): { bytes: Buffer; count: number } {
  if (e.type === ASCII) {
    const b = Buffer.isBuffer(e.value) ? e.value : Buffer.from(`${e.value as string}\0`, 'latin1');
    return { bytes: b, count: b.length };
  }
  if (e.type === UNDEFINED || (e.type === BYTE && Buffer.isBuffer(e.value))) {
    const b = e.value as Buffer;
    return { bytes: b, count: b.length };
  }
  const vals = e.value as Array<number | [number, number]>;
  const b = Buffer.alloc(vals.length * SIZE[e.type]!);
  vals.forEach((v, i) => {
    const o = i * SIZE[e.type]!;
    if (e.type === BYTE) b[o] = v as number;
    else if (e.type === SHORT) le ? b.writeUInt16LE(v as number, o) : b.writeUInt16BE(v as number, o);
    else if (e.type === LONG) le ? b.writeUInt32LE(v as number, o) : b.writeUInt32BE(v as number, o);
    else {
      const [n, d] = v as [number, number];
      if (le) (b.writeUInt32LE(n, o), b.writeUInt32LE(d, o + 4));
      else (b.writeUInt32BE(n, o), b.writeUInt32BE(d, o + 4));
    }
  });
  return { bytes: b, count: vals.length };
}

/** Lays out IFDs one after another; `ptr(name)` entries get the offset of the named IFD. */
/** IFDs in the order given; each IFD's entries sorted by tag, as TIFF asks, unless `fileOrder`. */
export function tiff(le: boolean, ifds: Array<{ name: string; entries: Array<Entry | { tag: number; ptr: string }>; next?: string; fileOrder?: boolean }>): Buffer {
  const sizeOf = (entries: Array<Entry | { tag: number; ptr: string }>) =>
    2 + 12 * entries.length + 4 + entries.reduce((n, e) => n + ('ptr' in e ? 0 : pad(encode(e, le).bytes.length)), 0);
  const pad = (n: number) => (n <= 4 ? 0 : n + (n & 1));
  const at = new Map<string, number>();
  let off = 8;
  for (const ifd of ifds) {
    at.set(ifd.name, off);
    off += sizeOf(ifd.entries);
  }
  const out = Buffer.alloc(off);
  out.write(le ? 'II' : 'MM', 0, 'latin1');
  const w16 = (v: number, o: number) => (le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  w16(42, 2);
  w32(8, 4);
  for (const ifd of ifds) {
    const start = at.get(ifd.name)!;
    const sorted = ifd.fileOrder ? ifd.entries : [...ifd.entries].sort((a, b) => a.tag - b.tag);
    w16(sorted.length, start);
    let data = start + 2 + 12 * sorted.length + 4;
    sorted.forEach((e, i) => {
      const p = start + 2 + 12 * i;
      w16(e.tag, p);
      if ('ptr' in e) {
        w16(LONG, p + 2);
        w32(1, p + 4);
        w32(at.get(e.ptr)!, p + 8);
        return;
      }
      const { bytes, count } = encode(e, le);
      w16(e.type, p + 2);
      w32(count, p + 4);
      if (bytes.length <= 4) bytes.copy(out, p + 8);
      else {
        w32(data, p + 8);
        bytes.copy(out, data);
        data += pad(bytes.length);
      }
    });
    w32(ifd.next ? at.get(ifd.next)! : 0, start + 2 + 12 * sorted.length);
  }
  return out;
}
