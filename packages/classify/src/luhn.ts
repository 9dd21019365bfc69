/** Luhn (ISO/IEC 7812-1) check digits for bank card numbers: a strong signal, not a hard reject (STANDARDS.md §2). */

function luhnSum(digits: string, doubleEven: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, pos = 0; i >= 0; i--, pos++) {
    let d = digits.charCodeAt(i) - 48;
    if ((pos % 2 === 0) === doubleEven) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

/** The digit to append to `digits` (the number without its check digit). Throws RangeError on non-digits. */
export function luhnCheckDigit(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new RangeError('luhnCheckDigit needs one or more digits');
  return String((10 - (luhnSum(digits, true) % 10)) % 10);
}

/** True when `digits` (check digit last, at least two digits) passes the Luhn check. */
export function isValidLuhn(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && luhnSum(digits, false) % 10 === 0;
}
