/**
 * The Neo4j backend at the driver boundary: a recording stand-in for the
 * driver's Session/Transaction `run(query, params)` records the Cypher and
 * parameters sent and answers with scripted records. The graph behaviour
 * itself is the contract suite's (test/lineage), run on a real Neo4j.
 */
import { columnUrn, isWardenError, tableUrn } from '@warden/core';
import neo4j, { type Driver } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import type { LineageEdge } from './model.js';
import { createNeo4jLineageStore, NEO4J_SCHEMA, UPSERT_EDGES, UPSERT_NODES } from './neo4j-lineage-store.js';

interface Sent {
  query: string;
  params: Record<string, unknown> | undefined;
  mode: 'read' | 'write';
}

function recordingDriver(answers: Record<string, unknown>[][] = []) {
  const sent: Sent[] = [];
  let sessions = 0;
  let closedSessions = 0;
  let closed = false;
  const tx = (mode: Sent['mode']) => ({
    run: async (query: string, params?: Record<string, unknown>) => {
      sent.push({ query, params, mode });
      const rows = mode === 'read' ? (answers.shift() ?? []) : [];
      return { records: rows.map((row) => ({ toObject: () => row })) };
    },
  });
  const driver = {
    session: () => {
      sessions++;
      return {
        executeWrite: <T>(work: (t: unknown) => Promise<T>) => work(tx('write')),
        executeRead: <T>(work: (t: unknown) => Promise<T>) => work(tx('read')),
        close: async () => {
          closedSessions++;
        },
      };
    },
    close: async () => {
      closed = true;
    },
  };
  return {
    driver: driver as unknown as Driver,
    sent,
    sessions: () => ({ opened: sessions, closed: closedSessions }),
    closed: () => closed,
  };
}

const a = columnUrn('enterprise', 'public', 'companies', 'uscc');
const b = columnUrn('warehouse', 'dw', 'report', 'uscc');
const report = tableUrn('warehouse', 'dw', 'report');
const runId = '0190b6f0-0000-7000-8000-000000000001';

async function expectInvalid(work: Promise<unknown>, argument: string): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWardenError(error) && [error.code, error.params.argument]).toEqual(['INVALID_ARGUMENT', argument]);
}

