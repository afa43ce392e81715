import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { walk } from '../src/stages/walk.js';
import { sidecar } from '../src/stages/sidecar.js';
import { createFingerprintPool, fingerprint } from '../src/stages/fingerprint.js';
import { batch } from '../src/stages/batch.js';
import type { Item } from '../src/types.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  // 40 folders of 100 files: the library is 4,000 files, far more than any stage may hold.
  for (let d = 0; d < 40; d++) {
    const folder = join(dir, `Photos from ${1990 + d}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(Array.from({ length: 100 }, (_, i) => writeFile(join(folder, `IMG_${i}.jpg`), `file ${d}/${i}`)));
  }
});
afterAll(() => cleanup());

/** Runs walk → sidecar → fingerprint (pool) → batch → a slow sink over `dirs` folders, measuring what is in flight. */
async function measure(dirs: number) {
  let dirsRead = 0;
  let dirsTaken = 0;
  let itemsOut = 0;
  let itemsSunk = 0;
  let peakItems = 0;
  let peakDirs = 0;
  const source = walk({ roots: [dir] });
  const countDirs = new Transform({
    objectMode: true,
    highWaterMark: 1,
    transform(item: Item, _e, done) {
      if (item.type === 'dir') {
        dirsTaken++;
        if (dirsTaken > dirs) {
          source.stop();
          done();
          return;
        }
      }
      done(null, item);
    },
  });
  source.on('data', () => {
    dirsRead++;
    peakDirs = Math.max(peakDirs, dirsRead - dirsTaken);
  });
  const tap = new Transform({
    objectMode: true,
    highWaterMark: 1,
    transform(item: Item, _e, done) {
      if (item.type === 'media') {
        itemsOut++;
        peakItems = Math.max(peakItems, itemsOut - itemsSunk);
      }
      done(null, item);
    },
  });
  const slowSink = new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(chunk: Item[], _e, done) {
      itemsSunk += chunk.filter((i) => i.type === 'media').length;
      setTimeout(done, 3);
    },
  });
  const pool = createFingerprintPool(2);
  const heapBefore = process.memoryUsage().heapUsed;
  try {
    await pipeline(source, countDirs, sidecar({ roots: [dir] }), tap, fingerprint({ concurrency: 4, pool }), batch({ size: 10, flushMs: 1000 }), slowSink);
  } finally {
    await pool.terminate();
  }
  return { itemsSunk, peakItems, peakDirs, heapGrowth: process.memoryUsage().heapUsed - heapBefore };
}

describe('backpressure from a slow sink back to the walk', () => {
  it('keeps the items in flight bounded, whatever the size of the library', async () => {
    const small = await measure(10);
    const large = await measure(40);
    expect(small.itemsSunk).toBe(1000);
    expect(large.itemsSunk).toBe(4000);
    // In flight between the sidecar stage and the sink: stage buffers + 4 in the pool + a batch or
    // two. It is the same for 1,000 files as for 4,000: nothing queues up in proportion to the library.
    expect(large.peakItems).toBeLessThan(60);
    expect(large.peakItems).toBeLessThanOrEqual(small.peakItems + 5);
    // The walk reads at most a couple of directories ahead of the consumer.
    expect(large.peakDirs).toBeLessThanOrEqual(3);
    console.log(`in flight: ${small.peakItems} items (1,000 files), ${large.peakItems} items (4,000 files); heap growth ${(large.heapGrowth / 1e6).toFixed(1)} MB`);
  });
});
