/**
 * An EXIF (TIFF) block laid out by hand, every directory and value at an offset the test chooses:
 * for structures the automatic writer (tiff-writer.ts) cannot make, such as two directories at one
 * address. Offsets count from the block's start, as EXIF offsets do.
 */
export interface LaidEntry {
  tag: number;
  type: number;
  count: number;
  /** The value's 4 bytes in the entry, as given... */
  inline?: Buffer;
  /** ...or the offset of the value. */
  off?: number;
}

export class ExifLayout {
  readonly b: Buffer;
  #end = 8;

  constructor(readonly le: boolean, size = 4096) {
    this.b = Buffer.alloc(size);
    this.b.write(le ? 'II' : 'MM', 0, 'latin1');
    this.u16(42, 2);
    this.u32(8, 4);
  }

  u16(v: number, o: number): void {
    if (this.le) this.b.writeUInt16LE(v, o);
    else this.b.writeUInt16BE(v, o);
  }

  u32(v: number, o: number): void {
    if (this.le) this.b.writeUInt32LE(v, o);
    else this.b.writeUInt32BE(v, o);
  }

  /** The value of a LONG (or IFD) entry, in the block's byte order. */
  long(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v);
    else b.writeUInt32BE(v);
    return b;
  }

  put(bytes: Buffer, o: number): void {
    bytes.copy(this.b, o);
    this.#end = Math.max(this.#end, o + bytes.length);
  }

  text(s: string, o: number): void {
    this.put(Buffer.from(`${s}\0`, 'latin1'), o);
  }

  rationals(pairs: Array<[number, number]>, o: number): void {
    pairs.forEach(([n, d], i) => {
      this.u32(n, o + 8 * i);
      this.u32(d, o + 8 * i + 4);
    });
    this.#end = Math.max(this.#end, o + 8 * pairs.length);
  }

  ifd(o: number, entries: LaidEntry[], next = 0): void {
    this.u16(entries.length, o);
    entries.forEach((e, i) => {
      const p = o + 2 + 12 * i;
      this.u16(e.tag, p);
      this.u16(e.type, p + 2);
      this.u32(e.count, p + 4);
      if (e.inline) e.inline.copy(this.b, p + 8);
      else this.u32(e.off ?? 0, p + 8);
    });
    this.u32(next, o + 2 + 12 * entries.length);
    this.#end = Math.max(this.#end, o + 6 + 12 * entries.length);
  }

  bytes(): Buffer {
    return this.b.subarray(0, this.#end);
  }
}
