import { isWardenError } from '@warden/core';
import { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildResolvers, GOVERNED } from '../governance/governed-resolvers.js';
import { bindSchema, readSchemaFiles } from './bindings.js';

const GOV = `directive @table(urn: String!) on OBJECT
directive @column(name: String!) on FIELD_DEFINITION
directive @relation(foreignKey: String!) on FIELD_DEFINITION
directive @filter on FIELD_DEFINITION
type PageInfo { hasNextPage: Boolean! endCursor: String }
type Query { ping: String }`;
const T = 'urn:warden:enterprise:public.enterprises';

function bindError(sources: string[], known: string[]): string {
  try {
    bindSchema(sources, new Set(known));
  } catch (e) {
    if (isWardenError(e) && e.code === 'SCHEMA_UNBOUND_FIELD') return e.message;
    throw e;
  }
  return 'bound';
}

describe('binding the schema to the catalog', () => {
  it('binds camelCase fields to snake_case columns and @column names', () => {
    const b = bindSchema(
      [
        GOV,
        `type E @table(urn: "${T}") { id: ID legalRepMobile: String @filter phone: String @column(name: "contact_mobile") } extend type Query { es(first: Int): EConnection e(id: ID!): E }`,
      ],
      new Set([`${T}.id`, `${T}.legal_rep_mobile`, `${T}.contact_mobile`]),
    );
    const e = b.tables.get('E');
    expect(e?.columns.get('legalRepMobile')).toEqual({
      field: 'legalRepMobile',
      column: 'legal_rep_mobile',
      urn: `${T}.legal_rep_mobile`,
      list: false,
      filter: true,
    });
    expect(e?.columns.get('phone')?.urn).toBe(`${T}.contact_mobile`);
    expect(b.roots.get('es')).toEqual({ field: 'es', typeName: 'E', kind: 'list' });
    expect(b.roots.get('e')).toEqual({ field: 'e', typeName: 'E', kind: 'get' });
    expect(b.sdl).toContain('input EFilter { legalRepMobile: String }');
  });

  it('fails to build when a field names a column the catalog does not know', () => {
    const msg = bindError([GOV, `type E @table(urn: "${T}") { id: ID secretColumn: String }`], [`${T}.id`]);
    expect(msg).toContain(`E.secretColumn: no column ${T}.secret_column`);
  });

  it('fails to build on a malformed table URN and a relation to an unbound type', () => {
    const msg = bindError(
      [
        GOV,
        `type E @table(urn: "not-a-urn") { id: ID } type F @table(urn: "${T}") { id: ID kids(first: Int): GConnection @relation(foreignKey: "f_id") }`,
      ],
      [`${T}.id`],
    );
    expect(msg).toContain('E: @table(urn) not-a-urn is not a table URN');
    expect(msg).toContain('F.kids: relation to unbound type G');
  });
});

/** Every column any SDL field could name, as a catalog that knows them all would list them. */
function everyNamedColumn(sources: string[]): Set<string> {
  const sdl = sources.join('\n');
  const known = new Set<string>();
  for (const m of sdl.matchAll(/@table\(urn: "([^"]+)"\)/g)) {
    for (const col of sdl.matchAll(/\b([a-z][A-Za-z]*):/g))
      known.add(`${m[1]}.${(col[1] as string).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
    for (const fk of ['enterprise_id', 'document_id', 'company_id']) known.add(`${m[1]}.${fk}`);
  }
  return known;
}

describe('the shipped schema', () => {
  it('binds every store field and resolves every one of them through the governed resolver', async () => {
    const sources = await readSchemaFiles();
    const known = everyNamedColumn(sources);
    const bindings = bindSchema(sources, known);
    const resolvers = buildResolvers(bindings) as Record<string, Record<string, { [GOVERNED]?: string }>>;
    let fields = 0;
    for (const b of bindings.tables.values()) {
      for (const c of b.columns.values()) {
        expect(resolvers[b.typeName]?.[c.field]?.[GOVERNED], `${b.typeName}.${c.field}`).toBe('field');
        fields += 1;
      }
      for (const r of b.relations.values()) expect(resolvers[b.typeName]?.[r.field]?.[GOVERNED]).toBe('relation');
    }
    expect(fields).toBeGreaterThan(100);
    expect(bindings.tables.size).toBe(18);
  });

  it('has no store type field outside the bindings (nothing reads a column ungoverned)', async () => {
    const { buildSchema } = await import('graphql');
    const sources = await readSchemaFiles();
    const known = everyNamedColumn(sources);
    const bindings = bindSchema(sources, known);
    const schema = buildSchema(bindings.sdl);
    for (const b of bindings.tables.values()) {
      const type = schema.getType(b.typeName);
      expect(type).toBeInstanceOf(GraphQLObjectType);
      for (const name of Object.keys((type as GraphQLObjectType).getFields())) {
        expect(b.columns.has(name) || b.relations.has(name), `${b.typeName}.${name}`).toBe(true);
      }
    }
  });
});
