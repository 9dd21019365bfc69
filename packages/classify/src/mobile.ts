/** Mainland mobile numbers: `1[3-9]\d{9}` after stripping +86 / 0086 / 86, spaces and hyphens (STANDARDS.md §2). */

const MOBILE = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/;

/** The bare 11-digit number, or undefined when `s` is not a mainland mobile number. */
export function normaliseMobile(s: string): string | undefined {
  return MOBILE.exec(s.replace(/[\s-]/g, ''))?.[1];
}

export function isValidMobile(s: string): boolean {
  return normaliseMobile(s) !== undefined;
}
