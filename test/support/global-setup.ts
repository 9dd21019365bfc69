/**
 * One real PostgreSQL server per test run: DATABASE_URL's server when given,
 * else the embedded server under .warden-test/. Each test file makes its own
 * databases on it (see databases.ts), so files never share state.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '@warden/stores';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgBaseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/';
    project.provide('pgBaseUrl', u.toString());
    return async () => {};
  }
  const server = await startEmbeddedPostgres({ dir: path.join(root, '.warden-test', 'pg') });
  project.provide('pgBaseUrl', server.baseUrl);
  return async () => {
    await server.stop();
  };
}
