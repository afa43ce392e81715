import { describe, it, expect } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ParallelTransform } from '../src/stages/parallel.js';
import { batch } from '../src/stages/batch.js';
import { collect } from './helpers.js';

const isNum = (x: unknown): x is number => typeof x === 'number';

describe('ParallelTransform', () => {
  it.each([1, 3, 8])('never runs more than %i at once, and every item comes out', async (limit) => {
    let running = 0;
    let peak = 0;
    const t = new ParallelTransform<number, number>({
      concurrency: limit,
      accept: isNum,
      work: async (n) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(n % 3);
        running--;
        return n * 2;
      },
    });
    const out = await collect<number | string>(Readable.from([...Array.from({ length: 50 }, (_, i) => i), 'pass']).pipe(t));
    expect(peak).toBeLessThanOrEqual(limit);
    expect(peak).toBe(limit);
    expect(out.filter(isNum).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(out).toContain('pass');
  });

  it('fails the stream when work throws', async () => {
    const t = new ParallelTransform<number, number>({ concurrency: 2, accept: isNum, work: async () => { throw new Error('boom'); } });
    await expect(collect(Readable.from([1, 2]).pipe(t))).rejects.toThrow('boom');
  });

  it('rejects a bad concurrency at construction', () => {
    expect(() => new ParallelTransform({ concurrency: 0, accept: isNum, work: async (n) => n })).toThrow(/concurrency/);
  });
});

describe('batch', () => {
  it('groups by count, then flushes the rest at the end', async () => {
    const out = await collect<number[]>(Readable.from(Array.from({ length: 7 }, (_, i) => i)).pipe(batch({ size: 3, flushMs: 10_000 })));
    expect(out).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('flushes a partial batch after flushMs while the source is idle', async () => {
    const source = new Readable({ objectMode: true, read() {} });
    const b = source.pipe(batch({ size: 100, flushMs: 30 }));
    const seen: number[][] = [];
    b.on('data', (x: number[]) => seen.push(x));
    source.push(1);
    source.push(2);
    await sleep(120);
    expect(seen).toEqual([[1, 2]]);
    source.push(3);
    source.push(null);
    await new Promise((r) => b.on('end', r));
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('holds back its writer while the sink is slow', async () => {
    let produced = 0;
    let consumed = 0;
    let peak = 0;
    const source = Readable.from((function* () {
      for (let i = 0; i < 400; i++) {
        produced++;
        peak = Math.max(peak, produced - consumed);
        yield i;
      }
    })());
    const sink = new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(chunk: number[], _e, done) {
        consumed += chunk.length;
        setTimeout(done, 2);
      },
    });
    await pipeline(source, batch({ size: 10, flushMs: 1000 }), sink);
    expect(consumed).toBe(400);
    // source buffer + batch in/out buffers + one batch in the sink: a few batches, never the whole input
    expect(peak).toBeLessThan(80);
  });
});
