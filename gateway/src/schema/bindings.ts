/**
 * Reads the per-domain SDL files, binds every field of every @table type to
 * its column's asset URN, and generates the Relay connection, edge and filter
 * types. Building fails (SCHEMA_UNBOUND_FIELD) when a field names a column the
 * catalog does not know.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnUrn, parseUrn, type StoreName, wardenError } from '@warden/core';
import { type DirectiveNode, type FieldDefinitionNode, Kind, type ObjectTypeDefinitionNode, parse, type TypeNode } from 'graphql';

const SCHEMA_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface ColumnBinding {
  field: string;
  column: string;
  urn: string;
  list: boolean;
  filter: boolean;
}

export interface RelationBinding {
  field: string;
  childType: string;
  foreignKey: string;
}

export interface TableBinding {
  typeName: string;
  store: StoreName;
  schema: string;
  table: string;
  tableUrn: string;
  columns: Map<string, ColumnBinding>;
  relations: Map<string, RelationBinding>;
}

export interface RootBinding {
  field: string;
  typeName: string;
  kind: 'list' | 'get';
}

export interface Bindings {
  tables: Map<string, TableBinding>;
  roots: Map<string, RootBinding>;
  sdl: string;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function directive(node: { directives?: readonly DirectiveNode[] }, name: string): DirectiveNode | undefined {
  return node.directives?.find((d) => d.name.value === name);
}

function stringArg(d: DirectiveNode, name: string): string | undefined {
  const a = d.arguments?.find((x) => x.name.value === name);
  return a && a.value.kind === Kind.STRING ? a.value.value : undefined;
}

function namedType(t: TypeNode): { name: string; list: boolean } {
  if (t.kind === Kind.NON_NULL_TYPE) return namedType(t.type);
  if (t.kind === Kind.LIST_TYPE) return { name: namedType(t.type).name, list: true };
  return { name: t.name.value, list: false };
}

export async function readSchemaFiles(dir = SCHEMA_DIR): Promise<string[]> {
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'governance.graphql' ? -1 : b === 'governance.graphql' ? 1 : a.localeCompare(b)));
  return Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
}

/** Binds the SDL to the catalog; `knownColumns` are the column URNs registered as assets. */
export function bindSchema(sources: string[], knownColumns: ReadonlySet<string>): Bindings {
  const tables = new Map<string, TableBinding>();
  const roots = new Map<string, RootBinding>();
  const problems: string[] = [];
  const docs = sources.map((s) => parse(s));
  const objectDefs = docs.flatMap((d) =>
    d.definitions.filter((x): x is ObjectTypeDefinitionNode => x.kind === Kind.OBJECT_TYPE_DEFINITION),
  );

  for (const def of objectDefs) {
    const t = directive(def, 'table');
    if (!t) continue;
    const urn = stringArg(t, 'urn') ?? '';
    const parsed = parseUrn(urn);
    if (parsed?.kind !== 'table' || !parsed.schema || !parsed.table) {
      problems.push(`${def.name.value}: @table(urn) ${urn} is not a table URN`);
      continue;
    }
    const binding: TableBinding = {
      typeName: def.name.value,
      store: parsed.source as StoreName,
      schema: parsed.schema,
      table: parsed.table,
      tableUrn: urn,
      columns: new Map(),
      relations: new Map(),
    };
    for (const f of def.fields ?? []) bindField(binding, f, knownColumns, problems);
    tables.set(binding.typeName, binding);
  }

  // Relations must point at bound types; root fields are lists (XConnection) or gets (X).
  for (const b of tables.values()) {
    for (const r of b.relations.values()) {
      if (!tables.has(r.childType)) problems.push(`${b.typeName}.${r.field}: relation to unbound type ${r.childType}`);
      const child = tables.get(r.childType);
      if (child && !knownColumns.has(columnUrn(child.store, child.schema, child.table, r.foreignKey))) {
        problems.push(`${b.typeName}.${r.field}: foreign key ${r.foreignKey} is not a column of ${child.table}`);
      }
    }
  }
  for (const d of docs) {
    for (const def of d.definitions) {
      if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || def.name.value !== 'Query') continue;
      for (const f of def.fields ?? []) {
        const { name } = namedType(f.type);
        if (name.endsWith('Connection') && tables.has(name.slice(0, -'Connection'.length))) {
          roots.set(f.name.value, { field: f.name.value, typeName: name.slice(0, -'Connection'.length), kind: 'list' });
        } else if (tables.has(name)) {
          roots.set(f.name.value, { field: f.name.value, typeName: name, kind: 'get' });
        }
      }
    }
  }
  if (problems.length)
    throw wardenError('SCHEMA_UNBOUND_FIELD', {
      field: problems.length === 1 ? '' : `(${problems.length} fields)`,
      reason: problems.join('; '),
      problems,
    });
  return { tables, roots, sdl: [...sources, generatedTypes(tables)].join('\n') };
}

function bindField(b: TableBinding, f: FieldDefinitionNode, known: ReadonlySet<string>, problems: string[]): void {
  const rel = directive(f, 'relation');
  if (rel) {
    const { name } = namedType(f.type);
    b.relations.set(f.name.value, {
      field: f.name.value,
      childType: name.replace(/Connection$/, ''),
      foreignKey: stringArg(rel, 'foreignKey') ?? '',
    });
    return;
  }
  const col = directive(f, 'column');
  const column = (col && stringArg(col, 'name')) ?? snake(f.name.value);
  const urn = columnUrn(b.store, b.schema, b.table, column);
  if (!known.has(urn)) {
    problems.push(`${b.typeName}.${f.name.value}: no column ${urn}`);
    return;
  }
  b.columns.set(f.name.value, { field: f.name.value, column, urn, list: namedType(f.type).list, filter: Boolean(directive(f, 'filter')) });
}

function generatedTypes(tables: Map<string, TableBinding>): string {
  const out: string[] = [];
  for (const b of tables.values()) {
    const n = b.typeName;
    out.push(`type ${n}Edge { cursor: String! node: ${n}! }`);
    out.push(`type ${n}Connection { edges: [${n}Edge!]! pageInfo: PageInfo! }`);
    const filters = [...b.columns.values()].filter((c) => c.filter);
    if (filters.length) out.push(`input ${n}Filter { ${filters.map((c) => `${c.field}: String`).join(' ')} }`);
  }
  return out.join('\n');
}
