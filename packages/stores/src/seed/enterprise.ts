/**
 * One synthetic enterprise, derived from (seed, id) alone so that any table —
 * in any store, in any order — can regenerate the facts it needs (USCC, name,
 * founding date, size) without holding the dataset in memory.
 */
import { USCC_CHARSET, organisationCodeCheckChar, usccCheckChar } from '@warden/classify';
import { ANCHOR_DAY, dayOf, dayString, timestampString } from './calendar.js';
import { cents, copyNullable, copyText } from './copy-format.js';
import { mobile, person, surname } from './people.js';
import type { SeedPlan } from './plan.js';
import { hashLabel, Prng, Weighted } from './prng.js';
import {
  COMPANY_TYPES,
  DISTRICTS,
  type District,
  FOODS,
  INDUSTRIES,
  type Industry,
  MAIL_DOMAINS,
  NAME_WORDS,
  ROAD_KINDS,
  ROAD_STEMS,
  SCOPE_CLAUSE,
  STATUSES,
} from './vocab.js';

export type EnterpriseKind = 'company' | 'individual' | 'cooperative' | 'listed';

export interface EnterpriseCore {
  id: number;
  kind: EnterpriseKind;
  district: District;
  industry: Industry;
  enterpriseType: string;
  /** Registered since the 2015 reform: organisation body `MA…`. */
  modern: boolean;
  foundedDay: number;
  status: string;
  /** Typical headcount. */
  scale: number;
  capitalCents: number;
}

export interface EnterpriseIdentity extends EnterpriseCore {
  uscc: string;
  name: string;
  /** Pinyin of the trade name, for e-mail domains. */
  brand: string;
}

const S_CORE = hashLabel('enterprise.core');
const S_NAME = hashLabel('enterprise.name');
const S_DETAIL = hashLabel('enterprise.detail');

const districts = new Weighted(DISTRICTS.map((d) => [d, d.weight] as const));
const SUBURBS = DISTRICTS.filter((d) =>
  ['110109', '110111', '110112', '110113', '110114', '110115', '110116', '110117', '110118', '110119'].includes(d.code),
);
const industries = new Weighted(INDUSTRIES.map((i) => [i, i.weight] as const));
const SMALL_TRADES = INDUSTRIES.filter((i) => ['F5212', 'H6220', 'O8040'].includes(i.code));
const COOPERATIVE_INDUSTRY: Industry = {
  code: 'A0141',
  words: ['农业'],
  pinyin: 'farm',
  scope: '组织收购、销售成员种植的蔬菜、水果；引进新技术、新品种，开展技术培训、技术交流和信息咨询服务',
  sector: '农业',
  weight: 0,
};
const companyTypes = new Weighted(COMPANY_TYPES);
const statuses = new Weighted(STATUSES);
const LISTED_TYPE = '股份有限公司（上市、自然人投资或控股）';

const REFORM_DAY = dayOf(2015, 10, 1);
const EARLIEST_FOUNDING = dayOf(1985, 1, 1);
const LATEST_FOUNDING = ANCHOR_DAY - 30;
export const ADULT_BIRTHS = { from: dayOf(1950, 1, 1), to: dayOf(2004, 12, 31) };

const M31_6 = 31 ** 6;
const BODY_MULTIPLIER = 48_271; // coprime to 10^8 and to 31^6: id → body is a bijection

/** 8-character organisation-code body, unique per id: 8 digits before the reform, `MA` + 6 USCC characters after. */
function organisationBody(plan: SeedPlan, id: number, modern: boolean): string {
  if (!modern) return String((BODY_MULTIPLIER * id + plan.bodySalt) % 100_000_000).padStart(8, '0');
  let v = (BODY_MULTIPLIER * id + plan.bodySalt) % M31_6;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = USCC_CHARSET[v % 31] + s;
    v = Math.floor(v / 31);
  }
  return `MA${s}`;
}

