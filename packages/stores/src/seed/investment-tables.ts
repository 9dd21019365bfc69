/** The investment store: funds, financing events of generated enterprises, listed companies, investor KYC. */
import { ANCHOR_DAY, dayOf, dayString, timestampString, weekday } from './calendar.js';
import { type TableJob, tableJob } from './chunks.js';
import { cents, copyNullable, copyText, fixed } from './copy-format.js';
import { ADULT_BIRTHS, type EnterpriseIdentity, enterpriseCore, enterpriseIdentity } from './enterprise.js';
import { bankAccount, mobile, person, pickBank } from './people.js';
import type { SeedPlan } from './plan.js';
import { hashLabel, Prng, Weighted } from './prng.js';
import { NAME_WORDS } from './vocab.js';

const S_FUND = hashLabel('investment.fund');
const S_FINANCING = hashLabel('investment.financing');
const S_LISTED = hashLabel('investment.listed');
const S_QUOTE = hashLabel('investment.quote');
const S_INDICATOR = hashLabel('investment.indicator');
const S_MATERIAL = hashLabel('investment.material');
const S_INVESTOR = hashLabel('investment.investor');

const FUND_TYPES = new Weighted([
  ['创业投资基金', 40],
  ['股权投资基金', 35],
  ['证券投资基金', 15],
  ['政府引导基金', 5],
  ['母基金', 5],
] as const);
const FUND_CODE_SPACE = 26 * 26 * 1000;

/** AMAC-style code `S` + two letters + three digits, a bijection of the fund's index. */
function fundCode(plan: SeedPlan, i: number): string {
  const v = (7_919 * i + plan.bodySalt) % FUND_CODE_SPACE;
  const letters = Math.floor(v / 1000);
  return `S${String.fromCharCode(65 + Math.floor(letters / 26), 65 + (letters % 26))}${String(v % 1000).padStart(3, '0')}`;
}

const ROUNDS: readonly (readonly [string, number, number, number])[] = [
  // round, weight, min and max amount in 万元
  ['种子轮', 8, 100, 1_000],
  ['天使轮', 18, 300, 3_000],
  ['Pre-A轮', 10, 1_000, 5_000],
  ['A轮', 20, 3_000, 15_000],
  ['A+轮', 8, 5_000, 20_000],
  ['B轮', 12, 10_000, 50_000],
  ['C轮', 7, 30_000, 100_000],
  ['D轮', 3, 50_000, 200_000],
  ['战略投资', 9, 5_000, 100_000],
  ['Pre-IPO', 5, 30_000, 150_000],
];
const rounds = new Weighted(ROUNDS.map((r) => [r, r[1]] as const));
const INVESTOR_SUFFIXES = ['资本', '创投', '投资', '基金', '产业投资'] as const;
const TERMS = [
  '1倍优先清算权',
  '反稀释条款（广义加权平均）',
  '领售权',
  '优先认购权',
  '回购权（5年未上市按8%年化回购）',
  '董事会一席',
  '信息权与检查权',
  '对赌条款：三年累计净利润不低于1亿元',
] as const;

/** Board prefixes in round-robin order; each gives 999 stock codes, xxx001–xxx999 (see LISTED_CAPACITY). */
const BOARDS: readonly (readonly [string, string])[] = [
  ['600', '上海证券交易所'],
  ['000', '深圳证券交易所'],
  ['002', '深圳证券交易所'],
  ['300', '深圳证券交易所'],
  ['601', '上海证券交易所'],
  ['603', '上海证券交易所'],
  ['688', '上海证券交易所'],
  ['301', '深圳证券交易所'],
  ['830', '北京证券交易所'],
  ['605', '上海证券交易所'],
  ['001', '深圳证券交易所'],
  ['003', '深圳证券交易所'],
  ['831', '北京证券交易所'],
  ['832', '北京证券交易所'],
  ['833', '北京证券交易所'],
  ['834', '北京证券交易所'],
  ['835', '北京证券交易所'],
  ['836', '北京证券交易所'],
  ['837', '北京证券交易所'],
  ['838', '北京证券交易所'],
  ['839', '北京证券交易所'],
  ['870', '北京证券交易所'],
  ['871', '北京证券交易所'],
  ['872', '北京证券交易所'],
  ['873', '北京证券交易所'],
];

/** The last 20 trading days before the anchor: weekdays, without the National Day holiday. */
const TRADING_DAYS: readonly number[] = (() => {
  const days: number[] = [];
  for (let d = ANCHOR_DAY - 1; days.length < 20; d--) {
    const w = weekday(d);
    if (w !== 0 && w !== 6 && !(d >= dayOf(2026, 10, 1) && d <= dayOf(2026, 10, 7))) days.unshift(d);
  }
  return days;
})();
const REPORT_PERIODS = [
  ['2025-12-31', 1],
  ['2026-03-31', 0.23],
  ['2026-06-30', 0.48],
  ['2026-09-30', 0.74],
] as const;

