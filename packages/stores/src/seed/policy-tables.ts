/** The policy store: national, provincial, municipal and district documents, drafts and evaluations. */
import { ANCHOR_DAY, dayOf, dayString, yearOf } from './calendar.js';
import { chunked, type TableJob, tableJob } from './chunks.js';
import { copyNullable, copyText, copyTextArray } from './copy-format.js';
import type { SeedPlan } from './plan.js';
import { hashLabel, Prng, Weighted } from './prng.js';

type AdminLevel = 'national' | 'provincial' | 'municipal' | 'district';

interface Issuer {
  issuer: string;
  level: AdminLevel;
  region: string;
  /** Document-number prefix (机关代字), unique to the issuer. */
  prefix: string;
  weight: number;
}

const ISSUERS: readonly Issuer[] = [
  { issuer: '国务院', level: 'national', region: '全国', prefix: '国发', weight: 3 },
  { issuer: '国务院办公厅', level: 'national', region: '全国', prefix: '国办发', weight: 4 },
  { issuer: '工业和信息化部', level: 'national', region: '全国', prefix: '工信部企业', weight: 4 },
  { issuer: '财政部', level: 'national', region: '全国', prefix: '财建', weight: 3 },
  { issuer: '财政部 税务总局', level: 'national', region: '全国', prefix: '财税', weight: 3 },
  { issuer: '国家发展和改革委员会', level: 'national', region: '全国', prefix: '发改高技', weight: 2 },
  { issuer: '科学技术部', level: 'national', region: '全国', prefix: '国科发', weight: 2 },
  { issuer: '人力资源和社会保障部', level: 'national', region: '全国', prefix: '人社部发', weight: 2 },
  { issuer: '商务部', level: 'national', region: '全国', prefix: '商财发', weight: 1 },
  { issuer: '中国人民银行', level: 'national', region: '全国', prefix: '银发', weight: 1 },
  { issuer: '国家市场监督管理总局', level: 'national', region: '全国', prefix: '国市监注发', weight: 1 },
  { issuer: '国家知识产权局', level: 'national', region: '全国', prefix: '国知发', weight: 1 },
  { issuer: '北京市人民政府', level: 'provincial', region: '北京市', prefix: '京政发', weight: 6 },
  { issuer: '北京市人民政府办公厅', level: 'provincial', region: '北京市', prefix: '京政办发', weight: 7 },
  { issuer: '北京市经济和信息化局', level: 'provincial', region: '北京市', prefix: '京经信发', weight: 7 },
  { issuer: '北京市科学技术委员会、中关村科技园区管理委员会', level: 'provincial', region: '北京市', prefix: '京科发', weight: 5 },
  { issuer: '北京市财政局', level: 'provincial', region: '北京市', prefix: '京财经建', weight: 4 },
  { issuer: '北京市发展和改革委员会', level: 'provincial', region: '北京市', prefix: '京发改', weight: 3 },
  { issuer: '北京市人力资源和社会保障局', level: 'provincial', region: '北京市', prefix: '京人社就发', weight: 3 },
  { issuer: '北京市地方金融管理局', level: 'provincial', region: '北京市', prefix: '京金融', weight: 2 },
  { issuer: '上海市人民政府', level: 'provincial', region: '上海市', prefix: '沪府发', weight: 2 },
  { issuer: '上海市人民政府办公厅', level: 'provincial', region: '上海市', prefix: '沪府办发', weight: 1 },
  { issuer: '天津市人民政府', level: 'provincial', region: '天津市', prefix: '津政发', weight: 2 },
  { issuer: '重庆市人民政府', level: 'provincial', region: '重庆市', prefix: '渝府发', weight: 2 },
  { issuer: '广东省人民政府', level: 'provincial', region: '广东省', prefix: '粤府', weight: 2 },
  { issuer: '江苏省人民政府', level: 'provincial', region: '江苏省', prefix: '苏政发', weight: 2 },
  { issuer: '浙江省人民政府', level: 'provincial', region: '浙江省', prefix: '浙政发', weight: 2 },
  { issuer: '山东省人民政府', level: 'provincial', region: '山东省', prefix: '鲁政发', weight: 2 },
  { issuer: '四川省人民政府', level: 'provincial', region: '四川省', prefix: '川府发', weight: 1 },
  { issuer: '湖北省人民政府', level: 'provincial', region: '湖北省', prefix: '鄂政发', weight: 1 },
  { issuer: '河北省人民政府', level: 'provincial', region: '河北省', prefix: '冀政发', weight: 2 },
  { issuer: '福建省人民政府', level: 'provincial', region: '福建省', prefix: '闽政', weight: 1 },
  { issuer: '安徽省人民政府', level: 'provincial', region: '安徽省', prefix: '皖政', weight: 1 },
  { issuer: '河南省人民政府', level: 'provincial', region: '河南省', prefix: '豫政', weight: 1 },
  { issuer: '湖南省人民政府', level: 'provincial', region: '湖南省', prefix: '湘政发', weight: 1 },
  { issuer: '陕西省人民政府', level: 'provincial', region: '陕西省', prefix: '陕政发', weight: 1 },
  { issuer: '深圳市人民政府', level: 'municipal', region: '深圳市', prefix: '深府', weight: 1 },
  { issuer: '杭州市人民政府', level: 'municipal', region: '杭州市', prefix: '杭政', weight: 1 },
  { issuer: '苏州市人民政府', level: 'municipal', region: '苏州市', prefix: '苏府', weight: 1 },
  { issuer: '成都市人民政府', level: 'municipal', region: '成都市', prefix: '成府发', weight: 1 },
  { issuer: '北京市海淀区人民政府', level: 'district', region: '北京市海淀区', prefix: '海政发', weight: 2 },
  { issuer: '北京市朝阳区人民政府', level: 'district', region: '北京市朝阳区', prefix: '朝政发', weight: 2 },
  { issuer: '北京市东城区人民政府', level: 'district', region: '北京市东城区', prefix: '东政发', weight: 1 },
  { issuer: '北京市西城区人民政府', level: 'district', region: '北京市西城区', prefix: '西政发', weight: 1 },
  { issuer: '北京市通州区人民政府', level: 'district', region: '北京市通州区', prefix: '通政发', weight: 1 },
  { issuer: '北京市丰台区人民政府', level: 'district', region: '北京市丰台区', prefix: '丰政发', weight: 1 },
  { issuer: '北京经济技术开发区管理委员会', level: 'district', region: '北京经济技术开发区', prefix: '京技管', weight: 1 },
];
const issuers = new Weighted(ISSUERS.map((i) => [i, i.weight] as const));
const BEIJING_ISSUERS = ISSUERS.filter((i) => i.region.startsWith('北京'));

