import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashLabel, Prng, Weighted } from './prng.js';

const draws = (p: Prng, n: number) => Array.from({ length: n }, () => p.uint32());

describe('seeded PRNG', () => {
  it('gives the same sequence for the same keys', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (seed, item) => {
        const first = draws(new Prng(seed, 1, item), 8).join();
        const second = draws(new Prng(seed, 1, item), 8).join();
        return first === second;
      }),
    );
  });

  it('gives different sequences for neighbouring seeds, streams and items', () => {
    const base = draws(new Prng(1, 2, 3), 4).join();
    for (const other of [new Prng(2, 2, 3), new Prng(1, 3, 3), new Prng(1, 2, 4), new Prng(1 + 2 ** 32, 2, 3)]) {
      expect(draws(other, 4).join()).not.toBe(base);
    }
  });

  it('stays within bounds', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const p = new Prng(seed);
        for (let i = 0; i < 20; i++) {
          const x = p.next();
          const n = p.int(min, min + span);
          if (x < 0 || x >= 1 || n < min || n > min + span || !Number.isInteger(n)) return false;
        }
        return /^\d{7}$/.test(p.digits(7));
      }),
    );
  });

  it('spreads integers evenly', () => {
    const p = new Prng(42);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[p.int(0, 9)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('samples distinct items', () => {
    const p = new Prng(3);
    const s = p.sample(['a', 'b', 'c', 'd', 'e'], 3);
    expect(new Set(s).size).toBe(3);
  });

  it('picks weighted items in proportion and never picks a zero weight', () => {
    const w = new Weighted([
      ['a', 3],
      ['b', 1],
      ['never', 0],
    ] as const);
    const p = new Prng(9);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[w.pick(p)]++;
    expect(counts.never).toBe(0);
    expect(Math.abs(counts.a / 30_000 - 1)).toBeLessThan(0.03);
  });

  it('names streams by a stable label hash', () => {
    expect(hashLabel('enterprise.core')).toBe(hashLabel(['enterprise', 'core'].join('.')));
    expect(hashLabel('enterprise.core')).not.toBe(hashLabel('enterprise.cores'));
    expect(hashLabel('a')).not.toBe(hashLabel('b'));
    expect(hashLabel('')).toBe(0x811c9dc5);
  });
});
