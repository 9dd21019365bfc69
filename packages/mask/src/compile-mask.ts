import type { MaskRule } from '@warden/core';
import { wardenError } from '@warden/core';
import { maskAddress } from './mask-address.js';
import { createAmountBandMask } from './mask-amount-band.js';
import { createBankCardMask } from './mask-bank-card.js';
import { maskBirthYear, maskDateMonth } from './mask-date.js';
import { maskEmail } from './mask-email.js';
import { createHashMask } from './mask-hash.js';
import { createKeepMask } from './mask-keep.js';
import { maskLandline } from './mask-landline.js';
import { maskMobile } from './mask-mobile.js';
import { maskName } from './mask-name.js';
import { maskPlate } from './mask-plate.js';
import { maskResidentId } from './mask-resident-id.js';
import { maskUscc } from './mask-uscc.js';
import { REDACTED } from './redaction.js';
import { HASH_LENGTH, validateMaskRule } from './validate-mask-rule.js';

export interface MaskOptions {
  /** Key for `hash` rules (HMAC-SHA256), at least 16 bytes. Required if the rule is `hash`. */
  hmacKey?: Buffer;
}

/** A compiled mask: null for null/undefined, otherwise a masked string. Never throws, never echoes unreadable input. */
export type CompiledMask = (value: unknown) => string | null;

const MIN_HMAC_KEY_BYTES = 16;

/**
 * Compiles a masking rule once, when policies load, into the function applied
 * per row and field. An invalid rule (POLICY_INVALID) or a `hash` rule without
 * a usable key (CONFIG_INVALID) throws here, never at request time.
 */
export function compileMask(rule: MaskRule, options: MaskOptions = {}): CompiledMask {
  const problems = validateMaskRule(rule);
  if (problems.length > 0) throw wardenError('POLICY_INVALID', { problems: problems.join('\n') });
  if (rule.fn === 'null') return () => null;
  return guard(select(rule, options));
}

function select(rule: Exclude<MaskRule, { fn: 'null' }>, options: MaskOptions): (value: unknown) => string {
  switch (rule.fn) {
    case 'resident_id':
      return maskResidentId;
    case 'mobile':
      return maskMobile;
    case 'name':
      return maskName;
    case 'bank_card':
      return createBankCardMask(rule.finance === true);
    case 'landline':
      return maskLandline;
    case 'email':
      return maskEmail;
    case 'address':
      return maskAddress;
    case 'plate':
      return maskPlate;
    case 'uscc':
      return maskUscc;
    case 'amount_band':
      return createAmountBandMask(rule.bands);
    case 'birth_year':
      return maskBirthYear;
    case 'date_month':
      return maskDateMonth;
    case 'keep':
      return createKeepMask(rule.first, rule.last, rule.char ?? '*');
    case 'redact': {
      const text = rule.text ?? REDACTED;
      return () => text;
    }
    case 'hash':
      return createHashMask(requireKey(options.hmacKey), rule.length ?? HASH_LENGTH.default);
  }
}

function requireKey(key: Buffer | undefined): Buffer {
  if (!Buffer.isBuffer(key)) throw wardenError('CONFIG_INVALID', { reason: 'a hash mask rule needs options.hmacKey' });
  if (key.length < MIN_HMAC_KEY_BYTES) {
    throw wardenError('CONFIG_INVALID', { reason: `the hash mask key must be at least ${MIN_HMAC_KEY_BYTES} bytes` });
  }
  return key;
}

/** Null in, null out; and a mask that fails unexpectedly redacts instead of throwing. */
function guard(mask: (value: unknown) => string): CompiledMask {
  return (value) => {
    if (value === null || value === undefined) return null;
    try {
      return mask(value);
    } catch {
      return REDACTED;
    }
  };
}
