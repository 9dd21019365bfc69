/**
 * Analysis of a GraphQL document before anything runs: parse, validate,
 * reduce to the one operation that will run (and the fragments it uses),
 * measure depth and aliases, note introspection, and list every field
 * coordinate it selects. The static part is cached per query text; checks
 * that need variables (cost, filters) run per request on coerced variables.
 * Every walk over fragments is memoised, so cost stays linear in the size of
 * the document however fragments are chained.
 */
import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
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
  /** SHA-256 of the query text, for caches and the audit record. */
  hash: string;
  source: string;
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

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function analyseDocument(schema: GraphQLSchema, source: string, hash = sha256(source)): AnalysisResult {
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
  const depthOf = fragmentMemo(fragments, (f, recurse) => selectionDepth(f.selectionSet, recurse));
  let depth = 0;
  for (const op of operations.values()) depth = Math.max(depth, selectionDepth(op.selectionSet, depthOf));
  return {
    ok: true,
    analysis: { hash, source, document, operations, fragments, coordinates, depth, aliases, introspection },
  };
}

/** Memoises a per-fragment measure; validation has already ruled out fragment cycles. */
function fragmentMemo(
  fragments: Map<string, FragmentDefinitionNode>,
  measure: (fragment: FragmentDefinitionNode, recurse: (name: string) => number) => number,
): (name: string) => number {
  const memo = new Map<string, number>();
  const recurse = (name: string): number => {
    let v = memo.get(name);
    if (v === undefined) {
      memo.set(name, 0); // guard, should a cycle ever get through
      const f = fragments.get(name);
      v = f ? measure(f, recurse) : 0;
      memo.set(name, v);
    }
    return v;
  };
  return recurse;
}

function selectionDepth(set: SelectionSetNode, fragmentDepth: (name: string) => number): number {
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) max = Math.max(max, s.selectionSet ? 1 + selectionDepth(s.selectionSet, fragmentDepth) : 1);
    else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, selectionDepth(s.selectionSet, fragmentDepth));
    else max = Math.max(max, fragmentDepth(s.name.value));
  }
  return max;
}

export function selectOperation(a: OperationAnalysis, operationName: string | undefined): OperationDefinitionNode | undefined {
  if (operationName !== undefined) return a.operations.get(operationName);
  return a.operations.size === 1 ? [...a.operations.values()][0] : undefined;
}

/**
 * The text of one operation and the fragments it reaches. Running this, not
 * the whole document, makes what was checked exactly what executes.
 */
export function extractOperation(a: OperationAnalysis, op: OperationDefinitionNode): string {
  const needed = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        if (needed.has(s.name.value)) continue;
        needed.add(s.name.value);
        const f = a.fragments.get(s.name.value);
        if (f) collect(f.selectionSet);
      } else if (s.selectionSet) collect(s.selectionSet);
    }
  };
  collect(op.selectionSet);
  const nodes = [op, ...[...needed].flatMap((n) => a.fragments.get(n) ?? [])];
  return nodes.map((n) => (n.loc ? a.source.slice(n.loc.start, n.loc.end) : '')).join('\n');
}

function fieldsOf(type: GraphQLNamedType | undefined) {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : undefined;
}

function args(parent: GraphQLNamedType | undefined, node: FieldNode, variables: Record<string, unknown>) {
  const def = fieldsOf(parent)?.[node.name.value];
  if (!def) return { def: undefined, values: {} as Record<string, unknown> };
  try {
    return { def, values: getArgumentValues(def, node, variables) };
  } catch {
    return { def, values: {} as Record<string, unknown> }; // execution will report the bad argument
  }
}

function isConnection(type: GraphQLNamedType | undefined): boolean {
  const f = fieldsOf(type);
  return Boolean(f && type?.name.endsWith('Connection') && f.edges && f.pageInfo);
}

/**
 * Estimated cost: every field costs 1; a connection (by its schema type)
 * multiplies the cost of what it selects by its page size — `first` clamped
 * to 1…maxPage, or the default page when absent.
 */
export function operationCost(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  pages: { defaultPage: number; maxPage: number },
): number {
  const page = (first: unknown) =>
    typeof first === 'number' && Number.isFinite(first) ? Math.min(Math.max(Math.trunc(first), 1), pages.maxPage) : pages.defaultPage;
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (!s.selectionSet) {
          cost += 1;
          continue;
        }
        const { def, values } = args(parent, s, variables);
        const type = def ? getNamedType(def.type) : undefined;
        const inner = walk(s.selectionSet, type);
        cost += 1 + (isConnection(type) ? page(values.first) * inner : inner);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent);
      } else cost += fragmentCost(s.name.value);
    }
    return cost;
  };
  const fragmentCost = fragmentMemo(fragments, (f) => walk(f.selectionSet, schema.getType(f.typeCondition.name.value) ?? undefined));
  return walk(op.selectionSet, schema.getRootType(op.operation) ?? undefined);
}

/** Filter fields used by each root field (fragments included), from the coerced arguments. */
export function rootFilters(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): { root: string; fields: string[] }[] {
  const out: { root: string; fields: string[] }[] = [];
  const root = schema.getRootType(op.operation) ?? undefined;
  const seen = new Set<string>();
  const visitSet = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const f = args(root, s, variables).values.filter;
        if (f && typeof f === 'object') out.push({ root: s.name.value, fields: Object.keys(f) });
      } else if (s.kind === Kind.INLINE_FRAGMENT) visitSet(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) visitSet(f.selectionSet);
      }
    }
  };
  visitSet(op.selectionSet);
  return out;
}

/** The names of the operation's root fields, through fragments, once per selection (aliases count again). */
export function rootFieldNames(op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const visitSet = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) visitSet(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) visitSet(f.selectionSet);
      }
    }
  };
  visitSet(op.selectionSet);
  return names;
}
