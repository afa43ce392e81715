import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../src/db/key-filter.js';

const key = (i: number) => `/exports/Takeout\u0000Google Photos/Photos from ${2000 + (i % 25)}/IMG_${String(i).padStart(6, '0')}.jpg`;

describe('KeyFilter', () => {
  it('never says "certainly not" to a key it was given (100,000 keys)', () => {
    const f = new KeyFilter();
    for (let i = 0; i < 100_000; i++) f.add(key(i));
    for (let i = 0; i < 100_000; i++) if (!f.mayHave(key(i))) throw new Error(`lost ${key(i)}`);
  });

  it('says "maybe" to new keys about as rarely as a Bloom filter of its size should', () => {
    // 2^22 bits, 4 probes, 100,000 keys: (1 - e^(-4n/m))^4 = 6.9e-5, ~7 in 100,000 new keys
    const f = new KeyFilter();
    for (let i = 0; i < 100_000; i++) f.add(key(i));
    let maybe = 0;
    for (let i = 100_000; i < 200_000; i++) if (f.mayHave(key(i))) maybe++;
    expect(maybe).toBeLessThan(30);
    // and an empty filter says "certainly not" to everything
    const empty = new KeyFilter();
    expect([0, 1, 2, 99_999].some((i) => empty.mayHave(key(i)))).toBe(false);
  });

  it('refuses a size its bit arithmetic cannot address', () => {
    expect(() => new KeyFilter(2 ** 32)).toThrow(RangeError);
    expect(() => new KeyFilter(Number.NaN)).toThrow(RangeError);
  });

  it('tells keys apart that differ in one character, or only in the order of their parts', () => {
    const f = new KeyFilter(1 << 16);
    f.add('a\u0000b/c.jpg');
    expect(f.mayHave('a\u0000b/c.jpg')).toBe(true);
    expect(f.mayHave('a\u0000b/d.jpg')).toBe(false);
    expect(f.mayHave('b/c.jpg\u0000a')).toBe(false);
    expect(f.mayHave('é\u0000b/c.jpg')).toBe(false);
  });
});
