/** Findings of the security review, each kept fixed by a test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 30 });
});
afterAll(async () => {
  await w?.close();
});

describe('cost and shape limits cannot be dodged', () => {
  it('a chain of fragments each spread twice is measured in linear time and refused', async () => {
    const n = 40;
    const frags = Array.from({ length: n }, (_, i) => `fragment F${i} on Me { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const res = await w.gql('app', `{ me { ...F0 } } ${frags} fragment F${n} on Me { name }`);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('QUERY_TOO_COSTLY');
  });

  it('wrapping edges in an inline fragment does not hide a connection', async () => {
    const res = await w.gql(
      'app',
      '{ enterprises(first: 100) { ... on EnterpriseConnection { edges { node { taxRecords(first: 100) { ... on TaxRecordConnection { edges { node { taxYear taxPaid revenue } } } } } } } } }',
    );
    expect(errorCode(res.body)).toBe('QUERY_TOO_COSTLY');
  });

  it('a negative page size elsewhere does not offset the cost', async () => {
    const res = await w.gql(
      'app',
      '{ x: enterprises(first: -100000000) { edges { node { name } } } enterprises(first: 100) { edges { node { name taxRecords(first: 100) { edges { node { taxYear taxPaid revenue } } } } } } }',
    );
    expect(errorCode(res.body)).toBe('QUERY_TOO_COSTLY');
  });

  it('variable defaults count when no value is sent', async () => {
    const res = await w.gql(
      'app',
      'query($n: Int = 100) { enterprises(first: $n) { edges { node { taxRecords(first: $n) { edges { node { taxYear taxPaid revenue } } } } } } }',
    );
    expect(errorCode(res.body)).toBe('QUERY_TOO_COSTLY');
  });

  it('a query longer than the limit is refused before parsing', async () => {
    const res = await w.gql('app', `{ me { name } } # ${'x'.repeat(40_000)}`);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('QUERY_TOO_LONG');
  });
});

describe('the operation checked is the operation run', () => {
  it('runs only the named operation of a document, even after the document was compiled', async () => {
    const doc = `query Big($n: Int) { enterprises(first: $n) { edges { node { name taxRecords(first: $n) { edges { node { taxYear } } } } } } }
                 query Small { me { name } }`;
    const send = (operationName: string, n: number) => w.post({ query: doc, operationName, variables: { n } });
    await send('Big', 1);
    await send('Big', 1);
    const small = await send('Small', 100);
    expect(small.json()).toEqual({ data: { me: { name: 'test-app' } } });
    const big = await send('Big', 2);
    expect(Object.keys(big.json().data)).toEqual(['enterprises']);
  });

  it('variables are validated before anything runs, on every run, and their values never reach the log', async () => {
    const { app, lines } = await w.rebuildLogging();
    const q = 'query($f: EnterpriseFilter) { enterprises(first: 2, filter: $f) { edges { node { name } } } }';
    const send = (variables: unknown) => w.post({ query: q, variables }, { app });
    expect((await send({ f: { district: '海淀区' } })).statusCode).toBe(200);
    expect((await send({ f: { district: '海淀区' } })).statusCode).toBe(200);
    const bad = await send({ f: { idNumber: '110101199003071234' } });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(lines.join('')).not.toContain('110101199003071234');
  });
});

describe('inputs the store would choke on', () => {
  it('a filter value with a control character gets INVALID_ARGUMENT, not an internal error', async () => {
    const res = await w.gql('app', 'query($d: String) { enterprises(filter: { district: $d }) { edges { node { name } } } }', {
      d: 'a\u0000b',
    });
    expect(errorCode(res.body)).toBe('INVALID_ARGUMENT');
  });

  it('a filter value longer than 256 characters gets INVALID_ARGUMENT', async () => {
    const res = await w.gql('app', 'query($d: String) { enterprises(filter: { district: $d }) { edges { node { name } } } }', {
      d: '区'.repeat(300),
    });
    expect(errorCode(res.body)).toBe('INVALID_ARGUMENT');
  });
});

describe('nested cursors', () => {
  it('a cursor of one parent’s connection pages that parent and is refused under another', async () => {
    const { rows } = await w.dbs.stores.enterprise.query(
      'SELECT enterprise_id FROM tax_records GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1 LIMIT 2',
    );
    const [a, b] = rows.map((r) => String(r.enterprise_id));
    const page = (id: string, after?: string) =>
      w.gql(
        'app',
        'query($id: ID!, $after: String) { enterprise(id: $id) { taxRecords(first: 1, after: $after) { edges { node { id } } pageInfo { endCursor } } } }',
        { id, after },
      );
    type P = { enterprise: { taxRecords: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } } };
    const first = (await page(a as string)).body.data as unknown as P;
    const cursor = first.enterprise.taxRecords.pageInfo.endCursor;
    const next = (await page(a as string, cursor)).body.data as unknown as P;
    expect(next.enterprise.taxRecords.edges[0]?.node.id).not.toBe(first.enterprise.taxRecords.edges[0]?.node.id);
    const elsewhere = await page(b as string, cursor);
    expect(errorCode(elsewhere.body)).toBe('INVALID_CURSOR');
  });
});

describe('schema hints', () => {
  it('validation errors carry no "did you mean" hints for callers who may not introspect', async () => {
    const app = await w.gql('app', '{ investors { edges { node { bankAcc } } } }');
    expect(app.body.errors?.[0]?.message).not.toContain('Did you mean');
    const admin = await w.gql('sysadmin', '{ investors { edges { node { bankAcc } } } }');
    expect(admin.body.errors?.[0]?.message).toContain('Did you mean');
  });
});

describe('guessing keys', () => {
  it('failed authentications from one address are cut off with 429 past the budget, valid keys still work elsewhere', async () => {
    const app = await w.rebuild({ maxAuthFailuresPerMinute: 3 });
    const ask = (key: string, remoteAddress = '10.1.2.3') => w.post({ query: '{ me { name } }' }, { app, as: { key }, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await ask(`wdn_00000000000${i}_${'A'.repeat(43)}`)).statusCode).toBe(401);
    const cut = await ask(w.keys.app);
    expect(cut.statusCode).toBe(429);
    expect(errorCode(cut)).toBe('RATE_LIMITED');
    expect((await ask(w.keys.app, '10.9.9.9')).statusCode).toBe(200);
  });
});

describe('audit outcomes', () => {
  it('a read with some fields denied and the rest delivered is recorded as PARTIAL', async () => {
    const before = (await w.dbs.control.query('SELECT coalesce(max(seq), 0) AS s FROM warden.audit_events')).rows[0].s;
    const res = await w.gql(
      'app',
      '{ enterprises(first: 2) { edges { node { legalRepIdNumber } } } districtIndicators(first: 1) { edges { node { totalTaxPaid } } } }',
    );
    expect(res.body.errors?.map((e) => e.extensions.code)).toEqual(['INSUFFICIENT_LEVEL']);
    const { rows } = await w.dbs.control.query('SELECT outcome, counts FROM warden.audit_events WHERE seq > $1', [before]);
    expect(rows).toEqual([{ outcome: 'PARTIAL', counts: { CLEAR: 0, MASK: 2, DENY: 1 } }]);
  });
});
