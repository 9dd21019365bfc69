import { createPgLineageStore } from '@warden/lineage';
import { createTestDatabases } from '../support/databases.js';
import { describeLineageContract } from './contract.js';

describeLineageContract('PostgreSQL', async () => {
  const dbs = await createTestDatabases();
  const store = createPgLineageStore(dbs.control);
  return {
    store,
    dispose: async () => {
      await store.close();
      await dbs.drop();
    },
  };
});
