import { readText } from './read-input.js';
import { REDACTED } from './redaction.js';

/** RFC 5321 path limit. */
const MAX_EMAIL_LENGTH = 254;
const WHITESPACE = /\s/;

/**
 * Email: first character of the local part + `***@` + domain
 * (`z***@example.com`). The split is at the last `@`; a value without a local
 * part or domain, or with whitespace, is redacted.
 */
export function maskEmail(value: unknown): string {
  const email = readText(value, MAX_EMAIL_LENGTH);
  if (email === undefined || WHITESPACE.test(email)) return REDACTED;
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return REDACTED;
  const first = email.codePointAt(0) as number;
  return `${String.fromCodePoint(first)}***${email.slice(at)}`;
}
