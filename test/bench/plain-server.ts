/**
 * The ungoverned baseline: plain mercurius over the same SQL and the same
 * pool size — no authentication, no labels, no masking, no audit.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import pg from 'pg';
import { storeTypes } from '@warden/stores';

/** 10 fields of the enterprises table, 4 of them L3/L4 (ID number, mobile, home address, email). */
export const PLAIN_FIELDS = [
  'id',
  'name',
  'uscc',
  'district',
  'registered_capital',
  'legal_rep_name',
  'legal_rep_id_number',
  'legal_rep_mobile',
  'legal_rep_home_address',
  'contact_email',
];

/** snake_case column name to camelCase GraphQL field name. */
export const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export async function buildPlainServer(storeUrl: string): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: storeUrl, max: 10, types: storeTypes });
  pool.on('error', () => {}); // the server may stop first at shutdown
  const app = Fastify();
  const schema = `
    type Enterprise { ${PLAIN_FIELDS.map((f) => `${camel(f)}: String`).join(' ')} }
    type EnterpriseEdge { cursor: String! node: Enterprise! }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
    type EnterpriseConnection { edges: [EnterpriseEdge!]! pageInfo: PageInfo! }
    type Query { enterprises(first: Int, after: String): EnterpriseConnection }`;
  const resolvers = {
    Query: {
      enterprises: async (_: unknown, args: { first?: number }) => {
        const first = Math.min(args.first ?? 20, 100);
        const { rows } = await pool.query(`SELECT ${PLAIN_FIELDS.join(', ')} FROM enterprises ORDER BY id LIMIT $1`, [first + 1]);
        const page = rows.slice(0, first);
        return {
          edges: page.map((r) => ({ cursor: String(r.id), node: Object.fromEntries(PLAIN_FIELDS.map((f) => [camel(f), r[f]])) })),
          pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? String(page[page.length - 1].id) : null },
        };
      },
    },
  };
  await app.register(mercurius, { schema, resolvers, jit: 1 });
  return {
    app,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
