/** JPEG segments for tests: EXIF and other APPn blocks put into an encoder's JPEG. */

export function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

export const exifSegment = (t: Buffer) => segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]));

/** Puts segments right after SOI (and after the encoder's JFIF APP0), or right after the frame header. */
export function jpegWith(base: Buffer, segments: Buffer[], afterFrame = false): Buffer {
  let p = 2;
  for (;;) {
    const m = base[p + 1]!;
    const len = base.readUInt16BE(p + 2);
    if (afterFrame ? m >= 0xc0 && m <= 0xc2 : m !== 0xe0) {
      if (afterFrame) p += 2 + len;
      break;
    }
    p += 2 + len;
  }
  return Buffer.concat([base.subarray(0, p), ...segments, base.subarray(p)]);
}
