/**
 * OpenLineage ingestion (POST /api/v1/lineage) and the stewards' GraphQL
 * lineage queries, on a whole Warden: a spec-style RunEvent with the
 * columnLineage facet ingests and its edges appear; invalid events get 400
 * naming the schema errors and change nothing; only a service principal that
 * may `write Lineage` posts; re-sending is idempotent; only `read Lineage`
 * walks, with depth checked.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, PASSWORD } from '../support/users.js';
import { type Caller, createTestWarden, errorCode, type TestWarden } from '../support/warden.js';

let w: TestWarden;
beforeAll(async () => {
  w = await createTestWarden({ enterprises: 5 });
});
afterAll(async () => {
  await w?.close();
});

const RUN_ID = '0190c3a4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

/** After the OpenLineage spec's column-lineage example: two Warden tables in, one report table out, one file outside Warden. */
function event(): Record<string, unknown> {
  const t = (type: string, subtype: string, masking = false) => ({ type, subtype, description: '', masking });
  return {
    eventType: 'COMPLETE',
    eventTime: '2026-11-20T10:00:00.000Z',
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/spark',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: RUN_ID, facets: {} },
    job: { namespace: 'reports', name: 'daily_enterprise_risk', facets: {} },
    inputs: [
      { namespace: 'postgres://db.internal:5432', name: 'enterprise.public.enterprises', facets: {} },
      { namespace: 'warden://enterprise', name: 'public.credit_records' },
      { namespace: 's3://landing', name: 'raw/sanctions.csv' },
    ],
    outputs: [
      {
        namespace: 'postgres://db.internal:5432/enterprise',
        name: 'reports.enterprise_risk',
        facets: {
          columnLineage: {
            _producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/spark',
            _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
            fields: {
              name: {
                inputFields: [
                  {
                    namespace: 'postgres://db.internal:5432',
                    name: 'enterprise.public.enterprises',
                    field: 'name',
                    transformations: [t('DIRECT', 'IDENTITY')],
                  },
                ],
              },
              contact_hash: {
                inputFields: [
                  {
                    namespace: 'postgres://db.internal:5432',
                    name: 'enterprise.public.enterprises',
                    field: 'legal_rep_mobile',
                    transformations: [t('DIRECT', 'TRANSFORMATION', true)],
                  },
                ],
              },
              avg_score: {
                inputFields: [
                  {
                    namespace: 'warden://enterprise',
                    name: 'public.credit_records',
                    field: 'credit_score',
                    transformations: [t('DIRECT', 'AGGREGATION'), t('INDIRECT', 'GROUP_BY')],
                  },
                  { namespace: 's3://landing', name: 'raw/sanctions.csv', field: 'score', transformations: [t('DIRECT', 'IDENTITY')] },
                ],
              },
            },
            dataset: [
              {
                namespace: 'warden://enterprise',
                name: 'public.credit_records',
                field: 'enterprise_id',
                transformations: [t('INDIRECT', 'JOIN')],
              },
            ],
          },
        },
      },
    ],
  };
}

