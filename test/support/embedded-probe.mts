// Starts the embedded PostgreSQL under the directory given, runs one query, stops it.
// Used by test/e2e/embedded-postgres.int.test.ts to run the launcher as another user.
import { startEmbeddedPostgres } from '@warden/stores';
import pg from 'pg';

const server = await startEmbeddedPostgres({ dir: process.argv[2] as string });
const client = new pg.Client({ connectionString: `${server.baseUrl}/postgres` });
await client.connect();
const { rows } = await client.query('SELECT 1 + 1 AS two');
await client.end();
await server.stop();
process.stdout.write(`${JSON.stringify(rows[0])}\n`);
