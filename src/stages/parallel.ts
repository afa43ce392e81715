import { Transform, type TransformCallback } from 'node:stream';

export interface ParallelOptions<I, O> {
  /** Items being worked on at once; further writes wait (this is the stage's bounded queue). */
  concurrency: number;
  /** Work on one item. Items it does not accept pass through untouched. */
  accept: (item: unknown) => item is I;
  work: (item: I) => Promise<O>;
}

/**
 * An object-mode Transform that runs `work` on up to `concurrency` items at once and emits
 * results as they finish (unordered). The write callback is held while the limit is reached, so
 * upstream stops writing: backpressure reaches the walk instead of piling up in a queue here.
 */
export class ParallelTransform<I, O> extends Transform {
  readonly #limit: number;
  readonly #accept: (item: unknown) => item is I;
  readonly #work: (item: I) => Promise<O>;
  #inFlight = 0;
  #waiting: TransformCallback | null = null;
  #flushed: TransformCallback | null = null;

  constructor(opts: ParallelOptions<I, O>) {
    super({ objectMode: true, highWaterMark: Math.max(1, opts.concurrency) });
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${opts.concurrency}`);
    }
    this.#limit = opts.concurrency;
    this.#accept = opts.accept;
    this.#work = opts.work;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  override _transform(item: unknown, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.#accept(item)) {
      done(null, item);
      return;
    }
    this.#inFlight++;
    this.#work(item).then(
      (out) => {
        this.#inFlight--;
        if (!this.destroyed) this.push(out);
        this.#release();
      },
      (err: unknown) => {
        this.#inFlight--;
        this.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    if (this.#inFlight < this.#limit) done();
    else this.#waiting = done;
  }

  override _flush(done: TransformCallback): void {
    if (this.#inFlight === 0) done();
    else this.#flushed = done;
  }

  #release(): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
    if (this.#inFlight === 0 && this.#flushed) {
      const flushed = this.#flushed;
      this.#flushed = null;
      flushed();
    }
  }
}
