import type { MaskFn } from '@warden/core';

/** Every mask function and the properties its rule may carry besides `fn`. */
const RULE_PROPERTIES: Record<MaskFn, readonly string[]> = {
  resident_id: [],
  mobile: [],
  name: [],
  bank_card: ['finance'],
  landline: [],
  email: [],
  address: [],
  plate: [],
  uscc: [],
  amount_band: ['bands'],
  birth_year: [],
  date_month: [],
  keep: ['first', 'last', 'char'],
  redact: ['text'],
  hash: ['length'],
  null: [],
};

const MASK_FNS = Object.keys(RULE_PROPERTIES) as MaskFn[];

export const HASH_LENGTH = { min: 8, max: 64, default: 16 } as const;
const MAX_KEEP = 64;
const MAX_BANDS = 1000;
const MAX_REDACT_TEXT = 64;

/**
 * The problems with a masking rule as loaded from policies (empty when it is
 * valid), one sentence each, naming the rule and property. Pure: it never
 * throws, whatever it is given.
 */
export function validateMaskRule(rule: unknown): string[] {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    return ['a mask rule must be an object with a "fn" property'];
  }
  const r = rule as Record<string, unknown>;
  const fn = r.fn;
  if (typeof fn !== 'string' || !Object.hasOwn(RULE_PROPERTIES, fn)) {
    return [`mask rule "fn" must be one of ${MASK_FNS.join(', ')}`];
  }
  const allowed = RULE_PROPERTIES[fn as MaskFn];
  const problems: string[] = [];
  const at = `mask rule ${fn}`;
  for (const key of Object.keys(r)) {
    if (key !== 'fn' && !allowed.includes(key)) problems.push(`${at}: unknown property "${key}"`);
  }
  switch (fn as MaskFn) {
    case 'bank_card':
      if (r.finance !== undefined && typeof r.finance !== 'boolean') problems.push(`${at}: "finance" must be true or false`);
      break;
    case 'amount_band':
      problems.push(...checkBands(at, r.bands));
      break;
    case 'keep':
      for (const key of ['first', 'last'] as const) {
        const n = r[key];
        if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_KEEP) {
          problems.push(`${at}: "${key}" must be a whole number from 0 to ${MAX_KEEP}`);
        }
      }
      if (r.char !== undefined && !isSingleVisibleChar(r.char)) {
        problems.push(`${at}: "char" must be exactly one visible character`);
      }
      break;
    case 'redact':
      if (r.text !== undefined && (typeof r.text !== 'string' || r.text.length > MAX_REDACT_TEXT)) {
        problems.push(`${at}: "text" must be a string of at most ${MAX_REDACT_TEXT} characters`);
      }
      break;
    case 'hash': {
      const n = r.length;
      if (n !== undefined && (!Number.isInteger(n) || (n as number) < HASH_LENGTH.min || (n as number) > HASH_LENGTH.max)) {
        problems.push(`${at}: "length" must be a whole number from ${HASH_LENGTH.min} to ${HASH_LENGTH.max}`);
      }
      break;
    }
    default:
      break;
  }
  return problems;
}

function checkBands(at: string, bands: unknown): string[] {
  if (!Array.isArray(bands) || bands.length === 0 || bands.length > MAX_BANDS) {
    return [`${at}: "bands" must be a list of 1 to ${MAX_BANDS} boundaries`];
  }
  if (!bands.every((b) => typeof b === 'number' && Number.isFinite(b))) {
    return [`${at}: every boundary in "bands" must be a finite number`];
  }
  for (let i = 1; i < bands.length; i++) {
    if ((bands[i] as number) <= (bands[i - 1] as number)) {
      return [`${at}: "bands" must be strictly ascending (boundary ${i + 1} is not above boundary ${i})`];
    }
  }
  return [];
}

/** Exactly one code point (the `u` flag), and not a space, control, format or lone surrogate. */
const SINGLE_VISIBLE_CHAR = /^[^\s\p{Cc}\p{Cf}\p{Cs}]$/u;

function isSingleVisibleChar(value: unknown): boolean {
  return typeof value === 'string' && SINGLE_VISIBLE_CHAR.test(value);
}
