import { checkUsccOrganisationCode, isValidLuhn, isValidMobile, isValidResidentId, isValidUscc } from '@warden/classify';
import type { StoreName } from '@warden/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../../../test/support/databases.js';
import { SEED_TABLES, type SeedSummary, seedStores } from './seed-stores.js';

const NOW = new Date('2026-11-01T00:00:00Z');
const ENTERPRISES = 2_000;
const BEIJING_DISTRICTS = [
  '东城区',
  '西城区',
  '朝阳区',
  '海淀区',
  '丰台区',
  '石景山区',
  '门头沟区',
  '房山区',
  '通州区',
  '顺义区',
  '昌平区',
  '大兴区',
  '怀柔区',
  '平谷区',
  '密云区',
  '延庆区',
];

async function column(pool: pg.Pool, sql: string): Promise<string[]> {
  return (await pool.query<{ v: string }>(sql)).rows.map((r) => r.v);
}

async function counts(dbs: TestDatabases): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const store of Object.keys(SEED_TABLES) as StoreName[]) {
    out[store] = {};
    for (const table of SEED_TABLES[store]) {
      const { rows } = await dbs.stores[store].query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
      (out[store] as Record<string, number>)[table] = rows[0]?.n as number;
    }
  }
  return out;
}

/** md5 over an ordered text dump of a few tables from each store. */
async function digest(dbs: TestDatabases): Promise<string> {
  const parts: string[] = [];
  for (const [store, table] of [
    ['enterprise', 'enterprises'],
    ['enterprise', 'employee_insurance'],
    ['enterprise', 'enterprise_requests'],
    ['policy', 'policy_documents'],
    ['investment', 'financing_events'],
    ['investment', 'investors'],
  ] as const) {
    const { rows } = await dbs.stores[store].query<{ h: string }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) AS h FROM "${table}" t`,
    );
    parts.push(`${table}:${rows[0]?.h}`);
  }
  return parts.join(' ');
}

describe('seeding the stores with synthetic data', () => {
  let dbs: TestDatabases;
  let summary: SeedSummary;
  const log: string[] = [];

  beforeAll(async () => {
    dbs = await createTestDatabases();
    summary = await seedStores({ pools: dbs.stores, enterprises: ENTERPRISES, seed: 7, now: NOW, log: (l) => log.push(l) });
  });
  afterAll(async () => {
    await dbs?.drop();
  });

  it('loads exactly the rows the summary reports, into every table', async () => {
    expect(await counts(dbs)).toEqual(summary.rows);
    expect(summary.rows.enterprise.enterprises).toBe(ENTERPRISES);
    for (const store of Object.keys(SEED_TABLES) as StoreName[]) {
      for (const [table, n] of Object.entries(summary.rows[store])) expect(n, `${store}.${table}`).toBeGreaterThan(0);
    }
    expect(summary.totalRows).toBe(
      Object.values(summary.rows)
        .flatMap((t) => Object.values(t))
        .reduce((a, b) => a + b, 0),
    );
    expect(log.at(-1)).toMatch(/^seeded \d+ rows for 2000 enterprises \(seed 7\)/);
  });

  it('computes the derived per-district indicators from the loaded rows, as of the given time', async () => {
    const { rows } = await dbs.stores.enterprise.query(
      'SELECT sum(enterprise_count)::int AS n, min(computed_at) AS first, max(computed_at) AS last FROM district_indicators',
    );
    expect(rows[0]).toEqual({ n: ENTERPRISES, first: NOW.toISOString(), last: NOW.toISOString() }); // the stores' pools read timestamps as text
  });

  it('gives each enterprise 1–2 credit records, at most 3 tax years and 4 insurance periods, at most 5 insured employees', async () => {
    const { rows } = await dbs.stores.enterprise.query<{ t: string; lo: number; hi: number }>(`
      SELECT 'credit' AS t, min(n)::int AS lo, max(n)::int AS hi FROM (SELECT count(c.id) n FROM enterprises e LEFT JOIN credit_records c ON c.enterprise_id = e.id GROUP BY e.id) x
      UNION ALL SELECT 'tax', min(n), max(n) FROM (SELECT count(*) n FROM tax_records GROUP BY enterprise_id) x
      UNION ALL SELECT 'social', min(n), max(n) FROM (SELECT count(*) n FROM social_insurance GROUP BY enterprise_id) x
      UNION ALL SELECT 'employees', min(n), max(n) FROM (SELECT count(*) n FROM employee_insurance GROUP BY enterprise_id) x
      UNION ALL SELECT 'qualifications', min(n), max(n) FROM (SELECT count(*) n FROM qualifications GROUP BY enterprise_id) x
      UNION ALL SELECT 'requests', min(n), max(n) FROM (SELECT count(*) n FROM enterprise_requests GROUP BY enterprise_id) x`);
    expect(Object.fromEntries(rows.map((r) => [r.t, [r.lo, r.hi]]))).toEqual({
      credit: [1, 2],
      tax: [1, 3],
      social: [1, 4],
      employees: [1, 5],
      qualifications: [1, 2],
      requests: [1, 2],
    });
  });

  it('gives every enterprise a valid, unique USCC with a valid organisation code, and about 2% individual businesses', async () => {
    const usccs = await column(dbs.stores.enterprise, 'SELECT uscc AS v FROM enterprises');
    expect(usccs.filter((u) => !isValidUscc(u) || !checkUsccOrganisationCode(u))).toEqual([]);
    expect(new Set(usccs).size).toBe(usccs.length);
    const individual = usccs.filter((u) => u.startsWith('92')).length;
    expect(individual).toBeGreaterThan(ENTERPRISES * 0.01);
    expect(individual).toBeLessThan(ENTERPRISES * 0.04);
    const listed = await column(dbs.stores.investment, 'SELECT uscc AS v FROM listed_companies');
    expect(listed.filter((u) => !isValidUscc(u))).toEqual([]);
  });

  it('gives every resident ID in every store a valid check character and a real birth date', async () => {
    const ids = [
      ...(await column(dbs.stores.enterprise, 'SELECT legal_rep_id_number AS v FROM enterprises')),
      ...(await column(dbs.stores.enterprise, 'SELECT employee_id_number AS v FROM employee_insurance')),
      ...(await column(dbs.stores.enterprise, 'SELECT qualified_person_id_number AS v FROM qualifications')),
      ...(await column(
        dbs.stores.enterprise,
        'SELECT complainant_id_number AS v FROM enterprise_requests WHERE complainant_id_number IS NOT NULL',
      )),
      ...(await column(dbs.stores.investment, 'SELECT id_number AS v FROM investors')),
    ];
    expect(ids.length).toBeGreaterThan(ENTERPRISES * 2);
    expect(ids.filter((id) => !isValidResidentId(id, NOW))).toEqual([]);
    expect(ids.some((id) => id.endsWith('X'))).toBe(true);
    const reps = await column(dbs.stores.enterprise, 'SELECT legal_rep_id_number AS v FROM enterprises');
    expect(reps.filter((id) => !id.startsWith('1101') || id.slice(6, 10) < '1950' || id.slice(6, 10) > '2004')).toEqual([]);
    const complainants = await column(
      dbs.stores.enterprise,
      'SELECT count(*)::text AS v FROM enterprise_requests WHERE complainant_id_number IS NOT NULL',
    );
    expect(Number(complainants[0])).toBeGreaterThan(0);
  });

  it('gives every mobile number a valid mainland format', async () => {
    const mobiles = [
      ...(await column(dbs.stores.enterprise, 'SELECT legal_rep_mobile AS v FROM enterprises')),
      ...(await column(dbs.stores.enterprise, 'SELECT contact_mobile AS v FROM enterprise_requests')),
      ...(await column(dbs.stores.investment, 'SELECT mobile AS v FROM investors')),
    ];
    expect(mobiles.filter((m) => !isValidMobile(m) || !/^1[3-9]\d{9}$/.test(m))).toEqual([]);
  });

  it('gives every investor bank account 16–19 digits with a valid Luhn check', async () => {
    const accounts = await column(dbs.stores.investment, 'SELECT bank_account AS v FROM investors');
    expect(accounts.filter((a) => !/^\d{16,19}$/.test(a) || !isValidLuhn(a))).toEqual([]);
    expect(new Set(accounts.map((a) => a.length)).size).toBeGreaterThan(2);
  });

  it('places enterprises in the 16 Beijing districts with matching addresses', async () => {
    const { rows } = await dbs.stores.enterprise.query<{ district: string; bad: number }>(
      `SELECT district, count(*) FILTER (WHERE address NOT LIKE '北京市' || district || '%')::int AS bad FROM enterprises GROUP BY district`,
    );
    expect(rows.map((r) => r.district).sort()).toEqual([...BEIJING_DISTRICTS].sort());
    expect(rows.filter((r) => r.bad > 0)).toEqual([]);
  });

  it('finances generated enterprises under their own USCCs and names', async () => {
    const { rows: enterprises } = await dbs.stores.enterprise.query<{ uscc: string; name: string }>('SELECT uscc, name FROM enterprises');
    const byUscc = new Map(enterprises.map((e) => [e.uscc, e.name]));
    const { rows: events } = await dbs.stores.investment.query<{ enterprise_uscc: string; enterprise_name: string; round: string }>(
      'SELECT enterprise_uscc, enterprise_name, round FROM financing_events',
    );
    expect(events.filter((e) => byUscc.get(e.enterprise_uscc) !== e.enterprise_name)).toEqual([]);
    expect(new Set(events.map((e) => e.round))).toContain('天使轮');
    const { rows } = await dbs.stores.investment.query<{ n: number; quotes: number; periods: number }>(
      'SELECT count(*)::int AS n, min(q)::int AS quotes, min(p)::int AS periods FROM (SELECT c.id, (SELECT count(*) FROM daily_quotes WHERE company_id = c.id) q, (SELECT count(*) FROM financial_indicators WHERE company_id = c.id) p FROM listed_companies c) x',
    );
    expect(rows[0]).toEqual({ n: 50, quotes: 20, periods: 4 });
  });

  it('covers national policy and at least 10 other regions, with unique document numbers, drafts and evaluations', async () => {
    const regions = await column(dbs.stores.policy, "SELECT DISTINCT region AS v FROM policy_documents WHERE admin_level <> 'national'");
    expect(regions.length).toBeGreaterThanOrEqual(10);
    expect(regions).toEqual(
      expect.arrayContaining([
        '北京市',
        '上海市',
        '天津市',
        '重庆市',
        '广东省',
        '江苏省',
        '浙江省',
        '山东省',
        '四川省',
        '湖北省',
        '河北省',
        '福建省',
      ]),
    );
    const levels = await column(dbs.stores.policy, 'SELECT DISTINCT admin_level AS v FROM policy_documents ORDER BY 1');
    expect(levels).toEqual(['district', 'municipal', 'national', 'provincial']);
    const numbers = await column(dbs.stores.policy, 'SELECT doc_number AS v FROM policy_documents');
    expect(numbers.filter((n) => !/^\S+〔20(19|2\d)〕\d+号$/.test(n))).toEqual([]);
    expect(summary.rows.policy.policy_drafts).toBeGreaterThanOrEqual(10);
    expect(summary.rows.policy.policy_evaluations).toBeGreaterThan(0);
  });

  it('carries newlines, backslashes and arrays through COPY unchanged', async () => {
    const { rows } = await dbs.stores.policy.query<{ tags: string[]; body: string }>(
      'SELECT tags, body FROM policy_documents ORDER BY id LIMIT 1',
    );
    expect(rows[0]?.tags.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]?.body).toContain('\n二、支持内容\n');
    const paths = await column(dbs.stores.enterprise, "SELECT request_text AS v FROM enterprise_requests WHERE request_text LIKE '%\\\\%'");
    expect(paths.length).toBeGreaterThan(0);
    expect(paths[0]).toMatch(/D:\\企业资料\\[^\\]+\.pdf$/);
    const multiline = await column(
      dbs.stores.enterprise,
      "SELECT request_text AS v FROM enterprise_requests WHERE request_text LIKE E'诉求：%\\n背景：%'",
    );
    expect(multiline.length).toBeGreaterThan(0);
  });

  it('is idempotent and deterministic: the same seed again gives the same rows, another seed other rows', async () => {
    const first = await digest(dbs);
    const again = await seedStores({ pools: dbs.stores, enterprises: ENTERPRISES, seed: 7, now: NOW });
    expect(again.rows).toEqual(summary.rows);
    expect(await counts(dbs)).toEqual(summary.rows);
    expect(await digest(dbs)).toBe(first);
    await seedStores({ pools: dbs.stores, enterprises: ENTERPRISES, seed: 8, now: NOW });
    const other = (await digest(dbs)).split(' ');
    for (const [i, part] of first.split(' ').entries()) expect(other[i]).not.toBe(part);
  });

  it('refuses a size that is not a positive integer before touching the stores', async () => {
    await expect(seedStores({ pools: dbs.stores, enterprises: 0, seed: 7, now: NOW })).rejects.toThrow(RangeError);
    const { rows } = await dbs.stores.enterprise.query<{ n: number }>('SELECT count(*)::int AS n FROM enterprises');
    expect(rows[0]?.n).toBe(ENTERPRISES);
  });
});
