/**
 * OpenLineage RunEvents (spec 2-0-x) into lineage nodes and edges.
 *
 * The accepted subset is checked with a compact JSON Schema (ajv): eventTime,
 * producer, schemaURL, run.runId (a UUID), job.namespace/name, inputs and
 * outputs with namespace/name and open facets; an output's `columnLineage`
 * facet (1-2-0) gives `fields.<name>.inputFields[]` of namespace, name, field
 * and `transformations[]` of type (DIRECT | INDIRECT), subtype (one of that
 * type's) and masking. Custom facets and unknown properties pass untouched.
 *
 * Datasets map to asset URNs when they live in one of Warden's stores:
 *   `warden://<store>` + `<schema>.<table>`,
 *   `postgres://host[:port]/<store>` + `<schema>.<table>`,
 *   `postgres://host[:port]` + `<store>.<schema>.<table>` (OpenLineage naming);
 * a field adds `.<column>`. Any other dataset is outside Warden: the port keys
 * on asset URNs only, so its edges are skipped and reported, never guessed.
 *
 * Edges: every input field → output field, once per transformation (none
 * given: DIRECT/TRANSFORMATION, unmasked — the conservative reading for label
 * propagation); the facet's dataset-level `dataset[]` inputs → the output
 * table. Every mapped input and output dataset becomes a DATASET node.
 */
import { type AssetUrn, columnUrn, parseUrn, STORES, tableUrn } from '@warden/core';
import { Ajv, type ErrorObject } from 'ajv';
import type { LineageEdge, LineageNode, TransformationSubtype, TransformationType } from './model.js';
import { TRANSFORMATIONS } from './model.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
const TEXT = { type: 'string', minLength: 1, maxLength: 1024 };

