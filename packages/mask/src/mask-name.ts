import { COMPOUND_SURNAMES } from '@warden/core';
import { hasSurrogates, readText } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/** Longest personal name read; longer text is not a name and is redacted. */
const MAX_NAME_LENGTH = 64;

/**
 * Personal name: keep the first character and star each remaining one
 * (`张*`, `王**`); keep a two-character surname (`欧阳**`) when at least one
 * character follows it; a single character becomes `*`. Counts code points,
 * not UTF-16 units, so `𠀀` or an emoji is one character.
 */
export function maskName(value: unknown): string {
  const name = readText(value, MAX_NAME_LENGTH);
  if (name === undefined) return REDACTED;
  const chars = hasSurrogates(name) ? Array.from(name) : undefined;
  const length = chars ? chars.length : name.length;
  if (length === 1) return '*';
  if (length >= 3 && COMPOUND_SURNAMES.has(name.slice(0, 2))) return name.slice(0, 2) + stars(length - 2);
  const first = chars ? (chars[0] as string) : (name[0] as string);
  return first + stars(length - 1);
}
