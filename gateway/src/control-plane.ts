/**
 * The control plane on open databases: the catalog synced with the stores,
 * the live label store, principals, the audit sink and the schema bound to
 * the catalog. Shared by the runtime, the tests and the benchmark, so all
 * three wire Warden the same way.
 */
import { randomBytes } from 'node:crypto';
import {
  type AccessStore,
  type CompiledPolicies,
  createAccessStore,
  createPrincipalStore,
  createUserStore,
  type PrincipalStore,
  type UserStore,
} from '@warden/access';
import { type AlertSink, createPgAlertSink } from '@warden/alerts';
import { type AuditLogOptions, type AuditReader, type AuditSink, openAuditLog } from '@warden/audit';
import { createLabelStore, type LabelStore, type SyncResult, syncCatalog } from '@warden/catalog';
import type { Clock } from '@warden/core';
import {
  type ConsumptionRecorder,
  createConsumptionRecorder,
  type LineageStore,
  neo4jConfigFromEnv,
  openLineageStore,
} from '@warden/lineage';
import type { Databases } from '@warden/stores';
import pg from 'pg';
import { type Bindings, bindSchema, readSchemaFiles } from './schema/bindings.js';

export interface ControlPlane {
  catalog: SyncResult;
  labels: LabelStore;
  principals: PrincipalStore;
  audit: AuditSink;
  /** The audit log for auditors: pages of events and the verification verdict. */
  auditReader: AuditReader;
  alerts: AlertSink;
  users: UserStore;
  access: AccessStore;
  /** Lineage on Neo4j when NEO4J_URI/USER/PASSWORD are set, else on the control database. */
  lineage: LineageStore;
  /** Consumption lineage: fields each principal received, clear or masked; flushed every few seconds and on close. */
  consumption: ConsumptionRecorder;
  bindings: Bindings;
  close(): Promise<void>;
}

/** The audit log's own pool: one drain writes at a time; the rest serve the checkpointer and auditors' reads. */
const AUDIT_CONNECTIONS = 3;

export async function openControlPlane(
  dbs: Databases,
  policies: CompiledPolicies,
  opts: {
    listen?: boolean;
    log?: (s: string) => void;
    clock?: Clock;
    /** 32 bytes sealing TOTP secrets; the runtime passes its persisted key (a random one suits tests only). */
    userKey?: Buffer;
    /** The audit chain: hash, source-address key, signing key, checkpoint file; `checkpoints` starts the checkpointer (random keys suit tests only). */
    audit?: Omit<AuditLogOptions, 'log'>;
    /** How often consumption counters are written (default 5 s). */
    consumptionFlushMs?: number;
  } = {},
): Promise<ControlPlane> {
  const catalog = await syncCatalog(dbs.control, dbs.stores, policies.labels);
  const bindings = bindSchema(await readSchemaFiles(), new Set(catalog.columns));
  // The audit log has connections of its own: logins holding connections through their password
  // check, or any burst on the control pool, can never starve the write every L3+ answer waits for.
  const auditPool = new pg.Pool({ connectionString: dbs.urls.control, max: AUDIT_CONNECTIONS, connectionTimeoutMillis: 10_000 });
  auditPool.on('error', () => {}); // idle-client errors surface on next use
  const auditLog = openAuditLog(auditPool, { ...opts.audit, log: opts.log });
  const audit = auditLog.sink;
  const labels = await createLabelStore(dbs.control, {
    listen: opts.listen ?? false,
    connectionString: dbs.urls.control,
    onError: (e) => opts.log?.(`label listener: ${String(e)}`),
    audit,
    clock: opts.clock,
  });
  const alerts = createPgAlertSink(dbs.control);
  const users = createUserStore(dbs.control, policies, { clock: opts.clock, audit, alerts, secretKey: opts.userKey ?? randomBytes(32) });
  const access = createAccessStore(dbs.control, policies, { clock: opts.clock, audit, alerts, labels });
  const lineage = await openLineageStore({ pool: dbs.control, neo4j: neo4jConfigFromEnv() });
  const clock = opts.clock;
  const consumption = createConsumptionRecorder(dbs.control, {
    now: clock ? () => clock.now() : undefined,
    flushMs: opts.consumptionFlushMs,
    log: opts.log,
  });
  return {
    catalog,
    labels,
    principals: createPrincipalStore(dbs.control, policies, { audit }),
    audit,
    auditReader: auditLog.reader,
    alerts,
    users,
    access,
    lineage,
    consumption,
    bindings,
    async close() {
      await consumption.close(); // the last counters, while the control pool is open
      await lineage.close();
      await auditLog.close(); // the sink drains, then the final checkpoint
      await auditPool.end();
      await labels.close();
    },
  };
}
