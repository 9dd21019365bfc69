/**
 * The Neo4j lineage backend: (:Asset {urn, kind, dataset}) nodes and
 * [:FLOWS_TO {type, subtype, masking, jobNamespace, jobName, runId}]
 * relationships. Every value travels as a query parameter; the only text put
 * into a query is a walk's depth bound, after checkDepth made it an integer
 * from 1 to MAX_LINEAGE_DEPTH (Cypher takes no parameter there). Constraints
 * and indexes are created, if missing, before the store is handed out.
 */
import type { AssetUrn } from '@warden/core';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import {
  edgeOf,
  type LineageDirection,
  type LineageHop,
  type LineageNode,
  type LineagePath,
  type LineageStore,
  type StoredEdge,
} from './model.js';
import { checkDepth, checkPath, checkWalk, dedupeEdges, dedupeNodes } from './validate.js';

export const NEO4J_SCHEMA = [
  'CREATE CONSTRAINT lineage_asset_urn IF NOT EXISTS FOR (a:Asset) REQUIRE a.urn IS UNIQUE',
  'CREATE INDEX lineage_asset_dataset IF NOT EXISTS FOR (a:Asset) ON (a.dataset)',
  'CREATE INDEX lineage_flow_run IF NOT EXISTS FOR ()-[f:FLOWS_TO]-() ON (f.runId)',
  'CREATE INDEX lineage_flow_job IF NOT EXISTS FOR ()-[f:FLOWS_TO]-() ON (f.jobNamespace, f.jobName)',
] as const;

export const UPSERT_NODES = `UNWIND $nodes AS n
MERGE (a:Asset {urn: n.urn})
SET a.kind = n.kind, a.dataset = n.dataset`;

export const UPSERT_EDGES = `UNWIND $edges AS e
MERGE (a:Asset {urn: e.from})
  ON CREATE SET a.kind = e.fromKind, a.dataset = e.fromDataset
MERGE (b:Asset {urn: e.to})
  ON CREATE SET b.kind = e.toKind, b.dataset = e.toDataset
MERGE (a)-[f:FLOWS_TO {type: e.type, subtype: e.subtype}]->(b)
SET f.masking = e.masking,
    f.jobNamespace = coalesce(e.jobNamespace, f.jobNamespace),
    f.jobName = coalesce(e.jobName, f.jobName),
    f.runId = coalesce(e.runId, f.runId)`;

const EDGE_FIELDS = `startNode(f).urn AS fromUrn, endNode(f).urn AS toUrn, f.type AS flowType, f.subtype AS subtype,
  f.masking AS masking, f.jobNamespace AS jobNamespace, f.jobName AS jobName, f.runId AS runId`;

/** A walk bounded by `depth`, which must already have passed checkDepth. */
export function walkCypher(direction: LineageDirection, depth: number): string {
  const bound = checkDepth(depth);
  const pattern = direction === 'DOWNSTREAM' ? `-[:FLOWS_TO*1..${bound}]->` : `<-[:FLOWS_TO*1..${bound}]-`;
  return `MATCH p = (:Asset {urn: $urn})${pattern}(:Asset)
UNWIND range(0, length(p) - 1) AS i
WITH relationships(p)[i] AS f, i + 1 AS hop
WITH f, min(hop) AS depth
RETURN ${EDGE_FIELDS}, depth
ORDER BY depth, fromUrn, toUrn, flowType, subtype`;
}

export function pathCypher(depth: number): string {
  const bound = checkDepth(depth);
  return `MATCH (a:Asset {urn: $source}), (b:Asset {urn: $target})
MATCH p = shortestPath((a)-[:FLOWS_TO*1..${bound}]->(b))
WITH nodes(p) AS ns
UNWIND range(0, size(ns) - 2) AS i
WITH ns, i, ns[i] AS x, ns[i + 1] AS y
MATCH (x)-[f:FLOWS_TO]->(y)
RETURN [n IN ns | n.urn] AS nodes, i AS hop, ${EDGE_FIELDS}
ORDER BY hop, flowType, subtype`;
}

function toNumber(v: unknown): number {
  return neo4j.isInt(v) ? v.toNumber() : Number(v);
}

function nodeParams(nodes: readonly LineageNode[]) {
  return nodes.map((n) => ({ urn: n.urn, kind: n.kind, dataset: n.dataset ?? null }));
}

/** The Neo4j LineageStore on `driver`; it owns the driver and closes it with the store. */
export async function createNeo4jLineageStore(driver: Driver): Promise<LineageStore> {
  const write = async (work: (tx: ManagedTransaction) => Promise<unknown>): Promise<void> => {
    const session = driver.session();
    try {
      await session.executeWrite(work);
    } finally {
      await session.close();
    }
  };
  const read = async <T>(query: string, params: Record<string, unknown>, map: (r: Record<string, unknown>) => T): Promise<T[]> => {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      const result = await session.executeRead((tx) => tx.run(query, params));
      return result.records.map((rec) => map(rec.toObject()));
    } finally {
      await session.close();
    }
  };

  // Schema commands run one per transaction (Neo4j refuses schema and data changes together).
  for (const statement of NEO4J_SCHEMA) await write((tx) => tx.run(statement));

  const walk = async (urn: AssetUrn, direction: LineageDirection, depth: number): Promise<LineageHop[]> => {
    checkWalk(urn, direction, depth);
    return read(walkCypher(direction, depth), { urn }, (r) => ({ ...edgeOf(r as unknown as StoredEdge), depth: toNumber(r.depth) }));
  };

  return {
    backend: 'neo4j',
    async upsertNodes(nodes) {
      const checked = dedupeNodes(nodes);
      if (checked.length === 0) return;
      await write((tx) => tx.run(UPSERT_NODES, { nodes: nodeParams(checked) }));
    },
    async upsertEdges(edges) {
      const checked = dedupeEdges(edges);
      if (checked.length === 0) return;
      const ends = new Map(dedupeNodes([], checked).map((n) => [n.urn as string, n]));
      const params = checked.map((e) => ({
        from: e.from,
        to: e.to,
        fromKind: ends.get(e.from)?.kind ?? null,
        fromDataset: ends.get(e.from)?.dataset ?? null,
        toKind: ends.get(e.to)?.kind ?? null,
        toDataset: ends.get(e.to)?.dataset ?? null,
        type: e.type,
        subtype: e.subtype,
        masking: e.masking,
        jobNamespace: e.job?.namespace ?? null,
        jobName: e.job?.name ?? null,
        runId: e.runId ?? null,
      }));
      await write((tx) => tx.run(UPSERT_EDGES, { edges: params }));
    },
    walk,
    upstream: (urn, depth) => walk(urn, 'UPSTREAM', depth),
    downstream: (urn, depth) => walk(urn, 'DOWNSTREAM', depth),
    async path(from, to, depth): Promise<LineagePath | undefined> {
      checkPath(from, to, depth);
      if (from === to) return { nodes: [from], edges: [] };
      const rows = await read(pathCypher(depth), { source: from, target: to }, (r) => ({
        nodes: r.nodes as AssetUrn[],
        edge: edgeOf(r as unknown as StoredEdge),
      }));
      const first = rows[0];
      if (!first) return undefined;
      return { nodes: first.nodes, edges: rows.map((r) => r.edge) };
    },
    close: () => driver.close(),
  };
}
