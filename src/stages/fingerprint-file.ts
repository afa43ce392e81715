import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import type { RawTags } from './exif-fields.js';
import { readHeicTags } from './heic-exif.js';
import { readJpegTags } from './jpeg-exif.js';
import { JpegEndCheck, checkBmff, isBmff } from './structure.js';

export interface FileFingerprint {
  crc32: number;
  mime: string | null;
  bytes: number;
  /** A problem found while reading that does not stop the row (empty file, changed while read). */
  problem: string | null;
  /**
   * A whole, plain JPEG's tags as ExifTool would report them (jpeg-exif.ts), when asked for and
   * certain; null sends the file to ExifTool.
   */
  tags: RawTags | null;
}

const CHUNK = 1 << 20;
/** file-type needs at most a few KB of the head; a larger sample helps ID3-tagged and box formats. */
const SNIFF = 64 * 1024;
let spare: Buffer | null = null;

/**
 * CRC-32 of the whole file, streamed in 1 MB chunks through zlib.crc32, and the MIME type sniffed
 * from the first chunk. Runs in a pool worker (parallel mode) or on the main thread (sequential).
 * With `nativeExif`, a JPEG's or HEIC's tags are read from that first chunk too (jpeg-exif.ts,
 * heic-exif.ts).
 */
export async function fingerprintFile(abs: string, expectedSize?: number, nativeExif = false): Promise<FileFingerprint> {
  // One buffer per thread, reused; a second call while it is busy (sequential mode never does
  // this, workers run one task at a time) gets its own.
  const buf = spare ?? Buffer.allocUnsafe(CHUNK);
  spare = null;
  const fh = await open(abs, 'r');
  try {
    let crc = 0;
    let bytes = 0;
    let mime: string | null = null;
    let jpeg: JpegEndCheck | null = null;
    let tags: RawTags | null = null;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, bytes);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (bytes === 0) {
        mime = (await fileTypeFromBuffer(chunk.subarray(0, SNIFF)))?.mime ?? null;
        if (mime === 'image/jpeg') {
          jpeg = new JpegEndCheck();
          if (nativeExif) tags = readJpegTags(chunk);
        } else if (mime === 'image/heic' && nativeExif && expectedSize !== undefined) {
          // the boxes must end at the file's end: a size the read below confirms (else: a problem)
          tags = readHeicTags(chunk, expectedSize);
        }
      }
      jpeg?.feed(chunk, bytes);
      crc = crc32(chunk, crc);
      bytes += bytesRead;
    }
    let problem: string | null = null;
    if (bytes === 0) problem = 'empty file (0 bytes)';
    else if (expectedSize !== undefined && bytes !== expectedSize)
      problem = `file changed while it was read: ${expectedSize} bytes listed, ${bytes} read`;
    else if (jpeg) problem = jpeg.problem();
    else if (isBmff(mime)) problem = await checkBmff(fh, bytes);
    // A file with a problem goes to ExifTool, whose verdict (and error) the row should carry.
    return { crc32: crc >>> 0, mime, bytes, problem, tags: problem === null ? tags : null };
  } finally {
    spare = buf;
    await fh.close();
  }
}