/** Registration authority 9 (market regulation), type 1 enterprise / 2 individual business / 3 cooperative. */
function buildUscc(plan: SeedPlan, e: EnterpriseCore): string {
  const body = organisationBody(plan, e.id, e.modern);
  const first17 = `9${e.kind === 'individual' ? '2' : e.kind === 'cooperative' ? '3' : '1'}${e.district.code}${body}${organisationCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

export function enterpriseCore(plan: SeedPlan, id: number): EnterpriseCore {
  const r = new Prng(plan.seed, S_CORE, id);
  const x = r.next();
  const kind: EnterpriseKind = plan.isListed(id) ? 'listed' : x < 0.02 ? 'individual' : x < 0.025 ? 'cooperative' : 'company';
  const district = kind === 'cooperative' ? r.pick(SUBURBS) : districts.pick(r);
  const industry = kind === 'individual' ? r.pick(SMALL_TRADES) : kind === 'cooperative' ? COOPERATIVE_INDUSTRY : industries.pick(r);
  const modern = r.chance(kind === 'individual' ? 0.85 : kind === 'listed' ? 0.1 : 0.6);
  const foundedDay = modern ? r.int(REFORM_DAY, LATEST_FOUNDING) : r.int(EARLIEST_FOUNDING, REFORM_DAY - 1);
  const status = kind === 'listed' ? '存续' : statuses.pick(r);
  let enterpriseType: string;
  let scale: number;
  let capitalYuan: number;
  switch (kind) {
    case 'individual':
      enterpriseType = '个体工商户';
      scale = r.int(1, 5);
      capitalYuan = r.int(1, 50) * 10_000;
      break;
    case 'cooperative':
      enterpriseType = '农民专业合作社';
      scale = r.int(5, 40);
      capitalYuan = r.int(5, 500) * 10_000;
      break;
    case 'listed':
      enterpriseType = LISTED_TYPE;
      scale = Math.floor(r.logUniform(300, 50_000));
      capitalYuan = Math.round(r.logUniform(1e8, 1e10) / 10_000) * 10_000;
      break;
    default:
      enterpriseType = companyTypes.pick(r);
      scale = Math.floor(r.logUniform(2, 2_000));
      capitalYuan = Math.round(r.logUniform(1e5, 1e9) / 10_000) * 10_000;
  }
  return {
    id,
    kind,
    district,
    industry,
    enterpriseType,
    modern,
    foundedDay,
    status,
    scale,
    capitalCents: capitalYuan * 100,
  };
}

function companySuffix(r: Prng, type: string): string {
  if (type.startsWith('股份有限公司')) return '股份有限公司';
  if (type === '全民所有制') return '公司';
  return r.chance(0.8) ? '有限公司' : '有限责任公司';
}

/** Core facts plus USCC and name, of an enterprise given by id or by its already computed core. */
export function enterpriseIdentity(plan: SeedPlan, enterprise: number | EnterpriseCore): EnterpriseIdentity {
  const core = typeof enterprise === 'number' ? enterpriseCore(plan, enterprise) : enterprise;
  const r = new Prng(plan.seed, S_NAME, core.id);
  const [w1, brand] = r.pick(NAME_WORDS);
  let name: string;
  switch (core.kind) {
    case 'individual':
      name = `北京市${core.district.name}${surname(r)}记${r.pick(FOODS)}`;
      break;
    case 'cooperative':
      name = `北京${w1}${r.pick(['蔬菜', '果品', '种植', '养殖', '农机'])}专业合作社`;
      break;
    default: {
      const w2 = r.chance(0.5) ? r.pick(NAME_WORDS)[0] : '';
      const trade = w1 + (w2 === w1 ? '' : w2);
      const word = r.pick(core.industry.words);
      if (core.enterpriseType === '个人独资企业') name = `北京${trade}${word}${r.pick(['中心', '经营部', '工作室'])}`;
      else if (core.enterpriseType === '有限合伙企业')
        name = `北京${trade}${r.pick(['企业管理咨询中心', '科技中心', '投资中心'])}（有限合伙）`;
      else if (core.enterpriseType === '全民所有制') name = `北京市${trade}${word}公司`;
      else name = `北京${trade}${word}${companySuffix(r, core.enterpriseType)}`;
    }
  }
  return { ...core, uscc: buildUscc(plan, core), name, brand };
}

/** `北京市{district}{street}{road}{n}号`, the start of both business and home addresses. */
function streetAddress(r: Prng, district: District): string {
  return `北京市${district.name}${r.pick(district.streets)}${r.pick(ROAD_STEMS)}${r.pick(ROAD_KINDS)}${r.int(1, 199)}号`;
}

export function address(r: Prng, district: District): string {
  const base = streetAddress(r, district);
  const x = r.next();
  if (x < 0.35) return `${base}${r.int(1, 12)}号楼${r.int(1, 20)}层${r.int(1, 30) + r.int(1, 9) * 100}`;
  if (x < 0.6) return `${base}${r.int(1, 25)}层${r.int(1, 9) * 100 + r.int(1, 40)}室`;
  return base;
}

function email(r: Prng, e: EnterpriseIdentity): string | null {
  const x = r.next();
  if (x < 0.15) return null;
  if (x < 0.6) return `${r.pick(['info', 'service', 'contact', 'hr', 'admin', 'office'])}@${e.brand}${e.industry.pinyin}.com.cn`;
  if (x < 0.8) return `${r.int(10_000, 3_999_999_999)}@qq.com`;
  return `${e.brand}${r.int(1, 9999)}@${r.pick(MAIL_DOMAINS)}`;
}

export const ENTERPRISE_COLUMNS = [
  'id',
  'uscc',
  'name',
  'enterprise_type',
  'registered_capital',
  'founded_on',
  'district',
  'address',
  'business_scope',
  'industry_code',
  'status',
  'legal_rep_name',
  'legal_rep_id_number',
  'legal_rep_mobile',
  'contact_email',
  'updated_at',
  'legal_rep_home_address',
] as const;

/** A residential address in the same district: compound, building, unit, flat. */
export function homeAddress(r: Prng, district: District): string {
  return `${streetAddress(r, district)}院${r.int(1, 30)}号楼${r.int(1, 6)}单元${r.int(1, 28) * 100 + r.int(1, 8)}`;
}

/** The enterprises row for `id`, as a COPY text line. */
export function enterpriseLine(plan: SeedPlan, id: number): string {
  const e = enterpriseIdentity(plan, id);
  const r = new Prng(plan.seed, S_DETAIL, id);
  const rep = person(r, ADULT_BIRTHS.from, ADULT_BIRTHS.to);
  const updatedDay = r.int(Math.max(e.foundedDay, ANCHOR_DAY - 1000), ANCHOR_DAY - 1);
  return `${id}\t${e.uscc}\t${copyText(e.name)}\t${e.enterpriseType}\t${cents(e.capitalCents)}\t${dayString(e.foundedDay)}\t${e.district.name}\t${copyText(
    address(r, e.district),
  )}\t${copyText(e.industry.scope + SCOPE_CLAUSE)}\t${e.industry.code}\t${e.status}\t${copyText(rep.name)}\t${rep.idNumber}\t${mobile(r)}\t${copyNullable(
    email(r, e),
  )}\t${timestampString(updatedDay, r.int(8 * 3600, 19 * 3600))}\t${copyText(homeAddress(r, e.district))}\n`;
}
