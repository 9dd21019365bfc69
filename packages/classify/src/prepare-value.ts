import { toHalfWidth } from '@warden/core';

/** Trims and folds full-width ASCII half-width; returns the same string when there is nothing to do. */
export function prepareValue(value: string): string {
  return toHalfWidth(value.trim());
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** CJK unified ideographs (basic block and extension A). */
export function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}
