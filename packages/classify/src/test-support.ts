/** Test support shared by classify's tests: fast-check generators of valid identifiers. */
import fc from 'fast-check';
import { PROVINCE_CODES, residentIdCheckChar } from './resident-id.js';

/** 17 digits with a valid province and a real birth date in 1900–2026-10-31. */
const residentIdFirst17 = fc
  .record({
    province: fc.constantFrom(...PROVINCE_CODES),
    area: fc.integer({ min: 0, max: 9999 }),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-10-31T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(
    ({ province, area, birth, seq }) =>
      `${province}${String(area).padStart(4, '0')}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`,
  );

/** A valid 18-character resident ID: {@link residentIdFirst17} plus its check character. */
export const validResidentId = residentIdFirst17.map((f) => f + residentIdCheckChar(f));