function ingest(body: unknown, as: Caller | { token: string } = 'app'): Promise<LightMyRequestResponse> {
  const key = typeof as === 'string' ? w.keys[as] : 'token' in as ? as.token : as.key;
  return w.app.inject({
    method: 'POST',
    url: '/api/v1/lineage',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

async function counts(): Promise<{ nodes: number; edges: number }> {
  const r = await w.dbs.control.query<{ nodes: number; edges: number }>(
    'SELECT (SELECT count(*)::int FROM warden.lineage_nodes) AS nodes, (SELECT count(*)::int FROM warden.lineage_edges) AS edges',
  );
  return r.rows[0] as { nodes: number; edges: number };
}

const E = 'urn:warden:enterprise:public.enterprises';
const C = 'urn:warden:enterprise:public.credit_records';
const R = 'urn:warden:enterprise:reports.enterprise_risk';

const WALK = `query ($urn: String!, $direction: LineageDirection!, $depth: Int) {
  lineage(urn: $urn, direction: $direction, depth: $depth) { from to type subtype masking depth jobNamespace jobName runId }
}`;
const PATH = `query ($from: String!, $to: String!, $depth: Int) {
  lineagePath(from: $from, to: $to, depth: $depth) { nodes edges { from to type subtype masking } }
}`;

describe('POST /api/v1/lineage', () => {
  it('refuses invalid events with 400 naming the schema errors, writing nothing', async () => {
    const before = await counts();
    const noRun = event();
    noRun.run = { facets: {} };
    const res = await ingest(noRun);
    expect(res.statusCode).toBe(400);
    const errors = (res.json() as { errors: { message: string; extensions: { code: string } }[] }).errors;
    expect(errors[0]?.extensions.code).toBe('INVALID_ARGUMENT');
    expect(errors.map((e) => e.message).join('\n')).toContain("event/run: must have required property 'runId'");

    const badType = event() as {
      outputs: { facets: { columnLineage: { fields: Record<string, { inputFields: { transformations: object[] }[] }> } } }[];
    };
    const avg = badType.outputs[0]?.facets.columnLineage.fields.avg_score?.inputFields[0];
    if (!avg) throw new Error('fixture');
    avg.transformations = [{ type: 'COPY', subtype: 'IDENTITY', masking: false }];
    const res2 = await ingest(badType);
    expect(res2.statusCode).toBe(400);
    expect(res2.body).toContain('/outputs/0/facets/columnLineage/fields/avg_score/inputFields/0/transformations/0/type');
    expect(res2.body).toContain('DIRECT, INDIRECT');

    const badSubtype = event() as typeof badType;
    const name = badSubtype.outputs[0]?.facets.columnLineage.fields.name?.inputFields[0];
    if (!name) throw new Error('fixture');
    name.transformations = [{ type: 'DIRECT', subtype: 'JOIN' }];
    const res3 = await ingest(badSubtype);
    expect(res3.statusCode).toBe(400);
    expect(res3.body).toContain('transformations/0/subtype');

    const badTable = event() as { inputs: { namespace: string; name: string }[] };
    badTable.inputs[1] = { namespace: 'warden://enterprise', name: 'credit_records' };
    const res4 = await ingest(badTable);
    expect(res4.statusCode).toBe(400);
    expect(errorCode(res4)).toBe('INVALID_ARGUMENT');
    expect(res4.body).toContain('event/inputs/1');

    expect(await counts()).toEqual(before);
  });

  it('refuses principals that may not write lineage (403) and requests without credentials (401)', async () => {
    const before = await counts();
    for (const role of ['analyst', 'steward', 'officer', 'auditor', 'sysadmin'] as const) {
      const res = await ingest(event(), role);
      expect(res.statusCode, role).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    // A person holding the app role is still no service.
    await w.users.create({ name: 'app-person', roles: ['app'], password: PASSWORD }, { cli: 'test' });
    const token = (await login(w, 'app-person', PASSWORD)).json().data.login.token as string;
    const human = await ingest(event(), { token });
    expect(human.statusCode).toBe(403);
    expect(errorCode(human)).toBe('FORBIDDEN');
    const none = await w.app.inject({
      method: 'POST',
      url: '/api/v1/lineage',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(none.statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("ingests a spec-style event with columnLineage: its edges appear, datasets outside Warden's stores are skipped", async () => {
    const res = await ingest(event());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ nodes: 3, edges: 5, skipped: ['s3://landing/raw/sanctions.csv'] });

    const down = await w.gql('steward', WALK, { urn: `${E}.legal_rep_mobile`, direction: 'DOWNSTREAM' });
    expect(down.body.errors).toBeUndefined();
    expect(down.body.data?.lineage).toEqual([
      {
        from: `${E}.legal_rep_mobile`,
        to: `${R}.contact_hash`,
        type: 'DIRECT',
        subtype: 'TRANSFORMATION',
        masking: true,
        depth: 1,
        jobNamespace: 'reports',
        jobName: 'daily_enterprise_risk',
        runId: RUN_ID,
      },
    ]);
    const up = await w.gql('steward', WALK, { urn: `${R}.avg_score`, direction: 'UPSTREAM', depth: 1 });
    const hops = up.body.data?.lineage as { from: string; type: string; subtype: string }[];
    expect(hops.map((h) => `${h.from} ${h.type}/${h.subtype}`)).toEqual([
      `${C}.credit_score DIRECT/AGGREGATION`,
      `${C}.credit_score INDIRECT/GROUP_BY`,
    ]);
    const toTable = await w.gql('steward', WALK, { urn: R, direction: 'UPSTREAM' });
    expect(toTable.body.data?.lineage).toMatchObject([{ from: `${C}.enterprise_id`, to: R, type: 'INDIRECT', subtype: 'JOIN' }]);
  });

  it('takes the same event again without changing anything', async () => {
    const nodes = await counts();
    expect(nodes).toEqual({ nodes: 3 + 7, edges: 5 }); // 3 tables, 7 columns
    const before = await w.dbs.control.query('SELECT * FROM warden.lineage_edges ORDER BY from_urn, to_urn, type, subtype');
    const res = await ingest(event());
    expect(res.statusCode).toBe(201);
    const after = await w.dbs.control.query('SELECT * FROM warden.lineage_edges ORDER BY from_urn, to_urn, type, subtype');
    expect(after.rows.map(({ updated_at: _u, ...r }) => r)).toEqual(before.rows.map(({ updated_at: _u, ...r }) => r));
    expect(await counts()).toEqual(nodes);
  });
});

describe('GraphQL lineage queries', () => {
  it('a steward gets the path between two assets; none is null', async () => {
    const res = await w.gql('steward', PATH, { from: `${E}.name`, to: `${R}.name` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.lineagePath).toEqual({
      nodes: [`${E}.name`, `${R}.name`],
      edges: [{ from: `${E}.name`, to: `${R}.name`, type: 'DIRECT', subtype: 'IDENTITY', masking: false }],
    });
    const none = await w.gql('steward', PATH, { from: `${R}.name`, to: `${E}.name` });
    expect(none.body.data?.lineagePath).toBeNull();
  });

  it('refuses principals that may not read lineage (deny twins of the steward)', async () => {
    for (const role of ['app', 'analyst', 'auditor', 'sysadmin'] as const) {
      const walk = await w.gql(role, WALK, { urn: `${E}.name`, direction: 'DOWNSTREAM' });
      expect(errorCode(walk.body), role).toBe('FORBIDDEN');
      const path = await w.gql(role, PATH, { from: `${E}.name`, to: `${R}.name` });
      expect(errorCode(path.body), role).toBe('FORBIDDEN');
    }
  });

  it('answers INVALID_ARGUMENT for a depth outside 1–20 or a URN that is no asset', async () => {
    for (const depth of [0, 21, -1, null]) {
      const walk = await w.gql('steward', WALK, { urn: `${E}.name`, direction: 'DOWNSTREAM', depth });
      expect(errorCode(walk.body), String(depth)).toBe('INVALID_ARGUMENT');
      const path = await w.gql('steward', PATH, { from: `${E}.name`, to: `${R}.name`, depth });
      expect(errorCode(path.body), String(depth)).toBe('INVALID_ARGUMENT');
    }
    const bad = await w.gql('steward', WALK, { urn: 'urn:openlineage:s3:raw', direction: 'UPSTREAM' });
    expect(errorCode(bad.body)).toBe('INVALID_ARGUMENT');
  });
});
