import { hasSurrogates, MAX_TEXT_LENGTH, readScalar } from './read-input.js';
import { runsOf } from './redaction.js';

/**
 * Generic mask: keep the first `first` and last `last` code points and
 * replace each one between with `char`. A value too short to hide anything
 * (length ≤ first + last) is hidden entirely; unreadable values become six
 * `char`s, so the result still masks to itself.
 */
export function createKeepMask(first: number, last: number, char: string): (value: unknown) => string {
  const run = runsOf(char);
  const redacted = run(6);

  return (value) => {
    const text = readScalar(value, MAX_TEXT_LENGTH);
    if (text === undefined) return redacted;
    if (!hasSurrogates(text)) {
      const n = text.length;
      if (n <= first + last) return run(n);
      return text.slice(0, first) + run(n - first - last) + text.slice(n - last);
    }
    const chars = Array.from(text);
    const n = chars.length;
    if (n <= first + last) return run(n);
    return chars.slice(0, first).join('') + run(n - first - last) + chars.slice(n - last).join('');
  };
}
