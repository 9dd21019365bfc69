/** Synthetic natural persons: names, resident IDs, mobiles. */
import { luhnCheckDigit, residentIdCheckChar } from '@warden/classify';
import { dayString } from './calendar.js';
import { type Prng, Weighted } from './prng.js';
import { BANKS, type Bank, DISTRICTS, FEMALE_GIVEN, MALE_GIVEN, MOBILE_PREFIXES, OTHER_REGION_CODES, SURNAMES } from './vocab.js';

const surnames = new Weighted(SURNAMES);
const BEIJING_CODES = DISTRICTS.map((d) => d.code);

export interface Person {
  name: string;
  idNumber: string;
}

export function surname(r: Prng): string {
  return surnames.pick(r);
}

export function personName(r: Prng, male: boolean): string {
  return surnames.pick(r) + r.pick(male ? MALE_GIVEN : FEMALE_GIVEN);
}

/** GB 11643 ID: region, birth date in [fromDay, toDay], sequence whose last digit is odd for men, check. */
export function residentId(r: Prng, region: string, fromDay: number, toDay: number, male: boolean): string {
  const birth = dayString(r.int(fromDay, toDay));
  const seq = r.int(0, 499) * 2 + (male ? 1 : 0);
  const first17 = `${region}${birth.slice(0, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}${seq < 10 ? '00' : seq < 100 ? '0' : ''}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

/** A person registered in Beijing (share `beijing`) or elsewhere in China. */
export function person(r: Prng, fromDay: number, toDay: number, beijing = 1): Person {
  const male = r.chance(0.55);
  const region = r.chance(beijing) ? r.pick(BEIJING_CODES) : r.pick(OTHER_REGION_CODES);
  return { name: personName(r, male), idNumber: residentId(r, region, fromDay, toDay, male) };
}

export function mobile(r: Prng): string {
  return r.pick(MOBILE_PREFIXES) + r.digits(8);
}

/** A debit card number of the bank's length with a valid Luhn check digit. */
export function bankAccount(r: Prng, bank: Bank): string {
  const body = r.pick(bank.bins) + r.digits(bank.length - 7);
  return body + luhnCheckDigit(body);
}

export function pickBank(r: Prng): Bank {
  return r.pick(BANKS);
}
