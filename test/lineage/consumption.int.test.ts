/**
 * Consumption lineage and impact analysis on a whole Warden: the governed
 * read records which fields the app principal received, clear or masked
 * (denied ones not), in memory until a flush or close; a steward's impact
 * analysis of a field lists its downstream assets with level and owner and
 * the applications that received it, and nobody else may ask.
 */
import type { AssetUrn, Clock } from '@warden/core';
import { type ConsumptionRecorder, createConsumptionRecorder, createPgLineageStore } from '@warden/lineage';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarden, errorCode, type GqlBody, type TestWarden } from '../support/warden.js';

const E = 'urn:warden:enterprise:public.enterprises';
const REPORT = 'urn:warden:enterprise:reports.enterprise_risk';
const clock: Clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const HOUR = 3_600_000;

let w: TestWarden;
let recorder: ConsumptionRecorder;
let app: FastifyInstance;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 5, clock });
  recorder = createConsumptionRecorder(w.dbs.control, { now: () => clock.now(), flushMs: HOUR });
  app = await w.rebuild({ consumption: recorder });
});
afterAll(async () => {
  await recorder?.close();
  await w?.close();
});

async function read(query: string, as: 'app' | 'steward' | 'analyst' = 'app', variables?: Record<string, unknown>) {
  const res = await w.post({ query, variables }, { app, as });
  return { status: res.statusCode, body: res.json() as GqlBody };
}

async function consumption() {
  const r = await w.dbs.control.query<{
    principal_name: string;
    day: string;
    urn: string;
    disclosure: string;
    reads: string;
    rows: string;
  }>(
    `SELECT principal_name, to_char(day, 'YYYY-MM-DD') AS day, urn, disclosure, reads::text, rows::text
       FROM warden.consumption ORDER BY urn, disclosure`,
  );
  return r.rows;
}

const NAMES_AND_MOBILES = '{ enterprises(first: 3) { edges { node { name legalRepMobile } } } }';

describe('consumption lineage', () => {
  it('records nothing until a flush, then the app received names in clear and mobiles masked', async () => {
    const res = await read(NAMES_AND_MOBILES);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(await consumption()).toEqual([]);
    await recorder.flush();
    expect(await consumption()).toEqual([
      { principal_name: 'test-app', day: '2026-11-20', urn: `${E}.legal_rep_mobile`, disclosure: 'MASK', reads: '1', rows: '3' },
      { principal_name: 'test-app', day: '2026-11-20', urn: `${E}.name`, disclosure: 'CLEAR', reads: '1', rows: '3' },
    ]);
  });

  it('adds later reads of the same day to the same counters', async () => {
    await read(NAMES_AND_MOBILES);
    await read(NAMES_AND_MOBILES);
    await recorder.flush();
    const mobile = (await consumption()).find((r) => r.urn === `${E}.legal_rep_mobile`);
    expect(mobile).toMatchObject({ disclosure: 'MASK', reads: '3', rows: '9' });
  });

  it('does not record a denied field as received, only the fields delivered with it', async () => {
    const res = await read('{ districtIndicators(first: 2) { edges { node { district totalTaxPaid } } } }');
    expect(res.body.errors?.map((e) => e.extensions.code)).toContain('INSUFFICIENT_LEVEL');
    await recorder.flush();
    const urns = (await consumption()).map((r) => r.urn);
    expect(urns).toContain('urn:warden:enterprise:public.district_indicators.district');
    expect(urns).not.toContain('urn:warden:enterprise:public.district_indicators.total_tax_paid');
  });

  it('does not record a read refused as a whole', async () => {
    const before = await consumption();
    const res = await read('{ enterprises(first: 2, filter: { legalRepMobile: "13800000000" }) { edges { node { name } } } }');
    expect(errorCode(res.body)).toBe('FILTER_NOT_ALLOWED');
    await recorder.flush();
    expect(await consumption()).toEqual(before);
  });

  it('writes the pending counters on close and records nothing after', async () => {
    const own = createConsumptionRecorder(w.dbs.control, { now: () => new Date('2026-11-21T08:00:00Z'), flushMs: HOUR });
    const other = await w.rebuild({ consumption: own });
    await w.post({ query: '{ enterprises(first: 2) { edges { node { legalRepMobile } } } }' }, { app: other });
    await own.close();
    const day = async () =>
      (await consumption()).filter((r) => r.day === '2026-11-21').map((r) => ({ urn: r.urn, disclosure: r.disclosure, reads: r.reads }));
    expect(await day()).toEqual([{ urn: `${E}.legal_rep_mobile`, disclosure: 'MASK', reads: '1' }]);
    await w.post({ query: '{ enterprises(first: 2) { edges { node { legalRepMobile } } } }' }, { app: other });
    await own.flush();
    expect(await day()).toEqual([{ urn: `${E}.legal_rep_mobile`, disclosure: 'MASK', reads: '1' }]);
  });
});

