/** The enterprise store: registrations first, then the tables that reference them. */
import { ANCHOR_DAY, dayOf, dayString, timestampString, yearOf } from './calendar.js';
import { type TableJob, tableJob } from './chunks.js';
import { cents, copyNullable, copyText } from './copy-format.js';
import { ADULT_BIRTHS, ENTERPRISE_COLUMNS, enterpriseCore, enterpriseLine } from './enterprise.js';
import { mobile, person } from './people.js';
import type { SeedPlan } from './plan.js';
import { hashLabel, Prng, Weighted } from './prng.js';

const S_CREDIT = hashLabel('enterprise.credit');
const S_TAX = hashLabel('enterprise.tax');
const S_SOCIAL = hashLabel('enterprise.social');
const S_EMPLOYEE = hashLabel('enterprise.employee');
const S_QUALIFICATION = hashLabel('enterprise.qualification');
const S_REQUEST = hashLabel('enterprise.request');

const WORKING_AGE = { from: dayOf(1960, 1, 1), to: dayOf(2004, 12, 31) };
/** Beijing's 2025–2026 social-insurance contribution base bounds, yuan per month. */
const BASE_MIN = 7_162;
const BASE_MAX = 35_811;

function grade(score: number): string {
  return score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 60 ? 'C' : 'D';
}

function penaltyNote(r: Prng, day: number, abbr: string, district: string): string {
  const y = yearOf(day);
  switch (r.int(0, 4)) {
    case 0:
      return `${y}年${r.int(1, 6)}月因未按规定公示年度报告被列入经营异常名录，已于${y}年${r.int(7, 12)}月移出`;
    case 1:
      return `因违反《中华人民共和国广告法》第二十八条，被北京市${district}市场监督管理局罚款${r.int(1, 20)}万元（京${abbr}市监罚〔${y}〕${r.int(10, 999)}号）`;
    case 2:
      return `${y - 1}年度纳税信用评价为D级，存在逾期未申报记录${r.int(1, 6)}次`;
    case 3:
      return '因拖欠劳动者工资被列入拖欠农民工工资失信联合惩戒对象名单（内部核查中，未公开）';
    default:
      return `${y}年环保检查发现未按规定贮存危险废物，责令限期整改（未公开）`;
  }
}

const CERTS = [
  {
    name: '高新技术企业证书',
    years: 3,
    issuer: () => '北京市科学技术委员会、北京市财政局、国家税务总局北京市税务局',
    number: (r: Prng, y: number) => `GR${y}11${r.digits(6)}`,
  },
  {
    name: '食品经营许可证',
    years: 5,
    issuer: (d: string) => `北京市${d}市场监督管理局`,
    number: (r: Prng, _y: number, code: string) => `JY1${code}${r.digits(7)}`,
  },
  { name: '建筑业企业资质证书', years: 5, issuer: () => '北京市住房和城乡建设委员会', number: (r: Prng) => `D211${r.digits(6)}` },
  { name: '增值电信业务经营许可证', years: 5, issuer: () => '北京市通信管理局', number: (r: Prng, y: number) => `京B2-${y}${r.digits(4)}` },
  {
    name: '质量管理体系认证证书',
    years: 3,
    issuer: () => '中国质量认证中心',
    number: (r: Prng, y: number) => `00${y % 100}Q3${r.digits(4)}R0M`,
  },
  {
    name: '安全生产许可证',
    years: 3,
    issuer: () => '北京市住房和城乡建设委员会',
    number: (r: Prng, y: number) => `(京)JZ安许证字[${y}]${r.digits(6)}`,
  },
  {
    name: '人力资源服务许可证',
    years: 5,
    issuer: (d: string) => `北京市${d}人力资源和社会保障局`,
    number: (r: Prng, y: number, code: string) => `${code}${y}${r.digits(3)}`,
  },
  {
    name: '医疗器械经营许可证',
    years: 5,
    issuer: (d: string) => `北京市${d}市场监督管理局`,
    number: (r: Prng, y: number, _c: string, abbr: string) => `京${abbr}药监械经营许${y}${r.digits(4)}号`,
  },
] as const;

const REQUEST_CATEGORIES = new Weighted([
  ['融资需求', 20],
  ['政策咨询', 25],
  ['投诉举报', 12],
  ['人才招聘', 10],
  ['知识产权', 8],
  ['法律服务', 8],
  ['场地需求', 9],
  ['税费咨询', 8],
] as const);
const REQUEST_STATUSES = new Weighted([
  ['已办结', 50],
  ['处理中', 20],
  ['待受理', 15],
  ['已关闭', 10],
  ['已退回', 5],
] as const);

