/** Argument checks shared by every backend: they throw INVALID_ARGUMENT before any IO. */
import { type AssetUrn, parseUrn, tableUrn, wardenError } from '@warden/core';
import { type LineageDirection, type LineageEdge, type LineageNode, MAX_LINEAGE_DEPTH, TRANSFORMATIONS } from './model.js';

export function checkDepth(depth: number): number {
  if (!Number.isSafeInteger(depth) || depth < 1 || depth > MAX_LINEAGE_DEPTH) {
    throw wardenError('INVALID_ARGUMENT', { argument: 'depth', reason: `an integer from 1 to ${MAX_LINEAGE_DEPTH}` });
  }
  return depth;
}

export function checkDirection(direction: string): LineageDirection {
  if (direction !== 'UPSTREAM' && direction !== 'DOWNSTREAM') {
    throw wardenError('INVALID_ARGUMENT', { argument: 'direction', reason: 'UPSTREAM or DOWNSTREAM' });
  }
  return direction;
}

/** A walk's arguments, checked in the same order by every backend: depth, urn, direction. */
export function checkWalk(urn: string, direction: string, depth: number): void {
  checkDepth(depth);
  nodeOf(urn);
  checkDirection(direction);
}

/** A path's arguments, checked in the same order by every backend: depth, from, to. */
export function checkPath(from: string, to: string, depth: number): void {
  checkDepth(depth);
  nodeOf(from, 'from');
  nodeOf(to, 'to');
}

/** The node a table or column URN names; anything else is INVALID_ARGUMENT. */
export function nodeOf(urn: string, argument = 'urn'): LineageNode {
  const parsed = parseUrn(urn);
  if (parsed?.kind === 'table') return { urn: urn as AssetUrn, kind: 'DATASET' };
  if (parsed?.kind === 'column' && parsed.schema && parsed.table) {
    return { urn: urn as AssetUrn, kind: 'FIELD', dataset: tableUrn(parsed.source, parsed.schema, parsed.table) };
  }
  throw wardenError('INVALID_ARGUMENT', { argument, reason: 'not a table or column asset URN' });
}

export function checkNode(node: LineageNode): LineageNode {
  const derived = nodeOf(node.urn);
  if (node.kind !== derived.kind) throw wardenError('INVALID_ARGUMENT', { argument: 'kind', reason: `${node.urn} is a ${derived.kind}` });
  return derived;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkEdge(edge: LineageEdge): LineageEdge {
  nodeOf(edge.from, 'from');
  nodeOf(edge.to, 'to');
  const subtypes: readonly string[] | undefined = TRANSFORMATIONS[edge.type];
  if (!subtypes) throw wardenError('INVALID_ARGUMENT', { argument: 'type', reason: 'DIRECT or INDIRECT' });
  if (!subtypes.includes(edge.subtype)) {
    throw wardenError('INVALID_ARGUMENT', { argument: 'subtype', reason: `${edge.type} takes ${subtypes.join(', ')}` });
  }
  if (typeof edge.masking !== 'boolean') throw wardenError('INVALID_ARGUMENT', { argument: 'masking', reason: 'a boolean' });
  if (edge.runId !== undefined && !UUID.test(edge.runId)) throw wardenError('INVALID_ARGUMENT', { argument: 'runId', reason: 'a UUID' });
  if (edge.job !== undefined && (!edge.job.namespace || !edge.job.name)) {
    throw wardenError('INVALID_ARGUMENT', { argument: 'job', reason: 'a namespace and a name' });
  }
  return edge;
}

/** One edge per key (the last one wins), so a batch never updates a row twice. */
export function dedupeEdges(edges: readonly LineageEdge[]): LineageEdge[] {
  const byKey = new Map<string, LineageEdge>();
  for (const e of edges) byKey.set(JSON.stringify([e.from, e.to, e.type, e.subtype]), checkEdge(e));
  return [...byKey.values()];
}

/** Nodes named by `nodes` and by the ends of `edges`, each once, checked. */
export function dedupeNodes(nodes: readonly LineageNode[], edges: readonly LineageEdge[] = []): LineageNode[] {
  const byUrn = new Map<string, LineageNode>();
  for (const e of edges) for (const urn of [e.from, e.to]) byUrn.set(urn, nodeOf(urn));
  for (const n of nodes) byUrn.set(n.urn, checkNode(n));
  return [...byUrn.values()];
}
