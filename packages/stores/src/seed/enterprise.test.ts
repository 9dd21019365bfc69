import { checkUsccOrganisationCode, isValidMobile, isValidResidentId, isValidUscc } from '@warden/classify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTERPRISE_COLUMNS, enterpriseIdentity, enterpriseLine } from './enterprise.js';
import { createPlan } from './plan.js';

const NOW = new Date('2026-11-01T00:00:00Z');

function fields(line: string): Record<string, string> {
  const values = line.replace(/\n$/, '').split('\t');
  return Object.fromEntries(ENTERPRISE_COLUMNS.map((c, i) => [c, values[i] as string]));
}

describe('synthetic enterprises', () => {
  it('are the same for the same seed and id, and differ across seeds', () => {
    const a = createPlan(1, 1000);
    expect(enterpriseLine(a, 17)).toBe(enterpriseLine(createPlan(1, 1000), 17));
    expect(enterpriseLine(a, 17)).not.toBe(enterpriseLine(createPlan(2, 1000), 17));
  });

  it('have unique, valid USCCs with valid organisation codes across 20,000 ids', () => {
    const plan = createPlan(5, 20_000);
    const seen = new Set<string>();
    for (let id = 1; id <= 20_000; id++) {
      const { uscc } = enterpriseIdentity(plan, id);
      expect(isValidUscc(uscc) && checkUsccOrganisationCode(uscc), uscc).toBe(true);
      seen.add(uscc);
    }
    expect(seen.size).toBe(20_000);
  });

  it('have valid USCCs, legal representative IDs from Beijing, mobiles and Beijing districts for any seed and id', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.integer({ min: 1, max: 5_000_000 }), (seed, id) => {
        const row = fields(enterpriseLine(createPlan(seed, 5_000_000), id));
        return (
          isValidUscc(row.uscc as string) &&
          checkUsccOrganisationCode(row.uscc as string) &&
          row.uscc?.slice(2, 6) === '1101' &&
          isValidResidentId(row.legal_rep_id_number as string, NOW) &&
          row.legal_rep_id_number?.startsWith('1101') === true &&
          isValidMobile(row.legal_rep_mobile as string) &&
          row.address?.startsWith(`北京市${row.district}`) === true
        );
      }),
    );
  });

  it('are about 2% individual businesses, with prefix 92, and the rest prefix 91 or 93', () => {
    const plan = createPlan(11, 10_000);
    let individual = 0;
    for (let id = 1; id <= 10_000; id++) {
      const e = enterpriseIdentity(plan, id);
      if (e.kind === 'individual') {
        individual++;
        expect(e.uscc.slice(0, 2)).toBe('92');
        expect(e.enterpriseType).toBe('个体工商户');
      } else expect(['91', '93']).toContain(e.uscc.slice(0, 2));
    }
    expect(individual).toBeGreaterThan(120);
    expect(individual).toBeLessThan(300);
  });

  it('include the listed companies, as joint-stock companies', () => {
    const plan = createPlan(3, 10_000);
    for (let k = 0; k < plan.listed; k++) {
      const e = enterpriseIdentity(plan, plan.listedId(k));
      expect(e.kind).toBe('listed');
      expect(e.name.endsWith('股份有限公司')).toBe(true);
    }
  });
});

describe('seed plan', () => {
  describe.each([
    [1, 200, 50],
    [2_000, 200, 50],
    [100_000, 10_000, 500],
    [1_000_000, 100_000, 5_000],
  ])('for %d enterprises', (n, documents, listed) => {
    it(`has ${documents} policy documents and ${listed} listed companies with distinct enterprise ids`, () => {
      const plan = createPlan(1, n);
      expect(plan.documents).toBe(documents);
      expect(plan.listed).toBe(listed);
      const ids = Array.from({ length: plan.listed }, (_, k) => plan.listedId(k));
      expect(new Set(ids).size).toBe(listed);
      for (const id of ids) expect(plan.isListed(id)).toBe(true);
    });
  });

  it('refuses sizes and seeds that are not non-negative integers', () => {
    expect(() => createPlan(1, 0)).toThrow(RangeError);
    expect(() => createPlan(1, 1.5)).toThrow(RangeError);
    expect(() => createPlan(-1, 10)).toThrow(RangeError);
  });
});