function requestText(r: Prng, category: string): string {
  const line = (() => {
    switch (category) {
      case '融资需求':
        return `企业拟申请${r.int(50, 3000)}万元流动资金贷款，用于${r.pick(['采购原材料', '研发投入', '扩大产能', '支付货款'])}，希望对接普惠金融产品或政府性融资担保。`;
      case '政策咨询':
        return `咨询${r.pick(['专精特新中小企业认定', '高新技术企业认定', '研发费用加计扣除', '稳岗补贴', '首台（套）保险补偿'])}的申报条件和材料要求，以及今年的申报时间。`;
      case '投诉举报':
        return `反映${r.pick(['某物业公司违规收取费用', '供应商拖欠货款超过一年', '园区断水断电影响生产', '某平台未经同意收集员工个人信息'])}，请求有关部门依法处理。`;
      case '人才招聘':
        return `企业需招聘${r.pick(['软件工程师', '算法工程师', '会计', '销售经理', '技术工人'])}${r.int(2, 30)}名，希望参加区人才招聘会并了解落户政策。`;
      case '知识产权':
        return `企业有${r.int(1, 20)}项发明专利申请，希望了解专利快速预审通道，并咨询知识产权质押融资。`;
      case '法律服务':
        return `因${r.pick(['劳动合同纠纷', '合同违约', '商标侵权', '股权转让'])}需要法律援助，申请公益律师咨询服务。`;
      case '场地需求':
        return `因业务扩张需在${r.pick(['中关村', '亦庄', '望京', '丰台科技园', '通州运河商务区'])}租赁办公或厂房约${r.int(2, 50) * 100}平方米，希望了解租金补贴。`;
      default:
        return `咨询${r.pick(['小微企业增值税减免', '六税两费减半征收', '残保金减免', '房产税困难减免'])}政策的适用条件和办理流程。`;
    }
  })();
  const x = r.next();
  if (x < 0.3)
    return `诉求：${line}\n背景：企业成立以来${r.pick(['经营稳定', '受市场波动影响', '处于快速扩张期'])}，现有员工${r.int(3, 300)}人。`;
  if (x < 0.32) return `${line}附件路径：D:\\企业资料\\${r.pick(['营业执照', '申报材料', '财务报表'])}.pdf`;
  return line;
}

