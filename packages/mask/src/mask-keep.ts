import { hasSurrogates, MAX_TEXT_LENGTH } from './read-input.js';

/**
 * Generic mask: keep the first `first` and last `last` code points and
 * replace each one between with `char`. A value too short to hide anything
 * (length ≤ first + last) is hidden entirely; unreadable values become six
 * `char`s, so the result still masks to itself.
 */
export function createKeepMask(first: number, last: number, char: string): (value: unknown) => string {
  const redacted = char.repeat(6);
  const runs = Array.from({ length: 65 }, (_, n) => char.repeat(n));
  const run = (n: number): string => runs[n] ?? char.repeat(n);

  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'bigint') text = value.toString();
    else return redacted;
    if (text.length === 0 || text.length > MAX_TEXT_LENGTH) return redacted;
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