const transformation = {
  type: 'object',
  required: ['type', 'subtype'],
  properties: {
    type: { enum: ['DIRECT', 'INDIRECT'] },
    subtype: { type: 'string' },
    description: { type: 'string' },
    masking: { type: 'boolean' },
  },
  if: { properties: { type: { const: 'DIRECT' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword, never awaited
  then: { properties: { subtype: { enum: [...TRANSFORMATIONS.DIRECT] } } },
  else: { properties: { subtype: { enum: [...TRANSFORMATIONS.INDIRECT] } } },
};

const inputField = {
  type: 'object',
  required: ['namespace', 'name', 'field'],
  properties: {
    namespace: TEXT,
    name: TEXT,
    field: TEXT,
    transformations: { type: 'array', maxItems: 32, items: transformation },
  },
};

const inputFields = { type: 'array', maxItems: 1000, items: inputField };

const columnLineage = {
  type: 'object',
  required: ['fields'],
  properties: {
    fields: {
      type: 'object',
      maxProperties: 2000,
      additionalProperties: { type: 'object', required: ['inputFields'], properties: { inputFields } },
    },
    dataset: inputFields,
  },
};

const dataset = (facets: object) => ({
  type: 'object',
  required: ['namespace', 'name'],
  properties: { namespace: TEXT, name: TEXT, facets },
});

/** The JSON Schema of the RunEvent subset Warden accepts. */
export const RUN_EVENT_SCHEMA = {
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'run', 'job'],
  properties: {
    eventType: { enum: ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] },
    eventTime: { type: 'string', pattern: TIME },
    producer: TEXT,
    schemaURL: TEXT,
    run: { type: 'object', required: ['runId'], properties: { runId: { type: 'string', pattern: UUID }, facets: { type: 'object' } } },
    job: { type: 'object', required: ['namespace', 'name'], properties: { namespace: TEXT, name: TEXT, facets: { type: 'object' } } },
    inputs: { type: 'array', maxItems: 1000, items: dataset({ type: 'object' }) },
    outputs: {
      type: 'array',
      maxItems: 1000,
      items: dataset({ type: 'object', properties: { columnLineage } }),
    },
  },
} as const;

interface OlTransformation {
  type: TransformationType;
  subtype: TransformationSubtype;
  masking?: boolean;
}
interface OlInputField {
  namespace: string;
  name: string;
  field: string;
  transformations?: OlTransformation[];
}
interface OlDataset {
  namespace: string;
  name: string;
  facets?: { columnLineage?: { fields: Record<string, { inputFields: OlInputField[] }>; dataset?: OlInputField[] } };
}
export interface RunEvent {
  eventType?: string;
  eventTime: string;
  run: { runId: string };
  job: { namespace: string; name: string };
  inputs?: OlDataset[];
  outputs?: OlDataset[];
}

/** One reason an event is refused: where (a JSON pointer) and why. */
export interface EventProblem {
  path: string;
  reason: string;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validateEvent = ajv.compile<RunEvent>(RUN_EVENT_SCHEMA);

function problemOf(e: ErrorObject): EventProblem {
  const extra = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return { path: e.instancePath || '/', reason: `${e.message ?? 'invalid'}${extra}` };
}

/** A dataset's table URN, `undefined` when it is outside Warden's stores, or a problem when it claims a store but names no table. */
export function datasetUrn(namespace: string, name: string): AssetUrn | undefined | EventProblem {
  let store: string | undefined;
  let rest = name;
  const warden = /^warden:\/\/([^/]+)\/?$/.exec(namespace);
  const postgres = /^postgres(?:ql)?:\/\/[^/]+(?:\/([^/]+))?\/?$/.exec(namespace);
  if (warden) store = warden[1];
  else if (postgres?.[1]) store = postgres[1];
  else if (postgres) {
    const dot = name.indexOf('.');
    store = dot > 0 ? name.slice(0, dot) : undefined;
    rest = name.slice(dot + 1);
  }
  if (!store || !(STORES as readonly string[]).includes(store)) {
    return warden ? { path: '/', reason: `${namespace} is not a Warden store (${STORES.join(', ')})` } : undefined;
  }
  const parts = rest.split('.');
  const urn = parts.length === 2 ? tableUrn(store, parts[0] as string, parts[1] as string) : undefined;
  if (!urn || parseUrn(urn)?.kind !== 'table') return { path: '/', reason: `${name} in ${namespace} is not <schema>.<table>` };
  return urn;
}

export interface IngestPlan {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Datasets outside Warden's stores (`namespace/name`), whose edges were left out. */
  skipped: string[];
}

/**
 * Validates an event and maps it to nodes and edges; `{ problems }` when it is
 * refused (nothing may be written then).
 */
export function planRunEvent(body: unknown): IngestPlan | { problems: EventProblem[] } {
  if (!validateEvent(body)) return { problems: (validateEvent.errors ?? []).map(problemOf) };
  const problems: EventProblem[] = [];
  const skipped = new Set<string>();
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const job = { namespace: body.job.namespace, name: body.job.name };
  const runId = body.run.runId.toLowerCase();

  const table = (ds: { namespace: string; name: string }, path: string): AssetUrn | undefined => {
    const urn = datasetUrn(ds.namespace, ds.name);
    if (urn === undefined) skipped.add(`${ds.namespace}/${ds.name}`);
    else if (typeof urn === 'object') problems.push({ path, reason: urn.reason });
    else {
      nodes.set(urn, { urn, kind: 'DATASET' });
      return urn;
    }
    return undefined;
  };
  const column = (tableAt: AssetUrn, field: string, path: string): AssetUrn | undefined => {
    const p = parseUrn(tableAt);
    const urn = p?.schema && p.table ? columnUrn(p.source, p.schema, p.table, field) : undefined;
    if (!urn || parseUrn(urn)?.kind !== 'column') {
      problems.push({ path, reason: `${field} is not a column name` });
      return undefined;
    }
    return urn;
  };
  const link = (input: OlInputField, to: AssetUrn, path: string) => {
    const from = table(input, path);
    const fromField = from && column(from, input.field, `${path}/field`);
    if (!fromField) return;
    const ts: OlTransformation[] = input.transformations?.length ? input.transformations : [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }];
    for (const t of ts) edges.push({ from: fromField, to, type: t.type, subtype: t.subtype, masking: t.masking ?? false, job, runId });
  };

  for (const [i, ds] of (body.inputs ?? []).entries()) table(ds, `/inputs/${i}`);
  for (const [i, ds] of (body.outputs ?? []).entries()) {
    const at = `/outputs/${i}/facets/columnLineage`;
    const out = table(ds, `/outputs/${i}`);
    const facet = ds.facets?.columnLineage;
    if (!out || !facet) continue;
    for (const [name, f] of Object.entries(facet.fields)) {
      const to = column(out, name, `${at}/fields/${name}`);
      if (!to) continue;
      for (const [j, input] of f.inputFields.entries()) link(input, to, `${at}/fields/${name}/inputFields/${j}`);
    }
    for (const [j, input] of (facet.dataset ?? []).entries()) link(input, out, `${at}/dataset/${j}`);
  }
  if (problems.length) return { problems };
  return { nodes: [...nodes.values()], edges, skipped: [...skipped] };
}
