import type { MaskRule } from '@warden/core';
import { compileMask, type MaskOptions } from './compile-mask.js';

/**
 * Masks one value. Convenience for tests and one-off calls: it compiles the
 * rule every time, so the hot path should hold on to `compileMask`'s result.
 */
export function maskValue(rule: MaskRule, value: unknown, options?: MaskOptions): string | null {
  return compileMask(rule, options)(value);
}
