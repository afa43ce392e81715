import type { FileHandle } from 'node:fs/promises';

/**
 * Cheap checks that a file is whole, done while it is read anyway for the CRC: a JPEG must reach
 * its end-of-image marker, and an ISO-BMFF file (MP4, MOV, HEIC, AVIF, 3GP) must not have a
 * top-level box that runs past the end of the file. A failed check is a problem row; the file
 * keeps its media row.
 */
export class JpegEndCheck {
  /** Offset of the first scan (SOS): the end marker is searched from there. */
  #scanStart = -1;
  #found = false;
  #lastByte = -1;
  /** The header segments did not fit in the first chunk: no verdict. */
  #unknown = false;

  /** Feed each chunk in order; `at` is its offset in the file. */
  feed(chunk: Buffer, at: number): void {
    if (this.#found || this.#unknown) return;
    if (at === 0) {
      this.#scanStart = findScanStart(chunk);
      if (this.#scanStart === -2) this.#unknown = true;
      if (this.#scanStart < 0) return;
    }
    if (this.#scanStart < 0) return;
    if (this.#lastByte === 0xff && chunk[0] === 0xd9 && at > this.#scanStart) {
      this.#found = true;
      return;
    }
    const from = Math.max(0, this.#scanStart - at);
    if (from < chunk.length && chunk.indexOf(EOI, from) !== -1) this.#found = true;
    this.#lastByte = chunk[chunk.length - 1] ?? -1;
  }

  problem(): string | null {
    if (this.#found || this.#unknown) return null;
    if (this.#scanStart === -1) return 'truncated JPEG: the file ends inside its header, before any image data';
    return 'truncated JPEG: the image data stops before the end-of-image marker (FFD9)';
  }
}

const EOI = Buffer.from([0xff, 0xd9]);

/** Walks the JPEG header segments by their lengths; -1 = file ends in the header, -2 = header longer than the chunk. */
function findScanStart(b: Buffer): number {
  let p = 2; // after SOI
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return -2; // not a marker where one must be: leave the verdict to ExifTool
    const m = b[p + 1]!;
    if (m === 0xff) {
      p++; // fill byte
      continue;
    }
    if (m === 0xda) return p;
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      p += 2;
      continue;
    }
    p += 2 + b.readUInt16BE(p + 2);
  }
  return p >= b.length ? -1 : -2;
}

const BMFF = /^(video\/(mp4|quicktime|3gpp|3gpp2|x-m4v)|image\/(heic|heif|avif|heic-sequence|heif-sequence)|audio\/mp4)$/;

export function isBmff(mime: string | null): boolean {
  return mime !== null && BMFF.test(mime);
}

/** Follows the top-level boxes by their sizes (a few 16-byte reads). */
export async function checkBmff(fh: FileHandle, size: number): Promise<string | null> {
  const head = Buffer.alloc(16);
  let offset = 0;
  for (let boxes = 0; offset < size && boxes < 100_000; boxes++) {
    const { bytesRead } = await fh.read(head, 0, 16, offset);
    if (bytesRead < 8) return `truncated: ${size - offset} stray bytes after the last box`;
    const size32 = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8).replace(/[^\x20-\x7e]/g, '?');
    let boxSize: number;
    if (size32 === 0) return null; // box extends to the end of the file
    if (size32 === 1) {
      if (bytesRead < 16) return `truncated: the '${type}' box header is cut off`;
      boxSize = Number(head.readBigUInt64BE(8));
    } else boxSize = size32;
    if (boxSize < 8) return `corrupt: the '${type}' box at offset ${offset} has an impossible size (${boxSize})`;
    if (offset + boxSize > size) {
      return `truncated: the '${type}' box runs ${offset + boxSize - size} bytes past the end of the file`;
    }
    offset += boxSize;
  }
  return null;
}
