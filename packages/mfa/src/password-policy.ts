/**
 * The password policy (STANDARDS §4, MLPS 8.1.4.1 complexity): 12–128
 * characters; at least three of upper case, lower case, digits and symbols
 * (any other character — punctuation, a space, a Chinese character — counts
 * as a symbol); not containing the user name; no run of four identical
 * characters; not a common password (common-passwords.txt), compared case-
 * insensitively as given, with trailing digits and symbols stripped
 * (Woaini1314!) and with l33t undone (P@ssw0rd); not a listed or sequential
 * digit run with at most three letters (Aa123456789!, Abc@12345678); no
 * keyboard walk of six keys or more (qwerty, 1qaz@WSX3edc). Every rule applies to the
 * NFKC form, the one scrypt hashes (password.ts): full-width letters and
 * digits are the ASCII ones.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON: ReadonlySet<string> = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);

const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '3': 'e', $: 's', '5': 's', '7': 't' };

/** The forms of a password compared with the list. */
function commonForms(pw: string): string[] {
  const lower = pw.toLowerCase();
  const stripped = lower.replace(/[^\p{L}]+$/u, '');
  const unleet = stripped.replace(/[@4013$57]/g, (c) => LEET[c] ?? c);
  return [lower, stripped, unleet].filter((f) => f.length > 0);
}

/** Whether the password (or a trivial variation of it) is on the list of common passwords. */
export function isCommonPassword(pw: string): boolean {
  return commonForms(pw).some((f) => COMMON.has(f));
}

/** A run of at least four digits each one up (or each one down) from the last, 9→0 wrapping: 3456, 7890123, 98765. */
function isSequentialDigits(run: string): boolean {
  if (!/^[0-9]{4,}$/.test(run)) return false;
  const steps = new Set<number>();
  for (let i = 1; i < run.length; i++) steps.add((Number(run[i]) - Number(run[i - 1]) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/**
 * A listed or sequential digit run with at most three letters around it, whatever symbols are
 * added (Aa123456789!, Abc@12345678): the letters add almost nothing to a guesser's first tries.
 */
function isDigitRunWithFewLetters(pw: string): boolean {
  const m = /^(\p{L}{0,3})([0-9]+)(\p{L}{0,3})$/u.exec(pw.replace(/[^\p{L}0-9]+/gu, ''));
  if (!m || [...`${m[1]}${m[3]}`].length > 3) return false;
  const digits = m[2] as string;
  return COMMON.has(digits) || isSequentialDigits(digits);
}

// US keyboard: a symbol typed with shift is the digit under it (1qaz@WSX3edc is 1qaz2wsx3edc).
const UNSHIFT: Readonly<Record<string, string>> = {
  '!': '1',
  '@': '2',
  '#': '3',
  $: '4',
  '%': '5',
  '^': '6',
  '&': '7',
  '*': '8',
  '(': '9',
  ')': '0',
};
/** Keyboard walks (letters and digits only): rows, columns down and up, zigzags. */
const WALKS: readonly string[] = (() => {
  const base = [
    'qwertyuiop',
    'asdfghjkl',
    'zxcvbnm',
    '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
    'qazwsxedcrfvtgbyhnujmikolp',
    'zaq1xsw2cde3vfr4bgt5nhy6mju7ki8lo9p0',
    'zaqxswcdevfrbgtnhymjukilop',
    'zaq12wsxcde34rfvbgt56yhnmju78ik',
    '1qazxsw23edcvfr45tgbnhy67ujm',
    '1q2w3e4r5t6y7u8i9o0p',
    'qawsedrftgyhujikolp',
    'azsxdcfvgbhnjmk',
  ];
  return [...base, ...base.map((w) => [...w].reverse().join(''))];
})();
const WALK_MIN = 6;

/** Whether the password contains a keyboard walk of six or more keys, in any case, symbols between or shifted. */
export function hasKeyboardWalk(pw: string): boolean {
  const lower = pw.toLowerCase();
  const forms = [lower.replace(/[^a-z0-9]+/g, ''), lower.replace(/[!@#$%^&*()]/g, (c) => UNSHIFT[c] ?? c).replace(/[^a-z0-9]+/g, '')];
  return forms.some((f) => {
    for (let i = 0; i + WALK_MIN <= f.length; i++) {
      const piece = f.slice(i, i + WALK_MIN);
      if (WALKS.some((w) => w.includes(piece))) return true;
    }
    return false;
  });
}

/** The name and each part of it of 3 or more characters (zhang.wei → zhang.wei, zhang, wei). */
function nameParts(name: string): string[] {
  const lower = name.toLowerCase();
  return [lower, ...lower.split(/[._-]+/).filter((p) => p.length >= 3 && p !== lower)].filter((p) => p.length > 0);
}

/** Every way `pw` breaks the policy, in words; [] means it is acceptable. */
export function passwordProblems(pw: string, ctx: { name: string }): string[] {
  if (typeof pw !== 'string') return ['a password is required'];
  // Checked as it is hashed: full-width Ｐａｓｓｗｏｒｄ１２３４ is Password1234.
  pw = pw.normalize('NFKC');
  const problems: string[] = [];
  const length = [...pw].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters are needed`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters are allowed`);
  const classes = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{Lu}\p{Ll}\p{Nd}]/u].filter((c) => c.test(pw)).length;
  if (classes < 3) problems.push('use at least three of: upper case, lower case, digits, symbols');
  const lower = pw.toLowerCase();
  if (ctx.name && nameParts(ctx.name).some((p) => lower.includes(p))) problems.push('it must not contain the user name');
  if (/(.)\1{3}/su.test(pw)) problems.push('no character may repeat four or more times in a row');
  if (isCommonPassword(pw) || isDigitRunWithFewLetters(pw)) problems.push('it is a commonly used password');
  if (hasKeyboardWalk(pw)) problems.push('it must not contain a keyboard pattern (qwerty, 1qaz2wsx…)');
  return problems;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!#%+';

/** A random 20-character password from the CSPRNG (about 120 bits) that passes the policy for `name`. */
export function generatePassword(name: string): string {
  for (;;) {
    // 256 is a multiple of the alphabet's 64 characters: no modulo bias.
    const pw = Array.from(randomBytes(20), (b) => ALPHABET[b % ALPHABET.length]).join('');
    if (passwordProblems(pw, { name }).length === 0) return pw;
  }
}
