import { Transform, type TransformCallback } from 'node:stream';
import type { Item, TableRow } from '../types.js';

/**
 * Holds each `dirs` row back until every media item of its directory has gone past, so the row
 * that lets a rerun skip a directory is written in the same batch as its last file, or later —
 * never before. Killed in between, a rerun finds no signature and reads the directory again.
 * The sidecar stage emits the row after the directory's items; the stages between let rows
 * overtake items that are still being hashed or read by ExifTool, which is why this gate exists.
 */
export function dirGate(): Transform {
  const seen = new Map<string, number>();
  const held = new Map<string, TableRow>();
  const dirOf = (path: string) => {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
  };
  return new Transform({
    objectMode: true,
    highWaterMark: 1,
    transform(item: Item, _enc, done: TransformCallback) {
      if (item.type === 'media') {
        const dir = dirOf(item.path);
        const n = (seen.get(dir) ?? 0) + 1;
        const row = held.get(dir);
        this.push(item);
        if (row && n >= Number(row.row.files)) {
          held.delete(dir);
          seen.delete(dir);
          this.push(row);
        } else seen.set(dir, n);
        done();
        return;
      }
      if (item.type === 'row' && item.table === 'dirs') {
        const dir = String(item.row.dir);
        if ((seen.get(dir) ?? 0) >= Number(item.row.files)) {
          seen.delete(dir);
          done(null, item);
        } else {
          held.set(dir, item);
          done();
        }
        return;
      }
      done(null, item);
    },
    flush(done) {
      // Items that never arrived (the stream ended early): their directory stays unrecorded.
      done();
    },
  });
}