describe('Neo4j lineage store at the driver boundary', () => {
  it('creates its constraint and indexes, each in its own write, before it is handed out', async () => {
    const rec = recordingDriver();
    await createNeo4jLineageStore(rec.driver);
    expect(rec.sent).toEqual(NEO4J_SCHEMA.map((query) => ({ query, params: undefined, mode: 'write' })));
    expect(NEO4J_SCHEMA.every((q) => q.includes('IF NOT EXISTS'))).toBe(true);
    expect(NEO4J_SCHEMA[0]).toBe('CREATE CONSTRAINT lineage_asset_urn IF NOT EXISTS FOR (a:Asset) REQUIRE a.urn IS UNIQUE');
    expect(rec.sessions()).toEqual({ opened: NEO4J_SCHEMA.length, closed: NEO4J_SCHEMA.length });
  });

  it('sends nodes as one parameter list, never in the query text', async () => {
    const rec = recordingDriver();
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    await store.upsertNodes([
      { urn: b, kind: 'FIELD' },
      { urn: report, kind: 'DATASET' },
    ]);
    expect(rec.sent).toEqual([
      {
        query: UPSERT_NODES,
        params: {
          nodes: [
            { urn: b, kind: 'FIELD', dataset: report },
            { urn: report, kind: 'DATASET', dataset: null },
          ],
        },
        mode: 'write',
      },
    ]);
  });

  it('sends edges with their ends, type, masking, job and run as parameters, one per key', async () => {
    const rec = recordingDriver();
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    const edge: LineageEdge = {
      from: a,
      to: b,
      type: 'DIRECT',
      subtype: 'TRANSFORMATION',
      masking: true,
      job: { namespace: 'etl', name: 'load' },
      runId,
    };
    await store.upsertEdges([edge, edge]);
    expect(rec.sent).toEqual([
      {
        query: UPSERT_EDGES,
        params: {
          edges: [
            {
              from: a,
              to: b,
              fromKind: 'FIELD',
              fromDataset: tableUrn('enterprise', 'public', 'companies'),
              toKind: 'FIELD',
              toDataset: report,
              type: 'DIRECT',
              subtype: 'TRANSFORMATION',
              masking: true,
              jobNamespace: 'etl',
              jobName: 'load',
              runId,
            },
          ],
        },
        mode: 'write',
      },
    ]);
    expect(UPSERT_EDGES).not.toContain('enterprise');
  });

  it('an invalid edge sends nothing', async () => {
    const rec = recordingDriver();
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    await expectInvalid(
      store.upsertEdges([{ from: a, to: b, type: 'INDIRECT', subtype: 'IDENTITY', masking: false } as unknown as LineageEdge]),
      'subtype',
    );
    expect(rec.sent).toEqual([]);
  });

  it.each([
    ['DOWNSTREAM', '-[:FLOWS_TO*1..3]->'],
    ['UPSTREAM', '<-[:FLOWS_TO*1..3]-'],
  ] as const)('walks %s with the depth as the only bound in the text and the URN as a parameter', async (direction, pattern) => {
    const rec = recordingDriver([
      [
        {
          fromUrn: a,
          toUrn: b,
          flowType: 'DIRECT',
          subtype: 'IDENTITY',
          masking: false,
          jobNamespace: null,
          jobName: null,
          runId: null,
          depth: neo4j.int(2),
        },
      ],
    ]);
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    const hops = await store.walk(a, direction, 3);
    expect(rec.sent).toHaveLength(1);
    expect(rec.sent[0]?.mode).toBe('read');
    expect(rec.sent[0]?.params).toEqual({ urn: a });
    expect(rec.sent[0]?.query).toContain(`MATCH p = (:Asset {urn: $urn})${pattern}(:Asset)`);
    expect(rec.sent[0]?.query).not.toContain(a);
    expect(hops).toEqual([{ from: a, to: b, type: 'DIRECT', subtype: 'IDENTITY', masking: false, depth: 2 }]);
  });

  it('a depth that is not an integer from 1 to 20 never reaches the query', async () => {
    const rec = recordingDriver();
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    for (const depth of [0, 21, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expectInvalid(store.downstream(a, depth), 'depth');
      await expectInvalid(store.path(a, b, depth), 'depth');
    }
    expect(rec.sent).toEqual([]);
  });

  it('asks for the shortest path with both ends as parameters and rebuilds it from the records', async () => {
    const x = columnUrn('warehouse', 'dw', 'stage', 'uscc');
    const row = { nodes: [a, x, b], jobNamespace: 'etl', jobName: 'load', runId, masking: false };
    const rec = recordingDriver([
      [
        { ...row, hop: neo4j.int(0), fromUrn: a, toUrn: x, flowType: 'DIRECT', subtype: 'IDENTITY' },
        { ...row, hop: neo4j.int(1), fromUrn: x, toUrn: b, flowType: 'INDIRECT', subtype: 'JOIN' },
      ],
    ]);
    const store = await createNeo4jLineageStore(rec.driver);
    rec.sent.length = 0;
    const path = await store.path(a, b, 4);
    expect(rec.sent[0]?.params).toEqual({ source: a, target: b });
    expect(rec.sent[0]?.query).toContain('shortestPath((a)-[:FLOWS_TO*1..4]->(b))');
    expect(path).toEqual({
      nodes: [a, x, b],
      edges: [
        { from: a, to: x, type: 'DIRECT', subtype: 'IDENTITY', masking: false, job: { namespace: 'etl', name: 'load' }, runId },
        { from: x, to: b, type: 'INDIRECT', subtype: 'JOIN', masking: false, job: { namespace: 'etl', name: 'load' }, runId },
      ],
    });
  });

  it('no path records is no path', async () => {
    const rec = recordingDriver([[]]);
    const store = await createNeo4jLineageStore(rec.driver);
    expect(await store.path(a, b, 4)).toBeUndefined();
  });

  it('closes every session it opens, and the driver with the store', async () => {
    const rec = recordingDriver([[], []]);
    const store = await createNeo4jLineageStore(rec.driver);
    await store.downstream(a, 1);
    await store.upsertNodes([{ urn: a, kind: 'FIELD' }]);
    const { opened, closed } = rec.sessions();
    expect(closed).toBe(opened);
    expect(rec.closed()).toBe(false);
    await store.close();
    expect(rec.closed()).toBe(true);
  });
});
