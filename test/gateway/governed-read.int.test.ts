/** The governed read path end to end, through build() + inject, on real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden();
});
afterAll(async () => {
  await w?.close();
});

const ENTERPRISES = `{ enterprises(first: 5) { edges { node { id name uscc district legalRepName legalRepMobile legalRepIdNumber } } } }`;

type Node = Record<string, string | null>;
const nodes = (data: unknown, root: string): Node[] =>
  ((data as Record<string, { edges: { node: Node }[] }>)[root]?.edges ?? []).map((e) => e.node);

describe('an application fetching enterprise data', () => {
  it('receives mobiles and ID numbers masked and registry facts in clear', async () => {
    const res = await w.gql('app', ENTERPRISES);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const got = nodes(res.body.data, 'enterprises');
    const { rows } = await w.dbs.stores.enterprise.query('SELECT * FROM enterprises ORDER BY id LIMIT 5');
    expect(got).toHaveLength(5);
    got.forEach((n, i) => {
      const r = rows[i];
      expect(n.name).toBe(r.name);
      expect(n.uscc).toBe(r.uscc);
      // L2 alone, L3 next to the mobile (STANDARDS §1): masked for an application here.
      expect(n.legalRepName).toBe(
        `${Array.from(r.legal_rep_name as string)[0]}${'*'.repeat(Array.from(r.legal_rep_name as string).length - 1)}`,
      );
      expect(n.legalRepMobile).toBe(`${r.legal_rep_mobile.slice(0, 3)}****${r.legal_rep_mobile.slice(-4)}`);
      expect(n.legalRepIdNumber).toBe(`${r.legal_rep_id_number.slice(0, 3)}***********${r.legal_rep_id_number.slice(-4)}`);
      expect(n.legalRepIdNumber).not.toContain(r.legal_rep_id_number.slice(3, 14));
    });
  });

  it('receives the legal representative’s name in clear when no contact data comes with it', async () => {
    const res = await w.gql('app', '{ enterprises(first: 3) { edges { node { legalRepName district contactEmail } } } }');
    const withContact = nodes(res.body.data, 'enterprises');
    const alone = nodes(
      (await w.gql('app', '{ enterprises(first: 3) { edges { node { legalRepName district } } } }')).body.data,
      'enterprises',
    );
    const { rows } = await w.dbs.stores.enterprise.query('SELECT legal_rep_name FROM enterprises ORDER BY id LIMIT 3');
    expect(alone.map((n) => n.legalRepName)).toEqual(rows.map((r) => r.legal_rep_name));
    expect(withContact).toHaveLength(3);
    expect(withContact.every((n, i) => n.legalRepName !== rows[i]?.legal_rep_name && n.legalRepName?.includes('*'))).toBe(true);
  });

  it('pages with opaque cursors in id order, without repeating a row', async () => {
    const page = `query($after: String) { enterprises(first: 4, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const one = await w.gql('app', page);
    type Info = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    type Conn = { enterprises: { edges: { cursor: string }[]; pageInfo: Info } };
    const conn = (one.body.data as Conn).enterprises;
    const info = conn.pageInfo;
    expect(info.hasNextPage).toBe(true);
    expect(info.hasPreviousPage).toBe(false);
    expect(conn.edges.map((e) => e.cursor)).toHaveLength(4);
    expect(info.endCursor).not.toMatch(/^\d+$/);
    const two = await w.gql('app', page, { after: info.endCursor });
    expect((two.body.data as Conn).enterprises.pageInfo.hasPreviousPage).toBe(true);
    const fromMiddle = await w.gql('app', page, { after: conn.edges[1]?.cursor });
    expect(nodes(fromMiddle.body.data, 'enterprises')[0]?.id).toBe(nodes(one.body.data, 'enterprises')[2]?.id);
    const ids = [...nodes(one.body.data, 'enterprises'), ...nodes(two.body.data, 'enterprises')].map((n) => Number(n.id));
    expect(ids).toHaveLength(8);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(8);
  });

  it('is refused a forged cursor', async () => {
    const res = await w.gql('app', `{ enterprises(first: 2, after: "MTIz") { edges { node { id } } } }`);
    expect(errorCode(res.body)).toBe('INVALID_CURSOR');
    expect(nodes(res.body.data, 'enterprises')).toEqual([]);
  });

  it('filters on a field it sees in clear', async () => {
    const { rows } = await w.dbs.stores.enterprise.query(
      'SELECT district, count(*)::int AS n FROM enterprises GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
    );
    const res = await w.gql(
      'app',
      `query($d: String) { enterprises(first: 100, filter: { district: $d }) { edges { node { district } } } }`,
      { d: rows[0].district },
    );
    const got = nodes(res.body.data, 'enterprises');
    expect(got).toHaveLength(rows[0].n);
    expect(new Set(got.map((n) => n.district))).toEqual(new Set([rows[0].district]));
  });

  it('filters on a field it sees in clear without selecting it', async () => {
    const { rows } = await w.dbs.stores.enterprise.query("SELECT count(*)::int AS n FROM enterprises WHERE status = '存续'");
    const res = await w.gql('app', `{ enterprises(first: 100, filter: { status: "存续" }) { edges { node { name } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(nodes(res.body.data, 'enterprises')).toHaveLength(Math.min(rows[0].n, 100));
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('cannot filter on a field it sees only masked (no oracle)', async () => {
    const { rows } = await w.dbs.stores.enterprise.query('SELECT legal_rep_mobile FROM enterprises LIMIT 1');
    const res = await w.gql('app', `query($m: String) { enterprises(filter: { legalRepMobile: $m }) { edges { node { name } } } }`, {
      m: rows[0].legal_rep_mobile,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Filtering on Enterprise.legalRepMobile needs clear access to it', extensions: { code: 'FILTER_NOT_ALLOWED' } }],
    });
  });

  it('gets nested relations batched and masked by their own labels', async () => {
    const res = await w.gql(
      'app',
      `{ enterprises(first: 10) { edges { node { id taxRecords(first: 5) { edges { node { taxYear taxPaid } } } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const ents = nodes(res.body.data, 'enterprises');
    const { rows } = await w.dbs.stores.enterprise.query(
      'SELECT enterprise_id, count(*)::int AS n FROM tax_records WHERE enterprise_id = ANY($1::bigint[]) GROUP BY 1',
      [ents.map((e) => e.id)],
    );
    const counts = new Map(rows.map((r) => [String(r.enterprise_id), Math.min(r.n, 5)]));
    for (const e of ents as unknown as { id: string; taxRecords: { edges: { node: { taxYear: string; taxPaid: string } }[] } }[]) {
      expect(e.taxRecords.edges).toHaveLength(counts.get(e.id) ?? 0);
      for (const t of e.taxRecords.edges) {
        expect(t.node.taxYear).toMatch(/^\d{4}$/);
        expect(t.node.taxPaid).not.toMatch(/^\d+\.\d\d$/); // banded, not the amount
      }
    }
  });
});

describe('data that never leaves', () => {
  it('L5 platform-wide data is denied to an application, field by field', async () => {
    const res = await w.gql('app', `{ districtIndicators(first: 3) { edges { node { district totalTaxPaid } } } }`);
    const got = nodes(res.body.data, 'districtIndicators');
    expect(got.length).toBe(3);
    expect(got.every((n) => n.totalTaxPaid === null && typeof n.district === 'string')).toBe(true);
    expect(res.body.errors?.map((e) => e.extensions.code)).toEqual(['INSUFFICIENT_LEVEL']);
  });

  it('answers the same whether the query runs interpreted or compiled by graphql-jit', async () => {
    const q = `{ districtIndicators(first: 2) { edges { node { district totalTaxPaid } } } enterprises(first: 2) { edges { node { legalRepMobile } } } }`;
    const first = await w.gql('app', q); // interpreted; compiled from the second run on
    const second = await w.gql('app', q);
    const third = await w.gql('app', q);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(first.body.errors?.map((e) => e.extensions.code)).toEqual(['INSUFFICIENT_LEVEL']);
  });

  it('a column whose label is not approved is not served, and nothing about it leaks', async () => {
    const urn = 'urn:warden:enterprise:public.enterprises.contact_email';
    const current = w.labels.get(urn);
    if (!current) throw new Error('no label');
    await w.labels.append({ ...current, state: 'PENDING_REVIEW', proposedBy: 'test' });
    try {
      const res = await w.gql('app', `{ enterprises(first: 3) { edges { node { name contactEmail } } } }`);
      const got = nodes(res.body.data, 'enterprises');
      expect(got.map((n) => n.contactEmail)).toEqual([null, null, null]);
      expect(got.every((n) => typeof n.name === 'string')).toBe(true);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'ASSET_NOT_APPROVED' } });
      expect(JSON.stringify(res.body.errors)).not.toMatch(/urn:|L[1-5]|contact_email|@/);
    } finally {
      await w.labels.append({ ...current, state: 'APPROVED', proposedBy: 'test', reviewedBy: 'test-reviewer' });
    }
    const after = await w.gql('app', `{ enterprises(first: 1) { edges { node { contactEmail } } } }`);
    expect(after.body.errors).toBeUndefined();
  });

  it('core data is refused even with an approved label', async () => {
    const urn = 'urn:warden:enterprise:public.enterprises.business_scope';
    const current = w.labels.get(urn);
    if (!current) throw new Error('no label');
    await w.labels.append({ ...current, core: true, proposedBy: 'test', reviewedBy: 'test-reviewer' });
    try {
      const res = await w.gql('analyst', `{ enterprises(first: 2) { edges { node { businessScope } } } }`);
      expect(nodes(res.body.data, 'enterprises').map((n) => n.businessScope)).toEqual([null, null]);
      expect(res.body.errors?.map((e) => e.extensions.code)).toEqual(['CORE_DATA_REFUSED']);
    } finally {
      await w.labels.append({ ...current, core: false, proposedBy: 'test', reviewedBy: 'test-reviewer' });
    }
  });

  it('a system administrator may not read store data at all', async () => {
    const res = await w.gql('sysadmin', ENTERPRISES);
    expect(res.status).toBe(403);
    expect(res.body.data).toBeUndefined();
    expect(errorCode(res.body)).toBe('FORBIDDEN');
  });

  it('a system administrator may still ask who they are', async () => {
    const res = await w.gql('sysadmin', '{ me { name roles clearLevel maskLevel } }');
    expect(res.body).toEqual({ data: { me: { name: 'test-sysadmin', roles: ['sysadmin'], clearLevel: 'L1', maskLevel: 'L2' } } });
  });
});

describe('the audit write path', () => {
  it('records who read which L3+ fields and how, with counts and rows', async () => {
    const before = (await w.dbs.control.query('SELECT coalesce(max(seq), 0) AS s FROM warden.audit_events')).rows[0].s;
    const res = await w.gql('app', ENTERPRISES);
    expect(res.status).toBe(200);
    const { rows } = await w.dbs.control.query('SELECT * FROM warden.audit_events WHERE seq > $1', [before]);
    expect(rows).toHaveLength(1);
    const e = rows[0];
    expect(e.actor_name).toBe('test-app');
    expect(e.rows).toBe(5);
    expect(e.counts).toEqual({ CLEAR: 0, MASK: 15, DENY: 0 });
    expect(e.highest_level).toBe('L4');
    expect(e.outcome).toBe('ALLOWED');
    expect(e.fields.map((f: { field: string; disclosure: string }) => `${f.field}:${f.disclosure}`).sort()).toEqual([
      'Enterprise.legalRepIdNumber:MASK',
      'Enterprise.legalRepMobile:MASK',
      'Enterprise.legalRepName:MASK', // raised to L3 by the mobile beside it
    ]);
    expect(JSON.stringify(e)).not.toMatch(/1[3-9]\d{9}/);
  });

  it('writes nothing for a read of L1 and L2 data only', async () => {
    const before = (await w.dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events')).rows[0].n;
    await w.gql('app', '{ policyDocuments(first: 3) { edges { node { title region } } } }');
    const after = (await w.dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events')).rows[0].n;
    expect(after).toBe(before);
  });

  it('withholds L3+ data with 503 when the audit record cannot be written, and serves L1 data still', async () => {
    await w.dbs.control.query('ALTER TABLE warden.audit_events RENAME TO audit_events_offline');
    try {
      const res = await w.gql('app', ENTERPRISES);
      expect(res.status).toBe(503);
      expect(res.body.data).toBeUndefined();
      expect(errorCode(res.body)).toBe('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toMatch(/\*{4}/);
      const l1 = await w.gql('app', '{ enterprises(first: 2) { edges { node { name } } } }');
      expect(l1.status).toBe(200);
      expect(nodes(l1.body.data, 'enterprises')).toHaveLength(2);
    } finally {
      await w.dbs.control.query('ALTER TABLE warden.audit_events_offline RENAME TO audit_events');
    }
  });
});

describe('the audit write under load on the control database', () => {
  it('still commits, and the L3+ read still answers, while every control-pool connection is busy', async () => {
    await w.gql('app', ENTERPRISES); // the key is cached: the read itself needs no control connection
    const blocker = await w.dbs.control.connect();
    await blocker.query('SELECT pg_advisory_lock(4242)');
    // Every other connection of the control pool waits on that lock (as under a burst of password checks).
    const waiting = Array.from({ length: w.dbs.control.options.max - 1 }, () =>
      w.dbs.control.query('SELECT pg_advisory_lock(4242), pg_advisory_unlock(4242)'),
    );
    try {
      const res = await w.gql('app', ENTERPRISES);
      expect(res.status).toBe(200);
      expect(nodes(res.body.data, 'enterprises')[0]?.legalRepMobile).toMatch(/\*{4}/);
      expect(w.dbs.control.waitingCount + w.dbs.control.totalCount).toBeGreaterThanOrEqual(w.dbs.control.options.max);
    } finally {
      await blocker.query('SELECT pg_advisory_unlock(4242)');
      blocker.release();
      await Promise.all(waiting);
    }
  });
});

describe('auditing refused operations', () => {
  it('records a refused filter on an L4 field as a denied attempt, with no value in the record', async () => {
    const before = (await w.dbs.control.query('SELECT coalesce(max(seq), 0) AS s FROM warden.audit_events')).rows[0].s;
    const { rows: raw } = await w.dbs.stores.enterprise.query('SELECT legal_rep_id_number FROM enterprises LIMIT 1');
    const res = await w.gql('app', `query($v: String) { enterprises(filter: { legalRepIdNumber: $v }) { edges { node { name } } } }`, {
      v: raw[0].legal_rep_id_number,
    });
    expect(res.status).toBe(400);
    const { rows } = await w.dbs.control.query('SELECT * FROM warden.audit_events WHERE seq > $1', [before]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_name: 'test-app', outcome: 'DENIED', reason_code: 'FILTER_NOT_ALLOWED', rows: 0 });
    expect(JSON.stringify(rows[0])).not.toContain(raw[0].legal_rep_id_number);
  });

  it('records a forbidden read of L3+ fields as denied, and nothing for a forbidden read of public fields', async () => {
    const count = async () =>
      (await w.dbs.control.query("SELECT count(*)::int AS n FROM warden.audit_events WHERE actor_name = 'test-sysadmin'")).rows[0].n;
    const start = await count();
    expect((await w.gql('sysadmin', '{ enterprises(first: 1) { edges { node { name } } } }')).status).toBe(403);
    expect(await count()).toBe(start);
    expect((await w.gql('sysadmin', '{ enterprises(first: 1) { edges { node { legalRepMobile } } } }')).status).toBe(403);
    expect(await count()).toBe(start + 1);
  });
});
