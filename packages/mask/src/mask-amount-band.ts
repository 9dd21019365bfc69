import { REDACTED } from './redaction.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const GROUPING = /[\s,_]/g;

/**
 * Amounts generalised to a band over sorted boundaries `b0 < b1 < … < bn`:
 * below b0 → `<b0`, `[bi, bi+1)` → `bi-bi+1`, from bn → `>=bn`. Accepts
 * numbers, bigints and numeric strings (thousands separators allowed); a
 * band label masks to itself. Labels are built once, at compile time.
 */
export function createAmountBandMask(bands: readonly number[]): (value: unknown) => string {
  const bounds = Float64Array.from(bands);
  const count = bounds.length;
  const labels: string[] = [`<${format(bands[0] as number)}`];
  for (let i = 0; i + 1 < count; i++) labels.push(`${format(bands[i] as number)}-${format(bands[i + 1] as number)}`);
  labels.push(`>=${format(bands[count - 1] as number)}`);
  const known = new Set(labels);

  return (value) => {
    const amount = readAmount(value);
    if (amount === undefined) {
      return typeof value === 'string' && known.has(value) ? value : REDACTED;
    }
    // Index of the first boundary above the amount: 0 → below all, count → at or above the last.
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] as number) <= amount) lo = mid + 1;
      else hi = mid;
    }
    return labels[lo] as string;
  };
}

function readAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const text = value.replace(GROUPING, '');
  if (!NUMERIC.test(text)) return undefined;
  const amount = Number(text);
  return Number.isFinite(amount) ? amount : undefined;
}

function format(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}
