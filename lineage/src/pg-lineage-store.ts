/**
 * The embedded lineage backend: tables warden.lineage_nodes and
 * warden.lineage_edges (migration 008) on the control database. Walks are
 * recursive CTEs bounded by the depth; a walk keeps one row per (asset, depth)
 * — UNION drops repeats — so cycles terminate and dense graphs do not expand
 * every path. The path query carries the visited assets as an array and never
 * re-enters one.
 */
import type { AssetUrn } from '@warden/core';
import { inTransaction } from '@warden/core';
import type pg from 'pg';
import { edgeOf, type LineageDirection, type LineageHop, type LineageNode, type LineageStore, type StoredEdge } from './model.js';
import { checkPath, checkWalk, dedupeEdges, dedupeNodes } from './validate.js';

const UPSERT_NODES = `
INSERT INTO warden.lineage_nodes (urn, kind, dataset_urn)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT (urn) DO UPDATE SET kind = EXCLUDED.kind, dataset_urn = EXCLUDED.dataset_urn, updated_at = now()
WHERE (lineage_nodes.kind, lineage_nodes.dataset_urn) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.dataset_urn)`;

const UPSERT_EDGES = `
INSERT INTO warden.lineage_edges (from_urn, to_urn, type, subtype, masking, job_namespace, job_name, run_id)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::uuid[])
ON CONFLICT (from_urn, to_urn, type, subtype) DO UPDATE
SET masking = EXCLUDED.masking,
    job_namespace = COALESCE(EXCLUDED.job_namespace, lineage_edges.job_namespace),
    job_name = COALESCE(EXCLUDED.job_name, lineage_edges.job_name),
    run_id = COALESCE(EXCLUDED.run_id, lineage_edges.run_id),
    updated_at = now()`;

/** Named as StoredEdge, so that edgeOf reads them. */
const EDGE_COLUMNS = `e.from_urn AS "fromUrn", e.to_urn AS "toUrn", e.type AS "flowType", e.subtype, e.masking,
  e.job_namespace AS "jobNamespace", e.job_name AS "jobName", e.run_id AS "runId"`;

/** Downstream: follow from_urn → to_urn. Upstream swaps the two columns. */
function walkQuery(direction: LineageDirection): string {
  const [near, far] = direction === 'DOWNSTREAM' ? ['from_urn', 'to_urn'] : ['to_urn', 'from_urn'];
  return `
WITH RECURSIVE reached (urn, depth) AS (
  SELECT $1::text, 0
  UNION
  SELECT e.${far}, r.depth + 1
  FROM reached r JOIN warden.lineage_edges e ON e.${near} = r.urn
  WHERE r.depth < $2 - 1
),
nearest AS (SELECT urn, min(depth) AS depth FROM reached GROUP BY urn)
SELECT ${EDGE_COLUMNS}, n.depth + 1 AS depth
FROM nearest n JOIN warden.lineage_edges e ON e.${near} = n.urn
ORDER BY depth, e.from_urn, e.to_urn, e.type, e.subtype`;
}

const WALKS = { DOWNSTREAM: walkQuery('DOWNSTREAM'), UPSTREAM: walkQuery('UPSTREAM') };

const PATH = `
WITH RECURSIVE paths (urn, trail) AS (
  SELECT $1::text, ARRAY[$1::text]
  UNION ALL
  SELECT e.to_urn, p.trail || e.to_urn
  FROM paths p JOIN warden.lineage_edges e ON e.from_urn = p.urn
  WHERE cardinality(p.trail) <= $3 AND p.urn <> $2 AND NOT e.to_urn = ANY (p.trail)
)
SELECT trail FROM paths WHERE urn = $2 ORDER BY cardinality(trail), trail LIMIT 1`;

const PATH_EDGES = `
SELECT ${EDGE_COLUMNS}
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS hop (from_urn, to_urn, n)
JOIN warden.lineage_edges e ON e.from_urn = hop.from_urn AND e.to_urn = hop.to_urn
ORDER BY hop.n, e.type, e.subtype`;

async function writeNodes(client: pg.PoolClient, nodes: readonly LineageNode[]): Promise<void> {
  if (nodes.length === 0) return;
  await client.query(UPSERT_NODES, [nodes.map((n) => n.urn), nodes.map((n) => n.kind), nodes.map((n) => n.dataset ?? null)]);
}

/** The embedded LineageStore on `pool` (the control database). close() leaves the pool to its owner. */
export function createPgLineageStore(pool: pg.Pool): LineageStore {
  const walk = async (urn: AssetUrn, direction: LineageDirection, depth: number): Promise<LineageHop[]> => {
    checkWalk(urn, direction, depth);
    const { rows } = await pool.query<StoredEdge & { depth: number }>(WALKS[direction], [urn, depth]);
    return rows.map((r) => ({ ...edgeOf(r), depth: r.depth }));
  };

  return {
    backend: 'postgresql',
    async upsertNodes(nodes) {
      const checked = dedupeNodes(nodes);
      await inTransaction<pg.PoolClient, void>(pool, (client) => writeNodes(client, checked));
    },
    async upsertEdges(edges) {
      const checked = dedupeEdges(edges);
      if (checked.length === 0) return;
      const ends = dedupeNodes([], checked);
      await inTransaction<pg.PoolClient, void>(pool, async (client) => {
        // Ends are created if missing, never rewritten: an explicit upsertNodes owns a node's details.
        await client.query(
          `INSERT INTO warden.lineage_nodes (urn, kind, dataset_urn)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (urn) DO NOTHING`,
          [ends.map((n) => n.urn), ends.map((n) => n.kind), ends.map((n) => n.dataset ?? null)],
        );
        await client.query(UPSERT_EDGES, [
          checked.map((e) => e.from),
          checked.map((e) => e.to),
          checked.map((e) => e.type),
          checked.map((e) => e.subtype),
          checked.map((e) => e.masking),
          checked.map((e) => e.job?.namespace ?? null),
          checked.map((e) => e.job?.name ?? null),
          checked.map((e) => e.runId ?? null),
        ]);
      });
    },
    walk,
    upstream: (urn, depth) => walk(urn, 'UPSTREAM', depth),
    downstream: (urn, depth) => walk(urn, 'DOWNSTREAM', depth),
    async path(from, to, depth) {
      checkPath(from, to, depth);
      if (from === to) return { nodes: [from], edges: [] };
      const found = await pool.query<{ trail: string[] }>(PATH, [from, to, depth]);
      const trail = found.rows[0]?.trail;
      if (!trail) return undefined;
      const { rows } = await pool.query<StoredEdge>(PATH_EDGES, [trail.slice(0, -1), trail.slice(1)]);
      return { nodes: trail as AssetUrn[], edges: rows.map(edgeOf) };
    },
    async close() {},
  };
}