const IMPACT = `query($urn: String!, $depth: Int) { impact(urn: $urn, depth: $depth) {
  asset { urn depth level owner consumers { principalName disclosure reads rows firstDay lastDay } }
  downstream { urn depth level labelState owner consumers { principalName disclosure } }
  edges { from to subtype masking depth } } }`;

describe('impact analysis', () => {
  beforeAll(async () => {
    const lineage = createPgLineageStore(w.dbs.control);
    const u = (s: string) => s as AssetUrn;
    await lineage.upsertEdges([
      { from: u(`${E}.legal_rep_mobile`), to: u(`${REPORT}.contact_hash`), type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true },
      {
        from: u(`${REPORT}.contact_hash`),
        to: u('urn:warden:enterprise:reports.contact_audit.hash'),
        type: 'DIRECT',
        subtype: 'IDENTITY',
        masking: false,
      },
    ]);
  });

  it('a steward sees the downstream report column, its level, and the app that received the mobile masked', async () => {
    const res = await read(IMPACT, 'steward', { urn: `${E}.legal_rep_mobile` });
    expect(res.body.errors).toBeUndefined();
    const impact = res.body.data?.impact as Record<string, unknown>;
    expect(impact.asset).toEqual({
      urn: `${E}.legal_rep_mobile`,
      depth: 0,
      level: 'L4',
      owner: 'market-regulation-data-team',
      consumers: [{ principalName: 'test-app', disclosure: 'MASK', reads: 4, rows: 11, firstDay: '2026-11-20', lastDay: '2026-11-21' }],
    });
    expect(impact.downstream).toEqual([
      { urn: `${REPORT}.contact_hash`, depth: 1, level: null, labelState: null, owner: null, consumers: [] },
      { urn: 'urn:warden:enterprise:reports.contact_audit.hash', depth: 2, level: null, labelState: null, owner: null, consumers: [] },
    ]);
    expect(impact.edges).toHaveLength(2);
  });

  it('answers which applications received a field in clear', async () => {
    const res = await read(IMPACT, 'steward', { urn: `${E}.name` });
    expect(res.body.data?.impact).toMatchObject({
      asset: {
        level: 'L1',
        owner: 'market-regulation-data-team',
        consumers: [{ principalName: 'test-app', disclosure: 'CLEAR', reads: 3 }],
      },
      downstream: [],
    });
  });

  it('stops at the depth asked for', async () => {
    const res = await read(IMPACT, 'steward', { urn: `${E}.legal_rep_mobile`, depth: 1 });
    const impact = res.body.data?.impact as { downstream: { urn: string }[] };
    expect(impact.downstream.map((d) => d.urn)).toEqual([`${REPORT}.contact_hash`]);
  });

  it('a field nobody received and nothing derives from has an empty impact', async () => {
    const res = await read(IMPACT, 'steward', { urn: `${E}.legal_rep_id_number` });
    expect(res.body.data?.impact).toMatchObject({ asset: { level: 'L4', consumers: [] }, downstream: [], edges: [] });
  });

  it('a depth out of range is INVALID_ARGUMENT', async () => {
    const res = await read(IMPACT, 'steward', { urn: `${E}.legal_rep_mobile`, depth: 21 });
    expect(errorCode(res.body)).toBe('INVALID_ARGUMENT');
  });

  it('the app and an analyst, who may not read lineage, get FORBIDDEN', async () => {
    for (const as of ['app', 'analyst'] as const) {
      const res = await read(IMPACT, as, { urn: `${E}.legal_rep_mobile` });
      expect(errorCode(res.body)).toBe('FORBIDDEN');
      expect(res.body.data?.impact ?? null).toBeNull();
    }
  });
});