interface Topic {
  subject: string;
  tags: readonly string[];
  support: (r: Prng) => string;
}

const TOPICS: readonly Topic[] = [
  {
    subject: '进一步支持中小企业发展',
    tags: ['中小企业', '营商环境'],
    support: (r) => `对符合条件的中小企业给予最高${r.int(50, 500)}万元资金支持，对新增贷款给予不超过${r.int(30, 60)}%的贴息`,
  },
  {
    subject: '促进专精特新中小企业高质量发展',
    tags: ['专精特新', '中小企业'],
    support: (r) => `对新认定的国家级专精特新"小巨人"企业一次性奖励${r.int(50, 100)}万元，市级专精特新企业奖励${r.int(10, 30)}万元`,
  },
  {
    subject: '加快发展数字经济',
    tags: ['数字经济', '科技创新'],
    support: (r) => `对企业数字化转型项目按投资额的${r.int(10, 30)}%给予补助，单个项目最高${r.int(100, 1000)}万元`,
  },
  {
    subject: '支持科技型企业融资',
    tags: ['融资支持', '科技创新'],
    support: (r) => `设立规模${r.int(10, 200)}亿元的科技创新基金，对首贷、信用贷给予${r.int(1, 3)}个百分点的担保费补贴`,
  },
  {
    subject: '阶段性降低社会保险费率',
    tags: ['社保减免', '稳就业'],
    support: (r) => `失业保险费率阶段性降至1%，对不裁员或少裁员的企业返还上年度失业保险费的${r.int(50, 90)}%`,
  },
  {
    subject: '实施小微企业普惠性税收减免',
    tags: ['税收优惠', '中小企业'],
    support: () => '对小型微利企业年应纳税所得额不超过300万元的部分，减按25%计入应纳税所得额，按20%的税率缴纳企业所得税',
  },
  {
    subject: '促进创业投资高质量发展',
    tags: ['创业投资', '融资支持'],
    support: (r) => `对投资本地种子期、初创期科技企业的创业投资机构，按实际投资额的${r.int(5, 15)}%给予奖励`,
  },
  {
    subject: '推动人工智能产业创新发展',
    tags: ['人工智能', '科技创新'],
    support: (r) => `对算力租赁费用给予最高${r.int(20, 50)}%的补贴，对大模型备案上线企业奖励${r.int(100, 500)}万元`,
  },
  {
    subject: '支持首台（套）重大技术装备推广应用',
    tags: ['高端装备', '科技创新'],
    support: (r) => `对首台（套）装备给予不超过合同金额${r.int(20, 30)}%的奖励，最高${r.int(500, 3000)}万元`,
  },
  {
    subject: '加强知识产权保护和运用',
    tags: ['知识产权'],
    support: (r) => `对知识产权质押融资给予${r.int(30, 50)}%的贴息，对发明专利授权每件资助${r.int(1, 3)}万元`,
  },
  {
    subject: '稳定和扩大就业',
    tags: ['稳就业', '人才'],
    support: (r) => `企业吸纳高校毕业生就业并缴纳社会保险的，按每人${r.int(1000, 3000)}元给予一次性扩岗补助`,
  },
  {
    subject: '推进绿色低碳转型',
    tags: ['绿色低碳'],
    support: (r) => `对节能改造项目按节能量给予每吨标准煤${r.int(300, 800)}元奖励，单个企业最高${r.int(100, 1000)}万元`,
  },
  {
    subject: '支持外贸企业稳订单拓市场',
    tags: ['外贸', '营商环境'],
    support: (r) => `对企业参加境外展会的展位费给予${r.int(50, 80)}%补贴，出口信用保险保费补贴${r.int(50, 90)}%`,
  },
  {
    subject: '引进和培育高层次人才',
    tags: ['人才'],
    support: (r) => `对引进的高层次人才给予最高${r.int(50, 300)}万元安家补贴，优先解决子女入学和落户`,
  },
  {
    subject: '优化营商环境',
    tags: ['营商环境'],
    support: () => '推行企业开办"一网通办"，企业登记1个工作日办结，涉企经营许可事项实行告知承诺制',
  },
];
const DOC_KINDS = ['若干措施', '实施意见', '通知', '管理办法', '实施细则', '工作方案'] as const;
const EXTRA_TAGS = ['中小企业', '营商环境', '融资支持', '科技创新', '稳就业', '人才', '数字经济', '税收优惠'] as const;
const TARGETS = [
  (region: string) => `在${region}依法注册、具有独立法人资格的中小微企业`,
  (region: string) => `在${region}注册且纳税关系在${region}的科技型中小企业`,
  () => '国家级专精特新"小巨人"企业和省级专精特新中小企业',
  (region: string) => `在${region}注册的个体工商户和小微企业`,
  () => '高新技术企业、科技型中小企业和创新型中小企业',
];
const REQUIREMENTS = [
  '依法设立并正常经营1年以上；近三年无严重失信行为；上年度营业收入不超过2亿元',
  '财务管理制度健全，上年度研发费用占营业收入比例不低于5%；未被列入经营异常名录',
  '申报项目符合产业发展方向，已完成投资不低于计划投资的50%；同一项目不得重复申报',
  '企业社会保险缴纳正常，近一年未发生较大及以上安全生产事故和环境污染事件',
];

