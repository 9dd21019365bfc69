/**
 * A deterministic labelled corpus for detector tests and benchmarks: valid
 * values of every type (with the usual spellings: separators, +86, lower-case
 * x, grouped card numbers) and near-misses (one character changed, 30
 * February, region 00, 10-digit mobiles, Luhn off by one…) labelled with the
 * type they imitate. Same seed, same corpus.
 */
import { COMPOUND_SURNAMES, USCC_CHARSET } from '@warden/core';
import type { ValueType } from './detection.js';
import { luhnCheckDigit } from './luhn.js';
import { PROVINCE_CODES, residentIdCheckChar } from './resident-id.js';
import { COMMON_SURNAMES } from './surnames.js';
import { organisationCodeCheckChar, usccCheckChar } from './uscc.js';

export interface LabelledValue {
  value: string;
  /** The value's type; undefined for a near-miss. */
  label: ValueType | undefined;
  /** For a near-miss: the type it imitates. */
  imitates?: ValueType;
  /** How the value was made, for failure messages. */
  how: string;
}

type Rng = () => number;

/** mulberry32: small, fast, deterministic. */
function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(rng, 0, 9));
  return s;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Replaces the character at `i` by a different one from `alphabet`. */
function mutate(rng: Rng, s: string, alphabet: string, from = 0): string {
  const i = int(rng, from, s.length - 1);
  const current = s[i] as string;
  let c = current;
  while (c === current) c = alphabet[int(rng, 0, alphabet.length - 1)] as string;
  return s.slice(0, i) + c + s.slice(i + 1);
}

const DIGITS = '0123456789';

function birthDate(rng: Rng): string {
  const year = int(rng, 1930, 2010);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, month === 2 ? 28 : 30);
  return `${year}${pad(month, 2)}${pad(day, 2)}`;
}

function residentIdBody(rng: Rng, date = birthDate(rng), province = pick(rng, PROVINCE_CODES)): string {
  return `${province}${digits(rng, 4)}${date}${digits(rng, 3)}`;
}

function residentId(rng: Rng): string {
  const body = residentIdBody(rng);
  return body + residentIdCheckChar(body);
}

function generateResidentIds(rng: Rng, n: number): LabelledValue[] {
  const out: LabelledValue[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind === 0) {
      const legacy = residentIdBody(rng, `19${int(rng, 30, 99)}${pad(int(rng, 1, 12), 2)}${pad(int(rng, 1, 28), 2)}`);
      out.push({ value: legacy.slice(0, 6) + legacy.slice(8, 17), label: 'resident-id', how: '15-digit legacy' });
    } else {
      const id = residentId(rng);
      out.push({ value: kind === 1 ? id.toLowerCase() : id, label: 'resident-id', how: '18-digit' });
    }
  }
  return out;
}

function generateResidentIdNearMisses(rng: Rng, n: number): LabelledValue[] {
  const out: LabelledValue[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    let value: string;
    let how: string;
    if (kind === 0) {
      const body = residentIdBody(rng, `${int(rng, 1930, 2010)}0230`);
      value = body + residentIdCheckChar(body);
      how = '30 February with a correct check';
    } else if (kind === 1) {
      const body = residentIdBody(rng, undefined, '00');
      value = body + residentIdCheckChar(body);
      how = 'region 00 with a correct check';
    } else if (kind === 2) {
      value = `${pick(rng, PROVINCE_CODES)}${digits(rng, 4)}${int(rng, 30, 99)}13${pad(int(rng, 1, 28), 2)}${digits(rng, 3)}`;
      how = '15 digits with month 13';
    } else {
      const id = residentId(rng);
      value = mutate(rng, id, DIGITS);
      how = `one digit changed in ${id}`;
    }
    out.push({ value, label: undefined, imitates: 'resident-id', how });
  }
  return out;
}

const USCC_PREFIXES = ['91', '92', '93', '11', '12', '31', '51', '52', '53', 'Y1'];

function uscc(rng: Rng, brokenOrgCode = false): string {
  let org = '';
  for (let i = 0; i < 8; i++) org += USCC_CHARSET[int(rng, 0, i < 2 ? 9 : USCC_CHARSET.length - 1)];
  let orgCheck = organisationCodeCheckChar(org);
  if (brokenOrgCode) orgCheck = orgCheck === '1' ? '2' : '1';
  const first17 = `${pick(rng, USCC_PREFIXES)}${pick(rng, PROVINCE_CODES)}${digits(rng, 4)}${org}${orgCheck}`;
  return first17 + usccCheckChar(first17);
}

function generateUsccs(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => ({
    value: i % 20 === 0 ? uscc(rng, true) : uscc(rng),
    label: 'uscc' as const,
    how: i % 20 === 0 ? 'organisation code check broken (a warning)' : 'valid',
  }));
}

function generateUsccNearMisses(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => {
    const code = uscc(rng);
    if (i % 10 === 0)
      return { value: code.slice(0, 17) + 'I', label: undefined, imitates: 'uscc' as const, how: 'I is not in the charset' };
    return { value: mutate(rng, code, USCC_CHARSET), label: undefined, imitates: 'uscc' as const, how: `one character changed in ${code}` };
  });
}

function bankCard(rng: Rng): string {
  const length = pick(rng, [16, 16, 19, 19, 17, 18]);
  const prefix = pick(rng, ['62', '62', '62', '4', '5']);
  const body = prefix + digits(rng, length - 1 - prefix.length);
  return body + luhnCheckDigit(body);
}

