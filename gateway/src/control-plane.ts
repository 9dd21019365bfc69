/**
 * The control plane on open databases: the catalog synced with the stores,
 * the live label store, principals, the audit sink and the schema bound to
 * the catalog. Shared by the runtime, the tests and the benchmark, so all
 * three wire Warden the same way.
 */
import { type CompiledPolicies, createPrincipalStore, type PrincipalStore } from '@warden/access';
import { type AuditSink, createPgAuditSink } from '@warden/audit';
import { createLabelStore, type LabelStore, type SyncResult, syncCatalog } from '@warden/catalog';
import type { Databases } from '@warden/stores';
import { type Bindings, bindSchema, readSchemaFiles } from './schema/bindings.js';

export interface ControlPlane {
  catalog: SyncResult;
  labels: LabelStore;
  principals: PrincipalStore;
  audit: AuditSink;
  bindings: Bindings;
  close(): Promise<void>;
}

export async function openControlPlane(
  dbs: Databases,
  policies: CompiledPolicies,
  opts: { listen?: boolean; log?: (s: string) => void } = {},
): Promise<ControlPlane> {
  const catalog = await syncCatalog(dbs.control, dbs.stores, policies.labels);
  const bindings = bindSchema(await readSchemaFiles(), new Set(catalog.columns));
  const labels = await createLabelStore(dbs.control, {
    listen: opts.listen ?? false,
    connectionString: dbs.urls.control,
    onError: (e) => opts.log?.(`label listener: ${String(e)}`),
  });
  const audit = createPgAuditSink(dbs.control);
  return {
    catalog,
    labels,
    principals: createPrincipalStore(dbs.control, policies),
    audit,
    bindings,
    async close() {
      await audit.close();
      await labels.close();
    },
  };
}
