const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;
const FULL_WIDTH_ALL = /[\u3000\uff01-\uff5e]/g;

/**
 * Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space become
 * their half-width forms. Text with nothing to fold comes back as it is, with
 * no new string built.
 */
export function toHalfWidth(text: string): string {
  return FULL_WIDTH.test(text) ? text.replace(FULL_WIDTH_ALL, halfWidthOf) : text;
}

function halfWidthOf(c: string): string {
  return c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0);
}
