import through2 from 'through2';
import type { Transform } from 'node:stream';

export interface BatchOptions {
  /** Items per batch. */
  size: number;
  /** The longest an item waits in a partial batch. */
  flushMs: number;
}

/**
 * Groups items into arrays of `size`, or fewer when `flushMs` passes, so the sink writes in bulk
 * while a slow trickle of files still reaches the database within a second.
 */
export function batch(opts: BatchOptions): Transform {
  if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError(`batch.size must be an integer >= 1, got ${opts.size}`);
  let pending: unknown[] = [];
  let timer: NodeJS.Timeout | null = null;
  const stream: Transform = through2.obj(
    { highWaterMark: 1 },
    function (item: unknown, _enc, done) {
      pending.push(item);
      if (pending.length >= opts.size) {
        emit();
      } else if (!timer && opts.flushMs > 0) {
        timer = setTimeout(emit, opts.flushMs);
      }
      done();
    },
    function (done) {
      emit();
      done();
    },
  );
  function emit() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const out = pending;
    pending = [];
    stream.push(out);
  }
  stream.on('close', () => timer && clearTimeout(timer));
  return stream;
}
