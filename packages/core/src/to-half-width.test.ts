import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHalfWidth } from './to-half-width.js';

describe('full-width to half-width', () => {
  describe.each([
    ['１２３ＡＢＣｘ', '123ABCx'],
    ['＋８６\u3000１３８', '+86 138'],
    ['北京市（海淀区）', '北京市(海淀区)'],
    ['already ascii', 'already ascii'],
  ])('of %j', (raw, half) => {
    it(`gives ${half}`, () => {
      expect(toHalfWidth(raw)).toBe(half);
    });
  });

  it('leaves no full-width ASCII variant behind and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const h = toHalfWidth(s);
        return !/[\uFF01-\uFF5E\u3000]/.test(h) && toHalfWidth(h) === h;
      }),
    );
  });
});