const RISK_LEVELS = new Weighted([
  ['C1', 10],
  ['C2', 20],
  ['C3', 35],
  ['C4', 25],
  ['C5', 10],
] as const);
const INVESTOR_TYPES = new Weighted([
  ['普通投资者', 50],
  ['专业投资者', 30],
  ['合格投资者', 20],
] as const);

/** A non-individual enterprise near `id` (financing goes to companies, not stalls). */
function fundableEnterprise(plan: SeedPlan, id: number): EnterpriseIdentity {
  let candidate = id;
  for (let t = 0; t < 20; t++) {
    const core = enterpriseCore(plan, candidate);
    if (core.kind === 'company' || core.kind === 'listed') return enterpriseIdentity(plan, core);
    candidate = (candidate % plan.enterprises) + 1;
  }
  return enterpriseIdentity(plan, candidate);
}

function institution(r: Prng): string {
  return `${r.pick(NAME_WORDS)[0]}${r.pick(INVESTOR_SUFFIXES)}`;
}

export function investmentJobs(plan: SeedPlan): TableJob[][] {
  const funds = tableJob('funds', ['id', 'fund_code', 'name', 'manager', 'fund_type', 'registered_on'], plan.funds, (i, out) => {
    const r = new Prng(plan.seed, S_FUND, i);
    const [word] = r.pick(NAME_WORDS);
    const type = FUND_TYPES.pick(r);
    const series = r.chance(0.4) ? `${r.pick(['一', '二', '三', '四'])}期` : '';
    const name =
      type === '证券投资基金'
        ? `${word}${r.pick(['稳健', '成长', '价值', '量化'])}${series}私募证券投资基金`
        : `${r.pick(['北京', '北京中关村', '北京亦庄'])}${word}${series}${type === '政府引导基金' ? '产业引导基金' : type === '母基金' ? '创新母基金' : type}（有限合伙）`;
    const manager = `北京${word}${r.pick(['投资管理有限公司', '资本管理有限公司', '私募基金管理有限公司'])}`;
    out.add(
      `${i}\t${fundCode(plan, i)}\t${copyText(name)}\t${copyText(manager)}\t${type}\t${dayString(r.int(dayOf(2014, 1, 1), ANCHOR_DAY - 1))}\n`,
    );
  });

  const financing = tableJob(
    'financing_events',
    ['id', 'enterprise_uscc', 'enterprise_name', 'round', 'amount', 'currency', 'announced_on', 'investors', 'valuation', 'terms'],
    plan.financingEvents,
    (i, out) => {
      const r = new Prng(plan.seed, S_FINANCING, i);
      const e = fundableEnterprise(plan, r.int(1, plan.enterprises));
      const [round, , min, max] = rounds.pick(r);
      const usd = r.chance(0.1);
      const wan = Math.round(r.logUniform(min, max) / (usd ? 7 : 1));
      const amount = wan * 1_000_000; // 万 → cents
      const lead = institution(r);
      const others = r.sample(NAME_WORDS, r.int(0, 2)).map(([w]) => `${w}${r.pick(INVESTOR_SUFFIXES)}`);
      const investors = [`${lead}（领投）`, ...others].join('、');
      const valuation = r.chance(0.7) ? cents(amount * r.int(4, 10)) : '\\N';
      const terms = r.chance(0.6) ? r.sample(TERMS, r.int(1, 3)).join('；') : null;
      const announced = r.int(Math.min(ANCHOR_DAY - 1, Math.max(e.foundedDay + 30, ANCHOR_DAY - 6 * 365)), ANCHOR_DAY - 1);
      out.add(
        `${i}\t${e.uscc}\t${copyText(e.name)}\t${round}\t${cents(amount)}\t${usd ? 'USD' : 'CNY'}\t${dayString(announced)}\t${copyText(
          investors,
        )}\t${valuation}\t${copyNullable(terms)}\n`,
      );
    },
  );

  const listed = tableJob(
    'listed_companies',
    ['id', 'stock_code', 'name', 'exchange', 'uscc', 'industry', 'listed_on'],
    plan.listed,
    (i, out) => {
      const k = i - 1;
      const e = enterpriseIdentity(plan, plan.listedId(k));
      const r = new Prng(plan.seed, S_LISTED, i);
      const [prefix, exchange] = BOARDS[k % BOARDS.length] as readonly [string, string];
      const code = `${prefix}${String(Math.floor(k / BOARDS.length) + 1).padStart(3, '0')}`;
      out.add(
        `${i}\t${code}\t${copyText(e.name)}\t${exchange}\t${e.uscc}\t${e.industry.sector}\t${dayString(r.int(Math.min(ANCHOR_DAY - 30, Math.max(e.foundedDay + 365, dayOf(2000, 1, 1))), ANCHOR_DAY - 30))}\n`,
      );
    },
  );

  const quotes = tableJob(
    'daily_quotes',
    ['id', 'company_id', 'trade_date', 'open', 'close', 'high', 'low', 'volume'],
    plan.listed,
    (i, out) => {
      const r = new Prng(plan.seed, S_QUOTE, i);
      let close = Math.round(r.logUniform(300, 20_000)); // cents
      for (const day of TRADING_DAYS) {
        const open = Math.max(1, Math.round(close * (1 + (r.next() - 0.5) * 0.02)));
        close = Math.max(1, Math.round(open * (1 + (r.next() - 0.5) * 0.12)));
        const high = Math.round(Math.max(open, close) * (1 + r.next() * 0.03));
        const low = Math.max(1, Math.round(Math.min(open, close) * (1 - r.next() * 0.03)));
        out.add(
          `${out.nextId()}\t${i}\t${dayString(day)}\t${cents(open)}\t${cents(close)}\t${cents(high)}\t${cents(low)}\t${Math.floor(r.logUniform(1e5, 1e8))}\n`,
        );
      }
    },
  );

  const indicators = tableJob(
    'financial_indicators',
    ['id', 'company_id', 'report_period', 'revenue', 'net_profit', 'eps', 'roe'],
    plan.listed,
    (i, out) => {
      const r = new Prng(plan.seed, S_INDICATOR, i);
      const annual = r.logUniform(2e8, 5e11) * 100; // cents
      const shares = annual / 100 / r.logUniform(1, 20);
      const equity = annual * (0.5 + r.next() * 2);
      const margin = -0.1 + r.next() * 0.35;
      for (const [period, share] of REPORT_PERIODS) {
        const revenue = Math.round(annual * share * (0.9 + r.next() * 0.2));
        const profit = Math.round(revenue * (margin + (r.next() - 0.5) * 0.04));
        out.add(
          `${out.nextId()}\t${i}\t${period}\t${cents(revenue)}\t${cents(profit)}\t${fixed((profit / 100 / shares) * 10_000, 4)}\t${fixed((profit / equity) * 1_000_000, 4)}\n`,
        );
      }
    },
  );

  const material = tableJob('material_information', ['id', 'company_id', 'title', 'content', 'recorded_on'], plan.listed, (i, out) => {
    const r = new Prng(plan.seed, S_MATERIAL, i);
    const k = r.int(0, 3);
    for (let j = 0; j < k; j++) {
      const [title, content] = r.pick([
        [
          '关于筹划发行股份购买资产的内部进展（未公开）',
          `公司拟以发行股份方式收购${institution(r)}持有的标的公司${r.int(51, 100)}%股权，交易对价初步估算${r.int(5, 80)}亿元，尚在尽职调查阶段。`,
        ],
        [
          '业绩预告初稿（内幕信息）',
          `预计${r.pick(['2026年前三季度', '2026年度'])}归属于上市公司股东的净利润同比${r.pick(['增长', '下降'])}${r.int(30, 180)}%，尚未经审计。`,
        ],
        ['控股股东减持计划（未披露）', `控股股东拟在未来六个月内通过大宗交易减持不超过总股本${r.int(1, 3)}%的股份。`],
        [
          '重大合同谈判进展（内幕信息）',
          `公司正与${r.pick(['某央企', '某地方政府平台', '某海外客户'])}洽谈金额约${r.int(2, 50)}亿元的采购合同，\n预计于下季度签署。`,
        ],
      ] as const);
      out.add(`${out.nextId()}\t${i}\t${title}\t${copyText(content)}\t${dayString(r.int(ANCHOR_DAY - 120, ANCHOR_DAY - 1))}\n`);
    }
  });

  const investors = tableJob(
    'investors',
    ['id', 'name', 'investor_type', 'id_number', 'mobile', 'bank_name', 'bank_account', 'asset_proof', 'risk_level', 'verified_at'],
    plan.investors,
    (i, out) => {
      const r = new Prng(plan.seed, S_INVESTOR, i);
      const p = person(r, ADULT_BIRTHS.from, ADULT_BIRTHS.to, 0.7);
      const bank = pickBank(r);
      const account = bankAccount(r, bank);
      const verified = r.int(ANCHOR_DAY - 3 * 365, ANCHOR_DAY - 1);
      const proof = r.chance(0.7)
        ? `${bank.name}出具的资产证明：截至${dayString(verified - r.int(1, 30))}，名下金融资产合计${r.logUniform(300, 20_000).toFixed(1)}万元`
        : `近三年个人年均收入${r.int(50, 800)}万元（个人所得税纳税记录）`;
      out.add(
        `${i}\t${copyText(p.name)}\t${INVESTOR_TYPES.pick(r)}\t${p.idNumber}\t${mobile(r)}\t${bank.name}\t${account}\t${copyText(proof)}\t${RISK_LEVELS.pick(r)}\t${timestampString(
          verified,
          r.int(9 * 3600, 18 * 3600),
        )}\n`,
      );
    },
  );

  return [
    [funds, financing, listed, investors],
    [quotes, indicators, material],
  ];
}
