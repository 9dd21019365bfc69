import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from './compile-mask.js';
import { REDACTED } from './redaction.js';

const mask = compileMask({ fn: 'address' });

describe.each([
  { written: 'a street (街道) after the district', input: '北京市海淀区中关村街道中关村大街27号', expected: '北京市海淀区中关村街道****' },
  { written: 'a town (镇) after a new district', input: '上海市浦东新区张江镇科苑路88号', expected: '上海市浦东新区张江镇****' },
  { written: 'a township (乡) after a county', input: '河北省保定市涞水县赵各庄乡某村12号', expected: '河北省保定市涞水县赵各庄乡****' },
  {
    written: 'an autonomous region, which is not a district',
    input: '广西壮族自治区南宁市青秀区新竹街道民族大道1号',
    expected: '广西壮族自治区南宁市青秀区新竹街道****',
  },
  {
    written: 'a city whose name contains 镇',
    input: '江苏省镇江市京口区正东路街道中山东路1号',
    expected: '江苏省镇江市京口区正东路街道****',
  },
  { written: 'no street level', input: '北京市朝阳区建国路88号SOHO现代城', expected: '北京市朝阳区****' },
  {
    written: 'a street marker too far from the district to be one',
    input: '北京市朝阳区建国路88号现代城大厦B座1201室旁边的乡村小路',
    expected: '北京市朝阳区****',
  },
  { written: 'a county-level city and a town', input: '浙江省杭州市建德市梅城镇府前路1号', expected: '浙江省杭州市建德市梅城镇****' },
  { written: 'nothing below the district', input: '北京市海淀区', expected: '北京市海淀区' },
])('$written', ({ input, expected }) => {
  it('keeps the address down to the district or street level', () => {
    expect(mask(input)).toBe(expected);
  });
  it('masks to the same value when masked again', () => {
    expect(mask(expected)).toBe(expected);
  });
});

describe.each([
  { what: 'a residential compound without a district', input: '某某小区3号楼2单元' },
  { what: 'a foreign address', input: '1600 Amphitheatre Parkway, Mountain View' },
  { what: 'an empty string', input: '' },
  { what: 'an object', input: { city: '北京市' } },
  { what: 'a huge string', input: `北京市海淀区${'中'.repeat(10_000)}` },
])('an address field holding $what', ({ input }) => {
  it('is fully redacted', () => {
    expect(mask(input)).toBe(REDACTED);
  });
});

describe('address mask properties', () => {
  const addresses = fc
    .tuple(
      fc.constantFrom('北京市', '上海市', '广东省深圳市', '四川省成都市', ''),
      fc.constantFrom('海淀区', '浦东新区', '南山区', '大邑县', ''),
      fc.constantFrom('中关村街道', '张江镇', '安仁镇', '赵各庄乡', ''),
      fc.array(
        fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c)),
        { maxLength: 20 },
      ),
    )
    .map(([a, b, c, rest]) => a + b + c + rest.join(''));

  it('returns a redaction, the input itself, or a proper prefix of the input followed by ****', () => {
    fc.assert(
      fc.property(fc.oneof(addresses, fc.string()), (address) => {
        const out = mask(address) as string;
        const input = address.trim();
        if (out === REDACTED || out === input) return;
        expect(out.endsWith('****')).toBe(true);
        const kept = out.slice(0, -4);
        expect(input.startsWith(kept) && kept.length < input.length).toBe(true);
      }),
    );
  });
});
