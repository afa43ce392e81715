/**
 * A Bloom filter of the keys a run has inserted into a table: "certainly not written yet" or
 * "maybe". The writer asks it before inserting a batch into a table that was empty when it opened
 * (see DuckDbWriter): a key it has certainly not written needs no DELETE; on a "maybe" the writer
 * asks the database. So it never decides a row's fate alone, and a false "maybe" costs one query.
 *
 * Its size is fixed (`bits`, 2^22 = 512 KiB by default), so it does not grow with the library.
 * At 100,000 keys a new key is a false "maybe" about once in 15,000 (a batch of 5,000 new keys
 * about 3 times in 10), at 1,000,000 about once in 7 (every batch then asks the database, which
 * costs what a rescan's DELETE costs: a scan of the table's keys). A primary-key index did this
 * job before, holding ~450 bytes of memory a file (BENCHMARKS.md, tuning log).
 */
const PROBES = 4;

export class KeyFilter {
  readonly #words: Uint32Array;
  readonly #mask: number;

  /** `bits` is rounded up to a power of two, at least 32 and at most 2^31. */
  constructor(bits = 1 << 22) {
    if (!(bits <= 2 ** 31)) throw new RangeError(`a KeyFilter holds at most 2^31 bits, not ${bits}`);
    let n = 32;
    while (n < bits) n *= 2;
    this.#words = new Uint32Array(n / 32);
    this.#mask = n - 1;
  }

  /** false: `key` was certainly never added; true: it may have been. */
  mayHave(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}

/**
 * Two 32-bit hashes of the UTF-16 code units (FNV-1a, and a multiply-rotate mix with another
 * seed), for double hashing; the second is made odd so that the probes differ.
 */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, (b | 1) >>> 0];
}
