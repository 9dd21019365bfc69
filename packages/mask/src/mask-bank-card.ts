import { isDigit, readCompactId, STAR } from './read-input.js';
import { REDACTED, stars } from './redaction.js';

/** Shortest card number for which first 6 + last 4 still hides 6 digits. */
const FINANCE_MIN_LENGTH = 16;

/**
 * Bank card: 12–19 digits after removing spaces and hyphens. Last 4 only
 * (`************1234`, same length); with `finance` (authorised finance
 * roles) first 6 + last 4, but only for numbers of 16 digits or more so that
 * at least 6 stay hidden — shorter ones get last 4 only.
 */
export function createBankCardMask(finance: boolean): (value: unknown) => string {
  return (value) => {
    const s = readCompactId(value);
    if (s === undefined) return REDACTED;
    const n = s.length;
    if (n < 12 || n > 19) return REDACTED;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c) && c !== STAR) return REDACTED;
    }
    if (finance && n >= FINANCE_MIN_LENGTH) return s.slice(0, 6) + stars(n - 10) + s.slice(n - 4);
    return stars(n - 4) + s.slice(n - 4);
  };
}
