/** Chooses the lineage backend: Neo4j when its URI, user and password are all given, else PostgreSQL. */
import neo4j from 'neo4j-driver';
import type pg from 'pg';
import type { LineageStore } from './model.js';
import { createNeo4jLineageStore } from './neo4j-lineage-store.js';
import { createPgLineageStore } from './pg-lineage-store.js';

export interface Neo4jConfig {
  uri: string;
  user: string;
  password: string;
}

/** NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD, when all three are set and non-empty. */
export function neo4jConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Neo4jConfig | undefined {
  const { NEO4J_URI: uri, NEO4J_USER: user, NEO4J_PASSWORD: password } = env;
  return uri && user && password ? { uri, user, password } : undefined;
}

export async function openLineageStore(options: { pool: pg.Pool; neo4j?: Neo4jConfig | undefined }): Promise<LineageStore> {
  if (!options.neo4j) return createPgLineageStore(options.pool);
  const { uri, user, password } = options.neo4j;
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
  try {
    return await createNeo4jLineageStore(driver);
  } catch (e) {
    await driver.close();
    throw e;
  }
}
