/**
 * The contract suite on Neo4j, registered only when NEO4J_URI, NEO4J_USER and
 * NEO4J_PASSWORD are set; without them this file checks that the chooser
 * falls back to PostgreSQL.
 */
import { columnUrn } from '@warden/core';
import { neo4jConfigFromEnv, openLineageStore } from '@warden/lineage';
import { describe, expect, it } from 'vitest';
import { createTestDatabases } from '../support/databases.js';
import { describeLineageContract } from './contract.js';

const neo4j = neo4jConfigFromEnv(process.env);

describe('lineage backend selection', () => {
  it('Neo4j is chosen only when its URI, user and password are all set', () => {
    const full = { NEO4J_URI: 'bolt://graph:7687', NEO4J_USER: 'warden', NEO4J_PASSWORD: 'pw' };
    expect(neo4jConfigFromEnv(full)).toEqual({ uri: 'bolt://graph:7687', user: 'warden', password: 'pw' });
    expect(neo4jConfigFromEnv({})).toBeUndefined();
    expect(neo4jConfigFromEnv({ ...full, NEO4J_URI: '' })).toBeUndefined();
    expect(neo4jConfigFromEnv({ NEO4J_URI: full.NEO4J_URI, NEO4J_USER: full.NEO4J_USER })).toBeUndefined();
  });

  if (!neo4j) {
    it('without NEO4J_URI the lineage store opens on PostgreSQL and answers', async () => {
      const dbs = await createTestDatabases();
      try {
        const store = await openLineageStore({ pool: dbs.control, neo4j: neo4jConfigFromEnv(process.env) });
        expect(store.backend).toBe('postgresql');
        expect(await store.downstream(columnUrn('enterprise', 'public', 'companies', 'uscc'), 2)).toEqual([]);
        await store.close();
      } finally {
        await dbs.drop();
      }
    });
  }
});

if (neo4j) {
  describeLineageContract('Neo4j', async () => {
    const dbs = await createTestDatabases();
    const store = await openLineageStore({ pool: dbs.control, neo4j });
    expect(store.backend).toBe('neo4j');
    return {
      store,
      dispose: async () => {
        await store.close();
        await dbs.drop();
      },
    };
  });
}
