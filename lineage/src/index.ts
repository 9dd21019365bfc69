/**
 * Lineage: the LineageStore port. The PostgreSQL (embedded) and Neo4j
 * backends, OpenLineage ingestion, impact analysis and label propagation come
 * with the lineage issue; this is the interface the gateway will hang them on.
 */
import type { AssetUrn } from '@warden/core';

export type TransformationType = 'DIRECT' | 'INDIRECT';

export interface LineageEdge {
  from: AssetUrn;
  to: AssetUrn;
  type: TransformationType;
  /** OpenLineage subtype: IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER, GROUP_BY, … */
  subtype: string;
  masking: boolean;
}

export interface LineageStore {
  upsertEdges(edges: readonly LineageEdge[]): Promise<void>;
  upstream(urn: AssetUrn, depth: number): Promise<LineageEdge[]>;
  downstream(urn: AssetUrn, depth: number): Promise<LineageEdge[]>;
  close(): Promise<void>;
}