function groups(s: string, sep: string): string {
  return (s.match(/.{1,4}/g) ?? []).join(sep);
}

function generateBankCards(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => {
    const card = bankCard(rng);
    return { value: i % 4 === 0 ? groups(card, ' ') : card, label: 'bank-card' as const, how: 'Luhn-valid' };
  });
}

function generateBankCardNearMisses(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => {
    const card = bankCard(rng);
    if (i % 10 === 0) {
      const last = Number(card.at(-1));
      return {
        value: card.slice(0, -1) + String((last + 1) % 10),
        label: undefined,
        imitates: 'bank-card' as const,
        how: 'Luhn off by one',
      };
    }
    if (i % 10 === 1) return { value: card.slice(0, 15), label: undefined, imitates: 'bank-card' as const, how: '15 digits' };
    return { value: mutate(rng, card, DIGITS), label: undefined, imitates: 'bank-card' as const, how: `one digit changed in ${card}` };
  });
}

function mobile(rng: Rng): string {
  return `1${int(rng, 3, 9)}${digits(rng, 9)}`;
}

function generateMobiles(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => {
    const m = mobile(rng);
    const spelled = [
      m,
      `+86${m}`,
      `86 ${m}`,
      `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
      `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
    ][i % 5] as string;
    return { value: spelled, label: 'mobile' as const, how: 'valid' };
  });
}

function generateMobileNearMisses(rng: Rng, n: number): LabelledValue[] {
  return Array.from({ length: n }, (_, i) => {
    const m = mobile(rng);
    const [value, how] = [
      [m.slice(0, 10), '10 digits'],
      [`${m}${int(rng, 0, 9)}`, '12 digits'],
      [`1${int(rng, 0, 2)}${m.slice(2)}`, 'second digit 0–2'],
      [`2${m.slice(1)}`, 'first digit 2'],
      [`+85 ${m}`, 'foreign country code'],
    ][i % 5] as [string, string];
    return { value, label: undefined, imitates: 'mobile' as const, how };
  });
}

const AREAS = ['010', '021', '020', '022', '023', '0755', '0571', '0512', '0991', '0871'];

function generateOthers(rng: Rng, n: number): LabelledValue[] {
  const out: LabelledValue[] = [];
  const surnames = [...COMMON_SURNAMES].slice(0, 100);
  const compounds = [...COMPOUND_SURNAMES];
  const given = Array.from('伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红');
  const provinces = ['北京市', '广东省深圳市', '浙江省杭州市', '四川省成都市', '江苏省南京市'];
  for (let i = 0; i < n; i++) {
    const area = pick(rng, AREAS);
    const local = `${int(rng, 2, 9)}${digits(rng, area.length === 3 ? 7 : pick(rng, [6, 7]))}`;
    out.push({ value: i % 2 ? `${area}-${local}` : `(${area}) ${local}`, label: 'landline', how: 'valid' });
    out.push({ value: `${area}-1${local.slice(1)}`, label: undefined, imitates: 'landline', how: 'local number starting 1' });
    out.push({ value: `user${digits(rng, 3)}@example${i % 3}.com.cn`, label: 'email', how: 'valid' });
    out.push({ value: `user${digits(rng, 3)}@example`, label: undefined, imitates: 'email', how: 'no top-level domain' });
    const name = (i % 4 === 0 ? pick(rng, compounds) : pick(rng, surnames)) + pick(rng, given) + (i % 2 ? pick(rng, given) : '');
    out.push({ value: name, label: 'person-name', how: 'valid' });
    out.push({ value: `的${pick(rng, given)}`, label: undefined, imitates: 'person-name', how: 'not a surname' });
    out.push({
      value: `${pick(rng, provinces)}${pick(rng, ['朝阳区', '南山区', '西湖区', '武侯区'])}${pick(rng, ['中山路', '人民大道', '建设街'])}${int(rng, 1, 999)}号`,
      label: 'address',
      how: 'valid',
    });
    out.push({ value: '北京', label: undefined, imitates: 'address', how: 'too short' });
    const plate = `${pick(rng, Array.from('京沪粤浙川苏'))}${pick(rng, Array.from('ABCDEFGH'))}${digits(rng, 5)}`;
    out.push({ value: i % 3 ? plate : `${plate.slice(0, 2)}D${plate.slice(2)}`, label: 'plate', how: 'valid' });
    out.push({ value: `${plate.slice(0, 1)}I${plate.slice(2)}`, label: undefined, imitates: 'plate', how: 'letter I' });
  }
  return out;
}

/** `perType` valid values and as many near-misses for each checksum-bearing type and mobile, plus `perType / 10` of each other type and its near-misses. */
export function generateLabelledCorpus(seed: number, perType: number): LabelledValue[] {
  const rng = createRng(seed);
  return [
    ...generateResidentIds(rng, perType),
    ...generateResidentIdNearMisses(rng, perType),
    ...generateUsccs(rng, perType),
    ...generateUsccNearMisses(rng, perType),
    ...generateBankCards(rng, perType),
    ...generateBankCardNearMisses(rng, perType),
    ...generateMobiles(rng, perType),
    ...generateMobileNearMisses(rng, perType),
    ...generateOthers(rng, Math.max(1, Math.floor(perType / 10))),
  ];
}
