/**
 * The audit log over GraphQL: auditors page through it (keyset on seq,
 * filtered) and ask for its verification (kept 60 s), each read audited in
 * turn and refused when that audit write fails; every other role is refused.
 */
import { createAuditReader, generateSigningKey, hashSourceIp } from '@warden/audit';
import { fixedClock } from '@warden/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, errorCode, type GqlBody, type RoleName, type TestWarden } from '../support/warden.js';

let w: TestWarden;
let readsBefore: string;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 20 });
  readsBefore = new Date().toISOString();
  const read = (as: RoleName, fields: string, remoteAddress?: string) =>
    w.post({ query: `{ enterprises(first: 2) { edges { node { ${fields} } } } }` }, { as, remoteAddress });
  for (let i = 0; i < 4; i++) expect((await read('app', 'name legalRepMobile', '203.0.113.7')).statusCode).toBe(200); // L4 masked
  expect((await read('app', 'name contactEmail')).statusCode).toBe(200); // L3
  expect((await read('sysadmin', 'legalRepMobile')).statusCode).toBe(403); // refused, audited as DENIED
});
afterAll(async () => {
  await w?.close();
});

interface Page {
  edges: { cursor: string; node: Record<string, unknown> }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const EVENTS = `query($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { seq eventId ts actorName roles auth sourceIpHash action operationHash highestLevel rows outcome reasonCode alg prevHash hash
      fields { field urn level disclosure detail } counts { clear mask deny } detail } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

async function page(variables: Record<string, unknown> = {}): Promise<Page> {
  const res = await w.gql('auditor', EVENTS, variables);
  expect(res.body.errors).toBeUndefined();
  return (res.body.data as { auditEvents: Page }).auditEvents;
}

describe('auditors reading the audit log', () => {
  it('get the events in sequence order, hash-linked, with the source address only as its keyed hash', async () => {
    const { rows } = await w.dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events');
    const all = await page({ first: 100 });
    expect(all.edges).toHaveLength(Math.min(rows[0].n, 100));
    const seqs = all.edges.map((e) => Number(e.node.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    for (let i = 1; i < all.edges.length; i++) expect(all.edges[i]?.node.prevHash).toBe(all.edges[i - 1]?.node.hash);
    const reads = all.edges.map((e) => e.node).filter((n) => n.action === 'graphql.read' && n.actorName === 'test-app');
    expect(reads).toHaveLength(5);
    const masked = reads[0] as Record<string, unknown>;
    expect(masked).toMatchObject({ roles: ['app'], auth: ['key'], highestLevel: 'L4', rows: 2, outcome: 'ALLOWED', alg: 'sha256' });
    expect(masked.counts).toEqual({ clear: 0, mask: 2, deny: 0 });
    expect(masked.fields).toContainEqual({
      field: 'Enterprise.legalRepMobile',
      urn: 'urn:warden:enterprise:public.enterprises.legal_rep_mobile',
      level: 'L4',
      disclosure: 'MASK',
      detail: 'mobile',
    });
    expect(masked.sourceIpHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(all)).not.toContain('203.0.113.7');
    expect(new Set(reads.slice(0, 4).map((r) => r.sourceIpHash)).size).toBe(1); // the same address, the same pseudonym
    expect(masked.sourceIpHash).not.toBe(hashSourceIp(Buffer.alloc(32), '203.0.113.7'));
  });

  it('page with sealed keyset cursors', async () => {
    const one = await page({ first: 2 });
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(one.pageInfo.endCursor).not.toMatch(/^\d+$/);
    const two = await page({ first: 2, after: one.pageInfo.endCursor });
    expect(two.pageInfo.hasPreviousPage).toBe(true);
    expect([...one.edges, ...two.edges].map((e) => Number(e.node.seq))).toEqual([1, 2, 3, 4]);
    const res = await w.gql('auditor', EVENTS, { after: 'MTIz' });
    expect(errorCode(res.body)).toBe('INVALID_CURSOR');
  });

  it('filter by actor, action, outcome, time, minimum level and grant', async () => {
    const byActor = await page({ first: 100, filter: { actorName: 'test-app', action: 'graphql.read' } });
    expect(byActor.edges).toHaveLength(5);
    const l4 = await page({ first: 100, filter: { actorName: 'test-app', minLevel: 'L4' } });
    expect(l4.edges).toHaveLength(4);
    expect(l4.edges.every((e) => e.node.highestLevel === 'L4')).toBe(true);
    const denied = await page({ first: 100, filter: { outcome: 'DENIED', action: 'graphql.read' } });
    expect(denied.edges.map((e) => [e.node.actorName, e.node.reasonCode])).toEqual([['test-sysadmin', 'FORBIDDEN']]);
    const since = await page({ first: 100, filter: { from: readsBefore, action: 'graphql.read' } });
    expect(since.edges).toHaveLength(6);
    expect((await page({ filter: { to: readsBefore, action: 'graphql.read' } })).edges).toHaveLength(0);
    expect((await page({ filter: { grantId: 'no-such-grant' } })).edges).toHaveLength(0);
    const paged = await page({ first: 3, filter: { actorName: 'test-app' } });
    const rest = await page({ first: 3, after: paged.pageInfo.endCursor, filter: { actorName: 'test-app' } });
    expect([...paged.edges, ...rest.edges].filter((e) => e.node.action === 'graphql.read')).toHaveLength(5);
  });

  it('are refused bad filters and pages over 100', async () => {
    for (const [variables, code] of [
      [{ filter: { minLevel: 'L9' } }, 'INVALID_ARGUMENT'],
      [{ filter: { outcome: 'MAYBE' } }, 'INVALID_ARGUMENT'],
      [{ filter: { from: 'yesterday' } }, 'INVALID_ARGUMENT'],
      [{ first: 0 }, 'INVALID_ARGUMENT'],
      [{ first: 101 }, 'PAGE_SIZE_EXCEEDED'],
    ] as const) {
      const res = await w.gql('auditor', EVENTS, variables);
      expect(errorCode(res.body)).toBe(code);
      expect(res.body.data).toBeNull();
    }
  });

  it('are audited themselves: each page is an audit.read event naming the filter', async () => {
    const filter = { actorName: 'test-app', minLevel: 'L4', from: readsBefore };
    const got = await page({ first: 3, filter });
    const { rows } = await w.dbs.control.query(
      "SELECT actor_name, roles, auth, action, outcome, rows, detail, source_ip FROM warden.audit_events WHERE action = 'audit.read' ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({
      actor_name: 'test-auditor',
      roles: ['auditor'],
      auth: ['key'],
      outcome: 'ALLOWED',
      rows: got.edges.length,
    });
    expect(rows[0].detail).toEqual({
      filter: { actorName: 'test-app', minLevel: 'L4', from: readsBefore },
      first: 3,
      after: 0,
      seqs: [Number(got.edges[0]?.node.seq), Number(got.edges[2]?.node.seq)],
    });
  });

  it('get the verification verdict, audited as audit.verify and kept for 60 s: intact, then the first bad seq once a row was edited behind the triggers', async () => {
    const clock = fixedClock('2026-11-02T02:00:00Z');
    let verifications = 0; // each recomputation reads the checkpoints once
    const pool = {
      query: ((...args: Parameters<typeof w.dbs.control.query>) => {
        if (String(args[0]).includes('warden.audit_checkpoints')) verifications += 1;
        return w.dbs.control.query(...args);
      }) as typeof w.dbs.control.query,
    };
    const app = await w.rebuild({ auditReader: createAuditReader(pool, { publicKeyPem: generateSigningKey().publicKeyPem, clock }) });
    const ask = async (query: string) => (await w.post({ query }, { app, as: 'auditor' })).json() as GqlBody;
    const lastVerify = async () =>
      (
        await w.dbs.control.query(
          "SELECT actor_name, detail FROM warden.audit_events WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1",
        )
      ).rows[0];
    const q = '{ auditVerification { ok events checkpoints firstBadSeq reason verifiedAt } }';
    const { rows } = await w.dbs.control.query('SELECT count(*)::int AS n FROM warden.audit_events');
    const intact = await ask(q);
    expect(intact.data).toEqual({
      auditVerification: {
        ok: true,
        events: rows[0].n,
        checkpoints: 0,
        firstBadSeq: null,
        reason: null,
        verifiedAt: '2026-11-02T02:00:00.000Z',
      },
    });
    expect(await lastVerify()).toEqual({
      actor_name: 'test-auditor',
      detail: { ok: true, events: rows[0].n, checkpoints: 0, verifiedAt: '2026-11-02T02:00:00.000Z' },
    });
    // Aliased fifteen times in one request: one recomputation at most (here none: the verdict is 0 s old).
    const aliased = await ask(`{ ${Array.from({ length: 15 }, (_, i) => `v${i}: auditVerification { ok verifiedAt }`).join(' ')} }`);
    expect(Object.values(aliased.data ?? {})).toEqual(Array(15).fill({ ok: true, verifiedAt: '2026-11-02T02:00:00.000Z' }));
    expect(verifications).toBe(1);
    const admin = new pg.Client({ connectionString: w.dbs.urls.control });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE warden.audit_events DISABLE TRIGGER USER');
      await admin.query("UPDATE warden.audit_events SET outcome = 'ALLOWED' WHERE outcome = 'DENIED' AND actor_name = 'test-sysadmin'");
      await admin.query('ALTER TABLE warden.audit_events ENABLE TRIGGER USER');
    } finally {
      await admin.end();
    }
    const seq = (await w.dbs.control.query("SELECT min(seq)::text AS s FROM warden.audit_events WHERE actor_name = 'test-sysadmin'"))
      .rows[0].s;
    clock.advance(59_999);
    expect(((await ask(q)).data as { auditVerification: unknown }).auditVerification).toMatchObject({ ok: true }); // still the kept verdict
    expect(verifications).toBe(1);
    clock.advance(1);
    const tampered = await ask(q);
    const reason = `event ${seq} was altered: its hash does not match its content`;
    expect(tampered.data).toMatchObject({
      auditVerification: { ok: false, firstBadSeq: seq, reason, verifiedAt: '2026-11-02T02:01:00.000Z' },
    });
    expect(verifications).toBe(2);
    expect((await lastVerify()).detail).toMatchObject({ ok: false, firstBadSeq: Number(seq), reason });
  });

  it('get no answer when their own audit event cannot be written (fail closed)', async () => {
    const app = await w.rebuild({ audit: { append: () => Promise.reject(new Error('disk full')), close: async () => {} } });
    for (const query of ['{ auditEvents(first: 1) { edges { node { seq } } } }', '{ auditVerification { ok } }']) {
      const res = await w.post({ query }, { app, as: 'auditor' });
      const body = res.json() as GqlBody;
      expect(errorCode(body)).toBe('AUDIT_UNAVAILABLE');
      expect(body.data).toBeNull();
    }
  });
});

describe('everyone but auditors', () => {
  for (const role of ['app', 'analyst', 'steward', 'officer', 'sysadmin'] as const) {
    it(`refuses ${role} the audit events and the verification`, async () => {
      const events = await w.gql(role, '{ auditEvents(first: 1) { edges { node { seq actorName } } } }');
      expect(errorCode(events.body)).toBe('FORBIDDEN');
      expect(events.body.data).toBeNull();
      expect(events.body.errors?.[0]?.message).toBe('The principal may not perform read the audit log');
      const verdict = await w.gql(role, '{ auditVerification { ok } }');
      expect(errorCode(verdict.body)).toBe('FORBIDDEN');
      expect(verdict.body.data).toBeNull();
      const filtered = await w.gql(role, '{ auditEvents(filter: { actorName: "test-app" }) { edges { node { seq } } } }');
      expect(errorCode(filtered.body)).toBe('FORBIDDEN');
    });
  }
});
