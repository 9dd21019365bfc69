/**
 * The lineage model: datasets (tables) and fields (columns) keyed by their
 * asset URNs, edges carrying the OpenLineage transformation type and the
 * masking flag, and the job and run that produced each edge.
 */
import type { AssetUrn } from '@warden/core';

/** OpenLineage transformation subtypes, by type (column-lineage facet 1-2-0). */
export const TRANSFORMATIONS = {
  DIRECT: ['IDENTITY', 'TRANSFORMATION', 'AGGREGATION'],
  INDIRECT: ['JOIN', 'FILTER', 'GROUP_BY', 'SORT', 'WINDOW', 'CONDITIONAL'],
} as const;

export type TransformationType = keyof typeof TRANSFORMATIONS;
export type TransformationSubtype = (typeof TRANSFORMATIONS)[TransformationType][number];

/** DATASET for a table URN, FIELD for a column URN. */
export type LineageNodeKind = 'DATASET' | 'FIELD';

export interface LineageNode {
  urn: AssetUrn;
  kind: LineageNodeKind;
  /** For a field: the dataset (table) it belongs to. */
  dataset?: AssetUrn;
}

/** An OpenLineage job: namespace plus name. */
export interface JobRef {
  namespace: string;
  name: string;
}

export interface LineageEdge {
  from: AssetUrn;
  to: AssetUrn;
  type: TransformationType;
  subtype: TransformationSubtype;
  /** The transformation masks (hashes, redacts, …) its input. */
  masking: boolean;
  /** The job, and its run (a UUIDv7), that last reported this edge. */
  job?: JobRef;
  runId?: string;
}

/** An edge met by a walk, with its distance from the start (1 = touches it). */
export interface LineageHop extends LineageEdge {
  depth: number;
}

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM';

/** The shortest downstream path: its assets in order and every edge between consecutive ones. */
export interface LineagePath {
  nodes: AssetUrn[];
  edges: LineageEdge[];
}

/** Walks go at most this deep; deeper requests are INVALID_ARGUMENT. */
export const MAX_LINEAGE_DEPTH = 20;

export interface LineageStore {
  readonly backend: 'postgresql' | 'neo4j';
  /** Creates or updates nodes; re-sending the same is harmless. */
  upsertNodes(nodes: readonly LineageNode[]): Promise<void>;
  /** Creates or updates edges (and their end nodes); one edge per from, to, type and subtype. */
  upsertEdges(edges: readonly LineageEdge[]): Promise<void>;
  /** Edges reached walking `direction` from `urn`, at most `depth` hops; each once, at its least depth. */
  walk(urn: AssetUrn, direction: LineageDirection, depth: number): Promise<LineageHop[]>;
  upstream(urn: AssetUrn, depth: number): Promise<LineageHop[]>;
  downstream(urn: AssetUrn, depth: number): Promise<LineageHop[]>;
  /** The shortest path from `from` down to `to` within `depth` hops; undefined when there is none. */
  path(from: AssetUrn, to: AssetUrn, depth: number): Promise<LineagePath | undefined>;
  close(): Promise<void>;
}

/** An edge as both backends read it back (SQL columns and Cypher fields use these names). */
export interface StoredEdge {
  fromUrn: string;
  toUrn: string;
  flowType: LineageEdge['type'];
  subtype: LineageEdge['subtype'];
  masking: boolean;
  jobNamespace: string | null;
  jobName: string | null;
  runId: string | null;
}

export function edgeOf(r: StoredEdge): LineageEdge {
  const edge: LineageEdge = {
    from: r.fromUrn as AssetUrn,
    to: r.toUrn as AssetUrn,
    type: r.flowType,
    subtype: r.subtype,
    masking: r.masking,
  };
  if (r.jobNamespace != null && r.jobName != null) edge.job = { namespace: r.jobNamespace, name: r.jobName };
  if (r.runId != null) edge.runId = r.runId;
  return edge;
}