export function enterpriseJobs(plan: SeedPlan): TableJob[][] {
  const n = plan.enterprises;

  const enterprises = tableJob('enterprises', ENTERPRISE_COLUMNS, n, (id, out) => out.add(enterpriseLine(plan, id)));

  const credit = tableJob(
    'credit_records',
    ['id', 'enterprise_id', 'credit_score', 'credit_grade', 'penalty_note', 'assessed_on'],
    n,
    (id, out) => {
      const e = enterpriseCore(plan, id);
      const r = new Prng(plan.seed, S_CREDIT, id);
      const troubled = e.status === '吊销' || e.status === '注销';
      const k = r.chance(0.5) ? 2 : 1;
      for (let j = 0; j < k; j++) {
        const day = Math.min(ANCHOR_DAY - 1, Math.max(e.foundedDay + 30, ANCHOR_DAY - j * 365 - r.int(30, 200)));
        const score = troubled ? r.int(30, 65) : r.int(55, 99);
        const note = r.chance(score < 70 ? 0.5 : 0.03) ? penaltyNote(r, day, e.district.abbr, e.district.name) : null;
        out.add(`${out.nextId()}\t${id}\t${score}\t${grade(score)}\t${copyNullable(note)}\t${dayString(day)}\n`);
      }
    },
  );

  const tax = tableJob(
    'tax_records',
    ['id', 'enterprise_id', 'tax_year', 'revenue', 'tax_paid', 'invoice_count', 'individual_income_tax'],
    n,
    (id, out) => {
      const e = enterpriseCore(plan, id);
      const r = new Prng(plan.seed, S_TAX, id);
      const k = r.int(2, 3);
      const founded = yearOf(e.foundedDay);
      let perHead = r.logUniform(50_000, 1_500_000) * 100;
      for (let year = 2025; year > 2025 - k && year >= founded; year--) {
        const revenue = Math.round(perHead * e.scale * (year === founded ? r.next() : 1));
        const taxPaid = Math.round(revenue * (0.01 + r.next() * 0.07));
        const invoices = Math.floor(revenue / 100 / r.logUniform(2_000, 200_000));
        const iit = Math.round(e.scale * r.int(300, 30_000) * 100);
        out.add(`${out.nextId()}\t${id}\t${year}\t${cents(revenue)}\t${cents(taxPaid)}\t${invoices}\t${cents(iit)}\n`);
        perHead /= 0.8 + r.next() * 0.5;
      }
    },
  );

  const social = tableJob('social_insurance', ['id', 'enterprise_id', 'period', 'headcount', 'total_contribution'], n, (id, out) => {
    const e = enterpriseCore(plan, id);
    const r = new Prng(plan.seed, S_SOCIAL, id);
    const k = r.int(2, 4);
    const base = r.int(BASE_MIN, 20_000);
    for (let j = 0; j < k; j++) {
      const period = dayOf(2026, 10 - j, 1);
      if (period < e.foundedDay) break;
      const headcount = Math.max(1, Math.round(e.scale * (0.9 + r.next() * 0.2)));
      out.add(`${out.nextId()}\t${id}\t${dayString(period)}\t${headcount}\t${cents(Math.round(headcount * base * 26.8))}\n`);
    }
  });

  const employees = tableJob(
    'employee_insurance',
    ['id', 'enterprise_id', 'employee_name', 'employee_id_number', 'monthly_base', 'period'],
    n,
    (id, out) => {
      const e = enterpriseCore(plan, id);
      const r = new Prng(plan.seed, S_EMPLOYEE, id);
      const k = Math.min(e.scale, r.int(0, 5));
      const period = dayString(dayOf(2026, 10 - r.int(0, 2), 1));
      for (let j = 0; j < k; j++) {
        const p = person(r, WORKING_AGE.from, WORKING_AGE.to, 0.6);
        out.add(`${out.nextId()}\t${id}\t${copyText(p.name)}\t${p.idNumber}\t${r.int(BASE_MIN, BASE_MAX)}.00\t${period}\n`);
      }
    },
  );

  const qualifications = tableJob(
    'qualifications',
    [
      'id',
      'enterprise_id',
      'cert_name',
      'cert_number',
      'issuer',
      'issued_on',
      'expires_on',
      'qualified_person_name',
      'qualified_person_id_number',
    ],
    n,
    (id, out) => {
      const r = new Prng(plan.seed, S_QUALIFICATION, id);
      const x = r.next();
      const k = x < 0.55 ? 0 : x < 0.9 ? 1 : 2;
      if (!k) return;
      const e = enterpriseCore(plan, id);
      for (const cert of r.sample(CERTS, k)) {
        const issued = r.int(Math.max(e.foundedDay, ANCHOR_DAY - 6 * 365), ANCHOR_DAY - 1);
        const y = yearOf(issued);
        const p = person(r, ADULT_BIRTHS.from, ADULT_BIRTHS.to, 0.7);
        const expires = dayOf(y + cert.years, 1, 1) + (issued - dayOf(y, 1, 1)) - 1;
        out.add(
          `${out.nextId()}\t${id}\t${cert.name}\t${copyText(cert.number(r, y, e.district.code, e.district.abbr))}\t${cert.issuer(e.district.name)}\t${dayString(issued)}\t${dayString(
            expires,
          )}\t${copyText(p.name)}\t${p.idNumber}\n`,
        );
      }
    },
  );

  const requests = tableJob(
    'enterprise_requests',
    [
      'id',
      'enterprise_id',
      'category',
      'request_text',
      'contact_name',
      'contact_mobile',
      'complainant_id_number',
      'status',
      'submitted_at',
    ],
    n,
    (id, out) => {
      const r = new Prng(plan.seed, S_REQUEST, id);
      const x = r.next();
      const k = x < 0.5 ? 0 : x < 0.85 ? 1 : 2;
      for (let j = 0; j < k; j++) {
        const category = REQUEST_CATEGORIES.pick(r);
        const contact = person(r, ADULT_BIRTHS.from, ADULT_BIRTHS.to, 0.8);
        const complainant = category === '投诉举报' || r.chance(0.1) ? contact.idNumber : null;
        const day = r.int(ANCHOR_DAY - 720, ANCHOR_DAY - 1);
        out.add(
          `${out.nextId()}\t${id}\t${category}\t${copyText(requestText(r, category))}\t${copyText(contact.name)}\t${mobile(r)}\t${copyNullable(
            complainant,
          )}\t${REQUEST_STATUSES.pick(r)}\t${timestampString(day, r.int(8 * 3600, 21 * 3600))}\n`,
        );
      }
    },
  );

  return [[enterprises], [credit, tax, social, employees, qualifications, requests]];
}