const S_DOC = hashLabel('policy.document');
const S_DRAFT = hashLabel('policy.draft');
const S_EVAL = hashLabel('policy.evaluation');

const FIRST_PUBLISHED = dayOf(2019, 1, 1);

/** Issuer and publication day of document `id`: the first ids cover every issuer once, so every region appears. */
function documentCore(plan: SeedPlan, id: number): { issuer: Issuer; published: number; r: Prng } {
  const r = new Prng(plan.seed, S_DOC, id);
  const issuer = id <= ISSUERS.length ? (ISSUERS[id - 1] as Issuer) : issuers.pick(r);
  return { issuer, published: r.int(FIRST_PUBLISHED, ANCHOR_DAY - 3), r };
}

/** Where a document applies, as its text says it. */
function regionShort(region: string): string {
  return region === '全国' ? '境内' : region;
}

export function policyJobs(plan: SeedPlan): TableJob[][] {
  // Not a tableJob: document numbers count up per issuer and year, so every run starts fresh counters.
  const documents: TableJob = {
    table: 'policy_documents',
    columns: [
      'id',
      'doc_number',
      'title',
      'issuer',
      'admin_level',
      'region',
      'published_on',
      'effective_from',
      'expires_on',
      'target',
      'support_content',
      'requirements',
      'application_deadline',
      'tags',
      'body',
    ],
    units: plan.documents,
    chunks: () => {
      const counters = new Map<string, number>();
      return chunked(plan.documents, (id, out) => {
        const { issuer, published, r } = documentCore(plan, id);
        const year = yearOf(published);
        const key = `${issuer.prefix}${year}`;
        const number = (counters.get(key) ?? r.int(0, 5)) + r.int(1, 3);
        counters.set(key, number);
        const topic = r.pick(TOPICS);
        const kind = r.pick(DOC_KINDS);
        const title = `${issuer.issuer}关于${topic.subject}的${kind}`;
        const effective = published + r.int(0, 30);
        const expires = r.chance(0.7) ? effective + r.int(2, 5) * 365 : null;
        const deadline = r.chance(0.5) ? Math.min(published + r.int(30, 180), expires ?? Number.POSITIVE_INFINITY) : null;
        const target = r.pick(TARGETS)(regionShort(issuer.region));
        const support = topic.support(r);
        const requirements = r.sample(REQUIREMENTS, 2).join('；');
        const tags = [
          ...topic.tags,
          ...r.sample(
            EXTRA_TAGS.filter((t) => !topic.tags.includes(t)),
            r.int(0, 2),
          ),
        ];
        const body = [
          `为深入贯彻落实党中央、国务院关于${topic.subject}的决策部署，结合${issuer.level === 'national' ? '' : issuer.region}实际，制定本${kind}。`,
          `一、支持对象\n${target}。`,
          `二、支持内容\n${support}。`,
          `三、申报条件\n${requirements}。`,
          `四、附则\n本${kind}自${dayString(effective)}起施行${expires === null ? '' : `，有效期至${dayString(expires)}`}。`,
        ].join('\n');
        out.add(
          `${id}\t${issuer.prefix}〔${year}〕${number}号\t${copyText(title)}\t${issuer.issuer}\t${issuer.level}\t${issuer.region}\t${dayString(published)}\t${dayString(
            effective,
          )}\t${expires === null ? '\\N' : dayString(expires)}\t${copyText(target)}\t${copyText(support)}\t${copyText(requirements)}\t${
            deadline === null ? '\\N' : dayString(deadline)
          }\t${copyTextArray(tags)}\t${copyText(body)}\n`,
        );
      });
    },
  };

  const drafts = tableJob(
    'policy_drafts',
    ['id', 'title', 'issuer', 'region', 'drafted_on', 'draft_body', 'internal_note'],
    plan.drafts,
    (id, out) => {
      const r = new Prng(plan.seed, S_DRAFT, id);
      const issuer = r.pick(BEIJING_ISSUERS);
      const topic = r.pick(TOPICS);
      const note = r.chance(0.7)
        ? r.pick([
            `财政部门对资金规模有保留意见，建议压减至${r.int(1, 5)}亿元`,
            '涉及跨部门事项，需报市政府常务会议审议',
            `征求意见期间收到企业意见${r.int(5, 80)}条，拟采纳${r.int(1, 5)}条`,
            '条款与国家新出台政策存在衔接问题，暂缓发布',
          ])
        : null;
      const body = `${issuer.issuer}关于${topic.subject}的若干措施（征求意见稿）\n一、${topic.support(r)}。\n二、本措施由${issuer.issuer}负责解释。`;
      out.add(
        `${id}\t${copyText(`关于${topic.subject}的若干措施（征求意见稿）`)}\t${issuer.issuer}\t${issuer.region}\t${dayString(r.int(ANCHOR_DAY - 365, ANCHOR_DAY - 1))}\t${copyText(
          body,
        )}\t${copyNullable(note)}\n`,
      );
    },
  );

  const evaluations = tableJob(
    'policy_evaluations',
    ['id', 'document_id', 'evaluator', 'score', 'assessment', 'evaluated_on'],
    plan.evaluations,
    (id, out) => {
      const r = new Prng(plan.seed, S_EVAL, id);
      const documentId = r.int(1, plan.documents);
      const { published } = documentCore(plan, documentId);
      const evaluated = Math.min(ANCHOR_DAY - 1, published + r.int(90, 720));
      const score = r.int(55, 98);
      const assessment = `政策覆盖企业${r.int(20, 20_000)}家，兑现资金${(r.int(10, 5000) / 10).toFixed(1)}亿元，企业满意度${r.int(70, 99)}%；${r.pick(
        [
          '存在申报材料繁琐、兑现周期较长等问题，建议推行免申即享',
          '政策知晓率偏低，建议加强精准推送',
          '部分条款门槛过高，小微企业受益有限',
          '执行效果良好，建议延续实施',
        ],
      )}`;
      out.add(
        `${id}\t${documentId}\t${r.pick(['北京市中小企业服务中心', '北京市经济和信息化局政策法规处', '第三方评估机构（华信咨询）', '国务院发展研究中心企业研究所'])}\t${score}\t${copyText(
          assessment,
        )}\t${dayString(evaluated)}\n`,
      );
    },
  );

  return [[documents, drafts], [evaluations]];
}
