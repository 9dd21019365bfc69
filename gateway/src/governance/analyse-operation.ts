/**
 * Static analysis of a GraphQL document, done once per distinct query text
 * and cached: parse, validate, pick the operation, measure depth and aliases,
 * note introspection, and list every field coordinate it selects. Checks that
 * need variables (cost, filters) run per request on the cached result.
 */
import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';

export interface OperationAnalysis {
  /** SHA-256 of the query text, for the audit record. */
  hash: string;
  document: DocumentNode;
  operations: Map<string | undefined, OperationDefinitionNode>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** `Type.field` for every field selected on an object type. */
  coordinates: Set<string>;
  depth: number;
  aliases: number;
  introspection: boolean;
}

export type AnalysisResult =
  | { ok: true; analysis: OperationAnalysis }
  | { ok: false; errors: readonly GraphQLError[]; kind: 'syntax' | 'validation' };

export function analyseDocument(schema: GraphQLSchema, source: string): AnalysisResult {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: 5000 });
  } catch (e) {
    return { ok: false, kind: 'syntax', errors: [e instanceof GraphQLError ? e : new GraphQLError(String(e))] };
  }
  const errors = validate(schema, document, specifiedRules, { maxErrors: 20 });
  if (errors.length) return { ok: false, kind: 'validation', errors };

  const operations = new Map<string | undefined, OperationDefinitionNode>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) operations.set(d.name?.value, d);
    else if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const coordinates = new Set<string>();
  let aliases = 0;
  let introspection = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.alias) aliases += 1;
        const name = node.name.value;
        if (name === '__schema' || name === '__type') introspection = true;
        const parent = typeInfo.getParentType();
        if (parent && isObjectType(getNamedType(parent)) && !name.startsWith('__')) coordinates.add(`${parent.name}.${name}`);
      },
    }),
  );
  let depth = 0;
  for (const op of operations.values()) depth = Math.max(depth, selectionDepth(op.selectionSet, fragments, new Set()));
  return {
    ok: true,
    analysis: {
      hash: createHash('sha256').update(source).digest('hex'),
      document,
      operations,
      fragments,
      coordinates,
      depth,
      aliases,
      introspection,
    },
  };
}

function selectionDepth(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) max = Math.max(max, s.selectionSet ? 1 + selectionDepth(s.selectionSet, fragments, seen) : 1);
    else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, selectionDepth(s.selectionSet, fragments, seen));
    else {
      const f = fragments.get(s.name.value);
      if (f && !seen.has(f.name.value)) max = Math.max(max, selectionDepth(f.selectionSet, fragments, new Set([...seen, f.name.value])));
    }
  }
  return max;
}

export function selectOperation(a: OperationAnalysis, operationName: string | undefined): OperationDefinitionNode | undefined {
  if (operationName !== undefined) return a.operations.get(operationName);
  return a.operations.size === 1 ? [...a.operations.values()][0] : undefined;
}

function argValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v = arg.value;
  if (v.kind === Kind.VARIABLE) return variables[v.name.value];
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.OBJECT) {
    return Object.fromEntries(
      v.fields.map((f) => [
        f.name.value,
        f.value.kind === Kind.VARIABLE ? variables[f.value.name.value] : 'value' in f.value ? f.value.value : null,
      ]),
    );
  }
  return 'value' in v ? v.value : undefined;
}

/**
 * Estimated cost: every field costs 1; a connection multiplies the cost of
 * what it selects by its page size (first, or the default).
 */
export function operationCost(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  defaultPage: number,
  seen: Set<string> = new Set(),
): number {
  let cost = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (!s.selectionSet) {
        cost += 1;
        continue;
      }
      const first = argValue(s, 'first', variables);
      const page = typeof first === 'number' ? first : defaultPage;
      const inner = operationCost(s.selectionSet, fragments, variables, defaultPage, seen);
      cost += 1 + (isConnectionSelection(s) ? page * inner : inner);
    } else if (s.kind === Kind.INLINE_FRAGMENT) cost += operationCost(s.selectionSet, fragments, variables, defaultPage, seen);
    else {
      const f = fragments.get(s.name.value);
      if (f && !seen.has(f.name.value))
        cost += operationCost(f.selectionSet, fragments, variables, defaultPage, new Set([...seen, f.name.value]));
    }
  }
  return cost;
}

function isConnectionSelection(f: FieldNode): boolean {
  return Boolean(
    f.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === 'edges' || s.name.value === 'pageInfo')),
  );
}

/** Filter fields used by each root field: `{ rootField: [filterField…] }`. */
export function rootFilters(op: OperationDefinitionNode, variables: Record<string, unknown>): { root: string; fields: string[] }[] {
  const out: { root: string; fields: string[] }[] = [];
  for (const s of op.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) continue;
    const f = argValue(s, 'filter', variables);
    if (f && typeof f === 'object') out.push({ root: s.name.value, fields: Object.keys(f) });
  }
  return out;
}
