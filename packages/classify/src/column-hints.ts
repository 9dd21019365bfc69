/**
 * Column names as evidence: Chinese words, English names and pinyin
 * initials (`sfzh` 身份证号, `lxdh` 联系电话…) → a proposed value type with a
 * weight (0–1) for the scanner to combine with value hits.
 */
import type { ValueType } from './detection.js';

export interface ColumnHint {
  type: ValueType;
  weight: number;
  /** The word of the column name that matched. */
  matched: string;
}

type Entry = readonly [ValueType, number];

function entries(type: ValueType, weight: number, keys: readonly string[]): [string, Entry][] {
  return keys.map((k) => [k, [type, weight]]);
}

/** Whole names or trailing token runs (lower case, `_`-joined). Ambiguous pinyin initials weigh less (`xm` is also 项目). */
const NAME_HINTS: ReadonlyMap<string, Entry> = new Map<string, Entry>([
  ...entries('resident-id', 0.9, [
    'sfzh',
    'sfzhm',
    'sfz',
    'zjhm',
    'gmsfhm',
    'id_card',
    'idcard',
    'id_card_no',
    'idcard_no',
    'id_no',
    'idno',
  ]),
  ...entries('resident-id', 0.85, ['id_number', 'citizen_id', 'resident_id', 'national_id', 'identity_no', 'identity_number', 'cert_no']),
  ...entries('uscc', 0.9, ['tyshxydm', 'shxydm', 'xydm', 'uscc', 'credit_code', 'social_credit_code', 'unified_social_credit_code']),
  ...entries('mobile', 0.9, ['sjhm', 'sjh', 'shouji', 'mobile', 'mobile_no', 'mobile_phone', 'cellphone', 'cell_phone', 'msisdn']),
  ...entries('mobile', 0.6, ['lxdh', 'dh', 'lxfs', 'phone', 'phone_no', 'phone_number', 'tel', 'telephone', 'contact_phone']),
  ...entries('landline', 0.8, ['gddh', 'landline', 'office_phone', 'office_tel', 'fax']),
  ...entries('bank-card', 0.85, [
    'yhkh',
    'yhzh',
    'khzh',
    'bank_card',
    'bank_card_no',
    'card_no',
    'card_number',
    'bank_account',
    'account_no',
  ]),
  ...entries('email', 0.9, ['dzyx', 'email', 'e_mail', 'mail', 'email_address']),
  ...entries('email', 0.6, ['yx']),
  ...entries('address', 0.75, ['jtdz', 'jzdz', 'hjdz', 'txdz', 'address', 'addr', 'home_address', 'residence']),
  ...entries('address', 0.5, ['dz', 'zz']),
  ...entries('person-name', 0.75, ['xingming', 'full_name', 'real_name', 'person_name', 'legal_rep', 'legal_rep_name', 'contact_name']),
  ...entries('person-name', 0.5, ['xm', 'name']),
  ...entries('plate', 0.9, ['cph', 'cphm', 'plate', 'plate_no', 'license_plate', 'licence_plate', 'car_no', 'vehicle_no']),
]);

/** Tokens before `name` that make it the name of something other than a person. */
const NOT_A_PERSON = new Set([
  'company',
  'enterprise',
  'org',
  'organisation',
  'organization',
  'corp',
  'product',
  'project',
  'file',
  'table',
  'column',
  'dept',
  'department',
  'bank',
  'shop',
  'user',
  'display',
  'brand',
  'city',
  'region',
  'fund',
  'qy',
  'dw',
]);

/** Chinese words, most specific first. */
const CHINESE_HINTS: readonly (readonly [string, ValueType, number])[] = [
  ['身份证', 'resident-id', 0.95],
  ['证件号', 'resident-id', 0.8],
  ['统一社会信用代码', 'uscc', 0.95],
  ['信用代码', 'uscc', 0.9],
  ['手机', 'mobile', 0.9],
  ['移动电话', 'mobile', 0.9],
  ['座机', 'landline', 0.85],
  ['固定电话', 'landline', 0.85],
  ['传真', 'landline', 0.7],
  ['电话', 'mobile', 0.6],
  ['银行卡', 'bank-card', 0.9],
  ['银行账号', 'bank-card', 0.85],
  ['卡号', 'bank-card', 0.8],
  ['邮箱', 'email', 0.9],
  ['电子邮件', 'email', 0.9],
  ['车牌', 'plate', 0.9],
  ['地址', 'address', 0.85],
  ['住址', 'address', 0.85],
  ['住所', 'address', 0.8],
  ['姓名', 'person-name', 0.85],
  ['法定代表人', 'person-name', 0.7],
  ['法人代表', 'person-name', 0.7],
  ['联系人', 'person-name', 0.7],
  ['负责人', 'person-name', 0.6],
];

/** Lower-case tokens of a column name: camelCase, `-`, spaces and dots split like `_`. */
function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
}

/** The hint a column name gives, or undefined. Trailing token runs are tried longest first (`legal_rep_id_card` → `id_card`). */
export function hintColumnName(name: string): ColumnHint | undefined {
  for (const [word, type, weight] of CHINESE_HINTS) if (name.includes(word)) return { type, weight, matched: word };
  const t = tokens(name);
  for (let from = 0; from < t.length; from++) {
    const key = t.slice(from).join('_');
    const entry = NAME_HINTS.get(key);
    if (entry === undefined) continue;
    if (entry[0] === 'person-name' && key === 'name' && from > 0 && NOT_A_PERSON.has(t[from - 1] as string)) return undefined;
    return { type: entry[0], weight: entry[1], matched: key };
  }
  return undefined;
}
